"""Deterministic fault injection for the emulator.

A [`FaultPlan`][lanying_async.emulator.faults_plan.FaultPlan] decides, request by request, whether
the emulator misbehaves and how: late answers, connections closed before or after the operation
runs, resets in the middle of a body, HTTP 5xx and 429 answers, business failures, malformed,
oversized and endless bodies. Every fault is real on the wire (aiohttp.web does it; the client needs
no cooperation) and the same plan with the same seed, fed the same requests, injects the same
faults.

```python
from lanying_async.emulator.faults import CloseAfterHandling, FaultPlan, install

plan = FaultPlan(seed=1)
plan.add(CloseAfterHandling(), method="POST", path="/message/send", requests=[1])
plan.chaos(rate=0.05)

emu = Emulator()
install(emu.app, plan)  # before the emulator starts
async with emu:
    ...
print(plan.injected)  # Counter({"close_after": 1, ...})
```

A plan can come from a JSON file
([`FaultPlan.load()`][lanying_async.emulator.faults_plan.FaultPlan.load]), in the format of
[`FaultPlan.to_dict()`][lanying_async.emulator.faults_plan.FaultPlan.to_dict]

```json
{"seed": 1, "rules": [
    {"fault": {"kind": "close_after"}, "method": "POST",
     "path": "/message/send", "requests": [1]},
    {"chaos": ["latency", "server_error", "retry_after"], "probability": 0.05}
]}
```

The kinds, their settings and whether each runs the operation are listed in
[`faults_kinds`][lanying_async.emulator.faults_kinds]; the rule conditions in
[`faults_plan`][lanying_async.emulator.faults_plan].
"""

from __future__ import annotations

from aiohttp import web

from .faults_kinds import (
    ALL_KINDS,
    BusinessCode,
    CloseAfterHandling,
    CloseBeforeHandling,
    EndlessBody,
    Fault,
    Latency,
    Malformed,
    MalformedShape,
    Oversized,
    ResetMidBody,
    RetryAfter,
    ServerError,
    fault_from_dict,
    fault_to_dict,
)
from .faults_plan import FaultPlan, FaultRule, Injection

__all__ = [
    "ALL_KINDS",
    "FAULTS_KEY",
    "BusinessCode",
    "CloseAfterHandling",
    "CloseBeforeHandling",
    "EndlessBody",
    "Fault",
    "FaultPlan",
    "FaultRule",
    "Injection",
    "Latency",
    "Malformed",
    "MalformedShape",
    "Oversized",
    "ResetMidBody",
    "RetryAfter",
    "ServerError",
    "fault_from_dict",
    "fault_to_dict",
    "install",
]

FAULTS_KEY = web.AppKey("lanying_emulator_faults", FaultPlan)
"""Where the emulator's application keeps its fault plan, when it has one."""


def install(app: web.Application, plan: FaultPlan) -> None:
    """Make the emulator application `app` apply `plan` to every request.

    Call it before the emulator starts (a running application is frozen).
    The plan stays mutable: rules added later apply from the next request.
    """
    if app.frozen:
        raise RuntimeError("install the fault plan before the emulator starts")
    app[FAULTS_KEY] = plan
