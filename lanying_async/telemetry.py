"""OpenTelemetry metrics for the client, through [`Hooks`][lanying_async.hooks.Hooks].

Install the extra (`pip install lanying-async[otel]`) and pass the hooks:

```python
client = LanyingClient(..., hooks=opentelemetry_hooks())
```

Instruments (meter `lanying_async`):

- `lanying.client.attempts` (counter): attempts sent, by method and path;
- `lanying.client.responses` (counter): attempts ended, by method, path, HTTP
  status, business code and error type;
- `lanying.client.duration` (histogram, seconds): time since the call began
  when an attempt ended;
- `lanying.client.retries` (counter): retries scheduled, by method, path and error type.

Attributes never include the token, ids or bodies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lanying_async.hooks import Hooks, RequestEvent, ResponseEvent, RetryEvent

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider

__all__ = ["opentelemetry_hooks"]


def opentelemetry_hooks(meter_provider: MeterProvider | None = None) -> Hooks:
    """Hooks recording the client's attempts, answers and retries as OpenTelemetry metrics."""
    try:
        from opentelemetry import metrics
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "opentelemetry_hooks needs the 'otel' extra: pip install 'lanying-async[otel]'"
        ) from exc
    meter = (meter_provider or metrics.get_meter_provider()).get_meter("lanying_async")
    attempts = meter.create_counter("lanying.client.attempts", description="attempts sent")
    responses = meter.create_counter("lanying.client.responses", description="attempts ended")
    duration = meter.create_histogram(
        "lanying.client.duration", unit="s", description="time since the call began"
    )
    retries = meter.create_counter("lanying.client.retries", description="retries scheduled")

    def on_request(event: RequestEvent) -> None:
        attempts.add(1, {"http.method": event.method, "lanying.path": event.path})

    def on_response(event: ResponseEvent) -> None:
        attributes: dict[str, Any] = {
            "http.method": event.method,
            "lanying.path": event.path,
            "http.status_code": event.status or 0,
            "lanying.code": event.code if event.code is not None else 0,
            "error.type": type(event.error).__name__ if event.error is not None else "",
        }
        responses.add(1, attributes)
        duration.record(event.elapsed, attributes)

    def on_retry(event: RetryEvent) -> None:
        retries.add(
            1,
            {
                "http.method": event.method,
                "lanying.path": event.path,
                "error.type": type(event.error).__name__,
            },
        )

    return Hooks(on_request=on_request, on_response=on_response, on_retry=on_retry)
