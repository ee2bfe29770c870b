"""The catalog's wire facts are the vendor's: the spec's for 194 operations, the guide's for two.

For every operation the parameters of the verb the SDK sends (query, headers,
JSON body with its nested fields), their types and required flags equal what
the specification states. The two operations only the guide documents are
checked against the guide's tables and examples, and every request example of
the guide passes the catalog's check of a request.
"""

from __future__ import annotations

from typing import Any

import pytest

from lanying_async.catalog import CATALOG, Operation, by_sdk_method
from tests.guide_reading import example_request, operation_sections, table
from tests.spec_reading import catalog_facts, spec_operation
from tests.vendor_docs import spec_json
from tests.wire_check import request_problems

GUIDE_ONLY = ("roster.add", "roster.list")
SPEC_OPERATIONS = [op for op in CATALOG if op.sdk not in GUIDE_ONLY]


@pytest.mark.parametrize("op", SPEC_OPERATIONS, ids=[op.sdk for op in SPEC_OPERATIONS])
def test_catalog_facts_are_the_specs(op: Operation) -> None:
    spec = spec_operation(spec_json(), op.sends, op.path)
    assert catalog_facts(op) == spec


def test_every_spec_operation_is_in_the_catalog() -> None:
    listed = {(method, op.path) for op in CATALOG for method in op.methods}
    spec = {(m.upper(), p) for p, verbs in spec_json()["paths"].items() for m in verbs}
    assert spec - listed == set()


# --- the guide ----------------------------------------------------------------------------


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return _json_type(value[0]) + "[]"
    return "int64" if isinstance(value, int) else "string"


@pytest.mark.parametrize("sdk", GUIDE_ONLY)
def test_guide_only_operations_are_the_guides(sdk: str) -> None:
    op = by_sdk_method()[sdk]
    section = operation_sections()[(op.sends, op.path)]
    example = example_request(section)
    headers = table(section, "Header参数")
    assert {h.name: h.required for h in op.headers} == headers
    assert {h.name: h.type for h in op.headers} == {
        name: "int64" if example["headers"][name].isdigit() else "string" for name in headers
    }
    body = table(section, "Request Body参数")
    fields = {} if op.body is None else {f.name: (f.required, f.type) for f in op.body.fields}
    assert fields == {name: (body[name], _json_type(example["body"][name])) for name in body}
    assert op.query == ()


def test_the_sdk_sends_the_verb_the_guide_shows() -> None:
    shown = operation_sections()
    assert len(shown) == 9
    by_path: dict[str, list[Operation]] = {}
    for op in CATALOG:
        by_path.setdefault(op.path, []).append(op)
    for verb, path in shown:
        [op] = [op for op in by_path[path] if verb in op.methods]
        assert op.sends == verb, op


def test_every_request_example_of_the_guide_has_the_catalog_wire_form() -> None:
    checked = []
    for (verb, path), section in operation_sections().items():
        example = example_request(section)
        [op] = [op for op in CATALOG if op.path == path and verb in op.methods]
        problems = request_problems(
            op,
            method=example["method"],
            path=example["path"],
            query=example["query"],
            headers=example["headers"],
            raw_body=example["raw"],
            body=example["body"],
        )
        assert problems == [], (verb, path)
        checked.append(path)
    assert "/push/notify" in checked and "/group/member_list" in checked
