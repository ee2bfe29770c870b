"""The ``lanying`` batch commands, run against real emulators.

Most tests run ``main([...])`` on a worker thread (its own event loop) while
the test's emulator serves on the test's loop, then look at the exit status,
the output, the report file and what the emulator received. A few run the
installed entry point as a subprocess, on a pipe and on a pseudo-terminal.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lanying_async import Audience, LanyingClient, PushMessage
from lanying_async.cli import main
from lanying_async.cli.config import load_config_file, resolve_settings
from lanying_async.cli.errors import UsageError
from lanying_async.cli.inputs import parse_ids, parse_strings
from lanying_async.cli.progress import BarProgress, LineProgress, describe, duration
from lanying_async.cli.reports import FailureLedger
from lanying_async.cli.user_rows import read_users
from lanying_async.testing import Emulator
from tests.cli_runs import env, lanying, register, room

__all__ = ["env"]  # the fixture is found by its name here: imported for that

CLI = [sys.executable, "-W", "error", "-m", "lanying_async.cli"]
TOKEN = "tok-Zq81-never-shown"


def report_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANYING_API_ENDPOINT", "LANYING_APP_ID", "LANYING_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)


# --- groups invite / kick ---------------------------------------------------------


@pytest.mark.anyio
async def test_invite_reports_each_failure_and_exits_1(
    env: Emulator, client: LanyingClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, member, *newcomers = await register(client, 6, "inv")
    group_id = await room(client, owner, [member])
    ids = tmp_path / "ids.txt"
    lines = ["user_id", "# first the newcomers", *map(str, newcomers), str(member)]
    lines += ["9000000000001", "not-an-id", str(newcomers[0]), ""]
    ids.write_text("\n".join(lines))
    report = tmp_path / "failures.jsonl"
    emu = env
    emu.clear_requests()

    status = await lanying(
        "groups", "invite", str(group_id), str(ids), "--as-user", str(owner),
        "--report", str(report), "--chunk-size", "2",
    )  # fmt: skip

    assert status == 1
    members = emu.app_state().groups[group_id].members
    assert all(user_id in members for user_id in newcomers)
    sent = emu.requests_to("POST", "/group/invite")
    assert all(r.headers["user_id"] == str(owner) for r in sent)
    assert all(len(r.body["user_list"]) <= 2 for r in sent)
    rows = {row["item"]: row for row in report_rows(report)}
    assert set(rows) == {member, 9000000000001, "not-an-id"}
    assert rows[member]["status"] == "failed" and "member" in str(rows[member]["reason"])
    assert rows["not-an-id"] == {
        "item": "not-an-id",
        "status": "invalid",
        "code": None,
        "reason": "line 9: not a user id",
        "line": 9,
    }
    out, err = capsys.readouterr()
    assert (
        f"invited into group {group_id}: 4 succeeded, 2 failed, 1 skipped as repeats, "
        "1 unreadable in the input" in out
    )
    assert "invite: 8/8 done" in err and "3 failed" in err
    assert f"3 items did not succeed: see {report}" in err


@pytest.mark.anyio
async def test_a_clean_invite_exits_0_with_an_empty_report(
    env: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    owner, *others = await register(client, 4, "clean")
    group_id = await room(client, owner)
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(map(str, others)) + "\n")
    report = tmp_path / "failures.jsonl"
    report.write_text("stale content\n")

    status = await lanying(
        "groups", "invite", str(group_id), str(ids), "--as-user", str(owner),
        "--report", str(report),
    )  # fmt: skip

    assert status == 0
    assert report.read_text() == ""
    assert len(env.app_state().groups[group_id].members) == 4


@pytest.mark.anyio
async def test_kick_reads_stdin_and_acts_as_the_group_admin(
    env: Emulator,
    client: LanyingClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    owner, *members = await register(client, 5, "kick")
    group_id = await room(client, owner, members)
    kicked = members[:3]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(map(str, kicked)) + "\n"))
    env.clear_requests()

    status = await lanying("groups", "kick", str(group_id), "--as-group-admin")

    assert status == 0
    left = env.app_state().groups[group_id].members
    assert [uid for uid in [owner, *members] if uid in left] == [owner, members[3]]
    (request,) = env.requests_to("DELETE", "/group/kick")
    assert request.headers["group_id"] == str(group_id) and "user_id" not in request.headers
    assert f"kicked from group {group_id}: 3 succeeded" in capsys.readouterr().out


@pytest.mark.anyio
async def test_a_report_fed_back_as_input_retries_what_failed(
    env: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    owner, *others = await register(client, 5, "retry")
    group_id = await room(client, owner)
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(map(str, others)))
    report = tmp_path / "failures.jsonl"
    # The first of two chunks is refused as a whole; the second goes through.
    env.force_error("POST", "/group/invite", 20006, "repair mode", times=1)
    argv = ["groups", "invite", str(group_id), "--as-user", str(owner), "--chunk-size", "2"]
    argv += ["--concurrency", "1", "--report", str(report)]

    assert await lanying(*argv[:3], str(ids), *argv[3:]) == 1
    failed = report_rows(report)
    assert [row["code"] for row in failed] == [20006, 20006]

    retry = tmp_path / "retry.jsonl"
    retry.write_text(report.read_text())
    assert await lanying(*argv[:3], str(retry), *argv[3:]) == 0
    assert all(uid in env.app_state().groups[group_id].members for uid in others)
    assert report.read_text() == ""


@pytest.mark.anyio
async def test_an_unwritable_report_stops_the_job_before_it_sends(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n2\n")
    report = tmp_path / "missing-dir" / "failures.jsonl"
    env.clear_requests()

    assert await lanying("messages", "send", str(ids), "--text", "x", "--report", str(report)) == 2

    assert env.requests_to("POST", "/message/send") == []
    assert f"cannot write report {report}" in capsys.readouterr().err


def test_group_commands_need_someone_to_act_as(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["groups", "invite", "5", "--emulator"]) == 2
    assert "--as-user" in capsys.readouterr().err


# --- users import -----------------------------------------------------------------


@pytest.mark.anyio
async def test_import_csv_registers_sets_profiles_and_never_shows_passwords(
    env: Emulator, client: LanyingClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await client.users.register(username="taken_name", password="pw")
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text(
        "\ufeffUsername,Password,Nickname,Description\n"
        "ann_01,pw-ann-Secret1,Ann,first\n"
        "ben_01,pw-ben-Secret2,,\n"
        "taken_name,pw-taken-Secret3,Taken,\n"
        "1234,pw-digits-Secret4,,\n"
        "cat_01,,Cat,\n"
        "ann_01,pw-again-Secret5,Ann again,\n"
    )
    report, new_users = tmp_path / "failures.jsonl", tmp_path / "new.jsonl"

    status = await lanying(
        "users", "import", str(csv_file), "--report", str(report), "-o", str(new_users)
    )

    assert status == 1
    app = env.app_state()
    ann, ben = app.user_ids_by_name["ann_01"], app.user_ids_by_name["ben_01"]
    assert app.users[ann].password == "pw-ann-Secret1"
    assert app.accounts.profile(ann).nick_name == "Ann"
    assert app.accounts.profile(ann).description == "first"
    assert "cat_01" not in app.user_ids_by_name
    assert report_rows(new_users) == [
        {"username": "ann_01", "user_id": ann},
        {"username": "ben_01", "user_id": ben},
    ]
    rows = {row["item"]: row for row in report_rows(report)}
    assert set(rows) == {"taken_name", "1234", "cat_01"}
    assert rows["cat_01"]["status"] == "invalid" and rows["cat_01"]["line"] == 6
    out, err = capsys.readouterr()
    assert "registered: 2 succeeded, 2 failed, 1 skipped as repeats" in out
    assert "profiles set: 1 succeeded" in out
    everything = out + err + report.read_text() + new_users.read_text()
    assert "Secret" not in everything


@pytest.mark.anyio
async def test_imported_users_can_be_invited_from_the_import_output(
    env: Emulator,
    client: LanyingClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (owner,) = await register(client, 1, "owner")
    group_id = await room(client, owner)
    people = [{"username": f"jl_{i}", "password": "pw", "nickname": f"J{i}"} for i in range(3)]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(map(json.dumps, people))))
    new_users = tmp_path / "new.jsonl"

    assert await lanying("users", "import", "-", "--format", "jsonl", "-o", str(new_users)) == 0
    assert (
        await lanying("groups", "invite", str(group_id), str(new_users), "--as-user", str(owner))
        == 0
    )

    app = env.app_state()
    joined = [app.user_ids_by_name[p["username"]] for p in people]
    assert all(uid in app.groups[group_id].members for uid in joined)
    assert [app.accounts.profile(uid).nick_name for uid in joined] == ["J0", "J1", "J2"]


def test_a_csv_without_the_needed_header_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "users.csv"
    csv_file.write_text("name,pass,nick\nann,pw,Ann\n")
    assert main(["users", "import", str(csv_file), "--emulator"]) == 2
    err = capsys.readouterr().err
    assert "header row with username and password" in err and "unknown: name, pass" in err


# --- push ----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_push_to_aliases_in_requests_of_at_most_500(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("".join(f"alias-{i}\n" for i in range(1_200)))
    env.clear_requests()

    status = await lanying(
        "push", "send", str(aliases), "--to", "alias", "--title", "Sale", "--body", "Today",
        "--type", "text",
    )  # fmt: skip

    assert status == 0
    sent = env.requests_to("POST", "/push/notify")
    assert sorted(len(r.body["audience"]["alias"]) for r in sent) == [200, 500, 500]
    assert {a for r in sent for a in r.body["audience"]["alias"]} == {
        f"alias-{i}" for i in range(1_200)
    }
    assert all(
        r.body["message"] == {"type": "text", "title": "Sale", "body": "Today"} for r in sent
    )
    out = capsys.readouterr().out
    assert "pushed to aliases: 1,200 succeeded" in out
    tasks = out.split("push tasks: ")[1].split()
    assert sorted(map(int, tasks)) == sorted(env.app_state().push_tasks)


@pytest.mark.anyio
async def test_a_refused_push_request_fails_its_values(
    env: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("11\n12\n13\n"))
    env.force_error("POST", "/push/notify", 12006, "push is not enabled")
    report = tmp_path / "failures.jsonl"

    assert await lanying("push", "send", "--body", "hi", "--report", str(report)) == 1

    rows = report_rows(report)
    assert sorted(row["item"] for row in rows) == [11, 12, 13]
    assert {(row["status"], row["code"]) for row in rows} == {("failed", 12006)}


@pytest.mark.anyio
async def test_push_to_everyone_takes_no_input(
    env: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await lanying("push", "send", "--to", "all", "--title", "Maintenance") == 0
    (request,) = env.requests_to("POST", "/push/notify")
    assert request.body["audience"] == "all"
    assert "pushed to every device: 1 succeeded" in capsys.readouterr().out


def test_a_push_needs_a_title_or_a_body(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", "send", "--to", "all", "--emulator"]) == 2
    assert "--title" in capsys.readouterr().err


@pytest.mark.anyio
async def test_push_task_shows_statistics_and_exits_1_for_unknown_tasks(
    env: Emulator, client: LanyingClient, capsys: pytest.CaptureFixture[str]
) -> None:
    users = await register(client, 3, "stat")
    task = await client.push.notify_once(Audience.user_ids(users), PushMessage(title="t"))

    assert await lanying("push", "task", str(task.task_id)) == 0
    assert f"task {task.task_id}: 3 targets, 3 sent, 3 received" in capsys.readouterr().out

    assert await lanying("push", "task", str(task.task_id), "999999", "--json") == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["mxpush_received"] == 3
    assert "task 999999: not found" in err


# --- messages --------------------------------------------------------------------


@pytest.mark.anyio
async def test_send_a_message_to_many_groups_as_a_user(
    env: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    (owner,) = await register(client, 1, "sender")
    groups = [await room(client, owner) for _ in range(3)]
    ids = tmp_path / "groups.jsonl"
    ids.write_text("".join(json.dumps({"group_id": gid}) + "\n" for gid in groups))
    env.clear_requests()

    status = await lanying(
        "messages", "send", str(ids), "--groups", "--text", "upgrade at 22:00",
        "--from-user", str(owner),
    )  # fmt: skip

    assert status == 0
    (request,) = env.requests_to("POST", "/message/send")
    assert request.body["targets"] == groups and request.body["type"] == 2
    assert request.body["from_user_id"] == owner
    delivered = [m.to_id for m in env.app_state().messages if m.content == "upgrade at 22:00"]
    assert sorted(delivered) == sorted(groups)


# --- exports -----------------------------------------------------------------------


@pytest.mark.anyio
async def test_export_users_and_members_as_json_lines(
    env: Emulator, client: LanyingClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = await register(client, 7, "exp")
    group_id = await room(client, users[0], users[1:4])

    assert await lanying("users", "export", "--page-size", "3") == 0
    out, err = capsys.readouterr()
    exported = [json.loads(line) for line in out.splitlines()]
    assert [row["user_id"] for row in exported] == users
    assert exported[0]["username"] == "exp_0000"
    assert "exported 7 users to stdout" in err

    members = tmp_path / "members.jsonl"
    argv = ["groups", "members", str(group_id), "--as-user", str(users[0]), "-o", str(members)]
    assert await lanying(*argv, "--page-size", "2") == 0
    assert [row["user_id"] for row in report_rows(members)] == users[:4]
    assert len(env.requests_to("GET", "/group/member_list")) == 2


@pytest.mark.anyio
async def test_an_export_that_fails_says_why_and_exits_1(
    env: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await lanying("groups", "members", "12345", "--as-group-admin") == 1
    assert "lanying: error: [20001]" in capsys.readouterr().err


# --- configuration ----------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.usefixtures("no_env")
async def test_settings_come_from_flags_then_environment_then_config_file(
    emu: Emulator, client: LanyingClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register(client, 2, "cfg")
    other_app = "second_app"
    emu.add_app(other_app, admin_token="second-token")
    config = tmp_path / "lanying.toml"
    config.write_text(
        f'api_endpoint = "{emu.url}"  # the emulator\n'
        f"app_id = '{emu.app_id}'\n"
        f'access_token = "{emu.admin_token}"\n'
    )
    token_file = tmp_path / "token"
    token_file.write_text("second-token\n")
    out = tmp_path / "users.jsonl"
    export = ["users", "export", "-o", str(out), "--config", str(config)]

    assert await lanying(*export) == 0  # the file alone
    assert len(report_rows(out)) == 2

    monkeypatch.setenv("LANYING_APP_ID", other_app)  # the environment beats the file...
    assert await lanying(*export) == 1  # ...so the file's token is wrong for that app

    monkeypatch.setenv("LANYING_ACCESS_TOKEN", "second-token")
    assert await lanying(*export) == 0
    assert report_rows(out) == []  # the second app has no users

    # Flags beat the environment.
    assert (
        await lanying(*export, "--app-id", emu.app_id, "--access-token-file", str(token_file)) == 1
    )
    assert (
        await lanying(*export, "--app-id", other_app, "--access-token-file", str(token_file)) == 0
    )


@pytest.mark.usefixtures("no_env")
def test_missing_settings_are_a_usage_error_naming_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "export", "--endpoint", "https://api.example.com"]) == 2
    err = capsys.readouterr().err
    assert "missing setting: app_id" in err and "access_token" in err
    assert "api_endpoint" not in err


def test_a_broken_config_file_is_a_usage_error_that_quotes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(f'app_id = "x"\naccess_token = {TOKEN}\n')
    assert main(["users", "export", "--config", str(config)]) == 2
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"token": TOKEN}))
    assert main(["users", "export", "--config", str(unknown)]) == 2
    assert main(["users", "export", "--config", str(tmp_path / "missing.toml")]) == 2
    err = capsys.readouterr().err
    assert "invalid TOML" in err and "unknown key 'token'" in err and "cannot read" in err
    assert TOKEN not in err


def test_resolving_settings_takes_each_one_from_its_first_source(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text(
        json.dumps({"api_endpoint": "https://file", "app_id": "file-app", "access_token": "t1"})
    )
    env = {"LANYING_APP_ID": "env-app", "LANYING_ACCESS_TOKEN": "t2"}
    settings = resolve_settings(endpoint=None, config_path=str(config), env=env)
    assert (settings.api_endpoint, settings.app_id) == ("https://file", "env-app")
    assert settings.access_token.reveal() == "t2"
    assert "t2" not in repr(settings)
    flagged = resolve_settings(endpoint="https://flag", app_id="flag-app", env=env)
    assert (flagged.api_endpoint, flagged.app_id) == ("https://flag", "flag-app")
    with pytest.raises(UsageError, match="api_endpoint"):
        resolve_settings(env=env)


@pytest.mark.anyio
async def test_the_token_is_never_echoed(
    env: Emulator,
    client: LanyingClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n2\n")
    report = tmp_path / "failures.jsonl"
    monkeypatch.setenv("LANYING_ACCESS_TOKEN", TOKEN)  # wrong for this emulator

    # A wrong token stops the job: a configuration error (2), not failed items.
    assert await lanying("messages", "send", str(ids), "--text", "x", "--report", str(report)) == 2
    assert await lanying("users", "export") == 1
    assert await lanying("users", "export", "--endpoint", "ftp://nowhere") == 2
    for argv in (["--help"], ["groups", "invite", "--help"], ["users", "import", "--help"]):
        assert main(argv) == 0
    out, err = capsys.readouterr()
    assert '"code": 10008' in report.read_text() and "[10008]" in err
    assert TOKEN not in out + err + report.read_text()
    assert env.admin_token not in out + err


# --- rehearsals on the in-process emulator ----------------------------------------


@pytest.fixture
def ids_file(tmp_path: Path) -> Path:
    path = tmp_path / "ids.txt"
    path.write_text("1001\n1002\n1003\n")
    return path


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["groups", "invite", "77", "IDS", "--as-user", "5"], "invited into group 77: 3 succeeded"),
        (["groups", "kick", "77", "IDS", "--as-group-admin"], "kicked from group 77: 3 succeeded"),
        (["messages", "send", "IDS", "--text", "hi"], "sent to users: 3 succeeded"),
        (["messages", "send", "IDS", "--groups", "--text", "hi"], "sent to groups: 3 succeeded"),
        (["push", "send", "IDS", "--title", "hi"], "pushed to user ids: 3 succeeded"),
        (["push", "task", "1001", "1002"], "task 1002: 3 targets, 3 sent, 3 received"),
        (["groups", "members", "77", "--as-user", "5"], '{"user_id":5,'),
        (["users", "export"], '"username":"rehearsal_user_025"'),
    ],
)
def test_every_command_rehearses_on_an_in_process_emulator(
    argv: list[str], expected: str, ids_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(ids_file) if arg == "IDS" else arg for arg in argv]
    assert main([*argv, "--emulator"]) == 0
    out, err = capsys.readouterr()
    assert expected in out
    assert "rehearsing on an in-process emulator" in err


# --- the entry point, as a subprocess -------------------------------------------


@pytest.mark.anyio
async def test_the_command_against_a_standalone_emulator(
    emu: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    owner, *others = await register(client, 4, "proc")
    group_id = await room(client, owner)
    config = tmp_path / "lanying.toml"
    config.write_text(f'app_id = "{emu.app_id}"\naccess_token = "{emu.admin_token}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    env["LANYING_API_ENDPOINT"] = emu.url
    argv = [*CLI, "groups", "invite", str(group_id), "--as-user", str(owner)]
    proc = await asyncio.create_subprocess_exec(
        *argv, "--config", str(config),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    out, err = await asyncio.wait_for(
        proc.communicate("\n".join(map(str, [*others, 424242])).encode()), timeout=60
    )

    assert proc.returncode == 1, err
    assert f"invited into group {group_id}: 3 succeeded, 1 failed" in out.decode()
    assert "invite: 4/4 done, 1 failed" in err.decode()  # stdin is read in full first
    assert "failed 424242: user not found" in err.decode()
    assert all(uid in emu.app_state().groups[group_id].members for uid in others)


def test_a_terminal_gets_a_live_bar(ids_file: Path) -> None:
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    with (
        os.fdopen(leader, "rb") as terminal,
        subprocess.Popen(
            [*CLI, "push", "send", str(ids_file), "--body", "hi", "--emulator"],
            stdout=subprocess.PIPE,
            stderr=follower,
            env={**env, "COLUMNS": "100"},
        ) as proc,
    ):
        os.close(follower)
        seen = _read_all(terminal)  # until the command exits and the terminal closes
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        assert proc.wait(timeout=60) == 0
    assert "pushed to user ids: 3 succeeded" in out
    assert "\rpush [" in seen and "#" in seen and "\x1b[K" in seen
    assert "push: 3/3 done, 0 failed" in seen


def _read_all(terminal: io.BufferedReader) -> str:
    chunks: list[bytes] = []
    while True:
        try:
            chunk = terminal.read1(4096)
        except OSError:  # the last writer closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_the_batch_job_example_runs_on_the_emulator(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "examples" / "batch_job.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    report = tmp_path / "failures.jsonl"
    done = subprocess.run(
        [sys.executable, "-W", "error", str(script), "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 1, done.stderr  # the sample holds one refused user
    assert "register: 2,000 succeeded, 1 failed" in done.stdout
    assert "invite: 1,999 succeeded, 0 failed" in done.stdout
    assert "push: 1,999 succeeded, 0 failed" in done.stdout
    assert report_rows(report) == [
        {"phase": "register", "item": "12345", "code": None, "reason": "must not be all digits"}
    ]


# --- parts: progress, inputs, the TOML fallback ---------------------------------


def test_progress_lines_read_well() -> None:
    assert describe("invite", 450, 2, 1_000, 1.5) == (
        "invite: 450/1,000 done (45%), 2 failed, 300/s, ETA 2s"
    )
    assert describe("export", 1_200, 0, None, 2.0) == "export: 1,200 done, 0 failed, 600/s"
    assert describe("push", 10, 1, 10, 4.0, final=True) == (
        "push: 10/10 done, 1 failed, in 4.0s (2/s)"
    )
    assert [duration(s) for s in (7, 125, 3_720)] == ["7s", "2m05s", "1h02m"]


def test_the_bar_fits_the_terminal_and_lines_are_spaced_out() -> None:
    now = [0.0]
    stream = io.StringIO()
    bar = BarProgress("invite", 1_000, stream, clock=lambda: now[0], width=80)
    bar.update(500, 3)
    drawn = stream.getvalue()
    assert drawn.startswith("\rinvite [") and drawn.endswith("\x1b[K")
    assert len(drawn) - len("\r\x1b[K") < 80
    assert "#" * 5 in drawn and "." * 5 in drawn
    narrow = BarProgress("invite", 1_000, io.StringIO(), clock=lambda: now[0], width=30)
    narrow.done = 500
    assert "[" not in narrow.render(1.0) and len(narrow.render(1.0)) < 30

    lines = io.StringIO()
    plain = LineProgress("push", 100, lines, clock=lambda: now[0], interval=5.0)
    for done in range(1, 11):
        now[0] = done * 1.0
        plain.update(done, 0)
    plain.finish()
    plain.finish()
    assert lines.getvalue().splitlines() == [
        "push: 5/100 done (5%), 0 failed, 1/s, ETA 1m35s",
        "push: 10/100 done (10%), 0 failed, 1/s, ETA 1m30s",
        "push: 10/100 done, 0 failed, in 10.0s (1/s)",
    ]


def test_id_and_name_inputs() -> None:
    ledger = FailureLedger()
    lines = ["USER_ID", "1", " 2 ", "# note", "", '{"user_id": 3}', '{"item": 4}', "-5", "x"]
    lines += ['{"other": 1}', "{broken", '{"user_id": true}']
    parsed = list(parse_ids(lines, "user_id", ledger, what="user id"))
    assert [record.value for record in parsed] == [1, 2, 3, 4]
    assert [(record.line, record.after) for record in parsed] == [(2, 3), (3, 4), (6, 7), (7, 8)]
    assert [(row.line, row.reason) for row in ledger.invalid] == [
        (8, "line 8: not a user id"),
        (9, "line 9: not a user id"),
        (10, "line 10: no 'user_id' field"),
        (11, "line 11: not valid JSON"),
        (12, "line 12: not a user id"),
    ]
    names = FailureLedger()
    tags = ["tag", "vip", '{"tag": "beta"}', '{"tag": ""}']
    assert [record.value for record in parse_strings(tags, "tag", names)] == ["vip", "beta"]
    assert len(names.invalid) == 1


def test_user_rows_never_keep_a_password_in_what_they_report() -> None:
    ledger = FailureLedger()
    stream = io.StringIO(
        '{"username": "a_1", "password": "p-Secret", "nickname": "A"}\n'
        '{"username": "b_1", "password": "p-Secret", "color": "red"}\n'
        '{"username": "c_1", "password": "p-Secret", "nickname": 5}\n'
        '["not", "an", "object"]\n'
    )
    users = [record.value for record in read_users(stream, "jsonl", ledger)]
    assert [(u.username, u.profile) for u in users] == [("a_1", {"nick_name": "A"})]
    assert "p-Secret" not in repr(users)
    assert [row.item for row in ledger.invalid] == ["b_1", "c_1", None]
    assert all("p-Secret" not in row.to_json() for row in ledger.invalid)


def test_config_files_are_read_as_toml_and_broken_ones_say_so(tmp_path: Path) -> None:
    config = tmp_path / "lanying.toml"
    config.write_text(
        "# connection\n"
        '"app_id" = "app\\\\one"  # a quoted key is valid TOML too\n'
        "access_token = 'tok\"en'\n"
        "allow_insecure_http = false\n"
    )
    assert load_config_file(config) == {
        "app_id": "app\\one",
        "access_token": 'tok"en',
        "allow_insecure_http": False,
    }
    for bad in ("[table", f"access_token = {TOKEN}", f'access_token = "{TOKEN}', "a = 1 2"):
        config.write_text(f"# x\n{bad}\n")
        with pytest.raises(UsageError) as error:
            load_config_file(config)
        assert str(error.value).startswith(f"config file {config}: invalid TOML: ")
        assert "line 2" in str(error.value) and TOKEN not in str(error.value)
    config.write_text('app_id = "a"\napp_id = "b"\n')
    with pytest.raises(UsageError, match=r"invalid TOML: .*\(at line 2, "):
        load_config_file(config)


@pytest.mark.anyio
async def test_one_unknown_id_among_many_fails_alone_and_the_retry_converges(
    env: Emulator, client: LanyingClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    known = await register(client, 300, "iso")
    ids = tmp_path / "ids.txt"
    ids.write_text("".join(f"{i}\n" for i in [*known, 1]))  # user 1 does not exist
    report = tmp_path / "failures.jsonl"
    argv = ["messages", "send", "--text", "hi", "--report", str(report)]

    assert await lanying(*argv[:2], str(ids), *argv[2:]) == 1
    rows = report_rows(report)
    assert [(row["item"], row["code"]) for row in rows] == [(1, 10000)]
    assert "1 of the failures isolated" in capsys.readouterr().out
    delivered = [m.to_id for m in env.app_state().messages if m.content == "hi"]
    assert sorted(delivered) == sorted(known)  # each known user once

    retry = tmp_path / "retry.jsonl"
    retry.write_text(report.read_text())
    assert await lanying(*argv[:2], str(retry), *argv[2:]) == 1  # still unknown: fails alone
    assert [row["item"] for row in report_rows(report)] == [1]
    assert env.requests_to("POST", "/message/send")[-1].body["targets"] == [1]
