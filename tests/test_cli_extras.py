"""The ``lanying`` command's smaller promises: the standalone emulator's settings and
callbacks, ``groups create``, the http:// refusal, a closed stdout, and the README's
word on the operation count and its pytest snippet."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import anyio
import pytest

from lanying_async import LanyingClient
from lanying_async.cli import main
from lanying_async.testing import Emulator
from tests.cli_runs import CLI, env, lanying
from tests.ports import free_port

__all__ = ["env"]  # the fixture is found by its name here: imported for that

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


async def _lines_until(stream: asyncio.StreamReader, text: str) -> list[str]:
    lines: list[str] = []
    with anyio.fail_after(30):
        while not lines or text not in lines[-1]:
            line = (await stream.readline()).decode()
            assert line, f"ended before {text!r}: {lines}"
            lines.append(line)
    return lines


@pytest.mark.anyio
async def test_the_echo_bot_answers_through_a_standalone_emulator() -> None:
    emulator_port, bot_port = free_port(), free_port()
    callback = f"http://127.0.0.1:{bot_port}/lanying/callback"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    emulator = await asyncio.create_subprocess_exec(
        *CLI, "emulator", "--port", str(emulator_port),
        "--callback-url", callback, "--callback-secret", "s3cret",
        stdout=asyncio.subprocess.PIPE, env={**clean, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    bot: asyncio.subprocess.Process | None = None
    try:
        assert emulator.stdout is not None
        printed = await _lines_until(emulator.stdout, "Press Ctrl+C")
        exports = dict(
            shlex.split(line.strip())[1].split("=", 1)
            for line in printed
            if line.strip().startswith("export ")
        )
        assert set(exports) == {"LANYING_API_ENDPOINT", "LANYING_APP_ID", "LANYING_ACCESS_TOKEN"}
        assert any(callback in line for line in printed)
        settings = {
            "api_endpoint": exports["LANYING_API_ENDPOINT"],
            "app_id": exports["LANYING_APP_ID"],
            "access_token": exports["LANYING_ACCESS_TOKEN"],
        }
        async with LanyingClient(**settings) as admin:
            echo = await admin.users.register(username="echo_bot", password="pw-bot")
            alice = await admin.users.register(username="alice", password="pw-alice")
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-W", "error", str(ROOT / "examples" / "echo_bot.py"),
                "serve", "--port", str(bot_port),
                stderr=asyncio.subprocess.PIPE,
                env={**clean, **exports, "LANYING_BOT_USER_ID": str(echo.user_id),
                     "LANYING_CALLBACK_SECRET": "s3cret"},
            )  # fmt: skip
            assert bot.stderr is not None
            await _lines_until(bot.stderr, "echo bot listening")

            as_alice = admin.as_user(alice.user_id)
            await as_alice.messages.send_once([echo.user_id], "hello, bot")
            with anyio.fail_after(30):
                while True:  # the reply comes through the bot's own process
                    chat = [m.content async for m in as_alice.messages.history(echo.user_id)]
                    if "echo: hello, bot" in chat:
                        break
                    await anyio.sleep(0.02)
    finally:
        for proc in (bot, emulator):
            if proc is not None and proc.returncode is None:
                proc.terminate()
                await proc.wait()
    assert emulator.returncode == 0  # SIGTERM is how a server is stopped


@pytest.mark.anyio
async def test_groups_create_prints_the_new_group_id(
    env: Emulator, client: LanyingClient, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = await client.users.register(username="creator", password="pw")
    argv = ["groups", "create", "Beta testers", "--description", "early builds"]

    assert await lanying(*argv, "--as-user", str(owner.user_id), "--type", "chatroom") == 0

    group_id = int(capsys.readouterr().out)
    group = env.app_state().groups[group_id]
    assert (group.name, group.description, group.owner_id) == (
        "Beta testers",
        "early builds",
        owner.user_id,
    )
    assert group.type == 2

    assert await lanying(*argv, "--as-user", "5", "--emulator") == 0
    assert int(capsys.readouterr().out) > 0


def test_the_http_refusal_names_the_flag(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANYING_API_ENDPOINT", "http://api.example.com")
    monkeypatch.setenv("LANYING_APP_ID", "app")
    monkeypatch.setenv("LANYING_ACCESS_TOKEN", "tok-never-shown")
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n")

    assert main(["messages", "send", str(ids), "--text", "x"]) == 2
    assert main(["users", "export"]) == 2
    err = capsys.readouterr().err
    assert err.count("pass --allow-insecure-http") == 2
    assert "allow_insecure_http=True" not in err and "tok-never-shown" not in err


@pytest.mark.parametrize(
    "argv", [["operations"], ["users", "export", "--emulator", "--progress", "off"]]
)
def test_a_reader_that_goes_away_ends_the_command_quietly(argv: list[str]) -> None:
    with subprocess.Popen([*CLI, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # as `| head -1` does, before the command writes
        err = proc.stderr.read().decode()
        status = proc.wait(timeout=60)
    assert status == 0, err
    assert "Error" not in err and "Traceback" not in err


def test_lanying_operations_and_the_readme_agree_on_the_counts() -> None:
    done = subprocess.run([*CLI, "operations"], capture_output=True, text=True, check=True)
    text = " ".join(README.read_text(encoding="utf-8").split())
    found = re.search(
        r"the (\d+) method and path pairs of the vendor's specification plus the guide's "
        r"`[^`]+` and `[^`]+`, (\d+) operations",
        text,
    )
    assert found is not None
    pairs, operations = int(found[1]) + 2, int(found[2])
    assert len(done.stdout.splitlines()) == operations
    assert done.stderr == f"{operations} operations, {pairs} method and path pairs\n"


def test_the_readme_pytest_snippet_runs_as_written(tmp_path: Path) -> None:
    section = README.read_text(encoding="utf-8").split("## Testing your code with the emulator")[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "test_snippet.py").write_text(snippet, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=clean,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
