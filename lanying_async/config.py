"""Client configuration: credentials, endpoint safety, pool limits and timeouts."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lanying_async._version import __version__
from lanying_async.errors import ConfigurationError, ValidationError
from lanying_async.hooks import Hooks

__all__ = ["BulkLimits", "ClientConfig", "PoolLimits", "RetryConfig", "Secret", "Timeouts"]

ENV_ENDPOINT = "LANYING_API_ENDPOINT"
ENV_APP_ID = "LANYING_APP_ID"
ENV_TOKEN = "LANYING_ACCESS_TOKEN"
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024


class Secret:
    """Holds the access token so that it never shows up in `repr`/`str`/logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The token itself, for building the request header only."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("Secret values cannot be pickled")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Per-attempt `connect`/`read` limits and the overall per-call `total` deadline.

    An attempt must connect within `connect` and have its whole answer
    (connecting included) within `read`; `total` covers every attempt and
    every backoff sleep of one call. All are seconds; `None` disables that limit.
    """

    connect: float | None = 10.0
    read: float | None = 30.0
    total: float | None = 60.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "total"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValidationError(f"timeouts.{name}", "must be a positive number or None")


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """Connection pool sizing.

    `max_connections` caps all connections of the client, `max_per_host` the
    connections to one host; `keepalive_expiry` closes idle connections before
    typical server-side idle timeouts (60 s on common proxies) can race a request.
    """

    max_connections: int = 100
    max_per_host: int = 100
    keepalive_expiry: float = 15.0

    def __post_init__(self) -> None:
        if self.max_connections < 1:
            raise ValidationError("limits.max_connections", "must be at least 1")
        if self.max_per_host < 1:
            raise ValidationError("limits.max_per_host", "must be at least 1")
        if not self.keepalive_expiry > 0:
            raise ValidationError("limits.keepalive_expiry", "must be positive")

    @property
    def effective_connections(self) -> int:
        """How many requests the pool can carry at once against one host."""
        return min(self.max_connections, self.max_per_host)


@dataclass(frozen=True, slots=True)
class RetryConfig:
    """Retry bounds for transient failures (exponential backoff with full jitter).

    `max_attempts` counts the first try; `max_elapsed` bounds the time spent
    retrying (the call's `total` deadline applies on top); `max_retry_after`
    caps how long a server's `Retry-After` may make the client wait.
    `transient_codes` are business codes worth retrying for reads and
    de-duplicated writes (20000: the server's database hiccuped).

    The retry budget is client-wide (in the spirit of botocore's retry quota):
    each retry withdraws `retry_cost` tokens (`timeout_cost` after a
    timeout) from `budget` tokens, each success pays one back. When it runs
    dry, as in an outage, calls fail fast instead of multiplying the load.
    """

    max_attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_elapsed: float = 45.0
    max_retry_after: float = 60.0
    transient_codes: frozenset[int] = frozenset({20000})
    budget: int = 500
    retry_cost: int = 5
    timeout_cost: int = 10

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValidationError("retry.max_attempts", "must be at least 1")
        if self.budget < 0 or self.retry_cost < 0 or self.timeout_cost < 0:
            raise ValidationError("retry.budget", "budget and costs must not be negative")
        if not self.base_delay > 0 or not self.max_delay > 0:
            raise ValidationError("retry.base_delay", "delays must be positive")
        if self.max_elapsed < 0 or self.max_retry_after < 0:
            raise ValidationError("retry.max_elapsed", "must not be negative")


@dataclass(frozen=True, slots=True)
class BulkLimits:
    """Defaults for bulk operations (each call may override them).

    `chunk_size` is the ids per request for member-list style operations;
    push audiences are always cut at 500 (the API's limit). `concurrency` is
    the chunks in flight per call; the client additionally caps all bulk
    requests at what its pool carries.
    """

    chunk_size: int = 200
    push_chunk_size: int = 500
    register_chunk_size: int = 100
    concurrency: int = 16

    def __post_init__(self) -> None:
        for name in ("chunk_size", "register_chunk_size", "concurrency"):
            if getattr(self, name) < 1:
                raise ValidationError(f"bulk.{name}", "must be at least 1")
        if not 1 <= self.push_chunk_size <= 500:
            raise ValidationError("bulk.push_chunk_size", "must be from 1 to 500")


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_endpoint(endpoint: str, *, allow_insecure_http: bool) -> str:
    """Validate the endpoint and strip any trailing slash.

    Plain `http://` is refused unless the host is loopback or the caller opted in,
    because the access token travels in a header.
    """
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(f"api_endpoint must be an absolute http(s) URL, got {endpoint!r}")
    if parts.query or parts.fragment:
        raise ConfigurationError("api_endpoint must not carry a query string or fragment")
    if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            "api_endpoint uses plain http:// to a non-loopback host; the access token would "
            "travel unencrypted. Use https:// or pass allow_insecure_http=True."
        )
    return endpoint.strip().rstrip("/")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a [`LanyingClient`][lanying_async.client.LanyingClient] needs, validated once."""

    api_endpoint: str
    app_id: str
    access_token: Secret = field(repr=False)
    timeouts: Timeouts = Timeouts()
    limits: PoolLimits = PoolLimits()
    retry: RetryConfig = RetryConfig()
    allow_insecure_http: bool = False
    user_agent: str = "lanying-async"
    rate_limit: float | None = None
    """Client-wide cap in requests per second (None: no cap)."""
    bulk: BulkLimits = BulkLimits()
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    """Larger response bodies are refused and their connection discarded."""
    hooks: Hooks | None = None
    """Callbacks observing every attempt, answer and retry."""

    @classmethod
    def resolve(
        cls,
        *,
        api_endpoint: str | None = None,
        app_id: str | None = None,
        access_token: str | Secret | None = None,
        timeouts: Timeouts | None = None,
        limits: PoolLimits | None = None,
        retry: RetryConfig | None = None,
        allow_insecure_http: bool = False,
        user_agent: str | None = None,
        rate_limit: float | None = None,
        bulk: BulkLimits | None = None,
        max_response_bytes: int | None = None,
        hooks: Hooks | None = None,
        env: Mapping[str, str] | None = None,
    ) -> ClientConfig:
        """Fill missing credentials from `LANYING_*` environment variables and validate."""
        source = os.environ if env is None else env
        endpoint = api_endpoint or source.get(ENV_ENDPOINT)
        app = app_id or source.get(ENV_APP_ID)
        token: str | Secret | None = access_token or source.get(ENV_TOKEN)
        missing = [
            f"{arg} (or ${var})"
            for arg, var, value in (
                ("api_endpoint", ENV_ENDPOINT, endpoint),
                ("app_id", ENV_APP_ID, app),
                ("access_token", ENV_TOKEN, token),
            )
            if not value
        ]
        if missing:
            raise ConfigurationError("missing client setting: " + ", ".join(missing))
        assert endpoint
        assert app
        assert token
        return cls(
            api_endpoint=normalise_endpoint(endpoint, allow_insecure_http=allow_insecure_http),
            app_id=app,
            access_token=token if isinstance(token, Secret) else Secret(token),
            timeouts=timeouts or Timeouts(),
            limits=limits or PoolLimits(),
            retry=retry or RetryConfig(),
            allow_insecure_http=allow_insecure_http,
            user_agent=user_agent or f"lanying-async/{__version__}",
            rate_limit=rate_limit,
            bulk=bulk or BulkLimits(),
            max_response_bytes=max_response_bytes or DEFAULT_MAX_RESPONSE_BYTES,
            hooks=hooks,
        )

    def __repr__(self) -> str:
        return (
            f"ClientConfig(api_endpoint={self.api_endpoint!r}, app_id={self.app_id!r}, "
            f"access_token=Secret('********'), timeouts={self.timeouts!r}, "
            f"limits={self.limits!r}, retry={self.retry!r})"
        )
