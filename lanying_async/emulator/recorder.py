"""Recording of every request the emulator receives.

Each request is captured before it is handled, as a frozen
`RecordedRequest`, and appended to the `RequestLog` that the
emulator exposes as `emulator.requests`. The `access-token` header is
never recorded. Header names are stored lower-cased.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import msgspec
from aiohttp import web

from .envelope import decode_json

__all__ = ["BODY_KEY", "RecordedRequest", "RequestBody", "RequestLog", "read_body"]

_SECRET_HEADERS = frozenset({"access-token"})


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-cased header names; `access-token` removed."""
    body: Any
    """Parsed JSON body, or None when the body is empty or not valid JSON."""
    raw: bytes
    at: float
    """`time.monotonic()` when the request arrived."""


@dataclass(frozen=True, slots=True)
class RequestBody:
    """The request body as read once by the emulator."""

    raw: bytes
    value: Any
    valid: bool
    """False when the body is present but is not valid JSON."""

    @property
    def empty(self) -> bool:
        return not self.raw


BODY_KEY = web.RequestKey("lanying_emulator_body", RequestBody)


async def read_body(request: web.Request) -> RequestBody:
    """Read and parse the body once; later calls reuse the stored result."""
    if BODY_KEY in request:
        return request[BODY_KEY]
    raw = await request.read()
    body = RequestBody(raw, None, True)
    if raw.strip():
        try:
            body = RequestBody(raw, decode_json(raw), True)
        except msgspec.DecodeError:
            body = RequestBody(raw, None, False)
    request[BODY_KEY] = body
    return body


def _public_headers(request: web.BaseRequest) -> dict[str, str]:
    headers = {name.lower(): value for name, value in request.headers.items()}
    for name in _SECRET_HEADERS:
        headers.pop(name, None)
    return headers


def make_record(request: web.BaseRequest, body: RequestBody) -> RecordedRequest:
    return RecordedRequest(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        headers=_public_headers(request),
        body=body.value,
        raw=body.raw,
        at=time.monotonic(),
    )


class RequestLog(list[RecordedRequest]):
    """The requests received so far, oldest first (a plain list with helpers)."""

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """Recorded requests with that HTTP method and exact path."""
        method = method.upper()
        return [r for r in self if r.method == method and r.path == path]

    def last(self) -> RecordedRequest:
        """The most recent request; raises IndexError when none was recorded."""
        return self[-1]
