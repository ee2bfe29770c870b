"""The canned answers faults send instead of (or made from) the real one."""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from http import HTTPStatus

from aiohttp import web

from .envelope import decode_json, encode_json, error_response
from .faults_kinds import BusinessCode, Malformed, RetryAfter, ServerError

__all__ = [
    "ENVELOPE_DATA_HEAD",
    "ENVELOPE_DATA_TAIL",
    "business_code_answer",
    "malformed_answer",
    "retry_after_answer",
    "server_error_answer",
]

ENVELOPE_DATA_HEAD = b'{"code":200,"message":null,"data":"'
"""A success envelope up to the opening quote of a string `data`."""
ENVELOPE_DATA_TAIL = b'"}'

_STOCK_SUCCESS = b'{"code":200,"message":null,"data":null}'
"""Stands in for the real answer when a fault does not run the operation."""


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error"


def _html_page(title: str, text: str) -> str:
    return (
        "<!DOCTYPE html>\n<html>\n<head><title>"
        f"{title}</title></head>\n<body>\n<h1>{title}</h1>\n<p>{text}</p>\n"
        "</body>\n</html>\n"
    )


def server_error_answer(fault: ServerError) -> web.Response:
    phrase = _phrase(fault.status)
    if fault.page == "html":
        page = _html_page(f"{fault.status} {phrase}", "The upstream server did not answer.")
        return web.Response(text=page, status=fault.status, content_type="text/html")
    return error_response(fault.status, phrase, status=fault.status)


def _retry_after_value(fault: RetryAfter) -> str:
    if not fault.http_date:
        return str(fault.seconds)
    # HTTP-dates have whole seconds: round up so the wait is never shorter.
    when = math.ceil(time.time() + fault.seconds)
    return format_datetime(datetime.fromtimestamp(when, tz=timezone.utc), usegmt=True)


def retry_after_answer(fault: RetryAfter) -> web.Response:
    response = error_response(fault.status, _phrase(fault.status), status=fault.status)
    response.headers["Retry-After"] = _retry_after_value(fault)
    return response


def business_code_answer(fault: BusinessCode) -> web.Response:
    return error_response(fault.code, fault.message)


def _without_code(real: bytes) -> bytes:
    try:
        value = decode_json(real)
    except ValueError:  # msgspec.DecodeError is a ValueError
        value = None
    if not isinstance(value, dict):
        value = decode_json(_STOCK_SUCCESS)
    value.pop("code", None)
    return encode_json(value)


def malformed_answer(fault: Malformed, real: bytes | None) -> web.Response:
    """HTTP 200 with a broken body; `real` is the real answer's body, if it ran."""
    source = real or _STOCK_SUCCESS
    if fault.shape == "html":
        page = _html_page("Welcome", "This page is served by the network, not by the API.")
        return web.Response(text=page, content_type="text/html")
    if fault.shape == "truncated_json":
        return web.Response(body=source[: len(source) // 2], content_type="application/json")
    if fault.shape == "missing_code":
        return web.Response(body=_without_code(source), content_type="application/json")
    return web.Response(text="service warming up, try later", content_type="application/json")
