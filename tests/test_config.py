"""Configuration from arguments and environment; endpoint safety; token redaction."""

from __future__ import annotations

import logging

import pytest

from lanying_async import (
    ConfigurationError,
    InvalidAccessTokenError,
    LanyingClient,
    PoolLimits,
    Secret,
    Timeouts,
    ValidationError,
)
from lanying_async.testing import Emulator

TOKEN = "eyJ-super-secret-token-value"


def test_arguments_missing_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANYING_API_ENDPOINT", "https://api.example.com/")
    monkeypatch.setenv("LANYING_APP_ID", "env_app")
    monkeypatch.setenv("LANYING_ACCESS_TOKEN", TOKEN)
    client = LanyingClient()
    assert client.config.api_endpoint == "https://api.example.com"
    assert client.config.app_id == "env_app"
    assert client.config.access_token.reveal() == TOKEN
    explicit = LanyingClient(app_id="arg_app")
    assert explicit.config.app_id == "arg_app"


@pytest.mark.parametrize(
    "missing", ["LANYING_API_ENDPOINT", "LANYING_APP_ID", "LANYING_ACCESS_TOKEN"]
)
def test_a_missing_setting_is_named(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setenv("LANYING_API_ENDPOINT", "https://api.example.com")
    monkeypatch.setenv("LANYING_APP_ID", "app")
    monkeypatch.setenv("LANYING_ACCESS_TOKEN", TOKEN)
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigurationError, match=missing):
        LanyingClient()


@pytest.mark.parametrize(
    "endpoint",
    ["http://api.example.com", "http://10.0.0.5:8080", "ftp://x", "not a url", "https://x/?q=1"],
)
def test_unsafe_or_malformed_endpoints_are_refused(endpoint: str) -> None:
    with pytest.raises(ConfigurationError):
        LanyingClient(api_endpoint=endpoint, app_id="a", access_token=TOKEN)


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://x.io"]
)
def test_loopback_http_and_https_are_accepted(endpoint: str) -> None:
    LanyingClient(api_endpoint=endpoint, app_id="a", access_token=TOKEN)


def test_plain_http_needs_an_explicit_opt_in() -> None:
    client = LanyingClient(
        api_endpoint="http://im.internal:8080",
        app_id="a",
        access_token=TOKEN,
        allow_insecure_http=True,
    )
    assert client.config.api_endpoint == "http://im.internal:8080"


def test_bad_limits_and_timeouts_name_the_field() -> None:
    with pytest.raises(ValidationError, match=r"limits\.max_connections"):
        PoolLimits(max_connections=0)
    with pytest.raises(ValidationError, match=r"timeouts\.total"):
        Timeouts(total=-1)


def test_token_never_in_repr_or_str() -> None:
    client = LanyingClient(api_endpoint="https://x.io", app_id="a", access_token=TOKEN)
    view = client.as_user(5).with_options(timeout=3)
    for text in (
        repr(client),
        str(client),
        repr(view),
        repr(client.config),
        str(client.config),
        repr(client.config.access_token),
        str(client.config.access_token),
        repr(client._scope),
        repr(view._scope),
    ):
        assert TOKEN not in text
    assert repr(Secret(TOKEN)) == "Secret('********')"


@pytest.mark.anyio
async def test_token_never_in_logs_or_errors(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with LanyingClient(api_endpoint=emu.url, app_id=emu.app_id, access_token=TOKEN) as c:
        with pytest.raises(InvalidAccessTokenError) as info:
            await c.roster.list()
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)
    assert caplog.records, "expected debug lines"
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
