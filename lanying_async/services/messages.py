"""Messages: sending, broadcasting, recalling and reading conversations."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.bulk.inputs import id_items
from lanying_async.bulk.item_codes import GROUP_TARGET_CODES, USER_TARGET_CODES
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.report import ChunkResult, ItemError
from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope, SendEnvelope
from lanying_async.models.enums import ContentType, TargetType
from lanying_async.models.messages import (
    BroadcastRequest,
    BroadcastResult,
    ConversationHistory,
    ConversationIdRequest,
    ConversationMessage,
    PinnedConversations,
    RecallRequest,
    SendMessageRequest,
    SendResult,
    UnreadConversation,
)
from lanying_async.pagination import Page, Paginator
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.validation import (
    INT32_MAX,
    check_enum,
    check_id,
    check_ids,
    check_int,
    check_text,
    optional_bool,
    optional_json_text,
)

__all__ = [
    "DEFAULT_HISTORY_PAGE",
    "MessagesService",
    "message_request",
    "new_transaction_id",
]

SEND = Endpoint("POST", "/message/send", SendEnvelope[bool], kind=OperationKind.DEDUPLICATED_WRITE)
NOTIFY = Endpoint(
    "POST", "/message/notify", SendEnvelope[bool], kind=OperationKind.DEDUPLICATED_WRITE
)
BROADCAST = Endpoint("POST", "/message/broadcast", Envelope[BroadcastResult])
RECALL = Endpoint("PUT", "/message/recall", Envelope[bool])
ACK = Endpoint("GET", "/message/ack", Envelope[bool])
UNREAD = Endpoint("GET", "/message/unread", Envelope[list[UnreadConversation]])
HISTORY = Endpoint("GET", "/message/conversation", Envelope[ConversationHistory])
DELETE_CONVERSATION = Endpoint("DELETE", "/message/conversation", Envelope[bool])
PIN = Endpoint("PUT", "/user/conversation/pin", Envelope[bool])
UNPIN = Endpoint("PUT", "/user/conversation/unpin", Envelope[bool])
PIN_LIST = Endpoint("GET", "/user/conversation/pin_list", Envelope[PinnedConversations])

DEFAULT_HISTORY_PAGE = 20
"""Messages per history page unless another `limit` is given."""
BROADCAST_CONTENT_TYPES = frozenset(t for t in ContentType if t <= ContentType.COMMAND)
"""The content types a broadcast may carry: TEXT up to COMMAND."""


def new_transaction_id() -> int:
    """A random positive 63-bit id the server uses to drop repeated sends."""
    return secrets.randbits(62) + 1


def message_request(
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
) -> SendMessageRequest:
    """The checked body of a message send (`/message/send`, `/message/notify`,
    `/ai/message/send`).

    `ext`, `config` and `attachment` take a JSON string or a mapping.
    Without a `transaction_id` a new one is drawn, fixed for every retry of
    the request. Raises `ValidationError` naming the first bad argument.
    """
    return SendMessageRequest(
        targets=check_ids(targets, "targets"),
        type=int(check_enum(TargetType, target_type, "target_type")),
        content=check_text(content, "content", allow_empty=True),
        content_type=int(check_enum(ContentType, content_type, "content_type")),
        ext=optional_json_text(ext, "ext"),
        config=optional_json_text(config, "config"),
        attachment=optional_json_text(attachment, "attachment"),
        from_user_id=None if from_user_id is None else check_id(from_user_id, "from_user_id"),
        online_only=optional_bool(online_only, "online_only"),
        related_mid=None if related_mid is None else check_id(related_mid, "related_mid"),
        transaction_id=(
            new_transaction_id()
            if transaction_id is None
            else check_id(transaction_id, "transaction_id")
        ),
    )


_REFUSED = ItemError(None, "the server answered false")


def _sent(envelope: SendEnvelope[bool], body: SendMessageRequest) -> SendResult:
    return SendResult(
        ok=envelope.data is not False,
        msg_ids=envelope.msg_ids,
        transaction_id=body.transaction_id,
    )


class MessagesService(Service):
    """Operations under `/message` and the user's conversation pins."""

    __slots__ = ()

    def send(
        self,
        targets: Items[int],
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
        options: BulkOptions | None = None,
        transaction_ids: Callable[[list[int]], int] | None = None,
    ) -> BulkJob[int, int]:
        """Send one message to any number of users or groups; await the report.

        `POST /message/send`, one request per chunk of targets (users or groups, never both). Text
        to users by default. Every chunk carries its own `transaction_id`, fixed once, so a
        retried chunk is de-duplicated by the server and never delivered twice. `targets` may be a
        list or any (async) iterable. The server returns message ids only for a request with exactly
        one target, so `report.results` maps a target to its message id only when its chunk held
        it alone (`BulkOptions(chunk_size=1)` gets every id, at one request per target). The
        server refuses a whole request for one unknown target (`UserNotFoundError` 10000,
        `GroupNotFoundError` 20001): the chunk is then split and sent again in parts, each with
        its own `transaction_id`, so that only the unknown targets fail (`report.isolated`;
        `BulkOptions(isolate=False)` fails the whole chunk instead). `transaction_ids`, when
        given, makes each request's `transaction_id` instead of a random draw: it is called once
        per request (a chunk, or a part of a chunk being split) with the targets it carries, before
        its first attempt, and must return a positive int64 (durable jobs use it to give a chunk the
        same id in every process that sends it). Arguments are checked before anything is sent. Use
        [`send_once()`][lanying_async.services.messages.MessagesService.send_once] for one request.
        """
        items, validate = id_items(targets, "targets")
        template = message_request(
            [1],
            content,
            target_type=target_type,
            content_type=content_type,
            ext=ext,
            config=config,
            attachment=attachment,
            from_user_id=from_user_id,
            online_only=online_only,
            related_mid=related_mid,
        )

        async def send_chunk(chunk: list[int]) -> ChunkResult[int]:
            if transaction_ids is None:
                transaction_id = new_transaction_id()
            else:
                transaction_id = check_id(transaction_ids(list(chunk)), "transaction_ids")
            body = msgspec.structs.replace(template, targets=chunk, transaction_id=transaction_id)
            envelope = await self._call(SEND, body=body)
            if envelope.data is False:
                return ChunkResult(failed=dict.fromkeys(chunk, _REFUSED))
            ids = envelope.msg_ids
            # The server names ids only for a lone receiver (spec: msg_ids).
            results = {chunk[0]: ids[0]} if len(chunk) == 1 and len(ids) == 1 else None
            return ChunkResult(chunk, value=ids, results=results)

        groups = template.type == TargetType.GROUP
        return self._bulk(
            items,
            send_chunk,
            options,
            validate=validate,
            item_codes=GROUP_TARGET_CODES if groups else USER_TARGET_CODES,
            deduplicated=True,
            name="POST /message/send",
        )

    async def send_once(
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
        """Send one message to users or to groups with exactly one request.

        `POST /message/send`. Text to users by default. The SDK fixes a
        `transaction_id` once per call (or uses yours), so a retried send is
        de-duplicated by the server and never delivered twice. `msg_ids`
        holds the new message's id for one target and is empty for more (the
        server returns ids only when there is exactly one receiver). `ext`,
        `config` and `attachment` take a JSON string or a mapping. Raises
        `UserNotFoundError` (10000) or `GroupNotFoundError` (20001) for an
        unknown target.
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
        return _sent(await self._call(SEND, body=body), body)

    async def notify(
        self,
        targets: Iterable[int],
        content: str,
        *,
        target_type: TargetType = TargetType.USER,
        content_type: ContentType = ContentType.TEXT,
        ext: str | Mapping[str, Any] | None = None,
        config: str | Mapping[str, Any] | None = None,
        attachment: str | Mapping[str, Any] | None = None,
        online_only: bool | None = None,
        transaction_id: int | None = None,
    ) -> SendResult:
        """Send a system notification (no sending user) to users or to groups.

        `POST /message/notify`, with the app's admin token. Takes the same arguments as
        [`send()`][lanying_async.services.messages.MessagesService.send] and likewise fixes a
        `transaction_id` once per call, so a retried notification is de-duplicated by the server.
        `msg_ids` is filled for one target only, as for
        [`send_once()`][lanying_async.services.messages.MessagesService.send_once]. Raises
        `UserNotFoundError` (10000) or `GroupNotFoundError` (20001) for an unknown target,
        `PermissionDeniedError` (10010) on a user view.
        """
        body = message_request(
            targets,
            content,
            target_type=target_type,
            content_type=content_type,
            ext=ext,
            config=config,
            attachment=attachment,
            online_only=online_only,
            transaction_id=transaction_id,
        )
        return _sent(await self._call(NOTIFY, body=body), body)

    async def broadcast(
        self,
        content: str,
        *,
        content_type: ContentType = ContentType.TEXT,
        ext: str | Mapping[str, Any] | None = None,
        config: str | Mapping[str, Any] | None = None,
        attachment: str | Mapping[str, Any] | None = None,
    ) -> BroadcastResult:
        """Broadcast one message to every user of the app and report how many it reached.

        `POST /message/broadcast`, with the app's admin token. Only the
        content types `TEXT` to `COMMAND` (0-6) can be broadcast (checked
        before sending). Not de-duplicated: a broadcast is never retried once
        sent. Raises `PermissionDeniedError` (10010) on a user view and
        `InvalidParameterError` (10002) for bad input.
        """
        kind = check_enum(ContentType, content_type, "content_type")
        if kind not in BROADCAST_CONTENT_TYPES:
            raise ValidationError("content_type", "a broadcast carries TEXT to COMMAND (0-6)")
        body = BroadcastRequest(
            type=int(TargetType.USER),
            content_type=int(kind),
            content=check_text(content, "content", allow_empty=True),
            ext=optional_json_text(ext, "ext"),
            config=optional_json_text(config, "config"),
            attachment=optional_json_text(attachment, "attachment"),
        )
        return require_data(await self._call(BROADCAST, body=body), BROADCAST)

    async def recall(self, conversation_id: int, msg_id: int) -> bool:
        """Recall (withdraw) a message of a conversation, for everyone in it.

        `PUT /message/recall`. `conversation_id` is the peer user's id or
        the group's id. Only the sender, the app admin or a group admin may
        recall a message. Raises `InvalidParameterError` (10002) for an
        unknown message or one outside the conversation and
        `PermissionDeniedError` (10010) for anyone else.
        """
        body = RecallRequest(
            conversation_id=check_id(conversation_id, "conversation_id"),
            msg_id=check_id(msg_id, "msg_id"),
        )
        return await self._flag(RECALL, body=body)

    async def ack(
        self,
        conversation_id: int | None = None,
        msg_id: int | None = None,
        *,
        device_sn: int | None = None,
    ) -> bool:
        """Send a read receipt: the current user has read the conversation up to `msg_id`.

        `GET /message/ack` on a user view (`client.as_user(...)`). The
        conversation's unread count drops accordingly. `device_sn` names the
        reading device. Every parameter is optional in the API, so each is sent
        only when given (and checked when given); what the server does without
        one is its own rule. Raises `InvalidParameterError` (10002) without a
        user scope or when the message is not in that conversation of the user.
        """
        params: dict[str, str | int] = {}
        if conversation_id is not None:
            params["conversation_id"] = check_id(conversation_id, "conversation_id")
        if msg_id is not None:
            params["msg_id"] = check_id(msg_id, "msg_id")
        if device_sn is not None:
            params["device_sn"] = check_int(device_sn, "device_sn", minimum=0, maximum=INT32_MAX)
        return await self._flag(ACK, params=params)

    async def unread(self) -> list[UnreadConversation]:
        """The current user's recent conversations, each with its unread message count.

        `GET /message/unread` on a user view. The most recent conversation
        comes first; `UnreadConversation.uid` is the peer user's id or the
        group's id. Raises `InvalidParameterError` (10002) without a user scope.
        """
        envelope = await self._call(UNREAD)
        return envelope.data or []

    def history(
        self,
        conversation_id: int,
        *,
        limit: int = DEFAULT_HISTORY_PAGE,
        start_msg_id: int | None = None,
    ) -> Paginator[ConversationMessage]:
        """A conversation's messages from the newest backwards, page by page.

        `GET /message/conversation` on a user view; `conversation_id` is the
        peer user's id or the group's id. Pages hold up to `limit` messages,
        starting at `start_msg_id` (inclusive) or at the latest message.
        Await it for the first page, or `async for` over every message (the
        `next_msg_id` is followed for you). Raises `UserNotFoundError`
        (10000), `GroupNotFoundError` (20001) or `GroupMemberRequiredError`
        (20011).
        """
        peer = check_id(conversation_id, "conversation_id")
        size = check_int(limit, "limit", minimum=1)
        start = None if start_msg_id is None else check_id(start_msg_id, "start_msg_id")

        async def fetch(token: str | int | None) -> Page[ConversationMessage]:
            params: dict[str, str | int] = {
                "opposite_id": peer,
                "msg_id_start": 0 if token is None else int(token),
                "limit": size,
            }
            data = require_data(await self._call(HISTORY, params=params), HISTORY)
            following = data.next_msg_id
            more = not data.is_last and following is not None and following > 0
            return Page(items=data.messages, next_token=following if more else None)

        return Paginator(fetch, start)

    async def delete_conversation(self, conversation_id: int) -> bool:
        """Delete a conversation from the current user's list, with its history so far.

        `DELETE /message/conversation` on a user view. Other participants keep
        theirs; a new message brings the conversation back. Raises
        `UserNotFoundError` (10000) for an unknown conversation and
        `InvalidParameterError` (10002) without a user scope.
        """
        params = {"conversation_id": check_id(conversation_id, "conversation_id")}
        return await self._flag(DELETE_CONVERSATION, params=params)

    async def pin_conversation(self, conversation_id: int) -> bool:
        """Pin a conversation (a peer user's or a group's id) to the top of the user's list.

        `PUT /user/conversation/pin` on a user view. Pinning twice changes
        nothing. Raises `UserNotFoundError` (10000), `GroupNotFoundError`
        (20001), `GroupMemberRequiredError` (20011) for a group the user is
        not in, and `InvalidParameterError` (10002) without a user scope.
        """
        body = ConversationIdRequest(conversation_id=check_id(conversation_id, "conversation_id"))
        return await self._flag(PIN, body=body)

    async def pinned_conversations(self) -> list[int]:
        """The ids of the conversations the current user pinned, in the order pinned.

        `GET /user/conversation/pin_list` on a user view. Each id is a peer
        user's id or a group's id. Raises `InvalidParameterError` (10002)
        without a user scope.
        """
        envelope = await self._call(PIN_LIST)
        return [] if envelope.data is None else envelope.data.conversation_ids

    async def unpin_conversation(self, conversation_id: int) -> bool:
        """Unpin a conversation of the current user; unpinning one not pinned changes nothing.

        `PUT /user/conversation/unpin` on a user view. Raises
        `InvalidParameterError` (10002) without a user scope.
        """
        body = ConversationIdRequest(conversation_id=check_id(conversation_id, "conversation_id"))
        return await self._flag(UNPIN, body=body)
