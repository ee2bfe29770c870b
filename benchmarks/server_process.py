"""Run a benchmark server in its own process and talk to it over stdin/stdout.

The child prints one JSON line once it listens (at least ``{"url": ...}``),
then answers one line per command line; closing its stdin stops it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["REPO_ROOT", "ServerProcess", "answer_commands"]

REPO_ROOT = Path(__file__).resolve().parent.parent
STOP_TIMEOUT = 10.0


class ServerProcess:
    """``python -m <module> <args>``, started by ``with``."""

    def __init__(self, module: str, *args: str) -> None:
        self._command = [sys.executable, "-m", module, *args]
        self._process: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return str(self.info["url"])

    def __enter__(self) -> ServerProcess:
        process = subprocess.Popen(
            self._command,
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._process = process
        assert process.stdout is not None
        ready = process.stdout.readline()
        if not ready:
            self._stop()
            raise RuntimeError(f"{' '.join(self._command)} exited before listening")
        self.info = json.loads(ready)
        return self

    def command(self, line: str) -> str:
        """Send one command, return the child's one-line answer."""
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        process.stdin.write(line + "\n")
        process.stdin.flush()
        return process.stdout.readline().strip()

    def connections_accepted(self) -> int:
        return int(self.command("connections"))

    def reset_connections(self) -> None:
        self.command("reset")

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far."""
        return float(self.command("cpu"))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


# --- the child's end ------------------------------------------------------------


def answer_commands(
    handlers: Mapping[str, Callable[[], object]], on_eof: Callable[[], object]
) -> None:
    """Answer command lines from stdin on a thread; call ``on_eof`` when stdin closes.

    A thread, so blocking reads never stall the server's event loop; handlers
    only read or zero counters, which is safe from another thread.
    """

    def loop() -> None:
        for line in sys.stdin:
            handler = handlers.get(line.strip())
            answer = "unknown command" if handler is None else handler()
            print(answer, flush=True)
        on_eof()

    threading.Thread(target=loop, daemon=True).start()
