"""OpenTelemetry metrics through the hooks."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from lanying_async import UserNotFoundError
from lanying_async.telemetry import opentelemetry_hooks
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def test_attempts_responses_and_durations_are_recorded(emu: Emulator) -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    async with emu.client(hooks=opentelemetry_hooks(provider)) as client:
        await client.users.register(username="metered", password="pw")
        with pytest.raises(UserNotFoundError):
            await client.as_user(424242).roster.list()
    data = reader.get_metrics_data()
    assert data is not None
    metrics = {
        m.name: m for rm in data.resource_metrics for sm in rm.scope_metrics for m in sm.metrics
    }
    attempts = metrics["lanying.client.attempts"].data.data_points
    assert sum(p.value for p in attempts) == 2  # type: ignore[attr-defined]
    responses = metrics["lanying.client.responses"].data.data_points
    codes = {p.attributes["lanying.code"] for p in responses}
    assert codes == {200, 10000}
    errors = {p.attributes["error.type"] for p in responses}
    assert errors == {"", "UserNotFoundError"}
    assert "lanying.client.duration" in metrics
    for point in [*attempts, *responses]:
        assert emu.admin_token not in str(point.attributes)
    provider.shutdown()
