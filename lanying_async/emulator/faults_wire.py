"""What a fault does to the connection, with aiohttp.web only.

aiohttp logs "Error handling request" for any exception a handler raises,
except that a `ConnectionError` while the response is being sent counts
as the client going away and is ignored quietly. So every path that ends a
connection on purpose (or finds it gone) returns `Severed`, whose
`prepare` raises exactly that, and aiohttp drops the connection silently.
"""

from __future__ import annotations

import asyncio
import socket
import struct

from aiohttp import web

__all__ = [
    "Severed",
    "close_connection",
    "deliver_with_pause",
    "reset_connection",
    "response_body",
    "send_part_then_reset",
    "stream_body",
    "stream_endless",
]

STREAM_PIECE = 64 * 1024
"""Bytes per write when streaming a large body, so it is never held whole."""

_LINGER_RESET = struct.pack("ii", 1, 0)
"""SO_LINGER on with a zero timeout: closing sends RST instead of FIN."""


class Severed(web.StreamResponse):
    """The answer to a request whose connection is closed on purpose."""

    async def prepare(self, request: web.BaseRequest) -> None:
        transport = request.transport
        if transport is not None and not transport.is_closing():
            transport.close()
        raise ConnectionResetError("connection closed without an answer")


def response_body(response: web.StreamResponse) -> bytes:
    """The bytes of a handler's answer (empty when it is not an in-memory body)."""
    if isinstance(response, web.Response) and isinstance(response.body, (bytes, bytearray)):
        return bytes(response.body)
    return b""


def close_connection(request: web.BaseRequest) -> Severed:
    """Close the connection (FIN) without sending anything more."""
    transport = request.transport
    if transport is not None:
        transport.close()
    return Severed()


def reset_connection(request: web.BaseRequest) -> Severed:
    """Abort the connection with a TCP reset."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
        transport.abort()
    return Severed()


def _stream_like(response: web.StreamResponse, length: int) -> web.StreamResponse:
    """A streaming copy of `response`'s status and headers, `length` bytes long."""
    stream = web.StreamResponse(
        status=response.status, reason=response.reason, headers=response.headers
    )
    stream.content_length = length
    return stream


async def _flush(request: web.BaseRequest) -> None:
    """Wait until every byte written so far was handed to the kernel.

    A zero high-water mark makes the transport pause its writer whenever
    anything is buffered, so draining waits for an empty buffer.
    """
    transport = request.transport
    if transport is None:
        raise ConnectionResetError("connection lost")
    transport.set_write_buffer_limits(high=0)
    await request.writer.drain()


async def deliver_with_pause(
    request: web.BaseRequest, response: web.StreamResponse, seconds: float
) -> web.StreamResponse:
    """Send `response` with a pause of `seconds` after half of its body."""
    body = response_body(response)
    stream = _stream_like(response, len(body))
    half = len(body) // 2
    try:
        await stream.prepare(request)
        await stream.write(body[:half])
        await asyncio.sleep(seconds)
        await stream.write_eof(body[half:])
    except ConnectionError:
        return Severed()
    return stream


async def send_part_then_reset(
    request: web.BaseRequest, response: web.StreamResponse, fraction: float
) -> Severed:
    """Send `response`'s head (full Content-Length) and part of its body, then reset."""
    body = response_body(response)
    stream = _stream_like(response, len(body))
    cut = min(int(len(body) * fraction), max(len(body) - 1, 0))
    try:
        await stream.prepare(request)
        await stream.write(body[:cut])
        await _flush(request)  # a reset discards what is still buffered
    except ConnectionError:
        return Severed()
    return reset_connection(request)


async def stream_body(
    request: web.BaseRequest,
    *,
    head: bytes,
    filler_size: int,
    tail: bytes,
    content_type: str = "application/json",
) -> web.StreamResponse:
    """Answer 200 with `head`, `filler_size` filler bytes and `tail`,
    announced by Content-Length and written piece by piece."""
    stream = web.StreamResponse(headers={"Content-Type": content_type})
    stream.content_length = len(head) + filler_size + len(tail)
    piece = b"x" * STREAM_PIECE
    try:
        await stream.prepare(request)
        await stream.write(head)
        remaining = filler_size
        while remaining > 0:
            await stream.write(piece[: min(remaining, STREAM_PIECE)])
            remaining -= STREAM_PIECE
            await asyncio.sleep(0)  # let the event loop breathe between pieces
        await stream.write_eof(tail)
    except ConnectionError:
        return Severed()
    return stream


async def stream_endless(
    request: web.BaseRequest,
    *,
    head: bytes,
    chunk_size: int,
    interval: float,
    content_type: str = "application/json",
) -> Severed:
    """Answer 200 with a chunked body that only ends when the connection does.

    Each write waits while the client's buffers are full, and each chunk is
    followed by a sleep, so a slow or silent client costs no CPU. The loop
    ends when the peer disconnects (the write fails) or when the emulator
    stops (the handler is cancelled).
    """
    stream = web.StreamResponse(headers={"Content-Type": content_type})
    stream.enable_chunked_encoding()
    chunk = b"x" * chunk_size
    try:
        await stream.prepare(request)
        await stream.write(head)
        while True:
            await stream.write(chunk)
            await asyncio.sleep(interval)
    except ConnectionError:
        return Severed()
