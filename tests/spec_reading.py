"""Reading the vendor's Swagger specification: request facts and sample responses.

``spec_operation`` turns one operation of the spec into the catalog's terms
(:class:`~lanying_async.catalog.Operation` fields), so the two compare with
``==``; ``sample_response`` builds a 200 answer from the operation's response
schema with every property filled.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from lanying_async.catalog import Field, Operation

__all__ = ["ObjectFill", "sample_response", "spec_operation"]

Schema = dict[str, Any]
ObjectFill = Callable[[], Any]
"""What a property the spec types as a bare ``object`` is filled with."""


def _definition(spec: dict[str, Any], schema: Schema) -> Schema:
    ref: str = schema["$ref"]
    definition: Schema = spec["definitions"][ref.removeprefix("#/definitions/")]
    return definition


def _type_name(spec: dict[str, Any], schema: Schema) -> str:
    if "$ref" in schema:
        return "object"
    kind = schema.get("type")
    if kind == "integer":
        return "int32" if schema.get("format") == "int32" else "int64"
    if kind == "array":
        return _type_name(spec, schema["items"]) + "[]"
    assert kind in ("number", "string", "boolean", "object"), schema
    return str(kind)


def _fields(spec: dict[str, Any], schema: Schema) -> tuple[Field, ...]:
    """The fields of an object schema (of each element, for an array)."""
    if schema.get("type") == "array":
        return _fields(spec, schema["items"])
    if "$ref" not in schema:
        return ()
    definition = _definition(spec, schema)
    required = set(definition.get("required", ()))
    return tuple(
        Field(name, _type_name(spec, prop), name in required, _fields(spec, prop))  # type: ignore[arg-type]
        for name, prop in sorted(definition.get("properties", {}).items())
    )


def _field(spec: dict[str, Any], name: str, schema: Schema, required: bool) -> Field:
    return Field(name, _type_name(spec, schema), required, _fields(spec, schema))  # type: ignore[arg-type]


def normalized(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """``fields`` (and their own fields) sorted by name, for comparisons."""
    return tuple(
        Field(f.name, f.type, f.required, normalized(f.fields))
        for f in sorted(fields, key=lambda f: f.name)
    )


def spec_operation(spec: dict[str, Any], sends: str, path: str) -> dict[str, Any]:
    """The spec's request facts for ``sends path``: ``query``, ``body`` and ``headers``
    as the catalog spells them (fields sorted by name; a body is named ``body``)."""
    operation = spec["paths"][path][sends.lower()]
    query, headers, bodies = [], [], []
    for param in operation.get("parameters", ()):
        where, required = param["in"], bool(param.get("required"))
        if where == "body":
            bodies.append(_field(spec, "body", param["schema"], required))
        elif where in ("query", "header"):
            found = _field(spec, param["name"], param, required)
            (query if where == "query" else headers).append(found)
        else:
            raise AssertionError(f"{sends} {path}: parameter in {where!r}")
    assert len(bodies) <= 1, f"{sends} {path} has {len(bodies)} bodies"
    body = bodies[0] if bodies else None
    return {
        "query": normalized(tuple(query)),
        "body": None if body is None else normalized((body,))[0],
        "headers": normalized(tuple(headers)),
    }


def catalog_facts(op: Operation) -> dict[str, Any]:
    """The catalog's facts of ``op`` in the form :func:`spec_operation` gives."""
    return {
        "query": normalized(op.query),
        "body": None if op.body is None else normalized((op.body,))[0],
        "headers": normalized(op.headers),
    }


# --- sample responses -------------------------------------------------------------


class _Filler:
    """Fills every property with a value of its type; numbers and strings differ
    from property to property, so a value decoded into the wrong field shows."""

    def __init__(self, spec: dict[str, Any], fill_object: ObjectFill) -> None:
        self._spec = spec
        self._fill_object = fill_object
        self._numbers: Iterator[int] = itertools.count(101)

    def value(self, name: str, schema: Schema) -> Any:
        if "$ref" in schema:
            definition = _definition(self._spec, schema)
            if "properties" not in definition:
                return self._fill_object()
            return {prop: self.value(prop, sub) for prop, sub in definition["properties"].items()}
        kind = schema.get("type")
        if kind == "integer":
            return next(self._numbers)
        if kind == "number":
            return next(self._numbers) + 0.5
        if kind == "boolean":
            return True  # every response model defaults a flag to False or None
        if kind == "string":
            return f"{name}-{next(self._numbers)}"
        if kind == "array":
            return [self.value(name, schema["items"]), self.value(name, schema["items"])]
        if kind == "object":
            return self._fill_object()
        raise AssertionError(f"no sample for {name}: {schema}")


def sample_response(spec: dict[str, Any], sends: str, path: str, fill_object: ObjectFill) -> Any:
    """A 200 answer of ``sends path`` with every property of its schema filled;
    ``code`` is 200 (the API's success) whatever its type would otherwise draw."""
    schema = spec["paths"][path][sends.lower()]["responses"]["200"]["schema"]
    answer = _Filler(spec, fill_object).value("response", schema)
    if isinstance(answer, dict) and "code" in answer:
        answer["code"] = 200
    return answer
