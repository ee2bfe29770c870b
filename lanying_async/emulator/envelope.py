"""Response envelopes and business errors.

Every answer of the Lanying API is a JSON object
`{"code": 200, "message": null, "data": ...}` sent with HTTP 200, even
when the business outcome is a failure: then `code` holds one of the
documented result codes, `message` a description and `data` is null.
List endpoints add `cursor`, `total` and `version` next to `data`.

Handlers raise `BusinessError`; `error_middleware()` turns it
into the failure envelope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import msgspec
from aiohttp import web

from .codes import Code, default_message

__all__ = [
    "FAILED_KEY",
    "BusinessError",
    "decode_json",
    "encode_json",
    "error_middleware",
    "error_response",
    "json_response",
    "ok_response",
    "paged_response",
]

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()

encode_json: Callable[[Any], bytes] = _encoder.encode
"""Encode a JSON-compatible value (dicts, lists, dataclasses...) to bytes."""


def decode_json(raw: bytes) -> Any:
    """Decode JSON bytes; raises `msgspec.DecodeError` on malformed input."""
    return _decoder.decode(raw)


class BusinessError(Exception):
    """A failed business outcome answered as `{"code": code, ...}`.

    `message` defaults to the English description of `code`.
    """

    def __init__(self, code: int, message: str | None = None) -> None:
        self.code = int(code)
        self.message = message if message is not None else default_message(code)
        super().__init__(self.code, self.message)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def json_response(payload: Mapping[str, Any], *, status: int = 200) -> web.Response:
    """Serialize `payload` as an `application/json` response."""
    return web.Response(body=encode_json(payload), status=status, content_type="application/json")


def ok_response(data: Any = None, extra: Mapping[str, Any] | None = None) -> web.Response:
    """Success envelope; `extra` adds top-level fields (e.g. `msg_ids`)."""
    payload: dict[str, Any] = {"code": Code.OK, "message": None, "data": data}
    if extra:
        payload.update(extra)
    return json_response(payload)


def paged_response(
    data: list[Any], *, cursor: str | None, total: int, version: int
) -> web.Response:
    """Success envelope of a paged list; `cursor` is omitted on the last page."""
    payload: dict[str, Any] = {"code": Code.OK, "message": None, "data": data}
    if cursor is not None:
        payload["cursor"] = cursor
    payload["total"] = total
    payload["version"] = version
    return json_response(payload)


def error_response(code: int, message: str | None = None, *, status: int = 200) -> web.Response:
    """Failure envelope `{"code": code, "message": ..., "data": null}`."""
    text = message if message is not None else default_message(code)
    return json_response({"code": int(code), "message": text, "data": None}, status=status)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FAILED_KEY = web.RequestKey("lanying_emulator_failed", int)
"""Set on a request whose handler answered a business error (its code)."""


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer a `BusinessError` raised below with its envelope."""
    try:
        return await handler(request)
    except BusinessError as exc:
        request[FAILED_KEY] = exc.code
        return error_response(exc.code, exc.message)
