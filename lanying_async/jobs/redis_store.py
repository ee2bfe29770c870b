"""The job store in Redis: durable jobs shared by workers on any number of machines.

`RedisJobStore.from_url("redis://HOST:PORT/DB")` (or
`open_store("redis://...")`) keeps the
[`JobStore`][lanying_async.jobs.store.JobStore] contract in Redis, with the
`jobs` extra (`pip install 'lanying-async[jobs]'`). A job is seven keys,
`PREFIX:job:{JOB_ID}:meta|items|records|holders|expiries|attempts|sent`
(see [`KEY_NAMES`][lanying_async.jobs.redis_scripts.KEY_NAMES]); the
`{JOB_ID}` hash tag keeps them in one slot. Every step that changes a job
is one Lua script, so it is atomic and reaches the append-only file whole;
with `appendonly yes` and `appendfsync always`, a step that returned
survives Redis being killed. Keys are never expired: delete a job's keys
when it is no longer wanted.

A register chunk's stored rows (passwords included) are overwritten by the
usernames once the chunk is recorded; the append-only file keeps the old
rows until Redis rewrites it (`BGREWRITEAOF`).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, NoReturn
from urllib.parse import urlsplit

import redis.asyncio as aioredis
import redis.exceptions
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff

from lanying_async.jobs import redis_scripts as lua
from lanying_async.jobs.codec import decode_items, decode_record, decode_spec, encode
from lanying_async.jobs.model import ChunkRecord, JobSpec, JobStatus, Lease
from lanying_async.jobs.store import JobNotFoundError, JobStoreError, JobStoreUnavailableError
from lanying_async.jobs.urls import redact_url

__all__ = ["JobStoreError", "JobStoreUnavailableError", "RedisJobStore"]

DEFAULT_KEY_PREFIX = "lanying"
_PAGE = 256
"""Chunks written or read per command by `create_job` and `records`."""
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_STATUS_FIELDS = (
    "cancelled",
    "total",
    "chunks_total",
    "chunks_done",
    "items_done",
    "succeeded",
    "failed",
    "outcome_unknown",
    "not_started",
)


class RedisJobStore:
    """A [`JobStore`][lanying_async.jobs.store.JobStore] in Redis.

    Args:
        client: a `redis.asyncio.Redis` the store owns from now on
            ([`aclose`][lanying_async.jobs.redis_store.RedisJobStore.aclose] closes it).
            It must return bytes (`decode_responses=False`, the default).
        key_prefix: the first part of every key the store writes.
        url: how the store is named in its repr and errors (give no password here).

    A call that loses its connection is tried again (the client's retry
    policy; [`from_url`][lanying_async.jobs.redis_store.RedisJobStore.from_url]
    sets one). A step retried after Redis ran it but its answer was lost is
    harmless: a lease taken again by the same token is still that token's, a
    chunk recorded again is refused, and nothing is counted twice.
    """

    def __init__(
        self, client: aioredis.Redis, *, key_prefix: str = DEFAULT_KEY_PREFIX, url: str = "redis"
    ) -> None:
        _check_prefix(key_prefix)
        self._redis = client
        # redis-py's command methods are typed "awaitable or not" (one class for both
        # clients); its plain entry point is typed here for this asyncio client.
        self._execute: Callable[..., Awaitable[Any]] = client.execute_command
        self.key_prefix = key_prefix
        self.url = url
        self._create = client.register_script(lua.CREATE)
        self._take = client.register_script(lua.TAKE)
        self._renew = client.register_script(lua.RENEW)
        self._mark_sent = client.register_script(lua.MARK_SENT)
        self._release = client.register_script(lua.RELEASE)
        self._finish = client.register_script(lua.FINISH)
        self._cancel = client.register_script(lua.CANCEL)
        self._unfinished = client.register_script(lua.UNFINISHED)
        self._rate_wait = client.register_script(lua.RATE_WAIT)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        max_connections: int = 50,
        retries: int = 5,
    ) -> RedisJobStore:
        """The store at `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (`rediss://` for TLS).

        Nothing is connected yet: a server that cannot be reached raises
        [`JobStoreUnavailableError`][lanying_async.jobs.store.JobStoreUnavailableError]
        from the first call. At most `max_connections` calls run at once (the
        others wait for a connection); a call whose connection failed is tried
        again `retries` times (waits of 50 ms doubling, at most 2 s). Connecting
        gives up after 10 s and an answer is awaited 30 s, unless the URL's
        query says otherwise (`?socket_timeout=...`).

        Raises:
            ValueError: not a `redis://` or `rediss://` URL (the message leaves
                the password out).
        """
        _check_prefix(key_prefix)
        shown = redact_url(url)
        if url.partition("://")[0] not in ("redis", "rediss") or "://" not in url:
            raise ValueError(f"not a redis://HOST:PORT/DB store URL: {shown}")
        # redis-py reads a path that is not a number as database 0: refuse it instead.
        if not re.fullmatch(r"/?[0-9]*", urlsplit(url).path):
            raise ValueError(f"the database of a redis store URL is a number: {shown}")
        try:
            pool = aioredis.BlockingConnectionPool.from_url(
                url,
                max_connections=max_connections,
                timeout=None,
                retry=Retry(ExponentialWithJitterBackoff(cap=2.0, base=0.05), retries),
                socket_connect_timeout=10.0,
                socket_timeout=30.0,
            )
        except (ValueError, TypeError) as exc:
            reason = _scrub(str(exc), _password(url))
            raise ValueError(f"bad redis store URL {shown}: {reason}") from None
        return cls(aioredis.Redis.from_pool(pool), key_prefix=key_prefix, url=shown)

    def __repr__(self) -> str:
        return f"RedisJobStore({self.url!r}, key_prefix={self.key_prefix!r})"

    # --- keys and calls -----------------------------------------------------

    def _keys(self, job_id: str) -> list[str]:
        if not _JOB_ID.fullmatch(job_id):
            raise JobNotFoundError(job_id)
        base = f"{self.key_prefix}:job:{{{job_id}}}:"
        return [base + name for name in lua.KEY_NAMES]

    def _failed(self, exc: redis.exceptions.RedisError) -> NoReturn:
        password = self._redis.connection_pool.connection_kwargs.get("password")
        reason = _scrub(str(exc), password if isinstance(password, str) else None)
        if isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)):
            raise JobStoreUnavailableError(
                f"the job store {self.url} cannot be reached: {reason}"
            ) from None
        raise JobStoreError(f"the job store {self.url} refused a step: {reason}") from None

    async def _script(
        self, script: Any, job_id: str, index: int | None, *args: str | bytes | int
    ) -> Any:
        """Run `script` on the job's keys; raises `JobNotFoundError` as it reports."""
        keys = self._keys(job_id)
        try:
            reply = await script(keys=keys, args=list(args))
        except redis.exceptions.RedisError as exc:
            self._failed(exc)
        if isinstance(reply, list) and reply and reply[0] in (b"nojob", b"nochunk"):
            raise JobNotFoundError(
                job_id if reply[0] == b"nojob" else f"{job_id}: no chunk {index}"
            )
        return reply

    async def _call(self, command: str, *args: Any) -> Any:
        try:
            return await self._execute(command, *args)
        except redis.exceptions.RedisError as exc:
            self._failed(exc)

    async def _chunks_total(self, job_id: str) -> int:
        total = await self._call("HGET", self._keys(job_id)[0], "chunks_total")
        if total is None:
            raise JobNotFoundError(job_id)
        return int(total)

    # --- the contract -------------------------------------------------------

    async def create_job(self, spec: JobSpec, chunks: Sequence[Sequence[Any]]) -> str:
        """Write the job: its chunks' items a page at a time, then its `meta` hash.

        The job exists once `meta` is written, in one step: a crash before
        leaves only items nobody knows the job id of.
        """
        while True:
            job_id = secrets.token_hex(8)
            keys = self._keys(job_id)
            if not await self._call("EXISTS", keys[0], keys[1]):
                break
        for start in range(0, len(chunks), _PAGE):
            pairs: list[Any] = []
            for index in range(start, min(start + _PAGE, len(chunks))):
                pairs += [index, encode(list(chunks[index]))]
            await self._call("HSET", keys[1], *pairs)
        total = sum(len(chunk) for chunk in chunks)
        # 0 only for this very call retried after its answer was lost: the job is ours.
        await self._script(self._create, job_id, None, encode(spec), total, len(chunks))
        return job_id

    async def spec(self, job_id: str) -> JobSpec:
        blob = await self._call("HGET", self._keys(job_id)[0], "spec")
        if blob is None:
            raise JobNotFoundError(job_id)
        return decode_spec(blob)

    async def chunk_items(self, job_id: str, index: int) -> list[Any]:
        blob = await self._call("HGET", self._keys(job_id)[1], index)
        if blob is None:
            await self._chunks_total(job_id)
            raise JobNotFoundError(f"{job_id}: no chunk {index}")
        return decode_items(blob)

    async def take_lease(
        self, job_id: str, index: int, token: str, seconds: float, now: float
    ) -> Lease | None:
        reply = await self._script(
            self._take, job_id, index, index, token, repr(now + seconds), repr(now)
        )
        if reply[0] != b"ok":
            return None
        first_sent_at = None if reply[2] is None else float(reply[2])
        return Lease(token, float(reply[3]), int(reply[1]), first_sent_at)

    async def renew_lease(
        self, job_id: str, index: int, token: str, seconds: float, now: float
    ) -> bool:
        return bool(
            await self._script(self._renew, job_id, index, index, token, repr(now + seconds))
        )

    async def mark_sent(self, job_id: str, index: int, token: str, now: float) -> float | None:
        reply = await self._script(self._mark_sent, job_id, index, index, token, repr(now))
        return float(reply[1]) if reply[0] == b"ok" else None

    async def release_lease(self, job_id: str, index: int, token: str) -> None:
        await self._script(self._release, job_id, index, index, token)

    async def finish_chunk(
        self, job_id: str, index: int, token: str, record: ChunkRecord, now: float
    ) -> bool:
        reply = await self._script(
            self._finish,
            job_id,
            index,
            index,
            token,
            encode(record),
            encode(record.items),
            len(record.items),
            len(record.succeeded),
            len(record.failed),
            len(record.outcome_unknown),
            len(record.not_started),
        )
        return bool(reply[1])

    async def cancel(self, job_id: str) -> None:
        await self._script(self._cancel, job_id, None)

    async def chunk_done(self, job_id: str, index: int) -> bool:
        if not 0 <= index < await self._chunks_total(job_id):
            raise JobNotFoundError(f"{job_id}: no chunk {index}")
        return bool(await self._call("HEXISTS", self._keys(job_id)[2], index))

    async def unfinished(self, job_id: str, now: float) -> list[int]:
        reply = await self._script(self._unfinished, job_id, None, repr(now))
        return [int(index) for index in reply[1:]]

    async def status(self, job_id: str) -> JobStatus:
        values = await self._call("HMGET", self._keys(job_id)[0], *_STATUS_FIELDS)
        if values[0] is None:
            raise JobNotFoundError(job_id)
        counts = dict(zip(_STATUS_FIELDS[1:], map(int, values[1:]), strict=True))
        return JobStatus.from_counts(job_id, cancelled=values[0] == b"1", **counts)

    async def records(self, job_id: str) -> AsyncIterator[tuple[int, ChunkRecord | None]]:
        chunks_total = await self._chunks_total(job_id)
        records_key = self._keys(job_id)[2]
        for start in range(0, chunks_total, _PAGE):
            indexes = range(start, min(start + _PAGE, chunks_total))
            blobs = await self._call("HMGET", records_key, *indexes)
            for index, blob in zip(indexes, blobs, strict=True):
                yield index, None if blob is None else decode_record(blob)

    async def rate_wait(self, job_id: str, rate: float, now: float) -> float:
        burst = 1.0  # paced: see JobStore.rate_wait
        reply = await self._script(
            self._rate_wait, job_id, None, repr(float(rate)), repr(burst), repr(now)
        )
        return float(reply[1])

    async def aclose(self) -> None:
        """Close the store's connections."""
        await self._redis.aclose()


def _check_prefix(key_prefix: str) -> None:
    if "{" in key_prefix or "}" in key_prefix:
        raise ValueError(f"a key prefix has no braces (the job id is the hash tag): {key_prefix!r}")


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _scrub(text: str, password: str | None) -> str:
    """`text` without `password`, should a library's message quote it."""
    return text.replace(password, "***") if password else text
