"""``lanying demo``: the guide's flow and a batch job on an in-process emulator."""

from __future__ import annotations

import argparse

from lanying_async.cli import event_loop
from lanying_async.cli.command import Command

__all__ = ["DEMO"]


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(args: argparse.Namespace) -> int:
    from lanying_async.demo import run_demo

    return event_loop.run(run_demo())


DEMO = Command(
    "demo", "run the server-API guide's flow against an in-process emulator", _configure, _run
)
