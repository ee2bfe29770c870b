"""The catalog's wire facts are the vendor's: the spec's for 194 operations, the guide's for two.

For every operation the parameters of the verb the SDK sends (query, headers,
JSON body with its nested fields), their types and required flags equal what
the specification states (``tests/test_catalog.py`` checks that the catalog
lists every operation of the spec). The two operations only the guide documents are
checked against the guide's tables and examples, and every request example of
the guide passes the catalog's check of a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lanying_async.catalog import CATALOG, Operation
from tests import vendor_docs
from tests.guide_reading import example_request, operation_sections, table
from tests.spec_reading import catalog_facts, spec_operation
from tests.vendor_docs import GUIDE_ONLY, spec_json
from tests.wire_check import request_problems

GUIDE_OPERATIONS = [op for op in CATALOG if (op.sends, op.path) in GUIDE_ONLY]
SPEC_OPERATIONS = [op for op in CATALOG if (op.sends, op.path) not in GUIDE_ONLY]


@pytest.mark.parametrize("op", SPEC_OPERATIONS, ids=[op.sdk for op in SPEC_OPERATIONS])
def test_catalog_facts_are_the_specs(op: Operation) -> None:
    spec = spec_operation(spec_json(), op.sends, op.path)
    assert catalog_facts(op) == spec


# --- the guide ----------------------------------------------------------------------------


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return _json_type(value[0]) + "[]"
    return "int64" if isinstance(value, int) else "string"


@pytest.mark.parametrize("op", GUIDE_OPERATIONS, ids=[op.sdk for op in GUIDE_OPERATIONS])
def test_guide_only_operations_are_the_guides(op: Operation) -> None:
    section = operation_sections()[(op.sends, op.path)]
    example = example_request(section)
    headers = table(section, "Header参数")
    assert {h.name: h.required for h in op.headers} == headers
    assert {h.name: h.type for h in op.headers} == {
        name: "int64" if example.headers[name].isdigit() else "string" for name in headers
    }
    body = table(section, "Request Body参数")
    fields = {} if op.body is None else {f.name: (f.required, f.type) for f in op.body.fields}
    assert fields == {name: (body[name], _json_type(example.body[name])) for name in body}
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
        assert request_problems(op, example) == [], (verb, path)
        checked.append(path)
    assert "/push/notify" in checked and "/group/member_list" in checked


# --- finding the documents --------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_a_missing_document_skips_except_under_ci(
    ci: str, outcome: type[BaseException], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vendor_docs, "vendor_dirs", lambda: [tmp_path])
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match=str(tmp_path)):
        vendor_docs.guide_text()
