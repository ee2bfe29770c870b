"""What every service shares: the transport, the view's scope and typed calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import msgspec

from lanying_async.errors import ResponseDecodeError
from lanying_async.models.base import Envelope, Request
from lanying_async.transport.endpoint import Endpoint

if TYPE_CHECKING:
    from lanying_async.transport.pipeline import Params, RequestScope, Transport

__all__ = ["Service", "require_data"]

E = TypeVar("E", bound=Envelope)  # type: ignore[type-arg]
T = TypeVar("T")

_encode = msgspec.json.Encoder().encode


def require_data(envelope: Envelope[T], endpoint: Endpoint[Envelope[T]]) -> T:
    """The envelope's ``data``, or a decode error if a success came without it."""
    data = envelope.data
    if data is None:
        raise ResponseDecodeError(
            "successful response carried no data",
            b"",
            method=endpoint.method,
            path=endpoint.path,
        )
    return data


class Service:
    """Base of the per-domain services; cheap to create, bound to one client view."""

    __slots__ = ("_scope", "_transport")

    def __init__(self, transport: Transport, scope: RequestScope) -> None:
        self._transport = transport
        self._scope = scope

    async def _call(
        self,
        endpoint: Endpoint[E],
        *,
        params: Params | None = None,
        body: Request | None = None,
    ) -> E:
        return await self._transport.request(
            endpoint, self._scope, params, None if body is None else _encode(body)
        )

    async def _flag(
        self,
        endpoint: Endpoint[Envelope[bool]],
        *,
        params: Params | None = None,
        body: Request | None = None,
    ) -> bool:
        """Call an operation whose ``data`` is a boolean; missing data counts as done."""
        envelope = await self._call(endpoint, params=params, body=body)
        return envelope.data is not False
