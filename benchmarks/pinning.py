"""Which core the client runs on and which one the servers get, and how servers keep time.

With two or more cores the client and the servers never compete for one, so a
server's work does not show up as client time. A server that has a core to
itself also keeps that core busy polling (``--poll``, see
:mod:`benchmarks.polling_loop`): on virtual machines waking an idle core takes
a hypervisor round trip of 100 µs or more, which would otherwise be added to
every request of every client, and answers held for a latency leave on time.
The polling is not counted as the server's work. With one core everything
shares it and nothing polls.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from benchmarks.polling_loop import PollingSelector
from benchmarks.polling_loop import run as run_polling

__all__ = [
    "CorePlan",
    "ServerClock",
    "add_core_arguments",
    "pin_current_process",
    "plan_cores",
]


@dataclass(frozen=True, slots=True)
class CorePlan:
    client: int | None
    """The core of the benchmark process (None: not pinned)."""
    server: int | None
    """The core of every server process (None: not pinned)."""

    @property
    def separate(self) -> bool:
        return self.client is not None and self.client != self.server

    def server_arguments(self) -> list[str]:
        """Command-line arguments that place a server process on its core."""
        if self.server is None:
            return []
        return ["--core", str(self.server), *(["--poll"] if self.separate else [])]

    def describe(self) -> str:
        if self.client is None:
            return "not pinned (no CPU affinity on this platform)"
        if not self.separate:
            return f"client and servers share core {self.client} (one core available)"
        return (
            f"client on core {self.client}; servers on core {self.server}, polling instead of "
            "sleeping (the polling is not counted as their CPU time)"
        )


def plan_cores() -> CorePlan:
    """The first allowed core for the client, the last for the servers."""
    if not hasattr(os, "sched_getaffinity"):
        return CorePlan(None, None)
    cores = sorted(os.sched_getaffinity(0))
    return CorePlan(cores[0], cores[-1])


def pin_current_process(core: int | None) -> None:
    """Keep this process (and threads it starts later) on ``core``."""
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def add_core_arguments(parser: argparse.ArgumentParser) -> None:
    """``--core N`` and ``--poll``, as :meth:`CorePlan.server_arguments` passes."""
    parser.add_argument("--core", type=int, default=None, help="CPU core to pin this process to")
    parser.add_argument(
        "--poll",
        action="store_true",
        help="poll instead of sleeping, not counted as CPU time (only on a core of its own)",
    )


class ServerClock:
    """How a server process waits: sleeping in the kernel, or polling."""

    def __init__(self, *, poll: bool = False) -> None:
        self._selector = PollingSelector() if poll else None

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> ServerClock:
        return cls(poll=args.poll)

    def run(self, main: Coroutine[Any, Any, None]) -> None:
        if self._selector is None:
            asyncio.run(main)
        else:
            run_polling(main, self._selector)

    def came_in(self) -> float:
        """Loop time when the bytes being read now reached the server.

        Polling, that is when the poll saw them, before the loop turned to
        any of the requests it found: a held answer then counts the server's
        own work on it and on the requests that came in beside it.
        """
        return time.monotonic() if self._selector is None else self._selector.woke_at

    def cpu_seconds(self) -> float:
        """CPU time the process used on its work (polling left out)."""
        polled = 0.0 if self._selector is None else self._selector.polling_cpu
        return time.process_time() - polled
