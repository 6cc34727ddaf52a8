"""A map that needs no internet: desa points coloured by coverage, drawn as SVG on the server.

Coordinates come from the imported desa data (``rekam sites import ... desa.csv``; the demo
writes one). Points are placed by an equirectangular projection scaled by cos(latitude),
which is exact enough across a province; each point links to the desa's page and names the
desa and its coverage in a tooltip; its area grows with the desa's wajib (``SIZES``, the
legend's dots). When the user has supplied desa boundaries (``rekam sites boundaries
FILE.geojson``), the desa are drawn as areas instead (``areas``), in the same projection; desa
without a boundary are then left out (the page says how many are drawn), and each kab/kota is
outlined (``outlines``: the edges of its desa that no other desa of it shares).

The colour bands (``BANDS``) are the same on the map and the bars of the region pages: they are
read against the target, so that 94 % and 99 % differ (issue 16).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rekam.analytics.coverage import CoverageRow
from rekam.sites.store import SiteStore

TARGET = 99.4
#: Coverage bands, worst first: (the most points below the target the band holds, its colour,
#: its legend label: a web.text key). The last, green, is "target met": ``target_gap == 0``
#: (issue 15), never a coverage read against 99,4 (198,790 of 200,000 is 99,395 %, shown as
#: 99,4 % but 10 short of the target).
BANDS: tuple[tuple[float, str, str], ...] = (
    (math.inf, "#c0392b", "band_far"),
    (5.0, "#e67e22", "band_near"),
    (1.0, "#f1c40f", "band_close"),
    (0.0, "#27ae60", "band_met"),
)
MET = BANDS[-1][1]
NO_DATA = "#95a5a6"
#: A dot's radius: the smallest, and what the biggest desa (most wajib) adds (by area).
R_MIN, R_ADD = 2.5, 6.5


def band(coverage: float | None, target_gap: int | None, target: float = TARGET) -> int:
    """The index in ``BANDS`` of a region (-1: no one to count): green only when its target is
    met (``target_gap == 0``); otherwise by how many points it lies below the target."""
    if coverage is None:
        return -1
    if target_gap == 0:
        return len(BANDS) - 1
    short = target - coverage
    return next(i for i in range(len(BANDS) - 2, -1, -1) if short <= BANDS[i][0])


def colour(coverage: float | None, target_gap: int, target: float = TARGET) -> str:
    """The band's colour of a region (``band``)."""
    index = band(coverage, target_gap, target)
    return NO_DATA if index < 0 else BANDS[index][1]


#: The map's layers: recording coverage (the default) and IKD activation (issue 19).
LAYERS = ("rekam", "ikd")


def figure(row: CoverageRow, layer: str = "rekam") -> tuple[float | None, int, float]:
    """What a layer colours a region by: (percent, gap to the target, the target in percent)."""
    if layer == "ikd":
        return row.ikd_pct, row.ikd_gap, row.ikd_target_hundredths / 100
    return row.coverage_pct, row.target_gap, row.target_hundredths / 100


def layer_colour(row: CoverageRow, layer: str = "rekam") -> str:
    pct, gap, target = figure(row, layer)
    return colour(pct, gap, target)


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    x: float
    y: float
    r: float
    colour: str
    coverage: float | None


def desa_coordinates(home: Path) -> dict[str, tuple[float, float]]:
    """desa code -> (lat, lon) from the current site data; empty when none was imported."""
    store = SiteStore(home)
    if store.current_version() is None:
        return {}
    desa = store.load(("desa",)).desa
    if not desa:
        return {}
    return {
        c: (lat, lon)
        for c, lat, lon in zip(desa["desa_code"], desa["lat"], desa["lon"], strict=True)
        if lat is not None and lon is not None
    }


def _fit(
    lons: list[float], lats: list[float], k: float, margin: float, width: int, height: int, centre: bool
) -> Callable[[float, float], tuple[float, float]]:
    """(lon, lat) -> (x, y) in a ``width`` x ``height`` box: equirectangular, x scaled by ``k``
    (cos of a latitude), fitted within ``margin``; ``centre`` centres the drawing in the box."""
    west, north = min(lons), max(lats)
    span_x = max((max(lons) - west) * k, 1e-6)
    span_y = max(north - min(lats), 1e-6)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    left = (width - span_x * scale) / 2 if centre else margin  # centred: whichever side is the tighter fit
    top = (height - span_y * scale) / 2 if centre else margin
    return lambda lon, lat: (left + (lon - west) * k * scale, top + (north - lat) * scale)


def points(
    rows: list[CoverageRow],
    coords: dict[str, tuple[float, float]],
    width: int = 900,
    height: int = 620,
    layer: str = "rekam",
) -> list[Point]:
    """The desa ``rows`` that have coordinates, placed in a ``width`` x ``height`` box."""
    placed = [(r, coords[r.region_code]) for r in rows if r.region_code in coords]
    if not placed:
        return []
    lats = [c[0] for _, c in placed]
    lons = [c[1] for _, c in placed]
    xy = _fit(lons, lats, math.cos(math.radians(sum(lats) / len(lats))), 14, width, height, centre=True)
    biggest = max(r.wajib for r, _ in placed) or 1
    out = []
    for r, (lat, lon) in placed:
        x, y = xy(lon, lat)
        out.append(
            Point(
                code=r.region_code,
                name=r.region_name or r.region_code,
                x=round(x, 1),
                y=round(y, 1),
                r=radius(r.wajib, biggest),
                colour=layer_colour(r, layer),
                coverage=figure(r, layer)[0],
            )
        )
    return out


def radius(wajib: int, biggest: int) -> float:
    """A dot's radius: its area grows with the desa's wajib (the biggest desa: R_MIN + R_ADD)."""
    return round(R_MIN + R_ADD * math.sqrt(wajib / (biggest or 1)), 1)


def sizes(rows: list[CoverageRow]) -> list[tuple[float, int]]:
    """The size legend: (radius, wajib) for the biggest desa drawn, a quarter and a sixteenth of it."""
    biggest = max((r.wajib for r in rows), default=0)
    if biggest <= 0:
        return []
    shown = sorted({biggest, max(1, round(biggest / 4)), max(1, round(biggest / 16))}, reverse=True)
    return [(radius(w, biggest), w) for w in shown]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str  # SVG path data
    colour: str
    coverage: float | None


Rings = dict[str, list[list[list[float]]]]


def _placed(rows: list[CoverageRow], rings: Rings) -> list[tuple[CoverageRow, list[list[list[float]]]]]:
    return [(r, rings[r.region_code]) for r in rows if r.region_code in rings]


def _area_fit(
    placed: list[tuple[CoverageRow, list[list[list[float]]]]], width: int, height: int
) -> Callable[[float, float], tuple[float, float]]:
    lons = [pt[0] for _, rs in placed for ring in rs for pt in ring]
    lats = [pt[1] for _, rs in placed for ring in rs for pt in ring]
    return _fit(lons, lats, math.cos(math.radians((min(lats) + max(lats)) / 2)), 10, width, height, centre=False)


def _line(points: list[tuple[float, float]], fit: Callable[[float, float], tuple[float, float]]) -> list[str]:
    """``points`` as "x y" in the box, repeated points dropped (a slow connection)."""
    out: list[str] = []
    for lon, lat in points:
        x, y = fit(lon, lat)
        xy = f"{x:.1f} {y:.1f}"
        if not out or out[-1] != xy:
            out.append(xy)
    return out


def areas(
    rows: list[CoverageRow], rings: Rings, width: int = 900, height: int = 620, layer: str = "rekam"
) -> list[Area]:
    """The desa ``rows`` that have boundaries, as SVG paths in a ``width`` x ``height`` box."""
    placed = _placed(rows, rings)
    if not placed:
        return []
    fit = _area_fit(placed, width, height)
    out = []
    for r, rs in placed:
        parts = []
        for ring in rs:
            points = _line([(pt[0], pt[1]) for pt in ring], fit)
            if len(points) >= 3:
                parts.append("M" + " L".join(points) + " Z")
        out.append(
            Area(
                r.region_code,
                r.region_name or r.region_code,
                " ".join(parts),
                layer_colour(r, layer),
                figure(r, layer)[0],
            )
        )
    return out


@dataclass(frozen=True)
class Outline:
    code: str  # the kab/kota
    name: str
    path: str  # SVG path data: open lines along the kab/kota's border


Vertex = tuple[float, float]


def outlines(
    rows: list[CoverageRow], rings: Rings, names: dict[str, str], width: int = 900, height: int = 620
) -> list[Outline]:
    """The border of each kab/kota of the desa ``rows`` that have boundaries, in the box of
    ``areas``: the edges of its desa's rings that no other desa of the same kab/kota shares
    (neighbouring desa share their edges point for point, as boundaries from one source do;
    coordinates are kept to 5 decimals). ``names``: kab/kota code -> name (the tooltip)."""
    placed = _placed(rows, rings)
    if not placed:
        return []
    fit = _area_fit(placed, width, height)
    edges: dict[str, Counter[tuple[Vertex, Vertex]]] = defaultdict(Counter)
    for r, rs in placed:
        kab = ".".join(r.region_code.split(".")[:2])
        for ring in rs:
            pts = [(pt[0], pt[1]) for pt in ring]
            if pts and pts[0] != pts[-1]:
                pts.append(pts[0])
            for a, b in zip(pts, pts[1:], strict=False):
                if a != b:
                    edges[kab][(a, b) if a < b else (b, a)] += 1
    out = []
    for kab in sorted(edges):
        border = [e for e, n in edges[kab].items() if n == 1]
        parts = [" L".join(_line(chain, fit)) for chain in _chains(border)]
        out.append(Outline(kab, names.get(kab, kab), " ".join("M" + p for p in parts if " L" in p)))
    return out


def _chains(edges: list[tuple[Vertex, Vertex]]) -> list[list[Vertex]]:
    """The ``edges`` joined end to end into as few lines as a greedy walk finds."""
    around: dict[Vertex, list[Vertex]] = defaultdict(list)
    for a, b in edges:
        around[a].append(b)
        around[b].append(a)
    used: set[tuple[Vertex, Vertex]] = set()
    chains = []
    for a, b in edges:
        if (a, b) in used:
            continue
        used.add((a, b))
        chain = [a, b]
        while True:
            here = chain[-1]
            step = next((n for n in around[here] if ((here, n) if here < n else (n, here)) not in used), None)
            if step is None:
                break
            used.add((here, step) if here < step else (step, here))
            chain.append(step)
        chains.append(chain)
    return chains


# --- a team's route (issue 17) ---------------------------------------------------------------


@dataclass(frozen=True)
class RouteMark:
    """A place on a team's route map: a stop (``label`` its number) or the depot (``label`` "D")."""

    label: str
    name: str
    x: float
    y: float
    depot: bool


def route(
    places: list[tuple[str, str, float | None, float | None, bool]], width: int = 600, height: int = 420
) -> list[RouteMark]:
    """A team's day drawn in a ``width`` x ``height`` box, in the dashboard's projection
    (``_fit``): ``places`` are (label, name, lat, lon, is_depot) in the order driven, the depot
    first and last when known. Places without coordinates are left out (the route joins the
    rest); nothing when fewer than two places have them."""
    known = [
        (label, name, lat, lon, depot) for label, name, lat, lon, depot in places if lat is not None and lon is not None
    ]
    if len(known) < 2:
        return []
    lats = [lat for _, _, lat, _, _ in known]
    lons = [lon for _, _, _, lon, _ in known]
    xy = _fit(lons, lats, math.cos(math.radians(sum(lats) / len(lats))), 28, width, height, centre=True)
    out = []
    for label, name, lat, lon, depot in known:
        x, y = xy(lon, lat)
        out.append(RouteMark(label, name, round(x, 1), round(y, 1), depot))
    return out


def route_path(marks: list[RouteMark]) -> str:
    """The line joining the ``marks`` in order (SVG path data)."""
    return "M" + " L".join(f"{m.x:.1f} {m.y:.1f}" for m in marks) if len(marks) > 1 else ""
