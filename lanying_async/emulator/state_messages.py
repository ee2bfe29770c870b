"""Per-app emulator state of one domain (held by ``AppState.messaging``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MessagingState"]


@dataclass(slots=True)
class MessagingState:
    """State of this domain for one app."""
