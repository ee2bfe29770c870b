"""Progress of a long job on stderr: a live bar on a terminal, plain lines in a log.

Both show items done (of the total when it is known), items failed, the rate
and, with a total, the time left. The bar redraws one line at most ten times a
second; plain lines come at most every few seconds, so a log of a long job
stays short. Nothing here knows about the SDK: callers feed counts.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import Literal, Protocol, TextIO

__all__ = [
    "BarProgress",
    "LineProgress",
    "Progress",
    "ProgressMode",
    "SilentProgress",
    "describe",
    "duration",
    "make_progress",
]

ProgressMode = Literal["auto", "bar", "lines", "off"]
Clock = Callable[[], float]

BAR_REFRESH = 0.1
"""Seconds between two redraws of the bar."""
LINE_INTERVAL = 5.0
"""Seconds between two plain progress lines."""


class Progress(Protocol):
    """Receives the running counts of one job."""

    def update(self, done: int, failed: int) -> None: ...

    def finish(self) -> None:
        """Show the final counts (call once, also when the job was interrupted)."""


def duration(seconds: float) -> str:
    """``7s``, ``2m05s`` or ``1h02m``: short enough for a progress line."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def describe(
    label: str, done: int, failed: int, total: int | None, elapsed: float, *, final: bool = False
) -> str:
    """One progress line: counts, rate and (while running, with a total) the time left."""
    counted = f"{done:,}/{total:,}" if total is not None else f"{done:,}"
    parts = [f"{label}: {counted} done"]
    if total and not final:
        parts[0] += f" ({min(100, done * 100 // total)}%)"
    parts.append(f"{failed:,} failed")
    rate = done / elapsed if elapsed > 0 else 0.0
    if final:
        parts.append(f"in {elapsed:.1f}s ({rate:,.0f}/s)")
        return ", ".join(parts)
    parts.append(f"{rate:,.0f}/s")
    if total is not None and rate > 0 and done < total:
        parts.append(f"ETA {duration((total - done) / rate)}")
    return ", ".join(parts)


class SilentProgress:
    """Shows nothing (``--progress off``)."""

    def update(self, done: int, failed: int) -> None:
        pass

    def finish(self) -> None:
        pass


class _Counting:
    def __init__(self, label: str, total: int | None, stream: TextIO, clock: Clock) -> None:
        self.label = label
        self.total = total
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.failed = 0
        self._finished = False

    def _count(self, done: int, failed: int) -> None:
        self.done = done
        self.failed = failed

    def _close_once(self) -> bool:
        if self._finished:
            return False
        self._finished = True
        return True


class LineProgress(_Counting):
    """A plain line every ``interval`` seconds at most, and a final one."""

    def __init__(
        self,
        label: str,
        total: int | None,
        stream: TextIO,
        clock: Clock = time.monotonic,
        interval: float = LINE_INTERVAL,
    ) -> None:
        super().__init__(label, total, stream, clock)
        self.interval = interval
        self._last_line = self.started

    def update(self, done: int, failed: int) -> None:
        self._count(done, failed)
        now = self.clock()
        if now - self._last_line >= self.interval:
            self._last_line = now
            self._write(describe(self.label, done, failed, self.total, now - self.started))

    def finish(self) -> None:
        if self._close_once():
            elapsed = self.clock() - self.started
            line = describe(self.label, self.done, self.failed, self.total, elapsed, final=True)
            self._write(line)

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()


class BarProgress(_Counting):
    """One line redrawn in place: ``label [#####.....] 450/1,000 (45%), 2 failed, ...``."""

    def __init__(
        self,
        label: str,
        total: int | None,
        stream: TextIO,
        clock: Clock = time.monotonic,
        width: int | None = None,
    ) -> None:
        super().__init__(label, total, stream, clock)
        self.width = width or shutil.get_terminal_size().columns
        self._last_draw: float | None = None

    def update(self, done: int, failed: int) -> None:
        self._count(done, failed)
        now = self.clock()
        if self._last_draw is None or now - self._last_draw >= BAR_REFRESH:
            self._last_draw = now
            self._draw(self.render(now - self.started))

    def finish(self) -> None:
        if self._close_once():
            elapsed = self.clock() - self.started
            line = describe(self.label, self.done, self.failed, self.total, elapsed, final=True)
            self._draw(line)
            self.stream.write("\n")
            self.stream.flush()

    def render(self, elapsed: float) -> str:
        """The bar line for the current counts, cut to the terminal width."""
        text = describe(self.label, self.done, self.failed, self.total, elapsed)
        if not self.total:
            return text[: self.width - 1]
        room = self.width - len(text) - 4
        cells = max(0, min(40, room))
        if cells < 10:  # too narrow for a useful bar: the numbers matter more
            return text[: self.width - 1]
        filled = min(cells, self.done * cells // self.total)
        label, _, numbers = text.partition(": ")
        return f"{label} [{'#' * filled}{'.' * (cells - filled)}] {numbers}"

    def _draw(self, line: str) -> None:
        # Carriage return, the line, then erase what a longer earlier line left.
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()


def make_progress(
    label: str,
    total: int | None,
    mode: ProgressMode = "auto",
    stream: TextIO | None = None,
) -> Progress:
    """The display for ``mode``: ``auto`` is a bar when the stream is a terminal."""
    out = stream if stream is not None else sys.stderr
    if mode == "off":
        return SilentProgress()
    if mode == "bar" or (mode == "auto" and out.isatty()):
        return BarProgress(label, total, out)
    return LineProgress(label, total, out)
