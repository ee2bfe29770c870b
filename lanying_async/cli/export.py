"""Writing what a paginator yields as JSON lines, to a file or stdout, with progress."""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterable, Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import anyio.to_thread
import msgspec

from lanying_async.cli import event_loop
from lanying_async.cli.connect import Seed, connect
from lanying_async.cli.errors import EXIT_OK, UsageError
from lanying_async.cli.options import add_connection_options, add_progress_option
from lanying_async.cli.progress import Progress, make_progress
from lanying_async.client import LanyingClient

__all__ = ["add_export_options", "open_output", "run_export", "write_jsonl"]

WRITE_BATCH = 500
"""Lines written to the output at once (off the event loop)."""


def add_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", default="-", metavar="PATH", help="where to write (default: stdout)"
    )
    add_progress_option(parser)
    add_connection_options(parser)


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """The file at ``path`` (created or truncated), or stdout for ``-``."""
    if path == "-":
        yield sys.stdout
        return
    try:
        stream = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    with stream:
        yield stream


async def write_jsonl(items: AsyncIterable[msgspec.Struct], out: TextIO, progress: Progress) -> int:
    """Write each item as one JSON line; returns how many were written."""
    encoder = msgspec.json.Encoder()
    lines: list[str] = []
    count = 0
    async for item in items:
        lines.append(encoder.encode(item).decode())
        count += 1
        if len(lines) >= WRITE_BATCH:
            await anyio.to_thread.run_sync(out.write, "\n".join(lines) + "\n")
            lines.clear()
            progress.update(count, 0)
    if lines:
        await anyio.to_thread.run_sync(out.write, "\n".join(lines) + "\n")
    await anyio.to_thread.run_sync(out.flush)
    progress.update(count, 0)
    return count


def run_export(
    args: argparse.Namespace,
    noun: str,
    items: Callable[[LanyingClient], AsyncIterable[msgspec.Struct]],
    seed: Seed | None = None,
) -> int:
    """Export ``items(client)`` to ``--output``; the summary goes to stderr (stdout is data)."""
    with open_output(args.output) as out:

        async def work() -> int:
            async with connect(args, seed) as client:
                progress = make_progress(f"export {noun}", None, args.progress)
                try:
                    count = await write_jsonl(items(client), out, progress)
                finally:
                    progress.finish()
            where = "stdout" if args.output == "-" else args.output
            sys.stderr.write(f"exported {count:,} {noun} to {where}\n")
            return EXIT_OK

        return event_loop.run(work())
