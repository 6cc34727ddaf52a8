"""An upper bound on what any plan for a scenario can record: an aggregate LP, solved by HiGHS.

Variables ``y[i, d]`` in [0, 1]: visit i (a site's k-th visit) is made on date d. Every plan
gives a 0/1 solution of these constraints, so the LP optimum bounds every plan from above:

- each visit at most once: sum_d y[i, d] <= 1;
- visits in order: a site's visit k is made only if visit k-1 is (plans number a site's visits
  in time order, so the visits made are always 1..j): sum_d y[(s, k), d] <= sum_d y[(s, k-1), d];
- one visit per site per date: sum_k y[(s, k), d] <= 1;
- team time per date: each visit needs at least its shortest service (the fastest team that may
  make it) plus the shortest arrival into it (from any other site or a start depot; a route
  never goes from a site to the same site); the sum over the date is at most the serving teams'
  working minutes. The same with the shortest departure out of it (to another site or an end
  depot);
- kit capacity per date: people recorded at most the serving teams' kits x per-kit capacity;
- a visit that fits no team's day (service longer than the opening hours, or the trip from the
  depot and back too long) is left out.

Where service time dominates travel, as in jemput bola, this is tight: the plan's own limits
are team-minutes and kits. The bound is computed per part (teams with disjoint regions) and
summed. Travel and service are whole minutes rounded up, exactly as the plans use them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from rekam.planner.bound_routes import route_bound
from rekam.planner.greedy import greedy_plan
from rekam.planner.highs import new_highs
from rekam.planner.parts import Part, parts
from rekam.planner.plan import service_minutes, travel_minutes
from rekam.planner.scenario import Scenario, Visit

SAFETY = 1e-6  # relative margin over HiGHS's optimum for its tolerances


@dataclass(frozen=True)
class Bound:
    value: float
    method: str
    seconds: float
    aggregate: float | None = None  # the aggregate LP alone (summed over parts)
    routes: float | None = None  # the route bound alone, when every part got one


ROUTE_METHOD = "rute"  # the route bound (bound_routes), where it is the smaller
AGGREGATE_METHOD = "lp-agregat"


def bound_scenario(
    scenario: Scenario,
    time_limit: float = 60.0,
    routes: bool = True,
    progress: Callable[[Bound], None] | None = None,
) -> Bound:
    """The smaller of the aggregate LP and (with ``routes``) the route bound, part by part,
    within about ``time_limit`` seconds: the aggregate LP first (fast), then column generation
    with the time left, shared among the parts by how far the better greedy plan is below the
    aggregate LP (where there is most to prove), those parts first. ``progress`` is given each
    better bound as it is found (the aggregate LP, then after each part's route bound): a
    caller that must stop early keeps the last."""
    started = time.perf_counter()
    deadline = started + time_limit
    pieces = parts(scenario)
    aggregate: list[float] = []
    exact = True
    for part in pieces:
        value, ok = _bound_part(scenario, part, max(1.0, deadline - time.perf_counter()))
        aggregate.append(value)
        exact = exact and ok
    best = list(aggregate)
    route_values: list[float | None] = [None] * len(pieces)
    method = AGGREGATE_METHOD if exact else f"{AGGREGATE_METHOD}+trivial"

    def result() -> Bound:
        used = [r is not None and r < a for r, a in zip(route_values, aggregate, strict=True)]
        named = method
        if any(used):
            named = ROUTE_METHOD if all(used) else f"{ROUTE_METHOD}+{method}"
        every = bool(pieces) and all(r is not None for r in route_values)
        return Bound(
            sum(best) * (1 + SAFETY),
            named,
            time.perf_counter() - started,
            aggregate=sum(aggregate) * (1 + SAFETY),
            routes=sum(r for r in route_values if r is not None) * (1 + SAFETY) if every else None,
        )

    if progress is not None:
        progress(result())
    if routes:
        # the parts where a plan is furthest below the aggregate LP first, with the most time
        todo = []
        for k, part in enumerate(pieces):
            seeds, known = _seeds(scenario, part)
            if aggregate[k] > known * (1 + 1e-9) + 1e-9:  # else a plan reaches the LP: nothing to prove
                todo.append((aggregate[k] - known, k, part, seeds, known))
        todo.sort(key=lambda x: -x[0])
        for j, (room, k, part, seeds, known) in enumerate(todo):
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            share = left * room / sum(x[0] for x in todo[j:])
            route_values[k] = route_bound(scenario, part, time.perf_counter() + share, seeds, known)
            if route_values[k] is not None:
                best[k] = min(best[k], route_values[k])  # type: ignore[type-var]
                if progress is not None and route_values[k] < aggregate[k]:  # type: ignore[operator]
                    progress(result())
    return result()


def _seeds(scenario: Scenario, part: Part) -> tuple[list[tuple[str, int, list[Visit]]], float]:
    """The routes of the two greedy plans of a part (first columns of the route bound), and
    the better plan's value (a bound that reaches it has proven that plan optimal)."""
    sub = replace(scenario, teams=part.teams, sites={s.id: s for s in part.sites})
    day = {d: i for i, d in enumerate(scenario.dates)}
    out, known = [], 0.0
    for rule in ("nearest", "biggest"):
        plan = greedy_plan(sub, rule)
        known = max(known, plan.score)
        for route in plan.routes:
            ladder = {s.site: scenario.visits(scenario.sites[s.site]) for s in route.stops}
            out.append((route.team, day[route.date], [ladder[s.site][s.visit - 1] for s in route.stops]))
    return out, known


def _bound_part(scenario: Scenario, part: Part, time_limit: float) -> tuple[float, bool]:
    import highspy

    sites = {s.id: s for s in part.sites}
    nodes = part.nodes(scenario)
    trivial = sum(v.value for v in nodes)
    if not nodes:
        return 0.0, True
    starts = {t.start_depot for t in part.teams}
    ends = {t.end_depot for t in part.teams}
    ids = list(sites)
    depots = sorted(starts | ends)
    minutes = scenario.travel.whole_minutes(depots + ids).astype(float)
    between = minutes[len(depots) :, len(depots) :].copy()
    np.fill_diagonal(between, np.inf)  # a route never goes from a site to the same site
    from_starts = minutes[[depots.index(d) for d in sorted(starts)], len(depots) :].min(axis=0)
    to_ends = minutes[len(depots) :, [depots.index(d) for d in sorted(ends)]].min(axis=1)
    travel_in = dict(zip(ids, np.minimum(between.min(axis=0), from_starts), strict=True))
    travel_out = dict(zip(ids, np.minimum(between.min(axis=1), to_ends), strict=True))
    columns: list[tuple[int, int]] = []  # (node index, date index)
    cost: list[float] = []
    for d_index, date in enumerate(scenario.dates):
        working = [(t, w) for t in part.teams if (w := scenario.team_day(t, date)) is not None]
        for i, visit in enumerate(nodes):
            site = sites[visit.site]
            if not scenario.site_open(site, date):
                continue
            if any(_fits(scenario, site, visit.load, t, w) for t, w in working):
                columns.append((i, d_index))
                cost.append(visit.value)
    if not columns:
        return 0.0, True
    rows: list[tuple[list[int], list[float], float]] = []
    by_node: dict[int, list[int]] = {}
    by_site_date: dict[tuple[str, int], list[int]] = {}
    by_date: dict[int, list[int]] = {}
    for c, (i, d) in enumerate(columns):
        by_node.setdefault(i, []).append(c)
        by_site_date.setdefault((nodes[i].site, d), []).append(c)
        by_date.setdefault(d, []).append(c)
    for cols in by_node.values():
        rows.append((cols, [1.0] * len(cols), 1.0))
    for i, visit in enumerate(nodes):
        if visit.k > 1:
            previous = i - 1  # visits of a site are consecutive in ``nodes``, k = 1, 2, ...
            here, before = by_node.get(i, []), by_node.get(previous, [])
            if here:
                rows.append((here + before, [1.0] * len(here) + [-1.0] * len(before), 0.0))
    for cols in by_site_date.values():
        if len(cols) > 1:
            rows.append((cols, [1.0] * len(cols), 1.0))
    for d, cols in by_date.items():
        date = scenario.dates[d]
        working = [(t, w) for t in part.teams if (w := scenario.team_day(t, date)) is not None]
        minutes = float(sum(w[1] - w[0] for _, w in working))
        kits = float(sum(t.capacity() for t, _ in working))
        for arcs in (travel_in, travel_out):
            coef = []
            for c in cols:
                visit = nodes[columns[c][0]]
                site = sites[visit.site]
                fastest = min(service_minutes(t, site.setup_minutes, visit.load) for t, _ in working if t.serves(site))
                coef.append(float(fastest + arcs[site.id]))
            rows.append((cols, coef, minutes))
        rows.append((cols, [nodes[columns[c][0]].load for c in cols], kits))

    h = new_highs(time_limit)
    lp = highspy.HighsLp()
    lp.num_col_ = len(columns)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.zeros(len(columns))
    lp.col_upper_ = np.ones(len(columns))
    lp.row_lower_ = np.full(len(rows), -highspy.kHighsInf)
    lp.row_upper_ = np.array([r[2] for r in rows])
    lp.sense_ = highspy.ObjSense.kMaximize
    starts_, index, values = [0], [], []
    for cols, coef, _ in rows:
        index.extend(cols)
        values.extend(coef)
        starts_.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts_, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values)
    lp.a_matrix_.num_col_ = len(columns)
    lp.a_matrix_.num_row_ = len(rows)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return trivial, False
    return min(trivial, h.getInfo().objective_function_value), True


def _fits(scenario: Scenario, site, people: float, team, window: tuple[int, int]) -> bool:  # noqa: ANN001
    if not team.serves(site) or people > team.capacity() + 1e-6:
        return False
    service = service_minutes(team, site.setup_minutes, people)
    go = travel_minutes(scenario, team.start_depot, site.id)
    back = travel_minutes(scenario, site.id, team.end_depot)
    start = max(window[0] + go, site.open)
    return start + service <= site.close and start + service + back <= window[1]
