"""Client-side argument checks, run before anything is sent.

Every failure raises :class:`~lanying_async.errors.ValidationError` naming the
argument, so a bad call costs no request and says exactly what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lanying_async.errors import ValidationError

__all__ = [
    "MAX_PUSH_TARGETS",
    "check_id",
    "check_ids",
    "check_strings",
    "check_text",
    "check_username",
]

#: The API refuses push audiences with more values than this (code 12005).
MAX_PUSH_TARGETS = 500

_USERNAME = re.compile(r"[A-Za-z0-9_\u4e00-\u9fa5]+")
_RESERVED_PREFIXES = ("maxim", "mta")


def check_username(value: object, field: str = "username") -> str:
    """Letters, digits and underscore; not all digits; not starting with maxim/mta."""
    if not isinstance(value, str) or not value:
        raise ValidationError(field, "must be a non-empty string")
    if not _USERNAME.fullmatch(value):
        raise ValidationError(field, "may contain only letters, digits and underscore")
    if value.isdigit():
        raise ValidationError(field, "must not be all digits")
    if value.lower().startswith(_RESERVED_PREFIXES):
        raise ValidationError(field, "must not start with 'maxim' or 'mta'")
    return value


def check_text(value: object, field: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if not allow_empty and not value:
        raise ValidationError(field, "must not be empty")
    return value


def check_id(value: object, field: str) -> int:
    """A positive int id (bools are refused: ``True`` is not user 1)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"must be a positive int id, got {type(value).__name__}")
    if value <= 0:
        raise ValidationError(field, f"must be a positive int id, got {value}")
    return int(value)


def check_ids(values: Iterable[int], field: str, *, max_items: int | None = None) -> list[int]:
    """A non-empty list of positive int ids, at most ``max_items`` long."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(field, "must be a list of int ids")
    ids = list(values)
    if not ids:
        raise ValidationError(field, "must not be empty")
    for index, value in enumerate(ids):
        if type(value) is not int:
            check_id(value, f"{field}[{index}]")
        elif value <= 0:
            raise ValidationError(f"{field}[{index}]", f"must be a positive int id, got {value}")
    if max_items is not None and len(ids) > max_items:
        raise ValidationError(field, f"has {len(ids)} items; at most {max_items} are allowed")
    return ids


def check_strings(values: Iterable[str], field: str, *, max_items: int | None = None) -> list[str]:
    """A non-empty list of non-empty strings, at most ``max_items`` long."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(field, "must be a list of strings")
    items = list(values)
    if not items:
        raise ValidationError(field, "must not be empty")
    for index, value in enumerate(items):
        check_text(value, f"{field}[{index}]")
    if max_items is not None and len(items) > max_items:
        raise ValidationError(field, f"has {len(items)} items; at most {max_items} are allowed")
    return items
