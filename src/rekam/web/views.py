"""What a page or the API shows of a region, computed once and used by both (issue #7).

``region_view`` is the overview and drill-down: the region's own figures, its children, the
trend over snapshots and, for a province, the ranking of its kab/kota. The numbers are the
``CoverageRow`` values of ``Rekam.coverage_levels`` (``rekam coverage``'s function), so a page,
the API and the CLI agree. Beside each child: what it needs per working day to reach the target by
the election day and its projected date (``Rekam.progress``, ``rekam progress``'s function, one
call for all the children of a page, memoised per snapshot); a kab/kota shows its own rank among
its province's (the province page's ranking, the same memo).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from rekam.analytics.coverage import LEVELS, CoverageRow, percent
from rekam.analytics.progress import ProgressRow
from rekam.analytics.rank import RankRow, explain
from rekam.errors import UnknownRegion
from rekam.register import gazetteer
from rekam.register.store import Snapshot

if TYPE_CHECKING:
    from rekam.analytics.coverage import Level
    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.register.store import Store
    from rekam.web.figures import FigureCache, Figures


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
    #: child code -> its progress over the period (``Rekam.progress``, deadline = election day)
    progress: dict[str, ProgressRow] = field(default_factory=dict)
    #: a kab/kota's own row in its province's ranking, and how many kab/kota it is ranked among
    own_rank: RankRow | None = None
    ranked_among: int = 0
    #: the region's own progress (its row in its parent's children progress): the trend's projection
    own_progress: ProgressRow | None = None
    live: bool = False
    desk_services: int = 0  # the desk's services counted in the figures (``Figures.desk``)
    #: the ranking's IKD weight (``Rekam.rank_ikd_weight``: the settings' one unless the request chose)
    ikd_weight: Decimal = Decimal(0)

    @property
    def bar_axis(self) -> float:
        """Where the children table's bars start (``bar_axis``)."""
        return bar_axis([c.coverage_pct for c in self.children])

    @property
    def trend_axis(self) -> float:
        """Where the trend table's bars start (``bar_axis``)."""
        return bar_axis([r.coverage_pct if r else None for _, r in self.trend])

    def ikd_groups(self) -> list[tuple[str, str, int, int, int, float | None]]:
        """IKD by sex, then by age band: (kind "sex"|"age", group, wajib, sudah_rekam, ikd_aktif,
        ikd % of the region's basis); empty when the figures carry no groups."""
        basis = self.total.get("ikd_basis", "wajib")
        out: list[tuple[str, str, int, int, int, float | None]] = []
        for kind, key in (("sex", "by_sex"), ("age", "by_age_band")):
            for group, cells in (self.total.get(key) or {}).items():
                wajib, sudah, ikd = cells.get("wajib", 0), cells.get("sudah_rekam", 0), cells.get("ikd_aktif", 0)
                out.append((kind, group, wajib, sudah, ikd, percent(ikd, wajib if basis == "wajib" else sudah)))
        return out

    def projection_words(self, code: str, lang: str) -> str:
        """A child's projected date, or why there is none, in words (``rekam progress``'s and the
        rakor report's wording: ``reports.rakor.progress_words``); empty without progress."""
        from rekam.reports.rakor import progress_words

        row = self.progress.get(code)
        return (progress_words(lang, row.as_json()) or "") if row else ""

    def own_projection_words(self, lang: str) -> str:
        """The region's own projected date, or why there is none, in words (as its children's)."""
        from rekam.reports.rakor import progress_words

        own = self.own_progress
        return (progress_words(lang, own.as_json()) or "") if own else ""

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
            "children_progress": {code: p.as_json() for code, p in self.progress.items()},
            "own_rank": (
                {"rank": self.own_rank.rank, "of": self.ranked_among, "score": self.own_rank.score}
                if self.own_rank
                else None
            ),
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
            "ranking_explained": explain(lang, self.ikd_weight) if self.ranking else None,
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
    st: ViewState,
    code: str | None,
    as_of: date | None,
    election_date: date | None,
    live: bool = True,
    ikd_weight: object = None,
) -> RegionView:
    """``live``: with the desk's services since the snapshot, as of the latest service day unless
    ``as_of`` is given (``FigureCache.get``); False: the snapshot alone, as of its export date.
    ``ikd_weight``: the ranking's IKD weight (None: the settings' ``rank_ikd_weight``)."""
    weight = st.rekam.rank_ikd_weight(ikd_weight)  # a bad weight refused before any work
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
    if level == "prov" and election_date is not None and code is not None:
        ranking = _ranking(st, snap, figures, election_date, code, weight)
    own_rank, among = None, 0
    if level == "kab" and election_date is not None and code is not None:
        province = _ranking(st, snap, figures, election_date, code.split(".")[0], weight)
        own_rank = next((r for r in province if r.region_code == code), None)
        among = len(province)
    child_level = LEVELS[depth] if depth < len(LEVELS) else None
    progress: dict[str, ProgressRow] = {}
    if children and child_level is not None:
        progress = {p.now.region_code: p for p in _progress(st, snap, figures, election_date, code, child_level)}
    own_progress = None
    if code is not None:  # the row of the parent's page (shared with it): the trend's projection
        parent = ".".join(code.split(".")[:-1]) or None
        siblings = _progress(st, snap, figures, election_date, parent, LEVELS[depth - 1])
        own_progress = next((p for p in siblings if p.now.region_code == code), None)
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
        child_level=child_level,
        snapshot=snap,
        as_of=as_of,
        election_date=election_date,
        row=row,
        total=total,
        children=children,
        trend=st.figures.trend(code, st.store.all()),
        ranking=ranking,
        breadcrumbs=crumbs,
        progress=progress,
        own_rank=own_rank,
        ranked_among=among,
        own_progress=own_progress,
        live=figures.live,
        desk_services=figures.desk_services,
        ikd_weight=weight,
    )


def _ranking(
    st: ViewState, snap: Snapshot, figures: Figures, election_date: date, province: str, ikd_weight: Decimal
) -> list[RankRow]:
    """The province's kab/kota ranked (``Rekam.rank``), following the figures shown (live with
    the desk's services when they count some, ``FigureCache.fresh``): computed once per snapshot,
    date, election day, desk state and IKD weight, for the province page and each of its kab/kota's pages."""
    counted = figures.desk_services > 0
    as_of = figures.as_of
    return st.figures.ranking(
        ("rank", snap.id, as_of, election_date, counted, province) + ((str(ikd_weight),) if ikd_weight else ()),
        figures.desk.stamp if counted else (0, 0),
        lambda: st.rekam.rank(
            as_of=as_of, election_date=election_date, region=province, live=counted, ikd_weight=ikd_weight
        ),
    )


def _progress(
    st: ViewState, snap: Snapshot, figures: Figures, election_date: date | None, code: str | None, level: Level
) -> list[ProgressRow]:
    """Every child of ``code`` over the evaluation period (``Rekam.progress``: the semester
    holding the as-of, the deadline the election day), following the figures shown as the
    ranking does: one call for the page, once per snapshot, date and desk state."""
    counted = figures.desk_services > 0
    as_of = figures.as_of
    return st.figures.ranking(
        ("progress", snap.id, as_of, election_date, counted, code, level),
        figures.desk.stamp if counted else (0, 0),
        lambda: st.rekam.progress(as_of=as_of, deadline=election_date, level=level, region=code, live=counted),
    )


def bar_axis(values: list[float | None]) -> float:
    """Where the bars of a table start (%): the lowest shown value rounded down to a multiple of
    5, never above 95 (so 94 % and 99 % look apart, and the target line stays on the bar)."""
    shown = [v for v in values if v is not None]
    if not shown:
        return 0.0
    return float(min(95, max(0, 5 * math.floor((min(shown) - 0.5) / 5))))


def ranking_explained(lang: str, ikd_weight: Decimal = Decimal(0)) -> dict[str, Any]:
    """The ranking's formula, weights (at ``ikd_weight``), tie margin and adjusted view's formula, for the page."""
    return explain(lang, ikd_weight)


def trend_svg(st: ViewState, view: RegionView, target: float, lang: str) -> str:
    """The region's trend over the snapshots as the chart of ``reports/charts.py`` (the rakor
    report's own): the target, the election day as the deadline and, from the region's own
    progress over the period (``rekam progress``), the projection or a note on why there is
    none; drawn once per trend, projection and language, and kept on disk (``FigureCache.memo``)."""
    from rekam.reports import charts

    points = [charts.Point(s.export_date, r.coverage_pct if r else None) for s, r in view.trend]
    if not any(p.coverage_pct is not None for p in points):
        return ""
    own = view.own_progress
    projected = own.projected_date if own else None
    key = ("trend_svg", view.code, tuple(points), view.election_date, target, projected, own is not None, lang)
    return st.figures.memo(
        key,
        lambda: charts.trend_chart(points, target, view.election_date, projected, lang, projection=own is not None),
        keep=True,  # drawn once per snapshot: a restart reads it back, without matplotlib (issue 21)
    )
