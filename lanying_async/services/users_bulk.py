"""Bulk forms of the user operations (mixed into UsersService).

Batch endpoints (registration, profiles, avatars) run in concurrent chunks;
per-user operations (delete, online status) run one request per user, as that
user, concurrently. Every user ends in the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.bulk.inputs import id_items, member_results
from lanying_async.bulk.item_codes import REGISTER_CODES, USER_LIST_CODES
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.report import ChunkResult, ItemError
from lanying_async.errors import ValidationError
from lanying_async.models.users import OnlineStatus, ProfileUpdate, RegisterResult, UserResult
from lanying_async.services.base import Service
from lanying_async.validation import check_id, check_text, check_username, optional_text

__all__ = ["UserBulkOps", "check_profile_update"]


def _check_pair(pair: tuple[str, str]) -> tuple[str, str]:
    if not isinstance(pair, tuple) or len(pair) != 2:
        # Its type only: the value may hold a password, and reasons end up in reports.
        raise ValidationError(
            "users", f"items must be (username, password) pairs, got {_shape(pair)}"
        )
    return check_username(pair[0]), check_text(pair[1], "password")


def _shape(value: object) -> str:
    return f"a {len(value)}-tuple" if isinstance(value, tuple) else type(value).__name__


def _check_avatar(pair: tuple[int, str]) -> tuple[int, str]:
    if not isinstance(pair, tuple) or len(pair) != 2:
        raise ValidationError("avatars", "items must be (user_id, avatar_url) pairs")
    return check_id(pair[0], "user_id"), check_text(pair[1], "avatar")


def check_profile_update(update: object, field: str = "update") -> ProfileUpdate:
    """A [`ProfileUpdate`][lanying_async.models.users.ProfileUpdate] naming a user and setting at
    least one field, each a sendable string."""
    if not isinstance(update, ProfileUpdate):
        raise ValidationError(field, "must be a ProfileUpdate")
    check_id(update.user_id, f"{field}.user_id")
    fields = (update.nick_name, update.description, update.public_info, update.private_info)
    if all(value is None for value in fields):
        raise ValidationError(field, "must set at least one profile field")
    for name in ("nick_name", "description", "public_info", "private_info"):
        optional_text(getattr(update, name), f"{field}.{name}")
    return update


class UserBulkOps(Service):
    """`bulk_*` user operations; each returns a [`BulkJob`][lanying_async.bulk.engine.BulkJob]."""

    __slots__ = ()

    if TYPE_CHECKING:  # provided by UsersService

        async def register_batch(self, users: Mapping[str, str]) -> list[RegisterResult]: ...
        async def set_avatars(self, avatars: Mapping[int, str]) -> list[UserResult]: ...
        async def update_profiles(self, updates: Iterable[ProfileUpdate]) -> list[UserResult]: ...
        async def delete(self, *, password: str | None = None) -> bool: ...
        async def online_status(self) -> OnlineStatus: ...

    def bulk_register(
        self,
        users: Mapping[str, str] | Items[tuple[str, str]],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[tuple[str, str], str]:
        """Register any number of users, in chunks of `POST /user/register/batch`.

        `users` is `{username: password}` or an (async) iterable of
        `(username, password)` pairs, consumed lazily. The report is keyed by
        username (passwords never appear in it); `report.results` maps each
        new username to its user id. A taken or invalid name fails alone.
        Chunks of `BulkLimits.register_chunk_size` (100) by default.
        """
        if isinstance(users, Mapping):
            pairs = [_check_pair((name, password)) for name, password in users.items()]
            if not pairs:
                raise ValidationError("users", "must not be empty")
            items: Items[tuple[str, str]] = pairs
            validate = None
        else:
            items, validate = users, _check_pair

        async def send(chunk: list[tuple[str, str]]) -> ChunkResult[str]:
            result: ChunkResult[str] = ChunkResult(results={})
            for outcome in await self.register_batch(dict(chunk)):
                name = outcome.username or ""
                if outcome.success:
                    result.succeeded.append(name)
                    assert result.results is not None
                    result.results[name] = outcome.user_id
                else:
                    result.failed[name] = ItemError(None, outcome.reason or "failed")
            return result

        return self._bulk(
            items,
            send,
            options,
            chunk_size=self._transport.config.bulk.register_chunk_size,
            key=lambda pair: pair[0],
            validate=validate,
            item_codes=REGISTER_CODES,
            name="POST /user/register/batch",
        )

    def bulk_update_profiles(
        self,
        updates: Items[ProfileUpdate],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[ProfileUpdate, int]:
        """Update any number of profiles, in chunks of `PUT /user/profile/batch`.

        `updates` is a list or (async) iterable of
        [`ProfileUpdate`][lanying_async.models.users.ProfileUpdate]; the report is keyed by user id
        (a second update of the same user is skipped).
        """
        if isinstance(updates, list | tuple):
            if not updates:
                raise ValidationError("updates", "must not be empty")
            for index, update in enumerate(updates):
                check_profile_update(update, f"updates[{index}]")

        async def send(chunk: list[ProfileUpdate]) -> ChunkResult[int]:
            return member_results(await self.update_profiles(chunk))

        return self._bulk(
            updates,
            send,
            options,
            key=lambda update: update.user_id,
            validate=check_profile_update,
            item_codes=USER_LIST_CODES,
            name="PUT /user/profile/batch",
        )

    def bulk_set_avatars(
        self,
        avatars: Mapping[int, str] | Items[tuple[int, str]],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[tuple[int, str], int]:
        """Set any number of avatars, in chunks of `PUT /user/avatar/batch`.

        `avatars` is `{user_id: url}` or an (async) iterable of
        `(user_id, url)` pairs; the report is keyed by user id.
        """
        items: Items[tuple[int, str]]
        if isinstance(avatars, Mapping):
            items = [_check_avatar((uid, url)) for uid, url in avatars.items()]
            if not items:
                raise ValidationError("avatars", "must not be empty")
        else:
            items = avatars

        async def send(chunk: list[tuple[int, str]]) -> ChunkResult[int]:
            return member_results(await self.set_avatars(dict(chunk)))

        return self._bulk(
            items,
            send,
            options,
            key=lambda pair: pair[0],
            validate=_check_avatar,
            item_codes=USER_LIST_CODES,
            name="PUT /user/avatar/batch",
        )

    def bulk_delete(
        self, user_ids: Items[int], *, options: BulkOptions | None = None
    ) -> BulkJob[int, int]:
        """Delete any number of accounts: one `DELETE /user/delete` per user, as that user.

        Needs the admin token. An unknown user fails with 10000.
        """
        items, validate = id_items(user_ids, "user_ids")

        async def send(chunk: list[int]) -> ChunkResult[int]:
            (user_id,) = chunk
            as_user = type(self)(self._transport, self._scope_as_user(user_id))
            await as_user.delete()
            return ChunkResult([user_id])

        return self._bulk(
            items, send, options, max_chunk=1, validate=validate, name="DELETE /user/delete"
        )

    def bulk_online_status(
        self, user_ids: Items[int], *, options: BulkOptions | None = None
    ) -> BulkJob[int, int]:
        """Whether each of any number of users is online: `GET /user/online_status` each.

        `report.results` maps every user id to `True`/`False`. Needs the
        admin token. An unknown user fails with 10000.
        """
        items, validate = id_items(user_ids, "user_ids")

        async def send(chunk: list[int]) -> ChunkResult[int]:
            (user_id,) = chunk
            as_user = type(self)(self._transport, self._scope_as_user(user_id))
            status = await as_user.online_status()
            return ChunkResult([user_id], results={user_id: status.online})

        return self._bulk(
            items,
            send,
            options,
            max_chunk=1,
            validate=validate,
            is_write=False,
            name="GET /user/online_status",
        )
