"""Friends (roster): adding, listing and managing a user's friends."""

from __future__ import annotations

from collections.abc import Iterable

from lanying_async.models.base import Envelope
from lanying_async.models.roster import AddRosterRequest, RosterEntry
from lanying_async.services.base import Service
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import check_ids

__all__ = ["RosterService"]

ADD = Endpoint("POST", "/user/add_roster", Envelope[bool])
LIST = Endpoint("GET", "/user/rosters", Envelope[list[RosterEntry]])


class RosterService(Service):
    """Friend operations; call them on a user view (``client.as_user(user_id)``)."""

    __slots__ = ()

    async def add(self, user_ids: Iterable[int]) -> bool:
        """Make the given users friends of the current user, without an application.

        ``POST /user/add_roster``. Raises ``UserNotFoundError`` (10000) when a
        target does not exist.
        """
        body = AddRosterRequest(list=check_ids(user_ids, "user_ids"))
        return await self._flag(ADD, body=body)

    async def list(self) -> list[RosterEntry]:
        """The current user's friends with their names.

        ``GET /user/rosters``.
        """
        envelope = await self._call(LIST)
        return envelope.data or []
