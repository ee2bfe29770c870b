"""HTTP transport: the pooled session, the request pipeline and retry rules."""

from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.transport.pipeline import RequestScope, Transport
from lanying_async.transport.retry import (
    ConnectFailureRule,
    ConnectionDropRule,
    RateLimitRule,
    RetryDecision,
    RetryPolicy,
    RetryRule,
    ServerUnavailableRule,
    TimeoutRule,
)
from lanying_async.transport.session import SessionManager

__all__ = [
    "ConnectFailureRule",
    "ConnectionDropRule",
    "Endpoint",
    "OperationKind",
    "RateLimitRule",
    "RequestScope",
    "RetryDecision",
    "RetryPolicy",
    "RetryRule",
    "ServerUnavailableRule",
    "SessionManager",
    "TimeoutRule",
    "Transport",
]
