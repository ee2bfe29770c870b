"""The outermost middleware: bookkeeping around every request.

In order: read and record the request, count it as in flight, ask the fault
plan (when the app has one) for a fault, then either let the fault shape the
answer or serve the request: answer a forced error queued for the route, or
run the inner handlers. The configured latency is the least time a request
takes: an answer leaves no sooner than `latency` after the request came in
(see `Controls.came_in`), the work itself counting toward it (faults start
once it has passed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from .envelope import FAILED_KEY, error_response
from .faults import FAULTS_KEY
from .faults_apply import apply_fault
from .keys import CONTROLS_KEY, LOG_KEY, METRICS_KEY
from .metrics import Metrics
from .recorder import make_record, read_body

__all__ = ["pipeline_middleware"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def pipeline_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    app = request.app
    controls = app[CONTROLS_KEY]
    metrics = app[METRICS_KEY]
    body = await read_body(request)
    if controls.record:
        app[LOG_KEY].append(make_record(request, body))
    metrics.enter()
    try:
        latency = controls.latency
        answer_at = controls.came_in(asyncio.get_running_loop()) + latency if latency else 0.0
        plan = app.get(FAULTS_KEY)
        fault = None if plan is None else plan.pick(request.method, request.path)
        if fault is None:
            response = await _serve(request, handler, metrics)
            await _until(answer_at)
            return response
        await _until(answer_at)
        # A success only counts when the client gets the real answer intact.
        counted = metrics if fault.delivers_answer else None
        return await apply_fault(fault, request, lambda: _serve(request, handler, counted))
    finally:
        metrics.leave()


async def _until(when: float) -> None:
    """Wait until loop time `when` (at once when it has passed: no latency set)."""
    delay = when - asyncio.get_running_loop().time()
    if delay > 0:
        await asyncio.sleep(delay)


async def _serve(
    request: web.Request, handler: Handler, metrics: Metrics | None
) -> web.StreamResponse:
    """The real answer: a forced error queued for the route, or the handler's."""
    forced = request.app[CONTROLS_KEY].take(request.method, request.path)
    if forced is None:
        response = await handler(request)
        if metrics is not None and response.status == 200 and FAILED_KEY not in request:
            metrics.success(request.method, request.path)
        return response
    if forced.execute:
        await handler(request)
    return error_response(forced.code, forced.message, status=forced.status)
