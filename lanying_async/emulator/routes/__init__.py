"""HTTP routes of the emulator, one module per API domain.

Each domain module exposes ``setup(app)`` registering its routes;
:func:`setup_routes` registers them all. Paths that no module registers
answer a plain HTTP 404 (405 for a known path with another method).
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from . import groups, messages, push, roster, users

__all__ = ["setup_routes"]

DOMAINS: tuple[Callable[[web.Application], None], ...] = (
    users.setup,
    roster.setup,
    groups.setup,
    messages.setup,
    push.setup,
)


def setup_routes(app: web.Application) -> None:
    for setup in DOMAINS:
        setup(app)
