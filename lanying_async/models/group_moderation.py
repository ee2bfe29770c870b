"""Models for Group moderation."""

from __future__ import annotations

__all__: list[str] = []
