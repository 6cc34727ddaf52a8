"""Solving a jemput-bola scenario with PyVRP (hybrid genetic search), then by ruin and recreate.

The model (issue #5): a vehicle per team per working day; a client per (site, visit k) whose
prize is the visit's cohort-weighted yield, which falls with k; a visit's length = set-up +
people x minutes per person / kits of the team that makes it; the kits' daily capacity as the
vehicle's capacity; the site's opening hours as a time window; a date on which a client may not
be visited (the site is closed that weekday, or the visit is confined to other dates) as a
routing profile in which it cannot be reached. Teams restricted to disjoint regions make
independent parts, solved one after the other with the time split by size.

Repeat visits: PyVRP cannot make visit k wait for visit k-1. Run 1 therefore models every visit
of a site as long, and as big, as the first: whichever visits the solver picks, numbering them
in time order only shortens them and raises their value (values fall with k). Each later run
(``LATER_RUNS``) uses the exact visit lengths, with each site's k-th visit confined to the dates
between its neighbours' dates in the best plan so far, so visits come in order by construction;
it starts from that plan. After every run, ``fill`` inserts further visits where they fit; at
the end ``improve`` (ruin and recreate with the exact yields) uses the rest of the part's time.

Teams of different pace (``team_classes``): PyVRP has no per-vehicle service time, so a client
has none and a visit's minutes for each class of teams (teams with the same kits and pace) are
added to every trip into the visit in that class's routing profile, one profile per class and
per set of visits out of reach that day. The model's time at a visit is then when the team
leaves it; its window is [opening + the fastest class's minutes, closing]: exact for the
fastest class, and for any other whenever it arrives after opening time (a slower team that
arrives before opening is modelled as leaving up to its wait too early). Whatever PyVRP returns
goes through ``build_plan``, which numbers each site's visits in time order, recomputes times
and yields with the team that makes each visit, and drops what no longer fits; the checker then
confirms the plan.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections import Counter
from dataclasses import replace
from typing import Any, Literal

import numpy as np

from rekam.planner import beside
from rekam.planner.bound import Bound, bound_scenario
from rekam.planner.check import check_plan
from rekam.planner.fill import fill, improve
from rekam.planner.greedy import greedy_plan
from rekam.planner.parts import Part, parts
from rekam.planner.plan import Plan, build_plan
from rekam.planner.scenario import Scenario, Visit
from rekam.planner.team_classes import team_classes

log = logging.getLogger(__name__)

PRIZE_PER_UNIT = 1000  # prize per cohort-weighted recording; travel costs 1 per minute
LOAD_SCALE = 100  # kit capacity in hundredths of a person (expected values are fractional)
FORBIDDEN = 10**7  # travel minutes that no day can absorb
PYVRP_SHARE = 0.85  # of a part's time; the rest improves it by ruin and recreate (fill.improve)
LATER_RUNS = 3  # PyVRP runs with exact visit lengths after the first
SHARED = "shared"  # the bound runs beside the search, within the same time limit
FINISH_SHARE = 0.02  # of the time limit, kept for numbering, checking and collecting the bound
DEFAULT_BOUND_SECONDS = 60.0  # for the bound after a search limited by iterations
PROFILE_BYTES = 2**30  # PyVRP's matrices for teams of different pace; one class of teams may exceed it


def solve_scenario(
    scenario: Scenario,
    time_limit: float | None = 60.0,
    iterations: int | None = None,
    seed: int = 1,
    bound_time_limit: float | Literal["shared"] | None = SHARED,
) -> Plan:
    """The best plan found within the limit; with ``iterations`` it depends only on the seed.

    The bound (``bound_time_limit``): ``"shared"`` runs beside the search, in a second process,
    within ``time_limit`` (the whole call then keeps to it); seconds of its own run beside the
    search too, or after it when there is no time limit (``iterations``); None: no bound.
    """
    started = time.perf_counter()
    pending = None
    if bound_time_limit is not None and time_limit is not None:
        seconds = time_limit * (1 - FINISH_SHARE) if bound_time_limit == SHARED else float(bound_time_limit)
        pending = beside.start(scenario.raw, time.time() + seconds)
    try:
        plan = _search(scenario, time_limit, iterations, seed, started)
        bound = None
        if pending is not None:
            bound = _received(pending.result())
        elif bound_time_limit is not None:
            after = DEFAULT_BOUND_SECONDS if bound_time_limit == SHARED else float(bound_time_limit)
            bound = bound_scenario(scenario, time_limit=after)
    finally:
        if pending is not None:
            pending.close()
    if bound is not None:
        plan.bound, plan.bound_method = bound.value, bound.method
        plan.extra["bounds"] = {
            "aggregate": None if bound.aggregate is None else round(bound.aggregate, 3),
            "routes": None if bound.routes is None else round(bound.routes, 3),
            "seconds": round(bound.seconds, 3),
        }
        if bound.value < plan.score - 1e-6:  # not a bound: a plan scores more; claim no proof
            log.error("bound %s below the plan's own score %s: dropped", bound.value, plan.score)
            plan.bound, plan.bound_method = None, f"{bound.method}: ditolak, di bawah nilai rencana"
    plan.seconds = time.perf_counter() - started
    return plan


def _received(data: dict[str, Any] | None) -> Bound | None:
    """The bound the second process sent (``beside``), or None if it sent none in time."""
    if data is None:
        return None
    return Bound(**data)  # the fields ``beside.scenario_child`` wrote (dataclasses.asdict)


def _search(scenario: Scenario, time_limit: float | None, iterations: int | None, seed: int, started: float) -> Plan:
    """The plan, part by part, each part given its share of the time still left (so that one
    part running long is made up by the others), keeping FINISH_SHARE for the final checks."""
    orders: dict[tuple[str, dt.date], list[str]] = {}
    pieces = parts(scenario)
    sizes = [max(1, len(p.nodes(scenario))) for p in pieces]
    end = None if time_limit is None else started + time_limit * (1 - FINISH_SHARE)
    total_iterations = 0
    methods: list[str] = []
    for k, part in enumerate(pieces):
        share = None if end is None else max(1.0, (end - time.perf_counter()) * sizes[k] / sum(sizes[k:]))
        sub = replace(scenario, teams=part.teams, sites={s.id: s for s in part.sites})
        best, done = _solve_part(sub, part, share, iterations, seed)
        orders.update({(r.team, r.date): [s.site for s in r.stops] for r in best.routes})
        methods.append(best.method)
        total_iterations += done
    counts = Counter(methods)
    plan = build_plan(
        scenario, orders, method=", ".join(f"{m} x{n}" if n > 1 else m for m, n in sorted(counts.items()))
    )
    problems = check_plan(scenario, plan)
    if problems:  # never expected: build_plan only keeps what schedule() accepts
        raise RuntimeError(f"solver produced an infeasible plan: {problems[:3]}")
    plan.iterations = total_iterations
    if scenario.region:  # the plan names its region: the web's /rencana shows it only within it
        plan.extra["region"] = scenario.region
    return plan


def _solve_part(
    scenario: Scenario, part: Part, time_limit: float | None, iterations: int | None, seed: int
) -> tuple[Plan, int]:
    """The best plan for one part (``scenario`` holds only its teams and sites).

    PyVRP run 1 models every visit as long as the first, on any date. Each later run uses the
    exact visit lengths, with each site's k-th visit confined to the dates between its (k-1)-th
    and (k+1)-th visits in the best plan so far (so visits come in order by construction), and
    starts from that plan (or from a greedy plan, if that is better than run 1's). After each
    run ``fill`` adds what fits; the best plan is kept; the rest of the time goes to ``improve``
    (ruin and recreate with the exact yields).
    """
    started = time.perf_counter()
    budget = None if time_limit is None else PYVRP_SHARE * time_limit / (1 + LATER_RUNS)
    orders, done = _run(scenario, part, budget, iterations, seed, windows=None, start=None)
    best = fill(scenario, build_plan(scenario, orders, method="pyvrp"))
    for rule in ("nearest", "biggest"):  # never worse than a planner without a solver
        baseline = fill(scenario, greedy_plan(scenario, rule))
        if baseline.score > best.score + 1e-9:
            best = baseline
    for _ in range(LATER_RUNS):
        if not best.routes:
            break
        orders, more = _run(
            scenario, part, budget, iterations, seed, windows=_windows(scenario, part, best), start=best
        )
        done += more
        trial = fill(scenario, build_plan(scenario, orders, method="pyvrp"))
        if trial.score > best.score + 1e-9:
            best = trial
    if iterations is not None:
        best = improve(scenario, best, rounds=iterations, seed=seed)
    else:
        best = improve(scenario, best, rounds=10**9, seed=seed, deadline=started + (time_limit or 10.0))
    return best, done


def _windows(scenario: Scenario, part: Part, plan: Plan) -> dict[tuple[str, int], tuple[int, int]]:
    """Per (site, k): the date indices [from, to) on which the k-th visit may fall in run 2."""
    n = len(scenario.dates)
    index = {d: i for i, d in enumerate(scenario.dates)}
    made: dict[str, list[int]] = {}
    for route in plan.routes:
        for stop in route.stops:
            made.setdefault(stop.site, []).append(index[route.date])
    out = {}
    for site in part.sites:
        ladder = scenario.visits(site)
        days = sorted(made.get(site.id, []))
        starts = [0] + days[1:]
        after = days[-1] + 1 if days else n - (len(ladder) - 1)
        while len(starts) < len(ladder):  # visits run 1 did not make: share the days after its last
            spare = len(ladder) - len(starts)
            starts.append(max(after, n - spare) if days else max(1, after + len(starts) - 1))
        bounds = starts + [n]
        for k in range(1, len(ladder) + 1):
            out[(site.id, k)] = (bounds[k - 1], bounds[k])
    return out


def _run(
    scenario: Scenario,
    part: Part,
    time_limit: float | None,
    iterations: int | None,
    seed: int,
    windows: dict[tuple[str, int], tuple[int, int]] | None,
    start: Plan | None,
) -> tuple[dict[tuple[str, dt.date], list[str]], int]:
    from pyvrp import Activity, ActivityType, Client, Depot, Location, ProblemData, Route, Solution, VehicleType, solve
    from pyvrp.stop import MaxIterations, MaxRuntime

    candidates: list[tuple[Visit, Visit, tuple[int, int]]] = []
    first: dict[str, Visit] = {}
    for visit in part.nodes(scenario):
        biggest = first.setdefault(visit.site, visit)
        modelled = visit if windows is not None else biggest  # run 1: every visit as long and as big as the first
        window = windows[(visit.site, visit.k)] if windows is not None else (0, len(scenario.dates))
        if window[0] < window[1]:
            candidates.append((visit, modelled, window))
    vehicles = [(t, d, w) for d in scenario.dates for t in part.teams if (w := scenario.team_day(t, d)) is not None]
    day_index = {d: i for i, d in enumerate(scenario.dates)}
    by_date = {  # per date, the candidates out of reach whatever the team (closed, not their turn)
        date: frozenset(
            i
            for i, (v, _, window) in enumerate(candidates)
            if not scenario.site_open(scenario.sites[v.site], date) or not window[0] <= day_index[date] < window[1]
        )
        for date in {d for _, d, _ in vehicles}
    }
    matrix_bytes = 2 * 8 * (len(candidates) + len(part.teams) * 2) ** 2  # a profile's two matrices, at most
    most = PROFILE_BYTES // max(1, matrix_bytes * len(set(by_date.values())))
    classes = team_classes(scenario, part.teams, [m for _, m, _ in candidates], most=most)
    keep = [i for i in range(len(candidates)) if any(c.minutes[i] is not None for c in classes)]
    nodes = [candidates[i] for i in keep]
    minutes = [[c.minutes[i] for i in keep] for c in classes]  # per class, per node
    class_of = {team: ci for ci, c in enumerate(classes) for team in c.teams}
    if not nodes or not vehicles:
        return {}, 0
    depot_ids = sorted({t.start_depot for t in part.teams} | {t.end_depot for t in part.teams})
    places = depot_ids + [v.site for v, *_ in nodes]
    n = len(places)
    base = scenario.travel.whole_minutes(places)
    where = np.array([scenario.travel.index[p] for p in places])
    same_site = (where[:, None] == where[None, :]) & ~np.eye(n, dtype=bool)
    same_site[: len(depot_ids), :] = False
    same_site[:, : len(depot_ids)] = False
    base[same_site] = FORBIDDEN  # two visits to one site in a row: not a second visit
    out_of_reach = [frozenset(len(depot_ids) + i for i, m in enumerate(per_node) if m is None) for per_node in minutes]
    service_rows = [np.array([0] * len(depot_ids) + [m or 0 for m in per_node], dtype=np.int64) for per_node in minutes]
    profiles: dict[tuple[int, frozenset[int]], int] = {}
    distances: list[np.ndarray] = []
    durations: list[np.ndarray] = []
    vehicle_types = []
    for team, date, (day_start, day_end) in vehicles:
        ci = class_of[team.id]
        closed = out_of_reach[ci] | frozenset(len(depot_ids) + i for i, c in enumerate(keep) if c in by_date[date])
        if (ci, closed) not in profiles:
            distance = base.copy()
            distance[:, sorted(closed)] = FORBIDDEN
            np.fill_diagonal(distance, 0)
            duration = distance + service_rows[ci][None, :]  # the trip, then the visit's minutes for this class
            np.fill_diagonal(duration, 0)
            profiles[(ci, closed)] = len(distances)
            distances.append(distance)
            durations.append(duration)
        vehicle_types.append(
            VehicleType(
                num_available=1,
                capacity=[team.capacity() * LOAD_SCALE],
                start_depot=depot_ids.index(team.start_depot),
                end_depot=depot_ids.index(team.end_depot),
                tw_early=day_start,
                tw_late=day_end,
                profile=profiles[(ci, closed)],
                name=f"{team.id}|{date.isoformat()}",
            )
        )
    locations = [Location(0, 0, name=p) for p in places]
    depots = [Depot(i, name=d) for i, d in enumerate(depot_ids)]
    clients = []
    for i, (visit, modelled, _) in enumerate(nodes):
        site = scenario.sites[visit.site]
        fastest = min(m for per_node in minutes if (m := per_node[i]) is not None)
        clients.append(
            Client(
                location=len(depot_ids) + i,
                delivery=[math.ceil(modelled.load * LOAD_SCALE - 1e-9)],
                service_duration=0,  # in the profile's durations: the minutes of the team that makes it
                tw_early=site.open + fastest,  # times at a client are when its visit ends
                tw_late=site.close,
                prize=max(1, round(visit.value * PRIZE_PER_UNIT)),
                required=False,
                name=f"{visit.site}#{visit.k}",
            )
        )
    data = ProblemData(locations, clients, depots, vehicle_types, distances, durations)
    initial = None
    if start is not None:
        client_of = {(v.site, v.k): i for i, (v, *_) in enumerate(nodes)}
        vehicle_of = {(t.id, d): i for i, (t, d, _) in enumerate(vehicles)}
        routes = []
        for route in start.routes:
            visits = [client_of.get((s.site, s.visit)) for s in route.stops]
            if route.stops and None not in visits and (route.team, route.date) in vehicle_of:
                activities = [Activity(ActivityType.CLIENT, c) for c in visits]
                routes.append(Route(data, activities, vehicle_of[(route.team, route.date)]))
        initial = Solution(data, routes) if routes else None
    stop = MaxIterations(iterations) if iterations is not None else MaxRuntime(time_limit or 10.0)
    result = solve(data, stop, seed=seed, collect_stats=False, display=False, initial_solution=initial)
    orders: dict[tuple[str, dt.date], list[str]] = {}
    for route in result.best.routes():
        team, date, _ = vehicles[route.vehicle_type()]
        orders[(team.id, date)] = [nodes[a.idx][0].site for a in route if a.is_client()]
    return orders, result.num_iterations
