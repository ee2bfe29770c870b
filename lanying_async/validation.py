"""Client-side argument checks, run before anything is sent.

Every failure raises [`ValidationError`][lanying_async.errors.base.ValidationError] naming the
argument, so a bad call costs no request and says exactly what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum
from typing import Annotated, Any, TypeVar

import msgspec

from lanying_async.errors import ValidationError

__all__ = [
    "INT32_MAX",
    "INT64_MAX",
    "INT64_MIN",
    "MAX_PUSH_TARGETS",
    "check_bool",
    "check_encodable",
    "check_encodes",
    "check_enum",
    "check_id",
    "check_ids",
    "check_int",
    "check_strings",
    "check_text",
    "check_username",
    "checked_id_sequence",
    "json_text",
    "optional_bool",
    "optional_json_text",
    "optional_text",
]

EnumT = TypeVar("EnumT", bound=IntEnum)

MAX_PUSH_TARGETS = 500
"""The API refuses push audiences with more values than this (code 12005)."""

INT32_MAX = 2**31 - 1
"""The largest value of the API's 32-bit integer fields (badge, device serial number)."""
INT64_MIN = -(2**63)
"""The bounds of the API's 64-bit integer fields."""
INT64_MAX = 2**63 - 1

_USERNAME = re.compile(r"[A-Za-z0-9_\u4e00-\u9fa5]+")
# The spec's pattern says (?!mta|maxim): lower case only, so "Maxim_1" is a valid name.
_RESERVED_PREFIXES = ("maxim", "mta")
# A lone surrogate (e.g. "\udc80" from bytes decoded with surrogateescape) has no
# UTF-8 form: a body refuses to encode it and a query string silently drops it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_NO_UTF8 = "holds a lone surrogate, which has no UTF-8 form and cannot be sent"
_json = msgspec.json.Encoder()


_PositiveId = Annotated[int, msgspec.Meta(gt=0, le=2**63 - 1)]
"""A positive plain int within int64, the spec's type for ids (msgspec refuses
bools where ints are asked)."""


def check_username(value: object, field: str = "username") -> str:
    """The spec's registration rule: letters, digits, underscore and CJK ideographs;
    not all digits; not starting with `maxim` or `mta` (lower case, as the spec
    writes them)."""
    if not isinstance(value, str) or not value:
        raise ValidationError(field, "must be a non-empty string")
    check_encodable(value, field)
    if not _USERNAME.fullmatch(value):
        raise ValidationError(field, "may contain only letters, digits and underscore")
    if value.isdigit():
        raise ValidationError(field, "must not be all digits")
    if value.startswith(_RESERVED_PREFIXES):
        raise ValidationError(field, "must not start with 'maxim' or 'mta'")
    return value


def check_encodable(value: str, field: str) -> str:
    """`value` if it has a UTF-8 form, i.e. holds no lone surrogate."""
    if value.isascii():  # the common case, one pass in C
        return value
    found = _SURROGATE.search(value)
    if found is not None:
        # Position and code point only: the text may be a password.
        where = f"U+{ord(found.group()):04X} at index {found.start()}"
        raise ValidationError(field, f"{_NO_UTF8} ({where})")
    return value


def check_text(value: object, field: str, *, allow_empty: bool = False) -> str:
    """A string with a UTF-8 form, non-empty unless `allow_empty`."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if not allow_empty and not value:
        raise ValidationError(field, "must not be empty")
    return value if value.isascii() else check_encodable(value, field)


def check_id(value: object, field: str) -> int:
    """A positive int64 id, the spec's type for ids (bools are refused: `True` is not user 1)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"must be a positive int id, got {type(value).__name__}")
    if value <= 0 or value > INT64_MAX:
        raise ValidationError(field, f"must be a positive int id (int64), got {value}")
    return int(value)


def check_ids(values: Iterable[int], field: str, *, max_items: int | None = None) -> list[int]:
    """A non-empty list of positive int ids, at most `max_items` long."""
    ids: list[int] = _checked_ids(values, field, list[_PositiveId], max_items)
    return ids


def checked_id_sequence(values: Iterable[int], field: str) -> Sequence[int]:
    """Ids checked like [`check_ids()`][lanying_async.validation.check_ids], for a job that reads
    them as it runs.

    A list or tuple is checked and returned as it is, not copied: for a
    million ids a copy would cost a pass over every id, and a young garbage
    collection another three over the copy. Any other collection (a set, a
    dict's keys) is copied into a tuple once, which fixes its order.
    """
    checked: tuple[int, ...] = _checked_ids(values, field, tuple[_PositiveId, ...], None)
    return values if isinstance(values, list | tuple) else checked


def _checked_ids(values: Iterable[int], field: str, shape: Any, max_items: int | None) -> Any:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(field, "must be a list of int ids")
    if not isinstance(values, list | tuple):
        values = list(values)
    try:
        ids = msgspec.convert(values, shape)  # one pass in C; the message comes from below
    except msgspec.ValidationError as exc:
        for index, value in enumerate(values):
            check_id(value, f"{field}[{index}]")  # names the bad one
        raise ValidationError(field, f"must be positive int ids ({exc})") from None
    if not ids:
        raise ValidationError(field, "must not be empty")
    if max_items is not None and len(ids) > max_items:
        raise ValidationError(field, f"has {len(ids)} items; at most {max_items} are allowed")
    return ids


def check_strings(values: Iterable[str], field: str, *, max_items: int | None = None) -> list[str]:
    """A non-empty list of non-empty strings, at most `max_items` long."""
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


def optional_text(value: object, field: str, *, allow_empty: bool = False) -> str | None:
    """None, or a string checked like [`check_text()`][lanying_async.validation.check_text]."""
    return None if value is None else check_text(value, field, allow_empty=allow_empty)


def check_bool(value: object, field: str) -> bool:
    """`True` or `False` (not merely truthy: `1` and `"yes"` are refused)."""
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be a bool (True or False), got {type(value).__name__}")
    return value


def optional_bool(value: object, field: str) -> bool | None:
    """None, or a bool checked like [`check_bool()`][lanying_async.validation.check_bool]."""
    return None if value is None else check_bool(value, field)


def check_int(
    value: object,
    field: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    kind: str = "an int",
) -> int:
    """An int within `minimum`/`maximum` (both inclusive; bools are refused).

    `kind` describes the value in the message, e.g. `"an int hour"` gives
    `"must be an int hour from 0 to 23, got 24"`.
    """
    if minimum is not None and maximum is not None:
        bounds = f" from {minimum} to {maximum}"
    elif minimum is not None:
        bounds = f" of at least {minimum}"
    elif maximum is not None:
        bounds = f" of at most {maximum}"
    else:
        bounds = ""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            field, f"must be {kind}{bounds}, got {type(value).__name__} {value!r}"
        )
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValidationError(field, f"must be {kind}{bounds}, got {value}")
    return int(value)


def check_enum(enum_type: type[EnumT], value: object, field: str) -> EnumT:
    """A member of the int enum `enum_type`, given as a member or as its int value.

    Bools are refused (`True` is not code 1); the message lists the choices.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return enum_type(value)
        except ValueError:
            pass
    allowed = ", ".join(f"{member.name}={member.value}" for member in enum_type)
    raise ValidationError(field, f"must be a {enum_type.__name__}, one of {allowed}; got {value!r}")


def json_text(value: str | Mapping[str, Any], field: str, *, allow_empty: bool = True) -> str:
    """A string as it is, or a mapping as the compact JSON text the API stores.

    With `allow_empty=False` an empty string is refused (an empty mapping
    still gives `"{}"`).
    """
    if isinstance(value, str):
        return check_text(value, field, allow_empty=allow_empty)
    if isinstance(value, Mapping):
        try:
            return _json.encode(value).decode()
        except UnicodeEncodeError:
            where = _surrogate_path(value, field) or field
            raise ValidationError(where, _NO_UTF8) from None
        except (TypeError, msgspec.EncodeError) as exc:
            raise ValidationError(field, f"is not JSON-encodable: {exc}") from None
    raise ValidationError(field, f"must be a string or a mapping, got {type(value).__name__}")


def check_encodes(value: object, field: str) -> None:
    """`value` (a request struct, a mapping) encodes to JSON: none of its texts
    holds a lone surrogate. Raises `ValidationError` naming where one sits."""
    try:
        _json.encode(value)
    except UnicodeEncodeError:
        where = _surrogate_path(msgspec.to_builtins(value), field) or field
        raise ValidationError(where, _NO_UTF8) from None


def _surrogate_path(value: object, field: str) -> str | None:
    """Where in nested JSON data a lone surrogate sits, e.g. `ext['k'][2]`.

    Called only once encoding failed, so the walk costs nothing in the common case.
    """
    if isinstance(value, str):
        return field if _SURROGATE.search(value) else None
    children: Iterable[tuple[object, object]] = ()
    if isinstance(value, Mapping):
        for key in value:
            if isinstance(key, str) and _SURROGATE.search(key):
                return f"{field} key {key!a}"
        children = value.items()
    elif isinstance(value, list | tuple):
        children = enumerate(value)
    for key, child in children:
        found = _surrogate_path(child, f"{field}[{key!a}]")
        if found is not None:
            return found
    return None


def optional_json_text(
    value: str | Mapping[str, Any] | None, field: str, *, allow_empty: bool = True
) -> str | None:
    """None, or the text of [`json_text()`][lanying_async.validation.json_text]."""
    return None if value is None else json_text(value, field, allow_empty=allow_empty)
