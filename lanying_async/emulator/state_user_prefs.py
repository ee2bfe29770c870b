"""Per-app emulator state of one domain (held by ``AppState.prefs``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["UserPrefsState"]


@dataclass(slots=True)
class UserPrefsState:
    """State of this domain for one app."""
