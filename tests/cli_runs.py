"""Running the ``lanying`` command as a real process against a server the test serves."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest

from lanying_async import GroupType, LanyingClient
from lanying_async.cli import main
from lanying_async.testing import Emulator

CLI = [sys.executable, "-W", "error", "-m", "lanying_async.cli"]
INTERRUPTIBLE_CLI = [
    sys.executable,
    "-W",
    "error",
    "-c",
    # A shell may run the tests with SIGINT ignored (a background job), which the command
    # inherits and then respects: a test that sends it one gives it Python's default back.
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from lanying_async.cli import main; sys.exit(main())",
]


def cli_env(url: str, app_id: str, token: str, **extra: str) -> dict[str, str]:
    """This process's environment, with the LANYING_* settings of one server only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    env |= {"LANYING_API_ENDPOINT": url, "LANYING_APP_ID": app_id, "LANYING_ACCESS_TOKEN": token}
    env["PYTHONUNBUFFERED"] = "1"
    return env | extra


async def start(
    *argv: str, env: dict[str, str], stdin: bytes | None = None, stdin_open: bool = False
) -> asyncio.subprocess.Process:
    """The command as a process; ``stdin``: what it reads there, then the end of it
    (unless ``stdin_open``)."""
    proc = await asyncio.create_subprocess_exec(
        *INTERRUPTIBLE_CLI,
        *argv,
        stdin=asyncio.subprocess.DEVNULL if stdin is None else asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        await proc.stdin.drain()
        if not stdin_open:
            proc.stdin.close()
    return proc


async def until(condition: Callable[[], bool], seconds: float = 30) -> None:
    """Wait (on the test's loop, which serves the emulator) until ``condition()`` holds."""
    with anyio.fail_after(seconds):
        # The emulator's request log has no event to wait on: look again after each request.
        while not condition():  # noqa: ASYNC110
            await anyio.sleep(0.005)


async def stderr_until(proc: asyncio.subprocess.Process, text: str, seconds: float = 30) -> str:
    """Read the process's stderr up to the first line holding ``text``; returns what was read."""
    assert proc.stderr is not None
    seen: list[str] = []
    with anyio.fail_after(seconds):
        while True:
            line = (await proc.stderr.readline()).decode()
            if not line:
                raise AssertionError(f"stderr ended before {text!r}: {''.join(seen)}")
            seen.append(line)
            if text in line:
                return "".join(seen)


async def finish(proc: asyncio.subprocess.Process, seconds: float = 30) -> tuple[str, str]:
    out, err = await asyncio.wait_for(proc.communicate(), seconds)
    return out.decode(), err.decode()


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def error_lines(err: str) -> list[str]:
    """The lines of stderr that report an error (a stop's reason), and no traceback."""
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if line.startswith("lanying: error:")]


async def lanying(*argv: str) -> int:
    """Run the CLI in-process on a worker thread, so the test's loop keeps serving."""
    return await anyio.to_thread.run_sync(main, list(argv))


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> Emulator:
    """The LANYING_* environment pointing at the test's emulator."""
    monkeypatch.setenv("LANYING_API_ENDPOINT", emu.url)
    monkeypatch.setenv("LANYING_APP_ID", emu.app_id)
    monkeypatch.setenv("LANYING_ACCESS_TOKEN", emu.admin_token)
    return emu


async def register(client: LanyingClient, count: int, prefix: str) -> list[int]:
    people = [(f"{prefix}_{i:04d}", "pw") for i in range(count)]
    report = await client.users.bulk_register(people)
    assert report.ok
    return [report.results[name] for name, _ in people]


async def room(client: LanyingClient, owner: int, members: list[int] | None = None) -> int:
    view = client.as_user(owner)
    group = await view.groups.create(name="room", type=GroupType.CHATROOM, members=members)
    return group.group_id


@dataclass(frozen=True, slots=True)
class Invitation:
    """A chat room, its owner, users to invite listed in a file, and the command to invite."""

    owner: int
    group_id: int
    guests: list[int]
    ids: Path
    argv: list[str]


async def invitation(
    client: LanyingClient, guests: int, prefix: str, folder: Path, *, header: str = ""
) -> Invitation:
    """An owner, the owner's empty chat room and ``guests`` users listed one a line."""
    owner, *others = await register(client, guests + 1, prefix)
    group_id = await room(client, owner)
    ids = folder / "ids.txt"
    ids.write_text(header + "\n".join(map(str, others)) + "\n")
    argv = ["groups", "invite", str(group_id), str(ids), "--as-user", str(owner)]
    return Invitation(owner, group_id, others, ids, argv)
