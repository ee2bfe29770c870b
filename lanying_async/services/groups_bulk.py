"""Bulk forms of the group member operations (mixed into GroupsService).

Each runs its single-request operation over member lists of any size, in concurrent chunks, and
reports every user (see [`BulkReport`][lanying_async.bulk.report.BulkReport]). A chunk refused as a
whole with a code naming a user is split to find that user (the codes:
[`item_codes`][lanying_async.bulk.item_codes]).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.bulk.inputs import id_items, member_results, refused_alone
from lanying_async.bulk.item_codes import (
    GROUP_LIST_CODES,
    INVITEE_CODES,
    MEMBER_CODES,
    USER_LIST_CODES,
)
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.report import ChunkResult, ItemError
from lanying_async.bulk.stops import GROUP_JOB_CODES
from lanying_async.errors import LanyingAPIError
from lanying_async.models.groups import GroupBrief, MemberResult
from lanying_async.services.base import Service
from lanying_async.services.group_moderation import ban_minutes
from lanying_async.validation import check_id, optional_text

__all__ = ["GroupBulkOps"]

_GROUP_NOT_FOUND = ItemError(20001, "group not found")

MemberCall = Callable[[int, list[int]], Awaitable[list[MemberResult]]]


class GroupBulkOps(Service):
    """`bulk_*` member operations; each returns a
    [`BulkJob`][lanying_async.bulk.engine.BulkJob]."""

    __slots__ = ()

    if TYPE_CHECKING:  # provided by GroupsService and GroupModerationOps

        async def _invite(
            self, group_id: int, user_ids: list[int], reason: str | None
        ) -> list[MemberResult]: ...
        async def kick(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]: ...
        async def add_admins(
            self, group_id: int, user_ids: Iterable[int]
        ) -> list[MemberResult]: ...
        async def remove_admins(
            self, group_id: int, user_ids: Iterable[int]
        ) -> list[MemberResult]: ...
        async def ban(
            self, group_id: int, user_ids: Iterable[int], minutes: int
        ) -> list[MemberResult]: ...
        async def unban(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]: ...
        async def block(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]: ...
        async def unblock(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]: ...
        async def info_batch(self, group_ids: Iterable[int]) -> list[GroupBrief]: ...

    def invite(
        self,
        group_id: int,
        user_ids: Items[int],
        *,
        reason: str | None = None,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Invite any number of users into a group, in concurrent chunks; await the report.

        `POST /group/invite`, one request per chunk (`BulkLimits.chunk_size` ids by default).
        `user_ids` may be a list or any (async) iterable, consumed lazily. Every user ends in the
        [`BulkReport`][lanying_async.bulk.report.BulkReport] as succeeded, failed (with the reason:
        unknown user, already a member, blocked, kicked too often, group full), skipped (a repeat in
        the input) or, after a cancellation, outcome-unknown or not started. A user whose settings
        ask to confirm invitations gets a pending invitation (a success). An invitee refused alone
        in a request (the server then answers with the call's code) fails with the same
        `ItemError` as in a per-member reply. A call-wide refusal (`GroupNotFoundError` 20001,
        `GroupMemberRequiredError` 20011, `GroupAdminRequiredError` 20012) stops the job
        (`BulkAbortedError`). Use
        [`invite_once()`][lanying_async.services.groups.GroupsService.invite_once] for one request.
        """
        why = optional_text(reason, "reason", allow_empty=True)

        async def invite(gid: int, chunk: list[int]) -> list[MemberResult]:
            return await self._invite(gid, chunk, why)

        return self._members_job(
            invite,
            group_id,
            user_ids,
            options,
            name="POST /group/invite",
            codes=INVITEE_CODES,
            lone=INVITEE_CODES,
        )

    def _members_job(
        self,
        call: MemberCall,
        group_id: int,
        user_ids: Items[int],
        options: BulkOptions | None,
        *,
        name: str,
        codes: frozenset[int] = MEMBER_CODES,
        lone: frozenset[int] = frozenset(),
    ) -> BulkJob[int, int]:
        """`call` over chunks of `user_ids`; `lone`: codes that refuse a lone member
        in place of a per-member reply."""
        gid = check_id(group_id, "group_id")
        items, validate = id_items(user_ids, "user_ids")

        async def send(chunk: list[int]) -> ChunkResult[int]:
            # The ids were checked as the job took them.
            try:
                return member_results(await call(gid, chunk))
            except LanyingAPIError as exc:
                if len(chunk) == 1 and exc.code in lone:
                    return refused_alone(chunk[0], exc)
                raise

        return self._bulk(
            items,
            send,
            options,
            validate=validate,
            job_wide_codes=GROUP_JOB_CODES,
            item_codes=codes,
            name=name,
        )

    def bulk_kick(
        self,
        group_id: int,
        user_ids: Items[int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Kick any number of members, in chunks of `POST`/`DELETE /group/kick`.

        Await the job for a report of every user (succeeded, failed with the reason, skipped
        repeats). See [`kick()`][lanying_async.services.groups_bulk.GroupBulkOps.kick] for the rules
        and errors.
        """
        return self._members_job(self.kick, group_id, user_ids, options, name="DELETE /group/kick")

    def bulk_add_admins(
        self,
        group_id: int,
        user_ids: Items[int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Make any number of members admins, in chunks of `POST /group/admin/add`."""
        return self._members_job(
            self.add_admins, group_id, user_ids, options, name="POST /group/admin/add"
        )

    def bulk_remove_admins(
        self,
        group_id: int,
        user_ids: Items[int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Demote any number of admins, in chunks of `DELETE /group/admin/remove`."""
        return self._members_job(
            self.remove_admins, group_id, user_ids, options, name="DELETE /group/admin/remove"
        )

    def bulk_ban(
        self,
        group_id: int,
        user_ids: Items[int],
        minutes: int,
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Ban any number of members for `minutes`, in chunks of `POST /group/ban`."""
        duration = ban_minutes(minutes)

        async def ban(gid: int, chunk: list[int]) -> list[MemberResult]:
            return await self.ban(gid, chunk, duration)

        return self._members_job(ban, group_id, user_ids, options, name="POST /group/ban")

    def bulk_unban(
        self,
        group_id: int,
        user_ids: Items[int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Lift the bans of any number of members, in chunks of `POST /group/unban`."""
        return self._members_job(self.unban, group_id, user_ids, options, name="POST /group/unban")

    def bulk_block(
        self,
        group_id: int,
        user_ids: Items[int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Put any number of users on the block list, in chunks of `POST /group/block`."""
        return self._members_job(
            self.block, group_id, user_ids, options, name="POST /group/block", codes=USER_LIST_CODES
        )

    def bulk_unblock(
        self,
        group_id: int,
        user_ids: Items[int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Take any number of users off the block list (`DELETE /group/unblock` chunks)."""
        return self._members_job(
            self.unblock,
            group_id,
            user_ids,
            options,
            name="DELETE /group/unblock",
            codes=USER_LIST_CODES,
        )

    def bulk_info(
        self,
        group_ids: Items[int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[int, int]:
        """Brief information on any number of groups, in chunks of `POST /group/info/batch`.

        `report.results` maps each found group id to its
        [`GroupBrief`][lanying_async.models.groups.GroupBrief]; unknown ids fail with code 20001.
        """
        items, validate = id_items(group_ids, "group_ids")

        async def send(chunk: list[int]) -> ChunkResult[int]:
            briefs: dict[int, GroupBrief] = {b.group_id: b for b in await self.info_batch(chunk)}
            failed = {gid: _GROUP_NOT_FOUND for gid in chunk if gid not in briefs}
            return ChunkResult(list(briefs), failed, results=dict(briefs))

        return self._bulk(
            items,
            send,
            options,
            validate=validate,
            is_write=False,
            item_codes=GROUP_LIST_CODES,
            name="POST /group/info/batch",
        )
