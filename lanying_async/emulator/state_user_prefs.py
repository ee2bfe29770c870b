"""Per-app push targeting state of users (held by `AppState.prefs`).

The switches and hours of a user live on `User.settings`; this module keeps
what push audiences resolve against: tags, aliases, badges and the vendor
push tokens bound to devices. Every mapping is kept together with its reverse
index, so a push to tags, aliases or tokens resolves its users without a scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["PushDevice", "UserPrefsState"]


@dataclass(slots=True)
class PushDevice:
    """A vendor push token bound to one device of a user."""

    user_id: int
    device_sn: int
    device_token: str
    notifier_name: str
    bound_at: int


@dataclass(slots=True)
class UserPrefsState:
    """Push tags, aliases, badges and device tokens of one app's users."""

    tags: dict[int, dict[str, None]] = field(default_factory=dict)
    """user id -> its tags (an insertion-ordered set)."""
    tag_users: dict[str, dict[int, None]] = field(default_factory=dict)
    """tag -> users holding it (an insertion-ordered set)."""
    aliases: dict[int, str] = field(default_factory=dict)
    """user id -> its alias."""
    alias_users: dict[str, int] = field(default_factory=dict)
    """alias -> the one user holding it."""
    alias_push_tokens: dict[int, str] = field(default_factory=dict)
    """user id -> the push token given with its alias."""
    alias_token_users: dict[str, int] = field(default_factory=dict)
    """push token given with an alias -> the user who gave it last."""
    badges: dict[int, int] = field(default_factory=dict)
    """user id -> badge number."""
    devices: dict[int, dict[int, PushDevice]] = field(default_factory=dict)
    """user id -> {device serial number -> bound token}."""
    token_devices: dict[str, PushDevice] = field(default_factory=dict)
    """device token -> the device it is bound to."""

    # --- tags -----------------------------------------------------------------

    def tags_of(self, user_id: int) -> list[str]:
        return list(self.tags.get(user_id, ()))

    def add_tags(self, user_id: int, tags: Iterable[str]) -> None:
        own = self.tags.setdefault(user_id, {})
        for tag in tags:
            own[tag] = None
            self.tag_users.setdefault(tag, {})[user_id] = None

    def remove_tags(self, user_id: int, tags: Iterable[str]) -> None:
        own = self.tags.get(user_id)
        if own is None:
            return
        for tag in tags:
            if tag in own:
                del own[tag]
                self._drop_tag_user(tag, user_id)
        if not own:
            del self.tags[user_id]

    def clear_tags(self, user_id: int) -> None:
        for tag in self.tags.pop(user_id, {}):
            self._drop_tag_user(tag, user_id)

    def _drop_tag_user(self, tag: str, user_id: int) -> None:
        holders = self.tag_users.get(tag)
        if holders is not None:
            holders.pop(user_id, None)
            if not holders:
                del self.tag_users[tag]

    def users_with_tags(self, tags: Iterable[str]) -> list[int]:
        """Users holding any of `tags`, each once."""
        found: dict[int, None] = {}
        for tag in tags:
            found.update(self.tag_users.get(tag, {}))
        return list(found)

    # --- aliases --------------------------------------------------------------

    def bind_alias(self, user_id: int, alias: str, push_token: str | None = None) -> None:
        """Give `user_id` the alias, taking it from any other user holding it."""
        previous_holder = self.alias_users.get(alias)
        if previous_holder is not None and previous_holder != user_id:
            del self.aliases[previous_holder]
            self._drop_alias_token(previous_holder)
        previous_alias = self.aliases.get(user_id)
        if previous_alias is not None and previous_alias != alias:
            del self.alias_users[previous_alias]
        self.aliases[user_id] = alias
        self.alias_users[alias] = user_id
        self._drop_alias_token(user_id)
        if push_token is not None:
            self.alias_push_tokens[user_id] = push_token
            self.alias_token_users[push_token] = user_id

    def _drop_alias_token(self, user_id: int) -> None:
        token = self.alias_push_tokens.pop(user_id, None)
        if token is not None and self.alias_token_users.get(token) == user_id:
            del self.alias_token_users[token]

    def users_with_aliases(self, aliases: Iterable[str]) -> list[int]:
        """Users holding any of `aliases`, each once."""
        found: dict[int, None] = {}
        for alias in aliases:
            user_id = self.alias_users.get(alias)
            if user_id is not None:
                found[user_id] = None
        return list(found)

    # --- device tokens --------------------------------------------------------

    def bind_device(self, device: PushDevice) -> None:
        """Bind a device token, moving it off any device that held it before."""
        earlier = self.token_devices.get(device.device_token)
        if earlier is not None:
            self._drop_device(earlier.user_id, earlier.device_sn)
        self._drop_device(device.user_id, device.device_sn)
        self.devices.setdefault(device.user_id, {})[device.device_sn] = device
        self.token_devices[device.device_token] = device

    def unbind_device(self, user_id: int, device_sn: int) -> PushDevice | None:
        return self._drop_device(user_id, device_sn)

    def _drop_device(self, user_id: int, device_sn: int) -> PushDevice | None:
        own = self.devices.get(user_id)
        if own is None:
            return None
        device = own.pop(device_sn, None)
        if device is not None:
            if self.token_devices.get(device.device_token) is device:
                del self.token_devices[device.device_token]
            if not own:
                del self.devices[user_id]
        return device

    def users_with_push_tokens(self, tokens: Iterable[str]) -> list[int]:
        """Users with a device bound to any of `tokens` (or given with their alias)."""
        found: dict[int, None] = {}
        for token in tokens:
            device = self.token_devices.get(token)
            if device is not None:
                found[device.user_id] = None
            user_id = self.alias_token_users.get(token)
            if user_id is not None:
                found[user_id] = None
        return list(found)

    # --- users leaving --------------------------------------------------------

    def forget_user(self, user_id: int) -> None:
        """Drop everything held for a deleted user."""
        self.clear_tags(user_id)
        alias = self.aliases.pop(user_id, None)
        if alias is not None:
            del self.alias_users[alias]
        self._drop_alias_token(user_id)
        self.badges.pop(user_id, None)
        for device_sn in list(self.devices.get(user_id, ())):
            self._drop_device(user_id, device_sn)
