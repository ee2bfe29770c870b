"""``lanying jobs run`` as a real process: killed with SIGKILL mid-job, then resumed.

The test serves the emulator on its own loop and runs the command against
it. To kill a run while a request of it has run on the server but its
answer has not come back, the test waits for some requests, then makes the
emulator hold every answer (the request runs at once, its answer is held),
waits for one more request and kills the process: that chunk ran and is not
recorded. The run started again with ``--resume`` sends it again with the
same ids; what the server does with it is what each operation's rule
counts on.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lanying_async import jobs
from lanying_async.jobs.sqlite_store import SqliteJobStore
from lanying_async.testing import Emulator
from tests.cli_runs import cli_env, finish, jsonl, lanying, start, stderr_until, until

HELD = 3600.0
"""Seconds the emulator holds each answer while a run is to be killed."""


def _store_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'jobs.sqlite3'}"  # an absolute path: four slashes


def _push_job(folder: Path, users: int, *options: str) -> list[str]:
    """``jobs run push`` to user ids 1..``users`` (listed in a file), with ``options``."""
    (folder / "ids.txt").write_text("\n".join(map(str, range(1, users + 1))) + "\n")
    return [
        "jobs", "run", "push", str(folder / "ids.txt"), "--body", "hi",
        "--store", _store_url(folder), "--progress", "off", *options,
    ]  # fmt: skip


async def _job_id(proc: asyncio.subprocess.Process) -> str:
    seen = await stderr_until(proc, "job: ")
    line = next(line for line in seen.splitlines() if line.startswith("job: "))
    return line.removeprefix("job: ").strip()


async def _kill_with_a_request_held(
    emu: Emulator, proc: asyncio.subprocess.Process, path: str, after: int
) -> tuple[int, list[Any]]:
    """Kill the run once ``after`` requests to ``path`` came and one more ran unanswered.

    Returns the requests to ``path`` the server had received by then, and the
    bodies of those it ran and never answered.
    """
    await until(lambda: len(emu.requests_to("POST", path)) >= after)
    emu.latency = HELD
    held_from = len(emu.requests_to("POST", path))
    await until(lambda: len(emu.requests_to("POST", path)) > held_from)
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    emu.latency = 0.0
    sent = emu.requests_to("POST", path)
    return len(sent), [request.body for request in sent[held_from:]]


async def _status(folder: Path, job_id: str) -> jobs.JobStatus:
    store = SqliteJobStore(folder / "jobs.sqlite3")
    try:
        return await store.status(job_id)
    finally:
        await store.aclose()


async def _report(folder: Path, job_id: str) -> Any:
    store = SqliteJobStore(folder / "jobs.sqlite3")
    try:
        return await jobs.report(store, job_id)
    finally:
        await store.aclose()


@pytest.mark.anyio
async def test_a_killed_push_job_resumes_and_pushes_every_user_once(
    emu: Emulator, tmp_path: Path
) -> None:
    user_ids = list(range(1, 3001))
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    argv = _push_job(
        tmp_path, 3000, "--chunk-size", "100", "--concurrency", "4", "--lease-seconds", "1"
    )
    first = await start(*argv, env=env)
    job_id = await _job_id(first)
    sent_before, held = await _kill_with_a_request_held(emu, first, "/push/notify", after=8)
    killed = await _status(tmp_path, job_id)
    ran = emu.state.executions[("POST", "/push/notify")]
    assert killed.state is not jobs.JobState.DONE
    assert killed.chunks_done < ran  # a chunk ran on the server and was not recorded

    second = await start(*argv, "--resume", job_id, env=env)
    out, err = await finish(second)

    assert second.returncode == 0, err
    assert "pushed: 3,000 succeeded" in out
    status = await _status(tmp_path, job_id)
    assert (status.state, status.succeeded, status.chunks_done) == (jobs.JobState.DONE, 3000, 30)
    report = await _report(tmp_path, job_id)
    assert sorted(report.succeeded) == user_ids and report.ok
    tasks = list(emu.app_state().push_tasks.values())
    assert emu.state.executions[("POST", "/push/notify")] == len(tasks) == 30
    assert len({task.request_id for task in tasks}) == 30  # every request id ran once
    resent = Counter(
        r.body["setting"]["request_id"]
        for r in emu.requests_to("POST", "/push/notify")[sent_before:]
    )
    for body in held:  # each chunk that ran unanswered was sent again, under its own id
        assert resent[body["setting"]["request_id"]] == 1
    pushed = Counter(uid for task in tasks for uid in task.request["audience"]["user_id"])
    assert sorted(pushed) == user_ids and set(pushed.values()) == {1}


async def _message_job(
    emu: Emulator, tmp_path: Path, *extra: str
) -> tuple[list[int], list[str], str, int, Any]:
    """Users, a killed ``jobs run send`` to them (one chunk ran, unanswered), its job id
    and the sends the server had received."""
    async with emu.client() as client:
        report = await client.users.bulk_register([(f"reader_{i:03d}", "pw") for i in range(120)])
    user_ids = sorted(report.results.values())
    (tmp_path / "ids.txt").write_text("\n".join(map(str, user_ids)) + "\n")
    argv = [
        "jobs", "run", "send", str(tmp_path / "ids.txt"), "--text", "hello",
        "--store", _store_url(tmp_path), "--chunk-size", "10", "--concurrency", "1",
        "--lease-seconds", "1", "--progress", "off", *extra,
    ]  # fmt: skip
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    first = await start(*argv, env=env)
    job_id = await _job_id(first)
    sent, (held,) = await _kill_with_a_request_held(emu, first, "/message/send", after=3)
    return user_ids, argv, job_id, sent, held


def _received(emu: Emulator) -> Counter[int]:
    return Counter(message.to_id for message in emu.app_state().messages)


@pytest.mark.anyio
async def test_a_message_chunk_older_than_the_window_is_reported_unknown_not_sent_again(
    emu: Emulator, tmp_path: Path
) -> None:
    # The run dies with a chunk sent; its lease (1 s) lapses after the window (0.5 s).
    user_ids, argv, job_id, sent, held = await _message_job(emu, tmp_path, "--dedup-window", "0.5")
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    report_file = tmp_path / "failures.jsonl"

    second = await start(*argv, "--resume", job_id, "--report", str(report_file), env=env)
    out, err = await finish(second)

    assert second.returncode == 1, err
    unknown = sorted(row["item"] for row in jsonl(report_file) if row["status"] == "unknown")
    assert unknown == sorted(held["targets"])  # the chunk in flight, and nothing else
    assert "sent to users: 110 succeeded, 10 unknown" in out
    sends = emu.requests_to("POST", "/message/send")
    again = [r for r in sends[sent:] if r.body["transaction_id"] == held["transaction_id"]]
    assert again == []  # not sent again
    assert _received(emu) == Counter(user_ids)  # everyone got the message once


@pytest.mark.anyio
async def test_forced_a_message_chunk_past_the_window_is_sent_again_and_dropped_as_a_repeat(
    emu: Emulator, tmp_path: Path
) -> None:
    user_ids, argv, job_id, sent, held = await _message_job(
        emu, tmp_path, "--dedup-window", "0.5", "--force-resend"
    )
    env = cli_env(emu.url, emu.app_id, emu.admin_token)

    second = await start(*argv, "--resume", job_id, env=env)
    out, err = await finish(second)

    assert second.returncode == 0, err
    assert "sent to users: 120 succeeded" in out
    sends = emu.requests_to("POST", "/message/send")
    again = [r for r in sends[sent:] if r.body["transaction_id"] == held["transaction_id"]]
    assert len(again) == 1 and again[0].body["targets"] == held["targets"]
    # Within the server's own window the repeat is dropped: one message each.
    assert _received(emu) == Counter(user_ids)
    assert emu.state.executions[("POST", "/message/send")] == 12


@pytest.mark.anyio
async def test_within_the_window_a_killed_message_job_resumes_and_each_user_gets_one_message(
    emu: Emulator, tmp_path: Path
) -> None:
    user_ids, argv, job_id, sent, held = await _message_job(emu, tmp_path)
    env = cli_env(emu.url, emu.app_id, emu.admin_token)

    second = await start(*argv, "--resume", job_id, env=env)
    out, err = await finish(second)

    assert second.returncode == 0, err
    assert "sent to users: 120 succeeded" in out
    again = emu.requests_to("POST", "/message/send")[sent:]
    assert [r.body for r in again if r.body["transaction_id"] == held["transaction_id"]] == [held]
    assert _received(emu) == Counter(user_ids)
    status = await _status(tmp_path, job_id)
    assert (status.state, status.succeeded) == (jobs.JobState.DONE, 120)


async def _pushing(
    emu: Emulator, folder: Path, users: int, *, concurrency: int
) -> tuple[asyncio.subprocess.Process, str, list[str]]:
    """A push job to ``users`` users in chunks of 10, each answer 50 ms late, under way:
    the process, its job id and its arguments."""
    emu.latency = 0.05
    argv = _push_job(folder, users, "--chunk-size", "10", "--concurrency", str(concurrency))
    proc = await start(*argv, env=cli_env(emu.url, emu.app_id, emu.admin_token))
    job_id = await _job_id(proc)
    await until(lambda: len(emu.requests_to("POST", "/push/notify")) >= 2 * concurrency)
    return proc, job_id, argv


@pytest.mark.anyio
async def test_a_cancelled_run_sends_nothing_after_the_cancel_and_leaves_the_rest_not_started(
    emu: Emulator, tmp_path: Path
) -> None:
    proc, job_id, _ = await _pushing(emu, tmp_path, 2000, concurrency=3)

    status = await lanying("jobs", "cancel", job_id, "--store", _store_url(tmp_path))
    at_cancel = len(emu.requests_to("POST", "/push/notify"))
    out, err = await finish(proc)

    assert status == 0
    assert proc.returncode == 1, err
    assert f"job {job_id} was cancelled" in err
    assert "not started" in out
    after = len(emu.requests_to("POST", "/push/notify")) - at_cancel
    assert after <= 3  # at most the chunks in flight when the cancel was seen
    final = await _status(tmp_path, job_id)
    assert final.state is jobs.JobState.CANCELLED
    report = await _report(tmp_path, job_id)
    tasks = emu.app_state().push_tasks.values()
    pushed = {uid for task in tasks for uid in task.request["audience"]["user_id"]}
    assert set(report.succeeded) == pushed
    assert set(report.not_started) == set(range(1, 2001)) - pushed
    assert final.not_started == len(report.not_started) > 0


@pytest.mark.anyio
async def test_sigint_stops_a_run_after_the_chunks_in_flight_and_resume_finishes_it(
    emu: Emulator, tmp_path: Path
) -> None:
    first, job_id, argv = await _pushing(emu, tmp_path, 1000, concurrency=2)
    env = cli_env(emu.url, emu.app_id, emu.admin_token)

    first.send_signal(signal.SIGINT)
    _, err = await finish(first)

    assert first.returncode == 130, err
    assert f"run the same command with --resume {job_id}" in err
    stopped = await _status(tmp_path, job_id)
    assert stopped.state is jobs.JobState.RUNNING and stopped.chunks_done < 100
    assert stopped.chunks_done == len(emu.requests_to("POST", "/push/notify"))  # none lost
    emu.latency = 0.0
    second = await start(*argv, "--resume", job_id, env=env)
    out, err = await finish(second)
    assert second.returncode == 0, err
    assert "pushed: 1,000 succeeded" in out
    assert emu.state.executions[("POST", "/push/notify")] == 100
    assert len(emu.requests_to("POST", "/push/notify")) == 100  # nothing sent twice
