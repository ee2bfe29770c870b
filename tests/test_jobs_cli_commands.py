"""``lanying jobs run|status|report|cancel`` in this process, against the test's emulator.

``main([...])`` runs on a worker thread (its own event loop) while the
emulator serves on the test's loop (see ``tests/cli_runs.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lanying_async import LanyingClient
from lanying_async.testing import Emulator
from tests.cli_runs import env, jsonl, lanying, register, room

__all__ = ["env"]  # the fixture is found by its name here: imported for that


def _store(folder: Path) -> str:
    return f"sqlite:///{folder / 'jobs.sqlite3'}"


def _job_id(err: str) -> str:
    return next(line[5:] for line in err.splitlines() if line.startswith("job: "))


@pytest.mark.anyio
async def test_jobs_run_reads_its_input_as_the_batch_command_and_reports_the_same_way(
    env: Emulator,
    client: LanyingClient,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    owner, member, *newcomers = await register(client, 5, "cli")
    group_id = await room(client, owner, [member])
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(["user_id", *map(str, newcomers), str(member), "nope", str(owner)]))
    ids.write_text(ids.read_text() + f"\n{newcomers[0]}\n")
    report = tmp_path / "failures.jsonl"

    status = await lanying(
        "jobs", "run", "invite", str(group_id), str(ids), "--as-user", str(owner),
        "--store", _store(tmp_path), "--report", str(report), "--progress", "lines",
    )  # fmt: skip

    assert status == 1
    out, err = capsys.readouterr()
    job_id = _job_id(err)
    assert err.index(f"job: {job_id}") < err.index("invite: ")  # before the progress
    assert (
        f"invited into group {group_id}: 3 succeeded, 2 failed, 1 skipped as repeats, "
        "1 unreadable in the input" in out
    )
    rows = {row["item"]: row for row in jsonl(report)}
    assert set(rows) == {member, owner, "nope"}
    assert rows["nope"]["status"] == "invalid" and rows[member]["status"] == "failed"

    assert await lanying("jobs", "status", job_id, "--store", _store(tmp_path), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {
        "job_id": job_id,
        "state": "done",
        "total": 5,
        "succeeded": 3,
        "failed": 2,
        "outcome_unknown": 0,
        "not_started": 0,
        "chunks_done": 1,
        "chunks_total": 1,
    }
    again = tmp_path / "again.jsonl"
    assert (
        await lanying("jobs", "report", job_id, "--store", _store(tmp_path), "-o", str(again)) == 1
    )
    assert {row["item"] for row in jsonl(again)} == {member, owner}  # the job's own items
    assert f"job {job_id}: 3 succeeded, 2 failed, 1 skipped as repeats" in capsys.readouterr().out


@pytest.mark.anyio
async def test_jobs_run_register_sets_profiles_and_writes_the_new_users(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = tmp_path / "staff.csv"
    users.write_text("username,password,nickname\nalice_01,s3cret,Alice\nbob_02,pw,\n")
    new = tmp_path / "new.jsonl"

    status = await lanying(
        "jobs", "run", "register", str(users), "-o", str(new), "--store", _store(tmp_path),
        "--progress", "off",
    )  # fmt: skip

    assert status == 0
    assert "registered: 2 succeeded" in capsys.readouterr().out
    written = {row["username"]: row["user_id"] for row in jsonl(new)}
    state = env.app_state()
    assert written == {name: state.user_ids_by_name[name] for name in ("alice_01", "bob_02")}
    assert state.accounts.profiles[written["alice_01"]].nick_name == "Alice"


@pytest.mark.anyio
async def test_resuming_needs_a_known_job_of_the_same_operation_and_arguments(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n2\n")
    push = ["jobs", "run", "push", str(ids), "--store", _store(tmp_path), "--progress", "off"]
    assert await lanying(*push, "--title", "one") == 0
    job_id = _job_id(capsys.readouterr().err)
    pushed = len(env.requests_to("POST", "/push/notify"))

    assert await lanying(*push, "--title", "one", "--resume", "f00d") == 2
    assert "no job f00d in sqlite:///" in capsys.readouterr().err
    assert await lanying(*push, "--title", "two", "--resume", job_id) == 2
    assert "was started with other arguments" in capsys.readouterr().err
    send = ["jobs", "run", "send", str(ids), "--text", "x", "--store", _store(tmp_path)]
    assert await lanying(*send, "--resume", job_id) == 2
    assert f"job {job_id} is a push job, not send" in capsys.readouterr().err
    assert await lanying(*push, "--title", "one", "--resume", job_id) == 0  # done: nothing to send
    assert len(env.requests_to("POST", "/push/notify")) == pushed


@pytest.mark.anyio
@pytest.mark.parametrize("flag", ["--fail-fast", "--emulator"])
async def test_batch_only_flags_are_refused(
    tmp_path: Path, flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n")
    argv = ["jobs", "run", "push", str(ids), "--title", "t", "--store", _store(tmp_path), flag]
    assert await lanying(*argv) == 2
    assert f"{flag} is for batch commands" in capsys.readouterr().err
    assert not (tmp_path / "jobs.sqlite3").exists()


@pytest.mark.anyio
async def test_status_of_an_unknown_job_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await lanying("jobs", "status", "nope", "--store", _store(tmp_path)) == 2
    assert "no job nope in" in capsys.readouterr().err
    assert await lanying("jobs", "status", "nope", "--store", "memcached://x") == 2


@pytest.mark.anyio
async def test_missing_connection_settings_stop_the_run_before_a_job_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("LANYING_API_ENDPOINT", "LANYING_APP_ID", "LANYING_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n")
    argv = ["jobs", "run", "push", str(ids), "--title", "t", "--store", _store(tmp_path)]
    assert await lanying(*argv) == 2
    assert "job:" not in capsys.readouterr().err
    assert not (tmp_path / "jobs.sqlite3").exists()
