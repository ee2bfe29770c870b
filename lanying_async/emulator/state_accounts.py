"""Per-app emulator state of one domain (held by ``AppState.accounts``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AccountsState"]


@dataclass(slots=True)
class AccountsState:
    """State of this domain for one app."""
