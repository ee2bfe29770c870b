"""Emulated routes for Group moderation."""

from __future__ import annotations

from aiohttp import web

__all__ = ["setup"]


def setup(app: web.Application) -> None:
    """Register this domain's routes."""
