"""The broker's settings against the engine's known pitfalls, and brokers that never reclaim."""

from __future__ import annotations

import pytest
from taskiq.acks import AcknowledgeType
from taskiq_redis import RedisStreamSentinelBroker

from lanying_async.jobs.distributed import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAXLEN,
    TASK_NAME,
    NoReclaimWarning,
    attach,
    stream_broker,
)
from lanying_async.jobs.distributed.stream import ReclaimingStreamBroker


@pytest.mark.anyio
async def test_the_stream_broker_is_set_against_each_known_pitfall() -> None:
    broker = stream_broker("redis://127.0.0.1:1/0", concurrency=6, idle_timeout=45)
    try:
        assert isinstance(broker, ReclaimingStreamBroker)  # reclaims on a drained stream
        assert broker.consumer_id == "0"  # a late group reads tasks queued before it
        assert broker.unacknowledged_lock_timeout is not None  # taskiq-redis issue 131
        assert broker.idle_timeout == 45_000  # issue 101: leases make a second run harmless
        assert broker.maxlen == DEFAULT_MAXLEN  # acknowledged entries are trimmed
        assert broker.count == 1 and broker.unacknowledged_batch_size == 6
        assert DEFAULT_IDLE_TIMEOUT > 60  # above a chunk's default lease
    finally:
        await broker.shutdown()


@pytest.mark.anyio
async def test_the_chunk_task_acknowledges_its_message_itself() -> None:
    broker = stream_broker("redis://127.0.0.1:1/0")
    try:
        task = attach(broker, "redis://127.0.0.1:1/0")
        assert task.task_name == TASK_NAME
        assert task.labels["ack_type"] == AcknowledgeType.MANUAL.value
    finally:
        await broker.shutdown()


def test_a_sentinel_stream_broker_is_attached_with_a_warning_that_it_never_reclaims() -> None:
    broker = RedisStreamSentinelBroker(sentinels=[("127.0.0.1", 1)], master_name="jobs")
    with pytest.warns(NoReclaimWarning, match="never reclaims"):
        attach(broker, "redis://127.0.0.1:1/0")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["jobs", "submit", "push", "-", "--body", "hi", "--store", "sqlite:///j.sqlite3"],
            "the tasks go through Redis",
        ),
        (
            ["jobs", "submit", "push", "-", "--body", "hi", "--store", "redis://h/0",
             "--concurrency", "4"],
            "--concurrency is each worker's",
        ),
        (["jobs", "worker", "--store", "redis://h/0", "--emulator"], "a worker needs a server"),
        (["jobs", "resume", "abc", "--store", "sqlite:///j.sqlite3"], "the tasks go through Redis"),
    ],
)  # fmt: skip
async def test_worker_commands_refuse_what_cannot_work_before_touching_anything(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.cli_runs import lanying

    assert await lanying(*argv) == 2
    assert says in capsys.readouterr().err
