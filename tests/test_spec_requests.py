"""Every request the SDK sends has the wire form the catalog states (from the vendor's spec).

Each sample call of ``tests/sample_calls.py`` runs against the emulator; every
request it sent is checked against the catalog's facts of its operation: the
verb and path, the required query and body parameters, nothing the operation
does not define, every value of its declared JSON type, and no header beyond
the shared ones and the operation's own. Business errors the emulator answers
(an unknown announcement, a user not yet a friend...) do not matter here: the
request was sent and recorded all the same.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from lanying_async import LanyingClient
from lanying_async.catalog import CATALOG, Operation, by_sdk_method
from lanying_async.emulator.recorder import RecordedRequest
from lanying_async.errors import LanyingAPIError
from lanying_async.testing import Emulator
from tests.sample_calls import CALLS, VARIANTS, Call, World
from tests.wire_check import request_problems

SENT: dict[tuple[str, str], Operation] = {(op.sends, op.path): op for op in CATALOG}
ON_PATH: dict[str, Operation] = {op.path: op for op in CATALOG}


def problems_of(request: RecordedRequest) -> list[str]:
    """Why ``request`` does not conform to its catalog operation (nothing when it does)."""
    op = SENT.get((request.method, request.path))
    if op is None:
        known = ON_PATH.get(request.path)
        if known is None:
            return [f"{request.method} {request.path}: no such operation in the catalog"]
        # The verb is wrong: check the rest against the operation of that path anyway.
        op = known
    return request_problems(op, request)


async def _sent_by(call: Call, client: LanyingClient, emu: Emulator) -> list[RecordedRequest]:
    """The requests ``call`` sent, made in a world of two users and a group."""
    alice = (await client.users.register("alice", "pw")).user_id
    bob = (await client.users.register("bob", "pw")).user_id
    gid = (await client.as_user(alice).groups.create("g", members=[bob])).group_id
    token = emu.issue_user_token(alice)
    async with LanyingClient(api_endpoint=emu.url, app_id=emu.app_id, access_token=token) as own:
        start = len(emu.requests)
        with contextlib.suppress(LanyingAPIError):  # refused: the request is what is checked
            await call(World(client, own, alice, bob, gid))
        return emu.requests[start:]


def test_there_is_one_sample_call_per_catalog_operation() -> None:
    assert sorted(CALLS) == sorted(op.sdk for op in CATALOG)


@pytest.mark.anyio
@pytest.mark.parametrize("sdk", [op.sdk for op in CATALOG])
async def test_every_operation_sends_the_spec_wire_form(
    sdk: str, client: LanyingClient, emu: Emulator
) -> None:
    op = by_sdk_method()[sdk]
    sent = await _sent_by(CALLS[sdk], client, emu)
    assert any((r.method, r.path) == (op.sends, op.path) for r in sent), (
        f"{sdk} sent no {op.sends} {op.path}: {[(r.method, r.path) for r in sent]}"
    )
    problems = {f"{r.method} {r.path}": problems_of(r) for r in sent}
    assert not any(problems.values()), problems


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(VARIANTS))
async def test_other_methods_and_forms_send_the_spec_wire_form(
    name: str, client: LanyingClient, emu: Emulator
) -> None:
    sent = await _sent_by(VARIANTS[name], client, emu)
    assert sent, f"{name} sent nothing"
    problems = {f"{r.method} {r.path}": problems_of(r) for r in sent}
    assert not any(problems.values()), problems


# --- the check itself catches the mistakes it is there for -------------------------------


def _recorded(
    method: str,
    path: str,
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    body: Any = None,
    raw: bytes = b"",
) -> RecordedRequest:
    base = {"app_id": "app", "user_id": "11"}
    return RecordedRequest(method, path, query or {}, {**base, **(headers or {})}, body, raw, 0.0)


def test_a_query_parameter_sent_as_a_header_is_caught() -> None:
    sent = _recorded("GET", "/file/upload/avatar/group", headers={"group_id": "21"})
    assert problems_of(sent) == ["query group_id: required, missing"]
    assert (
        problems_of(_recorded("GET", "/file/upload/avatar/group", query={"group_id": "21"})) == []
    )


def test_a_missing_required_body_field_is_caught() -> None:
    sent = _recorded("PUT", "/user/settings", body={"no_push": True}, raw=b'{"no_push":true}')
    assert problems_of(sent) == ["body.user_id: required, missing"]
    good = _recorded(
        "PUT", "/user/settings", body={"user_id": 11, "no_push": True}, raw=b'{"user_id":11}'
    )
    assert problems_of(good) == []


@pytest.mark.parametrize(
    ("sent", "problem"),
    [
        (
            _recorded("PUT", "/user/settings", body={"user_id": "11"}, raw=b"{}"),
            "body.user_id: '11' is not a int64",
        ),
        (
            _recorded("PUT", "/user/settings", body={"user_id": 11, "mood": 1}, raw=b"{}"),
            "body.mood: not a field of the operation",
        ),
        (
            _recorded(
                "POST", "/group/invite", body={"group_id": 1, "user_list": [1, True]}, raw=b"{}"
            ),
            "body.user_list[1]: True is not a int64",
        ),
        (
            _recorded("PUT", "/user/download", query={"value": "1"}),
            "query value: '1' is not true or false",
        ),
        (
            _recorded("GET", "/group/info", query={"group_id": "1", "page": "2"}),
            "query page: not defined by the operation",
        ),
        (
            _recorded("GET", "/user/profile", headers={"x-trace": "1"}),
            "header x-trace: not defined by the operation",
        ),
        (
            _recorded("GET", "/user/profile", body=None, raw=b"{}"),
            "a body the operation does not take: b'{}'",
        ),
        (
            _recorded("POST", "/group/kick", body={"group_id": 1, "user_list": [2]}, raw=b"{}"),
            "sent POST /group/kick, the SDK should send DELETE /group/kick",
        ),
    ],
)
def test_each_kind_of_wire_mistake_is_caught(sent: RecordedRequest, problem: str) -> None:
    assert problem in problems_of(sent)
