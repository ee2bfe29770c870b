"""The ``lanying`` command: help, the demo, and the standalone emulator."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import pytest

from lanying_async import LanyingClient

CLI = [sys.executable, "-W", "error", "-m", "lanying_async.cli"]


def test_help_lists_the_commands() -> None:
    out = subprocess.run([*CLI, "--help"], capture_output=True, text=True, check=True).stdout
    assert "demo" in out and "emulator" in out


def test_operations_lists_the_catalog() -> None:
    out = subprocess.run([*CLI, "operations"], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert len(lines) == 137
    assert any("/group/invite" in line and "client.groups.invite" in line for line in lines)


def test_demo_runs_the_guide_flow() -> None:
    done = subprocess.run([*CLI, "demo"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for step in (
        "registered 4 users",
        "invited 3 users: 3 joined",
        "listed 4 members over 2",
        "sent a text message",
        "pushed to 3 users",
        "destroyed group",
    ):
        assert step in out
    assert done.stderr == ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.anyio
async def test_standalone_emulator_serves_the_sdk() -> None:
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        "emulator",
        "--port",
        str(port),
        "--admin-token",
        "local-dev-token",
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        first = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        assert f"127.0.0.1:{port}" in first.decode()
        async with LanyingClient(
            api_endpoint=f"http://127.0.0.1:{port}",
            app_id="lanying_emulator_app",
            access_token="local-dev-token",
        ) as client:
            user = await client.users.register(username="standalone", password="pw")
            assert user.user_id > 0
    finally:
        proc.terminate()
        await proc.wait()


def test_quickstart_example_runs_on_the_emulator() -> None:
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "examples" / "quickstart.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    done = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "push task:" in done.stdout
