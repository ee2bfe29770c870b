"""Batch commands that stop early: on SIGINT/SIGTERM, on an error every request would meet,
on ``--fail-fast``. Each runs the real ``lanying`` process against a server the test serves
and checks, item by item, that nothing is lost: every input row is a created user (``-o``),
a row of the report, or at or after the report's resume line.
"""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import anyio
import pytest
from aiohttp import web

from lanying_async.testing import Emulator
from tests.cli_runs import (
    cli_env,
    error_lines,
    finish,
    jsonl,
    register,
    start,
    stderr_until,
    until,
)
from tests.rawserver import ScriptedServer

TOKEN = "tok-Zq81-never-shown"
ROWS = 3_000
FIRST = 2  # the CSV's header is line 1


def _users_csv(path: Path, rows: int = ROWS) -> dict[int, str]:
    """A CSV of ``rows`` users; returns line number -> username."""
    names = {FIRST + i: f"sig_{i:05d}" for i in range(rows)}
    lines = ["username,password"]
    for line, name in names.items():
        if line == FIRST + 1:
            lines.append(f"{name},")  # no password: an invalid row
        else:
            lines.append(f"{name},pw-{line}")
    path.write_text("\n".join(lines) + "\n")
    return names


def _resume_line(rows: list[dict[str, object]]) -> int | None:
    closing = [r["line"] for r in rows if r["status"] == "not_read" and r["item"] is None]
    assert len(closing) <= 1
    return int(str(closing[0])) if closing else None


@pytest.mark.anyio
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
async def test_a_signal_mid_import_keeps_every_row_and_the_report_resumes(
    emu: Emulator, tmp_path: Path, signum: signal.Signals
) -> None:
    taken = "sig_00003"
    async with emu.client() as admin:
        await admin.users.register(username=taken, password="pw")
    emu.latency = 0.02
    users = tmp_path / "users.csv"
    names = _users_csv(users)
    created, report = tmp_path / "new.jsonl", tmp_path / "report.jsonl"
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    argv = ["users", "import", str(users), "--chunk-size", "10", "--concurrency", "4"]
    proc = await start(*argv, "-o", str(created), "--report", str(report), env=env)
    await until(lambda: len(emu.requests_to("POST", "/user/register/batch")) >= 20)
    proc.send_signal(signum)
    out, err = await finish(proc)

    assert proc.returncode == 128 + signum, err
    rows = jsonl(report)
    resume = _resume_line(rows)
    assert resume is not None and resume < FIRST + ROWS  # stopped before the end
    made = {row["username"]: row["user_id"] for row in jsonl(created)}
    app = emu.app_state()
    # -o holds every user the emulator created, with its id, and no other.
    in_app = {n: app.user_ids_by_name.get(n) for n in names.values() if n != taken}
    assert made == {n: user_id for n, user_id in in_app.items() if user_id is not None}
    assert made  # the job was well under way
    listed = {(row["item"], row["line"]): row["status"] for row in rows if row["item"] is not None}
    # The command waited for the requests in flight: none is left unknown.
    assert set(listed.values()) <= {"failed", "invalid"}
    assert listed[(taken, FIRST + 3)] == "failed"
    assert listed[(names[FIRST + 1], FIRST + 1)] == "invalid"
    for line, name in names.items():
        places = [name in made, (name, line) in listed, line >= resume]
        assert sum(places) == 1, (line, name, places)
    assert f"not read: the input from line {resume} on" in out
    assert "registered: " in out
    assert TOKEN not in out + err and emu.admin_token not in out + err

    # The report given back with the same file (fixed in place) finishes the job.
    fixed = users.read_text().splitlines()
    fixed[FIRST + 1 - 1] = f"{names[FIRST + 1]},pw-fixed"
    fixed[FIRST + 3 - 1] = "sig_00003_b,pw-renamed"
    users.write_text("\n".join(fixed) + "\n")
    emu.latency = 0
    again, report2 = tmp_path / "again.jsonl", tmp_path / "report2.jsonl"
    argv = ["users", "import", str(users), "--retry-from", str(report), "--report", str(report2)]
    proc = await start(*argv, "-o", str(again), env=env)
    out, err = await finish(proc)

    assert proc.returncode == 0, err
    assert report2.read_text() == ""
    second = {row["username"] for row in jsonl(again)}
    assert not second & set(made)  # nothing registered twice
    wanted = (set(names.values()) - {taken}) | {"sig_00003_b"}
    assert set(made) | second == wanted
    assert all(name in emu.app_state().user_ids_by_name for name in wanted)


@pytest.mark.anyio
async def test_profiles_left_unset_by_a_stop_are_set_by_the_retry(
    emu: Emulator, tmp_path: Path
) -> None:
    users = tmp_path / "users.csv"
    rows = [f"nick_{i:04d},pw-{i},Nick {i}" for i in range(600)]
    users.write_text("username,password,nickname\n" + "\n".join(rows) + "\n")
    created, report = tmp_path / "new.jsonl", tmp_path / "report.jsonl"
    emu.latency = 0.02
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    argv = ["users", "import", str(users), "--chunk-size", "10", "--concurrency", "2"]
    proc = await start(*argv, "-o", str(created), "--report", str(report), env=env)
    await until(lambda: len(emu.requests_to("POST", "/user/register/batch")) >= 5)
    proc.send_signal(signal.SIGINT)
    out, err = await finish(proc)

    assert proc.returncode == 130, err
    made = {row["username"]: row["user_id"] for row in jsonl(created)}
    unset = {r["item"]: r["user_id"] for r in jsonl(report) if r.get("phase") == "profile"}
    assert unset == made and made  # registered, profile not set: each one listed
    assert emu.requests_to("PUT", "/user/profile/batch") == []
    assert f"profiles set: 0 succeeded, {len(made):,} not started" in out

    emu.latency = 0
    again = tmp_path / "again.jsonl"
    proc = await start(*argv, "--retry-from", str(report), "-o", str(again), env=env)
    _, err = await finish(proc)
    assert proc.returncode == 0, err
    assert not {row["username"] for row in jsonl(again)} & set(made)
    app = emu.app_state()
    for i in range(600):
        user_id = app.user_ids_by_name[f"nick_{i:04d}"]
        assert app.accounts.profile(user_id).nick_name == f"Nick {i}"


@pytest.mark.anyio
@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
async def test_a_second_signal_stops_waiting_and_reports_those_requests_unknown(
    tmp_path: Path, loop: str
) -> None:
    arrived = anyio.Event()

    async def never_answer(request: web.Request) -> web.StreamResponse:
        arrived.set()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    ids = tmp_path / "ids.txt"
    ids.write_text("1\n2\n3\n4\n5\n")
    report = tmp_path / "failures.jsonl"
    async with ScriptedServer(never_answer) as server:
        env = cli_env(server.url, "app", TOKEN, LANYING_EVENT_LOOP=loop)
        argv = ["messages", "send", str(ids), "--text", "hi", "--chunk-size", "2"]
        proc = await start(*argv, "--concurrency", "1", "--report", str(report), env=env)
        with anyio.fail_after(30):
            await arrived.wait()
        proc.send_signal(signal.SIGTERM)
        first = await stderr_until(proc, "waiting for those in flight")
        assert server.attempts == 1
        proc.send_signal(signal.SIGINT)  # the second signal may be another one
        out, err = await finish(proc)

    assert proc.returncode == 143, first + err  # the first signal decides
    assert "no longer waiting" in err
    assert server.attempts == 1  # nothing was sent after the first signal
    rows = jsonl(report)
    assert [(r["item"], r["status"]) for r in rows] == [
        (1, "unknown"),
        (2, "unknown"),
        (None, "not_read"),
    ]
    assert rows[-1]["line"] == 3
    assert "sent to users: 0 succeeded, 2 unknown" in out
    assert TOKEN not in out + first + err


@pytest.mark.anyio
async def test_push_send_prints_the_task_ids_after_an_interrupt(
    emu: Emulator, tmp_path: Path
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("".join(f"{100_000 + i}\n" for i in range(4_000)))
    emu.latency = 0.05
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    argv = ["push", "send", str(ids), "--body", "hi", "--chunk-size", "100", "--concurrency", "2"]
    report = tmp_path / "report.jsonl"
    proc = await start(*argv, "--report", str(report), env=env)
    await until(lambda: len(emu.requests_to("POST", "/push/notify")) >= 2)
    proc.send_signal(signal.SIGINT)
    out, err = await finish(proc)

    assert proc.returncode == 130, err
    tasks = out.split("push tasks: ")[1].splitlines()[0].split()
    assert sorted(map(int, tasks)) == sorted(emu.app_state().push_tasks)
    pushed = {
        uid
        for r in emu.requests_to("POST", "/push/notify")
        for uid in r.body["audience"]["user_id"]
    }
    resume = _resume_line(jsonl(report))
    assert resume is not None
    assert pushed == {100_000 + i for i in range(resume - 1)}  # every line before it, no other


@pytest.mark.anyio
@pytest.mark.parametrize("retry", [False, True])
async def test_a_signal_before_the_first_request_leaves_a_report_asking_for_everything(
    emu: Emulator, tmp_path: Path, retry: bool
) -> None:
    report, earlier = tmp_path / "report.jsonl", tmp_path / "earlier.jsonl"
    earlier.write_text('{"item": 7, "status": "failed", "code": 20006, "reason": "repair"}\n')
    argv = ["messages", "send", "-", "--text", "hi", "--report", str(report)]
    if retry:
        argv += ["--retry-from", str(earlier)]
    emu.clear_requests()
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    # Stdin stays open: once it has made sure the report can be written, the command
    # is still reading stdin, before any request.
    proc = await start(*argv, env=env, stdin=b"7\n8\n", stdin_open=True)
    await until(report.exists)
    proc.send_signal(signal.SIGINT if retry else signal.SIGTERM)
    _, err = await finish(proc)

    assert proc.returncode == (130 if retry else 143), err
    assert list(emu.requests) == []
    if retry:
        assert report.read_text() == earlier.read_text()  # all of it still to do
    else:
        assert jsonl(report) == [
            {
                "item": None,
                "status": "not_read",
                "code": None,
                "reason": "the job stopped first: the input from line 1 on was not read",
                "line": 1,
            }
        ]


# --- errors every request would meet ----------------------------------------------


@pytest.mark.anyio
async def test_a_wrong_token_stops_after_at_most_concurrency_requests(
    emu: Emulator, tmp_path: Path
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("".join(f"{i}\n" for i in range(1, 5_001)))
    report = tmp_path / "report.jsonl"
    env = cli_env(emu.url, emu.app_id, TOKEN)
    emu.clear_requests()
    argv = ["messages", "send", str(ids), "--text", "hi", "--chunk-size", "10"]
    proc = await start(*argv, "--concurrency", "3", "--report", str(report), env=env)
    out, err = await finish(proc)

    assert proc.returncode == 2, err
    assert 1 <= len(emu.requests_to("POST", "/message/send")) <= 3
    (reason,) = error_lines(err)
    assert "[10008]" in reason and TOKEN not in out + err
    rows = jsonl(report)
    resume = _resume_line(rows)
    assert resume is not None
    failed = {r["item"] for r in rows if r["status"] == "failed"}
    assert {r["code"] for r in rows if r["status"] == "failed"} == {10008}
    # Every id is a failed row or at or after the resume line, once.
    assert sorted([*failed, *range(resume, 5_001)]) == list(range(1, 5_001))


@pytest.mark.anyio
async def test_a_group_that_does_not_exist_stops_an_invite(emu: Emulator, tmp_path: Path) -> None:
    async with emu.client() as admin:
        owner = await admin.users.register(username="owner_x", password="pw")
    ids = tmp_path / "ids.txt"
    ids.write_text("".join(f"{i}\n" for i in range(1, 301)))
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    argv = ["groups", "invite", "9999999", str(ids), "--as-user", str(owner.user_id)]
    proc = await start(*argv, "--chunk-size", "5", "--concurrency", "2", env=env)
    out, err = await finish(proc)

    assert proc.returncode == 2, err
    (reason,) = error_lines(err)
    assert "[20001]" in reason
    assert len(emu.requests_to("POST", "/group/invite")) <= 2
    assert "not read: the input from line" in out


@pytest.mark.anyio
async def test_a_server_out_of_reach_stops_the_job(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n2\n3\n4\n")
    report = tmp_path / "report.jsonl"
    argv = ["push", "send", str(ids), "--title", "t", "--report", str(report)]
    proc = await start(
        *argv, "--chunk-size", "1", "--concurrency", "1", env=cli_env(url, "a", TOKEN)
    )
    _, err = await finish(proc, seconds=60)

    assert proc.returncode == 2, err
    (reason,) = error_lines(err)
    assert "every request would fail the same way" in reason
    rows = jsonl(report)
    assert rows[0]["item"] == 1 and rows[-1] == {
        "item": None,
        "status": "not_read",
        "code": None,
        "reason": "the job stopped first: the input from line 2 on was not read",
        "line": 2,
    }


@pytest.mark.anyio
async def test_fail_fast_stops_after_a_failed_request_and_exits_1(
    emu: Emulator, tmp_path: Path
) -> None:
    async with emu.client() as admin:
        user_ids = await register(admin, 100, "ff")
    ids = tmp_path / "ids.txt"
    ids.write_text("".join(f"{i}\n" for i in user_ids))
    report = tmp_path / "report.jsonl"
    emu.force_error("POST", "/message/send", 20006, "repair mode")  # not job-wide
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    argv = ["messages", "send", str(ids), "--text", "hi", "--chunk-size", "10"]
    proc = await start(*argv, "--concurrency", "1", "--fail-fast", "--report", str(report), env=env)
    out, err = await finish(proc)

    assert proc.returncode == 1, err
    assert "sent to users: 0 succeeded, 10 failed" in out
    (reason,) = error_lines(err)
    assert "--fail-fast" in reason and "[20006]" in reason
    rows = jsonl(report)
    assert [r["item"] for r in rows if r["status"] == "failed"] == user_ids[:10]
    assert _resume_line(rows) == 11
    assert len(emu.requests_to("POST", "/message/send")) == 1

    # Without --fail-fast the same refusal fails its chunk only.
    emu.force_error("POST", "/message/send", 20006, "repair mode")
    proc = await start(*argv, "--concurrency", "1", "--report", str(report), env=env)
    _, err = await finish(proc)
    assert proc.returncode == 1 and error_lines(err) == []
    assert len(jsonl(report)) == 10
