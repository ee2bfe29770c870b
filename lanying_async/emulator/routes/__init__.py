"""HTTP routes of the emulator, one module per API domain.

Each domain module exposes `setup(app)` registering its routes;
`setup_routes()` registers them all. Paths that no module registers
answer a plain HTTP 404 (405 for a known path with another method).
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from . import (
    ai,
    files,
    group_moderation,
    groups,
    messages,
    push,
    roster,
    tokens,
    user_prefs,
    users,
)

__all__ = ["setup_routes"]

DOMAINS: tuple[Callable[[web.Application], None], ...] = (
    users.setup,
    roster.setup,
    groups.setup,
    messages.setup,
    push.setup,
    user_prefs.setup,
    group_moderation.setup,
    files.setup,
    tokens.setup,
    ai.setup,
)


def setup_routes(app: web.Application) -> None:
    for setup in DOMAINS:
        setup(app)
