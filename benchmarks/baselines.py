"""The clients the SDK is compared with, none of them using the SDK's transport.

- ``FloorClient``: a careful hand-written client on this stack, one pooled
  aiohttp session (its documented ``async with`` idiom) and a typed msgspec
  decode into the SDK's own structs. The SDK is measured as a multiple of it.
- ``HandWrittenClient``: what people write by hand, aiohttp with ``json=``
  and ``json.loads`` into dicts.
- ``RequestsPoolClient``: a synchronous ``requests`` client (one keep-alive
  session per thread) called from asyncio through a pool of 8 threads.
- ``HttpxPydanticClient``: the typed alternative, ``httpx.AsyncClient`` and
  pydantic models.
"""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import httpx
import msgspec
import requests
from yarl import URL

from benchmarks import canned, pydantic_models
from benchmarks.contender import GROUP_DESCRIPTION, GROUP_NAME, Contender, owner_headers
from lanying_async import __version__ as sdk_version
from lanying_async.models.base import Envelope, PagedEnvelope
from lanying_async.models.groups import CreateGroupRequest, GroupInfo, GroupMember

__all__ = [
    "BASELINES",
    "FloorClient",
    "HandWrittenClient",
    "HttpxPydanticClient",
    "RequestsPoolClient",
]

THREADS = 8
POOL_SIZE = 100  # the SDK's default pool, given to every pooled baseline
MEMBER_PARAMS = {"group_id": canned.GROUP_ID, "limit": canned.MEMBER_PAGE_SIZE}
CREATE_PAYLOAD = {"name": GROUP_NAME, "description": GROUP_DESCRIPTION}


def _checked(code: int, data: Any) -> Any:
    if code != 200 or data is None:
        raise RuntimeError(f"unexpected answer: code {code}")
    return data


class FloorClient(Contender):
    name = "floor: aiohttp + msgspec"

    _encode = msgspec.json.Encoder().encode
    _group = msgspec.json.Decoder(Envelope[GroupInfo])
    _members = msgspec.json.Decoder(PagedEnvelope[GroupMember])

    async def open(self) -> None:
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=POOL_SIZE))
        self._headers = owner_headers(f"lanying-async/{sdk_version}")
        self._create_url = URL(self.url + "/group/create")
        self._members_url = URL(self.url + "/group/member_list")

    async def aclose(self) -> None:
        await self._session.close()

    async def create_group(self) -> int:
        body = self._encode(CreateGroupRequest(name=GROUP_NAME, description=GROUP_DESCRIPTION))
        async with self._session.post(self._create_url, data=body, headers=self._headers) as r:
            envelope = self._group.decode(await r.read())
        group: GroupInfo = _checked(envelope.code, envelope.data)
        return group.group_id

    async def first_member_page(self) -> int:
        async with self._session.get(
            self._members_url, params=MEMBER_PARAMS, headers=self._headers
        ) as r:
            envelope = self._members.decode(await r.read())
        return len(_checked(envelope.code, envelope.data))


class HandWrittenClient(Contender):
    name = "aiohttp + json.loads (dicts)"

    async def open(self) -> None:
        self._session = aiohttp.ClientSession()
        self._headers = owner_headers()

    async def aclose(self) -> None:
        await self._session.close()

    async def create_group(self) -> int:
        async with self._session.post(
            f"{self.url}/group/create", json=CREATE_PAYLOAD, headers=self._headers
        ) as response:
            answer = json.loads(await response.read())
        return int(_checked(answer["code"], answer["data"])["group_id"])

    async def first_member_page(self) -> int:
        async with self._session.get(
            f"{self.url}/group/member_list", params=MEMBER_PARAMS, headers=self._headers
        ) as response:
            answer = json.loads(await response.read())
        return len(_checked(answer["code"], answer["data"]))


class RequestsPoolClient(Contender):
    name = f"requests, {THREADS} threads"

    async def open(self) -> None:
        self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="requests")
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._headers = owner_headers()

    async def aclose(self) -> None:
        self._pool.shutdown(wait=True)
        for session in self._sessions:
            session.close()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            self._sessions.append(session)
        return session

    def _create_group(self) -> int:
        response = self._session().post(
            f"{self.url}/group/create", json=CREATE_PAYLOAD, headers=self._headers, timeout=30
        )
        answer = response.json()
        return int(_checked(answer["code"], answer["data"])["group_id"])

    def _first_member_page(self) -> int:
        response = self._session().get(
            f"{self.url}/group/member_list", params=MEMBER_PARAMS, headers=self._headers, timeout=30
        )
        answer = response.json()
        return len(_checked(answer["code"], answer["data"]))

    async def create_group(self) -> int:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._create_group)

    async def first_member_page(self) -> int:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._first_member_page)


class HttpxPydanticClient(Contender):
    name = "httpx + pydantic"

    _group = pydantic_models.Envelope[pydantic_models.GroupInfo]
    _members = pydantic_models.PagedEnvelope[pydantic_models.GroupMember]

    async def open(self) -> None:
        self._client = httpx.AsyncClient(
            base_url=self.url,
            headers=owner_headers(),
            limits=httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def create_group(self) -> int:
        body = pydantic_models.CreateGroupBody(name=GROUP_NAME, description=GROUP_DESCRIPTION)
        response = await self._client.post(
            "/group/create", content=body.model_dump_json(exclude_none=True)
        )
        envelope = self._group.model_validate_json(response.content)
        group: pydantic_models.GroupInfo = _checked(envelope.code, envelope.data)
        return group.group_id

    async def first_member_page(self) -> int:
        response = await self._client.get("/group/member_list", params=MEMBER_PARAMS)
        envelope = self._members.model_validate_json(response.content)
        return len(_checked(envelope.code, envelope.data))


BASELINES: tuple[type[Contender], ...] = (
    FloorClient,
    HandWrittenClient,
    RequestsPoolClient,
    HttpxPydanticClient,
)
