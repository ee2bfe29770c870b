"""What the catalog says of one operation: its verbs, path, SDK method and wire form.

An operation's wire form is the parameters the API defines for the verb the SDK
sends: the headers, the query parameters and the JSON body. Each domain module
writes its operations as rows of a small notation, one string per operation:

```text
"<verbs> <path> <service.method> <parameter> ..."
```

- `verbs`: the HTTP methods the API accepts, e.g. `POST/PUT`; the SDK sends the last
  one unless another is marked `*` (`POST*/PUT`).
- `?name:type`: a query parameter.
- `^name:type`: a header; an operation that lists headers takes those instead of the shared
  ones ([`SHARED_HEADERS`][lanying_async.catalog.model.SHARED_HEADERS]).
- `{field ...}`: a JSON object body holding the fields (`{...}?` when the body may be left
  out, `{...}[]` for an array of such objects); `<text>` a body that is the text itself.

A field is `name:type`, ending in `!` when required. A type is `int32`,
`int64`, `number`, `string`, `boolean` or `object` (an object the API
describes no fields of: any JSON value), or `{field ...}` for an object of
those fields; `[]` after a type makes an array of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast, get_args

__all__ = [
    "SHARED_HEADERS",
    "Field",
    "FieldType",
    "Operation",
    "operation",
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
object, or an array of one of them (`[]`). An `object` (or `object[]`)
with `fields` is a JSON object holding those fields; one without any is any
JSON value the API leaves open."""


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
"""The headers of every operation of the specification: the app, the token,
and the user or group an admin token acts as. Where an operation takes
`user_id` or `group_id` as a query parameter, the spec leaves the header of
that name out of its list (an admin view still sends it to name who acts)."""


@dataclass(frozen=True, slots=True)
class Operation:
    methods: tuple[str, ...]
    """Every HTTP method the API accepts for this operation."""
    path: str
    sdk: str
    """`service.method` on a client, e.g. `groups.invite`."""
    sends: str
    """The method the SDK sends."""
    query: tuple[Field, ...] = ()
    body: Field | None = None
    """The JSON body (named `body`): an object with its fields, an array, or a string."""
    headers: tuple[Field, ...] = SHARED_HEADERS


# --- reading the notation -----------------------------------------------------------

_TYPES = frozenset(get_args(FieldType))


def _words(text: str) -> list[str]:
    """`text` split at the spaces outside braces."""
    words, depth, start = [], 0, 0
    for index, char in enumerate(text + " "):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == " " and depth == 0:
            if index > start:
                words.append(text[start:index])
            start = index + 1
    if depth:
        raise ValueError(f"unbalanced braces in {text!r}")
    return words


def _fields(text: str) -> tuple[Field, ...]:
    return tuple(_field(word) for word in _words(text))


def _typed(name: str, kind: str, required: bool) -> Field:
    """A field of type `kind`: a scalar, `{fields}`, either with `[]`."""
    array = kind.endswith("[]")
    core = kind.removesuffix("[]")
    if core.startswith("{") and core.endswith("}"):
        fields, core = _fields(core[1:-1]), "object"
    else:
        fields = ()
    spelled = core + "[]" if array else core
    if spelled not in _TYPES:
        raise ValueError(f"{name}: unknown type {kind!r}")
    return Field(name, cast(FieldType, spelled), required, fields)


def _field(word: str) -> Field:
    name, colon, kind = word.partition(":")
    if not colon:
        raise ValueError(f"{word!r} is not name:type")
    return _typed(name, kind.removesuffix("!"), kind.endswith("!"))


def operation(row: str) -> Operation:
    """The operation a row of the notation describes (see the module's docstring)."""
    verbs_word, path, sdk, *params = _words(row)
    verbs = tuple(verb.rstrip("*") for verb in verbs_word.split("/"))
    marked = [verb.rstrip("*") for verb in verbs_word.split("/") if verb.endswith("*")]
    query: list[Field] = []
    headers: list[Field] = []
    body = None
    for word in params:
        if word[0] == "?":
            query.append(_field(word[1:]))
        elif word[0] == "^":
            headers.append(_field(word[1:]))
        elif word == "<text>":
            body = Field("body", "string", True)
        elif word[0] == "{":
            body = _typed("body", word.removesuffix("?"), not word.endswith("?"))
        else:
            raise ValueError(f"{sdk}: cannot read {word!r}")
    if not headers:
        in_query = {q.name for q in query}
        headers = [h for h in SHARED_HEADERS if h.name not in in_query]
    sends = marked[0] if marked else verbs[-1]
    return Operation(verbs, path, sdk, sends, tuple(query), body, tuple(headers))
