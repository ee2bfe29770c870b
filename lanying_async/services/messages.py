"""Messages: sending, broadcasting, recalling and reading conversations."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from lanying_async.errors import ValidationError
from lanying_async.models.base import SendEnvelope
from lanying_async.models.enums import ContentType, TargetType
from lanying_async.models.messages import SendMessageRequest, SendResult
from lanying_async.services.base import Service
from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.validation import check_id, check_ids, check_text

__all__ = ["MessagesService", "new_transaction_id"]

SEND = Endpoint("POST", "/message/send", SendEnvelope[bool], kind=OperationKind.DEDUPLICATED_WRITE)

_json = msgspec.json.Encoder()


def new_transaction_id() -> int:
    """A random positive 63-bit id the server uses to drop repeated sends."""
    return secrets.randbits(62) + 1


def json_text(value: str | Mapping[str, Any] | None, field: str) -> str | None:
    """Pass strings through; encode mappings as the JSON string the API expects."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return _json.encode(value).decode()
    raise ValidationError(field, "must be a string or a mapping")


class MessagesService(Service):
    """Operations under ``/message``."""

    __slots__ = ()

    async def send(
        self,
        targets: Iterable[int],
        content: str,
        *,
        target_type: TargetType = TargetType.USER,
        content_type: ContentType = ContentType.TEXT,
        ext: str | Mapping[str, Any] | None = None,
        config: str | Mapping[str, Any] | None = None,
        attachment: str | Mapping[str, Any] | None = None,
        from_user_id: int | None = None,
        online_only: bool | None = None,
        related_mid: int | None = None,
        transaction_id: int | None = None,
    ) -> SendResult:
        """Send one message to users or to groups (never both in one call).

        ``POST /message/send``. Text to users by default. The SDK fixes a
        ``transaction_id`` once per call (or uses yours), so a retried send is
        de-duplicated by the server and never delivered twice. ``ext``,
        ``config`` and ``attachment`` take a JSON string or a mapping. Raises
        ``UserNotFoundError`` (10000) or ``GroupNotFoundError`` (20001) for an
        unknown target.
        """
        body = SendMessageRequest(
            targets=check_ids(targets, "targets"),
            type=int(_enum(TargetType, target_type, "target_type")),
            content=check_text(content, "content", allow_empty=True),
            content_type=int(_enum(ContentType, content_type, "content_type")),
            ext=json_text(ext, "ext"),
            config=json_text(config, "config"),
            attachment=json_text(attachment, "attachment"),
            from_user_id=None if from_user_id is None else check_id(from_user_id, "from_user_id"),
            online_only=online_only,
            related_mid=None if related_mid is None else check_id(related_mid, "related_mid"),
            transaction_id=(
                new_transaction_id()
                if transaction_id is None
                else check_id(transaction_id, "transaction_id")
            ),
        )
        envelope = await self._call(SEND, body=body)
        return SendResult(
            ok=envelope.data is not False,
            msg_ids=envelope.msg_ids,
            transaction_id=body.transaction_id,
        )


def _enum(enum_type: type[TargetType] | type[ContentType], value: object, field: str) -> int:
    try:
        return int(enum_type(value))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        allowed = ", ".join(f"{m.name}={m.value}" for m in enum_type)
        raise ValidationError(field, f"must be one of {allowed}; got {value!r}") from None
