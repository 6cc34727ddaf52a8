"""Filling a plan's spare time: insert further visits wherever they still fit.

After the solver, visits that the model made as long as a site's first turn out shorter, so
days have spare minutes and kits. ``fill`` tries each possible next visit of a site (its first
if it has none, else the one after its last, on a later date than the last) at every position
of every route, most valuable first, and keeps the insertion that fits with the least extra
time. Existing visits keep their numbers, so nothing already planned changes value.
"""

from __future__ import annotations

import datetime as dt
import random

from rekam.planner.plan import Plan, Route, build_plan, schedule, service_minutes
from rekam.planner.scenario import Scenario, Visit


def fill(scenario: Scenario, plan: Plan, rnd: random.Random | None = None) -> Plan:
    """``plan`` with every further visit that fits; ``rnd`` shuffles the order a little (for ``improve``)."""
    teams = {t.id: t for t in scenario.teams}
    routes: dict[tuple[str, dt.date], Route | None] = {(r.team, r.date): r for r in plan.routes}
    for date in scenario.dates:
        for team in scenario.teams:
            if scenario.team_day(team, date) is not None:
                routes.setdefault((team.id, date), None)
    ladders = {s.id: scenario.visits(s) for s in scenario.sites.values()}
    last: dict[str, tuple[dt.date, int]] = {}
    busy: set[tuple[dt.date, str]] = set()
    for r in plan.routes:
        for s in r.stops:
            busy.add((r.date, s.site))
            if s.site not in last or last[s.site] < (r.date, s.visit):
                last[s.site] = (r.date, s.visit)
    pending = [site for site in ladders if len(ladders[site]) > last.get(site, (None, 0))[1]]
    while pending:
        noise = {site: 1.0 + (rnd.random() * 0.5 if rnd else 0.0) for site in pending}
        pending.sort(key=lambda site: -ladders[site][last.get(site, (None, 0))[1]].value * noise[site])
        site_id = pending.pop(0)
        site = scenario.sites[site_id]
        done_date, k = last.get(site_id, (None, 0))
        visit: Visit = ladders[site_id][k]
        best: tuple[int, tuple[str, dt.date], Route] | None = None
        for key, route in routes.items():
            team_id, date = key
            team = teams[team_id]
            if (done_date is not None and date <= done_date) or (date, site_id) in busy:
                continue
            if not team.serves(site) or not scenario.site_open(site, date):
                continue
            if route is not None and _load(scenario, route) + visit.load > team.capacity() + 1e-6:
                continue
            if service_minutes(team, site.setup_minutes, visit.load) > _slack(scenario, team, date, route):
                continue
            current = _visits(route, ladders)
            for position in range(len(current) + 1):
                trial = schedule(scenario, team, date, current[:position] + [visit] + current[position:])
                if trial is None:
                    continue
                extra = trial.back - (route.back if route is not None else trial.depart)
                if rnd is not None:
                    extra *= 1.0 + rnd.random()
                if best is None or extra < best[0]:
                    best = (extra, key, trial)
        if best is None:
            continue
        _, key, trial = best
        routes[key] = trial
        busy.add((key[1], site_id))
        last[site_id] = (key[1], k + 1)
        if k + 1 < len(ladders[site_id]):
            pending.append(site_id)
    out = Plan(
        plan.scenario, sorted((r for r in routes.values() if r is not None and r.stops), key=lambda r: (r.date, r.team))
    )
    out.method = plan.method + "+fill"
    return out


def _slack(scenario: Scenario, team, date: dt.date, route: Route | None) -> int:  # noqa: ANN001
    """Minutes a route could still give to one more visit: time left at the end, plus waiting."""
    window = scenario.team_day(team, date)
    assert window is not None
    if route is None:
        return window[1] - window[0]
    return window[1] - route.back + sum(s.start - s.arrive for s in route.stops)


def _visits(route: Route | None, ladders: dict[str, list[Visit]]) -> list[Visit]:
    return [] if route is None else [ladders[s.site][s.visit - 1] for s in route.stops]


def improve(scenario: Scenario, plan: Plan, rounds: int, seed: int, deadline: float | None = None) -> Plan:
    """Ruin and recreate with the exact yields: take out a day's route, or every visit to one to
    three sites; renumber; ``fill`` again (in a slightly shuffled order); keep the result if it is
    worth at least as much.

    ``rounds`` bounds the work; with no ``deadline`` the result depends only on ``seed``.
    """
    import time

    rnd = random.Random(seed)
    best = start = plan
    for _ in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        orders = {(r.team, r.date): [s.site for s in r.stops] for r in best.routes}
        if not orders:
            break
        move = rnd.random()
        keys = sorted(orders, key=lambda k: (k[1], k[0]))
        if move < 0.3:
            orders[rnd.choice(keys)] = []
        else:  # every visit to one to three sites
            sites = sorted({s for v in orders.values() for s in v})
            gone = set(rnd.sample(sites, min(len(sites), rnd.randint(1, 3))))
            orders = {k: [s for s in v if s not in gone] for k, v in orders.items()}
        trial = fill(scenario, build_plan(scenario, orders, method=best.method), rnd)
        if trial.score >= best.score - 1e-9:  # sideways moves too, to get off plateaus
            best = trial
    if best.score <= start.score + 1e-9:
        return start
    best.method = start.method + "+lns"
    return best


def _load(scenario: Scenario, route: Route) -> float:
    """The route's people in recordings (``Scenario.load``): what the kits' count sees."""
    return sum(scenario.load(s.people) for s in route.stops)
