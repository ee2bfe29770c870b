"""The SDK's emulator in its own process, seeded for the bulk scenarios.

``python -m benchmarks.emulator_server --users N --latency S [--core C [--poll]]``
registers an owner and ``N`` users straight into the emulator's state (no
requests), lets groups hold all of them, makes every request take ``S`` seconds
from the moment it came in and does not record requests (the bulk jobs would
fill memory with them).

It prints one JSON line once it listens: ``url``, ``app_id``, ``token``,
``owner_id`` and the users' ids as ``first_user_id`` + ``user_id_step`` ×
i. Commands on stdin: ``connections``, ``requests`` and ``reset`` (zero both).
"""

from __future__ import annotations

import argparse
import asyncio
import json

from benchmarks.pinning import ServerClock, add_core_arguments, pin_current_process
from benchmarks.server_process import answer_commands
from lanying_async.emulator.state import User
from lanying_async.testing import Emulator

__all__ = ["seed_users", "serve"]


def seed_users(emulator: Emulator, count: int) -> list[int]:
    """Register ``count`` users directly in the emulator's state; returns their ids."""
    state = emulator.state
    app = emulator.app_state()
    ids = []
    for i in range(count):
        user = User(state.user_ids.take(), f"bench_user_{i}", "pw", state.now_ms())
        app.users[user.user_id] = user
        app.user_ids_by_name[user.username] = user.user_id
        ids.append(user.user_id)
    return ids


async def serve(clock: ServerClock, users: int, latency: float) -> None:
    emulator = Emulator(latency=latency, record_requests=False, group_capacity=users + 1)
    # Like the cheap server, hold each request from the moment its bytes came
    # in: parsing it is part of the latency, as on a real server.
    emulator.controls.arrival = clock.came_in
    async with emulator:
        owner_id, *user_ids = seed_users(emulator, users + 1)
        step = emulator.state.user_ids.step
        assert user_ids == list(range(user_ids[0], user_ids[0] + step * users, step))
        ready = {
            "url": emulator.url,
            "app_id": emulator.app_id,
            "token": emulator.admin_token,
            "owner_id": owner_id,
            "first_user_id": user_ids[0],
            "user_id_step": step,
        }
        print(json.dumps(ready), flush=True)

        def reset() -> str:
            emulator.reset_metrics()
            return "ok"

        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        answer_commands(
            {
                "connections": lambda: emulator.connections_opened,
                "requests": lambda: emulator.requests_served,
                "cpu": clock.cpu_seconds,
                "reset": reset,
            },
            on_eof=lambda: loop.call_soon_threadsafe(done.set),
        )
        await done.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="The emulator, seeded for bulk scenarios.")
    parser.add_argument("--users", type=int, required=True, help="users to register")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="the least seconds each request takes"
    )
    add_core_arguments(parser)
    args = parser.parse_args()
    pin_current_process(args.core)
    clock = ServerClock.from_arguments(args)
    clock.run(serve(clock, args.users, args.latency))


if __name__ == "__main__":
    main()
