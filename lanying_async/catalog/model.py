"""What the catalog says of one operation: its verbs, path, SDK method and wire form.

An operation's wire form is the parameters the API defines for the verb the SDK
sends: the headers, the query parameters and the JSON body. Types are the JSON
types the API states, spelt as short names (see :data:`FieldType`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ID_LIST",
    "SHARED_HEADERS",
    "Field",
    "FieldType",
    "Location",
    "Operation",
    "array_body",
    "body",
    "op",
    "opt",
    "req",
]

FieldType = Literal[
    "int32",
    "int64",
    "number",
    "string",
    "boolean",
    "object",
    "int32[]",
    "int64[]",
    "string[]",
    "object[]",
]
"""A JSON type: an integer of 32 or 64 bits, a number, a string, a boolean, an
object, or an array of one of them (``[]``). An ``object`` (or ``object[]``)
with ``fields`` is a JSON object holding those fields; one without any is any
JSON value the API leaves open."""

Location = Literal["header", "query", "body"]


@dataclass(frozen=True, slots=True)
class Field:
    """A named value of a request: a header, a query parameter or a body field."""

    name: str
    type: FieldType
    required: bool = False
    fields: tuple[Field, ...] = ()
    """The fields of an object, or of each object of an array."""

    @property
    def item_type(self) -> str:
        """The type of each element of an array (the type itself otherwise)."""
        return self.type.removesuffix("[]")

    @property
    def is_array(self) -> bool:
        return self.type.endswith("[]")

    @property
    def open(self) -> bool:
        """An object the API describes no fields of: any JSON value goes."""
        return self.item_type == "object" and not self.fields


SHARED_HEADERS: tuple[Field, ...] = (
    Field("app_id", "string", required=True),
    Field("access-token", "string"),
    Field("user_id", "int64"),
    Field("group_id", "int64"),
)
"""The headers every operation of the specification takes: the app, the token,
and the user or group an admin token acts as. An operation that takes
``user_id`` or ``group_id`` as a query parameter does not take that header."""


@dataclass(frozen=True, slots=True)
class Operation:
    methods: tuple[str, ...]
    """Every HTTP method the API accepts for this operation."""
    path: str
    sdk: str
    """``service.method`` on a client, e.g. ``groups.invite``."""
    sends: str
    """The method the SDK sends."""
    query: tuple[Field, ...] = ()
    body: Field | None = None
    """The JSON body (named ``body``): an object with its fields, an array, or a string."""
    headers: tuple[Field, ...] = SHARED_HEADERS

    def parameters(self) -> tuple[tuple[Location, Field], ...]:
        """Every parameter of the request with where it travels."""
        located: list[tuple[Location, Field]] = [("header", h) for h in self.headers]
        located += [("query", q) for q in self.query]
        if self.body is not None:
            located.append(("body", self.body))
        return tuple(located)


def req(name: str, type: FieldType, *fields: Field) -> Field:
    """A required field (of an object type: with its own ``fields``)."""
    return Field(name, type, True, fields)


def opt(name: str, type: FieldType, *fields: Field) -> Field:
    """An optional field (of an object type: with its own ``fields``)."""
    return Field(name, type, False, fields)


def body(*fields: Field, required: bool = True) -> Field:
    """A JSON object body holding ``fields``."""
    return Field("body", "object", required, fields)


def array_body(*fields: Field) -> Field:
    """A JSON array body, each element an object holding ``fields``."""
    return Field("body", "object[]", True, fields)


ID_LIST = body(opt("list", "int64[]"))
"""A ``{"list": [ids]}`` body (user, friend or push task ids)."""


def op(
    methods: str,
    path: str,
    sdk: str,
    sends: str | None = None,
    *,
    query: tuple[Field, ...] = (),
    body: Field | None = None,
    headers: tuple[Field, ...] | None = None,
) -> Operation:
    """An operation; ``methods`` is ``"POST/PUT"``-style, the SDK sends the last
    unless ``sends`` says otherwise. The headers default to the shared ones less
    those the query takes."""
    verbs = tuple(methods.split("/"))
    if headers is None:
        in_query = {q.name for q in query}
        headers = tuple(h for h in SHARED_HEADERS if h.name not in in_query)
    return Operation(verbs, path, sdk, sends or verbs[-1], query, body, headers)
