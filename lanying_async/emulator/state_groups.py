"""Per-app emulator state of one domain (held by ``AppState.group_ext``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GroupsState"]


@dataclass(slots=True)
class GroupsState:
    """State of this domain for one app."""
