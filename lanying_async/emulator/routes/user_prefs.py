"""Emulated routes for Users' settings and push preferences."""

from __future__ import annotations

from aiohttp import web

__all__ = ["setup"]


def setup(app: web.Application) -> None:
    """Register this domain's routes."""
