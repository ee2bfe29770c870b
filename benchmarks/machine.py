"""What the figures were measured on: CPU, cores, Python, library versions, date."""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata

__all__ = ["StealMeter", "describe_machine"]

LIBRARIES = ("lanying-async", "aiohttp", "msgspec", "anyio", "requests", "httpx", "pydantic")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe_machine(pinning: str) -> list[tuple[str, str]]:
    rows = [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        ("cores", f"{os.cpu_count()}"),
        ("pinning", pinning),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
    ]
    rows += [(name, version_of(name)) for name in (*LIBRARIES, "uvloop")]
    return rows


def _cpu_times() -> dict[str, list[int]]:
    """Per-core jiffies from ``/proc/stat`` (empty where there is none)."""
    try:
        with open("/proc/stat") as stat:
            lines = [line.split() for line in stat if line.startswith("cpu")]
    except OSError:
        return {}
    return {fields[0]: [int(v) for v in fields[1:]] for fields in lines if fields[0] != "cpu"}


class StealMeter:
    """How much CPU time the hypervisor took from each core between start and now.

    On a shared virtual machine this is the main reason one run is slower than
    another: the figures of a run with much stolen time are pessimistic for
    every contender alike.
    """

    STEAL = 7  # the field of /proc/stat that counts stolen time

    def __init__(self) -> None:
        self._start = _cpu_times()

    def describe(self) -> str:
        now = _cpu_times()
        shares = []
        for core, before in self._start.items():
            after = now.get(core)
            if after is None or len(after) <= self.STEAL:
                continue
            spent = sum(after) - sum(before)
            if spent > 0:
                stolen = after[self.STEAL] - before[self.STEAL]
                shares.append(f"core {core.removeprefix('cpu')}: {stolen / spent:.0%}")
        return ", ".join(shares) or "not available"
