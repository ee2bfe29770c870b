"""``lanying emulator``: serve the in-memory Lanying emulator until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import sys

from lanying_async.cli import event_loop
from lanying_async.cli.command import Command
from lanying_async.emulator.faults import FaultPlan

__all__ = ["EMULATOR"]


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind (8080)")
    parser.add_argument("--app-id", default=None, help="app id to accept")
    parser.add_argument(
        "--admin-token", default=None, help="admin token to accept (default: a random one)"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="the least seconds each request takes"
    )
    parser.add_argument(
        "--faults", metavar="FILE", default=None, help="inject the faults of a JSON fault plan"
    )


async def _serve(args: argparse.Namespace, faults: FaultPlan | None) -> int:
    from lanying_async.testing import DEFAULT_APP_ID, Emulator

    emu = Emulator(
        host=args.host,
        port=args.port,
        app_id=args.app_id or DEFAULT_APP_ID,
        admin_token=args.admin_token,
        latency=args.latency,
        faults=faults,
    )
    async with emu:
        # A local development server: showing its own token is the point.
        print(f"Lanying emulator on {emu.url}", flush=True)
        print(f"  app_id:       {emu.app_id}", flush=True)
        print(f"  admin token:  {emu.admin_token}", flush=True)
        if faults is not None:
            print(f"  faults:       {len(faults.rules)} rules, seed {faults.seed}", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        await asyncio.Event().wait()
    return 0


def _run(args: argparse.Namespace) -> int:
    try:
        faults = FaultPlan.load(args.faults) if args.faults else None
    except (OSError, ValueError) as exc:
        print(f"lanying emulator: {exc}", file=sys.stderr)
        return 2
    try:
        return event_loop.run(_serve(args, faults))
    except KeyboardInterrupt:
        return 0


EMULATOR = Command(
    "emulator", "serve the in-memory Lanying emulator until interrupted", _configure, _run
)
