"""AI assistant messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lanying_async.models.ai import AiReplies
from lanying_async.models.base import Envelope
from lanying_async.models.enums import ContentType, TargetType
from lanying_async.services.base import Service, require_data
from lanying_async.services.messages import message_request
from lanying_async.transport.endpoint import Endpoint, OperationKind

__all__ = ["AiService"]

SEND_MESSAGE = Endpoint(
    "POST", "/ai/message/send", Envelope[AiReplies], kind=OperationKind.DEDUPLICATED_WRITE
)


class AiService(Service):
    """AI assistant messages."""

    __slots__ = ()

    async def send_message(
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
    ) -> AiReplies:
        """Send a message to AI assistants (user ids, or groups) and return their replies.

        `POST /ai/message/send`. The sender is `from_user_id` or the user of
        the view. Takes the same arguments as `messages.send` and likewise
        fixes a `transaction_id` once per call, so a retry is de-duplicated by
        the server. Returns the reply messages and the AI message quota used.
        Raises `UserNotFoundError` (10000), `GroupNotFoundError` (20001) or
        `InvalidParameterError` (10002) when no sender is known.
        """
        body = message_request(
            targets,
            content,
            target_type=target_type,
            content_type=content_type,
            ext=ext,
            config=config,
            attachment=attachment,
            from_user_id=from_user_id,
            online_only=online_only,
            related_mid=related_mid,
            transaction_id=transaction_id,
        )
        return require_data(await self._call(SEND_MESSAGE, body=body), SEND_MESSAGE)
