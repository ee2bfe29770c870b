"""What every client measured on the cheap server does, and the request it sends.

Each contender makes the same two calls with the same headers and body: create
a group as its owner, and read the first 1,000-member page of a group.
"""

from __future__ import annotations

from typing import ClassVar

from benchmarks import canned

__all__ = [
    "GROUP_DESCRIPTION",
    "GROUP_NAME",
    "Contender",
    "check_answers",
    "owner_headers",
]

GROUP_NAME = "g001"
GROUP_DESCRIPTION = "test-group"


def owner_headers(user_agent: str | None = None) -> dict[str, str]:
    """The headers the SDK sends acting as the group owner.

    Without ``user_agent`` the HTTP library sends its own ``User-Agent``.
    """
    headers = {
        "app_id": canned.APP_ID,
        "access-token": canned.TOKEN,
        "Content-Type": "application/json",
        "user_id": str(canned.OWNER_ID),
    }
    if user_agent is not None:
        headers["User-Agent"] = user_agent
    return headers


class Contender:
    """One way of calling the API; opened once, then called many times."""

    name: ClassVar[str]

    def __init__(self, url: str) -> None:
        self.url = url

    async def open(self) -> None:
        """Create the connection pool (inside the running event loop)."""

    async def aclose(self) -> None:
        """Release the pool."""

    async def create_group(self) -> int:
        """``POST /group/create``; returns the new group's id."""
        raise NotImplementedError

    async def first_member_page(self) -> int:
        """``GET /group/member_list`` (1,000 a page); returns how many members came."""
        raise NotImplementedError


async def check_answers(contender: Contender) -> None:
    """Fail loudly if a contender does not read the canned answers right."""
    group_id = await contender.create_group()
    members = await contender.first_member_page()
    if group_id != canned.GROUP_ID or members != canned.MEMBER_PAGE_SIZE:
        raise RuntimeError(
            f"{contender.name} read group {group_id} and {members} members; expected "
            f"{canned.GROUP_ID} and {canned.MEMBER_PAGE_SIZE}"
        )
