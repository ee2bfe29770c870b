"""Runtime knobs that tests turn: latency, recording and forced errors."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

__all__ = ["Controls", "ForcedError"]


@dataclass(frozen=True, slots=True)
class ForcedError:
    """An answer to give instead of the real one."""

    code: int
    message: str | None = None
    status: int = 200
    """HTTP status of the answer (200 for business errors)."""
    execute: bool = False
    """Run the real handler first (its effects stay), then answer the error."""


@dataclass(slots=True)
class Controls:
    latency: float = 0.0
    """Seconds awaited at the start of every request."""
    record: bool = True
    """Whether requests are appended to the request log."""
    forced: dict[tuple[str, str], deque[ForcedError]] = field(default_factory=dict)

    def force(self, method: str, path: str, error: ForcedError, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        queue = self.forced.setdefault((method.upper(), path), deque())
        queue.extend([error] * times)

    def take(self, method: str, path: str) -> ForcedError | None:
        """Consume the next forced error queued for that route, if any."""
        if not self.forced:
            return None
        key = (method, path)
        queue = self.forced.get(key)
        if not queue:
            return None
        error = queue.popleft()
        if not queue:
            del self.forced[key]
        return error
