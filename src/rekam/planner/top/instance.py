"""The Team Orienteering Problem (TOP): m teams leave a start point and must reach an end
point within ``tmax``; each other point has a score, collected once; maximise the total.

The benchmark text format (Chao, Golden & Wasil 1996): lines ``n N``, ``m M``, ``tmax T``,
then ``x y score`` per point; the first point is the start, the last the end. Distances are
Euclidean and not rounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from rekam.errors import IngestError


@dataclass(frozen=True)
class TopInstance:
    name: str
    points: tuple[tuple[float, float], ...]
    scores: tuple[int, ...]
    teams: int
    tmax: float

    @property
    def start(self) -> int:
        return 0

    @property
    def end(self) -> int:
        return len(self.points) - 1

    def distance(self, a: int, b: int) -> float:
        (x1, y1), (x2, y2) = self.points[a], self.points[b]
        return math.hypot(x1 - x2, y1 - y2)

    def route_length(self, stops: list[int]) -> float:
        path = [self.start, *stops, self.end]
        return sum(self.distance(a, b) for a, b in zip(path, path[1:], strict=False))


def read_top(path: Path) -> TopInstance:
    """Read a TOP instance; a malformed file is refused naming its line."""
    header: dict[str, str] = {}
    points: list[tuple[float, float]] = []
    scores: list[int] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise IngestError("file_unreadable", file=path.name, detail="TOP") from None
    for number, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts:
            continue
        if parts[0] in ("n", "m", "tmax") and len(parts) == 2 and len(header) < 3:
            header[parts[0]] = parts[1]
            continue
        try:
            x, y, score = float(parts[0]), float(parts[1]), float(parts[2])
        except (ValueError, IndexError):
            raise IngestError("top_bad_line", file=path.name, line=number) from None
        if len(parts) != 3 or score < 0 or score != int(score):
            raise IngestError("top_bad_line", file=path.name, line=number)
        points.append((x, y))
        scores.append(int(score))
    try:
        n, m, tmax = int(header["n"]), int(header["m"]), float(header["tmax"])
    except (KeyError, ValueError):
        raise IngestError("top_bad_header", file=path.name) from None
    if n != len(points) or n < 2 or m < 1 or tmax <= 0:
        raise IngestError("top_bad_header", file=path.name)
    return TopInstance(path.stem, tuple(points), tuple(scores), m, tmax)
