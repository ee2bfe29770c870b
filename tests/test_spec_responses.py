"""Every SDK method decodes the fullest answer the vendor's spec allows, and loses nothing.

For each operation a 200 answer is built from the spec's response schema with
every property filled (distinct numbers and strings, booleans true, arrays of
two, and each property the spec types as a bare ``object`` once as a nested
value and once as a number). A loopback server answers the sample call of
``tests/sample_calls.py`` with it: the method must return without a decode
error, and what it returns must hold the answer's values. Separately, every
endpoint's envelope model must decode the answer with every property in a
field of its own. The two operations only the guide documents answer the
guide's example.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from aiohttp import web

import lanying_async.services as services_pkg
from lanying_async import LanyingClient
from lanying_async.bulk import BulkReport
from lanying_async.catalog import CATALOG, Operation, by_sdk_method
from lanying_async.errors import ResponseDecodeError
from lanying_async.models.files import FileDownload
from lanying_async.pagination import Page
from lanying_async.transport.endpoint import Endpoint
from tests.guide_reading import example_response, operation_sections
from tests.rawserver import ScriptedServer
from tests.sample_calls import CALLS, World
from tests.spec_reading import ObjectFill, sample_response
from tests.vendor_docs import GUIDE_ONLY, spec_json

pytestmark = pytest.mark.anyio

FILLS: dict[str, ObjectFill] = {
    "nested": lambda: {"k": {"n": [1, "x"]}},
    "number": lambda: 7,
}


def answer_of(sends: str, path: str, fill: ObjectFill) -> Any:
    if (sends, path) in GUIDE_ONLY:
        return example_response(operation_sections()[(sends, path)])
    return sample_response(spec_json(), sends, path, fill)


# --- comparing what the SDK decoded with what was sent --------------------------------------


def assert_holds(decoded: Any, sent: Any, where: str = "data") -> None:
    """``decoded`` (a model, list or value) holds every value of the JSON ``sent``."""
    if isinstance(decoded, msgspec.Raw):
        decoded = msgspec.json.decode(decoded)
    if isinstance(decoded, msgspec.Struct):
        assert isinstance(sent, dict), f"{where}: {sent!r} decoded as {type(decoded).__name__}"
        info = msgspec.inspect.type_info(type(decoded))
        assert isinstance(info, msgspec.inspect.StructType)
        fields = {f.encode_name: f.name for f in info.fields}
        missing = sorted(set(sent) - set(fields))
        assert not missing, f"{where}: {type(decoded).__name__} drops {missing}"
        for name, value in sent.items():
            assert_holds(getattr(decoded, fields[name]), value, f"{where}.{name}")
    elif isinstance(sent, list):
        assert isinstance(decoded, list | tuple), f"{where}: {decoded!r} is not a list"
        assert len(decoded) == len(sent), where
        for index, (one, wire) in enumerate(zip(decoded, sent, strict=True)):
            assert_holds(one, wire, f"{where}[{index}]")
    elif isinstance(sent, dict):
        assert isinstance(decoded, dict), f"{where}: {decoded!r} is not an object"
        assert decoded.keys() == sent.keys(), where
        for name, value in sent.items():
            assert_holds(decoded[name], value, f"{where}.{name}")
    else:  # a bool must stay a bool, though True == 1 in Python
        same = decoded == sent and isinstance(decoded, bool) == isinstance(sent, bool)
        assert same, f"{where}: decoded {decoded!r}, sent {sent!r}"


def _page(result: Page[Any], answer: Any) -> None:
    assert_holds(list(result.items), answer["data"])
    assert (result.total, result.version) == (answer.get("total"), answer.get("version"))
    assert result.next_token == answer.get("cursor")


def _bulk(result: BulkReport[Any], answer: Any) -> None:
    decode_errors = [e for _, e in result.failures() if isinstance(e.error, ResponseDecodeError)]
    assert not decode_errors and result.requests == 1, result


Check = Callable[[Any, Any], None]

CHECKS: dict[str, Check] = {
    # open ``data``: any value means done
    "groups.delete_announcement": lambda result, answer: assert_holds(result, True),
    "groups.set_mute_mode": lambda result, answer: assert_holds(result, True),
    "groups.set_push_mode": lambda result, answer: assert_holds(result, True),
    "groups.join_by_qrcode": lambda result, answer: assert_holds(result, True),
    "users.unbind_push_token": lambda result, answer: assert_holds(result, None),
    # the method hands back part of ``data``, or more than ``data``
    "messages.history": lambda result, answer: assert_holds(
        list(result.items), answer["data"]["messages"]
    ),
    "messages.pinned_conversations": lambda result, answer: assert_holds(
        result, answer["data"]["conversation_ids"]
    ),
    "messages.notify": lambda result, answer: assert_holds(
        [result.ok, result.msg_ids], [answer["data"], answer["msg_ids"]]
    ),
    "messages.send": lambda result, answer: (
        _bulk(result, answer),
        assert_holds(result.values, [answer["msg_ids"]]),
    ),
    "push.notify": lambda result, answer: (
        _bulk(result, answer),
        assert_holds(result.values, [answer["data"]["task_id"]]),
    ),
    "groups.invite": _bulk,
}


def check_result(sdk: str, result: Any, answer: Any) -> None:
    if sdk in CHECKS:
        CHECKS[sdk](result, answer)
    elif isinstance(result, FileDownload):
        assert result.content == msgspec.json.encode(answer)
    elif isinstance(result, Page):
        _page(result, answer)
    else:
        assert_holds(result, answer["data"])


# --- every method, end to end --------------------------------------------------------------


async def _call_answered_with(op: Operation, fill: ObjectFill) -> tuple[Any, Any]:
    answer = answer_of(op.sends, op.path, fill)
    body = msgspec.json.encode(answer)

    async def handler(request: web.Request) -> web.Response:
        if (request.method, request.path) != (op.sends, op.path):
            return web.Response(status=404)
        return web.Response(body=body, content_type="application/json")

    async with (
        ScriptedServer(handler) as server,
        LanyingClient(api_endpoint=server.url, app_id="app", access_token="admin") as client,
        LanyingClient(api_endpoint=server.url, app_id="app", access_token="user") as own,
    ):
        result = await CALLS[op.sdk](World(client, own, uid=11, peer=12, gid=21))
    return result, answer


@pytest.mark.parametrize("fill", list(FILLS))
@pytest.mark.parametrize("sdk", [op.sdk for op in CATALOG])
async def test_every_method_decodes_the_fullest_spec_answer(sdk: str, fill: str) -> None:
    result, answer = await _call_answered_with(by_sdk_method()[sdk], FILLS[fill])
    check_result(sdk, result, answer)


# --- every envelope model, field by field --------------------------------------------------


def _endpoints() -> dict[str, Endpoint[Any]]:
    found = {}
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"{services_pkg.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Endpoint):
                found[f"{value.method} {value.path}"] = value
    return dict(sorted(found.items()))


ENDPOINTS = _endpoints()


@pytest.mark.parametrize("fill", list(FILLS))
@pytest.mark.parametrize("route", list(ENDPOINTS))
def test_every_envelope_model_keeps_every_spec_field(route: str, fill: str) -> None:
    endpoint = ENDPOINTS[route]
    answer = answer_of(endpoint.method, endpoint.path, FILLS[fill])
    envelope = endpoint.decoder.decode(msgspec.json.encode(answer))
    assert_holds(envelope, answer, "answer")


def test_the_check_catches_a_dropped_or_mistyped_field() -> None:
    class Narrow(msgspec.Struct):
        user_id: int = 0

    with pytest.raises(AssertionError, match=r"drops \['id'\]"):
        assert_holds(Narrow(user_id=1), {"user_id": 1, "id": 2})
    with pytest.raises(AssertionError, match="decoded 1, sent 2"):
        assert_holds(Narrow(user_id=1), {"user_id": 2})
    with pytest.raises(AssertionError, match="decoded False, sent True"):
        assert_holds(False, True)
    with pytest.raises(AssertionError):
        assert_holds(1, True)  # a flag decoded as a number
