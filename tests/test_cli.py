"""The ``lanying`` command: help, the demo, and the standalone emulator."""

from __future__ import annotations

import asyncio
import importlib.metadata
import os
import subprocess
import sys

import pytest

import lanying_async
from lanying_async import LanyingClient
from tests.ports import free_port

CLI = [sys.executable, "-W", "error", "-m", "lanying_async.cli"]


def test_help_lists_the_commands() -> None:
    out = subprocess.run([*CLI, "--help"], capture_output=True, text=True, check=True).stdout
    assert "demo" in out and "emulator" in out


def test_help_and_version_leave_the_emulator_unimported() -> None:
    # -X importtime names every module imported, one per line on stderr.
    for flag in ("--help", "--version"):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *CLI[1:], flag],
            capture_output=True,
            text=True,
            check=True,
        )
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
        assert "lanying_async.cli.app" in imported
        assert not {m for m in imported if m.startswith("lanying_async.emulator")}
        assert not {"aiohttp.web", "lanying_async.testing", "lanying_async.demo"} & imported


def test_version_is_the_package_version() -> None:
    done = subprocess.run([*CLI, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout == f"lanying-async {lanying_async.__version__}\n"
    assert lanying_async.__version__ == importlib.metadata.version("lanying-async")


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


@pytest.mark.anyio
async def test_standalone_emulator_serves_the_sdk() -> None:
    port = free_port()
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


@pytest.mark.anyio
async def test_standalone_emulator_loads_a_fault_plan(tmp_path: object) -> None:
    import json
    from pathlib import Path

    import aiohttp

    plan = Path(str(tmp_path)) / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "seed": 3,
                "rules": [
                    {
                        "fault": {"kind": "server_error", "status": 503},
                        "method": "POST",
                        "path": "/user/register/v2",
                        "requests": [1],
                    }
                ],
            }
        )
    )
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        "emulator",
        "--port",
        str(port),
        "--faults",
        str(plan),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = [
            (await asyncio.wait_for(proc.stdout.readline(), timeout=30)).decode() for _ in range(4)
        ]
        assert any("faults:" in line and "1 rules, seed 3" in line for line in lines)
        url = f"http://127.0.0.1:{port}/user/register/v2"
        body = {"username": "faulty", "password": "pw"}
        headers = {"app_id": "lanying_emulator_app"}
        async with aiohttp.ClientSession() as raw:
            first = await raw.post(url, json=body, headers=headers)
            second = await raw.post(url, json=body, headers=headers)
            assert first.status == 503
            assert second.status == 200 and (await second.json())["code"] == 200
    finally:
        proc.terminate()
        await proc.wait()


def test_emulator_refuses_a_bad_fault_plan(tmp_path: object) -> None:
    from pathlib import Path

    plan = Path(str(tmp_path)) / "bad.json"
    plan.write_text('{"rules": [{"fault": {"kind": "no_such_fault"}}]}')
    done = subprocess.run(
        [*CLI, "emulator", "--faults", str(plan)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "lanying emulator:" in done.stderr
