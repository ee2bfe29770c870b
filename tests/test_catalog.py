"""The operation catalog covers the vendor's spec, and every operation runs end to end."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import lanying_async.services as services_pkg
from lanying_async import LanyingClient
from lanying_async.bulk import BulkJob
from lanying_async.catalog import CATALOG, Operation
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
from tests.vendor_docs import spec_json

GUIDE_ONLY = {("POST", "/user/add_roster"), ("GET", "/user/rosters")}
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
