"""``lanying emulator``: serve the in-memory Lanying emulator until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from typing import TYPE_CHECKING

from lanying_async.cli import event_loop
from lanying_async.cli.command import Command
from lanying_async.cli.signals import STOP_SIGNALS, Terminated, on_loop
from lanying_async.config import ENV_APP_ID, ENV_ENDPOINT, ENV_TOKEN

if TYPE_CHECKING:
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
    parser.add_argument(
        "--callback-url",
        metavar="URL",
        help="POST every message delivered to URL, as the service's message callbacks do "
        "(e.g. http://127.0.0.1:8081/lanying/callback for examples/echo_bot.py)",
    )
    parser.add_argument(
        "--callback-secret",
        metavar="SECRET",
        help="the signature header the callbacks carry (needed with --callback-url)",
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
        if args.callback_url:
            emu.enable_callbacks(args.callback_url, args.callback_secret)
        # A local development server: showing its own token is the point.
        lines = [
            f"Lanying emulator on {emu.url}",
            f"  app_id:       {emu.app_id}",
            f"  admin token:  {emu.admin_token}",
        ]
        if faults is not None:
            lines.append(f"  faults:       {len(faults.rules)} rules, seed {faults.seed}")
        if args.callback_url:
            lines.append(f"  callbacks:    {args.callback_url}")
        lines.append("To connect the SDK or the lanying command to it:")
        settings = ((ENV_ENDPOINT, emu.url), (ENV_APP_ID, emu.app_id), (ENV_TOKEN, emu.admin_token))
        lines += [f"  export {name}={shlex.quote(value)}" for name, value in settings]
        lines.append("Press Ctrl+C to stop.")
        print("\n".join(lines), flush=True)
        await _stop_signal()
    return 0


async def _stop_signal() -> None:
    """Wait for SIGINT or SIGTERM (on the main thread; elsewhere, for cancellation)."""
    stop = asyncio.Event()
    with on_loop(dict.fromkeys(STOP_SIGNALS, stop.set)):
        await stop.wait()


def _run(args: argparse.Namespace) -> int:
    if bool(args.callback_url) != bool(args.callback_secret):
        print(
            "lanying emulator: give --callback-url and --callback-secret together", file=sys.stderr
        )
        return 2
    from lanying_async.emulator.faults import FaultPlan  # only when serving: it brings aiohttp.web

    try:
        faults = FaultPlan.load(args.faults) if args.faults else None
    except (OSError, ValueError) as exc:
        print(f"lanying emulator: {exc}", file=sys.stderr)
        return 2
    try:
        return event_loop.run(_serve(args, faults), handles_signals=True)
    except (KeyboardInterrupt, Terminated):  # a stop before the handlers were in place
        return 0


EMULATOR = Command(
    "emulator",
    "serve the in-memory Lanying emulator until interrupted",
    _configure,
    _run,
    description="Serve the in-memory Lanying emulator over HTTP until SIGINT or SIGTERM, and "
    "print the environment that connects the SDK and the lanying command to it.",
    epilog="""example (the echo bot of examples/echo_bot.py, end to end):
  lanying emulator --port 8080 --callback-url http://127.0.0.1:8081/lanying/callback \\
      --callback-secret s3cret
""",
)
