"""A durable job's report, in the bulk engine's buckets, from what its store recorded.

Every item of the job lands in one bucket of a
[`BulkReport`][lanying_async.bulk.report.BulkReport]: as its chunk's record says, or
``not_started`` for a chunk not done (a job cancelled, or still running);
repeats the plan left out are ``skipped``. ``report.requests`` counts every
request the recorded chunks cost, ``report.values`` their values (push task
ids, message ids) and ``report.results`` the per-item values (a new user's id).
"""

from __future__ import annotations

from typing import Any

from lanying_async.bulk.report import BulkReport, ItemError
from lanying_async.jobs.model import ChunkRecord
from lanying_async.jobs.operations import Operation, operation_named
from lanying_async.jobs.store import JobStore

__all__ = ["add_record", "job_report"]


def add_record(report: BulkReport[Any], record: ChunkRecord, operation: Operation) -> None:
    """Count one chunk's record into ``report``."""
    report.chunks += 1
    report.requests += record.requests
    report.add_succeeded(record.succeeded)
    for failure in record.failed:
        report.add_failed(failure.item, ItemError(failure.code, failure.reason))
    report.outcome_unknown.extend(record.outcome_unknown)
    report.not_started.extend(record.not_started)
    report.values.extend(record.values)
    if record.results and report.keep_succeeded:
        key = operation.result_key
        report.results.update({key(text): value for text, value in record.results.items()})


async def job_report(store: JobStore, job_id: str) -> BulkReport[Any]:
    """The job's report as its store stands (raises ``JobNotFoundError``)."""
    spec = await store.spec(job_id)
    operation = operation_named(spec.operation)
    report: BulkReport[Any] = BulkReport()
    async for index, record in store.records(job_id):
        if record is None:
            report.not_started.extend(operation.keys(await store.chunk_items(job_id, index)))
        else:
            add_record(report, record, operation)
    report.skipped.extend(spec.skipped)
    report.input_exhausted = True  # the plan read the whole input
    return report
