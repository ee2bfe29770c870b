"""The operation catalog: every API operation, the SDK method that performs it, and its wire form.

Facts only: the HTTP methods the API accepts on a path, the one the SDK sends
(where a path takes two verbs for the same operation, the SDK uses the one the
guide shows, else the non-POST verb for updates and deletes and POST for sends),
the ``service.method`` a client exposes, and the parameters of the request the
SDK sends (headers, query, JSON body, with their types and required flags).
The test suite checks this table against the vendor's specification, checks
every request the SDK sends against it, and proves every row runs against the
emulator. One module per API domain holds the rows.
"""

from __future__ import annotations

from lanying_async.catalog import (
    files,
    group_moderation,
    groups,
    messages,
    push,
    roster,
    tokens,
    user_prefs,
    users,
)
from lanying_async.catalog.model import SHARED_HEADERS, Field, FieldType, Location, Operation

__all__ = [
    "CATALOG",
    "SHARED_HEADERS",
    "Field",
    "FieldType",
    "Location",
    "Operation",
    "by_sdk_method",
]

CATALOG: tuple[Operation, ...] = (
    *messages.OPERATIONS,
    *files.OPERATIONS,
    *groups.OPERATIONS,
    *group_moderation.OPERATIONS,
    *push.OPERATIONS,
    *roster.OPERATIONS,
    *tokens.OPERATIONS,
    *users.OPERATIONS,
    *user_prefs.OPERATIONS,
)


def by_sdk_method() -> dict[str, Operation]:
    """The catalog keyed by ``service.method``."""
    return {op.sdk: op for op in CATALOG}
