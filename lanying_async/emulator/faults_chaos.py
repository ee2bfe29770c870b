"""The faults a chaos rule draws from: a few sensible settings per kind.

A chaos rule first picks a kind uniformly, then one of that kind's variants
uniformly, so no kind is favoured because it has more variants.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from .faults_kinds import (
    ALL_KINDS,
    BusinessCode,
    CloseAfterHandling,
    CloseBeforeHandling,
    EndlessBody,
    Fault,
    Latency,
    Malformed,
    Oversized,
    ResetMidBody,
    RetryAfter,
    ServerError,
)

__all__ = ["CHAOS_VARIANTS", "check_kinds", "draw_fault"]

CHAOS_LATENCY = 0.05
"""Seconds of a chaos latency: noticeable, yet cheap for a test suite."""

CHAOS_VARIANTS: dict[str, tuple[Fault, ...]] = {
    "latency": (Latency(CHAOS_LATENCY), Latency(CHAOS_LATENCY, phase="body")),
    "close_before": (CloseBeforeHandling(),),
    "close_after": (CloseAfterHandling(),),
    "reset_mid_body": (ResetMidBody(),),
    "server_error": tuple(
        ServerError(status=status, page=page)
        for status in (500, 502, 503, 504)
        for page in ("json", "html")
    ),
    "retry_after": (
        RetryAfter(seconds=1),
        RetryAfter(seconds=1, http_date=True),
        RetryAfter(seconds=1, status=503),
    ),
    "business_code": (BusinessCode(),),
    "malformed": tuple(
        Malformed(shape=shape) for shape in ("html", "truncated_json", "missing_code", "not_json")
    ),
    "oversized": (Oversized(),),
    "endless_body": (EndlessBody(),),
}


def check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """`kinds` as a tuple, refusing unknown names and an empty choice."""
    chosen = tuple(kinds)
    unknown = sorted(set(chosen) - set(ALL_KINDS))
    if unknown:
        raise ValueError(f"unknown fault kinds {unknown}; known: {list(ALL_KINDS)}")
    if not chosen:
        raise ValueError("a chaos rule needs at least one fault kind")
    return chosen


def draw_fault(rng: random.Random, kinds: tuple[str, ...]) -> Fault:
    return rng.choice(CHAOS_VARIANTS[rng.choice(kinds)])
