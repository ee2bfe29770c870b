"""The server-API guide's own examples, as written there, run through the SDK.

The guide is read at test time (``tests/vendor_docs.py``); nothing of it is
copied here. Every cURL example under an operation is parsed into its method,
path, query, headers and body, and the SDK call it stands for is built from
those values alone. A real loopback server (``ScriptedServer``) records what
the SDK sends and answers with the operation's response example, verbatim:
the request must be the guide's, and the decoded result must carry the
example's values. The examples found are counted, so a parser change that
silently drops some fails here.
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
import textwrap
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import msgspec
import pytest
from aiohttp import web

from lanying_async import (
    Audience,
    ContentType,
    LanyingClient,
    PushMessage,
    TargetType,
)
from lanying_async.bulk import BulkReport
from lanying_async.client import ClientView
from lanying_async.emulator.recorder import RecordedRequest, make_record, read_body
from lanying_async.models.messages import SendResult
from lanying_async.models.push import PushTask
from lanying_async.pagination import Page
from tests import vendor_docs
from tests.rawserver import ScriptedServer
from tests.vendor_docs import guide_text

pytestmark = pytest.mark.anyio

#: What the guide held when this test was written; fewer means examples were lost.
MIN_REQUEST_EXAMPLES = 11
MIN_RESPONSE_EXAMPLES = 9

#: Body fields the SDK adds on purpose, per operation: the de-duplication ids
#: that make a retried write safe (the guide's examples do not show them).
SDK_ADDED_FIELDS: dict[tuple[str, str], set[str]] = {
    ("POST", "/message/send"): {"transaction_id"},
    ("POST", "/push/notify"): {"setting"},
}

#: Headers whose presence and value must be exactly what the example shows.
COMPARED_HEADERS = ("app_id", "user_id")


# --- reading the guide ----------------------------------------------------------


@dataclass
class RequestExample:
    method: str
    url: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None


@dataclass
class GuideOperation:
    title: str
    method: str
    path: str
    requests: list[RequestExample] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)
    """Response examples as the guide writes them (served byte for byte)."""


_SECTION = re.compile(r"^### +(.+)$", re.M)
_DECLARED = re.compile(r"Http方法: *`([A-Z]+)` *资源路径: *`([^`]+)`")
_FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.M | re.S)


def parse_curl(block: str) -> RequestExample:
    """A cURL command (possibly after a line of prose) as method, URL, headers and body."""
    command = block[block.index("curl ") :].replace("\\\n", " ")
    words = shlex.split(command)
    method, url, body = "GET", "", None
    headers: dict[str, str] = {}
    position = 1
    while position < len(words):
        word = words[position]
        if word == "-X":
            method = words[position + 1]
            position += 2
        elif word == "-H":
            name, _, value = words[position + 1].partition(":")
            headers[name.strip().lower()] = value.strip()
            position += 2
        elif word == "-d":
            body = json.loads(words[position + 1])
            position += 2
        elif word.startswith("-"):
            raise ValueError(f"unexpected cURL option {word!r}")
        else:
            url = word
            position += 1
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return RequestExample(method, url, parts.path, query, headers, body)


def parse_guide(text: str) -> list[GuideOperation]:
    """Every operation section of the guide with its request and response examples.

    A section is an operation when it declares ``Http方法`` and ``资源路径``; code
    blocks holding ``curl`` are requests, blocks holding a JSON object with a
    ``code`` are responses; other blocks (value lists, templates) are prose.
    """
    operations = []
    starts = list(_SECTION.finditer(text))
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        section = text[start.end() : end]
        declared = _DECLARED.search(section)
        if declared is None:
            continue
        operation = GuideOperation(start.group(1).strip(), declared.group(1), declared.group(2))
        for fence in _FENCE.finditer(section):
            block = textwrap.dedent(fence.group(1))
            if "curl " in block:
                operation.requests.append(parse_curl(block))
                continue
            try:
                answer = json.loads(block)
            except ValueError:
                continue
            if isinstance(answer, dict) and "code" in answer:
                operation.responses.append(block)
        operations.append(operation)
    return operations


def _guide_operations() -> list[GuideOperation]:
    return parse_guide(guide_text())


# --- the SDK call each example stands for ------------------------------------------

Call = Callable[[ClientView, RequestExample], Awaitable[Any]]
Check = Callable[[Any, dict[str, Any]], None]


def _audience(wire: Any) -> Audience:
    if wire == "all":
        return Audience.all()
    ((kind, values),) = wire.items()
    builders = {
        "tag": Audience.tags,
        "alias": Audience.aliases,
        "user_id": Audience.user_ids,
        "push_token": Audience.push_tokens,
    }
    return builders[kind](values)  # type: ignore[operator]


def _push_args(example: RequestExample) -> tuple[Audience, PushMessage]:
    # strict conversion: the SDK's PushMessage must take the guide's message as written
    return _audience(example.body["audience"]), msgspec.convert(
        example.body["message"], PushMessage
    )


def _send_args(example: RequestExample) -> tuple[list[int], str, dict[str, Any]]:
    body = example.body
    kinds = {
        "target_type": TargetType(body["type"]),
        "content_type": ContentType(body["content_type"]),
    }
    return body["targets"], body["content"], kinds


def _matches(decoded: Any, expected: Any) -> bool:
    """The decoded value carries every value the example shows (extra fields allowed)."""
    if isinstance(expected, dict):
        shown = msgspec.to_builtins(decoded)
        return isinstance(shown, dict) and all(
            key in shown and _matches(shown[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(decoded, list | tuple)
            and len(decoded) == len(expected)
            and all(_matches(d, e) for d, e in zip(decoded, expected, strict=True))
        )
    return bool(decoded == expected and type(decoded) is type(expected))


def _data_matches(result: Any, answer: dict[str, Any]) -> None:
    assert _matches(result, answer["data"]), (result, answer["data"])


def _page_matches(page: Page[Any], answer: dict[str, Any]) -> None:
    assert _matches(list(page.items), answer["data"])
    assert page.version == answer.get("version")
    assert page.next_token == answer.get("cursor")


def _sent_matches(result: SendResult, answer: dict[str, Any]) -> None:
    assert isinstance(result, SendResult)
    assert result.ok is answer["data"]
    assert result.msg_ids == answer.get("msg_ids", [])


def _task_matches(task: PushTask, answer: dict[str, Any]) -> None:
    data = answer["data"]
    assert isinstance(task, PushTask)
    if isinstance(data, dict):  # the spec's form
        assert task.accepted and task.task_id == data.get("task_id")
    else:  # the guide's form: true, naming no task
        assert (task.accepted, task.task_id) == (data, None)


def _invited_matches(report: BulkReport[int], answer: dict[str, Any]) -> None:
    joined = [entry["user_id"] for entry in answer["data"] if entry["result"] == "success"]
    assert report.succeeded == joined and report.ok, report


def _bulk_send_matches(report: BulkReport[int], answer: dict[str, Any]) -> None:
    assert report.ok and report.requests == 1, report
    ids = answer.get("msg_ids", [])
    assert report.results == ({report.succeeded[0]: ids[0]} if len(ids) == 1 else {})


def _bulk_push_matches(report: BulkReport[Any], answer: dict[str, Any]) -> None:
    assert report.ok and not report.outcome_unknown and report.requests == 1, report
    data = answer["data"]
    assert report.values == ([data["task_id"]] if isinstance(data, dict) else [])


def _user(view: ClientView, example: RequestExample) -> ClientView:
    user_id = example.headers.get("user_id")
    return view if user_id is None else view.as_user(int(user_id))


#: For each operation: the SDK calls its example stands for, with the check of each result.
SDK_CALLS: dict[tuple[str, str], list[tuple[str, Call, Check]]] = {
    ("POST", "/user/register/v2"): [
        (
            "users.register",
            lambda c, e: c.users.register(username=e.body["username"], password=e.body["password"]),
            _data_matches,
        ),
    ],
    ("POST", "/user/add_roster"): [
        ("roster.add", lambda c, e: _user(c, e).roster.add(e.body["list"]), _data_matches),
    ],
    ("GET", "/user/rosters"): [
        ("roster.list", lambda c, e: _user(c, e).roster.list(), _data_matches),
    ],
    ("POST", "/group/create"): [
        (
            "groups.create",
            lambda c, e: _user(c, e).groups.create(
                name=e.body["name"], description=e.body.get("description")
            ),
            _data_matches,
        ),
    ],
    ("POST", "/group/invite"): [
        (
            "groups.invite_once",
            lambda c, e: _user(c, e).groups.invite_once(e.body["group_id"], e.body["user_list"]),
            _data_matches,
        ),
        (
            "groups.invite",
            lambda c, e: _user(c, e).groups.invite(e.body["group_id"], e.body["user_list"]),
            _invited_matches,
        ),
    ],
    ("GET", "/group/member_list"): [
        (
            "groups.members",
            lambda c, e: _user(c, e).groups.members(
                int(e.query["group_id"]), limit=int(e.query["limit"])
            ),
            _page_matches,
        ),
    ],
    ("DELETE", "/group/destroy"): [
        (
            "groups.destroy",
            lambda c, e: _user(c, e).groups.destroy(int(e.query["group_id"])),
            _data_matches,
        ),
    ],
    ("POST", "/message/send"): [
        (
            "messages.send_once",
            lambda c, e: _user(c, e).messages.send_once(*_send_args(e)[:2], **_send_args(e)[2]),
            _sent_matches,
        ),
        (
            "messages.send",
            lambda c, e: _user(c, e).messages.send(*_send_args(e)[:2], **_send_args(e)[2]),
            _bulk_send_matches,
        ),
    ],
    ("POST", "/push/notify"): [
        (
            "push.notify_once",
            lambda c, e: _user(c, e).push.notify_once(*_push_args(e)),
            _task_matches,
        ),
        ("push.notify", lambda c, e: _user(c, e).push.notify(*_push_args(e)), _bulk_push_matches),
    ],
}


# --- the tests ------------------------------------------------------------------------


def test_the_guide_examples_are_all_found() -> None:
    operations = _guide_operations()
    requests = [r for op in operations for r in op.requests]
    responses = [r for op in operations for r in op.responses]
    assert len(requests) >= MIN_REQUEST_EXAMPLES, f"only {len(requests)} request examples"
    assert len(responses) >= MIN_RESPONSE_EXAMPLES, f"only {len(responses)} response examples"
    for op in operations:
        assert op.requests and op.responses, f"{op.title}: an example is missing"
        for example in op.requests:
            assert (example.method, example.path) == (op.method, op.path), op.title
        assert (op.method, op.path) in SDK_CALLS, f"no SDK call for {op.method} {op.path}"


def test_the_curl_parser_reads_every_part() -> None:
    example = parse_curl(
        "say what it does:\n"
        "curl -X PUT 'https://h.example/a/b?x=1&y=two' \\\n"
        '-H "Content-Type: application/json" \\\n'
        "-H 'user_id: 7' \\\n"
        '-d \'{"k": [1, "v"]}\''
    )
    assert (example.method, example.path, example.query) == ("PUT", "/a/b", {"x": "1", "y": "two"})
    assert example.headers == {"content-type": "application/json", "user_id": "7"}
    assert example.body == {"k": [1, "v"]}


async def test_every_guide_example_goes_through_the_sdk() -> None:
    operations = _guide_operations()
    token = next(
        r.headers["access-token"]
        for op in operations
        for r in op.requests
        if "access-token" in r.headers
    )
    seen: list[tuple[RecordedRequest, str | None]] = []  # with the token the log leaves out
    answer = [b""]

    async def handler(request: web.Request) -> web.Response:
        record = make_record(request, await read_body(request))
        seen.append((record, request.headers.get("access-token")))
        return web.Response(body=answer[0], content_type="application/json")

    problems: list[str] = []
    pairs = 0
    async with ScriptedServer(handler) as server:
        for op in operations:
            for response, example in itertools.product(op.responses, op.requests):
                answer[0] = response.encode()  # verbatim, tabs and all
                pairs += 1
                async with LanyingClient(
                    api_endpoint=server.url, app_id=example.headers["app_id"], access_token=token
                ) as client:
                    for name, call, check in SDK_CALLS[(op.method, op.path)]:
                        seen.clear()
                        label = f"{op.title}: {name} ({example.url})"
                        try:
                            check(await call(client, example), json.loads(response))
                        except Exception as exc:  # collect every mismatch, then fail once
                            problems.append(f"{label}: {type(exc).__name__} {exc}")
                            continue
                        problems.extend(f"{label}: {p}" for p in _compare(op, example, seen))
    assert problems == []
    assert pairs >= MIN_REQUEST_EXAMPLES


def test_the_documents_are_looked_for_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANYING_API_SPEC_DIR", "/somewhere/else")
    places = vendor_docs.vendor_dirs()
    repo = Path(__file__).resolve().parents[1]
    assert places == [
        Path("/somewhere/else"),
        repo.parent / "shared" / "lanying-api",
        Path("/work/shared/lanying-api"),
    ]


def _compare(
    op: GuideOperation, example: RequestExample, seen: list[tuple[RecordedRequest, str | None]]
) -> list[str]:
    """How the one request the SDK sent differs from the example."""
    if len(seen) != 1:
        return [f"{len(seen)} requests sent, not 1"]
    [(sent, token)] = seen
    problems = []
    if (sent.method, sent.path) != (example.method, example.path):
        problems.append(f"sent {sent.method} {sent.path}")
    if sent.query != example.query:
        problems.append(f"query {sent.query} != {example.query}")
    for name in COMPARED_HEADERS:
        if sent.headers.get(name) != example.headers.get(name):
            problems.append(f"header {name}: {sent.headers.get(name)!r}")
    # Where the guide shows the token it must arrive as given; the spec lists it
    # as an optional header of every operation, so sending it elsewhere is fine.
    shown_token = example.headers.get("access-token")
    if shown_token is not None and token != shown_token:
        problems.append("header access-token differs from the example's")
    if example.body is None:
        if sent.raw:
            problems.append(f"a body was sent: {sent.raw!r}")
        return problems
    if not sent.headers.get("content-type", "").startswith("application/json"):
        problems.append(f"content-type {sent.headers.get('content-type')!r}")
    body = json.loads(sent.raw)
    added = SDK_ADDED_FIELDS.get((op.method, op.path), set())
    if set(body) - set(example.body) != added:
        problems.append(f"fields beyond the example: {sorted(set(body) - set(example.body))}")
    shown = {key: value for key, value in body.items() if key not in added}
    if shown != example.body:
        problems.append(f"body {shown} != {example.body}")
    return problems
