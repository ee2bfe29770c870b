"""The ``lanying`` command's event loop: uvloop when installed, asyncio's on request."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys

import pytest

from lanying_async.cli import event_loop
from lanying_async.cli.errors import UsageError

CLI = [sys.executable, "-W", "error", "-m", "lanying_async.cli"]


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_commands_run_on_uvloop_when_it_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(event_loop.ENV_VAR, raising=False)
    assert event_loop.run(_loop_module()).startswith("uvloop")


@pytest.mark.parametrize("value", ["asyncio", " AsyncIO "])
def test_asyncio_is_kept_on_request(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(event_loop.ENV_VAR, value)
    assert event_loop.run(_loop_module()).startswith("asyncio")


def test_without_uvloop_the_command_falls_back_or_refuses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as if it were not installed
    monkeypatch.setenv(event_loop.ENV_VAR, "auto")
    assert event_loop.run(_loop_module()).startswith("asyncio")

    monkeypatch.setenv(event_loop.ENV_VAR, "uvloop")
    main = _loop_module()
    with pytest.raises(UsageError, match=r'pip install "lanying-async\[uvloop\]"'):
        event_loop.run(main)
    assert inspect.getcoroutinestate(main) == inspect.CORO_CLOSED


def test_an_unknown_loop_is_a_usage_error_before_anything_runs() -> None:
    env = {**os.environ, event_loop.ENV_VAR: "tokio"}
    done = subprocess.run([*CLI, "demo"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "lanying: error: LANYING_EVENT_LOOP must be one of auto, uvloop, asyncio\n"
    )
