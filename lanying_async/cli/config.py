"""Connection settings for the CLI: flags first, then the environment, then a config file.

A config file (``--config PATH``) is TOML, or JSON when its name ends in
``.json``, with the top-level keys ``api_endpoint``, ``app_id``,
``access_token`` and ``allow_insecure_http``:

```toml
api_endpoint = "https://s-1-3-api.maximtop.cn"
app_id = "your_app_id"
access_token = "..."
```

The token is never taken from the command line itself (it would show in the
process list and the shell history): it comes from ``--access-token-file``,
``$LANYING_ACCESS_TOKEN`` or the config file, and is held in a
[`Secret`][lanying_async.config.Secret] from then on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, published on PyPI as tomli, for Python 3.10
    import tomli as tomllib

from lanying_async.cli.errors import UsageError
from lanying_async.config import ENV_APP_ID, ENV_ENDPOINT, ENV_TOKEN, Secret

__all__ = ["ConnectionSettings", "load_config_file", "resolve_settings"]

_STRING_KEYS = ("api_endpoint", "app_id", "access_token")
_KNOWN_KEYS = frozenset({*_STRING_KEYS, "allow_insecure_http"})


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """Where and as whom the CLI connects."""

    api_endpoint: str
    app_id: str
    access_token: Secret = field(repr=False)
    allow_insecure_http: bool = False


def resolve_settings(
    *,
    endpoint: str | None = None,
    app_id: str | None = None,
    token_file: str | None = None,
    allow_insecure_http: bool = False,
    config_path: str | None = None,
    env: Mapping[str, str],
) -> ConnectionSettings:
    """Each setting from the first place that has it: flag, environment, config file.

    Raises `UsageError` naming what is missing or malformed (never a value).
    """
    file = load_config_file(Path(config_path)) if config_path else {}
    token = _read_token_file(token_file) if token_file else None
    chosen = {
        "api_endpoint": endpoint or env.get(ENV_ENDPOINT) or file.get("api_endpoint"),
        "app_id": app_id or env.get(ENV_APP_ID) or file.get("app_id"),
        "access_token": token or env.get(ENV_TOKEN) or file.get("access_token"),
    }
    hints = {
        "api_endpoint": f"--endpoint, ${ENV_ENDPOINT}",
        "app_id": f"--app-id, ${ENV_APP_ID}",
        "access_token": f"--access-token-file, ${ENV_TOKEN}",
    }
    missing = [f"{key} ({hints[key]} or the --config file)" for key, v in chosen.items() if not v]
    if missing:
        raise UsageError("missing setting: " + "; ".join(missing))
    insecure = allow_insecure_http or file.get("allow_insecure_http") is True
    return ConnectionSettings(
        api_endpoint=str(chosen["api_endpoint"]),
        app_id=str(chosen["app_id"]),
        access_token=Secret(str(chosen["access_token"])),
        allow_insecure_http=insecure,
    )


def load_config_file(path: Path) -> dict[str, object]:
    """The settings in a TOML (or ``.json``) config file, checked for known keys and types."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"config file {path} is not UTF-8 text") from None
    values = _parse(text, path)
    for key, value in values.items():
        if key not in _KNOWN_KEYS:
            known = ", ".join(sorted(_KNOWN_KEYS))
            raise UsageError(f"config file {path}: unknown key {key!r} (known: {known})")
        wanted = bool if key == "allow_insecure_http" else str
        if not isinstance(value, wanted):
            raise UsageError(f"config file {path}: {key} must be a {wanted.__name__}")
    return values


def _parse(text: str, path: Path) -> dict[str, object]:
    if path.suffix.lower() == ".json":
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"config file {path}: invalid JSON at line {exc.lineno}") from None
        if not isinstance(values, dict):
            raise UsageError(f"config file {path}: expected a JSON object")
        return values
    return _parse_toml(text, path)


def _parse_toml(text: str, path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # names positions and keys, never values
        raise UsageError(f"config file {path}: invalid TOML: {exc}") from None


def _read_token_file(path: str) -> str:
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read access token file {path}: {reason or exc}") from None
    if not token:
        raise UsageError(f"access token file {path} is empty")
    return token
