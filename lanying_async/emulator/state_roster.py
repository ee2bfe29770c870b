"""Per-app emulator state of one domain (held by ``AppState.roster_ext``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RosterState"]


@dataclass(slots=True)
class RosterState:
    """State of this domain for one app."""
