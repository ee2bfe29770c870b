"""The operation catalog covers the vendor's spec, and every operation runs end to end."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import lanying_async.services as services_pkg
from lanying_async import LanyingClient
from lanying_async.bulk import BulkJob
from lanying_async.catalog import CATALOG, Field, Operation
from lanying_async.catalog.model import operation
from lanying_async.emulator.metrics import SUCCEEDED_IN_PROCESS
from lanying_async.pagination import Paginator
from lanying_async.services import (
    AiService,
    FilesService,
    GroupsService,
    MessagesService,
    PushService,
    RosterService,
    TokensService,
    UsersService,
)
from lanying_async.transport.endpoint import Endpoint
from lanying_async.transport.pipeline import RawEndpoint
from tests.vendor_docs import GUIDE_ONLY, spec_json

SERVICES: dict[str, type] = {
    "ai": AiService,
    "files": FilesService,
    "groups": GroupsService,
    "messages": MessagesService,
    "push": PushService,
    "roster": RosterService,
    "tokens": TokensService,
    "users": UsersService,
}


def _catalog_pairs() -> set[tuple[str, str]]:
    return {(method, op.path) for op in CATALOG for method in op.methods}


def test_catalog_lists_each_operation_once() -> None:
    pairs = _catalog_pairs()
    assert len(pairs) == sum(len(op.methods) for op in CATALOG), "an operation is listed twice"
    assert len(pairs) == 194 + len(GUIDE_ONLY)


def test_catalog_matches_the_vendor_spec() -> None:
    pairs = _catalog_pairs()
    spec_pairs = {(m.upper(), p) for p, ms in spec_json()["paths"].items() for m in ms}
    assert spec_pairs - pairs == set(), "spec operations without an SDK method"
    assert pairs - spec_pairs == GUIDE_ONLY


def test_each_path_with_two_verbs_is_one_sdk_method() -> None:
    for op in CATALOG:
        assert op.sends in op.methods
        if (
            len(op.methods) == 2
            and "POST" in op.methods
            and op.sdk
            not in (
                "messages.send",
                "messages.notify",
                "ai.send_message",
            )
        ):
            assert op.sends != "POST", op
    assert len({op.sdk for op in CATALOG}) == len(CATALOG)


def _endpoints() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"{services_pkg.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Endpoint | RawEndpoint):
                found.add((value.method, value.path))
    return found


@pytest.mark.parametrize("op", CATALOG, ids=[op.sdk for op in CATALOG])
def test_every_operation_has_a_documented_sdk_method(op: Operation) -> None:
    service_name, method_name = op.sdk.split(".")
    assert service_name in SERVICES
    assert hasattr(LanyingClient, service_name)
    method = getattr(SERVICES[service_name], method_name, None)
    assert method is not None, f"{op.sdk} is missing"
    assert not method_name.startswith("_")
    doc = inspect.getdoc(method) or ""
    assert op.path in doc, f"{op.sdk} docstring must name {op.path}"
    assert len(doc.split()) >= 12, f"{op.sdk} needs a real docstring"
    returns = str(inspect.signature(method).return_annotation)
    assert inspect.iscoroutinefunction(method) or any(
        kind in returns for kind in ("Paginator", "BulkJob")
    ), op.sdk
    assert (op.sends, op.path) in _endpoints(), f"no Endpoint for {op.sends} {op.path}"


def test_sync_methods_return_paginators_or_bulk_jobs() -> None:
    for name, cls in SERVICES.items():
        for attr, member in inspect.getmembers(cls, inspect.isfunction):
            if attr.startswith("_") or inspect.iscoroutinefunction(member):
                continue
            hint = str(inspect.signature(member).return_annotation)
            assert Paginator.__name__ in hint or BulkJob.__name__ in hint, (
                f"{name}.{attr} must be async or return a Paginator or a BulkJob"
            )


def test_every_operation_succeeded_against_the_emulator() -> None:
    """Runs last (see conftest): every catalog row answered code 200 in this session."""
    missing = sorted(
        f"{op.sends} {op.path} ({op.sdk})"
        for op in CATALOG
        if SUCCEEDED_IN_PROCESS[(op.sends, op.path)] == 0
    )
    assert not missing, "never exercised successfully:\n" + "\n".join(missing)


def test_the_catalog_notation_reads_every_form() -> None:
    op = operation("POST*/PUT /x svc.m ?a:int32! ?b:string[] {c:int64! d:{e:boolean!}[] f:object}?")
    assert (op.methods, op.sends, op.path, op.sdk) == (("POST", "PUT"), "POST", "/x", "svc.m")
    assert op.query == (Field("a", "int32", True), Field("b", "string[]"))
    inner = (Field("e", "boolean", True),)
    fields = (Field("c", "int64", True), Field("d", "object[]", False, inner), Field("f", "object"))
    assert op.body == Field("body", "object", False, fields)
    assert op.body.fields[2].open and not op.body.fields[1].open
    assert [h.name for h in op.headers] == ["app_id", "access-token", "user_id", "group_id"]
    shadowed = operation("GET /y svc.n ?user_id:int64! <text>")
    assert [h.name for h in shadowed.headers] == ["app_id", "access-token", "group_id"]
    assert shadowed.body == Field("body", "string", True)
    assert operation("GET /z svc.o ^app_id:string!").headers == (Field("app_id", "string", True),)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("GET /x s.m ?a:int", "unknown type 'int'"),
        ("GET /x s.m ?a", "is not name:type"),
        ("GET /x s.m {a:int32", "unbalanced braces"),
        ("GET /x s.m a:int32", "cannot read 'a:int32'"),
    ],
)
def test_the_catalog_notation_refuses_a_typo(row: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        operation(row)
