"""The client a command talks through: your app, or a seeded in-process emulator."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from lanying_async.cli.config import ConnectionSettings, resolve_settings
from lanying_async.cli.errors import UsageError
from lanying_async.client import ClientView, LanyingClient
from lanying_async.config import normalise_endpoint
from lanying_async.errors import ConfigurationError

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["Seed", "acting_view", "connect", "settings_from"]

Seed = Callable[["Emulator", LanyingClient], Awaitable[None]]
"""Puts what a command needs into the emulator of ``--emulator`` before it runs."""


def settings_from(args: argparse.Namespace) -> ConnectionSettings:
    """The connection settings the flags, the environment and ``--config`` give."""
    settings = resolve_settings(
        endpoint=args.endpoint,
        app_id=args.app_id,
        token_file=args.access_token_file,
        allow_insecure_http=args.allow_insecure_http,
        config_path=args.config,
        env=os.environ,
    )
    _refuse_plain_http(settings)
    return settings


def _refuse_plain_http(settings: ConnectionSettings) -> None:
    """The client's refusal of plain http://, in the command line's words (its flag)."""
    if settings.allow_insecure_http:
        return
    try:
        normalise_endpoint(settings.api_endpoint, allow_insecure_http=False)
    except ConfigurationError:
        try:
            normalise_endpoint(settings.api_endpoint, allow_insecure_http=True)
        except ConfigurationError:
            return  # malformed in some other way: the client says how
        raise UsageError(
            "the endpoint uses plain http:// to a host that is not this machine, so the "
            "access token would travel unencrypted: use https://, or pass "
            "--allow-insecure-http (allow_insecure_http = true in a --config file)"
        ) from None


@asynccontextmanager
async def connect(
    args: argparse.Namespace, seed: Seed | None = None
) -> AsyncIterator[LanyingClient]:
    """A client for the command; with ``--emulator``, one on a fresh, seeded emulator.

    Settings are resolved (and refused) before anything connects.
    """
    if args.emulator:
        from lanying_async.testing import Emulator

        async with Emulator() as emu, emu.client(rate_limit=args.rate_limit) as client:
            sys.stderr.write(f"rehearsing on an in-process emulator at {emu.url}\n")
            if seed is not None:
                await seed(emu, client)
            yield client
        return
    settings = settings_from(args)
    async with LanyingClient(
        api_endpoint=settings.api_endpoint,
        app_id=settings.app_id,
        access_token=settings.access_token,
        allow_insecure_http=settings.allow_insecure_http,
        rate_limit=args.rate_limit,
    ) as client:
        yield client


def acting_view(client: LanyingClient, args: argparse.Namespace, group_id: int) -> ClientView:
    """The client acting as ``--as-user`` or as the admin of ``group_id``."""
    if args.as_user is not None:
        return client.as_user(args.as_user)
    return client.as_group_admin(group_id)
