"""Test helpers: the in-memory Lanying [`Emulator`][lanying_async.emulator.server.Emulator] and its
recorded requests.

```python
from lanying_async.testing import Emulator

async with Emulator() as emu, emu.client() as client:
    await client.users.register(username="alice", password="pw")
    assert emu.requests_to("POST", "/user/register/v2")
```

pytest users can load [`lanying_async.pytest_plugin`][lanying_async.pytest_plugin] for ready
fixtures.
"""

from lanying_async.emulator import (
    DEFAULT_APP_ID,
    BusinessError,
    Emulator,
    FaultPlan,
    RecordedRequest,
    RequestLog,
    serve_forever,
)

__all__ = [
    "DEFAULT_APP_ID",
    "BusinessError",
    "Emulator",
    "FaultPlan",
    "RecordedRequest",
    "RequestLog",
    "serve_forever",
]
