"""A job's input file (or stdin) as text lines: its encoding found or given, every byte checked.

Without ``--encoding``, a file starting with a byte-order mark is read as
UTF-8 or UTF-16 (LE or BE) as the mark says, and any other file as UTF-8.
A byte that is not valid in that encoding stops the command before it sends
anything, with one line naming the input line that holds it: a batch command
reads its whole input once before the first request (to count the items), so
the check covers the file end to end.

Stdin is copied to a temporary file first, then read like a file: so it is
checked end to end before anything is sent too, the progress display knows
the total, and an interrupted job can say from which line of the input to
resume. A pipeline such as ``lanying users export | lanying groups invite``
therefore starts inviting once the export has finished.
"""

from __future__ import annotations

import codecs
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from lanying_async.cli.errors import UsageError

__all__ = ["InputText", "detect_encoding", "open_input", "resolve_encoding"]

T = TypeVar("T")

_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # the utf-16 codec reads the mark and drops it
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ERRORS = "lanying-bad-byte"
"""A decoding error handler that turns each bad byte into a lone surrogate.

Lone surrogates never come out of a valid decoding, so a line holding one
held a bad byte (its value is kept: ``0xDC00 + byte``).
"""
_BAD = re.compile("[\x00\ud800-\udfff]")
"""A marked bad byte, or a NUL (no text file holds one: UTF-16 read as UTF-8 does)."""
_COPY_BLOCK = 1 << 20


def _mark_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(_ERRORS, _mark_bad_bytes)


def resolve_encoding(name: str | None, head: bytes) -> str:
    """The codec to read with: ``name`` (checked) or what ``head``'s byte-order mark says."""
    if name is None:
        return detect_encoding(head)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise UsageError(
            f"unknown --encoding {name!r} (e.g. utf-8, utf-16, gbk, latin-1)"
        ) from None
    if codec == "utf-8":
        return "utf-8-sig"  # a mark in front of UTF-8 is no part of the first item
    return codec


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig`` or ``utf-16`` when ``head`` starts with their mark, else ``utf-8``."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    return "utf-8"


@dataclass(frozen=True, slots=True)
class InputText:
    """An input to read as lines, as many times as needed (a file, or stdin's copy)."""

    path: Path
    name: str
    """How messages name it: the path given, or ``stdin``."""
    encoding: str

    @contextmanager
    def lines(self) -> Iterator[Iterator[str]]:
        """The lines (line ends kept); a bad byte raises `UsageError` naming its line."""
        try:
            stream = self.path.open(encoding=self.encoding, errors=_ERRORS, newline="")
        except OSError as exc:
            raise UsageError(f"cannot read {self.name}: {exc.strerror or exc}") from None
        with stream:
            yield self._checked(stream)

    def _checked(self, lines: Iterable[str]) -> Iterator[str]:
        for number, line in enumerate(lines, start=1):
            bad = _BAD.search(line)
            if bad is not None:
                char = ord(bad.group())
                byte = 0 if char == 0 else char - 0xDC00
                what = f"not valid {self._encoding_name()} text (byte 0x{byte:02x})"
                raise UsageError(
                    f"{self.name}, line {number}: {what}; nothing was sent "
                    "(give the file's encoding with --encoding, e.g. gbk)"
                )
            yield line

    def _encoding_name(self) -> str:
        return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16"}.get(
            self.encoding, self.encoding
        )

    def count(self, counter: Callable[[Iterator[str]], int]) -> int:
        """Read the whole input once (checking every byte) and count its items."""
        with self.lines() as lines:
            return counter(lines)


@contextmanager
def open_input(path: str, encoding: str | None = None) -> Iterator[InputText]:
    """The file at ``path``, or stdin (copied to a temporary file) for ``-``."""
    if path != "-":
        yield InputText(Path(path), path, resolve_encoding(encoding, _head(Path(path), path)))
        return
    stdin = sys.stdin
    if stdin is None or stdin.isatty():
        raise UsageError("no input: give a FILE, or pipe the items into stdin")
    with tempfile.TemporaryDirectory(prefix="lanying-") as folder:
        copy = Path(folder) / "stdin"
        raw = getattr(stdin, "buffer", None)
        if raw is None:  # a text stream without bytes beneath (already decoded)
            with copy.open("w", encoding="utf-8", newline="") as out:
                shutil.copyfileobj(stdin, out, _COPY_BLOCK)
            yield InputText(copy, "stdin", "utf-8")
            return
        with copy.open("wb") as out:
            shutil.copyfileobj(raw, out, _COPY_BLOCK)
        yield InputText(copy, "stdin", resolve_encoding(encoding, _head(copy, "stdin")))


def _head(path: Path, name: str) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(4)
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
