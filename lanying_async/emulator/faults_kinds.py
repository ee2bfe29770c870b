"""The faults the emulator can inject, as plain frozen values.

Each kind is a small frozen `msgspec.Struct` tagged by its `kind` name,
so a fault converts to and from a JSON object such as
`{"kind": "latency", "seconds": 0.2, "phase": "body"}`. How a fault is
put on the wire lives in `faults_apply`.

Whether the real operation runs (its state change happens and
`state.executions` counts it) is part of each kind:

| kind | the operation runs? |
| --- | --- |
| `latency` | yes, and its answer arrives late but intact |
| `close_before` | no: the connection closes, nothing is answered |
| `close_after` | yes, then the connection closes, nothing is answered |
| `reset_mid_body` | yes: part of its real answer, then a TCP reset |
| `server_error` | no, unless `execute=True` |
| `retry_after` | no, unless `execute=True` |
| `business_code` | no, unless `execute=True` |
| `malformed` | `truncated_json` and `missing_code`: yes (the real answer, damaged); `html` \
and `not_json`: no (an answer from something else); `execute` overrides |
| `oversized` | no, unless `execute=True` |
| `endless_body` | no, unless `execute=True` |
"""

from __future__ import annotations

import math
from typing import Literal

import msgspec

__all__ = [
    "ALL_KINDS",
    "BusinessCode",
    "CloseAfterHandling",
    "CloseBeforeHandling",
    "EndlessBody",
    "Fault",
    "Latency",
    "Malformed",
    "MalformedShape",
    "Oversized",
    "ResetMidBody",
    "RetryAfter",
    "ServerError",
    "fault_from_dict",
    "fault_to_dict",
]

MalformedShape = Literal["html", "truncated_json", "missing_code", "not_json"]
ErrorPage = Literal["json", "html"]

_SMALLEST_ENVELOPE = len(b'{"code":200,"message":null,"data":""}')
"""The envelope an oversized body pads (see `faults_answers`), with empty data."""


class _FaultBase(msgspec.Struct, frozen=True, tag_field="kind", forbid_unknown_fields=True):
    @property
    def kind(self) -> str:
        return str(self.__struct_config__.tag)

    @property
    def executes(self) -> bool:
        """Whether the real operation runs before the fault shapes the answer."""
        raise NotImplementedError

    @property
    def delivers_answer(self) -> bool:
        """Whether the client receives the operation's real answer intact."""
        return False


class Latency(_FaultBase, frozen=True, tag="latency"):
    """Delay the answer by `seconds`.

    `phase="headers"` waits before the operation runs and before anything
    is sent (a slow server: a client that gives up meanwhile does not stop
    the operation); `phase="body"` runs the operation, sends the status
    line, the headers and the first half of the body, waits, then sends the
    rest.
    """

    seconds: float
    phase: Literal["headers", "body"] = "headers"

    def __post_init__(self) -> None:
        if not math.isfinite(self.seconds) or self.seconds < 0:
            raise ValueError("latency seconds must be a finite number >= 0")

    @property
    def executes(self) -> bool:
        return True

    @property
    def delivers_answer(self) -> bool:
        return True


class CloseBeforeHandling(_FaultBase, frozen=True, tag="close_before"):
    """Close the connection without an answer; the operation never runs."""

    @property
    def executes(self) -> bool:
        return False


class CloseAfterHandling(_FaultBase, frozen=True, tag="close_after"):
    """Run the operation, then close the connection without an answer."""

    @property
    def executes(self) -> bool:
        return True


class ResetMidBody(_FaultBase, frozen=True, tag="reset_mid_body"):
    """Run the operation, send its status line, headers (with the full
    Content-Length) and `fraction` of its body, then reset the connection.

    The operation runs first because this models a line that breaks while
    the answer travels: the server has done the work.
    """

    fraction: float = 0.5

    def __post_init__(self) -> None:
        if not 0 <= self.fraction < 1:
            raise ValueError("reset fraction must be in [0, 1)")

    @property
    def executes(self) -> bool:
        return True


class ServerError(_FaultBase, frozen=True, tag="server_error"):
    """Answer an HTTP 5xx with a JSON envelope or an HTML error page."""

    status: int = 500
    page: ErrorPage = "json"
    execute: bool = False

    def __post_init__(self) -> None:
        if not 500 <= self.status <= 599:
            raise ValueError("server error status must be 5xx")

    @property
    def executes(self) -> bool:
        return self.execute


class RetryAfter(_FaultBase, frozen=True, tag="retry_after"):
    """Answer 429 (or 503) with `Retry-After` in seconds or as an HTTP-date."""

    seconds: int = 1
    status: Literal[429, 503] = 429
    http_date: bool = False
    execute: bool = False

    def __post_init__(self) -> None:
        if self.seconds < 0:
            raise ValueError("retry-after seconds must be >= 0")

    @property
    def executes(self) -> bool:
        return self.execute


class BusinessCode(_FaultBase, frozen=True, tag="business_code"):
    """Answer HTTP 200 with a failure envelope (20000: server database error)."""

    code: int = 20000
    message: str | None = None
    execute: bool = False

    def __post_init__(self) -> None:
        if self.code == 200:
            raise ValueError("a business-code fault needs a failure code, not 200")

    @property
    def executes(self) -> bool:
        return self.execute


class Malformed(_FaultBase, frozen=True, tag="malformed"):
    """Answer HTTP 200 with a body the client cannot use.

    `html`: an HTML page; `truncated_json`: the first half of the JSON
    answer (with a Content-Length that matches, so the HTTP message is
    complete); `missing_code`: the JSON answer without its `code`;
    `not_json`: plain text labelled `application/json`.
    """

    shape: MalformedShape = "truncated_json"
    execute: bool | None = None
    """None: the shape's default (see the module docs)."""

    @property
    def executes(self) -> bool:
        if self.execute is not None:
            return self.execute
        return self.shape in ("truncated_json", "missing_code")


class Oversized(_FaultBase, frozen=True, tag="oversized"):
    """Answer a well-formed success envelope of exactly `size` bytes,
    announced by Content-Length and streamed in pieces."""

    size: int = 50 * 1024 * 1024
    execute: bool = False

    def __post_init__(self) -> None:
        if self.size < _SMALLEST_ENVELOPE:
            raise ValueError(f"oversized body must be at least {_SMALLEST_ENVELOPE} bytes")

    @property
    def executes(self) -> bool:
        return self.execute


class EndlessBody(_FaultBase, frozen=True, tag="endless_body"):
    """Answer HTTP 200 with a chunked body that never ends.

    Chunks of `chunk_size` bytes follow each other every `interval`
    seconds until the client goes away or the emulator stops.
    """

    chunk_size: int = 16 * 1024
    interval: float = 0.0
    execute: bool = False

    def __post_init__(self) -> None:
        if self.chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        if not math.isfinite(self.interval) or self.interval < 0:
            raise ValueError("interval must be a finite number >= 0")

    @property
    def executes(self) -> bool:
        return self.execute


Fault = (
    Latency
    | CloseBeforeHandling
    | CloseAfterHandling
    | ResetMidBody
    | ServerError
    | RetryAfter
    | BusinessCode
    | Malformed
    | Oversized
    | EndlessBody
)
"""Any one fault."""

_KIND_CLASSES: tuple[type[_FaultBase], ...] = (
    Latency,
    CloseBeforeHandling,
    CloseAfterHandling,
    ResetMidBody,
    ServerError,
    RetryAfter,
    BusinessCode,
    Malformed,
    Oversized,
    EndlessBody,
)

ALL_KINDS: tuple[str, ...] = tuple(str(cls.__struct_config__.tag) for cls in _KIND_CLASSES)
"""Every fault kind name, in a fixed order."""


def fault_from_dict(value: object) -> Fault:
    """The fault described by a JSON object; `ValueError` when it is not one."""
    try:
        fault: Fault = msgspec.convert(value, Fault)
    except msgspec.ValidationError as exc:
        raise ValueError(f"invalid fault: {exc}") from None
    return fault


def fault_to_dict(fault: Fault) -> dict[str, object]:
    """The JSON object describing `fault` (its `kind` and every field)."""
    value = msgspec.to_builtins(fault)
    assert isinstance(value, dict)
    return value
