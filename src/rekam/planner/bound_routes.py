"""A route-based upper bound for a jemput-bola scenario: column generation over team-days.

The aggregate LP (``bound``) charges each visit only its shortest arc in; where the sites sit
in clusters an hour from the Dinas it counts every possible visit. Here each column is a whole
day's route of one team, with its visits labelled (site, k), so the drive from the depot and
back is paid once per route, as in a real plan.

**Master LP** over route columns ``l_r >= 0``, per part (teams with disjoint regions):

- each visit (site, k) at most once;
- order by date: a site's visit k on date d only if its visit k-1 was made on an earlier date
  (plans number a site's visits by date, one a day);
- one visit per site per date (all teams);
- per group g (the identical teams working on one date; ``n_g`` of them): at most ``n_g`` routes,
  and their people at most ``n_g`` x the kits' capacity.

Every plan gives a 0/1 solution, so the LP optimum bounds every plan.

**A valid bound whatever the duals.** For any duals u >= 0 of those rows (the "at most n_g
routes" kept), ``L(u) = sum(pi) + sum(sigma) + sum_g n_g (kappa_g x capacity + max(0, z_g))``
bounds the master, when ``z_g`` bounds the best reduced profit of a route of group g. So each
iteration gives a valid bound, converged or not; the best is kept.

``z_g`` is priced in three stages (``_price``; the loops are in ``walks``), each allowing
*more* than routes, never fewer, and the master keeping only the columns its stage allows:
(0) a dynamic program over (minute of the day, site): walks without 2-cycles, any of a site's
visits, a site's far predecessors merged per group of neighbouring sites into one arc of the
shortest of their lengths; (1) the same with the people of the day kept, in units of the
capacity rounded down; (2) an exact search of the routes (each site once, within capacity), or
stage 1's value where that search does not finish. Travel is the shortest path over the
whole-minute matrix (so skipping a site never costs time and sites worth nothing are left
out); waiting for a site to open is allowed, service ends by closing, and the team is back by
the end of its day. Times are whole minutes, as plans count them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from rekam.planner.highs import new_highs
from rekam.planner.parts import Part
from rekam.planner.plan import schedule, service_minutes
from rekam.planner.scenario import Scenario, Team, Visit

LEVELS = 20  # the kits' capacity in the pricing, in units of a twentieth
GROUPS = 16  # the other predecessors merged into one arc per group of neighbouring sites
NEAR = 12  # exact arcs from each site's NEAR nearest predecessors; the rest merged per group
EPS = 1e-9
MAX_LABELS = 100_000  # labels per exact search; beyond it stage 1's z stands
STAGE_SHARES = (0.35, 0.85, 1.0)  # of the time, where each pricing stage ends at the latest


@dataclass(frozen=True)
class _Group:
    """The teams of one kind working on one date: their routes are interchangeable."""

    team: Team  # one of them
    teams: tuple[str, ...]
    d: int  # date index
    window: tuple[int, int]


@dataclass
class _Pricer:
    """The walk DP of one group; profits change every iteration, the rest does not."""

    group: _Group
    sites: list[str]  # local site j + 1 <-> sites[j]; 0 is the start depot
    options: list[list[tuple[int, int, float]]]  # per local site: (node index, minutes, people)
    lo: np.ndarray  # per local site (1-based, [0] unused): earliest start, minutes from day start
    hi: np.ndarray  # latest finish (closing, and back at the end depot in time)
    reach: np.ndarray  # shortest minutes, (n+1) x (n+1): 0 the start depot, j the site
    home: np.ndarray  # shortest minutes from each place to the end depot
    span: int  # minutes in the day


def route_bound(
    scenario: Scenario,
    part: Part,
    deadline: float,
    seeds: list[tuple[str, int, list[Visit]]] | None = None,
    known: float = 0.0,
) -> float | None:
    """The best Lagrangian bound of column generation until ``deadline``; None if none ran.

    ``seeds`` (team id, date index, visits in order): routes of known plans, as first columns;
    ``known``: a plan's value (once the bound reaches it, that plan is optimal: stop).
    """
    import highspy

    nodes = part.nodes(scenario)
    groups = _groups(scenario, part)
    if not nodes or not groups:
        return 0.0
    index = {(v.site, v.k): i for i, v in enumerate(nodes)}
    places = sorted({t.start_depot for t in part.teams} | {t.end_depot for t in part.teams}) + [
        s.id for s in part.sites
    ]
    where = {place: i for i, place in enumerate(places)}
    shortest = _shortest(scenario.travel.whole_minutes(places).astype(np.int64))  # once per part
    pricers = [p for g in groups if (p := _pricer(scenario, g, nodes, index, shortest, where)) is not None]
    if not pricers:
        return 0.0
    n_dates = len(scenario.dates)
    # rows: visits | order (visit k >= 2, date) | site-date | per group: routes, people
    order_row: dict[tuple[int, int], int] = {}
    site_row: dict[tuple[str, int], int] = {}
    row = len(nodes)
    for i, v in enumerate(nodes):
        if v.k > 1:
            for d in range(n_dates):
                order_row[(i, d)] = row
                row += 1
    for s in dict.fromkeys(v.site for v in nodes):
        for d in range(n_dates):
            site_row[(s, d)] = row
            row += 1
    group_row = {}
    upper = [1.0] * len(nodes) + [0.0] * len(order_row) + [1.0] * len(site_row)
    for k, p in enumerate(pricers):
        group_row[k] = row + 2 * k
        upper += [float(len(p.group.teams)), float(len(p.group.teams) * p.group.team.capacity())]
    n_rows = len(upper)
    h = new_highs(threads=1)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.setOptionValue("simplex_strategy", 4)  # primal: new columns keep the basis primal feasible
    inf = highspy.kHighsInf
    h.addRows(
        n_rows,
        np.full(n_rows, -inf),
        np.array(upper),
        0,
        np.zeros(n_rows, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
    seen: set[tuple[int, tuple[int, ...]]] = set()
    columns: list[tuple[int, tuple[int, ...]]] = []  # (group, nodes), in the master's order

    def add(k: int, stops: tuple[int, ...]) -> bool:
        """A column for group k: a route, or a walk of the pricing (the master is then a
        relaxation of the plans, as the pricing is)."""
        p = pricers[k]
        if not stops or (k, stops) in seen:
            return False
        seen.add((k, stops))
        columns.append((k, stops))
        d, coef = p.group.d, {}

        def put(r: int, x: float) -> None:
            coef[r] = coef.get(r, 0.0) + x

        for i in stops:
            v = nodes[i]
            put(i, 1.0)
            put(site_row[(v.site, d)], 1.0)
            if (i, d) in order_row:
                put(order_row[(i, d)], 1.0)
            if i + 1 < len(nodes) and nodes[i + 1].site == v.site:
                for later in range(d + 1, n_dates):
                    put(order_row[(i + 1, later)], -1.0)
        coef[group_row[k]] = 1.0
        coef[group_row[k] + 1] = sum(nodes[i].load for i in stops)
        idx = np.array(list(coef), np.int32)
        h.addCol(sum(nodes[i].value for i in stops), 0.0, inf, len(idx), idx, np.array(list(coef.values())))
        return True

    for k in range(len(pricers)):  # the empty route: the master is never an empty model
        h.addCol(0.0, 0.0, inf, 1, np.array([group_row[k]], np.int32), np.array([1.0]))
        columns.append((k, ()))
    for k, p in enumerate(pricers):  # every visit alone, where it fits
        date = scenario.dates[p.group.d]
        for opts in p.options:
            for i, _minutes, _people in opts:
                if schedule(scenario, p.group.team, date, [nodes[i]]) is not None:
                    add(k, (i,))
    group_of = {(t, p.group.d): k for k, p in enumerate(pricers) for t in p.group.teams}
    for team, d, visits in seeds or []:  # routes of plans (schedule() accepted them)
        if (team, d) in group_of:
            add(group_of[(team, d)], tuple(index[(v.site, v.k)] for v in visits if (v.site, v.k) in index))
    values = np.array([v.value for v in nodes])
    people = np.array([v.load for v in nodes])
    best = math.inf
    started = time.perf_counter()
    for stage, share in enumerate(STAGE_SHARES):
        # the walk DP alone (fast, weakest), with the kits' capacity, then the routes themselves
        if best <= known + 1e-9 * max(1.0, known):
            break
        until = started + share * (deadline - started)
        if stage:  # the master keeps only columns the stage's pricing allows: the others go
            fits = _is_route if stage == 2 else _fits_capacity
            drop = [c for c, (k, stops) in enumerate(columns) if not fits(scenario, pricers[k], nodes, stops)]
            if drop:
                h.deleteCols(len(drop), np.array(drop, np.int32))
                gone = set(drop)
                columns[:] = [c for x, c in enumerate(columns) if x not in gone]
        center, alpha = None, 0.5
        while time.perf_counter() < until:
            h.setOptionValue("time_limit", h.getRunTime() + max(until - time.perf_counter(), 0.01))
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            lp = h.getInfo().objective_function_value
            duals = np.maximum(np.array(h.getSolution().row_dual), 0.0)
            u = duals if center is None else alpha * center + (1 - alpha) * duals
            bound, found = _lagrangian(u, pricers, nodes, values, people, order_row, site_row, group_row, until, stage)
            if bound is None:
                break
            if bound < best:
                best, center = bound, u
            if best - max(lp, known) <= 1e-6 * max(1.0, abs(lp)):
                break
            if not any([add(k, stops) for k, stops in found]):
                if center is None or alpha == 0.0:
                    break
                alpha = 0.0  # mispricing: price the master's own duals next
            else:
                alpha = 0.5
    return None if best == math.inf else best


def _is_route(scenario: Scenario, p: _Pricer, nodes: list[Visit], stops: tuple[int, ...]) -> bool:
    return schedule(scenario, p.group.team, scenario.dates[p.group.d], [nodes[i] for i in stops]) is not None


def _fits_capacity(scenario: Scenario, p: _Pricer, nodes: list[Visit], stops: tuple[int, ...]) -> bool:
    """Whether a walk fits the capacity as ``walks.loaded_labels`` counts it (units rounded down)."""
    unit = p.group.team.capacity() / LEVELS
    return sum(math.floor(nodes[i].load / unit + 1e-9) for i in stops) <= LEVELS


def _lagrangian(
    u: np.ndarray,
    pricers: list[_Pricer],
    nodes: list[Visit],
    values: np.ndarray,
    people: np.ndarray,
    order_row: dict[tuple[int, int], int],
    site_row: dict[tuple[str, int], int],
    group_row: dict[int, int],
    deadline: float,
    stage: int,
) -> tuple[float | None, list[tuple[int, tuple[int, ...]]]]:
    """L(u) and the best walks (group, node indices) for duals ``u`` (all >= 0)."""
    n, n_dates = len(nodes), max(d for _, d in site_row) + 1
    rho = np.zeros((n, n_dates))
    for (i, d), r in order_row.items():
        rho[i, d] = u[r]
    sigma = np.array([[u[site_row[(v.site, d)]] for d in range(n_dates)] for v in nodes])
    # what a visit releases: visit i + 1 of the same site on any later date
    following = np.zeros((n, n_dates))
    for i, v in enumerate(nodes[:-1]):
        if nodes[i + 1].site == v.site:
            later = np.cumsum(rho[i + 1, ::-1])[::-1]  # later[d] = sum over d' >= d
            following[i, :-1] = later[1:]
    total = float(u[:n].sum()) + float(sum(u[r] for r in site_row.values()))
    found: list[tuple[int, tuple[int, ...]]] = []
    for k, p in enumerate(pricers):
        d = p.group.d
        kappa = float(u[group_row[k] + 1])
        profit = values - u[:n] - kappa * people - rho[:, d] + following[:, d] - sigma[:, d]
        z, walks = _price(p, profit, deadline, stage)
        if z is None:
            return None, found
        total += len(p.group.teams) * (kappa * p.group.team.capacity() + max(0.0, z))
        found.extend((k, w) for w in walks)
    return total, found


def _groups(scenario: Scenario, part: Part) -> list[_Group]:
    out = []
    for d, date in enumerate(scenario.dates):
        kinds: dict[tuple[object, ...], list[Team]] = {}
        for t in part.teams:
            w = scenario.team_day(t, date)
            if w is None:
                continue
            key = (t.start_depot, t.end_depot, t.kits, t.minutes_per_person, t.per_kit_per_day, t.region, w)
            kinds.setdefault(key, []).append(t)
        for key, teams in kinds.items():
            window = key[-1]
            assert isinstance(window, tuple)
            out.append(_Group(teams[0], tuple(t.id for t in teams), d, window))
    return out


def _pricer(
    scenario: Scenario,
    group: _Group,
    nodes: list[Visit],
    index: dict[tuple[str, int], int],
    shortest: np.ndarray,
    where: dict[str, int],
) -> _Pricer | None:
    """The pricing of one group; ``shortest``: shortest minutes among the part's places
    (``where``), through any of them (a team may drive past a site it does not serve today)."""
    team, date = group.team, scenario.dates[group.d]
    day_start, day_end = group.window
    sites: list[str] = []
    options: list[list[tuple[int, int, float]]] = []
    for s in dict.fromkeys(v.site for v in nodes):
        site = scenario.sites[s]
        if not team.serves(site) or not scenario.site_open(site, date):
            continue
        opts = []
        for v in scenario.visits(site):
            if v.load <= team.capacity() + 1e-6:
                opts.append((index[(s, v.k)], service_minutes(team, site.setup_minutes, v.load), v.load))
        if opts:
            sites.append(s)
            options.append(opts)
    if not sites:
        return None
    at = [where[team.start_depot], *(where[s] for s in sites), where[team.end_depot]]
    minutes = shortest[np.ix_(at, at)]
    n = len(sites)
    lo = np.zeros(n + 1, np.int64)
    hi = np.zeros(n + 1, np.int64)
    home = minutes[: n + 1, n + 1]
    span = day_end - day_start
    for j, s in enumerate(sites, start=1):
        site = scenario.sites[s]
        lo[j] = max(site.open - day_start, 0)
        hi[j] = min(site.close - day_start, span - home[j])
    return _Pricer(group, sites, options, lo, hi, minutes[: n + 1, : n + 1], home, span)


def _shortest(m: np.ndarray) -> np.ndarray:
    """All-pairs shortest paths (Floyd-Warshall): a walk may always take the shortest way."""
    m = m.copy()
    for k in range(len(m)):
        np.minimum(m, m[:, k, None] + m[None, k, :], out=m)
    return m


def _price(
    p: _Pricer, profit: np.ndarray, deadline: float, stage: int, n_walks: int = 30
) -> tuple[float | None, list[tuple[int, ...]]]:
    """(z, columns): z >= the best reduced profit of any route of the group, and columns (node
    indices). z is None when out of time.

    Stage 0: the walk DP (``walks.walk_labels``), its z and best walks; stage 1: the walk DP
    with the kits' capacity (``walks.loaded_labels``); stage 2: stage 1's z, then the routes
    themselves (``walks.best_routes``: each site once, people within capacity, pruned by the
    stage-0 DP run backwards): when that search ends within its labels, its best route is z;
    its best routes are the columns.
    """
    from rekam.planner.walks import NEG, best_routes, completion, loaded_labels, rebuild, rebuild_loaded, walk_labels

    if time.perf_counter() > deadline:
        return None, []
    d = p.group.d  # on the date with index d a site's visit k > d + 1 cannot be made
    keep = [j for j, opts in enumerate(p.options) if any(profit[i] > EPS and k <= d for i, _, _, k in _ks(opts))]
    if not keep:
        return 0.0, []
    n = len(keep)
    local = np.array([j + 1 for j in keep])  # into reach / lo / hi
    width = max(len(p.options[j]) for j in keep)
    dur = np.ones((n, width), np.int64)
    gain = np.full((n, width), NEG)
    node = np.full((n, width), -1, np.int64)
    load = np.zeros((n, width))
    for a, j in enumerate(keep):
        for b, (i, minutes, people, k) in enumerate(_ks(p.options[j])):
            if profit[i] > EPS and k <= d:
                dur[a, b], gain[a, b], node[a, b], load[a, b] = minutes, profit[i], i, people
    between = p.reach[np.ix_(local, local)].astype(np.int64)  # between[a, b]: minutes from a to b
    lo, hi, span = p.lo[local].astype(np.int64), p.hi[local].astype(np.int64), int(p.span)
    depart = p.reach[0, local].astype(np.int64)
    columns: list[tuple[int, ...]] = []
    if stage == 0:
        labels = walk_labels(span, dur, gain, lo, hi, depart, *_arcs(between.T))
        end = labels[0][span, :, 0]
        for a in np.argsort(-end)[:n_walks]:
            if end[a] > EPS:
                columns.append(tuple(int(node[x, b]) for x, b in rebuild(labels, int(a), span)))
        return max(0.0, float(end.max())), list(dict.fromkeys(c for c in columns if c))
    unit = p.group.team.capacity() / LEVELS
    units = np.floor(load / unit + 1e-9).astype(np.int64)  # down: every route stays a walk
    loaded = loaded_labels(span, dur, gain, units, LEVELS, lo, hi, depart, *_arcs(between.T))
    end = loaded[0][span, :, LEVELS, 0]
    z = max(0.0, float(end.max()))
    if stage == 1:
        for a in np.argsort(-end)[:n_walks]:
            if end[a] > EPS:
                columns.append(tuple(int(node[x, b]) for x, b in rebuild_loaded(loaded, int(a), span, LEVELS)))
        return z, list(dict.fromkeys(c for c in columns if c))
    if n > 128 or time.perf_counter() > deadline:  # the exact search keeps the sites used in 128 bits
        return z, []
    backward = walk_labels(
        span, dur, gain, span - hi, span - np.maximum(lo, depart), p.home[local].astype(np.int64), *_arcs(between)
    )
    after = completion(span, backward[0], backward[1], between, hi)
    usable = (gain > NEG / 2).ravel()
    ratio = (gain / np.maximum(load, 1e-9)).ravel()[usable]
    order = np.argsort(-ratio, kind="stable")
    people = load.ravel()[usable][order]
    best, complete, site, option, parent, value = best_routes(
        span,
        dur,
        gain,
        load,
        lo,
        hi,
        depart,
        between,
        after,
        float(p.group.team.capacity()),
        np.cumsum(people),
        np.cumsum(people * ratio[order]),
        ratio[order],
        MAX_LABELS,
    )
    for x in np.argsort(-value)[:n_walks]:
        if value[x] <= EPS:
            break
        route = []
        while x >= 0:
            route.append(int(node[site[x], option[x]]))
            x = parent[x]
        columns.append(tuple(reversed(route)))
    return (min(z, float(best)) if complete else z), columns


def _ks(options: list[tuple[int, int, float]]) -> list[tuple[int, int, float, int]]:
    """A site's options with their visit's index k - 1 (options are its visits in order)."""
    return [(i, minutes, people, k) for k, (i, minutes, people) in enumerate(options)]


def _arcs(into: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per site (row of ``into``: minutes from each other site to it): its NEAR nearest
    predecessors and their minutes; the sites in GROUPS groups of neighbours (each site joins
    the nearest of centres picked farthest-first); per site and group, the shortest minutes from
    a group member that is not a near predecessor (-1: none)."""
    n = len(into)
    big = np.iinfo(np.int64).max // 4
    into = into.astype(np.int64).copy()
    np.fill_diagonal(into, big)
    m = min(NEAR, n - 1)
    order = np.argsort(into, axis=1, kind="stable")
    near = order[:, :m].astype(np.int64)
    near_cost = np.take_along_axis(into, near, axis=1)
    way = np.minimum(into, into.T)  # minutes either way, for grouping
    np.fill_diagonal(way, 0)
    centres = [0]
    gap = way[0].copy()
    while len(centres) < min(GROUPS, n):
        centres.append(int(np.argmax(gap)))
        gap = np.minimum(gap, way[centres[-1]])
    group = np.argmin(way[:, centres], axis=1).astype(np.int64)
    far = np.full((n, len(centres)), -1, np.int64)
    other = into.copy()
    np.put_along_axis(other, near, big, axis=1)  # near predecessors have their own arcs
    for k in range(len(centres)):
        members = group == k
        if members.any():
            cost = other[:, members].min(axis=1)
            far[:, k] = np.where(cost < big, cost, -1)
    return near, near_cost, far, group
