"""Per-app emulator state of one domain (held by ``AppState.services``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServicesState"]


@dataclass(slots=True)
class ServicesState:
    """State of this domain for one app."""
