"""Models for AI assistant messages."""

from __future__ import annotations

__all__: list[str] = []
