"""Greedy baselines for jemput-bola scenarios: what a planner without a solver would do.

Day by day, each working team in turn builds its day: from where it is, it goes to the next
site that still fits (open that weekday, not visited that day, service done before closing,
back at the depot by the end of the day, kits not exhausted), chosen by

- nearest-first: the shortest trip from where the team is (ties: the bigger visit);
- biggest-first: the most valuable next visit (ties: the nearest) - "go where the backlog is".

Each site's next visit is its first not yet made; the result goes through ``build_plan`` like
the solver's, so it is numbered, timed and checked the same way.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from rekam.planner.plan import Plan, build_plan, service_minutes, travel_minutes
from rekam.planner.scenario import Scenario, Site, Visit

Key = Callable[[int, Visit], tuple[float, ...]]


def greedy_plan(scenario: Scenario, rule: str) -> Plan:
    keys: dict[str, Key] = {
        "nearest": lambda trip, v: (trip, -v.value, v.site),
        "biggest": lambda trip, v: (-v.value, trip, v.site),
    }
    started = time.perf_counter()
    key = keys[rule]
    ladders = {s.id: scenario.visits(s) for s in scenario.sites.values()}
    made: dict[str, int] = dict.fromkeys(ladders, 0)
    orders: dict[tuple[str, dt.date], list[str]] = {}
    for date in scenario.dates:
        today: set[str] = set()
        for team in scenario.teams:
            window = scenario.team_day(team, date)
            if window is None:
                continue
            here, clock, load = team.start_depot, window[0], 0.0
            route: list[str] = []
            while True:
                best = None
                for site in scenario.sites.values():
                    k = made[site.id]
                    if site.id in today or k >= len(ladders[site.id]) or not team.serves(site):
                        continue
                    if not scenario.site_open(site, date):
                        continue
                    visit = ladders[site.id][k]
                    leave = _leave(scenario, site, visit, team, here, clock, load)
                    if leave is None or leave + travel_minutes(scenario, site.id, team.end_depot) > window[1]:
                        continue
                    candidate = (key(travel_minutes(scenario, here, site.id), visit), site.id, leave, visit)
                    if best is None or candidate[0] < best[0]:
                        best = candidate
                if best is None:
                    break
                _, site_id, leave, visit = best
                route.append(site_id)
                today.add(site_id)
                made[site_id] += 1
                here, clock, load = site_id, leave, load + visit.load
            if route:
                orders[(team.id, date)] = route
    plan = build_plan(scenario, orders, method=f"greedy-{rule}")
    plan.seconds = time.perf_counter() - started
    return plan


def _leave(scenario: Scenario, site: Site, visit: Visit, team, here: str, clock: int, load: float) -> int | None:  # noqa: ANN001
    if load + visit.load > team.capacity() + 1e-6:
        return None
    start = max(clock + travel_minutes(scenario, here, site.id), site.open)
    leave = start + service_minutes(team, site.setup_minutes, visit.load)
    return leave if leave <= site.close else None
