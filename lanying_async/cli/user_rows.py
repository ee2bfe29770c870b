"""Users to import, from CSV (with a header row) or JSON lines.

A row holds ``username`` and ``password`` and, optionally, profile fields
(``nickname``, ``description``, ``public_info``, ``private_info``). A row
that cannot be imported goes to the failure ledger under its username, never
with its password.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from lanying_async.cli.errors import UsageError
from lanying_async.cli.inputs import records
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


def read_users(stream: TextIO, fmt: UserFormat, ledger: FailureLedger) -> Iterator[NewUser]:
    """The users of a CSV or JSONL stream; a CSV header is checked at once.

    Rows that cannot be imported go to the ledger under their username (never
    with their password).
    """
    if fmt == "csv":
        return _csv_users(stream, ledger)
    return _jsonl_users(stream, ledger)


def _csv_users(stream: TextIO, ledger: FailureLedger) -> Iterator[NewUser]:
    reader = csv.reader(stream)
    header = next(reader, None)
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

    def rows() -> Iterator[NewUser]:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            user = _user(dict(zip(columns, row, strict=False)), reader.line_num, ledger)
            if user is not None:
                yield user

    return rows()


def _jsonl_users(stream: TextIO, ledger: FailureLedger) -> Iterator[NewUser]:
    for number, text in records(stream):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            ledger.reject(number, None, "not valid JSON")
            continue
        if not isinstance(value, dict):
            ledger.reject(number, None, "not a JSON object")
            continue
        unknown = sorted(set(value) - {"username", "password", *PROFILE_FIELDS})
        if unknown:
            ledger.reject(number, value.get("username"), f"unknown fields: {', '.join(unknown)}")
            continue
        user = _user(value, number, ledger)
        if user is not None:
            yield user


def _user(fields: dict[str, object], number: int, ledger: FailureLedger) -> NewUser | None:
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


def count_users(stream: TextIO, fmt: UserFormat) -> int:
    """Rows of a user file (the CSV header not counted)."""
    if fmt == "csv":
        rows = sum(1 for row in csv.reader(stream) if any(cell.strip() for cell in row))
        return max(0, rows - 1)
    return sum(1 for _ in records(stream))
