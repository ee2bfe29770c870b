"""The operations a durable job runs, and what each does with a chunk sent again.

Each operation sends a chunk through the SDK's bulk method over the chunk's
items (so a chunk refused as a whole for some of its items is split, as
everywhere in the SDK), with request ids fixed by the chunk
([`chunks`][lanying_async.jobs.chunks]). A chunk comes back after an attempt that
may have sent it when its worker died, its lease lapsed or its request failed
on the way; each operation has its own rule for that, as the API allows:

| operation | SDK method | a chunk sent again |
| --- | --- | --- |
| `push` | `push.notify` | is sent as it was: the server never runs a `setting.request_id` twice. |
| `send` | `messages.send` | is sent as it was while its first send is at most \
`JobSpec.dedup_window` old (the server drops a repeated `transaction_id` only for a short \
while); older, it is not sent and its items are `outcome_unknown`, unless `force_resend`. |
| `invite` | `groups.invite` | is sent as it was; a user it fails who is a member after it \
counts as invited ("already a member"). |
| `kick` | `groups.bulk_kick` | is sent as it was; a user it fails who is no member after it \
counts as kicked ("not a member"). |
| `register` | `users.bulk_register` | looks each username up first (`/roster/name`): one \
found may have been registered by the lost attempt or before the job, so it is \
`outcome_unknown`; the others are registered now. |

Invite and kick ask the group which of the failed users are members
(``groups.member_display_names``) rather than read the failure's reason: a
per-member reply carries no code, and its wording is the server's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from lanying_async.bulk.errors import BulkAbortedError
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.report import BulkReport, ChunkOutcome
from lanying_async.config import BulkLimits
from lanying_async.errors import LanyingError, UserNotFoundError, ValidationError
from lanying_async.jobs.chunks import ChunkTask, Sent, chunk_record, is_transient
from lanying_async.jobs.model import ChunkRecord, FailedItem
from lanying_async.jobs.operations_args import (
    check_group_arguments,
    check_lookup_arguments,
    check_push_arguments,
    check_register_row,
    check_send_arguments,
    no_arguments,
)
from lanying_async.models.enums import ContentType, TargetType
from lanying_async.models.push import Audience, PushMessage, PushSetting
from lanying_async.models.users import ProfileUpdate
from lanying_async.validation import MAX_PUSH_TARGETS, check_id, check_text

if TYPE_CHECKING:
    from lanying_async.bulk.engine import BulkJob
    from lanying_async.client import ClientView

__all__ = ["OPERATION_RULES", "Operation", "operation_named"]

_LIMITS = BulkLimits()


class Operation(ABC):
    """One kind of durable job: its arguments, its items and how it sends a chunk."""

    name: ClassVar[str]
    sdk_method: ClassVar[str]
    rule: ClassVar[str]
    """What the operation does with a chunk sent again, in a sentence."""
    default_chunk_size: ClassVar[int] = _LIMITS.chunk_size
    max_chunk_size: ClassVar[int | None] = None

    def check_arguments(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The operation's arguments, checked, as JSON values (``ValidationError`` otherwise)."""
        return no_arguments(arguments)

    def check_item(self, item: Any, field: str, arguments: Mapping[str, Any]) -> Any:
        """One input item, checked, in the form the store keeps."""
        return check_id(item, field)

    def key(self, item: Any) -> Hashable:
        """What the report names a stored item by (the item itself, or a username)."""
        return item  # type: ignore[no-any-return]

    def result_key(self, text: str) -> Hashable:
        """A key of ``ChunkRecord.results`` (kept as a JSON object's key) as the report's."""
        return int(text)

    def chunk_size(self, requested: int | None) -> int:
        size = self.default_chunk_size if requested is None else requested
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValidationError("chunk_size", "must be a positive int")
        if self.max_chunk_size is not None and size > self.max_chunk_size:
            raise ValidationError("chunk_size", f"must be at most {self.max_chunk_size}")
        return size

    @abstractmethod
    async def send(self, task: ChunkTask) -> Sent:
        """Run one attempt at the chunk (taking a turn before each request)."""

    def keys(self, items: list[Any]) -> list[Any]:
        return [self.key(item) for item in items]


class _OneChunk:
    """Runs a chunk as a one-chunk bulk job, keeping the error it failed with as a whole."""

    def __init__(self, size: int) -> None:
        self.error: LanyingError | None = None
        self.options = BulkOptions(chunk_size=size, concurrency=1, on_progress=self._seen)

    def _seen(self, outcome: ChunkOutcome[Any], report: BulkReport[Any]) -> None:
        if outcome.error is not None:
            self.error = outcome.error

    async def run(self, job: BulkJob[Any, Any], keys: list[Any], extra_requests: int = 0) -> Sent:
        try:
            report = await job
        except BulkAbortedError as stop:  # an error every chunk would meet
            record = chunk_record(keys, stop.report, extra_requests=extra_requests)
            return Sent(record, stop.report.stopped_by, job_wide=stop.job_wide)
        return Sent(chunk_record(keys, report, extra_requests=extra_requests), self.error)


class Push(Operation):
    name = "push"
    sdk_method = "push.notify"
    rule = "de-duplicated by the server: a repeated setting.request_id is never pushed again"
    default_chunk_size = MAX_PUSH_TARGETS
    max_chunk_size = MAX_PUSH_TARGETS

    def check_arguments(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        return check_push_arguments(arguments)

    def check_item(self, item: Any, field: str, arguments: Mapping[str, Any]) -> Any:
        if arguments["to"] == "user_id":
            return check_id(item, field)
        return check_text(item, field)

    def result_key(self, text: str) -> Hashable:
        return text

    async def send(self, task: ChunkTask) -> Sent:
        arguments = task.spec.arguments
        kind = arguments["to"]
        message = msgspec.convert(arguments["message"], PushMessage)
        setting = arguments.get("setting")
        audience = Audience.all() if kind == "all" else Audience(kind, task.items)
        await task.turn()
        chunk = _OneChunk(len(task.items))
        job = task.client.push.notify(
            audience,
            message,
            setting=None if setting is None else msgspec.convert(setting, PushSetting),
            options=chunk.options,
            request_ids=task.push_request_id,
        )
        return await chunk.run(job, list(task.items))


class Send(Operation):
    name = "send"
    sdk_method = "messages.send"
    rule = (
        "de-duplicated by the server for a short while: a chunk first sent longer than "
        "dedup_window ago is not sent again but reported outcome-unknown (unless force_resend)"
    )

    def check_arguments(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        return check_send_arguments(arguments)

    async def send(self, task: ChunkTask) -> Sent:
        spec, first = task.spec, task.lease.first_sent_at
        if first is not None and not spec.force_resend and task.clock() - first > spec.dedup_window:
            # The server may no longer know the transaction id: a repeat could deliver twice.
            keys = list(task.items)
            return Sent(ChunkRecord(items=keys, outcome_unknown=keys))
        arguments = spec.arguments
        await task.turn()
        chunk = _OneChunk(len(task.items))
        job = task.client.messages.send(
            task.items,
            arguments["content"],
            target_type=TargetType(arguments["target_type"]),
            content_type=ContentType(arguments["content_type"]),
            ext=arguments.get("ext"),
            config=arguments.get("config"),
            attachment=arguments.get("attachment"),
            from_user_id=arguments.get("from_user_id"),
            online_only=arguments.get("online_only"),
            options=chunk.options,
            transaction_ids=task.transaction_id,
        )
        return await chunk.run(job, list(task.items))


class _MemberOperation(Operation):
    """Invite or kick: a group's members change, and sending twice changes nothing more."""

    joins: ClassVar[bool]
    """Does the operation make its users members (invite) or not (kick)?"""

    def check_arguments(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        return check_group_arguments(arguments, invite=self.joins)

    @staticmethod
    def acting(task: ChunkTask) -> ClientView:
        arguments = task.spec.arguments
        if "as_user" in arguments:
            return task.client.as_user(arguments["as_user"])
        return task.client.as_group_admin(arguments["group_id"])

    @abstractmethod
    def start(self, view: ClientView, task: ChunkTask, options: BulkOptions) -> BulkJob[Any, Any]:
        """The bulk job sending the chunk."""

    async def send(self, task: ChunkTask) -> Sent:
        view = self.acting(task)
        await task.turn()
        chunk = _OneChunk(len(task.items))
        sent = await chunk.run(self.start(view, task, chunk.options), list(task.items))
        record = sent.record
        if not task.redelivered or not record.failed or is_transient(sent.error):
            return sent
        failed = [failure.item for failure in record.failed]
        await task.turn()
        try:
            members = await view.groups.member_display_names(
                task.spec.arguments["group_id"], failed
            )
        except LanyingError as exc:
            if is_transient(exc):
                return Sent(record, exc)
            return sent  # the failures stand as the server gave them
        member_ids = {member.user_id for member in members}
        done = [user_id for user_id in failed if (user_id in member_ids) == self.joins]
        return Sent(_now_succeeded(record, done, extra_requests=1), sent.error, sent.job_wide)


class Invite(_MemberOperation):
    name = "invite"
    sdk_method = "groups.invite"
    rule = "idempotent: on a chunk sent again, a user already a member counts as invited"
    joins = True

    def start(self, view: ClientView, task: ChunkTask, options: BulkOptions) -> BulkJob[Any, Any]:
        arguments = task.spec.arguments
        return view.groups.invite(
            arguments["group_id"], task.items, reason=arguments.get("reason"), options=options
        )


class Kick(_MemberOperation):
    name = "kick"
    sdk_method = "groups.bulk_kick"
    rule = "idempotent: on a chunk sent again, a user no longer a member counts as kicked"
    joins = False

    def start(self, view: ClientView, task: ChunkTask, options: BulkOptions) -> BulkJob[Any, Any]:
        return view.groups.bulk_kick(task.spec.arguments["group_id"], task.items, options=options)


_PROFILE_NOT_SET = "registered, but profile not set: "


class Register(Operation):
    name = "register"
    sdk_method = "users.bulk_register"
    rule = (
        "not idempotent: on a chunk whose request may have left, each username is looked up; "
        "one found is outcome-unknown (it may predate the job), the others are registered"
    )
    default_chunk_size = _LIMITS.register_chunk_size

    def check_arguments(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        return check_lookup_arguments(arguments)

    def check_item(self, item: Any, field: str, arguments: Mapping[str, Any]) -> Any:
        return check_register_row(item, field)

    def key(self, item: Any) -> Hashable:
        return item[0]  # type: ignore[no-any-return]

    def result_key(self, text: str) -> Hashable:
        return text

    async def send(self, task: ChunkTask) -> Sent:
        rows = task.items
        unknown: list[str] = []
        lookups = 0
        if task.may_have_left:
            viewer = await self._viewer(task)
            fresh = []
            for row in rows:
                await task.turn()
                lookups += 1
                try:
                    await viewer.roster.search_by_name(row[0])
                except UserNotFoundError:
                    fresh.append(row)
                except LanyingError as exc:
                    if is_transient(exc):
                        keys = self.keys(rows)
                        return Sent(ChunkRecord(items=keys, outcome_unknown=keys), exc)
                    unknown.append(row[0])  # cannot tell: it may have been registered
                else:
                    unknown.append(row[0])
            rows = fresh
        sent = Sent(ChunkRecord(items=[], requests=lookups))
        if rows:
            await task.turn()
            chunk = _OneChunk(len(rows))
            job = task.client.users.bulk_register(
                [(row[0], row[1]) for row in rows], options=chunk.options
            )
            sent = await chunk.run(job, self.keys(rows), extra_requests=lookups)
        record = msgspec.structs.replace(
            sent.record,
            items=self.keys(task.items),
            outcome_unknown=[*sent.record.outcome_unknown, *unknown],
        )
        if not is_transient(sent.error) and not sent.job_wide:
            record = await self._set_profiles(task, rows, record)
        return Sent(record, sent.error, sent.job_wide)

    async def _viewer(self, task: ChunkTask) -> ClientView:
        """Who looks usernames up: ``lookup_as``, else a user the job registered, else the
        admin token alone (the server decides whether that may look users up)."""
        lookup_as = task.spec.arguments.get("lookup_as")
        if lookup_as is None:
            async for _, done in task.store.records(task.job_id):
                user_id = next(iter(done.results.values()), None) if done is not None else None
                if isinstance(user_id, int) and user_id > 0:
                    lookup_as = user_id
                    break
        return task.client if lookup_as is None else task.client.as_user(lookup_as)

    async def _set_profiles(
        self, task: ChunkTask, rows: list[Any], record: ChunkRecord
    ) -> ChunkRecord:
        """Set the profile fields of the rows just registered; a failure fails that user."""
        new = set(record.succeeded)
        updates = {
            record.results[row[0]]: row[0]
            for row in rows
            if len(row) == 3 and row[0] in new and row[0] in record.results
        }
        if not updates:
            return record
        profiles = {row[0]: row[2] for row in rows if len(row) == 3}
        await task.turn()
        try:
            answers = await task.client.users.update_profiles(
                [ProfileUpdate(user_id=uid, **profiles[name]) for uid, name in updates.items()]
            )
        except LanyingError as exc:
            failures = {name: (None, str(exc)) for name in updates.values()}
        else:
            failures = {
                updates[answer.user_id]: (None, answer.reason or "failed")
                for answer in answers
                if not answer.ok and answer.user_id in updates
            }
            answered = {answer.user_id for answer in answers}
            for user_id, name in updates.items():
                if user_id not in answered:
                    failures[name] = (None, "the reply did not mention this user")
        return _now_failed(record, failures, _PROFILE_NOT_SET, extra_requests=1)


def _now_succeeded(record: ChunkRecord, items: list[Any], *, extra_requests: int) -> ChunkRecord:
    """``record`` with failed ``items`` moved to succeeded."""
    moved = set(items)
    return msgspec.structs.replace(
        record,
        succeeded=[*record.succeeded, *items],
        failed=[failure for failure in record.failed if failure.item not in moved],
        requests=record.requests + extra_requests,
    )


def _now_failed(
    record: ChunkRecord,
    failures: Mapping[Any, tuple[int | None, str]],
    context: str,
    *,
    extra_requests: int,
) -> ChunkRecord:
    """``record`` with succeeded items of ``failures`` moved to failed (reason prefixed)."""
    return msgspec.structs.replace(
        record,
        succeeded=[item for item in record.succeeded if item not in failures],
        failed=[
            *record.failed,
            *(FailedItem(item, code, context + why) for item, (code, why) in failures.items()),
        ],
        requests=record.requests + extra_requests,
    )


_OPERATIONS: dict[str, Operation] = {
    operation.name: operation for operation in (Push(), Send(), Invite(), Kick(), Register())
}

OPERATION_RULES = {name: operation.rule for name, operation in _OPERATIONS.items()}
"""Each operation's redelivery rule, by name (as documented above)."""


def operation_named(name: str) -> Operation:
    """The operation ``name`` (one of ``OPERATIONS``); ``ValidationError`` otherwise."""
    operation = _OPERATIONS.get(name) if isinstance(name, str) else None
    if operation is None:
        raise ValidationError("operation", f"must be one of {', '.join(_OPERATIONS)}")
    return operation
