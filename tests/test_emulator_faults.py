"""The fault-injecting emulator, seen from the wire with a plain aiohttp client.

Every test sends real HTTP to a real emulator carrying a fault plan and
checks what arrives (status, headers, body, truncation, reset, delay) and
whether the operation ran (``state.executions``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal

import aiohttp
import pytest

from lanying_async.emulator.controls import Controls
from lanying_async.emulator.faults import (
    ALL_KINDS,
    BusinessCode,
    CloseAfterHandling,
    CloseBeforeHandling,
    EndlessBody,
    Fault,
    FaultPlan,
    Latency,
    Malformed,
    MalformedShape,
    Oversized,
    ResetMidBody,
    RetryAfter,
    ServerError,
    fault_from_dict,
    fault_to_dict,
    install,
)
from lanying_async.emulator.faults_chaos import CHAOS_VARIANTS
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio

REGISTER = ("POST", "/user/register/v2")
ENVELOPE_HEAD = b'{"code":200,"message":null,"data":"'
STOCK_ENVELOPE = b'{"code":200,"message":null,"data":null}'
"""What a fault that does not run the operation damages instead of the real answer."""
CLOCK_SLACK = 0.005
"""Event-loop timers may fire this much before their deadline."""

ONE_OF_EACH: list[Fault] = [
    Latency(0.2, phase="body"),
    CloseBeforeHandling(),
    CloseAfterHandling(),
    ResetMidBody(0.25),
    ServerError(status=502, page="html"),
    RetryAfter(seconds=7, status=503, http_date=True),
    BusinessCode(code=20000, message="database down"),
    Malformed(shape="not_json", execute=True),
    Oversized(size=1000),
    EndlessBody(chunk_size=10, interval=0.5),
]


@pytest.fixture(autouse=True)
def no_server_errors_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Faults must never surface as aiohttp or asyncio errors in the logs."""
    with caplog.at_level(logging.WARNING):
        yield
    noisy = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(("aiohttp", "asyncio")) and record.levelno >= logging.WARNING
    ]
    assert noisy == []


@asynccontextmanager
async def serving(plan: FaultPlan) -> AsyncIterator[tuple[Emulator, aiohttp.ClientSession]]:
    emu = Emulator()
    install(emu.app, plan)
    async with emu, aiohttp.ClientSession(emu.url, headers=emu.headers()) as session:
        yield emu, session


def register(session: aiohttp.ClientSession, name: str) -> Any:
    """POST /user/register/v2 (use as ``async with register(...) as response``)."""
    return session.post(REGISTER[1], json={"username": name, "password": "pw"})


def executions(emu: Emulator) -> int:
    return emu.state.executions[REGISTER]


def registered(emu: Emulator, name: str) -> bool:
    return name in emu.app_state().user_ids_by_name


async def settle(tasks: set[asyncio.Task[Any]]) -> None:
    """Wait for server tasks to end on their own (the test fails after 10 s)."""
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=10)
        assert not pending, f"server tasks still running: {pending}"


async def read_to_the_end(response: aiohttp.ClientResponse) -> None:
    while await response.content.readany():
        pass


def server_tasks() -> set[asyncio.Task[Any]]:
    """Tasks of the aiohttp server (connection and request handlers)."""
    return {
        task
        for task in asyncio.all_tasks()
        if "web_protocol" in str(task.get_coro()) or "RequestHandler" in str(task.get_coro())
    }


# --- latency -----------------------------------------------------------------


async def test_latency_before_headers_delays_the_intact_answer() -> None:
    plan = FaultPlan().add(Latency(0.2), method="POST", path=REGISTER[1])
    async with serving(plan) as (emu, session):
        started = time.monotonic()
        async with register(session, "slow") as response:
            headers_after = time.monotonic() - started
            envelope = await response.json()
    assert headers_after >= 0.2 - CLOCK_SLACK
    assert response.status == 200
    assert envelope["code"] == 200 and envelope["data"]["user_id"] > 0
    assert executions(emu) == 1 and registered(emu, "slow")
    assert emu.metrics.succeeded[REGISTER] == 1
    assert plan.injected == {"latency": 1}


async def test_latency_in_the_body_pauses_after_the_first_half() -> None:
    plan = FaultPlan().add(Latency(0.5, phase="body"), path=REGISTER[1])
    async with serving(plan) as (emu, session):
        started = time.monotonic()
        async with register(session, "stutter") as response:
            length = int(response.headers["Content-Length"])
            # All that is readable before the pause: exactly the first half.
            first = await response.content.readany()
            rest = await response.read()
            elapsed = time.monotonic() - started
    assert len(first) == length // 2
    assert len(first) + len(rest) == length
    assert elapsed >= 0.5 - CLOCK_SLACK
    envelope = json.loads(first + rest)
    assert envelope["code"] == 200 and envelope["data"]["user_id"] > 0
    assert executions(emu) == 1 and registered(emu, "stutter")


async def test_requests_arriving_together_all_wait_out_the_latency() -> None:
    emu = Emulator(latency=0.1)
    async with emu, aiohttp.ClientSession(emu.url, headers=emu.headers()) as session:

        async def timed(name: str) -> tuple[float, int]:
            started = time.monotonic()
            async with register(session, name) as response:
                envelope = await response.json()
            return time.monotonic() - started, envelope["code"]

        answers = await asyncio.gather(*(timed(f"together{i}") for i in range(12)))
    assert [code for _, code in answers] == [200] * 12
    assert min(elapsed for elapsed, _ in answers) >= 0.1 - CLOCK_SLACK
    assert all(registered(emu, f"together{i}") for i in range(12))


async def test_requests_handled_in_one_loop_step_count_from_the_same_moment() -> None:
    loop = asyncio.get_running_loop()
    controls = Controls()
    first = controls.came_in(loop)
    busy_until = time.monotonic() + 0.002  # the first request's work, before the next starts
    while time.monotonic() < busy_until:
        pass
    assert controls.came_in(loop) == first
    await asyncio.sleep(0)  # the loop moves on: later requests count from later
    assert controls.came_in(loop) > first


async def test_latency_counts_from_the_arrival_the_loop_reports() -> None:
    loop = asyncio.get_running_loop()
    arrived = loop.time() - 0.25  # bytes that came in a while before their handler ran
    controls = Controls(arrival=lambda: arrived)
    assert controls.came_in(loop) == arrived
    await asyncio.sleep(0)
    arrived += 0.125  # the next request's bytes
    assert controls.came_in(loop) == arrived


# --- closed and reset connections ----------------------------------------------


async def test_close_before_handling_drops_the_request_unexecuted() -> None:
    plan = FaultPlan().add(CloseBeforeHandling(), path=REGISTER[1], times=1)
    async with serving(plan) as (emu, session):
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await register(session, "ghost")
        assert executions(emu) == 0 and not registered(emu, "ghost")
        assert len(emu.requests_to(*REGISTER)) == 1  # it did arrive

        async with register(session, "ghost") as response:  # the rule is spent
            assert (await response.json())["code"] == 200
    assert executions(emu) == 1 and registered(emu, "ghost")
    assert plan.injected == {"close_before": 1}


async def test_close_after_handling_executes_then_drops_the_answer() -> None:
    plan = FaultPlan().add(CloseAfterHandling(), path=REGISTER[1], times=1)
    async with serving(plan) as (emu, session):
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await register(session, "done_but_unheard")
        assert executions(emu) == 1 and registered(emu, "done_but_unheard")
        # The client never saw the answer, so it is not counted as a success.
        assert emu.metrics.succeeded[REGISTER] == 0

        async with register(session, "done_but_unheard") as response:
            assert (await response.json())["code"] == 10004  # the first one did happen


async def test_reset_mid_body_sends_a_prefix_then_resets() -> None:
    plan = FaultPlan().add(ResetMidBody(0.5), path=REGISTER[1])
    async with serving(plan) as (emu, session):
        async with register(session, "cut_off") as response:
            assert response.status == 200
            length = int(response.headers["Content-Length"])
            with pytest.raises(aiohttp.ClientPayloadError) as caught:
                await response.read()
    complaint = str(caught.value)
    assert f"received {length // 2} of {length} bytes" in complaint  # the prefix arrived
    assert "Connection reset" in complaint  # then a TCP reset, not a clean close
    assert executions(emu) == 1 and registered(emu, "cut_off")


# --- HTTP errors and business failures -----------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("page", ["json", "html"])
async def test_server_error_pages(status: int, page: Literal["json", "html"]) -> None:
    plan = FaultPlan().add(ServerError(status=status, page=page))
    async with serving(plan) as (emu, session):
        async with register(session, "nobody") as response:
            body = await response.read()
    assert response.status == status
    if page == "json":
        assert response.content_type == "application/json"
        assert json.loads(body)["code"] == status
    else:
        assert response.content_type == "text/html"
        assert body.lstrip().startswith(b"<!DOCTYPE html>")
        assert str(status).encode() in body
    assert executions(emu) == 0 and not registered(emu, "nobody")


async def test_server_error_can_follow_a_real_execution() -> None:
    plan = FaultPlan().add(ServerError(status=500, execute=True))
    async with serving(plan) as (emu, session):
        async with register(session, "committed") as response:
            assert response.status == 500
    assert executions(emu) == 1 and registered(emu, "committed")


async def test_429_with_retry_after_seconds() -> None:
    plan = FaultPlan().add(RetryAfter(seconds=3))
    async with serving(plan) as (emu, session):
        async with register(session, "throttled") as response:
            envelope = await response.json()
    assert response.status == 429
    assert response.headers["Retry-After"] == "3"
    assert envelope["code"] == 429
    assert executions(emu) == 0 and not registered(emu, "throttled")


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_as_an_http_date(status: Literal[429, 503]) -> None:
    plan = FaultPlan().add(RetryAfter(seconds=30, status=status, http_date=True))
    async with serving(plan) as (emu, session):
        before = datetime.now(timezone.utc).replace(microsecond=0)
        async with register(session, "later") as response:
            await response.read()
    assert response.status == status
    when = parsedate_to_datetime(response.headers["Retry-After"])
    assert when.tzinfo is not None
    assert (when - before).total_seconds() >= 30  # rounded up, never short
    assert executions(emu) == 0


async def test_business_code_20000_in_a_normal_envelope() -> None:
    plan = FaultPlan().add(BusinessCode())
    async with serving(plan) as (emu, session):
        async with register(session, "db_down") as response:
            envelope = await response.json()
    assert response.status == 200
    assert envelope["code"] == 20000 and envelope["data"] is None
    assert envelope["message"]
    assert executions(emu) == 0 and not registered(emu, "db_down")


# --- malformed, oversized and endless bodies -----------------------------------


@pytest.mark.parametrize(
    ("shape", "runs"),
    [("html", False), ("truncated_json", True), ("missing_code", True), ("not_json", False)],
)
async def test_malformed_bodies_with_http_200(shape: MalformedShape, runs: bool) -> None:
    plan = FaultPlan().add(Malformed(shape=shape))
    async with serving(plan) as (emu, session):
        async with register(session, "garbled") as response:
            body = await response.read()
    assert response.status == 200
    assert len(body) == int(response.headers["Content-Length"])  # complete HTTP message
    if shape == "missing_code":
        envelope = json.loads(body)
        assert "code" not in envelope
        assert envelope["data"]["user_id"] > 0  # the real answer, damaged
    else:
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
    if shape == "html":
        assert response.content_type == "text/html"
    if shape == "truncated_json":
        assert body.startswith(b'{"code":200,"message":null,"data":{"user_id":')
    if shape == "not_json":
        assert response.content_type == "application/json"  # it lies
    assert executions(emu) == int(runs)
    assert registered(emu, "garbled") is runs


async def test_malformed_execution_can_be_overridden() -> None:
    plan = FaultPlan().add(Malformed(shape="html", execute=True), requests=[1])
    plan.add(Malformed(shape="truncated_json", execute=False), requests=[2])
    async with serving(plan) as (emu, session):
        async with register(session, "ran") as response:
            await response.read()
        async with register(session, "did_not_run") as response:
            assert await response.read() == STOCK_ENVELOPE[: len(STOCK_ENVELOPE) // 2]
    assert registered(emu, "ran") and not registered(emu, "did_not_run")
    assert executions(emu) == 1


async def test_oversized_envelope_is_exactly_the_announced_size() -> None:
    size = 20 * 1024 * 1024 + 3
    plan = FaultPlan().add(Oversized(size=size))
    async with serving(plan) as (emu, session):
        async with register(session, "huge") as response:
            assert int(response.headers["Content-Length"]) == size
            body = await response.read()
    assert len(body) == size
    envelope = json.loads(body)
    assert envelope["code"] == 200 and len(envelope["data"]) == size - len(ENVELOPE_HEAD) - 2
    assert executions(emu) == 0


async def test_oversized_stops_writing_when_the_client_leaves() -> None:
    plan = FaultPlan().add(Oversized(), requests=[1])  # 50 MiB
    tasks_before = server_tasks()
    async with serving(plan) as (emu, session):
        async with register(session, "too_big") as response:
            assert int(response.headers["Content-Length"]) == 50 * 1024 * 1024
            assert (await response.content.readany()).startswith(ENVELOPE_HEAD)
            streaming = server_tasks() - tasks_before
        # Leaving the block unread closes the connection; the writer notices.
        await settle(streaming)
        assert emu.in_flight == 0
        async with register(session, "fine") as response:
            assert (await response.json())["code"] == 200


async def test_endless_body_streams_until_the_client_leaves() -> None:
    plan = FaultPlan().add(EndlessBody(chunk_size=4096), requests=[1])
    tasks_before = server_tasks()
    async with serving(plan) as (emu, session):
        async with register(session, "firehose") as response:
            assert response.status == 200
            assert response.headers["Transfer-Encoding"] == "chunked"
            received = b""
            while len(received) < 1_000_000:
                received += await response.content.readany()
            streaming = server_tasks() - tasks_before
        assert received.startswith(ENVELOPE_HEAD)
        await settle(streaming)  # the writer stopped on its own
        assert emu.in_flight == 0
        async with register(session, "after") as response:
            assert (await response.json())["code"] == 200
    assert executions(emu) == 1  # only "after"
    await settle(server_tasks() - tasks_before)


async def test_stop_is_clean_while_an_endless_body_is_still_being_read() -> None:
    plan = FaultPlan().add(EndlessBody(chunk_size=1024, interval=0.001))
    tasks_before = server_tasks()
    emu = Emulator()
    install(emu.app, plan)
    await emu.start()
    async with aiohttp.ClientSession(emu.url, headers=emu.headers()) as session:
        async with register(session, "held_open") as response:
            assert (await response.content.readany()).startswith(ENVELOPE_HEAD)
            await emu.stop()  # the client still holds the stream
            assert emu.in_flight == 0
            await settle(server_tasks() - tasks_before)
            with pytest.raises(aiohttp.ClientPayloadError):
                await read_to_the_end(response)


async def test_stop_is_clean_after_every_kind_of_fault() -> None:
    plan = FaultPlan()
    for number, fault in enumerate(ONE_OF_EACH, start=1):
        plan.add(fault, requests=[number])
    tasks_before = server_tasks()
    async with serving(plan) as (emu, session):
        for number in range(1, len(ONE_OF_EACH) + 1):
            try:
                async with register(session, f"u{number}") as response:
                    await asyncio.wait_for(response.read(), 0.3)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass  # what each fault does to the client is tested above
    assert emu.in_flight == 0
    await settle(server_tasks() - tasks_before)
    assert plan.injected == dict.fromkeys(ALL_KINDS, 1)
    # latency, close_after, reset_mid_body and the overridden malformed ran
    assert executions(emu) == 4


# --- rules, counting and determinism -------------------------------------------


def test_request_numbers_count_per_route_or_per_plan() -> None:
    plan = FaultPlan()
    plan.add(BusinessCode(), path="/a", requests=[2, 3])
    plan.add(ServerError(), requests=[1, 6])
    picks = [
        plan.pick(method, path)
        for method, path in [
            ("GET", "/b"),  # plan #1 -> server error
            ("GET", "/a"),  # /a #1
            ("POST", "/a"),  # POST /a #1 (another route)
            ("GET", "/a"),  # /a #2 -> business code
            ("GET", "/a"),  # /a #3 -> business code
            ("GET", "/a"),  # plan #6 -> server error
        ]
    ]
    assert [None if f is None else f.kind for f in picks] == [
        "server_error",
        None,
        None,
        "business_code",
        "business_code",
        "server_error",
    ]
    assert plan.requests_seen == 6
    assert plan.route_requests == {("GET", "/b"): 1, ("GET", "/a"): 4, ("POST", "/a"): 1}
    assert plan.injected == {"server_error": 2, "business_code": 2}
    assert [(i.request, i.route_request) for i in plan.injections] == [
        (1, 1),
        (4, 2),
        (5, 3),
        (6, 4),
    ]


def test_method_filter_times_and_probability_bounds() -> None:
    plan = FaultPlan()
    plan.add(CloseBeforeHandling(), method="post", times=2)
    plan.add(BusinessCode(), probability=0.0)
    plan.add(ServerError(), method="GET", probability=1.0, times=1)
    kinds = [(f.kind if (f := plan.pick(m, "/x")) else None) for m in ["POST"] * 3 + ["GET"] * 2]
    assert kinds == ["close_before", "close_before", None, "server_error", None]


def test_chaos_draws_every_kind_uniformly_and_reproducibly() -> None:
    def run(seed: int) -> list[Fault | None]:
        plan = FaultPlan(seed=seed).chaos(rate=0.5)
        routes = [("POST", f"/p{i % 7}") for i in range(200)]
        return [plan.pick(method, path) for method, path in routes]

    first, again, other = run(42), run(42), run(43)
    assert first == again
    assert first != other
    injected = [fault for fault in first if fault is not None]
    assert 60 < len(injected) < 140
    assert {fault.kind for fault in injected} == set(ALL_KINDS)


def test_chaos_variants_cover_every_kind_with_its_own_settings() -> None:
    assert tuple(CHAOS_VARIANTS) == ALL_KINDS
    for kind, variants in CHAOS_VARIANTS.items():
        assert variants and all(fault.kind == kind for fault in variants)


def test_reset_replays_the_same_faults() -> None:
    plan = FaultPlan(seed=9).chaos(rate=0.3, kinds=["server_error", "malformed"])
    first = [plan.pick("GET", "/x") for _ in range(100)]
    plan.reset()
    assert plan.requests_seen == 0 and not plan.injected
    assert [plan.pick("GET", "/x") for _ in range(100)] == first


async def test_same_seed_same_faults_on_the_wire() -> None:
    kinds = [
        "close_before",
        "close_after",
        "reset_mid_body",
        "server_error",
        "retry_after",
        "business_code",
        "malformed",
    ]

    async def run() -> tuple[list[tuple[int, str]], dict[str, int], int, list[int]]:
        plan = FaultPlan(seed=2024).chaos(rate=0.4, kinds=kinds)
        statuses: list[int] = []
        async with serving(plan) as (emu, session):
            for number in range(200):
                try:
                    async with register(session, f"user{number}") as response:
                        await response.read()
                        statuses.append(response.status)
                except aiohttp.ClientError:
                    statuses.append(0)
        sequence = [(i.request, i.fault.kind) for i in plan.injections]
        return sequence, dict(plan.injected), executions(emu), statuses

    first, second = await run(), await run()
    assert first == second
    sequence, injected, executed, statuses = first
    assert sum(injected.values()) == len(sequence)
    assert 40 < len(sequence) < 120
    assert {kind for _, kind in sequence} == set(kinds)
    assert statuses.count(0) >= 1 and statuses.count(200) >= 100
    assert 100 < executed < 200


# --- plans as data ---------------------------------------------------------------


def every_kind_plan() -> FaultPlan:
    plan = FaultPlan(seed=17)
    for number, fault in enumerate(ONE_OF_EACH, start=1):
        plan.add(fault, method="POST", path=REGISTER[1], requests=[number, number + 20])
    plan.add(Latency(0.01), probability=0.25, times=3)
    plan.chaos(rate=0.2, kinds=["malformed", "retry_after"], path="/message/send")
    return plan


def test_plan_json_round_trip(tmp_path: Path) -> None:
    plan = every_kind_plan()
    document = json.dumps(plan.to_dict())
    file = tmp_path / "faults.json"
    file.write_text(document)

    loaded = FaultPlan.load(file)
    assert loaded.to_dict() == plan.to_dict()
    assert loaded.rules == plan.rules
    routes = [("POST", REGISTER[1]), ("POST", "/message/send"), ("GET", "/user/profile")] * 40
    assert [loaded.pick(*r) for r in routes] == [plan.pick(*r) for r in routes]


def test_every_fault_converts_to_and_from_a_dict() -> None:
    for fault in ONE_OF_EACH:
        value = fault_to_dict(fault)
        assert value["kind"] == fault.kind
        assert fault_from_dict(json.loads(json.dumps(value))) == fault


@pytest.mark.parametrize(
    "document",
    [
        {"rules": [{"fault": {"kind": "meteor"}}]},
        {"rules": [{"fault": {"kind": "latency", "seconds": -1}}]},
        {"rules": [{"fault": {"kind": "close_after"}, "chaos": ["latency"]}]},
        {"rules": [{}]},
        {"rules": [{"chaos": ["latency", "gremlins"]}]},
        {"rules": [{"chaos": []}]},
        {"rules": [{"fault": {"kind": "close_after"}, "probability": 2}]},
        {"rules": [{"fault": {"kind": "close_after"}, "requests": [0]}]},
        {"rules": [{"fault": {"kind": "close_after"}, "path": "no-slash"}]},
        {"rules": [{"fault": {"kind": "close_after"}, "when": "always"}]},
        {"seed": "x"},
    ],
)
def test_invalid_plans_are_refused(document: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="invalid fault"):
        FaultPlan.from_dict(document)


def test_load_refuses_a_file_that_is_not_a_json_object(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        FaultPlan.load(broken)
    listed = tmp_path / "list.json"
    listed.write_text("[]")
    with pytest.raises(ValueError, match="JSON object"):
        FaultPlan.load(listed)


@pytest.mark.parametrize(
    ("make", "complaint"),
    [
        (lambda: Latency(float("nan")), "latency seconds"),
        (lambda: ResetMidBody(1.0), "fraction"),
        (lambda: ServerError(status=404), "5xx"),
        (lambda: RetryAfter(seconds=-1), "retry-after seconds"),
        (lambda: BusinessCode(code=200), "failure code"),
        (lambda: Oversized(size=10), "at least"),
        (lambda: EndlessBody(chunk_size=0), "chunk_size"),
        (lambda: EndlessBody(interval=-1), "interval"),
    ],
)
def test_fault_settings_are_checked(make: Callable[[], Fault], complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        make()


async def test_install_refuses_a_running_emulator() -> None:
    async with Emulator() as emu:
        with pytest.raises(RuntimeError, match="before the emulator starts"):
            install(emu.app, FaultPlan())


async def test_rules_added_while_running_apply_from_the_next_request() -> None:
    plan = FaultPlan()
    async with serving(plan) as (emu, session):
        async with register(session, "first") as response:
            assert response.status == 200
        plan.add(RetryAfter(seconds=1), times=1)
        async with register(session, "second") as response:
            assert response.status == 429
        async with register(session, "second") as response:
            assert response.status == 200
    assert plan.route_requests[REGISTER] == 3
    assert executions(emu) == 2


async def test_executed_faults_still_honour_forced_errors() -> None:
    plan = FaultPlan().add(Latency(0.0))
    async with serving(plan) as (emu, session):
        emu.force_error(*REGISTER, 20000, execute=False)
        async with register(session, "forced") as response:
            assert (await response.json())["code"] == 20000
    assert executions(emu) == 0
