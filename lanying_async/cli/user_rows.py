"""Users to import, from CSV (with a header row) or JSON lines.

A row holds ``username`` and ``password`` and, optionally, profile fields
(``nickname``, ``description``, ``public_info``, ``private_info``). A row
that cannot be imported goes to the failure ledger under its username, never
with its password.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lanying_async.cli.errors import UsageError
from lanying_async.cli.inputs import Keep, Record, records
from lanying_async.cli.reports import FailureLedger

__all__ = ["PROFILE_FIELDS", "NewUser", "UserFormat", "count_users", "read_users", "user_format"]

UserFormat = Literal["csv", "jsonl"]

PROFILE_FIELDS = {
    "nickname": "nick_name",
    "nick_name": "nick_name",
    "description": "description",
    "public_info": "public_info",
    "private_info": "private_info",
}
"""Optional user columns, and the profile field each one sets."""


@dataclass(frozen=True, slots=True)
class NewUser:
    """One user to import: credentials and the profile fields to set afterwards."""

    username: str
    password: str = field(repr=False)
    profile: dict[str, str] = field(default_factory=dict)
    """Profile field name (``nick_name``, ...) to value; empty when none is given."""


def user_format(path: str, explicit: UserFormat | None) -> UserFormat:
    """The format asked for, else the one the file name says (CSV by default)."""
    if explicit is not None:
        return explicit
    return "jsonl" if Path(path).suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"


def read_users(
    lines: Iterable[str], fmt: UserFormat, ledger: FailureLedger, keep: Keep | None = None
) -> Iterator[Record[NewUser]]:
    """The users of CSV or JSONL lines (only those ``keep`` takes); a CSV header is checked.

    Rows that cannot be imported go to the ledger under their username (never
    with their password).
    """
    if fmt == "csv":
        return _csv_users(lines, ledger, keep)
    return _jsonl_users(lines, ledger, keep)


def _csv_users(
    lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
) -> Iterator[Record[NewUser]]:
    reader = csv.reader(lines)
    header = _next_row(reader)
    if header is None:
        return iter(())
    columns = [name.strip().lower() for name in header]
    unknown = [c for c in columns if c not in PROFILE_FIELDS and c not in ("username", "password")]
    if "username" not in columns or "password" not in columns or unknown:
        detail = f" (unknown: {', '.join(unknown)})" if unknown else ""
        raise UsageError(
            "the CSV needs a header row with username and password columns, and optionally "
            f"{', '.join(PROFILE_FIELDS)}{detail}"
        )

    def rows() -> Iterator[Record[NewUser]]:
        while True:
            start = reader.line_num + 1  # a quoted cell may run over several lines
            row = _next_row(reader)
            if row is None:
                return
            if not any(cell.strip() for cell in row):
                continue
            fields = dict(zip(columns, row, strict=False))
            if keep is not None and not keep(start, _username(fields)):
                continue
            user = _user(fields, start, ledger)
            if user is not None:
                yield Record(start, reader.line_num + 1, user)

    return rows()


def _next_row(reader: Iterator[list[str]]) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as exc:
        line = getattr(reader, "line_num", 0)
        raise UsageError(f"line {line}: not readable as CSV ({exc}); nothing was sent") from None


def _username(fields: Mapping[str, object]) -> str | None:
    username = fields.get("username")
    if not isinstance(username, str):
        return None
    return username.strip() or None


def _jsonl_users(
    lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
) -> Iterator[Record[NewUser]]:
    for number, text in records(lines):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
            problem = "not valid JSON"
        else:
            problem = "not a JSON object"
        fields = value if isinstance(value, dict) else None
        if keep is not None and not keep(number, None if fields is None else _username(fields)):
            continue
        if fields is None:
            ledger.reject(number, None, problem)
            continue
        unknown = sorted(set(fields) - {"username", "password", *PROFILE_FIELDS})
        if unknown:
            ledger.reject(number, fields.get("username"), f"unknown fields: {', '.join(unknown)}")
            continue
        user = _user(fields, number, ledger)
        if user is not None:
            yield Record(number, number + 1, user)


def _user(fields: Mapping[str, object], number: int, ledger: FailureLedger) -> NewUser | None:
    username, password = fields.get("username"), fields.get("password")
    if not isinstance(username, str) or not username.strip():
        ledger.reject(number, None, "username is missing")
        return None
    username = username.strip()
    if not isinstance(password, str) or not password:
        ledger.reject(number, username, "password is missing")
        return None
    profile: dict[str, str] = {}
    for column, name in PROFILE_FIELDS.items():
        value = fields.get(column)
        if isinstance(value, str) and value.strip():
            profile[name] = value.strip()
        elif value is not None and not isinstance(value, str):
            ledger.reject(number, username, f"{column} must be a string")
            return None
    return NewUser(username, password, profile)


def count_users(lines: Iterable[str], fmt: UserFormat, keep: Keep | None = None) -> int:
    """Users and unreadable rows of a user file (the CSV header not counted)."""
    scratch = FailureLedger()
    return sum(1 for _ in read_users(lines, fmt, scratch, keep)) + len(scratch.invalid)
