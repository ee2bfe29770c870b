"""The outermost middleware: bookkeeping around every request.

In order: read and record the request, count it as in flight, await the
configured latency, then either answer a forced error queued for the
route or run the inner handlers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from .envelope import FAILED_KEY, error_response
from .keys import CONTROLS_KEY, LOG_KEY, METRICS_KEY
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
        if controls.latency > 0:
            await asyncio.sleep(controls.latency)
        forced = controls.take(request.method, request.path)
        if forced is None:
            response = await handler(request)
            if response.status == 200 and FAILED_KEY not in request:
                metrics.success(request.method, request.path)
            return response
        if forced.execute:
            await handler(request)
        return error_response(forced.code, forced.message, status=forced.status)
    finally:
        metrics.leave()
