"""The SDK itself, as a contender: ``groups.create`` and ``groups.members``."""

from __future__ import annotations

from benchmarks import canned
from benchmarks.contender import GROUP_DESCRIPTION, GROUP_NAME, Contender
from lanying_async import LanyingClient

__all__ = ["SdkContender", "sdk_client"]


def sdk_client(url: str) -> LanyingClient:
    """A client with default settings for the cheap server."""
    return LanyingClient(api_endpoint=url, app_id=canned.APP_ID, access_token=canned.TOKEN)


class SdkContender(Contender):
    name = "lanying-async"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._client = sdk_client(url)
        self._owner = self._client.as_user(canned.OWNER_ID)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def create_group(self) -> int:
        group = await self._owner.groups.create(GROUP_NAME, GROUP_DESCRIPTION)
        return group.group_id

    async def first_member_page(self) -> int:
        page = await self._owner.groups.members(canned.GROUP_ID, limit=canned.MEMBER_PAGE_SIZE)
        return len(page.items)
