"""Models for Users' settings and push preferences."""

from __future__ import annotations

__all__: list[str] = []
