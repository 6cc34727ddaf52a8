"""The latest saved plan as a team reads it: a calendar (per team, per day, the stops by name)
and each team's day (the stops in order, their times and head-counts, a route map).

Plans are what ``rekam plan solve SCENARIO --out REKAM_HOME/plans/NAME.json`` writes; the
newest file there is "the latest plan". A file that is not a rekam plan is skipped, and so is a
plan the viewer may not see: a plan names its region (the scenario's ``region``, kept as the
plan's ``region``), and a user sees the newest plan whose region lies in their scope; a plan
naming no region (made before plans named one, or from a scenario without one) is for
admin-pusat only.

A plan names its places (``sites``, ``depots``: written by ``Plan.as_json`` since issue 17); a
plan written before shows its site and depot ids instead, and no map. Head-counts are the plan's
expected recordings (expected values: turnout is a fraction), shown rounded to whole people;
a plan with the IKD cohort shows its expected activations apart (those people are recorded);
the model keeps them exact, so a day's and the plan's sums are the plan's own.

Where the teams logged field outcomes (issue 20), each stop, day and the plan carry the result
beside the expected (``with_result``: ``planner.result.against``): people found and recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import pass_context
from jinja2.runtime import Context

from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.numbers import LOCALES
from rekam.planner.plan import PLAN_FORMAT, parse_hhmm
from rekam.planner.result import Against, Figures, stop_id
from rekam.planner.scenario import COHORTS, IKD_COHORT
from rekam.register import gazetteer
from rekam.web import mapsvg


@dataclass(frozen=True)
class Stop:
    """One visit of a team's day, as the team reads it."""

    order: int
    site: str  # the site's id
    name: str  # its name (the id when the plan names no sites)
    kind: str | None  # scenario.SITE_KINDS; None: the plan does not say
    desa_code: str | None  # dotted (the by-name list's address); None: not a desa code
    desa_name: str | None
    arrive: str | None  # HH:MM
    start: str | None
    leave: str | None
    travel: int | None  # minutes on the road from the previous place
    people: dict[str, float]  # expected people per cohort (the IKD cohort: activations)
    lat: float | None
    lon: float | None
    result: Figures | None = None  # what the team's field outcomes say (issue 20); None: none logged

    @property
    def total(self) -> float:
        """Expected recordings: every cohort but the IKD one, whose people are already recorded."""
        return sum(n for c, n in self.people.items() if c != IKD_COHORT)

    @property
    def activations(self) -> float:
        """Expected IKD activations (the IKD cohort, when the plan has it)."""
        return self.people.get(IKD_COHORT, 0.0)

    @property
    def wait(self) -> int | None:
        """Minutes waiting for the site to open (arrival to start)."""
        if self.arrive is None or self.start is None:
            return None
        return parse_hhmm(self.start) - parse_hhmm(self.arrive)


@dataclass(frozen=True)
class Place:
    """A depot a day starts or ends at."""

    id: str
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Day:
    """One team's day: leave the depot, the stops in order, come back."""

    team: str
    date: dt.date
    depart: str | None
    back: str | None
    start_depot: Place | None
    end_depot: Place | None
    stops: tuple[Stop, ...]
    travel_back: int | None  # minutes from the last stop to the end depot
    result: Figures | None = None  # the day's field outcomes summed (issue 20); None: none logged

    @property
    def total(self) -> float:
        """Expected recordings of the day."""
        return sum(s.total for s in self.stops)

    @property
    def activations(self) -> float:
        """Expected IKD activations of the day."""
        return sum(s.activations for s in self.stops)

    def people(self) -> dict[str, float]:
        """Expected recordings per recording cohort, the scenario's cohorts first (the IKD
        cohort's activations are ``activations``)."""
        out: dict[str, float] = {}
        for s in self.stops:
            for c, n in s.people.items():
                if c != IKD_COHORT:
                    out[c] = out.get(c, 0.0) + n
        return {c: out[c] for c in cohort_order(out)}


@dataclass
class Calendar:
    name: str  # the file's name (kept for the record; the pages do not show it)
    dates: list[dt.date]
    teams: list[str]
    cells: dict[tuple[str, dt.date], Day] = field(default_factory=dict)
    score: float | None = None  # weighted recordings
    region: str | None = None  # dotted
    bound: float | None = None
    gap_pct: float | None = None
    weights: dict[str, float] = field(default_factory=dict)
    named: bool = False  # the plan names its sites
    data: dict[str, Any] = field(default_factory=dict, repr=False)  # the plan's JSON as read
    result: Figures | None = None  # the whole plan's field outcomes (issue 20); None: none logged

    @property
    def people(self) -> float:
        """Expected recordings (people) of the whole plan."""
        return sum(d.total for d in self.cells.values())

    @property
    def activations(self) -> float:
        """Expected IKD activations of the whole plan (0 without the IKD cohort)."""
        return sum(d.activations for d in self.cells.values())

    @property
    def region_name(self) -> str | None:
        return (gazetteer.name_of(self.region) or self.region) if self.region else None

    @property
    def reach_pct(self) -> float | None:
        """The plan's score as a percentage of the bound (None: no bound)."""
        if self.bound is None or self.bound <= 0 or self.score is None:
            return None
        return min(100.0, 100.0 * self.score / self.bound)

    @property
    def replan_of(self) -> tuple[str, dt.date] | None:
        """What this plan re-plans (the button, ``Rekam.replan``): the plan's name and the first
        day re-planned; None for a plan made otherwise."""
        made = self.data.get("replan")
        if not isinstance(made, dict) or not isinstance(made.get("of"), str):
            return None
        try:
            return made["of"], dt.date.fromisoformat(str(made.get("from")))
        except ValueError:
            return None

    def day(self, team: str, date: dt.date) -> Day | None:
        return self.cells.get((team, date))

    def next_date(self, today: dt.date) -> dt.date | None:
        """The first date of the plan after ``today`` (tomorrow's work, or the next day worked)."""
        return next((d for d in self.dates if d > today), None)


def today() -> dt.date:
    """Today, for the plan pages (the re-plan starts tomorrow); tests set it."""
    return dt.date.today()


def latest_plan(home: Path, may_see: Callable[[str | None], bool]) -> Calendar | None:
    """The newest plan in ``home/plans`` whose region (None: the plan names none) ``may_see`` allows."""
    folder = home / "plans"
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
            continue
        region = data.get("region")
        if may_see(region if isinstance(region, str) and region else None):
            try:
                return calendar(path.name, data)
            except (KeyError, TypeError, ValueError, AttributeError):  # a damaged file: as if absent
                continue
    return None


def calendar(name: str, data: dict[str, Any]) -> Calendar:
    """The calendar of a plan read from its JSON (``Plan.as_json``)."""
    routes = [r for r in data.get("routes") or [] if r.get("stops")]
    sites: dict[str, Any] = data["sites"] if isinstance(data.get("sites"), dict) else {}
    depots: dict[str, Any] = data["depots"] if isinstance(data.get("depots"), dict) else {}
    region = data.get("region") if isinstance(data.get("region"), str) and data.get("region") else None
    cal = Calendar(
        name,
        sorted({dt.date.fromisoformat(r["date"]) for r in routes}),
        sorted({r["team"] for r in routes}),
        score=_number(data.get("score")),
        bound=_number(data.get("bound")),
        gap_pct=_number(data.get("gap_pct")),
        region=_dotted(region) or region,
        weights={str(c): float(w) for c, w in (data.get("weights") or {}).items()},
        named=bool(sites),
        data=data,
    )
    for r in routes:
        date = dt.date.fromisoformat(r["date"])
        cal.cells[(r["team"], date)] = _day(r, date, sites, depots)
    return cal


def with_result(cal: Calendar, result: Against | None) -> Calendar:
    """The calendar with each stop's and day's field outcomes beside the expected (issue 20):
    ``result`` is ``planner.result.against`` of the calendar's plan; None leaves it as it is."""
    if result is None:
        return cal
    for key, d in list(cal.cells.items()):
        stops = tuple(replace(s, result=result.stop(stop_id(d.date, d.team, s.order))) for s in d.stops)
        cal.cells[key] = replace(d, stops=stops, result=result.team_days.get((d.team, d.date)))
    cal.result = result.total
    return cal


def _day(route: dict[str, Any], date: dt.date, sites: dict[str, Any], depots: dict[str, Any]) -> Day:
    clock = _minutes(route.get("depart"))
    stops = []
    for order, s in enumerate(route["stops"], start=1):
        info = sites.get(s["site"]) or {}
        desa = _dotted(info.get("desa_code"))
        arrive = _minutes(s.get("arrive"))
        stops.append(
            Stop(
                order=order,
                site=s["site"],
                name=str(info.get("name") or s["site"]),
                kind=info.get("kind"),
                desa_code=desa if desa and desa.count(".") == 3 else None,
                desa_name=gazetteer.name_of(desa) if desa else None,
                arrive=s.get("arrive"),
                start=s.get("start"),
                leave=s.get("leave"),
                travel=None if arrive is None or clock is None else arrive - clock,
                people={c: float(s["people"][c]) for c in cohort_order(s.get("people") or {})},
                lat=_number(info.get("lat")),
                lon=_number(info.get("lon")),
            )
        )
        clock = _minutes(s.get("leave"))
    back = _minutes(route.get("back"))
    return Day(
        team=route["team"],
        date=date,
        depart=route.get("depart"),
        back=route.get("back"),
        start_depot=_place(route.get("start_depot"), depots),
        end_depot=_place(route.get("end_depot"), depots),
        stops=tuple(stops),
        travel_back=None if back is None or clock is None else back - clock,
    )


def _place(depot: str | None, depots: dict[str, Any]) -> Place | None:
    if not depot:
        return None
    info = depots.get(depot) or {}
    return Place(depot, str(info.get("name") or depot), _number(info.get("lat")), _number(info.get("lon")))


def cohort_order(cohorts: dict[str, Any]) -> list[str]:
    """The cohorts present, the scenario's own first (pemula, rentan, lainnya), then the rest."""
    return [c for c in COHORTS if c in cohorts] + sorted(set(cohorts) - set(COHORTS))


def _minutes(value: Any) -> int | None:
    return parse_hhmm(value) if isinstance(value, str) and ":" in value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _dotted(code: Any) -> str | None:
    if not isinstance(code, str) or not code:
        return None
    try:
        return parse_region(code).dotted
    except InvalidRegionCode:  # a hand-written scenario may hold any text here
        return None


def long_day(value: dt.date, lang: str = "id") -> str:
    """ "Kamis, 14 Nov 2024" (id) or "Thursday, 14 Nov 2024" (en): a team's day, with its weekday."""
    return format_date(value, format="EEEE, d MMM y", locale=LOCALES.get(lang, LOCALES["id"]))


@pass_context
def long_day_filter(context: Context, value: dt.date) -> str:
    """A template filter: ``long_day`` in the page's language."""
    return long_day(value, context.get("lang", "id"))


def route_marks(day: Day) -> list[mapsvg.RouteMark]:
    """The day's route on a map (``mapsvg.route``): the depot ("D"), the stops by number, back."""
    places: list[tuple[str, str, float | None, float | None, bool]] = []
    if day.start_depot is not None:
        places.append(("D", day.start_depot.name, day.start_depot.lat, day.start_depot.lon, True))
    places += [(str(s.order), s.name, s.lat, s.lon, False) for s in day.stops]
    if day.end_depot is not None:
        places.append(("D", day.end_depot.name, day.end_depot.lat, day.end_depot.lon, True))
    return mapsvg.route(places)
