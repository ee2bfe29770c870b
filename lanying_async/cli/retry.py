"""``--retry-from REPORT``: run a job again on just what an earlier run's report lists.

The command reads its input (the same file, or the same stdin) as before and
takes only the items the report names: by ``item`` (the id, name or username)
for the rows that ``failed``, are ``unknown``, were ``not_started`` or were
``not_read``; by ``line`` for every row that has one (so a user row fixed
in place, even renamed, is taken again, and so is an ``invalid`` line once it
is fixed); and every item from the line of the closing ``not_read`` row on.
Fix bad rows in place (one row stays one line) so the lines still match.

For ``users import``, a row with ``"phase": "profile"`` names a user that was
registered but whose profile was not set: the retry sets that profile only,
for the ``user_id`` the row gives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lanying_async.cli.errors import UsageError
from lanying_async.cli.reports import NOT_READ

__all__ = ["PROFILE_PHASE", "RetryPlan", "load_retry_plan"]

PROFILE_PHASE = "profile"
_BY_ITEM = frozenset({"failed", "unknown", "not_started", NOT_READ})
_STATUSES = _BY_ITEM | {"invalid"}


@dataclass(slots=True)
class RetryPlan:
    """The items of an input that an earlier run's report asks to run again."""

    items: set[object] = field(default_factory=set)
    """Values of the items to take again, wherever they stand."""
    lines: set[int] = field(default_factory=set)
    """Lines whose item to take again."""
    resume_line: int | None = None
    """Every item from this line on (the earlier run never read them)."""
    profile_only: dict[int, int] = field(default_factory=dict)
    """Line -> user id of users registered whose profile is still to be set."""
    source: str = ""
    """The report's text, as read."""

    def wants(self, line: int, value: object) -> bool:
        """Take the item starting at ``line`` with ``value`` (None when unreadable)?"""
        if line in self.lines:
            return True
        if self.resume_line is not None and line >= self.resume_line:
            return True
        return value is not None and _hashable(value) and value in self.items


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def load_retry_plan(path: str) -> RetryPlan:
    """Read a report written by ``--report``; a line that is no report row is a usage error."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read --retry-from {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--retry-from {path} is not a report (not UTF-8 text)") from None
    plan = RetryPlan(source=text)
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            _add_row(plan, _row(raw, path, number))
    return plan


def _row(raw: str, path: str, number: int) -> dict[str, object]:
    try:
        row = json.loads(raw)
    except json.JSONDecodeError:
        row = None
    if not isinstance(row, dict) or row.get("status") not in _STATUSES:
        raise UsageError(f"--retry-from {path}, line {number}: not a row of a --report file")
    line = row.get("line")
    if line is not None and (isinstance(line, bool) or not isinstance(line, int) or line < 1):
        raise UsageError(f"--retry-from {path}, line {number}: 'line' must be a line number")
    return row


def _add_row(plan: RetryPlan, row: dict[str, object]) -> None:
    line, item, status = row.get("line"), row.get("item"), row.get("status")
    if status == NOT_READ and item is None:
        if isinstance(line, int):
            plan.resume_line = line if plan.resume_line is None else min(plan.resume_line, line)
        return
    if isinstance(line, int):
        plan.lines.add(line)
        user_id = row.get("user_id")
        if row.get("phase") == PROFILE_PHASE and isinstance(user_id, int):
            plan.profile_only[line] = user_id
            return  # that very line, not a repeat of its username elsewhere
    if status in _BY_ITEM and item is not None and _hashable(item):
        plan.items.add(item)
