"""Reading the items of a job from a file or stdin, lazily, with bad lines reported.

Id and name lists hold one item per line; blank lines and ``#`` comments
are skipped, and so is a first line naming the column (``user_id``). A line
may also be a JSON object carrying the item under that name or under
``item``, so the JSONL that ``users export``, ``groups members`` and failure
reports write can be fed straight back in. (Users to import are read by
:mod:`lanying_async.cli.user_rows`.)

Parsing is a plain iterator; :func:`pulled` reads it in batches on a worker
thread so a slow pipe never stalls the requests in flight.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import stat
import sys
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

import anyio.to_thread

from lanying_async.cli.errors import UsageError
from lanying_async.cli.reports import FailureLedger

__all__ = [
    "count_records",
    "open_input",
    "parse_ids",
    "parse_strings",
    "pulled",
    "records",
]

T = TypeVar("T")

_DIGITS = re.compile(r"[0-9]+")
_SHOWN = 80
"""Characters of a bad line quoted in the report."""
PULL_BATCH = 1024
"""Items read per trip to the worker thread."""


@contextmanager
def open_input(path: str) -> Iterator[TextIO]:
    """The file at ``path``, or stdin for ``-`` (refused when it is a terminal)."""
    if path == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: give a FILE, or pipe the items into stdin")
        yield sys.stdin
        return
    try:
        # utf-8-sig drops the byte-order mark spreadsheets put in front of CSV.
        stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    with stream:
        yield stream


def _regular_file(stream: TextIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


def count_records(stream: TextIO, count: Callable[[TextIO], int]) -> int | None:
    """How many items a regular file holds (for the total and the ETA).

    None for pipes and terminals, which can be read only once.
    """
    if not _regular_file(stream):
        return None
    start = stream.tell()
    try:
        return count(stream)
    finally:
        stream.seek(start)


def records(lines: Iterable[str], header: str | None = None) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line that holds an item."""
    first = True
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if first and header is not None and text.lower() == header:
            first = False
            continue
        first = False
        yield number, text


def _shown(text: str) -> str:
    """A line as quoted in the report: cut short when long."""
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _json_field(text: str, key: str) -> object:
    """The item a JSON line carries under ``key`` (or ``item``); raises ValueError."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("not valid JSON") from None
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    if key in value:
        return value[key]
    if "item" in value:
        return value["item"]
    raise ValueError(f"no {key!r} field")


def parse_ids(
    lines: Iterable[str], key: str, ledger: FailureLedger, *, what: str = "id"
) -> Iterator[int]:
    """The ids in ``lines``; a line that holds none goes to the ledger."""
    for number, text in records(lines, header=key):
        try:
            value = _json_field(text, key) if text.startswith("{") else text
        except ValueError as exc:
            ledger.reject(number, _shown(text), str(exc))
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            yield value
        elif isinstance(value, str) and _DIGITS.fullmatch(value):
            yield int(value)
        else:
            ledger.reject(number, _shown(text), f"not a {what}")


def parse_strings(lines: Iterable[str], key: str, ledger: FailureLedger) -> Iterator[str]:
    """The names in ``lines`` (aliases, tags, tokens); a line that holds none goes to the ledger."""
    for number, text in records(lines, header=key):
        if not text.startswith("{"):
            yield text
            continue
        try:
            value = _json_field(text, key)
        except ValueError as exc:
            ledger.reject(number, _shown(text), str(exc))
            continue
        if isinstance(value, str) and value:
            yield value
        else:
            ledger.reject(number, _shown(text), f"{key} must be a non-empty string")


# --- off the event loop --------------------------------------------------------


def _take(items: Iterator[T], size: int) -> list[T]:
    return list(itertools.islice(items, size))


async def pulled(items: Iterator[T], batch: int = PULL_BATCH) -> AsyncGenerator[T, None]:
    """The items of a blocking iterator, read ``batch`` at a time on a worker thread."""
    while True:
        chunk = await anyio.to_thread.run_sync(_take, items, batch)
        if not chunk:
            return
        for item in chunk:
            yield item
