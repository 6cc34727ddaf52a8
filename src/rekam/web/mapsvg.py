"""A map that needs no internet: desa points coloured by coverage, drawn as SVG on the server.

Coordinates come from the imported desa data (``rekam sites import ... desa.csv``; the demo
writes one). Points are placed by an equirectangular projection scaled by cos(latitude),
which is exact enough across a province; each point links to the desa's page and names the
desa and its coverage in a tooltip. When the user has supplied desa boundaries (``rekam sites
boundaries FILE.geojson``), the desa are drawn as areas instead (``areas``), in the same
projection; desa without a boundary are then left out (the page says how many are drawn).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rekam.analytics.coverage import CoverageRow
from rekam.sites.store import SiteStore

#: Coverage bands (upper bound exclusive, %), their colours and legend labels (a label or a
#: web.text key), worst first. The last band,
#: green, is "target met": ``target_gap == 0`` (issue 15), never a coverage read against 99,4
#: (198,790 of 200,000 is 99,395 %, shown as 99,4 % but 10 short of the target).
BANDS: tuple[tuple[float, str, str], ...] = (
    (90.0, "#c0392b", "< 90 %"),
    (95.0, "#e67e22", "90–95 %"),
    (math.inf, "#f1c40f", "band_short"),
    (math.inf, "#27ae60", "band_met"),
)
MET = BANDS[-1][1]
NO_DATA = "#95a5a6"


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    x: float
    y: float
    r: float
    colour: str
    coverage: float | None


def colour(coverage: float | None, target_gap: int) -> str:
    """The band of a region: green only when its target is met (``target_gap == 0``)."""
    if coverage is None:
        return NO_DATA
    if target_gap == 0:
        return MET
    return next(c for upper, c, _ in BANDS if coverage < upper)


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
    rows: list[CoverageRow], coords: dict[str, tuple[float, float]], width: int = 900, height: int = 620
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
                r=round(2.5 + 6.5 * math.sqrt(r.wajib / biggest), 1),
                colour=colour(r.coverage_pct, r.target_gap),
                coverage=r.coverage_pct,
            )
        )
    return out


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str  # SVG path data
    colour: str
    coverage: float | None


def areas(
    rows: list[CoverageRow], rings: dict[str, list[list[list[float]]]], width: int = 900, height: int = 620
) -> list[Area]:
    """The desa ``rows`` that have boundaries, as SVG paths in a ``width`` x ``height`` box."""
    placed = [(r, rings[r.region_code]) for r in rows if r.region_code in rings]
    if not placed:
        return []
    lons = [pt[0] for _, rs in placed for ring in rs for pt in ring]
    lats = [pt[1] for _, rs in placed for ring in rs for pt in ring]
    fit = _fit(lons, lats, math.cos(math.radians((min(lats) + max(lats)) / 2)), 10, width, height, centre=False)
    out = []
    for r, rs in placed:
        parts = []
        for ring in rs:
            points: list[str] = []
            for lon, lat in ring:
                x, y = fit(lon, lat)
                xy = f"{x:.1f} {y:.1f}"
                if not points or points[-1] != xy:  # a slow connection: no repeated points
                    points.append(xy)
            if len(points) >= 3:
                parts.append("M" + " L".join(points) + " Z")
        out.append(
            Area(
                r.region_code,
                r.region_name or r.region_code,
                " ".join(parts),
                colour(r.coverage_pct, r.target_gap),
                r.coverage_pct,
            )
        )
    return out
