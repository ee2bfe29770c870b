"""What a failed attempt amounts to: the SDK's own error for each way a request fails.

None of this runs on the success path. aiohttp's exceptions never travel
with the SDK's: an aiohttp error can hold the request's headers (its
`request_info`), and with them the access token, so only its type and
message are kept, as a [`TransportCause`][lanying_async.errors.base.TransportCause].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import aiohttp
import msgspec

from lanying_async.errors import (
    HTTPStatusError,
    LanyingConnectionError,
    LanyingError,
    LanyingTimeoutError,
    LanyingTLSError,
    OutcomeUnknownError,
    RateLimitedError,
    ResponseDecodeError,
    TransportCause,
    TransportError,
)
from lanying_async.transport.endpoint import OperationKind
from lanying_async.transport.retry import parse_retry_after

__all__ = [
    "Route",
    "connection_failure",
    "deadline_passed",
    "decode_failure_reason",
    "final",
    "status_failure",
    "timeout_failure",
]


class Route(Protocol):
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def kind(self) -> OperationKind: ...


class _BareEnvelope(msgspec.Struct):
    """Just enough of an envelope to read a business error whatever `data` holds."""

    code: int | None = None
    message: str | None = None


_bare_decoder = msgspec.json.Decoder(_BareEnvelope)


def final(failure: LanyingError, endpoint: Route, *, earlier: int) -> LanyingError:
    """The error to raise when no retry follows.

    A write that is not de-duplicated and may have run becomes
    [`OutcomeUnknownError`][lanying_async.errors.base.OutcomeUnknownError]: the caller must not
    believe it failed. An error of the last attempt still reports how far the earlier attempts of
    the same call got (`earlier`: 0 nothing sent, 1 sent, 2 may have run).
    """
    failure._earlier = max(failure._earlier, earlier)
    if (
        endpoint.kind is OperationKind.WRITE
        and failure.may_have_run
        and isinstance(failure, TransportError)
        and not isinstance(failure, OutcomeUnknownError)
    ):
        unknown = OutcomeUnknownError(failure)
        unknown.__cause__ = failure
        return unknown
    return failure


def deadline_passed(
    endpoint: Route, attempt: int, why: str, last_cause: LanyingError | None = None
) -> LanyingTimeoutError:
    """The call's deadline would pass before its next request leaves: nothing more is sent."""
    return LanyingTimeoutError(
        f"deadline would pass {why}",
        method=endpoint.method,
        path=endpoint.path,
        attempts=attempt,
        last_cause=last_cause,
        request_sent=False,
    )


def timeout_failure(endpoint: Route, attempt: int, exc: BaseException) -> LanyingTimeoutError:
    """The attempt's own timer expired after its connection was taken: it was sent.

    (Getting a connection ends earlier, as a connect timeout; see
    [`client_timeout()`][lanying_async.transport.scope.client_timeout].)
    """
    return LanyingTimeoutError(
        "request timed out",
        method=endpoint.method,
        path=endpoint.path,
        attempts=attempt,
        last_cause=TransportCause.of(exc),
    )


def status_failure(
    endpoint: Route, status: int, raw: bytes, headers: Mapping[str, str]
) -> HTTPStatusError:
    if status == 429:
        return RateLimitedError(
            status,
            raw,
            method=endpoint.method,
            path=endpoint.path,
            retry_after=parse_retry_after(headers),
        )
    retry_after = parse_retry_after(headers) if status == 503 else None
    return HTTPStatusError(
        status, raw, method=endpoint.method, path=endpoint.path, retry_after=retry_after
    )


def connection_failure(endpoint: Route, exc: aiohttp.ClientError) -> LanyingError:
    """aiohttp's error as the SDK's, with whether the request left the client."""
    cause = TransportCause.of(exc)
    if isinstance(exc, aiohttp.ServerTimeoutError):
        # A connect timeout (the pool wait included) means no byte of the request was sent.
        unsent = isinstance(exc, aiohttp.ConnectionTimeoutError)
        return LanyingTimeoutError(
            f"{'connect' if unsent else 'read'} timed out: {cause.message}",
            method=endpoint.method,
            path=endpoint.path,
            last_cause=cause,
            request_sent=not unsent,
        )
    if isinstance(exc, aiohttp.ClientSSLError):
        error: LanyingConnectionError = LanyingTLSError(
            f"TLS failure: {cause.message}", method=endpoint.method, path=endpoint.path
        )
    else:
        error = LanyingConnectionError(
            f"{cause.kind}: {cause.message}",
            method=endpoint.method,
            path=endpoint.path,
            request_sent=not isinstance(exc, aiohttp.ClientConnectorError),
        )
    error.__cause__ = cause
    return error


def decode_failure_reason(raw: bytes) -> tuple[int | None, str | None, str]:
    """For a body the typed decoder refused: its business code and message, if any,
    and why it is not a usable envelope."""
    try:
        bare = _bare_decoder.decode(raw)
    except msgspec.MsgspecError:
        return None, None, "response is not a JSON envelope"
    if bare.code is not None and bare.code != 200:
        return bare.code, bare.message, ""
    return None, None, "response data does not have the expected shape"


def decode_error(endpoint: Route, reason: str, raw: bytes) -> ResponseDecodeError:
    return ResponseDecodeError(reason, raw, method=endpoint.method, path=endpoint.path)
