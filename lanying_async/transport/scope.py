"""What a call is sent with: the view's headers, timeouts and retry policy; raw answers."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy

from lanying_async.config import Timeouts
from lanying_async.transport.endpoint import OperationKind
from lanying_async.transport.retry import RetryPolicy

__all__ = [
    "MIN_ATTEMPT",
    "Params",
    "RawEndpoint",
    "RawResponse",
    "RequestScope",
    "client_timeout",
]

Params = Mapping[str, str | int]

_CONNECT_MARGIN = 0.05
"""How long before the attempt's end getting a connection must have ended."""
MIN_ATTEMPT = 0.02
"""The least time left for which a retry (or an attempt after a wait) is started:
less cannot carry a round trip, and would leave getting a connection too thin
a margin to end before the attempt's own timer."""


@dataclass(frozen=True, slots=True)
class RawEndpoint:
    """An operation answered with raw bytes rather than a JSON envelope."""

    method: str
    path: str
    kind: OperationKind = OperationKind.READ


@dataclass(frozen=True, slots=True)
class RawResponse:
    """Status, headers and body of a raw call (see
    [`Transport.request()`][lanying_async.transport.pipeline.Transport.request])."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def location(self) -> str | None:
        """Where a redirect points, if this is one."""
        return self.headers.get("Location")


def client_timeout(timeouts: Timeouts, remaining: float | None) -> aiohttp.ClientTimeout:
    """One attempt's limits: connect within `connect`, the whole answer within `read`.

    The read limit rides on the attempt's overall timer (one timer per request)
    rather than aiohttp's `sock_read`, which re-arms a timer on every chunk
    received; the attempt never outlives the call's remaining deadline.

    Getting a connection (waiting for a pooled one, connecting) must end a
    little before the attempt's own timer: aiohttp then reports it as a
    connect timeout, which says nothing was sent, where the attempt's timer
    would say only "timed out". aiohttp reads this limit only when no pooled
    connection is free, so it costs a request that finds one nothing. Timers
    are exact (no rounding up to whole seconds) so that the order holds.
    """
    attempt = timeouts.read
    if remaining is not None:
        attempt = remaining if attempt is None else min(attempt, remaining)
    if attempt is None:
        return aiohttp.ClientTimeout(total=None, sock_connect=timeouts.connect)
    return aiohttp.ClientTimeout(
        total=attempt,
        connect=attempt - min(_CONNECT_MARGIN, attempt / 5),
        sock_connect=timeouts.connect,
        ceil_threshold=math.inf,
    )


@dataclass(frozen=True, slots=True)
class RequestScope:
    """What a client view sends with every request: headers, timeouts, retry policy.

    Built once per view (`as_user`, `with_options`), never per call.
    """

    headers: Mapping[str, str]
    timeouts: Timeouts
    retry: RetryPolicy
    first_timeout: aiohttp.ClientTimeout = field(init=False)

    def __post_init__(self) -> None:
        # Frozen once into the case-insensitive multidict aiohttp works with: given
        # a plain dict, aiohttp would rebuild one from it on every request.
        object.__setattr__(self, "headers", CIMultiDictProxy(CIMultiDict(self.headers)))
        object.__setattr__(
            self, "first_timeout", client_timeout(self.timeouts, self.timeouts.total)
        )

    def with_headers(
        self, headers: Mapping[str, str], *, dropping: Iterable[str] = ()
    ) -> RequestScope:
        """This scope with `headers` set and the `dropping` names removed.

        Names match case-insensitively, as HTTP's do: a header replaces one of
        the same name whatever its case instead of going out beside it.
        """
        merged = CIMultiDict(self.headers)
        for name in dropping:
            merged.popall(name, None)
        for name, value in headers.items():
            merged[name] = value
        return dataclasses.replace(self, headers=merged)

    def acting_as(self, *, user_id: int | None = None, group_id: int | None = None) -> RequestScope:
        """This scope acting as a user or as a group's admin (an admin token may)."""
        acting = {}
        if user_id is not None:
            acting["user_id"] = str(user_id)
        if group_id is not None:
            acting["group_id"] = str(group_id)
        return self.with_headers(acting, dropping=("user_id", "group_id"))

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.headers.items() if k.lower() != "access-token"}
        return f"RequestScope(headers={shown}, timeouts={self.timeouts})"
