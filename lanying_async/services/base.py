"""What every service shares: the transport, the view's scope and typed calls."""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine, Hashable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from lanying_async.bulk.engine import BulkJob, Items, SendChunk
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.stops import JobWideErrors
from lanying_async.errors import ResponseDecodeError, ValidationError
from lanying_async.models.base import Envelope, Request
from lanying_async.transport.endpoint import Endpoint

if TYPE_CHECKING:
    from lanying_async.transport.pipeline import Params, RequestScope, Transport

__all__ = ["Service", "require_data"]

E = TypeVar("E", bound=Envelope)  # type: ignore[type-arg]
T = TypeVar("T")
ItemT = TypeVar("ItemT")
KeyT = TypeVar("KeyT", bound=Hashable)

_encode = msgspec.json.Encoder().encode


def require_data(envelope: Envelope[T], endpoint: Endpoint[Envelope[T]]) -> T:
    """The envelope's `data`, or a decode error if a success came without it."""
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

    def _call(
        self,
        endpoint: Endpoint[E],
        *,
        params: Params | None = None,
        body: Request | None = None,
        scope: RequestScope | None = None,
    ) -> Coroutine[Any, Any, E]:
        # Encodes now and hands back the transport's coroutine: no frame of its own.
        if body is None:
            return self._transport.request(endpoint, scope or self._scope, params, None)
        try:
            encoded = _encode(body)
        except UnicodeEncodeError:  # a lone surrogate in some text: JSON cannot carry it
            raise ValidationError(
                type(body).__name__, "contains a lone surrogate (not valid text)"
            ) from None
        return self._transport.request(endpoint, scope or self._scope, params, encoded)

    def _bulk(
        self,
        items: Items[ItemT],
        send_chunk: SendChunk[ItemT, KeyT],
        options: BulkOptions | None,
        *,
        chunk_size: int | None = None,
        max_chunk: int | None = None,
        key: Callable[[ItemT], KeyT] | None = None,
        validate: Callable[[ItemT], ItemT] | None = None,
        is_write: bool = True,
        job_wide_codes: Iterable[int] = (),
        item_codes: Collection[int] = (),
        deduplicated: bool = False,
        name: str,
    ) -> BulkJob[ItemT, KeyT]:
        """A bulk job on this view: client defaults, per-call options, pool-wide cap.

        `item_codes` are the operation's whole-request codes that name an item
        ([`item_codes`][lanying_async.bulk.item_codes]); `deduplicated` says the server
        de-duplicates each request (its own `transaction_id` or `request_id`);
        `name` is the operation, as `"POST /message/send"`.
        """
        opts = options or BulkOptions()
        config = self._transport.config
        size = opts.chunk_size or chunk_size or config.bulk.chunk_size
        if max_chunk is not None:
            size = min(size, max_chunk)
        pool = config.limits.effective_connections
        concurrency = min(opts.concurrency or config.bulk.concurrency, pool)
        return BulkJob(
            items,
            send_chunk,
            chunk_size=size,
            concurrency=concurrency,
            key=key,
            limiter=self._transport.bulk_limiter,
            validate=validate,
            dedupe=opts.dedupe,
            keep_succeeded=opts.keep_succeeded,
            fail_fast=opts.fail_fast,
            is_write=is_write,
            on_progress=opts.on_progress,
            job_wide=JobWideErrors(job_wide_codes),
            item_codes=item_codes if opts.isolate else (),
            deduplicated=deduplicated,
            name=name,
        )

    def _scope_as_user(self, user_id: int) -> RequestScope:
        """This view's scope acting as `user_id` (for per-user bulk requests)."""
        return self._scope.acting_as(user_id=user_id)

    async def _flag(
        self,
        endpoint: Endpoint[Envelope[bool]],
        *,
        params: Params | None = None,
        body: Request | None = None,
    ) -> bool:
        """Call an operation whose `data` is a boolean; missing data counts as done."""
        envelope = await self._call(endpoint, params=params, body=body)
        return envelope.data is not False
