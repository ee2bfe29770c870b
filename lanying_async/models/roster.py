"""Friend (roster) models: applications, block lists, search results and extensions."""

from __future__ import annotations

from enum import IntEnum

import msgspec

from lanying_async.models.base import Record, Request, Response

__all__ = [
    "AddRosterRequest",
    "RosterApplication",
    "RosterApplicationInfo",
    "RosterApplicationStatus",
    "RosterApplyFailure",
    "RosterApplyRequest",
    "RosterApplyResult",
    "RosterDeclineRequest",
    "RosterEntry",
    "RosterExtRequest",
    "RosterIdsRequest",
    "RosterItem",
    "RosterRelation",
]


# --- enums -------------------------------------------------------------------


class RosterApplicationStatus(IntEnum):
    """Where a friend application stands (`RosterApplicationInfo.status`)."""

    PENDING = 0
    ACCEPTED = 1
    DECLINED = 2


class RosterRelation(IntEnum):
    """How a user relates to the caller (`RosterItem.relation`)."""

    FRIEND = 0
    REMOVED = 1
    """A former friend: the friendship was deleted."""
    STRANGER = 2
    BLOCKED = 3
    """The caller has the user in its block list."""


# --- requests ----------------------------------------------------------------


class AddRosterRequest(Request):
    list: list[int]
    """User ids to add as friends."""


class RosterApplyRequest(Request):
    """Body of `POST /roster/apply`."""

    user_id: int
    """The user asked to become a friend."""
    alias: str | None = None
    """The name the applicant will see for the new friend."""
    reason: str | None = None
    """Message shown to the user with the application."""
    auth_answer: str | None = None
    """Answer to the user's verification question (when it asks one)."""


class RosterApplication(Request):
    """One entry of `POST /roster/apply/batch`."""

    user_id: int
    """The user to send the friend application to."""
    alias: str | None = None
    """The name to give them in the friend list."""
    reason: str | None = None
    """A message to them with the application."""


class RosterDeclineRequest(Request):
    """Body of `PUT /roster/decline`."""

    user_id: int
    """The applicant whose application is declined."""
    reason: str | None = None
    """Why the application is declined."""


class RosterExtRequest(Request):
    """Body of `PUT /roster/ext`; unset fields keep their value."""

    user_id: int
    """The friend's user id."""
    alias: str | None = None
    """The name to give the friend in the friend list."""
    ext: str | None = None
    """Extension data about the friend, as a string."""
    mute_notification: bool | None = None
    """True to silence message notifications from the friend."""


class RosterIdsRequest(Request):
    """Body of `POST /roster/list`: the friends to describe."""

    list: list[int]
    """The user ids."""


# --- responses ---------------------------------------------------------------


class RosterEntry(Record):
    """One friend of a user."""

    user_id: int = 0
    """The friend's user id."""
    name: str | None = None
    """The friend's name."""


class RosterApplyFailure(Record):
    """A user a batch application could not be sent to, and why."""

    user_id: int = 0
    """The user the application was for."""
    reason: str | None = None
    """Why it could not be sent."""


class RosterApplyResult(Response):
    """Outcome of `POST /roster/apply/batch`."""

    success: list[int] = msgspec.field(default_factory=list)
    """Users the application reached (now friends, or asked to confirm)."""
    fails: list[RosterApplyFailure] = msgspec.field(default_factory=list)
    """The users it could not be sent to, each with the reason."""


class RosterApplicationInfo(Record):
    """A friend application received by the current user.

    `status` compares equal to
    [`RosterApplicationStatus`][lanying_async.models.roster.RosterApplicationStatus] members.
    """

    user_id: int = 0
    """The applicant."""
    reason: str | None = None
    """The applicant's message."""
    status: int = 0
    """0 pending, 1 accepted, 2 declined."""
    expired_time: int = 0
    """When a pending application expires (Unix milliseconds)."""


class RosterItem(Record):
    """A user as seen from the current user's roster.

    `relation` compares equal to [`RosterRelation`][lanying_async.models.roster.RosterRelation]
    members and `auth_mode` to [`AuthMode`][lanying_async.models.enums.AuthMode] members.
    `alias`, `ext` and `mute_notification` are the current user's settings for a friend.
    """

    user_id: int = 0
    """The user's id."""
    username: str | None = None
    """The user's username."""
    nick_name: str | None = None
    """The user's nickname."""
    avatar: str | None = None
    """The avatar's URL."""
    description: str | None = None
    """The user's self-description."""
    public_info: str | None = None
    """Public information, which friends and strangers can see."""
    auth_mode: int = 0
    """How the user accepts friend applications."""
    auth_question: str | None = None
    """The question friend applicants must answer."""
    relation: int = 2
    """0 friend, 1 removed friend, 2 stranger, 3 blocked."""
    alias: str | None = None
    """The caller's name for this friend."""
    ext: str | None = None
    """The caller's extension data about this friend, as a string."""
    mute_notification: bool = False
    """Whether the caller silenced message notifications from this friend."""
