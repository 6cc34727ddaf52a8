"""What a page or the API shows of a region, computed once and used by both (issue #7).

``region_view`` is the overview and drill-down: the region's own figures, its children, the
trend over snapshots and, for a province, the ranking of its kab/kota. The numbers are the
``CoverageRow`` values of ``Rekam.coverage_levels`` (``rekam coverage``'s function), so a page,
the API and the CLI agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from rekam.analytics.coverage import LEVELS, CoverageRow, percent
from rekam.analytics.rank import RankRow, explain
from rekam.errors import UnknownRegion
from rekam.register import gazetteer
from rekam.register.store import Snapshot

if TYPE_CHECKING:
    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.register.store import Store
    from rekam.web.figures import FigureCache


class ViewState(Protocol):
    """What the views read of the web app's state (``web.context.WebState`` has it)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> Store: ...

    @property
    def figures(self) -> FigureCache: ...

    @property
    def rekam(self) -> Rekam: ...


@dataclass
class RegionView:
    code: str | None
    name: str
    level: str  # the region's own level ("nasional" for the country)
    child_level: str | None
    snapshot: Snapshot
    as_of: date
    election_date: date | None
    row: CoverageRow | None
    total: dict[str, Any]
    children: list[CoverageRow]
    trend: list[tuple[Snapshot, CoverageRow | None]]
    ranking: list[RankRow]
    breadcrumbs: list[tuple[str | None, str]]
    live: bool = False
    desk_services: int = 0  # the desk's services counted in the figures (``Figures.desk``)

    def as_json(self, lang: str = "id") -> dict[str, Any]:
        """The page as data; with a ranking, its formula, weights (with their reasons), tie margin
        and the adjusted view's formula in ``lang``."""
        return {
            "region_code": self.code,
            "region_name": self.name,
            "level": self.level,
            "snapshot": self.snapshot.id,
            "as_of": self.as_of.isoformat(),
            "election_date": self.election_date.isoformat() if self.election_date else None,
            "live": self.live,
            "desk_services": self.desk_services,
            "figures": self.total,
            "children": [c.as_json() for c in self.children],
            "trend": [
                {
                    "snapshot": s.id,
                    "export_date": s.export_date.isoformat(),
                    "coverage_pct": r.coverage_pct if r else None,
                    "wajib": r.wajib if r else None,
                }
                for s, r in self.trend
            ],
            "ranking": [r.as_json() for r in self.ranking],
            "ranking_explained": explain(lang) if self.ranking else None,
        }


def _sum(rows: list[CoverageRow]) -> dict[str, Any]:
    """The country's figures: the sum of its provinces (no CoverageRow of its own)."""
    wajib = sum(r.wajib for r in rows)
    sudah = sum(r.sudah_rekam for r in rows)
    return {
        "wajib": wajib,
        "sudah_rekam": sudah,
        "belum_rekam": wajib - sudah,
        "coverage_pct": percent(sudah, wajib),
        "target_gap": sum(r.target_gap for r in rows),
    }


def region_view(
    st: ViewState, code: str | None, as_of: date | None, election_date: date | None, live: bool = True
) -> RegionView:
    """``live``: with the desk's services since the snapshot, as of the latest service day unless
    ``as_of`` is given (``FigureCache.get``); False: the snapshot alone, as of its export date."""
    snap = st.store.require_current()
    figures = st.figures.get(snap, as_of, election_date, live=live)
    as_of = figures.as_of
    row = figures.row(code)
    if code is not None and row is None:
        raise UnknownRegion("unknown_region", code=code)
    depth = 0 if code is None else len(code.split("."))
    level = "nasional" if code is None else LEVELS[depth - 1]
    children = figures.children(code)
    total = row.as_json() if row else _sum(children)
    if total.get("pemula"):
        total["pemula_pct"] = percent(total["pemula"] - total["pemula_belum_rekam"], total["pemula"])
    ranking: list[RankRow] = []
    if level == "prov" and election_date is not None:
        counted = figures.desk_services > 0  # the ranking follows the figures shown (``FigureCache.fresh``)
        ranking = st.figures.ranking(
            ("rank", snap.id, as_of, election_date, counted, code),
            figures.desk.stamp if counted else (0, 0),
            lambda: st.rekam.rank(as_of=as_of, election_date=election_date, region=code, live=counted),
        )
    crumbs: list[tuple[str | None, str]] = [(None, "Indonesia")]
    if code:
        parts = code.split(".")
        for i in range(1, len(parts) + 1):
            c = ".".join(parts[:i])
            crumbs.append((c, gazetteer.name_of(c) or c))
    return RegionView(
        code=code,
        name=(row.region_name if row else None) or (code or "Indonesia"),
        level=level,
        child_level=LEVELS[depth] if depth < len(LEVELS) else None,
        snapshot=snap,
        as_of=as_of,
        election_date=election_date,
        row=row,
        total=total,
        children=children,
        trend=st.figures.trend(code, st.store.all()),
        ranking=ranking,
        breadcrumbs=crumbs,
        live=figures.live,
        desk_services=figures.desk_services,
    )


def ranking_explained(lang: str) -> dict[str, Any]:
    """The ranking's formula, weights, tie margin and adjusted view's formula, for the page."""
    return explain(lang)


def trend_svg(st: ViewState, view: RegionView, target: float, lang: str) -> str:
    """The region's trend over the snapshots as the chart of ``reports/charts.py`` (the rakor
    report's own), the election day as the deadline; drawn once per trend and language. The
    page computes no period, so the chart shows no projection (the report does)."""
    from rekam.reports import charts

    points = [charts.Point(s.export_date, r.coverage_pct if r else None) for s, r in view.trend]
    if not any(p.coverage_pct is not None for p in points):
        return ""
    key = ("trend_svg", view.code, tuple(points), view.election_date, target, lang)
    return st.figures.memo(
        key, lambda: charts.trend_chart(points, target, view.election_date, None, lang, projection=False)
    )
