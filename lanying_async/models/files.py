"""Models for Files: upload and download URLs for avatars and chat files."""

from __future__ import annotations

__all__: list[str] = []
