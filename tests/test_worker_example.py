"""The taskiq worker example runs end to end on the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_worker_example_shares_one_client_per_process() -> None:
    script = Path(__file__).resolve().parents[1] / "examples" / "worker.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    done = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    sent, _, rest = done.stdout.partition(" welcome messages sent over ")
    assert sent.strip() == "20"
    connections = int(rest.split()[0])
    assert 2 <= connections <= 21  # the admin client's one, plus at most one per running task
