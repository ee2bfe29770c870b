"""A fault plan: which requests get which fault, chosen deterministically.

A plan holds rules, tried in the order they were added; the first rule that
fires on a request decides its fault, and a request no rule fires on is
served normally. A rule fires when all of its conditions hold:

* `method` / `path`: the request's route (each optional; exact match);
* `requests`: 1-based request numbers. A rule that names a method or a
  path counts the requests of each route `(method, path)` separately; a
  rule that names neither counts every request the plan sees;
* `probability`: drawn from the plan's `random.Random(seed)`, only for
  requests that passed the conditions above (so the draws, and therefore the
  faults, depend on nothing but the plan and the order of the requests);
* `times`: the rule fires at most that many times.

With concurrent requests, "the order of the requests" is the order in which
they reach the emulator; send them one after another for a reproducible run.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import msgspec

from .faults_chaos import check_kinds, draw_fault
from .faults_kinds import ALL_KINDS, Fault, fault_from_dict, fault_to_dict

__all__ = ["FaultPlan", "FaultRule", "Injection"]

INJECTIONS_KEPT = 10_000
"""How many of the latest injections a plan remembers in `injections`."""


@dataclass(frozen=True, slots=True)
class FaultRule:
    """When to inject which fault (see the module docs for the conditions)."""

    fault: Fault | None
    """None for a chaos rule, which draws a fault of one of `kinds` each time."""
    kinds: tuple[str, ...] = ()
    method: str | None = None
    path: str | None = None
    requests: frozenset[int] | None = None
    probability: float | None = None
    times: int | None = None

    def __post_init__(self) -> None:
        if (self.fault is None) != bool(self.kinds):
            raise ValueError("a rule has either a fault or chaos kinds, not both")
        if self.path is not None and not self.path.startswith("/"):
            raise ValueError("path must start with '/'")
        if self.requests is not None and any(n < 1 for n in self.requests):
            raise ValueError("request numbers start at 1")
        if self.probability is not None and not 0 <= self.probability <= 1:
            raise ValueError("probability must be in [0, 1]")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1")

    @property
    def names_route(self) -> bool:
        return self.method is not None or self.path is not None

    def covers(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or self.path == path
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON object of the rule; conditions left open are omitted."""
        out: dict[str, Any] = {}
        if self.fault is not None:
            out["fault"] = fault_to_dict(self.fault)
        else:
            out["chaos"] = list(self.kinds)
        conditions = {
            "method": self.method,
            "path": self.path,
            "requests": None if self.requests is None else sorted(self.requests),
            "probability": self.probability,
            "times": self.times,
        }
        out.update((name, value) for name, value in conditions.items() if value is not None)
        return out


@dataclass(frozen=True, slots=True)
class Injection:
    """One injected fault."""

    request: int
    """The request's number among all requests the plan saw (1-based)."""
    method: str
    path: str
    route_request: int
    """The request's number among the requests to its route (1-based)."""
    fault: Fault


class _RuleSpec(msgspec.Struct, forbid_unknown_fields=True):
    fault: dict[str, Any] | None = None
    chaos: list[str] | None = None
    method: str | None = None
    path: str | None = None
    requests: list[int] | None = None
    probability: float | None = None
    times: int | None = None


class _PlanSpec(msgspec.Struct, forbid_unknown_fields=True):
    seed: int = 0
    rules: list[_RuleSpec] = []


class FaultPlan:
    """Rules deciding, request by request, which fault the emulator injects.

    ```python
    plan = FaultPlan(seed=7)
    plan.add(CloseAfterHandling(), method="POST", path="/group/invite", requests=[2])
    plan.add(RetryAfter(seconds=3), probability=0.05)
    plan.chaos(rate=0.1)
    ```
    """

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._rules: list[FaultRule] = []
        self._fired: list[int] = []
        self._rng = random.Random(seed)
        self.requests_seen = 0
        """Requests the plan was asked about."""
        self.route_requests: Counter[tuple[str, str]] = Counter()
        """(method, path) -> requests the plan was asked about on that route."""
        self.injected: Counter[str] = Counter()
        """Fault kind -> how many times it was injected."""
        self.injections: deque[Injection] = deque(maxlen=INJECTIONS_KEPT)
        """The latest injections, oldest first."""

    def __repr__(self) -> str:
        return (
            f"<FaultPlan seed={self._seed} rules={len(self._rules)} "
            f"requests={self.requests_seen} injected={sum(self.injected.values())}>"
        )

    @property
    def seed(self) -> int:
        return self._seed

    @property
    def rules(self) -> tuple[FaultRule, ...]:
        return tuple(self._rules)

    # --- building -----------------------------------------------------------

    def add(
        self,
        fault: Fault,
        *,
        method: str | None = None,
        path: str | None = None,
        requests: Iterable[int] | None = None,
        probability: float | None = None,
        times: int | None = None,
    ) -> FaultPlan:
        """Inject `fault` on the requests matching every given condition."""
        return self._append(
            FaultRule(
                fault,
                method=None if method is None else method.upper(),
                path=path,
                requests=None if requests is None else frozenset(requests),
                probability=probability,
                times=times,
            )
        )

    def chaos(
        self,
        rate: float = 0.1,
        kinds: Iterable[str] = ALL_KINDS,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = None,
    ) -> FaultPlan:
        """Inject, on `rate` of the matching requests, a fault of a kind drawn
        uniformly from `kinds` (with settings from `faults_chaos`)."""
        return self._append(
            FaultRule(
                None,
                kinds=check_kinds(kinds),
                method=None if method is None else method.upper(),
                path=path,
                probability=rate,
                times=times,
            )
        )

    def _append(self, rule: FaultRule) -> FaultPlan:
        self._rules.append(rule)
        self._fired.append(0)
        return self

    def clear(self) -> None:
        """Remove every rule and forget every count."""
        self._rules.clear()
        self._fired.clear()
        self.reset()

    def reset(self) -> None:
        """Forget counts and injections and rewind the random draws; keep the rules."""
        self._rng.seed(self._seed)
        self._fired = [0] * len(self._rules)
        self.requests_seen = 0
        self.route_requests.clear()
        self.injected.clear()
        self.injections.clear()

    # --- choosing -----------------------------------------------------------

    def pick(self, method: str, path: str) -> Fault | None:
        """Count one request to `method path` and return its fault, if any."""
        self.requests_seen += 1
        route = (method, path)
        self.route_requests[route] += 1
        route_number = self.route_requests[route]
        for index, rule in enumerate(self._rules):
            if not rule.covers(method, path):
                continue
            if rule.times is not None and self._fired[index] >= rule.times:
                continue
            if rule.requests is not None:
                number = route_number if rule.names_route else self.requests_seen
                if number not in rule.requests:
                    continue
            if rule.probability is not None and self._rng.random() >= rule.probability:
                continue
            fault = rule.fault if rule.fault is not None else draw_fault(self._rng, rule.kinds)
            self._fired[index] += 1
            self.injected[fault.kind] += 1
            self.injections.append(Injection(self.requests_seen, method, path, route_number, fault))
            return fault
        return None

    # --- files --------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """`{"seed": ..., "rules": [...]}`: the plan's settings, not its counts."""
        return {"seed": self._seed, "rules": [rule.to_dict() for rule in self._rules]}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> FaultPlan:
        """The plan described by
        [`to_dict()`][lanying_async.emulator.faults_plan.FaultPlan.to_dict]'s format; `ValueError`
        if malformed."""
        try:
            spec = msgspec.convert(value, _PlanSpec)
        except msgspec.ValidationError as exc:
            raise ValueError(f"invalid fault plan: {exc}") from None
        plan = cls(seed=spec.seed)
        for number, rule in enumerate(spec.rules, start=1):
            try:
                plan._append(_rule_from_spec(rule))
            except ValueError as exc:
                raise ValueError(f"invalid fault plan, rule {number}: {exc}") from None
        return plan

    @classmethod
    def load(cls, path: str | PathLike[str]) -> FaultPlan:
        """Read a plan from a JSON file in
        [`to_dict()`][lanying_async.emulator.faults_plan.FaultPlan.to_dict]'s format."""
        raw = Path(path).read_bytes()
        try:
            value = msgspec.json.decode(raw)
        except msgspec.DecodeError as exc:
            raise ValueError(f"fault plan {path} is not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise ValueError(f"fault plan {path} must hold a JSON object")
        return cls.from_dict(value)


def _rule_from_spec(spec: _RuleSpec) -> FaultRule:
    if (spec.fault is None) == (spec.chaos is None):
        raise ValueError('a rule needs exactly one of "fault" and "chaos"')
    return FaultRule(
        None if spec.fault is None else fault_from_dict(spec.fault),
        kinds=() if spec.chaos is None else check_kinds(spec.chaos),
        method=None if spec.method is None else spec.method.upper(),
        path=spec.path,
        requests=None if spec.requests is None else frozenset(spec.requests),
        probability=spec.probability,
        times=spec.times,
    )
