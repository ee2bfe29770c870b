"""What a client's connection pool holds, read from aiohttp's connector."""

from __future__ import annotations

from lanying_async import LanyingClient


def checked_out(client: LanyingClient) -> int:
    """Connections the pool has handed out and not got back."""
    session = client._transport.sessions.session
    if session is None:  # the client never sent anything: it holds nothing
        return 0
    assert session.connector is not None
    return len(session.connector._acquired)  # no public counter exists
