"""The markdown results: sections of tables, with targets shown beside the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Section", "Verdict", "ratio", "render", "seconds", "spread", "table", "usec"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """A figure checked against its target."""

    target: str
    met: bool

    def __str__(self) -> str:
        return f"{self.target}: {'met' if self.met else '**missed**'}"


@dataclass(slots=True)
class Section:
    title: str
    intro: str
    header: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", self.intro, "", table(self.header, self.rows)]
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def usec(value: float) -> str:
    return f"{value * 1e6:,.0f} µs"


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:,.0f} ms"


def spread(low: float, high: float, unit: str = "us") -> str:
    if unit == "us":
        return f"{low * 1e6:,.0f}–{high * 1e6:,.0f}"
    return f"{low:.2f}–{high:.2f}"


def ratio(value: float) -> str:
    return f"{value:.2f}×"


def render(title: str, machine: Sequence[tuple[str, str]], sections: Sequence[Section]) -> str:
    """The whole results page: machine, a summary of the targets, then each section."""
    parts = [f"# {title}", "", table(("machine", ""), machine), ""]
    verdicts = [(s.title, v) for s in sections for v in s.verdicts]
    if verdicts:
        summary = [(name, v.target, "met" if v.met else "**missed**") for name, v in verdicts]
        parts += ["## Targets", "", table(("scenario", "target", "result"), summary), ""]
    for section in sections:
        parts += [section.markdown(), ""]
    return "\n".join(parts)
