"""Curves beside ``results.md``, drawn with matplotlib (installed by ``nox -s bench``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["draw_worker_scaling"]

Point = tuple[float, float]


def draw_worker_scaling(
    path: Path, measured: Sequence[Point], linear: Sequence[Point], title: str
) -> None:
    """Ids per second against worker processes: what was measured, and linear scaling."""
    import matplotlib

    matplotlib.use("Agg")  # no display: write the file only
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(6.4, 4.0), dpi=100)
    try:
        axes.plot(*zip(*linear, strict=True), "--", color="0.6", label="linear (1 worker × n)")
        axes.plot(*zip(*measured, strict=True), "o-", color="tab:blue", label="measured")
        for workers, rate in measured:
            axes.annotate(
                f"{rate / 1000:,.1f}k",
                (workers, rate),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
            )
        axes.set_xticks([workers for workers, _ in measured])
        axes.set_xlabel("worker processes")
        axes.set_ylabel("ids pushed per second")
        axes.set_ylim(bottom=0, top=max(rate for _, rate in (*measured, *linear)) * 1.15)
        axes.yaxis.set_major_formatter(lambda value, _: f"{value / 1000:,.0f}k")
        axes.set_title(title, fontsize=10)
        axes.grid(True, color="0.9")
        axes.legend(loc="upper left")
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path)
    finally:
        pyplot.close(figure)
