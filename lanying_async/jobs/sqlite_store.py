"""The job store in one SQLite file: durable jobs on one machine, with no server.

``SqliteJobStore(path)`` (or ``open_store("sqlite:///PATH")``) keeps the
[`JobStore`][lanying_async.jobs.store.JobStore] contract in a file any number of
processes on the machine may share: each step of the contract is one
``BEGIN IMMEDIATE`` transaction (the database's write lock, taken up front),
the file is in WAL mode so readers never wait for a writer, and a process
that waits for another's lock waits up to ``busy_timeout`` seconds. Commits
are synchronous (``synchronous=FULL``): a step that returned survives the
process being killed, and the machine losing power. A row overwritten (the
passwords of a register chunk, once it is recorded) is zeroed in the file;
its old version stays in the write-ahead log until SQLite's next
checkpoint (closing the store, unless another process reads the file, empties the log).

sqlite3 blocks, so every call runs on a worker thread, one at a time per
store (one connection, never shared by two threads at once).
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from lanying_async.jobs.codec import decode_items, decode_record, decode_spec, encode
from lanying_async.jobs.model import ChunkRecord, JobSpec, JobStatus, Lease
from lanying_async.jobs.store import JobNotFoundError

__all__ = ["SqliteJobStore"]

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    spec BLOB NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL,
    chunks_total INTEGER NOT NULL,
    chunks_done INTEGER NOT NULL DEFAULT 0,
    items_done INTEGER NOT NULL DEFAULT 0,
    succeeded INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    outcome_unknown INTEGER NOT NULL DEFAULT 0,
    not_started INTEGER NOT NULL DEFAULT 0,
    rate_tokens REAL,
    rate_at REAL
);
CREATE TABLE IF NOT EXISTS chunks (
    job_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    items BLOB NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    record BLOB,
    token TEXT,
    expires_at REAL,
    attempt INTEGER NOT NULL DEFAULT 0,
    first_sent_at REAL,
    PRIMARY KEY (job_id, idx)
) WITHOUT ROWID;
"""
_PAGE = 256
"""Chunks read per query by ``records``."""


class SqliteJobStore:
    """A [`JobStore`][lanying_async.jobs.store.JobStore] in the SQLite file at ``path``.

    The file and its tables are created when missing. ``busy_timeout`` is how
    long a step waits for another process's write to end.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(
            self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        self._lock = threading.Lock()
        self._turns = anyio.CapacityLimiter(1)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # Rows overwritten (a register chunk's passwords, once it is recorded) are
            # zeroed, not left in free space.
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.executescript(_SCHEMA)
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def from_url(cls, url: str) -> SqliteJobStore:
        """``sqlite:///relative/path`` or ``sqlite:////absolute/path`` (three slashes,
        then the path)."""
        prefix = "sqlite:///"
        if not url.startswith(prefix) or len(url) == len(prefix):
            raise ValueError(f"not a sqlite:///PATH store URL: {url!r}")
        return cls(url[len(prefix) :])

    def __repr__(self) -> str:
        return f"SqliteJobStore({str(self.path)!r})"

    # --- running steps off the event loop ----------------------------------

    async def _run(self, step: Callable[[sqlite3.Connection], T]) -> T:
        return await anyio.to_thread.run_sync(self._locked, step, limiter=self._turns)

    def _locked(self, step: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return step(self._db)

    async def _write(self, step: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``step`` as one write transaction (all of it, or none of it)."""

        def transaction(db: sqlite3.Connection) -> T:
            db.execute("BEGIN IMMEDIATE")
            try:
                result = step(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return result

        return await self._run(transaction)

    # --- the contract -------------------------------------------------------

    async def create_job(self, spec: JobSpec, chunks: Sequence[Sequence[Any]]) -> str:
        job_id = secrets.token_hex(8)
        spec_blob = encode(spec)
        rows = [(job_id, index, encode(list(chunk))) for index, chunk in enumerate(chunks)]
        total = sum(len(chunk) for chunk in chunks)

        def create(db: sqlite3.Connection) -> str:
            db.execute(
                "INSERT INTO jobs (job_id, spec, total, chunks_total) VALUES (?, ?, ?, ?)",
                (job_id, spec_blob, total, len(rows)),
            )
            db.executemany("INSERT INTO chunks (job_id, idx, items) VALUES (?, ?, ?)", rows)
            return job_id

        return await self._write(create)

    async def spec(self, job_id: str) -> JobSpec:
        def read(db: sqlite3.Connection) -> bytes:
            row = db.execute("SELECT spec FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(job_id)
            return bytes(row[0])

        return decode_spec(await self._run(read))

    async def chunk_items(self, job_id: str, index: int) -> list[Any]:
        def read(db: sqlite3.Connection) -> bytes:
            return bytes(_chunk(db, job_id, index, "items")[0])

        return decode_items(await self._run(read))

    async def take_lease(
        self, job_id: str, index: int, token: str, seconds: float, now: float
    ) -> Lease | None:
        def take(db: sqlite3.Connection) -> Lease | None:
            if _cancelled(db, job_id):
                return None
            done, held_by, expires_at, attempt, first_sent_at = _chunk(
                db, job_id, index, "done, token, expires_at, attempt, first_sent_at"
            )
            if done or (held_by is not None and expires_at > now):
                return None
            db.execute(
                "UPDATE chunks SET token = ?, expires_at = ?, attempt = attempt + 1 "
                "WHERE job_id = ? AND idx = ?",
                (token, now + seconds, job_id, index),
            )
            return Lease(token, now + seconds, attempt + 1, first_sent_at)

        return await self._write(take)

    async def renew_lease(
        self, job_id: str, index: int, token: str, seconds: float, now: float
    ) -> bool:
        def renew(db: sqlite3.Connection) -> bool:
            changed = db.execute(
                "UPDATE chunks SET expires_at = ? "
                "WHERE job_id = ? AND idx = ? AND token = ? AND done = 0",
                (now + seconds, job_id, index, token),
            ).rowcount
            return bool(changed)

        return await self._write(renew)

    async def mark_sent(self, job_id: str, index: int, token: str, now: float) -> float | None:
        def mark(db: sqlite3.Connection) -> float | None:
            if _cancelled(db, job_id):
                return None
            done, held_by, first_sent_at = _chunk(db, job_id, index, "done, token, first_sent_at")
            if done or held_by != token:
                return None
            if first_sent_at is None:
                db.execute(
                    "UPDATE chunks SET first_sent_at = ? WHERE job_id = ? AND idx = ?",
                    (now, job_id, index),
                )
                return now
            return float(first_sent_at)

        return await self._write(mark)

    async def release_lease(self, job_id: str, index: int, token: str) -> None:
        def release(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE chunks SET token = NULL, expires_at = NULL "
                "WHERE job_id = ? AND idx = ? AND token = ?",
                (job_id, index, token),
            )

        await self._write(release)

    async def finish_chunk(
        self, job_id: str, index: int, token: str, record: ChunkRecord, now: float
    ) -> bool:
        record_blob = encode(record)
        items_blob = encode(record.items)

        def finish(db: sqlite3.Connection) -> bool:
            done, held_by = _chunk(db, job_id, index, "done, token")
            if done or held_by != token:
                return False
            db.execute(
                "UPDATE chunks SET done = 1, record = ?, items = ?, token = NULL, "
                "expires_at = NULL WHERE job_id = ? AND idx = ?",
                (record_blob, items_blob, job_id, index),
            )
            db.execute(
                "UPDATE jobs SET chunks_done = chunks_done + 1, items_done = items_done + ?, "
                "succeeded = succeeded + ?, failed = failed + ?, "
                "outcome_unknown = outcome_unknown + ?, not_started = not_started + ? "
                "WHERE job_id = ?",
                (
                    len(record.items),
                    len(record.succeeded),
                    len(record.failed),
                    len(record.outcome_unknown),
                    len(record.not_started),
                    job_id,
                ),
            )
            return True

        return await self._write(finish)

    async def cancel(self, job_id: str) -> None:
        def cancel(db: sqlite3.Connection) -> None:
            _job(db, job_id, "job_id")
            # A job every chunk of which is done stays done.
            db.execute(
                "UPDATE jobs SET cancelled = 1 WHERE job_id = ? AND chunks_done < chunks_total",
                (job_id,),
            )

        await self._write(cancel)

    async def chunk_done(self, job_id: str, index: int) -> bool:
        def read(db: sqlite3.Connection) -> bool:
            return bool(_chunk(db, job_id, index, "done")[0])

        return await self._run(read)

    async def unfinished(self, job_id: str, now: float) -> list[int]:
        def read(db: sqlite3.Connection) -> list[int]:
            _job(db, job_id, "job_id")
            rows = db.execute(
                "SELECT idx FROM chunks WHERE job_id = ? AND done = 0 "
                "AND (token IS NULL OR expires_at <= ?) ORDER BY idx",
                (job_id, now),
            ).fetchall()
            return [int(row[0]) for row in rows]

        return await self._run(read)

    async def status(self, job_id: str) -> JobStatus:
        def read(db: sqlite3.Connection) -> JobStatus:
            (
                cancelled,
                total,
                chunks_total,
                chunks_done,
                items_done,
                succeeded,
                failed,
                unknown,
                not_started,
            ) = _job(
                db,
                job_id,
                "cancelled, total, chunks_total, chunks_done, items_done, succeeded, failed, "
                "outcome_unknown, not_started",
            )
            return JobStatus.from_counts(
                job_id,
                cancelled=bool(cancelled),
                total=total,
                chunks_total=chunks_total,
                chunks_done=chunks_done,
                items_done=items_done,
                succeeded=succeeded,
                failed=failed,
                outcome_unknown=unknown,
                not_started=not_started,
            )

        return await self._run(read)

    async def records(self, job_id: str) -> AsyncIterator[tuple[int, ChunkRecord | None]]:
        def page(start: int) -> list[tuple[int, bytes | None]]:
            def read(db: sqlite3.Connection) -> list[tuple[int, bytes | None]]:
                if start == 0:
                    _job(db, job_id, "job_id")
                rows = db.execute(
                    "SELECT idx, record FROM chunks WHERE job_id = ? AND idx >= ? "
                    "ORDER BY idx LIMIT ?",
                    (job_id, start, _PAGE),
                ).fetchall()
                return [(int(idx), None if blob is None else bytes(blob)) for idx, blob in rows]

            return self._locked(read)

        start = 0
        while True:
            rows = await anyio.to_thread.run_sync(page, start, limiter=self._turns)
            for index, blob in rows:
                yield index, None if blob is None else decode_record(blob)
            if len(rows) < _PAGE:
                return
            start = rows[-1][0] + 1

    async def rate_wait(self, job_id: str, rate: float, now: float) -> float:
        burst = 1.0  # paced: see JobStore.rate_wait

        def take_turn(db: sqlite3.Connection) -> float:
            tokens, at = _job(db, job_id, "rate_tokens, rate_at")
            if tokens is None:
                tokens, at = burst, now
            # A clock behind the last caller's (another process) refills nothing.
            tokens = min(burst, tokens + max(0.0, now - at) * rate) - 1
            db.execute(
                "UPDATE jobs SET rate_tokens = ?, rate_at = ? WHERE job_id = ?",
                (tokens, max(now, at), job_id),
            )
            return 0.0 if tokens >= 0 else -tokens / rate

        return await self._write(take_turn)

    async def aclose(self) -> None:
        """Close the file; its write-ahead log (old versions of rows) is emptied first."""

        def close(db: sqlite3.Connection) -> None:
            # Another process reading the file keeps the log: it empties it when it closes.
            with contextlib.suppress(sqlite3.Error):
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()

        await self._run(close)


def _job(db: sqlite3.Connection, job_id: str, columns: str) -> Any:
    row = db.execute(f"SELECT {columns} FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
    if row is None:
        raise JobNotFoundError(job_id)
    return row


def _cancelled(db: sqlite3.Connection, job_id: str) -> bool:
    return bool(_job(db, job_id, "cancelled")[0])


def _chunk(db: sqlite3.Connection, job_id: str, index: int, columns: str) -> Any:
    row = db.execute(
        f"SELECT {columns} FROM chunks WHERE job_id = ? AND idx = ?", (job_id, index)
    ).fetchone()
    if row is None:
        _job(db, job_id, "job_id")
        raise JobNotFoundError(f"{job_id}: no chunk {index}")
    return row
