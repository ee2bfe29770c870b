"""Reading the items of a job from its input lines, lazily, with bad lines reported.

Id and name lists hold one item per line; blank lines and ``#`` comments
are skipped, and so is a first line naming the column (``user_id``). A line
may also be a JSON object carrying the item under that name or under
``item``, so the JSONL that ``users export``, ``groups members`` and failure
reports write can be fed straight back in. (Users to import are read by
`lanying_async.cli.user_rows`.)

Each item comes as a `Record` that knows its line, so a job that
stops early can say where the unread rest of its input starts. A ``keep``
test (see `lanying_async.cli.retry`) passes over the items a retry does
not want, unread lines included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from lanying_async.cli.errors import UsageError
from lanying_async.cli.reports import NOT_READ, FailureLedger

__all__ = ["Keep", "Record", "parse_ids", "parse_strings", "records"]

T = TypeVar("T")

_DIGITS = re.compile(r"[0-9]+")
_SHOWN = 80
"""Characters of a bad line quoted in the report."""

Keep = Callable[[int, object], bool]
"""Whether to take the item starting at this line, with this value (None: unreadable)."""


@dataclass(frozen=True, slots=True)
class Record(Generic[T]):
    """One item of the input and where it stands."""

    line: int
    """The line it starts on (counting from 1)."""
    after: int
    """The line after it: where the next item may start."""
    value: T


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


def _json_field(text: str, key: str, line: int) -> object:
    """The item a JSON line carries under ``key`` (or ``item``); raises ValueError."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("not valid JSON") from None
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    if key in value:
        return value[key]
    if value.get("status") == NOT_READ and value.get("item") is None:
        raise UsageError(
            f"line {line} is a report's note that its job's input was not read from line "
            f"{value.get('line')} on: give the job's own input and --retry-from REPORT instead"
        )
    if "item" in value:
        return value["item"]
    raise ValueError(f"no {key!r} field")


def _read_field(text: str, key: str, line: int) -> object:
    """The item of a line: the JSON object's field, or the line itself."""
    return _json_field(text, key, line) if text.startswith("{") else text


def parse_ids(
    lines: Iterable[str],
    key: str,
    ledger: FailureLedger,
    *,
    what: str = "id",
    keep: Keep | None = None,
) -> Iterator[Record[int]]:
    """The ids in ``lines``; a line that holds none goes to the ledger (if kept)."""
    for number, text in records(lines, header=key):
        value: int | None = None
        problem = f"not a {what}"
        try:
            field = _read_field(text, key, number)
        except ValueError as exc:
            problem = str(exc)
        else:
            if isinstance(field, int) and not isinstance(field, bool):
                value = field
            elif isinstance(field, str) and _DIGITS.fullmatch(field):
                value = int(field)
        if keep is not None and not keep(number, value):
            continue
        if value is None:
            ledger.reject(number, _shown(text), problem)
        else:
            yield Record(number, number + 1, value)


def parse_strings(
    lines: Iterable[str], key: str, ledger: FailureLedger, *, keep: Keep | None = None
) -> Iterator[Record[str]]:
    """The names in ``lines`` (aliases, tags, tokens); a line that holds none goes to the ledger."""
    for number, text in records(lines, header=key):
        value: str | None = None
        problem = f"{key} must be a non-empty string"
        try:
            field = _read_field(text, key, number)
        except ValueError as exc:
            problem = str(exc)
        else:
            if isinstance(field, str) and field:
                value = field
        if keep is not None and not keep(number, value):
            continue
        if value is None:
            ledger.reject(number, _shown(text), problem)
        else:
            yield Record(number, number + 1, value)
