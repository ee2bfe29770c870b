"""Reading the vendor's server API guide: its operation sections, tables and examples."""

from __future__ import annotations

import itertools
import json
import re
import shlex
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from lanying_async.emulator.recorder import RecordedRequest
from tests.vendor_docs import guide_text

__all__ = ["example_request", "example_response", "operation_sections", "table"]


def operation_sections() -> dict[tuple[str, str], str]:
    """The guide's operation sections keyed by (verb, path)."""
    found = {}
    for section in re.split(r"\n### ", guide_text()):
        match = re.search(r"Http方法: `(\w+)` 资源路径: `([^`]+)`", section)
        if match:
            found[(match[1], match[2])] = section
    return found


def table(section: str, heading: str) -> dict[str, bool]:
    """Rows of the table after ``heading``: parameter name -> required (必填)."""
    start = section.find(heading)
    if start < 0:
        return {}
    rows: dict[str, bool] = {}
    for line in section[start:].splitlines()[1:]:
        line = line.strip()
        if line.startswith(("- ", "* ")) and rows:
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")] if "|" in line else []
        if len(cells) >= 3 and cells[0] not in ("参数",) and not set(cells[0]) <= {"-"}:
            rows[cells[0]] = cells[2].startswith("必填")
    return rows


def example_request(section: str) -> RecordedRequest:
    """The first cURL request of a section, as a server would record it."""
    command = re.search(r"curl .*?(?=\n\s*```)", section, re.S)
    assert command is not None
    words = shlex.split(command[0].replace("\\\n", " "))
    method, headers, raw = "GET", {}, b""
    for flag, value in itertools.pairwise(words):
        if flag == "-X":
            method = value
        elif flag == "-H":
            name, _, text = value.partition(":")
            headers[name.strip().lower()] = text.strip()
        elif flag == "-d":
            raw = value.encode()
    url = urlsplit(next(w for w in words if w.startswith("https://")))
    body = json.loads(raw) if raw else None
    return RecordedRequest(method, url.path, dict(parse_qsl(url.query)), headers, body, raw, 0.0)


def example_response(section: str) -> Any:
    """The JSON of a section's response example (返回结果示例)."""
    start = section.index("返回结果示例")
    block = re.search(r"```\s*\n(.*?)```", section[start:], re.S)
    assert block is not None
    return json.loads(block[1])
