"""SIGINT and SIGTERM: a batch command stops cleanly, an other command at once.

During a batch command (see `Interrupts`) the first signal stops the
job from reading more input, so no new request starts, and the command waits
for the requests in flight; a second signal stops waiting (those requests'
items are reported ``unknown``). Either way the command then writes all its
outputs and exits with 128 + the first signal's number: 130 for SIGINT, 143
for SIGTERM.

Elsewhere SIGINT raises ``KeyboardInterrupt`` as usual and SIGTERM raises
`Terminated` (see `terminate_raises()`), so ``main`` turns both
into a one-line message and 130 or 143.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from types import FrameType
from typing import Any

import anyio

__all__ = [
    "STOP_SIGNALS",
    "Interrupts",
    "Terminated",
    "exit_status",
    "on_loop",
    "terminate_raises",
]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(BaseException):
    """SIGTERM arrived outside a batch job (like ``KeyboardInterrupt`` for SIGINT)."""


def exit_status(signum: int) -> int:
    """The shell's convention: 128 + the signal's number."""
    return 128 + signum


def _in_main_thread() -> bool:
    # Signal handlers can only be set there (tests run commands on other threads).
    return threading.current_thread() is threading.main_thread()


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def terminate_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` instead of ending the process."""
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def on_loop(callbacks: Mapping[signal.Signals, Callable[[], object]]) -> Iterator[None]:
    """Within the block, call back on the running loop when one of these signals arrives.

    Only on the main thread (elsewhere nothing changes). A signal the process
    was started ignoring stays ignored, as shells want for background jobs.
    """
    if not _in_main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    previous: dict[signal.Signals, Any] = {}
    for sig, callback in callbacks.items():
        handler = signal.getsignal(sig)
        if handler is signal.SIG_IGN:
            continue
        try:
            loop.add_signal_handler(sig, callback)
        except NotImplementedError:  # Windows' loops have none: the defaults stay
            break
        previous[sig] = handler
    try:
        yield
    finally:
        for sig, handler in previous.items():
            loop.remove_signal_handler(sig)
            signal.signal(sig, handler if callable(handler) else signal.SIG_DFL)


class Interrupts:
    """The stop signals a batch command received, handled on its event loop."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self._scopes: set[anyio.CancelScope] = set()

    @property
    def stopping(self) -> bool:
        """Has a signal asked the command to stop?"""
        return bool(self.received)

    @property
    def forced(self) -> bool:
        """Has a second signal asked it to stop waiting?"""
        return len(self.received) > 1

    @property
    def status(self) -> int | None:
        """The exit status the first signal calls for (None: no signal)."""
        return exit_status(self.received[0]) if self.received else None

    def receive(self, signum: int) -> None:
        """Act on one signal (the loop calls this; tests may too)."""
        self.received.append(signum)
        name = signal.Signals(signum).name
        if len(self.received) == 1:
            _say(
                f"lanying: {name}: starting no more requests, waiting for those in flight "
                "(again to stop waiting)"
            )
        elif len(self.received) == 2:
            _say(f"lanying: {name}: no longer waiting; their items are reported unknown")
            for scope in self._scopes:
                scope.cancel()

    def installed(self) -> AbstractContextManager[None]:
        """Handle SIGINT and SIGTERM on the running loop within the block (see `on_loop()`)."""
        return on_loop({sig: partial(self.receive, int(sig)) for sig in STOP_SIGNALS})

    @contextmanager
    def waiting(self) -> Iterator[anyio.CancelScope]:
        """A cancel scope for waiting on requests in flight, cancelled by a second signal."""
        with anyio.CancelScope() as scope:
            if self.forced:
                scope.cancel()
            self._scopes.add(scope)
            try:
                yield scope
            finally:
                self._scopes.discard(scope)


def _say(line: str) -> None:
    # A new line first: a progress bar may be drawn on the current one.
    stream = sys.stderr
    prefix = "\n" if stream.isatty() else ""
    stream.write(f"{prefix}{line}\n")
    stream.flush()
