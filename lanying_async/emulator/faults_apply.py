"""Turning a chosen fault into what the client sees on the wire."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from .faults_answers import (
    ENVELOPE_DATA_HEAD,
    ENVELOPE_DATA_TAIL,
    business_code_answer,
    malformed_answer,
    retry_after_answer,
    server_error_answer,
)
from .faults_kinds import (
    BusinessCode,
    CloseAfterHandling,
    CloseBeforeHandling,
    EndlessBody,
    Fault,
    Latency,
    Malformed,
    Oversized,
    ResetMidBody,
    RetryAfter,
    ServerError,
)
from .faults_wire import (
    close_connection,
    deliver_with_pause,
    response_body,
    send_part_then_reset,
    stream_body,
    stream_endless,
)

__all__ = ["Run", "apply_fault"]

Run = Callable[[], Awaitable[web.StreamResponse]]
"""Serves the request for real: runs the operation and returns its answer."""


async def _executed(run: Run) -> web.StreamResponse:
    """The real answer, including an HTTP error the routing raised (404, 405)."""
    try:
        return await run()
    except web.HTTPException as exc:
        return exc


async def apply_fault(fault: Fault, request: web.Request, run: Run) -> web.StreamResponse:
    """Serve `request` with `fault`; `run` is awaited only if the fault executes."""
    if isinstance(fault, Latency):
        if fault.phase == "headers":
            await asyncio.sleep(fault.seconds)
            return await run()
        return await deliver_with_pause(request, await _executed(run), fault.seconds)
    if isinstance(fault, CloseBeforeHandling):
        return close_connection(request)
    real = await _executed(run) if fault.executes else None
    if isinstance(fault, CloseAfterHandling):
        return close_connection(request)
    if isinstance(fault, ResetMidBody):
        assert real is not None
        return await send_part_then_reset(request, real, fault.fraction)
    if isinstance(fault, ServerError):
        return server_error_answer(fault)
    if isinstance(fault, RetryAfter):
        return retry_after_answer(fault)
    if isinstance(fault, BusinessCode):
        return business_code_answer(fault)
    if isinstance(fault, Malformed):
        return malformed_answer(fault, None if real is None else response_body(real))
    if isinstance(fault, Oversized):
        filler = fault.size - len(ENVELOPE_DATA_HEAD) - len(ENVELOPE_DATA_TAIL)
        return await stream_body(
            request, head=ENVELOPE_DATA_HEAD, filler_size=filler, tail=ENVELOPE_DATA_TAIL
        )
    endless: EndlessBody = fault  # the last kind left
    return await stream_endless(
        request, head=ENVELOPE_DATA_HEAD, chunk_size=endless.chunk_size, interval=endless.interval
    )
