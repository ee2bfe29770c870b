"""Base classes and envelopes shared by every domain's models.

Response models tolerate unknown fields and default every field, so a newer
server that adds or omits fields never breaks an older client. Request models
omit unset fields on encode. Both are msgspec structs, decoded in one pass
straight from the response bytes.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

__all__ = ["Envelope", "PagedEnvelope", "Record", "Request", "Response", "SendEnvelope"]

T = TypeVar("T")


class Response(msgspec.Struct, kw_only=True):
    """Base of every response model (unknown fields ignored, every field defaulted)."""


class Record(Response, gc=False):
    """A response model whose fields are all scalars (ints, strings, bools, None).

    Holding no container, it can never be part of a reference cycle, so the
    garbage collector does not track it: a 1,000-member page or a 200-user
    invite reply decodes without adding a thousand objects to the collector's
    young generation (decoding is about a fifth faster).
    """


class Request(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Base of every request body (unset optional fields are left out)."""


class Envelope(msgspec.Struct, Generic[T], kw_only=True):
    """The API's `{"code", "message", "data"}` wrapper."""

    code: int = -1
    """The API's result code; 200 means success."""
    message: str | None = None
    """What went wrong; None on success."""
    data: T | None = None
    """The call's result."""


class PagedEnvelope(Envelope[list[T]], Generic[T], kw_only=True):
    """A paged list: `data` plus `cursor`/`total`/`version` beside it."""

    cursor: str | None = None
    """Where the next page starts, to pass back for more."""
    total: int | None = None
    """How many items there are in all."""
    version: int | None = None
    """The list's version as the server reports it."""


class SendEnvelope(Envelope[T], Generic[T], kw_only=True):
    """The message-send wrapper, which adds `msg_ids` beside `data`."""

    msg_ids: list[int] = msgspec.field(default_factory=list)
    """Ids of the sent message; given only when there was one receiver."""
