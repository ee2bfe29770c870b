"""Where the tests find the vendor's documents (the specification and the guide).

Looked for in ``$LANYING_API_SPEC_DIR``, else ``<repo>/../shared/lanying-api/``,
else ``/work/shared/lanying-api/``. A test that needs a missing document is
skipped with a message naming those places, except under ``CI=true``, where it
fails: CI must run every check against the vendor's documents.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "GUIDE_NAME",
    "GUIDE_ONLY",
    "SPEC_NAME",
    "guide_text",
    "spec_json",
    "vendor_dirs",
]

SPEC_NAME = "swagger.zh-hans.json"
GUIDE_NAME = "server-api-guide.seed.md"
_REPO = Path(__file__).resolve().parents[1]

GUIDE_ONLY = frozenset({("POST", "/user/add_roster"), ("GET", "/user/rosters")})
"""The operations only the guide documents (the spec lacks them)."""


def vendor_dirs() -> list[Path]:
    """The folders searched for the documents, in order."""
    dirs = []
    configured = os.environ.get("LANYING_API_SPEC_DIR")
    if configured:
        dirs.append(Path(configured))
    dirs += [_REPO.parent / "shared" / "lanying-api", Path("/work/shared/lanying-api")]
    return dirs


def _find(name: str) -> Path:
    for folder in vendor_dirs():
        if (folder / name).is_file():
            return folder / name
    where = ", ".join(str(d) for d in vendor_dirs())
    message = f"{name} not found (looked in {where}; set LANYING_API_SPEC_DIR)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@functools.cache
def _spec_at(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def spec_json() -> dict[str, Any]:
    """The vendor's Swagger 2.0 specification (skips or fails the test when missing)."""
    return _spec_at(_find(SPEC_NAME))


def guide_text() -> str:
    """The vendor's server API guide (skips or fails the test when missing)."""
    return _find(GUIDE_NAME).read_text(encoding="utf-8")
