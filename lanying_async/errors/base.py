"""The exception tree every failure of the SDK belongs to.

Everything raised by the SDK derives from [`LanyingError`][lanying_async.errors.base.LanyingError].
Transport failures never leak raw aiohttp exceptions; business failures (HTTP 200 with a `code`
other than 200) are [`LanyingAPIError`][lanying_async.errors.base.LanyingAPIError] subclasses chosen
by the error-code registry in [`lanying_async.errors.codes`][lanying_async.errors.codes].
"""

from __future__ import annotations

import enum

__all__ = [
    "ClientClosedError",
    "ConfigurationError",
    "HTTPStatusError",
    "LanyingAPIError",
    "LanyingConnectionError",
    "LanyingError",
    "LanyingTLSError",
    "LanyingTimeoutError",
    "OutcomeUnknownError",
    "RateLimitedError",
    "RequestPhase",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "TransportCause",
    "TransportError",
    "ValidationError",
    "WrongEventLoopError",
]

_EXCERPT_LIMIT = 200

GATEWAY_STATUSES = frozenset({502, 504})
"""Gateway statuses that may come after the server behind the gateway ran the operation."""


def safe_excerpt(body: bytes, limit: int = _EXCERPT_LIMIT) -> str:
    """A short, printable excerpt of a response body for error messages."""
    text = body[:limit].decode("utf-8", errors="replace")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text + ("..." if len(body) > limit else "")


class RequestPhase(enum.Enum):
    """How far a failed call's requests got; decides whether the operation may have run.

    - `NOT_SENT`: no request of the call left the client (bad arguments, a
      failed connect, a deadline or a closed client before sending): nothing
      ran, sending again is safe.
    - `SENT`: a request left the client and no answer was read (the
      connection broke, a timeout after sending).
    - `ANSWERED`: the server answered, with an error status, a business
      code or a body that could not be used.
    """

    NOT_SENT = "not_sent"
    SENT = "sent"
    ANSWERED = "answered"


class LanyingError(Exception):
    """Root of every exception raised by lanying-async.

    Every error says how far its call got: [`phase`][lanying_async.errors.base.LanyingError.phase],
    [`request_sent`][lanying_async.errors.base.LanyingError.request_sent] and
    [`may_have_run`][lanying_async.errors.base.LanyingError.may_have_run].
    """

    phase: RequestPhase = RequestPhase.NOT_SENT
    """How far the call's last request got (see
    [`RequestPhase`][lanying_async.errors.base.RequestPhase])."""
    # How far earlier attempts of the same call got, set by the transport when
    # it gives up: 0 nothing sent, 1 sent, 2 may have run.
    _earlier: int = 0

    @property
    def request_sent(self) -> bool:
        """Did any request of this call leave the client?"""
        return self.phase is not RequestPhase.NOT_SENT or self._earlier >= 1

    @property
    def may_have_run(self) -> bool:
        """Could the operation have run on the server, by any attempt of this call?

        True when a request left the client and no answer said it did not
        run: the connection broke after sending, an answer was lost or could
        not be read, a gateway answered 502/504.
        """
        return self._earlier >= 2 or self._this_attempt_may_have_run()

    def _progress(self) -> int:
        """0 nothing sent, 1 sent, 2 may have run (what `_earlier` records)."""
        return 2 if self.may_have_run else 1 if self.request_sent else 0

    def _this_attempt_may_have_run(self) -> bool:
        return self.phase is RequestPhase.SENT


class ConfigurationError(LanyingError, ValueError):
    """The client was configured with a missing or unsafe setting."""


class ValidationError(LanyingError, ValueError):
    """An argument failed client-side validation; nothing was sent.

    `field` names the offending argument.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class ClientClosedError(LanyingError, RuntimeError):
    """The client (or the client a scoped view belongs to) was closed."""


class WrongEventLoopError(LanyingError, RuntimeError):
    """The client was used from an event loop other than the one owning its pool."""


class TransportCause(Exception):
    """What the HTTP library reported for a failed attempt, kept as text only.

    The SDK's transport errors carry this as their cause instead of the
    library's own exception, which can hold the request and its headers (the
    access token among them). `kind` is the library exception's type name.
    """

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message
        super().__init__(f"{kind}: {message}" if message else kind)

    @classmethod
    def of(cls, exc: BaseException) -> TransportCause:
        return cls(type(exc).__name__, str(exc))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.kind, self.message))


class TransportError(LanyingError):
    """The request did not produce a usable Lanying envelope."""

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        phase: RequestPhase = RequestPhase.SENT,
    ) -> None:
        self.phase = phase
        self.method = method
        self.path = path
        self.detail = message
        where = f" ({method} {path})" if method else ""
        super().__init__(message + where)


class LanyingConnectionError(TransportError):
    """The connection failed or broke.

    `request_sent` is False when the failure provably happened before any
    byte of the request reached the server (a failed connect).
    """

    def __init__(
        self, message: str, *, method: str = "", path: str = "", request_sent: bool = True
    ) -> None:
        phase = RequestPhase.SENT if request_sent else RequestPhase.NOT_SENT
        super().__init__(message, method=method, path=path, phase=phase)


class LanyingTLSError(LanyingConnectionError):
    """TLS negotiation or certificate verification failed; never retried."""

    def __init__(self, message: str, *, method: str = "", path: str = "") -> None:
        super().__init__(message, method=method, path=path, request_sent=False)


class LanyingTimeoutError(TransportError):
    """The call's deadline (or a per-attempt timeout) expired."""

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        attempts: int = 0,
        last_cause: BaseException | None = None,
        request_sent: bool = True,
    ) -> None:
        self.attempts = attempts
        self.last_cause = last_cause
        if attempts > 1:
            message += f" after {attempts} attempts"
        if last_cause is not None:
            message += f"; last cause: {type(last_cause).__name__}: {last_cause}"
        phase = RequestPhase.SENT if request_sent else RequestPhase.NOT_SENT
        super().__init__(message, method=method, path=path, phase=phase)


class HTTPStatusError(TransportError):
    """The server answered with an HTTP status other than 200.

    `retry_after` holds the server's `Retry-After` hint in seconds, if any.
    """

    def __init__(
        self,
        status: int,
        body: bytes,
        *,
        method: str = "",
        path: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.excerpt = safe_excerpt(body)
        self.retry_after = retry_after
        super().__init__(
            f"HTTP {status}: {self.excerpt!r}",
            method=method,
            path=path,
            phase=RequestPhase.ANSWERED,
        )

    def _this_attempt_may_have_run(self) -> bool:
        # A gateway's 502/504 may come after the server behind it ran the operation.
        return self.status in GATEWAY_STATUSES


class RateLimitedError(HTTPStatusError):
    """HTTP 429; the whole client pauses until `retry_after` (capped) has passed."""


class ResponseTooLargeError(TransportError):
    """The body exceeded `max_response_bytes`; it was not read and its connection dropped.

    `status` is the answer's HTTP status: under 200 the operation may have
    run, since its business code was never read.
    """

    def __init__(self, limit: int, *, method: str = "", path: str = "", status: int = 200) -> None:
        self.limit = limit
        self.status = status
        super().__init__(
            f"response body larger than {limit} bytes (HTTP {status})",
            method=method,
            path=path,
            phase=RequestPhase.ANSWERED,
        )

    def _this_attempt_may_have_run(self) -> bool:
        return self.status == 200 or self.status in GATEWAY_STATUSES


class OutcomeUnknownError(TransportError):
    """A write that is not de-duplicated reached the server, but its answer was lost.

    The operation may or may not have run; the SDK does not send it again (that
    could run it twice). `__cause__` is the transport failure. Check the
    state (e.g. read the group) before deciding to repeat it.
    """

    def __init__(self, cause: TransportError) -> None:
        self.cause = cause
        super().__init__(
            f"outcome unknown: the request may have run and was not repeated "
            f"[{type(cause).__name__}: {cause.detail}]",
            method=cause.method,
            path=cause.path,
            phase=cause.phase,
        )

    def _this_attempt_may_have_run(self) -> bool:
        return True


class ResponseDecodeError(TransportError):
    """The body was not a Lanying JSON envelope of the expected shape."""

    def __init__(self, reason: str, body: bytes, *, method: str = "", path: str = "") -> None:
        self.reason = reason
        self.excerpt = safe_excerpt(body)
        super().__init__(
            f"{reason}; body starts {self.excerpt!r}",
            method=method,
            path=path,
            phase=RequestPhase.ANSWERED,
        )

    def _this_attempt_may_have_run(self) -> bool:
        # The server answered 200, but what it said cannot be read.
        return True


class LanyingAPIError(LanyingError):
    """The API answered with a business error code.

    Subclasses exist for every documented code; unknown codes raise the
    domain base class (or this class) with `code` kept.
    """

    default_code: int = 0
    """The business code this class stands for (0 on bases that cover a range)."""
    phase = RequestPhase.ANSWERED

    def __init__(self, code: int, message: str | None, method: str = "", path: str = "") -> None:
        self.code = code
        self.message = message or ""
        self.method = method
        self.path = path
        where = f" ({method} {path})" if method else ""
        super().__init__(f"[{code}] {self.message}{where}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.code, self.message, self.method, self.path))
