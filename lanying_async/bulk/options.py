"""Per-call settings of a bulk operation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lanying_async.errors import ValidationError

__all__ = ["BulkOptions"]


@dataclass(frozen=True, slots=True)
class BulkOptions:
    """How one bulk call runs; unset values come from the client's `BulkLimits`.

    - `chunk_size`: items per request (push audiences never exceed 500).
    - `concurrency`: requests in flight for this call (also capped client-wide
      by what the connection pool carries).
    - `fail_fast`: stop launching chunks after one fails as a whole and raise
      `BulkAbortedError` (with the partial report: what was not sent is
      `not_started`, and lazy input is not read further; see `BulkReport`).
    - `keep_succeeded`: keep the succeeded items in the report (turn off for
      jobs over millions of items: counts are still kept).
    - `dedupe`: report repeated items (equal keys, as a dict compares them)
      as `skipped` instead of sending them again. An in-memory list in
      increasing order needs no memory for it; other input is remembered in a
      set that grows with the input. Turn it off for input known to hold no
      repeats: the check is about a sixth of the client's CPU per 500-id push
      request. Without it every occurrence is sent and counted once:
      `succeeded`, `outcome_unknown` and `not_started` list each
      occurrence, `failed` each item and `failed_count` the occurrences.
    - `on_progress`: called as `on_progress(outcome, report)` after each
      chunk; an error it raises stops the job and propagates.
    - `isolate`: when a chunk is refused as a whole with a code that names an
      item (an unknown target...), split it and send the parts again until the
      refused items stand alone, so that only they fail (see
      [`isolation`][lanying_async.bulk.isolation]). Turn it off to fail the whole chunk.
    """

    chunk_size: int | None = None
    concurrency: int | None = None
    fail_fast: bool = False
    keep_succeeded: bool = True
    dedupe: bool = True
    on_progress: Callable[[Any, Any], object] | None = None
    isolate: bool = True

    def __post_init__(self) -> None:
        for name in ("chunk_size", "concurrency"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise ValidationError(f"options.{name}", "must be a positive int or None")
