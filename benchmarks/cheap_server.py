"""A cheap Lanying stand-in: raw asyncio HTTP/1.1 with keep-alive, canned answers.

Run as its own process::

    python -m benchmarks.cheap_server [--hold SECONDS] [--core N [--poll]]

It parses just enough HTTP to find each request's path and body, and writes
answers encoded once at start-up, so it costs far less per request than any
client it serves and never sets the pace. ``--hold`` delays every answer, like
a server that takes that long, at no CPU cost: an answer leaves ``--hold``
seconds after its request came in, the server's own work counting toward it.
Bodies must come with a ``Content-Length`` (every client measured here sends
one).

It prints one JSON line ``{"url": ...}`` when listening, then answers commands
on stdin, one per line: ``connections`` (TCP connections accepted so far),
``requests`` (requests answered), ``reset`` (zero both) and ``cpu`` (CPU
seconds spent on its work). It exits when stdin closes.

Routes: ``POST /group/create`` (a group's info), ``GET /group/member_list``
(a 1,000-member page), ``POST /group/invite`` (a success per invited user) and
``POST /push/notify`` (a task id, whatever the audience); anything else is 404.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable

import msgspec

from benchmarks import canned
from benchmarks.pinning import ServerClock, add_core_arguments, pin_current_process
from benchmarks.server_process import answer_commands

__all__ = ["CannedHttp", "Counters", "serve"]

HEAD_END = b"\r\n\r\n"
MAX_HEAD = 64 * 1024


def http_response(body: bytes, status: str = "200 OK") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


class _InviteBody(msgspec.Struct):
    group_id: int
    user_list: list[int]


_invite_decoder = msgspec.json.Decoder(_InviteBody)


def invite_answer(body: bytes) -> bytes:
    """One ``success`` per invited user, built from pre-encoded pieces."""
    invited = _invite_decoder.decode(body).user_list
    results = b",".join(b'{"user_id":%d,"result":"success"}' % user_id for user_id in invited)
    return http_response(b'{"code":200,"message":null,"data":[' + results + b"]}")


FIXED_ANSWERS: dict[tuple[bytes, bytes], bytes] = {
    (b"POST", b"/group/create"): http_response(canned.group_info_body()),
    (b"GET", b"/group/member_list"): http_response(canned.member_page_body()),
    (b"POST", b"/push/notify"): http_response(canned.push_task_body()),
}
BUILT_ANSWERS: dict[tuple[bytes, bytes], Callable[[bytes], bytes]] = {
    (b"POST", b"/group/invite"): invite_answer,
}
NOT_FOUND = http_response(b'{"code":404,"message":"no such route","data":null}', "404 Not Found")
BAD_REQUEST = http_response(b'{"code":400,"message":"bad request","data":null}', "400 Bad Request")


class Counters:
    """Connections accepted and requests answered (read and zeroed from the command thread)."""

    def __init__(self) -> None:
        self.accepted = 0
        self.answered = 0


class CannedHttp(asyncio.Protocol):
    """One connection: requests in, canned answers out, in order (pipelining works)."""

    def __init__(
        self, counters: Counters, hold: float = 0.0, came_in: Callable[[], float] = time.monotonic
    ) -> None:
        self._counters = counters
        self._hold = hold
        self._came_in = came_in
        self._request_at: float | None = None  # when the request being read came in
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._route: tuple[bytes, bytes] = (b"", b"")
        self._body_length = -1  # -1: waiting for a request head
        self._close_after = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._counters.accepted += 1

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        if self._request_at is None:
            self._request_at = self._came_in()
        buffer += data
        while self._transport is not None:
            if self._body_length < 0 and not self._read_head():
                return
            if len(buffer) < self._body_length:
                return
            body = bytes(buffer[: self._body_length])
            del buffer[: self._body_length]
            self._body_length = -1
            self._answer(body)
            # A pipelined request behind it came in with these bytes.
            self._request_at = self._came_in() if buffer else None

    def _read_head(self) -> bool:
        """Parse a complete request head off the buffer; False if it is not all here."""
        buffer = self._buffer
        end = buffer.find(HEAD_END)
        if end < 0:
            if len(buffer) > MAX_HEAD:
                self._fail()
            return False
        request_line, _, raw_headers = bytes(buffer[:end]).partition(b"\r\n")
        del buffer[: end + len(HEAD_END)]
        headers = raw_headers.lower()
        parts = request_line.split(b" ")
        if len(parts) != 3:
            self._fail()
            return False
        path = parts[1].partition(b"?")[0]
        self._route = (parts[0].upper(), path)
        self._body_length = _content_length(headers)
        self._close_after = b"\r\nconnection: close" in b"\r\n" + headers
        if self._body_length < 0:
            self._fail()
            return False
        return True

    def _answer(self, body: bytes) -> None:
        transport = self._transport
        assert transport is not None
        self._counters.answered += 1
        answer = FIXED_ANSWERS.get(self._route)
        if answer is None:
            build = BUILT_ANSWERS.get(self._route)
            try:
                answer = NOT_FOUND if build is None else build(body)
            except msgspec.DecodeError:
                answer = BAD_REQUEST
        if self._hold > 0:
            # Clients here wait for each answer before reusing a connection, so
            # delayed answers cannot overtake each other on one connection.
            assert self._request_at is not None
            asyncio.get_running_loop().call_at(
                self._request_at + self._hold, self._send, transport, answer, self._close_after
            )
        else:
            self._send(transport, answer, self._close_after)
        if self._close_after:
            self._transport = None

    @staticmethod
    def _send(transport: asyncio.Transport, answer: bytes, close: bool) -> None:
        if transport.is_closing():
            return
        transport.write(answer)
        if close:
            transport.close()

    def _fail(self) -> None:
        if self._transport is not None:
            self._transport.write(BAD_REQUEST)
            self._transport.close()
            self._transport = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


def _content_length(headers: bytes) -> int:
    """The body length a lowercased header block announces (0 without one, -1 if unusable)."""
    marker = b"content-length:"
    at = headers.find(marker)
    if at < 0:
        return -1 if b"transfer-encoding:" in headers else 0
    value = headers[at + len(marker) :].split(b"\r\n", 1)[0].strip()
    return int(value) if value.isdigit() else -1


async def serve(clock: ServerClock, host: str = "127.0.0.1", *, hold: float = 0.0) -> None:
    loop = asyncio.get_running_loop()
    counters = Counters()
    server = await loop.create_server(
        lambda: CannedHttp(counters, hold, clock.came_in), host, 0, backlog=1024
    )
    port = server.sockets[0].getsockname()[1]
    done = asyncio.Event()
    print(json.dumps({"url": f"http://{host}:{port}"}), flush=True)

    def reset() -> str:
        counters.accepted = counters.answered = 0
        return "ok"

    answer_commands(
        {
            "connections": lambda: counters.accepted,
            "requests": lambda: counters.answered,
            "cpu": clock.cpu_seconds,
            "reset": reset,
        },
        on_eof=lambda: loop.call_soon_threadsafe(done.set),
    )
    async with server:
        await done.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--hold", type=float, default=0.0, help="seconds to wait before each answer"
    )
    add_core_arguments(parser)
    args = parser.parse_args()
    pin_current_process(args.core)
    clock = ServerClock.from_arguments(args)
    clock.run(serve(clock, hold=args.hold))


if __name__ == "__main__":
    main()
