"""Turning bulk inputs into items, and common per-item replies into chunk results."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol

from lanying_async.bulk.engine import Items
from lanying_async.bulk.report import ChunkResult, ItemError
from lanying_async.errors import LanyingAPIError, ValidationError
from lanying_async.validation import check_id, checked_id_sequence

__all__ = ["id_items", "member_results", "refused_alone"]


class _MemberOutcome(Protocol):
    @property
    def user_id(self) -> int: ...
    @property
    def ok(self) -> bool: ...
    @property
    def reason(self) -> str | None: ...
    @staticmethod
    def succeeded_ids(results: Sequence[Any]) -> list[int]: ...


def id_items(values: Items[int], field: str) -> tuple[Items[int], Callable[[int], int] | None]:
    """Ids to run a bulk job over, and the per-item check lazy input still needs.

    A collection in memory is checked whole before anything is sent (so a bad
    id raises `ValidationError` naming it, and an empty one is refused); a
    list or tuple is then read in place as the job runs, not copied. An
    iterator or async iterable is checked item by item as it is consumed, a bad
    id failing alone.
    """
    if isinstance(values, str | bytes | Mapping):
        raise ValidationError(field, "must be ids (a list or an iterable of ints)")
    if isinstance(values, Collection):
        return checked_id_sequence(values, field), None
    if isinstance(values, Iterable | AsyncIterable):
        return values, lambda value: check_id(value, field)
    raise ValidationError(field, "must be ids (a list or an iterable of ints)")


def member_results(outcomes: Sequence[_MemberOutcome]) -> ChunkResult[int]:
    """Per-user replies (invite, kick, ban, batch profile and avatar updates) as a chunk result."""
    succeeded = type(outcomes[0]).succeeded_ids(outcomes) if outcomes else []
    if len(succeeded) == len(outcomes):
        return ChunkResult(succeeded)
    failed = {
        outcome.user_id: ItemError(None, outcome.reason or "failed")
        for outcome in outcomes
        if not outcome.ok
    }
    return ChunkResult(succeeded, failed)


def refused_alone(user_id: int, refusal: LanyingAPIError) -> ChunkResult[int]:
    """A lone member's refusal, answered as the call's code, as a per-member reply gives it.

    With several members the server refuses one in a per-member `reason`,
    which carries no code; with one member it answers the same refusal as the
    call's code and message. Either way the user fails with the text alone, so
    the report does not depend on the chunk size (the error stays in
    `ItemError.error`).
    """
    return ChunkResult(failed={user_id: ItemError(None, refusal.message or "failed", refusal)})
