"""Just enough TOML for a flat config file, for Python 3.10 (3.11+ uses ``tomllib``).

Reads top-level ``key = value`` lines: basic ("...") and literal ('...')
strings, ``true``/``false``, integers and floats, with ``#`` comments and blank
lines. Anything else is refused. Error messages give the line number only,
never the line: a config file holds the access token.
"""

from __future__ import annotations

import json
import re

__all__ = ["TomlLiteError", "loads"]

_KEY = re.compile(r"[A-Za-z0-9_-]+")
_NUMBER = re.compile(r"[+-]?(?:\d[\d_]*)(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?")


class TomlLiteError(ValueError):
    """The text is not in the supported subset of TOML."""


def loads(text: str) -> dict[str, object]:
    """The key/value pairs of ``text``."""
    values: dict[str, object] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, rest = line.partition("=")
        key = key.strip()
        if not sep or not _KEY.fullmatch(key):
            raise TomlLiteError(f"line {number}: expected key = value (tables are not supported)")
        if key in values:
            raise TomlLiteError(f"line {number}: {key} is set twice")
        value, tail = _value(rest.strip(), number)
        if tail.strip() and not tail.strip().startswith("#"):
            raise TomlLiteError(f"line {number}: unexpected text after the value of {key}")
        values[key] = value
    return values


def _value(text: str, number: int) -> tuple[object, str]:
    """The value at the start of ``text`` and what follows it."""
    if text.startswith('"'):
        # A TOML basic string on one line reads like a JSON string.
        try:
            value, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError:
            raise TomlLiteError(f"line {number}: unterminated or invalid string") from None
        return value, text[end:]
    if text.startswith("'"):
        end = text.find("'", 1)
        if end < 0:
            raise TomlLiteError(f"line {number}: unterminated string")
        return text[1:end], text[end + 1 :]
    word = text.partition("#")[0].strip()
    if word in ("true", "false"):
        return word == "true", ""
    if _NUMBER.fullmatch(word):
        digits = word.replace("_", "")
        is_float = any(c in digits for c in ".eE")
        return (float(digits) if is_float else int(digits)), ""
    raise TomlLiteError(
        f"line {number}: unsupported value (use a quoted string, a number or a bool)"
    )
