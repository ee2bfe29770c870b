"""Console sessions in the docs, run for real while the site is built.

A page marks a fenced `console` block with `<!-- run -->` on the line before it; each
`$ command` line of the block is run by bash in one shared session (a scratch directory
and exported variables that last from block to block), against a `lanying emulator` the
session starts, and the block is rewritten with each command followed by its output
(stdout and stderr, as a terminal shows them). `<!-- run: may-fail -->` lets a command end
with a non-zero status (the output then says which); otherwise such a status fails the build,
so a page never shows an output its commands no longer give.

`<!-- file: NAME -->` before a fenced block writes the block's text to NAME in the scratch
directory (the block is shown as it is), so the commands have their input files.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

MARK = "<!-- run"
_FILE = re.compile(r"<!-- file: (?P<name>[^ ]+) -->\n```[^\n]*\n(?P<body>.*?)```", re.S)
_RUN = (
    r"(?P<indent>[ ]*)<!-- run(?P<opts>:[^>]*)? -->\n"
    r"(?P=indent)```console\n(?P<rbody>.*?)(?P=indent)```"
)
_BLOCK = re.compile(rf"{_FILE.pattern}|{_RUN}", re.S)
_TIMEOUT = 120.0


class ConsoleError(RuntimeError):
    """A command of a docs page did not run as the page says."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Session:
    """A scratch directory, a `lanying` on PATH and an emulator to talk to."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="lanying-docs-")
        self.dir = Path(self._tmp.name)
        bin_dir = self.dir / ".bin"
        bin_dir.mkdir()
        # The `lanying` of the interpreter building the site: the code being documented.
        shim = bin_dir / "lanying"
        python = shlex.quote(sys.executable)
        shim.write_text(f'#!/bin/sh\nexec {python} -m lanying_async.cli "$@"\n')
        shim.chmod(0o755)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("LANYING_") and key not in ("CI", "FORCE_COLOR")
        }
        self.env.update(
            PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            COLUMNS="88",
            NO_COLOR="1",
            PYTHONPATH=os.pathsep.join(p for p in sys.path if p and Path(p).is_dir()),
        )
        self._state = self.dir / ".session-env"
        self.emulator: subprocess.Popen[str] | None = None
        self.emulator_banner: list[str] = []
        self.emulator_command = ""

    def start_emulator(self) -> None:
        port = _free_port()
        self.emulator_command = f"lanying emulator --port {port}"
        self.emulator = subprocess.Popen(
            ["lanying", "emulator", "--port", str(port)],
            cwd=self.dir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.emulator.stdout is not None
        for line in self.emulator.stdout:
            self.emulator_banner.append(line.rstrip("\n"))
            match = re.match(r"\s*export (LANYING_\w+)=(\S+)", line)
            if match:
                self.env[match.group(1)] = match.group(2)
            if line.startswith("Press Ctrl+C"):
                break
        else:
            raise ConsoleError("lanying emulator ended before it printed its settings")

    def run(self, command: str, may_fail: bool) -> str:
        script = (
            f"set -a\n[ -f {self._state} ] && . {self._state}\n{command}\n"
            f"__status=$?\nexport -p > {self._state}\nexit $__status\n"
        )
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=self.dir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=_TIMEOUT,
            check=False,
        )
        output = done.stdout.replace(f"{self.dir}/", "")
        if done.returncode and not may_fail:
            raise ConsoleError(f"`{command}` exited with {done.returncode}:\n{output}")
        if done.returncode:
            output += f"[exit status {done.returncode}]\n"
        return output

    def write(self, name: str, text: str) -> None:
        (self.dir / name).write_text(text)

    def close(self) -> None:
        if self.emulator is not None:
            self.emulator.terminate()
            self.emulator.communicate(timeout=10)
        self._tmp.cleanup()


def _commands(body: str) -> list[str]:
    """The `$ ` lines of a block; a line ending in a backslash goes on to the next."""
    commands: list[str] = []
    pending = ""
    for line in body.strip().splitlines():
        if pending:
            pending += "\n" + line
        elif line.startswith("$ "):
            pending = line[2:]
        else:
            continue
        if not pending.endswith("\\"):
            commands.append(pending)
            pending = ""
    return commands


def render(markdown: str) -> str:
    """The page with every marked block run and rewritten (see the module's docstring)."""
    session = Session()
    try:
        session.start_emulator()
        out: list[str] = []
        position = 0
        for match in _BLOCK.finditer(markdown):
            out.append(markdown[position : match.start()])
            position = match.end()
            if match.group("name"):
                session.write(match.group("name"), match.group("body"))
                out.append(match.group(0).split("\n", 1)[1])
                continue
            opts = (match.group("opts") or "").lstrip(":").split()
            lines = []
            body = match.group("rbody").replace("\n" + match.group("indent"), "\n")
            for command in _commands(body):
                if command == "lanying emulator":
                    shown = "\n".join(session.emulator_banner)
                    lines.append(f"$ {session.emulator_command}\n{shown}\n")
                    continue
                lines.append(f"$ {command}\n{session.run(command, 'may-fail' in opts)}")
            indent = match.group("indent")
            block = "```console\n" + "".join(lines) + "```"
            out.append(indent + block.replace("\n", "\n" + indent))
        out.append(markdown[position:])
        return "".join(out)
    finally:
        session.close()
