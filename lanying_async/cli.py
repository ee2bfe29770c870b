"""The ``lanying`` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from lanying_async._version import __version__

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lanying",
        description="lanying-async: tools for the Lanying IM server API.",
    )
    parser.add_argument("--version", action="version", version=f"lanying-async {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser(
        "demo", help="run the server-API guide's flow against an in-process emulator"
    )

    commands.add_parser(
        "operations", help="list every API operation and the SDK method that performs it"
    )

    emulator = commands.add_parser(
        "emulator", help="serve the in-memory Lanying emulator until interrupted"
    )
    emulator.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    emulator.add_argument("--port", type=int, default=8080, help="port to bind (8080)")
    emulator.add_argument("--app-id", default=None, help="app id to accept")
    emulator.add_argument(
        "--admin-token", default=None, help="admin token to accept (default: a random one)"
    )
    emulator.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    return parser


async def _serve_emulator(args: argparse.Namespace) -> int:
    from lanying_async.testing import DEFAULT_APP_ID, Emulator

    emu = Emulator(
        host=args.host,
        port=args.port,
        app_id=args.app_id or DEFAULT_APP_ID,
        admin_token=args.admin_token,
        latency=args.latency,
    )
    async with emu:
        print(f"Lanying emulator on {emu.url}", flush=True)
        print(f"  app_id:       {emu.app_id}", flush=True)
        print(f"  admin token:  {emu.admin_token}", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        await asyncio.Event().wait()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from lanying_async.demo import run_demo

        return asyncio.run(run_demo())
    if args.command == "operations":
        from lanying_async.catalog import CATALOG

        lines = [f"{op.sends:<7} {op.path:<44} client.{op.sdk}" for op in CATALOG]
        try:
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. piped into `head`
            sys.stderr.close()
        return 0
    if args.command == "emulator":
        try:
            return asyncio.run(_serve_emulator(args))
        except KeyboardInterrupt:
            return 0
    _parser().print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
