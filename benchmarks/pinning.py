"""Which core the client runs on and which one the servers get.

With two or more cores the client and the servers never compete for one, so a
server's work does not show up as client time. A server that has a core to
itself also keeps that core busy polling (``--spin``): on virtual machines
waking an idle core takes a hypervisor round trip of 100 µs or more, which
would otherwise be added to every request of every client. With one core
everything shares it and nothing spins.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from dataclasses import dataclass

__all__ = [
    "CorePlan",
    "add_core_arguments",
    "pin_current_process",
    "plan_cores",
    "until_set",
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

    def server_arguments(self, *, spin: bool = True) -> list[str]:
        """Command-line arguments that place a server process on its core.

        ``spin=False`` for servers whose CPU time is reported (polling would count).
        """
        if self.server is None:
            return []
        return ["--core", str(self.server), *(["--spin"] if spin and self.separate else [])]

    def describe(self) -> str:
        if self.client is None:
            return "not pinned (no CPU affinity on this platform)"
        if not self.separate:
            return f"client and servers share core {self.client} (one core available)"
        return (
            f"client on core {self.client}; servers on core {self.server}, polling instead of "
            "sleeping"
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
    """``--core N`` and ``--spin``, as :meth:`CorePlan.server_arguments` passes them."""
    parser.add_argument("--core", type=int, default=None, help="CPU core to pin this process to")
    parser.add_argument(
        "--spin", action="store_true", help="poll instead of sleeping (only on a core of its own)"
    )


async def until_set(event: asyncio.Event) -> None:
    """Wait for ``event`` without ever letting the event loop sleep."""
    # Polling is the point: a loop that never blocks in the kernel is never woken late.
    while not event.is_set():  # noqa: ASYNC110
        await asyncio.sleep(0)
