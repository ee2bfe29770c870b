"""The client: one pooled connection manager and cheap scoped views on top of it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from functools import cached_property
from types import TracebackType

from lanying_async.config import BulkLimits, ClientConfig, PoolLimits, RetryConfig, Secret, Timeouts
from lanying_async.errors import ErrorRegistry, ValidationError, default_registry
from lanying_async.hooks import Hooks
from lanying_async.services import (
    AiService,
    FilesService,
    GroupsService,
    MessagesService,
    PushService,
    RosterService,
    TokensService,
    UsersService,
)
from lanying_async.transport.pipeline import RequestScope, Transport
from lanying_async.transport.retry import RetryPolicy
from lanying_async.validation import check_id

__all__ = ["ClientView", "LanyingClient"]

_RESERVED_HEADERS = frozenset({"access-token", "app_id"})
# RFC 9110 token characters: what a header name may hold.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Control characters (CR and LF among them) would split or end the header.
_HEADER_VALUE_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _check_header(name: object, value: object) -> None:
    """An extra header goes out as given, or is refused here, naming it."""
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        raise ValidationError(f"extra_headers[{name!r}]", "is not a valid header name")
    field = f"extra_headers[{name!r}]"
    if name.lower() in _RESERVED_HEADERS:
        raise ValidationError(field, "cannot override credentials")
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if _HEADER_VALUE_FORBIDDEN.search(value):
        raise ValidationError(field, "must not contain control characters such as CR or LF")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field, "contains a lone surrogate (not valid text)") from None


class ClientView:
    """Services bound to one scope (headers, timeouts, retries) over a shared pool.

    Views are cheap: `as_user`, `as_group_admin` and `with_options` build
    their headers once and share the client's connection pool.
    """

    def __init__(self, transport: Transport, scope: RequestScope, description: str) -> None:
        self._transport = transport
        self._scope = scope
        self._description = description

    # --- services (created on first use) -----------------------------------

    @cached_property
    def users(self) -> UsersService:
        """Users: registration, profiles, passwords, devices, online status, settings, push.

        See [`UsersService`][lanying_async.services.users.UsersService].
        """
        return UsersService(self._transport, self._scope)

    @cached_property
    def roster(self) -> RosterService:
        """Friends: add, apply, accept, decline, remove, block, search.

        See [`RosterService`][lanying_async.services.roster.RosterService].
        """
        return RosterService(self._transport, self._scope)

    @cached_property
    def groups(self) -> GroupsService:
        """Groups: creation, membership, roles, settings, moderation, announcements, files.

        See [`GroupsService`][lanying_async.services.groups.GroupsService].
        """
        return GroupsService(self._transport, self._scope)

    @cached_property
    def messages(self) -> MessagesService:
        """Messages: send, notify, broadcast, recall, history, unread counts, pinned conversations.

        See [`MessagesService`][lanying_async.services.messages.MessagesService].
        """
        return MessagesService(self._transport, self._scope)

    @cached_property
    def push(self) -> PushService:
        """Push notifications: notify, task statistics, certificates.

        See [`PushService`][lanying_async.services.push.PushService].
        """
        return PushService(self._transport, self._scope)

    @cached_property
    def files(self) -> FilesService:
        """Files: upload and download URLs for avatars and chat files.

        See [`FilesService`][lanying_async.services.files.FilesService].
        """
        return FilesService(self._transport, self._scope)

    @cached_property
    def tokens(self) -> TokensService:
        """User tokens, by user id, username or login name.

        See [`TokensService`][lanying_async.services.tokens.TokensService].
        """
        return TokensService(self._transport, self._scope)

    @cached_property
    def ai(self) -> AiService:
        """Messages to AI assistants and their replies.

        See [`AiService`][lanying_async.services.ai.AiService].
        """
        return AiService(self._transport, self._scope)

    # --- scoped views ------------------------------------------------------

    def _derive(self, scope: RequestScope, label: str) -> ClientView:
        self._transport.sessions.check_closed()
        return ClientView(self._transport, scope, label)

    def as_user(self, user_id: int) -> ClientView:
        """A view that acts as `user_id` (sends the `user_id` header).

        Needs an admin token. Shares this client's connection pool.
        """
        uid = check_id(user_id, "user_id")
        return self._derive(self._scope.acting_as(user_id=uid), f"user {uid}")

    def as_group_admin(self, group_id: int) -> ClientView:
        """A view that acts as an admin of `group_id` (sends the `group_id` header)."""
        gid = check_id(group_id, "group_id")
        return self._derive(self._scope.acting_as(group_id=gid), f"admin of group {gid}")

    def with_options(
        self,
        *,
        timeout: float | Timeouts | None = None,
        extra_headers: Mapping[str, str] | None = None,
        max_attempts: int | None = None,
    ) -> ClientView:
        """A view with other per-call settings: `client.with_options(timeout=5).users...`.

        `timeout` as a number replaces the overall per-call deadline; a
        [`Timeouts`][lanying_async.config.Timeouts] replaces all three limits. `extra_headers` are
        sent with every call of the view (they cannot replace `app_id` or the token).
        `max_attempts=1` turns retries off.
        """
        scope = self._scope
        if timeout is not None:
            if isinstance(timeout, Timeouts):
                timeouts = timeout
            else:
                if isinstance(timeout, bool) or not isinstance(timeout, int | float):
                    raise ValidationError("timeout", "must be seconds or a Timeouts")
                timeouts = dataclasses.replace(scope.timeouts, total=float(timeout))
            scope = dataclasses.replace(scope, timeouts=timeouts)
        if max_attempts is not None:
            retry = dataclasses.replace(scope.retry.config, max_attempts=max_attempts)
            scope = dataclasses.replace(scope, retry=RetryPolicy(retry, scope.retry.rules))
        if extra_headers:
            if not isinstance(extra_headers, Mapping):
                raise ValidationError("extra_headers", "must be a mapping of names to values")
            for name, value in extra_headers.items():
                _check_header(name, value)
            scope = scope.with_headers(extra_headers)
        return self._derive(scope, self._description)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self._description} at {self._transport.config.api_endpoint}>"
        )


class LanyingClient(ClientView):
    """The Lanying IM server API client.

    ```python
    async with LanyingClient(api_endpoint=..., app_id=..., access_token=...) as client:
        user = await client.users.register(username="alice", password="secret")
    ```

    Arguments left out come from `LANYING_API_ENDPOINT`, `LANYING_APP_ID` and
    `LANYING_ACCESS_TOKEN`. The connection pool (one aiohttp session) is created
    inside the running loop on first use and released by `aclose()` or leaving
    the `async with` block; the client cannot be used after that.
    """

    def __init__(
        self,
        api_endpoint: str | None = None,
        app_id: str | None = None,
        access_token: str | Secret | None = None,
        *,
        timeouts: Timeouts | None = None,
        limits: PoolLimits | None = None,
        retry: RetryConfig | None = None,
        allow_insecure_http: bool = False,
        user_agent: str | None = None,
        rate_limit: float | None = None,
        bulk: BulkLimits | None = None,
        max_response_bytes: int | None = None,
        hooks: Hooks | None = None,
        error_registry: ErrorRegistry | None = None,
    ) -> None:
        """Build the client; nothing is connected until the first call.

        Args:
            api_endpoint: The API endpoint of the app's cluster, e.g.
                `https://s-1-3-api.maximtop.cn`. Default: `LANYING_API_ENDPOINT`.
            app_id: The app id. Default: `LANYING_APP_ID`.
            access_token: The admin access token (or a user token: the client then acts only
                as that user). Default: `LANYING_ACCESS_TOKEN`. Kept in a
                [`Secret`][lanying_async.config.Secret], never shown.
            timeouts: Per-attempt connect and read limits and the per-call deadline.
            limits: The connection pool's size and keep-alive expiry.
            retry: Retry bounds, `Retry-After` cap, transient codes and the retry budget.
            allow_insecure_http: Allow a plain `http://` endpoint on a host that is not
                loopback.
            user_agent: The `User-Agent` header (default: `lanying-async/VERSION`).
            rate_limit: Requests per second for the whole client (a token bucket shared by
                every coroutine); default: none.
            bulk: Chunk sizes and per-call concurrency of bulk operations.
            max_response_bytes: The largest answer body read (default 16 MiB).
            hooks: Callbacks for every attempt, answer and retry.
            error_registry: Business code to exception class (default
                [`default_registry`][lanying_async.errors.codes.default_registry]).

        Raises:
            ConfigurationError: A setting is missing or invalid (named in the message).
        """
        config = ClientConfig.resolve(
            api_endpoint=api_endpoint,
            app_id=app_id,
            access_token=access_token,
            timeouts=timeouts,
            limits=limits,
            retry=retry,
            allow_insecure_http=allow_insecure_http,
            user_agent=user_agent,
            rate_limit=rate_limit,
            bulk=bulk,
            max_response_bytes=max_response_bytes,
            hooks=hooks,
        )
        transport = Transport(config, error_registry or default_registry)
        super().__init__(transport, transport.base_scope(), f"app {config.app_id!r}")

    @property
    def config(self) -> ClientConfig:
        """The settings the client was built with."""
        return self._transport.config

    @property
    def closed(self) -> bool:
        """True once `aclose()` has run."""
        return self._transport.sessions.closed

    async def __aenter__(self) -> LanyingClient:
        self._transport.sessions.check_usable()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection. Idempotent; the client is unusable afterwards."""
        await self._transport.sessions.close()
