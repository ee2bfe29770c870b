"""A bare HTTP/1.1 server on asyncio streams, for faults at the socket level.

Not aiohttp.web and not the emulator: it parses each request itself, numbers
the TCP connections it accepts, and for every request asks the test's script
what to do, so a test can prove which connection a request came on and what
the client did when that connection died.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

__all__ = ["Action", "Seen", "SocketServer"]


class Action(enum.Enum):
    ANSWER = "answer"
    """Answer 200 with the script's body and keep the connection open."""
    CLOSE_AFTER = "close_after"
    """Read the whole request (the operation "runs"), then close without answering."""
    CLOSE_BEFORE = "close_before"
    """Close as soon as the request line arrives (nothing runs)."""
    RESET_AFTER = "reset_after"
    """Read the whole request, then abort the connection with a TCP reset."""
    GARBAGE = "garbage"
    """Read the whole request, then answer bytes that are not HTTP."""


@dataclass(frozen=True, slots=True)
class Seen:
    connection: int
    """1 for the first connection the server accepted, 2 for the next..."""
    method: str
    path: str
    executed: bool
    """True when the server read the whole request (the operation ran)."""


Script = Callable[[Seen], tuple[Action, bytes]]


@dataclass
class SocketServer:
    """Serves ``script`` on a free loopback port; ``seen`` logs every request."""

    script: Script
    seen: list[Seen] = field(default_factory=list)
    connections: int = 0
    url: str = ""
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> SocketServer:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    def executed(self, method: str, path: str) -> int:
        """How many times the operation at ``method path`` ran."""
        return sum(1 for s in self.seen if s.executed and (s.method, s.path) == (method, path))

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        number = self.connections
        try:
            await self._serve(number, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _serve(
        self, number: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while True:
            line = await reader.readline()
            if not line:
                return
            method, target, _ = line.decode("latin-1").split(" ", 2)
            path = target.split("?", 1)[0]
            probe = Seen(number, method, path, executed=False)
            action, body = self.script(probe)
            if action is Action.CLOSE_BEFORE:
                self.seen.append(probe)
                return
            length = 0
            while (header := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            self.seen.append(Seen(number, method, path, executed=True))
            if action is Action.CLOSE_AFTER:
                return
            if action is Action.RESET_AFTER:
                writer.transport.abort()
                return
            if action is Action.GARBAGE:
                writer.write(b"NOT-HTTP \x00\x01 nonsense\r\n\r\n")
                await writer.drain()
                return
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            writer.write(head + body)
            await writer.drain()
