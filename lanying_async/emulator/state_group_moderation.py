"""Per-app emulator state of one domain (held by ``AppState.moderation``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ModerationState"]


@dataclass(slots=True)
class ModerationState:
    """State of this domain for one app."""
