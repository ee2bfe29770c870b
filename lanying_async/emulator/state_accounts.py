"""Per-app account state beyond registration: profiles, devices, disabled users.

Held by ``AppState.accounts``. Other domains read it (roster search by
mobile, tokens refusing disabled users, online status).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AccountsState", "Device", "Profile"]


@dataclass(slots=True)
class Profile:
    """Profile fields of one user (``UserProfileDto`` in the spec)."""

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


@dataclass(slots=True)
class AccountsState:
    """Account data of one app."""

    profiles: dict[int, Profile] = field(default_factory=dict)
    """user id -> profile (created on first write)."""
    devices: dict[int, dict[int, Device]] = field(default_factory=dict)
    """user id -> {device_sn -> device}."""
    disabled: set[int] = field(default_factory=set)
    """Users an admin disabled: they cannot log in or get tokens."""

    def profile(self, user_id: int) -> Profile:
        found = self.profiles.get(user_id)
        if found is None:
            found = self.profiles[user_id] = Profile()
        return found
