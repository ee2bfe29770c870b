"""What the figures were measured on: CPU, cores, Python, library versions, date."""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata

__all__ = ["describe_machine"]

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
