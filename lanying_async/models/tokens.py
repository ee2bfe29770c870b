"""Models for User access tokens."""

from __future__ import annotations

__all__: list[str] = []
