"""The ``lanying`` command tree, and turning what a command did into its exit status."""

from __future__ import annotations

import argparse
import signal
import sys
import textwrap
from collections.abc import Sequence

from lanying_async._version import __version__
from lanying_async.cli.command import Command
from lanying_async.cli.commands.demo import DEMO
from lanying_async.cli.commands.emulator import EMULATOR
from lanying_async.cli.commands.group_create import CREATE_GROUP
from lanying_async.cli.commands.group_members import MEMBERS
from lanying_async.cli.commands.group_membership import INVITE, KICK
from lanying_async.cli.commands.jobs_control import JOBS_CANCEL, JOBS_REPORT, JOBS_STATUS
from lanying_async.cli.commands.jobs_run import JOBS_RUN
from lanying_async.cli.commands.jobs_workers import JOBS_RESUME, JOBS_SUBMIT, JOBS_WORKER
from lanying_async.cli.commands.messages_send import SEND
from lanying_async.cli.commands.operations import OPERATIONS
from lanying_async.cli.commands.push_send import PUSH_SEND
from lanying_async.cli.commands.push_task import PUSH_TASK
from lanying_async.cli.commands.users_export import EXPORT_USERS
from lanying_async.cli.commands.users_import import IMPORT_USERS
from lanying_async.cli.errors import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, UsageError
from lanying_async.cli.output import silence_stdout
from lanying_async.cli.signals import Terminated, exit_status, terminate_raises
from lanying_async.errors import ConfigurationError, LanyingError, ValidationError

__all__ = ["build_parser", "main"]

TOP_LEVEL = (DEMO, OPERATIONS, EMULATOR)
GROUPS: tuple[tuple[str, str, tuple[Command, ...]], ...] = (
    ("users", "import users from CSV or JSONL, export them as JSONL", (IMPORT_USERS, EXPORT_USERS)),
    (
        "groups",
        "create a group, invite or kick many users, export a group's members",
        (CREATE_GROUP, INVITE, KICK, MEMBERS),
    ),
    ("push", "push notifications to many devices, read push statistics", (PUSH_SEND, PUSH_TASK)),
    ("messages", "send a message to many users or groups", (SEND,)),
    (
        "jobs",
        "run batch commands as durable jobs that survive a crash, here or on worker "
        "processes; watch, report, cancel, resume them",
        (
            JOBS_RUN,
            JOBS_SUBMIT,
            JOBS_WORKER,
            JOBS_RESUME,
            JOBS_STATUS,
            JOBS_REPORT,
            JOBS_CANCEL,
        ),
    ),
)
DESCRIPTION_WIDTH = 78
DESCRIPTION = """lanying-async: tools for the Lanying IM server API.

Batch commands (users, groups, push, messages, jobs run) connect with
--endpoint/--app-id/--access-token-file, the LANYING_* environment or a --config
file, or rehearse on an in-process emulator with --emulator. They exit with 0
when every item succeeded, 1 when some did not (see --report), 2 for a usage or
configuration error (a wrong token or an unknown group included: the job
stops), 130 or 143 when stopped by SIGINT or SIGTERM (the outputs and the
report are complete)."""


def _add(commands: argparse._SubParsersAction[argparse.ArgumentParser], command: Command) -> None:
    parser = commands.add_parser(
        command.name,
        help=command.help,
        description=textwrap.fill(command.description or command.help, DESCRIPTION_WIDTH),
        epilog=command.epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.configure(parser)
    parser.set_defaults(run=command.run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lanying",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lanying-async {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in TOP_LEVEL:
        _add(commands, command)
    for name, help_text, members in GROUPS:
        group = commands.add_parser(name, help=help_text, description=help_text)
        actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
        for command in members:
            _add(actions, command)
    return parser


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"lanying: error: {message}\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``lanying`` command; returns its exit status (help and usage errors too)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and usage errors
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if getattr(args, "run", None) is None:
        parser.print_help()
        return 0
    try:
        with terminate_raises():
            status: int = args.run(args)
    except (UsageError, ConfigurationError, ValidationError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except LanyingError as exc:  # the SDK keeps the token out of its messages
        return _fail(str(exc), EXIT_FAILURES)
    except KeyboardInterrupt:
        return _fail("interrupted", exit_status(signal.SIGINT))
    except Terminated:
        return _fail("terminated", exit_status(signal.SIGTERM))
    except BrokenPipeError:  # the reader of stdout went away (e.g. `| head -1`): done
        silence_stdout()
        return EXIT_OK
    return status
