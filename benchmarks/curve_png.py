"""A throughput curve as a small PNG, drawn with the standard library only (zlib).

Two lines against the number of workers: what was measured (blue, with its
points) and linear scaling of one worker (grey). Axis ticks are labelled with
a 3×5 pixel font: workers along the bottom, thousands of ids per second up
the side.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

__all__ = ["draw_curve"]

WIDTH, HEIGHT = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 16, 36
WHITE = (255, 255, 255)
AXIS = (60, 60, 60)
GRID = (225, 225, 225)
MEASURED = (31, 119, 180)
LINEAR = (150, 150, 150)
_GLYPHS = {
    "0": "111101101101111",
    "1": "010110010010111",
    "2": "111001111100111",
    "3": "111001111001111",
    "4": "101101111001001",
    "5": "111100111001111",
    "6": "111100111101111",
    "7": "111001001001001",
    "8": "111101111101111",
    "9": "111101111001111",
    "k": "100101110101101",
    ".": "000000000000010",
}
Point = tuple[float, float]


class _Canvas:
    def __init__(self) -> None:
        self.pixels = [[WHITE] * WIDTH for _ in range(HEIGHT)]

    def dot(self, x: int, y: int, color: tuple[int, int, int], size: int = 1) -> None:
        for dy in range(-(size // 2), size - size // 2):
            for dx in range(-(size // 2), size - size // 2):
                if 0 <= x + dx < WIDTH and 0 <= y + dy < HEIGHT:
                    self.pixels[y + dy][x + dx] = color

    def line(
        self, a: tuple[int, int], b: tuple[int, int], color: tuple[int, int, int], size: int = 1
    ) -> None:
        steps = max(abs(b[0] - a[0]), abs(b[1] - a[1]), 1)
        for i in range(steps + 1):
            x = round(a[0] + (b[0] - a[0]) * i / steps)
            y = round(a[1] + (b[1] - a[1]) * i / steps)
            self.dot(x, y, color, size)

    def text(self, x: int, y: int, text: str, scale: int = 2) -> None:
        for n, char in enumerate(text):
            glyph = _GLYPHS.get(char)
            if glyph is None:
                continue
            for i, bit in enumerate(glyph):
                if bit == "1":
                    gx, gy = x + n * 4 * scale + (i % 3) * scale, y + (i // 3) * scale
                    for dy in range(scale):
                        for dx in range(scale):
                            self.dot(gx + dx, gy + dy, AXIS)

    def png(self) -> bytes:
        raw = b"".join(b"\0" + bytes(c for px in row for c in px) for row in self.pixels)

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def draw_curve(path: Path, measured: Sequence[Point], linear: Sequence[Point]) -> None:
    """Write the PNG of ids/s against workers (``measured`` and ``linear`` points)."""
    canvas = _Canvas()
    xs = [x for x, _ in (*measured, *linear)]
    top = max(y for _, y in (*measured, *linear)) * 1.1
    x_max = max(xs)

    def at(point: Point) -> tuple[int, int]:
        x = LEFT + (point[0] / x_max) * (WIDTH - LEFT - RIGHT)
        y = HEIGHT - BOTTOM - (point[1] / top) * (HEIGHT - TOP - BOTTOM)
        return round(x), round(y)

    step = _nice_step(top / 5)
    tick = step
    while tick < top:
        left, y = at((0, tick))
        canvas.line((left, y), (WIDTH - RIGHT, y), GRID)
        canvas.text(4, y - 5, f"{tick / 1000:g}k")
        tick += step
    canvas.line(at((0, 0)), at((x_max, 0)), AXIS)
    canvas.line(at((0, 0)), at((0, top)), AXIS)
    for x in sorted(set(xs)):
        bottom_x, bottom_y = at((x, 0))
        canvas.line((bottom_x, bottom_y), (bottom_x, bottom_y + 4), AXIS)
        canvas.text(bottom_x - 3, bottom_y + 10, f"{x:g}")
    for series, color, size in ((linear, LINEAR, 2), (measured, MEASURED, 3)):
        points = [at(point) for point in series]
        for a, b in itertools.pairwise(points):
            canvas.line(a, b, color, size)
        for point in points:
            canvas.dot(*point, color, size + 4)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(canvas.png())


def _nice_step(rough: float) -> float:
    magnitude = 10 ** len(str(int(max(rough, 1)))) / 10
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= rough:
            return magnitude * factor
    return magnitude * 10
