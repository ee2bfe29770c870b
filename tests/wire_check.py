"""Checks a request as it reached a server against the catalog's facts of its operation.

:func:`request_problems` lists every way the request differs from what the
operation defines: a wrong verb or path, a missing required parameter, a query
parameter, body field or header the operation does not define (beyond the
shared ones), or a value of the wrong JSON type. An empty list means the
request has the spec's form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lanying_async.catalog import SHARED_HEADERS, Field, Operation
from lanying_async.emulator.recorder import RecordedRequest

__all__ = ["HTTP_HEADERS", "request_problems", "value_problems"]

HTTP_HEADERS = frozenset(
    {
        "host",
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "content-type",
        "user-agent",
    }
)
"""Headers of HTTP itself, which no operation lists."""

HIDDEN_HEADERS = frozenset({"access-token"})
"""Headers a recorded request never shows (the emulator drops the token)."""

_LIMITS = {"int32": 2**31, "int64": 2**63}
_INTEGER = re.compile(r"-?[0-9]+")


def _integer_ok(value: int, kind: str) -> bool:
    return -_LIMITS[kind] <= value < _LIMITS[kind]


def _text_problem(text: str, kind: str) -> str | None:
    """Why a query or header value does not spell a ``kind`` (None when it does)."""
    if kind in _LIMITS:
        if not _INTEGER.fullmatch(text) or not _integer_ok(int(text), kind):
            return f"{text!r} is not an {kind}"
    elif kind == "number":
        try:
            float(text)
        except ValueError:
            return f"{text!r} is not a number"
    elif kind == "boolean":
        if text not in ("true", "false"):
            return f"{text!r} is not true or false"
    elif kind != "string":
        return f"a {kind} cannot travel as text"
    return None


def _scalar_problem(value: Any, kind: str) -> str | None:
    if kind in _LIMITS:
        ok = isinstance(value, int) and not isinstance(value, bool) and _integer_ok(value, kind)
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind == "string":
        ok = isinstance(value, str)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    else:
        raise AssertionError(f"unknown type {kind}")
    return None if ok else f"{value!r} is not a {kind}"


def value_problems(value: Any, field: Field, where: str) -> list[str]:
    """Why a JSON ``value`` does not fit ``field`` (its type, fields and required ones)."""
    if field.is_array:
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not an array"]
        element = Field(field.name, field.item_type, True, field.fields)  # type: ignore[arg-type]
        return [
            p
            for i, item in enumerate(value)
            for p in value_problems(item, element, f"{where}[{i}]")
        ]
    if field.open:
        return []  # any JSON value
    if field.type != "object":
        problem = _scalar_problem(value, field.type)
        return [] if problem is None else [f"{where}: {problem}"]
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not an object"]
    known = {f.name: f for f in field.fields}
    problems = [
        f"{where}.{name}: not a field of the operation" for name in value if name not in known
    ]
    for name, sub in known.items():
        if name in value:
            problems += value_problems(value[name], sub, f"{where}.{name}")
        elif sub.required:
            problems.append(f"{where}.{name}: required, missing")
    return problems


def _named_problems(
    sent: Mapping[str, str], defined: tuple[Field, ...], where: str, ignored: frozenset[str]
) -> list[str]:
    known = {f.name.lower(): f for f in defined}
    problems = []
    for name, text in sent.items():
        field = known.get(name.lower())
        if field is None:
            if name.lower() not in ignored:
                problems.append(f"{where} {name}: not defined by the operation")
            continue
        problem = _text_problem(text, field.type)
        if problem is not None:
            problems.append(f"{where} {name}: {problem}")
    present = {name.lower() for name in sent}
    problems += [
        f"{where} {f.name}: required, missing"
        for f in defined
        if f.required and f.name.lower() not in present | HIDDEN_HEADERS
    ]
    return problems


def request_problems(op: Operation, sent: RecordedRequest) -> list[str]:
    """Every way ``sent`` differs from ``op``'s wire form (none: it conforms).

    A ``string`` body is the text itself (``raw``), as the API reads it.
    """
    problems = []
    if (sent.method, sent.path) != (op.sends, op.path):
        problems.append(f"sent {sent.method} {sent.path}, the SDK should send {op.sends} {op.path}")
    problems += _named_problems(sent.query, op.query, "query", frozenset())
    # The acting user or group header goes with any operation an admin token calls,
    # even where the spec lists a query parameter of the same name instead.
    own = {h.name for h in op.headers}
    allowed = op.headers + tuple(h for h in SHARED_HEADERS if h.name not in own)
    problems += _named_problems(sent.headers, allowed, "header", HTTP_HEADERS)
    raw = sent.raw.strip()
    if op.body is None:
        if raw:
            problems.append(f"a body the operation does not take: {raw[:80]!r}")
    elif not raw:
        if op.body.required:
            problems.append("body: required, missing")
    elif op.body.type == "string":
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append("body: not UTF-8 text")
    else:
        problems += value_problems(sent.body, op.body, "body")
    return problems
