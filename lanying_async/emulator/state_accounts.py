"""Per-app account state beyond registration: profiles, devices, disabled users.

Held by `AppState.accounts`. Other domains read it (roster search by
mobile, tokens refusing disabled users, online status).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AccountsState", "Device", "Profile", "PushRegistration"]


@dataclass(slots=True)
class Profile:
    """Profile fields of one user (`UserProfileDto` in the spec)."""

    nick_name: str | None = None
    avatar: str | None = None
    mobile: str | None = None
    email: str | None = None
    description: str | None = None
    public_info: str | None = None
    private_info: str | None = None


@dataclass(slots=True)
class Device:
    """One logged-in device of a user."""

    device_sn: int
    platform: int = 1
    online: bool = False
    push_token: str | None = None
    login_time: int = 0
    user_agent: str | None = None
    """Free-form description of the device (`DeviceDto.user_agent`)."""


@dataclass(slots=True)
class PushRegistration:
    """What `POST /user/register/push` recorded besides the account itself."""

    push_token: str | None = None
    device_guid: str | None = None
    alias: str | None = None
    sign: str | None = None


@dataclass(slots=True)
class AccountsState:
    """Account data of one app."""

    profiles: dict[int, Profile] = field(default_factory=dict)
    """user id -> profile (created on first write)."""
    devices: dict[int, dict[int, Device]] = field(default_factory=dict)
    """user id -> {device_sn -> device}."""
    disabled: set[int] = field(default_factory=set)
    """Users an admin disabled: they cannot log in or get tokens."""
    push_registrations: dict[int, PushRegistration] = field(default_factory=dict)
    """user id -> push details given at `POST /user/register/push`."""

    def profile(self, user_id: int) -> Profile:
        found = self.profiles.get(user_id)
        if found is None:
            found = self.profiles[user_id] = Profile()
        return found

    def devices_of(self, user_id: int) -> dict[int, Device]:
        """The user's devices by serial number (an empty dict when none)."""
        return self.devices.get(user_id, {})

    def is_online(self, user_id: int) -> bool:
        """Whether any of the user's devices is online."""
        return any(device.online for device in self.devices_of(user_id).values())

    def forget(self, user_id: int) -> None:
        """Drop everything kept about a deleted user."""
        self.profiles.pop(user_id, None)
        self.devices.pop(user_id, None)
        self.disabled.discard(user_id)
        self.push_registrations.pop(user_id, None)
