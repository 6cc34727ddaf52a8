"""Solving a jemput-bola scenario with PyVRP (hybrid genetic search).

The model (issue #5): a vehicle per team per working day; a client per (site, visit k) whose
prize is the visit's cohort-weighted yield, which falls with k; service time = set-up +
people x minutes per person / kits; the kits' daily capacity as the vehicle's capacity; the
site's opening hours as a time window; a weekday on which a site is closed as a routing
profile in which the site cannot be reached. Teams restricted to disjoint regions make
independent parts, solved one after the other with the time split by size.

Repeat visits: PyVRP cannot make visit k wait for visit k-1, so every visit of a site is
modelled as taking as long, and as many kits, as the first. Whichever of a site's visits the
solver picks, numbering them in time order then only shortens them and raises their value
(values fall with k), so the plan is worth at least what the solver counted; the time saved
is filled afterwards by ``fill``, which inserts further visits where they fit.

PyVRP cannot give each team its own service time, so a visit takes as long as it would for
the slowest team that may make it: the plan stays feasible for every team (the faster one
waits or leaves earlier). Whatever PyVRP returns goes through ``build_plan``, which numbers
each site's visits in time order, recomputes times and yields, and drops what no longer fits;
the checker then confirms the plan.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass

import numpy as np

from rekam.planner.check_plan import check_plan
from rekam.planner.fill import fill, improve
from rekam.planner.plan import Plan, build_plan, service_minutes
from rekam.planner.scenario import Scenario, Site, Team, Visit

PRIZE_PER_UNIT = 1000  # prize per cohort-weighted recording; travel costs 1 per minute
LOAD_SCALE = 100  # kit capacity in hundredths of a person (expected values are fractional)
FORBIDDEN = 10**7  # travel minutes that no day can absorb
PYVRP_SHARE = 0.7  # of the time limit; the rest improves the plan with the exact yields (fill.improve)


@dataclass(frozen=True)
class Part:
    """Teams and the sites only they may serve: solved on its own."""

    teams: tuple[Team, ...]
    sites: tuple[Site, ...]

    def nodes(self, scenario: Scenario) -> list[Visit]:
        return [v for s in self.sites for v in scenario.visits(s)]


def parts(scenario: Scenario) -> list[Part]:
    """Split by team region when the regions are disjoint; else one part."""
    regions = [t.region for t in scenario.teams]
    disjoint = all(r is not None for r in regions) and not any(
        a != b and b.startswith(a) for a in set(regions) for b in set(regions)  # type: ignore[union-attr]
    )
    if not disjoint:
        serve = tuple(s for s in scenario.sites.values() if any(t.serves(s) for t in scenario.teams))
        return [Part(scenario.teams, serve)]
    out = []
    for region in sorted(set(regions)):  # type: ignore[type-var]
        teams = tuple(t for t in scenario.teams if t.region == region)
        sites = tuple(s for s in scenario.sites.values() if teams[0].serves(s))
        if sites:
            out.append(Part(teams, sites))
    return out


def solve_scenario(
    scenario: Scenario,
    time_limit: float | None = 60.0,
    iterations: int | None = None,
    seed: int = 1,
    bound_time_limit: float | None = 60.0,
) -> Plan:
    """The best plan found within the limit; with ``iterations`` it depends only on the seed."""
    started = time.perf_counter()
    orders: dict[tuple[str, dt.date], list[str]] = {}
    pieces = parts(scenario)
    sizes = [max(1, len(p.nodes(scenario))) for p in pieces]
    total_iterations = 0
    for part, size in zip(pieces, sizes, strict=True):
        share = None if time_limit is None else max(0.5, PYVRP_SHARE * time_limit * size / sum(sizes))
        found, done = _solve_part(scenario, part, share, iterations, seed)
        orders.update(found)
        total_iterations += done
    plan = fill(scenario, build_plan(scenario, orders, method="pyvrp"))
    if iterations is not None:
        plan = improve(scenario, plan, rounds=iterations, seed=seed)
    else:
        deadline = started + (time_limit or 10.0)
        plan = improve(scenario, plan, rounds=10**9, seed=seed, deadline=deadline)
    problems = check_plan(scenario, plan)
    if problems:  # never expected: build_plan only keeps what schedule() accepts
        raise RuntimeError(f"solver produced an infeasible plan: {problems[:3]}")
    plan.seconds = time.perf_counter() - started
    plan.iterations = total_iterations
    if bound_time_limit is not None:
        from rekam.planner.bound import bound_scenario

        bound = bound_scenario(scenario, time_limit=bound_time_limit)
        plan.bound, plan.bound_method = bound.value, bound.method
    return plan


def _solve_part(
    scenario: Scenario, part: Part, time_limit: float | None, iterations: int | None, seed: int
) -> tuple[dict[tuple[str, dt.date], list[str]], int]:
    from pyvrp import Client, Depot, Location, ProblemData, VehicleType, solve
    from pyvrp.stop import MaxIterations, MaxRuntime

    nodes = []
    first: dict[str, Visit] = {}
    for visit in part.nodes(scenario):
        site = scenario.sites[visit.site]
        biggest = first.setdefault(site.id, visit)  # every visit is modelled as long and as big as the first
        service = max(service_minutes(t, site.setup_minutes, biggest.total) for t in part.teams if t.serves(site))
        if site.close - service >= site.open:
            nodes.append((visit, service))
    vehicles = [(t, d, w) for d in scenario.dates for t in part.teams if (w := scenario.team_day(t, d)) is not None]
    if not nodes or not vehicles:
        return {}, 0
    depot_ids = sorted({t.start_depot for t in part.teams} | {t.end_depot for t in part.teams})
    places = depot_ids + [v.site for v, _ in nodes]
    n = len(places)
    base = scenario.travel.whole_minutes(places)
    where = np.array([scenario.travel.index[p] for p in places])
    same_site = (where[:, None] == where[None, :]) & ~np.eye(n, dtype=bool)
    same_site[: len(depot_ids), :] = False
    same_site[:, : len(depot_ids)] = False
    base[same_site] = FORBIDDEN  # two visits to one site in a row: not a second visit
    profiles: dict[frozenset[str], int] = {}
    matrices = []
    vehicle_types = []
    for team, date, (day_start, day_end) in vehicles:
        closed = frozenset(s.id for s in part.sites if not scenario.site_open(s, date))
        if closed not in profiles:
            matrix = base.copy()
            cols = [len(depot_ids) + i for i, (v, _) in enumerate(nodes) if v.site in closed]
            matrix[:, cols] = FORBIDDEN
            np.fill_diagonal(matrix, 0)
            profiles[closed] = len(matrices)
            matrices.append(matrix)
        vehicle_types.append(
            VehicleType(
                num_available=1,
                capacity=[team.capacity() * LOAD_SCALE],
                start_depot=depot_ids.index(team.start_depot),
                end_depot=depot_ids.index(team.end_depot),
                tw_early=day_start,
                tw_late=day_end,
                profile=profiles[closed],
                name=f"{team.id}|{date.isoformat()}",
            )
        )
    locations = [Location(0, 0, name=p) for p in places]
    depots = [Depot(i, name=d) for i, d in enumerate(depot_ids)]
    clients = []
    for i, (visit, service) in enumerate(nodes):
        site = scenario.sites[visit.site]
        clients.append(
            Client(
                location=len(depot_ids) + i,
                delivery=[math.ceil(first[visit.site].total * LOAD_SCALE - 1e-9)],
                service_duration=service,
                tw_early=site.open,
                tw_late=site.close - service,
                prize=max(1, round(visit.value * PRIZE_PER_UNIT)),
                required=False,
                name=f"{visit.site}#{visit.k}",
            )
        )
    data = ProblemData(locations, clients, depots, vehicle_types, matrices, matrices)
    stop = MaxIterations(iterations) if iterations is not None else MaxRuntime(time_limit or 10.0)
    result = solve(data, stop, seed=seed, collect_stats=False, display=False)
    orders: dict[tuple[str, dt.date], list[str]] = {}
    for route in result.best.routes():
        team, date, _ = vehicles[route.vehicle_type()]
        orders[(team.id, date)] = [nodes[a.idx][0].site for a in route if a.is_client()]
    return orders, result.num_iterations
