"""What batch commands read: any encoding, checked before anything is sent; and their
reports given back with ``--retry-from``, which converge once the bad rows are fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lanying_async import LanyingClient
from lanying_async.cli import main
from lanying_async.testing import Emulator
from tests.cli_runs import (
    cli_env,
    env,
    error_lines,
    finish,
    invitation,
    jsonl,
    lanying,
    start,
)

__all__ = ["env"]  # the fixture is found by its name here: imported for that

TOKEN = "tok-Zq81-never-shown"
PEOPLE = [("enc_ann", "张三"), ("enc_ben", "李四"), ("enc_cat", "Zoë")]


def _csv(people: list[tuple[str, str]]) -> str:
    rows = [f"{name},pw-{name},{nick}" for name, nick in people]
    return "username,password,nickname\n" + "\n".join(rows) + "\n"


# --- encodings ----------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("codec", "flags"),
    [
        ("gbk", ["--encoding", "gbk"]),
        ("utf-16", []),  # LE with its byte-order mark: detected
        ("utf-16-be-bom", []),  # BE with its byte-order mark: detected
        ("utf-8-sig", []),
        ("utf-8", []),
    ],
)
async def test_user_files_in_any_encoding_import(
    env: Emulator, tmp_path: Path, codec: str, flags: list[str]
) -> None:
    people = PEOPLE[:2] if codec == "gbk" else PEOPLE  # GBK has no ë
    text = _csv(people)
    users = tmp_path / "users.csv"
    if codec == "utf-16-be-bom":
        users.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    else:
        users.write_bytes(text.encode(codec))

    assert await lanying("users", "import", str(users), *flags) == 0

    app = env.app_state()
    for name, nick in people:
        assert app.accounts.profile(app.user_ids_by_name[name]).nick_name == nick


@pytest.mark.anyio
async def test_latin_1_ids_are_read_with_their_encoding(
    env: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    invite = await invitation(client, 2, "lat", tmp_path)
    invite.ids.write_bytes(("# invités de José\n" + invite.ids.read_text()).encode("latin-1"))

    assert await lanying(*invite.argv) == 2  # not UTF-8: refused
    assert await lanying(*invite.argv, "--encoding", "latin-1") == 0
    members = env.app_state().groups[invite.group_id].members
    assert all(uid in members for uid in invite.guests)


@pytest.mark.anyio
@pytest.mark.parametrize("stdin", [False, True])
async def test_a_bad_byte_is_one_line_naming_its_line_and_nothing_is_sent(
    emu: Emulator, tmp_path: Path, stdin: bool
) -> None:
    good = [(f"bad_{i}", "Ann") for i in range(3)]
    data = _csv([*good, ("bad_gbk", "张三")]).encode("gbk")  # the GBK row is line 5
    users = tmp_path / "users.csv"
    users.write_bytes(data)
    emu.clear_requests()
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    source = "-" if stdin else str(users)
    proc = await start("users", "import", source, "--format", "csv", env=env, stdin=data)
    out, err = await finish(proc)

    assert proc.returncode == 2
    name = "stdin" if stdin else str(users)
    assert error_lines(err) == [
        f"lanying: error: {name}, line 5: not valid UTF-8 text (byte 0xd5); nothing was sent "
        "(give the file's encoding with --encoding, e.g. gbk)"
    ]
    assert list(emu.requests) == []
    assert out == ""


def test_utf_16_without_its_mark_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_bytes("1001\n1002\n".encode("utf-16-le"))
    argv = ["messages", "send", str(ids), "--text", "x", "--emulator"]

    assert main(argv) == 2
    assert "line 1: not valid UTF-8 text (byte 0x00)" in capsys.readouterr().err
    assert main([*argv, "--encoding", "utf-16-le"]) == 0


# --- retries from a report -----------------------------------------------------------


async def _retried_invites(emu: Emulator, argv: list[str], report: Path) -> list[int]:
    """Run the invite again with the right token and ``--retry-from report``: the ids sent."""
    emu.clear_requests()
    right = cli_env(emu.url, emu.app_id, emu.admin_token)
    proc = await start(*argv, "--retry-from", str(report), env=right)
    _, err = await finish(proc)
    assert proc.returncode == 0, err
    return [uid for r in emu.requests_to("POST", "/group/invite") for uid in r.body["user_list"]]


@pytest.mark.anyio
async def test_an_import_converges_once_its_bad_rows_are_fixed(
    env: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    await client.users.register(username="fix_taken", password="pw")
    users = tmp_path / "users.csv"
    rows = [
        "username,password,nickname",
        "fix_ann,pw-a-Secret,Ann",
        "fix_taken,pw-t-Secret,Taken",
        "12345,pw-d-Secret,Digits",
        "fix_cat,,Cat",
        "fix_dan,pw-d-Secret,Dan",
    ]
    users.write_text("\n".join(rows) + "\n")
    report, created = tmp_path / "report.jsonl", tmp_path / "new.jsonl"
    argv = ["users", "import", str(users), "--report", str(report)]

    assert await lanying(*argv, "-o", str(created)) == 1
    listed = {row["line"]: row for row in jsonl(report)}
    assert {line: row["status"] for line, row in listed.items()} == {
        3: "failed",
        4: "failed",
        5: "invalid",
    }
    assert "Secret" not in report.read_text()

    rows[2] = "fix_taken2,pw-t-Secret,Taken"  # renamed in place
    rows[3] = "fix_digits,pw-d-Secret,Digits"
    rows[4] = "fix_cat,pw-c-Secret,Cat"
    users.write_text("\n".join(rows) + "\n")
    env.clear_requests()
    again = tmp_path / "again.jsonl"

    assert await lanying(*argv, "--retry-from", str(report), "-o", str(again)) == 0
    assert report.read_text() == ""  # the same path: read first, then rewritten
    sent = [
        u["username"]
        for r in env.requests_to("POST", "/user/register/batch")
        for u in r.body["list"]
    ]
    assert sorted(sent) == ["fix_cat", "fix_digits", "fix_taken2"]  # just the rows listed
    app = env.app_state()
    for name, nick in [("fix_ann", "Ann"), ("fix_taken2", "Taken"), ("fix_digits", "Digits")]:
        assert app.accounts.profile(app.user_ids_by_name[name]).nick_name == nick
    first, second = jsonl(created), jsonl(again)
    assert {u["username"] for u in first} == {"fix_ann", "fix_dan"}
    assert {u["username"] for u in second} == {"fix_taken2", "fix_digits", "fix_cat"}


@pytest.mark.anyio
async def test_a_profile_left_unset_is_retried_alone(env: Emulator, tmp_path: Path) -> None:
    users = tmp_path / "users.jsonl"
    people = [{"username": f"prof_{i}", "password": "pw", "nickname": f"P{i}"} for i in range(3)]
    users.write_text("".join(json.dumps(p) + "\n" for p in people))
    report = tmp_path / "report.jsonl"
    env.force_error("PUT", "/user/profile/batch", 10009, "storage busy")

    assert await lanying("users", "import", str(users), "--report", str(report)) == 1
    rows = jsonl(report)
    app = env.app_state()
    assert [(r["item"], r["line"], r["phase"], r["user_id"]) for r in rows] == [
        (p["username"], line, "profile", app.user_ids_by_name[p["username"]])
        for line, p in enumerate(people, start=1)
    ]
    env.clear_requests()

    assert await lanying("users", "import", str(users), "--retry-from", str(report)) == 0
    assert env.requests_to("POST", "/user/register/batch") == []  # registered already
    assert [app.accounts.profile(r["user_id"]).nick_name for r in rows] == ["P0", "P1", "P2"]


@pytest.mark.anyio
async def test_a_stopped_invite_resumes_from_its_report(
    emu: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    invite = await invitation(client, 40, "res", tmp_path, header="user_id\n")
    others = invite.guests
    report = tmp_path / "report.jsonl"
    argv = [*invite.argv, "--chunk-size", "4", "--concurrency", "2", "--report", str(report)]

    proc = await start(*argv, env=cli_env(emu.url, emu.app_id, TOKEN))
    _, err = await finish(proc)
    assert proc.returncode == 2, err
    rows = jsonl(report)
    failed = [r["item"] for r in rows if r["status"] == "failed"]
    resume = rows[-1]["line"]
    assert rows[-1]["status"] == "not_read" and 0 < len(failed) <= 8

    sent = await _retried_invites(emu, argv, report)
    # The ids listed, then every id from the resume line on (line 1 is the header).
    assert sorted(sent) == sorted([*failed, *others[resume - 2 :]])
    assert all(uid in emu.app_state().groups[invite.group_id].members for uid in others)


@pytest.mark.anyio
async def test_a_retry_stopped_again_lists_only_what_it_was_asked_to_retry(
    emu: Emulator, client: LanyingClient, tmp_path: Path
) -> None:
    invite = await invitation(client, 29, "again", tmp_path)
    others = invite.guests  # others[i] on line i + 1
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text(
        "".join(
            json.dumps(row) + "\n"
            for row in [
                {"item": others[2], "status": "failed", "code": 20006, "reason": "repair"},
                {"item": others[6], "status": "unknown", "code": None, "reason": "lost"},
                {"item": None, "status": "not_read", "code": None, "reason": "stop", "line": 21},
            ]
        )
    )
    report = tmp_path / "report.jsonl"
    argv = [*invite.argv, "--chunk-size", "1", "--concurrency", "1", "--report", str(report)]

    proc = await start(*argv, "--retry-from", str(earlier), env=cli_env(emu.url, emu.app_id, TOKEN))
    _, err = await finish(proc)
    assert proc.returncode == 2, err
    assert [(r["item"], r["status"], r.get("line")) for r in jsonl(report)] == [
        (others[2], "failed", None),
        (others[6], "not_read", 7),  # named by the earlier report, not read this time
        (None, "not_read", 21),
    ]

    sent = await _retried_invites(emu, argv, report)
    assert sent == [others[2], others[6], *others[20:]]


@pytest.mark.anyio
async def test_a_report_that_stops_short_is_no_input_of_its_own(
    env: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.jsonl"
    report.write_text(
        '{"item": 5, "status": "failed", "code": 1, "reason": "x"}\n'
        '{"item": null, "status": "not_read", "code": null, "reason": "x", "line": 9}\n'
    )
    env.clear_requests()

    assert await lanying("messages", "send", str(report), "--text", "hi") == 2

    assert env.requests_to("POST", "/message/send") == []
    assert "--retry-from" in capsys.readouterr().err
