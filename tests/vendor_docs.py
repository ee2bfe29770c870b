"""The vendor's API documents (spec and guide), found outside the repository.

They are looked for in ``$LANYING_API_SPEC_DIR``, else ``<repo>/../shared/lanying-api/``,
else ``/work/shared/lanying-api/``. A test that needs a missing document is skipped
with a message naming every place looked at, except under ``CI=true``, where it
fails: CI must run the checks these documents make possible.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import pytest

__all__ = ["GUIDE_FILE", "SPEC_FILE", "guide_text", "spec"]

SPEC_FILE = "swagger.zh-hans.json"
GUIDE_FILE = "server-api-guide.seed.md"


def _places() -> list[Path]:
    places = []
    configured = os.environ.get("LANYING_API_SPEC_DIR")
    if configured:
        places.append(Path(configured))
    places.append(Path(__file__).resolve().parents[2] / "shared" / "lanying-api")
    places.append(Path("/work/shared/lanying-api"))
    return places


def _find(name: str) -> Path:
    places = _places()
    for place in places:
        if (place / name).is_file():
            return place / name
    looked = ", ".join(str(place / name) for place in places)
    message = f"{name} not found (looked in {looked}; set LANYING_API_SPEC_DIR)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@functools.cache
def _read(name: str) -> str:
    return _find(name).read_text(encoding="utf-8")


def guide_text() -> str:
    """The server-API guide (markdown), or skip/fail the calling test as above."""
    return _read(GUIDE_FILE)


@functools.cache
def spec() -> dict[str, Any]:
    """The vendor's Swagger 2.0 spec (shared: do not change it), or skip/fail as above."""
    loaded: dict[str, Any] = json.loads(_read(SPEC_FILE))
    return loaded
