"""The bulk engine: chunked, concurrent, streaming operations with per-item reports.

See [`BulkJob`][lanying_async.bulk.engine.BulkJob] (what bulk methods return: await it for a
[`BulkReport`][lanying_async.bulk.report.BulkReport], or `async with job.stream()` for chunk
outcomes).
"""

from lanying_async.bulk.engine import BulkJob
from lanying_async.bulk.errors import BulkAbortedError, BulkError
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.report import (
    BulkReport,
    ChunkOutcome,
    ChunkResult,
    InvalidItem,
    ItemError,
)

__all__ = [
    "BulkAbortedError",
    "BulkError",
    "BulkJob",
    "BulkOptions",
    "BulkReport",
    "ChunkOutcome",
    "ChunkResult",
    "InvalidItem",
    "ItemError",
]
