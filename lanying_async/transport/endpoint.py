"""One API operation as a value object: method, path, retry class and its decoder."""

from __future__ import annotations

import enum
from typing import Generic, TypeVar

import msgspec

from lanying_async.models.base import Envelope

__all__ = ["Endpoint", "OperationKind"]

E = TypeVar("E", bound=Envelope)  # type: ignore[type-arg]


class OperationKind(enum.Enum):
    """How safe an operation is to send twice; decides what may be retried.

    `READ` and `DEDUPLICATED_WRITE` (a write the server de-duplicates by an id
    the SDK fixes once per call) retry every transient failure; `WRITE` retries
    only failures that provably happened before the request reached the server.
    """

    READ = "read"
    DEDUPLICATED_WRITE = "deduplicated-write"
    WRITE = "write"

    @property
    def retries_after_send(self) -> bool:
        return self is not OperationKind.WRITE


class Endpoint(Generic[E]):
    """Method, path and typed envelope of one operation; its decoder is built once."""

    __slots__ = ("decoder", "envelope", "kind", "method", "path")

    def __init__(
        self,
        method: str,
        path: str,
        envelope: type[E],
        kind: OperationKind | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.envelope = envelope
        if kind is None:
            kind = OperationKind.READ if method == "GET" else OperationKind.WRITE
        self.kind = kind
        self.decoder: msgspec.json.Decoder[E] = msgspec.json.Decoder(envelope)

    def __repr__(self) -> str:
        return f"Endpoint({self.method} {self.path}, {self.kind.value})"
