"""The operation catalog: every API operation, the SDK method that performs it, and its wire form.

Facts only: the HTTP methods the API accepts on a path, the one the SDK sends
(where a path takes two verbs for the same operation, the SDK uses the one the
guide shows, else the non-POST verb for updates and deletes and POST for sends),
the `service.method` a client exposes, and the parameters of the request the
SDK sends (headers, query, JSON body, with their types and required flags).
The test suite checks this table against the vendor's specification, checks
every request the SDK sends against it, and proves every row runs against the
emulator. One module per API domain holds the rows, written in the notation
[`lanying_async.catalog.model`][lanying_async.catalog.model] describes.
"""

from __future__ import annotations

import importlib

from lanying_async.catalog.model import (
    SHARED_HEADERS,
    Field,
    FieldType,
    Operation,
    operation,
)

__all__ = [
    "CATALOG",
    "SHARED_HEADERS",
    "Field",
    "FieldType",
    "Operation",
    "by_sdk_method",
]

DOMAINS = (
    "messages",
    "files",
    "groups",
    "group_moderation",
    "push",
    "roster",
    "tokens",
    "users",
    "user_prefs",
)
"""The modules of this package holding the rows of each API domain, in listing order."""


def _rows(domain: str) -> tuple[str, ...]:
    rows: tuple[str, ...] = importlib.import_module(f"{__name__}.{domain}").ROWS
    return rows


CATALOG: tuple[Operation, ...] = tuple(
    operation(row) for domain in DOMAINS for row in _rows(domain)
)


def by_sdk_method() -> dict[str, Operation]:
    """The catalog keyed by `service.method`."""
    return {op.sdk: op for op in CATALOG}
