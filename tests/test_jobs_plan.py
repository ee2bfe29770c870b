"""A job's plan and its request ids, checked on random inputs (property tests) and by example.

The plan's oracle is the input itself: every item lands in exactly one chunk
or, repeated, among the skipped; chunks keep the input's order, hold at most
``chunk_size`` items (push at most 500, the spec's limit) and only the last
is short.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanying_async.errors import ValidationError
from lanying_async.jobs import JobOptions, plan_job, plan_job_async
from lanying_async.jobs.chunks import message_transaction_id, push_request_id
from lanying_async.validation import INT64_MAX

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None)

ids = st.lists(st.integers(min_value=1, max_value=60), max_size=1500)


def _check_plan(items: list[Any], chunks: list[list[Any]], skipped: list[Any], size: int) -> None:
    planned = [item for chunk in chunks for item in chunk]
    assert planned == list(dict.fromkeys(items))  # the first of each, in input order
    assert Counter(planned) + Counter(skipped) == Counter(items)  # each item exactly once
    assert all(len(chunk) == size for chunk in chunks[:-1])
    assert 1 <= len(chunks[-1]) <= size


@SETTINGS
@given(items=ids.filter(bool), size=st.one_of(st.none(), st.integers(1, 500)))
def test_every_pushed_id_lands_in_one_chunk_of_at_most_500(
    items: list[int], size: int | None
) -> None:
    plan = plan_job("push", items, {"message": {"body": "hi"}}, JobOptions(chunk_size=size))
    _check_plan(items, plan.chunks, plan.spec.skipped, 500 if size is None else size)
    assert plan.total == len(set(items)) and plan.spec.chunk_size <= 500


@SETTINGS
@given(
    names=st.lists(st.sampled_from([f"user_{i}" for i in range(40)]), min_size=1, max_size=300),
    size=st.integers(1, 120),
)
def test_every_register_row_lands_in_one_chunk_by_username(names: list[str], size: int) -> None:
    rows = [(name, f"pw{position}") for position, name in enumerate(names)]
    plan = plan_job("register", rows, options=JobOptions(chunk_size=size))
    usernames = [[row[0] for row in chunk] for chunk in plan.chunks]
    _check_plan(names, usernames, plan.spec.skipped, size)
    kept = {row[0]: row[1] for chunk in plan.chunks for row in chunk}
    assert all(kept[name] == f"pw{names.index(name)}" for name in kept)  # the first row wins


@pytest.mark.anyio
async def test_an_async_input_is_planned_as_a_list_would_be() -> None:
    async def aliases() -> Any:
        for name in ["a", "b", "a", "c"]:
            yield name

    plan = await plan_job_async(
        "push", aliases(), {"to": "alias", "message": {"body": "x"}}, JobOptions(chunk_size=2)
    )
    assert (plan.chunks, plan.spec.skipped) == ([["a", "b"], ["c"]], ["a"])


T = {"title": "t"}
SETTING_ID = "arguments.setting.request_id"


@pytest.mark.parametrize(
    ("operation", "items", "arguments", "field"),
    [
        ("push", [1, 0], {"message": T}, "items[1]"),
        ("push", [1], {"to": "all", "message": T}, "items[0]"),
        ("push", [1], {"to": "aliases", "message": T}, "arguments.to"),
        ("push", [1], {"message": T, "setting": {"request_id": "x"}}, SETTING_ID),
        ("send", [1, INT64_MAX + 1], {"content": "hi"}, "items[1]"),
        ("send", [1], {}, "arguments.content"),
        ("invite", [1], {"group_id": 5}, "arguments.as_user"),
        ("kick", [1], {"group_id": 5, "as_user": 2, "reason": "x"}, "arguments.reason"),
        ("register", [("ok_name", "pw"), ("123", "pw")], {}, "items[1].username"),
        ("register", [("ok", "pw", {"mobile": "1"})], {}, "items[0].profile.mobile"),
        ("invite", [], {"group_id": 5, "as_user": 2}, "items"),
        ("delete", [1], {}, "operation"),
    ],
)  # fmt: skip
def test_bad_arguments_and_items_are_refused_naming_them(
    operation: str, items: list[Any], arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        plan_job(operation, items, arguments)
    assert refused.value.field == field


def test_a_push_chunk_never_holds_more_than_500() -> None:
    with pytest.raises(ValidationError) as refused:
        plan_job("push", [1], {"message": T}, JobOptions(chunk_size=501))
    assert refused.value.field == "chunk_size"


def test_job_options_are_checked_when_made() -> None:
    for bad in (
        {"max_attempts": 0},
        {"lease_seconds": 0},
        {"rate_limit": -1},
        {"chunk_size": True},
    ):
        with pytest.raises(ValidationError):
            JobOptions(**bad)  # type: ignore[arg-type]


def test_a_push_to_everyone_is_one_chunk_without_items() -> None:
    plan = plan_job("push", [], {"to": "all", "message": {"title": "t"}})
    assert plan.chunks == [["all"]]


@SETTINGS
@given(
    job=st.text("0123456789abcdef", min_size=16, max_size=16),
    index=st.integers(0, 10**6),
    part=st.integers(0, 50),
    items=st.lists(st.integers(1, INT64_MAX), min_size=1, max_size=5),
)
def test_request_ids_are_fixed_by_job_chunk_part_and_items(
    job: str, index: int, part: int, items: list[int]
) -> None:
    transaction = message_transaction_id(job, index, part, items)
    assert transaction == message_transaction_id(job, index, part, list(items))
    assert 1 <= transaction <= INT64_MAX  # the spec's type for the id
    request = push_request_id(job, index, part, items)
    assert request == push_request_id(job, index, part, items)
    others = {
        push_request_id(job, index + 1, part, items),
        push_request_id(job, index, part + 1, items),
        push_request_id(job, index, part, [*items, 1]),
    }
    assert request not in others and len(others) == 3
    assert message_transaction_id(job, index, part + 1, items) != transaction
