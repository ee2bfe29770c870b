"""Typed keys under which the emulator's shared objects live on the app."""

from __future__ import annotations

from aiohttp import web

from .controls import Controls
from .metrics import Metrics
from .recorder import RequestLog
from .state import ServerState

__all__ = ["CONTROLS_KEY", "LOG_KEY", "METRICS_KEY", "STATE_KEY"]

STATE_KEY = web.AppKey("lanying_emulator_state", ServerState)
LOG_KEY = web.AppKey("lanying_emulator_log", RequestLog)
METRICS_KEY = web.AppKey("lanying_emulator_metrics", Metrics)
CONTROLS_KEY = web.AppKey("lanying_emulator_controls", Controls)
