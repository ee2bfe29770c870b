"""An in-memory emulator of the Lanying IM server API.

A stateful aiohttp server implementing the wire protocol on its own
(nothing here depends on the client SDK), for tests and benchmarks:

```python
from lanying_async.emulator import Emulator

async with Emulator() as emu:
    print(emu.url, emu.app_id, emu.admin_token)
```

See [`server`][lanying_async.emulator.server] for the emulator's controls, `state` for the
in-memory world and `routes` for the implemented operations.
"""

from __future__ import annotations

from .codes import Code
from .envelope import BusinessError
from .faults import FaultPlan
from .recorder import RecordedRequest, RequestLog
from .server import DEFAULT_APP_ID, Emulator, serve_forever
from .state import ServerState

__all__ = [
    "DEFAULT_APP_ID",
    "BusinessError",
    "Code",
    "Emulator",
    "FaultPlan",
    "RecordedRequest",
    "RequestLog",
    "ServerState",
    "serve_forever",
]
