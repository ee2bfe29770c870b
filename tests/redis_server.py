"""A real Redis server for the tests that need one.

Found in this order: ``$REDIS_URL`` when set; else a ``redis-server`` from
PATH started on a free loopback port for this test session (it keeps nothing
on disk unless a test asks for AOF); else the test is skipped with the
install hint, except under ``CI=true``, where a missing Redis fails the test:
CI must run every check against a real server.

Tests that kill and restart Redis start their own server with
:func:`start_redis` so the shared one is never disturbed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ports import free_port

__all__ = ["INSTALL_HINT", "RedisServer", "redis_url_or_skip", "start_redis"]

INSTALL_HINT = (
    "Redis is needed: set REDIS_URL, or install redis-server "
    "(apt-get install redis-server; brew install redis)"
)


def _missing(reason: str) -> None:
    message = f"{reason}. {INSTALL_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisServer:
    """A ``redis-server`` process of the test's own, on a free port."""

    directory: Path
    aof: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            _missing("redis-server is not on PATH")
            raise AssertionError("unreachable")
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--dir", str(self.directory), "--protected-mode", "no"]
        if self.aof:  # every write on disk before it is answered: a SIGKILL loses nothing
            args += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            args += ["--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)
        return self

    def kill(self) -> None:
        """SIGKILL: the server dies with whatever it had not written."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


def start_redis(directory: Path, *, aof: bool = False) -> RedisServer:
    """Start a private ``redis-server`` (skipped, or failed under CI, when there is none)."""
    return RedisServer(directory, aof=aof).start()


_shared: RedisServer | None = None


def redis_url_or_skip(tmp_root: Path) -> str:
    """The URL of the session's Redis: ``$REDIS_URL``, else one started for the session."""
    global _shared
    configured = os.environ.get("REDIS_URL")
    if configured:
        return configured
    if _shared is None:
        _shared = start_redis(tmp_root / "redis-shared")
    return _shared.url


def stop_shared() -> None:
    global _shared
    if _shared is not None:
        _shared.stop()
        _shared = None


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis URL for the test session (see the module's docstring)."""
    try:
        yield redis_url_or_skip(tmp_path_factory.getbasetemp())
    finally:
        stop_shared()
