"""A jemput-bola plan: per team per day, the ordered visits with their times and yield.

Times are whole minutes from midnight: travel and service are rounded *up* to the minute, so
a plan that fits in whole minutes fits in real time. ``schedule`` is the one place that turns
an ordered list of sites into times (earliest start: leave the depot at the start of the day,
wait at a site until it opens); the solver, the greedy baselines and the repair all use it,
and the checker recomputes from it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from rekam.planner.scenario import Scenario, Team, Visit

PLAN_FORMAT = "rekam-plan"


@dataclass(frozen=True)
class Stop:
    site: str
    visit: int  # k: the k-th visit to this site in the whole plan, in time order
    arrive: int
    start: int
    leave: int
    people: dict[str, float]
    value: float


@dataclass(frozen=True)
class Route:
    team: str
    date: dt.date
    start_depot: str
    end_depot: str
    depart: int
    back: int
    stops: tuple[Stop, ...]

    @property
    def people(self) -> float:
        return sum(sum(s.people.values()) for s in self.stops)

    @property
    def value(self) -> float:
        return sum(s.value for s in self.stops)


@dataclass
class Plan:
    scenario: str
    routes: list[Route]
    bound: float | None = None
    bound_method: str | None = None
    seconds: float = 0.0
    iterations: int = 0
    method: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: What a team needs to find its stops: the places the routes visit and leave from
    #: (``places``); empty for a plan made without a scenario at hand (old files: ids only).
    sites: dict[str, dict[str, Any]] = field(default_factory=dict)
    depots: dict[str, dict[str, Any]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(r.value for r in self.routes)

    @property
    def gap_pct(self) -> float | None:
        if self.bound is None or self.bound <= 0:
            return None
        return round(100.0 * (self.bound - self.score) / self.bound, 3)

    def totals(self) -> dict[str, Any]:
        cohorts: dict[str, float] = {}
        for route in self.routes:
            for stop in route.stops:
                for c, n in stop.people.items():
                    cohorts[c] = cohorts.get(c, 0.0) + n
        return {
            "visits": sum(len(r.stops) for r in self.routes),
            "sites": len({s.site for r in self.routes for s in r.stops}),
            "team_days": len([r for r in self.routes if r.stops]),
            "people": round(sum(cohorts.values()), 2),
            "people_by_cohort": {c: round(n, 2) for c, n in sorted(cohorts.items())},
            "weighted": round(self.score, 3),
        }

    def summary_json(self) -> dict[str, Any]:
        """What ``--json`` prints: score, bound, gap and the routes as site ids."""
        return {
            "scenario": self.scenario,
            "score": round(self.score, 3),
            "bound": None if self.bound is None else round(self.bound, 3),
            "gap_pct": self.gap_pct,
            "routes": [
                {"team": r.team, "date": r.date.isoformat(), "stops": [s.site for s in r.stops]}
                for r in self.routes
                if r.stops
            ],
            "totals": self.totals(),
            "seconds": round(self.seconds, 3),
            "iterations": self.iterations,
            **self.extra,
        }

    def as_json(self) -> dict[str, Any]:
        """The full plan (``--out PLAN.json``): every visit with its times and yield; ``sites``,
        ``depots`` and ``weights`` (when known) name the places and say what the score counts.
        Still version 1: the three keys are optional, and a reader ignores what it does not know."""
        named = {"sites": self.sites, "depots": self.depots, "weights": self.weights}
        return {
            "format": PLAN_FORMAT,
            "version": 1,
            **{k: v for k, v in self.summary_json().items() if k != "routes"},
            "bound_method": self.bound_method,
            "method": self.method,
            **{k: v for k, v in named.items() if v},
            "routes": [
                {
                    "team": r.team,
                    "date": r.date.isoformat(),
                    "start_depot": r.start_depot,
                    "end_depot": r.end_depot,
                    "depart": hhmm(r.depart),
                    "back": hhmm(r.back),
                    "stops": [
                        {
                            "site": s.site,
                            "visit": s.visit,
                            "arrive": hhmm(s.arrive),
                            "start": hhmm(s.start),
                            "leave": hhmm(s.leave),
                            "people": {c: round(n, 3) for c, n in s.people.items()},
                            "value": round(s.value, 3),
                        }
                        for s in r.stops
                    ],
                }
                for r in self.routes
                if r.stops
            ],
        }


def places(scenario: Scenario, routes: list[Route]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The sites the ``routes`` visit (id -> name, kind, desa_code, lat, lon) and the depots they
    leave from and come back to (id -> name, lat, lon), for ``Plan.sites`` and ``Plan.depots``."""
    site_ids = dict.fromkeys(s.site for r in routes for s in r.stops)
    depot_ids = dict.fromkeys(d for r in routes if r.stops for d in (r.start_depot, r.end_depot))
    sites = {}
    for sid in site_ids:
        site = scenario.sites[sid]
        sites[sid] = {
            "name": site.name,
            "kind": site.kind,
            "desa_code": site.desa_code,
            "lat": site.lat,
            "lon": site.lon,
        }
    depots = {}
    for did in depot_ids:
        depot = scenario.depots[did]
        depots[did] = {"name": depot.name, "lat": depot.lat, "lon": depot.lon}
    return sites, depots


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def travel_minutes(scenario: Scenario, a: str, b: str) -> int:
    return math.ceil(scenario.minutes(a, b) - 1e-9)


def service_minutes(team: Team, setup: float, people: float) -> int:
    return math.ceil(team.service_minutes(setup, people) - 1e-9)


def schedule(scenario: Scenario, team: Team, date: dt.date, visits: list[Visit]) -> Route | None:
    """Times for ``team`` making ``visits`` in this order on ``date``; None if they do not fit.

    Fits = the team works that day, each site is open that weekday, service ends by closing
    time, the team is back at its end depot by the end of its day, and the kits suffice.
    """
    window = scenario.team_day(team, date)
    if window is None:
        return None
    day_start, day_end = window
    if sum(v.load for v in visits) > team.capacity() + 1e-6:
        return None
    here, clock = team.start_depot, day_start
    stops = []
    for visit in visits:
        site = scenario.sites[visit.site]
        if not scenario.site_open(site, date) or not team.serves(site):
            return None
        arrive = clock + travel_minutes(scenario, here, site.id)
        start = max(arrive, site.open)
        leave = start + service_minutes(team, site.setup_minutes, visit.load)
        if leave > site.close:
            return None
        stops.append(Stop(site.id, visit.k, arrive, start, leave, dict(visit.people), visit.value))
        here, clock = site.id, leave
    back = clock + travel_minutes(scenario, here, team.end_depot)
    if back > day_end:
        return None
    return Route(team.id, date, team.start_depot, team.end_depot, day_start, back, tuple(stops))


def relabel(scenario: Scenario, orders: dict[tuple[str, dt.date], list[str]]) -> dict[tuple[str, dt.date], list[Visit]]:
    """Give each site's visits their numbers in time order (by date) and the yield that goes with it."""
    ladders = {}
    seen: dict[str, int] = {}
    out: dict[tuple[str, dt.date], list[Visit]] = {}
    for key in sorted(orders, key=lambda k: (k[1], k[0])):
        visits = []
        for site_id in orders[key]:
            if site_id not in ladders:
                ladders[site_id] = scenario.visits(scenario.sites[site_id])
            k = seen.get(site_id, 0)
            if k < len(ladders[site_id]):
                visits.append(ladders[site_id][k])
                seen[site_id] = k + 1
        out[key] = visits
    return out


def build_plan(scenario: Scenario, orders: dict[tuple[str, dt.date], list[str]], method: str) -> Plan:
    """Turn site orders per (team, date) into a plan that fits, dropping what does not.

    Visit numbers are given in time order; a route that no longer fits (a repeat visit that
    became a first one takes longer) loses its least valuable visit until it fits. Dropping a
    visit can change later visit numbers, so this repeats until stable.
    """
    orders = {k: list(v) for k, v in orders.items()}
    seen_on: set[tuple[dt.date, str]] = set()
    for key in sorted(orders, key=lambda k: (k[1], k[0])):  # one visit per site per day
        kept = [s for s in orders[key] if (key[1], s) not in seen_on]
        seen_on.update((key[1], s) for s in kept)
        orders[key] = list(dict.fromkeys(kept))
    teams = {t.id: t for t in scenario.teams}
    for _ in range(100):
        labelled = relabel(scenario, orders)
        routes: list[Route] = []
        changed = False
        for (team_id, date), visits in labelled.items():
            if len(visits) < len(orders[(team_id, date)]):  # beyond max_visits
                orders[(team_id, date)] = [v.site for v in visits]
                changed = True
            while visits:
                route = schedule(scenario, teams[team_id], date, visits)
                if route is not None:
                    routes.append(route)
                    break
                worst = min(range(len(visits)), key=lambda i: visits[i].value)
                visits = visits[:worst] + visits[worst + 1 :]
                orders[(team_id, date)] = [v.site for v in visits]
                changed = True
        if not changed:
            routes.sort(key=lambda r: (r.date, r.team))
            sites, depots = places(scenario, routes)
            return Plan(
                scenario.name, routes, method=method, sites=sites, depots=depots, weights=dict(scenario.weights)
            )
    raise RuntimeError("plan repair did not settle")


def plan_from_json(data: dict[str, Any]) -> Plan:
    """A plan read back from its JSON (``Plan.as_json()``, a PLAN.json file); check it first
    (``check_plan``): this trusts the fields it reads."""
    routes = []
    for r in data.get("routes") or []:
        stops = tuple(
            Stop(
                s["site"],
                int(s["visit"]),
                parse_hhmm(s["arrive"]),
                parse_hhmm(s["start"]),
                parse_hhmm(s["leave"]),
                {c: float(n) for c, n in (s.get("people") or {}).items()},
                float(s.get("value", 0.0)),
            )
            for s in r.get("stops") or []
        )
        routes.append(
            Route(
                r["team"],
                dt.date.fromisoformat(r["date"]),
                r["start_depot"],
                r["end_depot"],
                parse_hhmm(r["depart"]),
                parse_hhmm(r["back"]),
                stops,
            )
        )
    routes.sort(key=lambda r: (r.date, r.team))
    return Plan(
        str(data.get("scenario", "")),
        routes,
        bound=data.get("bound"),
        bound_method=data.get("bound_method"),
        seconds=float(data.get("seconds") or 0.0),
        iterations=int(data.get("iterations") or 0),
        method=str(data.get("method") or ""),
        sites=_named(data.get("sites")),
        depots=_named(data.get("depots")),
        weights={c: float(w) for c, w in (data.get("weights") or {}).items()},
    )


def _named(value: Any) -> dict[str, dict[str, Any]]:
    """A plan's ``sites`` or ``depots`` map as written; {} when absent (a plan written before)."""
    if not isinstance(value, dict):
        return {}
    return {str(k): dict(v) for k, v in value.items() if isinstance(v, dict)}
