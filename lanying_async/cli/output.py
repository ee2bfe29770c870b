"""Lines for the user on stdout, when nobody may be reading any more (``| head -1``)."""

from __future__ import annotations

import io
import os
import sys

__all__ = ["say", "silence_stdout"]


def silence_stdout() -> None:
    """Point stdout at the null device: its reader went away, and Python's final flush
    would otherwise fail (and report it) on the way out."""
    try:
        target = sys.stdout.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file: nothing to flush
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, target)
    finally:
        os.close(devnull)


def say(line: str) -> None:
    """Print one line now; a closed stdout is no reason to stop a batch job halfway."""
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
