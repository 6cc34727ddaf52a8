"""An upper bound for the Team Orienteering Problem: no plan can score more than it.

Two relaxations are solved with HiGHS within the time limit and the smaller bound is kept:

1. *Arc flow* (strong for long routes). Binary arcs x_ij, visits y_i, and a single
   commodity f_ij = the time at which a team reaching j over (i, j) arrives there:
   out-flow = in-flow + travel on the out arc, (d(s,i) + d_ij) x_ij <= f_ij <= (tmax -
   d(j,e)) x_ij, at most m arcs leave the start. Points with no score or with d(s,i) +
   d(i,e) > tmax are dropped, and so are arcs with d(s,i) + d_ij + d(j,e) > tmax; with
   Euclidean distances (triangle inequality) an optimal plan never needs them. The LP is
   tightened by x_ij + x_ji <= y_i and by connectivity cuts x(delta-(S)) >= y_k for every
   set S holding k but not the start, separated by max flow on the LP solution.
2. *Route set packing* (strong for short routes): max sum_r p_r l_r over routes r, each point
   covered at most once, at most m routes, solved by column generation. Whatever the duals
   (pi, mu) are, sum pi + m * max(0, z(pi)) bounds the optimum when z(pi) bounds the best
   route's reduced profit sum_{i in r} (p_i - pi_i) (Lagrangian bound), so every iteration
   gives a valid bound, converged or not. z is first priced over *q-routes*: walks without
   2-cycles on a time grid of K steps whose arc lengths are rounded *down* (a feasible route
   stays feasible), by dynamic programming in numpy; then, time permitting, over elementary
   routes by labelling, which is exact.

Validity does not rest on the LP solver's tolerances: the arc-flow bound is recomputed from
the row duals as a Lagrangian bound (any duals give one), the set-packing bound is the
Lagrangian bound above; distances get a 1e-6 slack on tmax. Scores being integers, the
bound reported is floor(bound + 1e-6).

Measured on the 34 benchmark instances (Chao et al. sets 4-7, 2 cores, 60 s): see
benchmarks/README.md. The LP of the arc-flow model alone is 5.5 % above best-known on
average, 4.6 % with the cuts; the HiGHS MIP dual bound of that model after 60 s, 3.0 %;
route set packing cuts the short-route instances to about 1-2 %.
"""

from __future__ import annotations

import heapq
import math
import os
import sys
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from rekam.planner.top import TopInstance

SLACK = 1e-6  # on tmax: a route the checker accepts (1e-9) is never cut off
GRID = 1000  # time steps of the q-route grid
MAX_GRID = 8000  # beyond this (points almost on top of each other) the q-route phase is skipped
FLOW_SHARE = 0.75  # of the time limit, at most, for the arc-flow phase (it stops when its cuts stall)
MAX_LABELS = 50_000  # per elementary pricing
NEG = -1e18


@dataclass(frozen=True)
class TopBound:
    value: float
    method: str
    seconds: float


def bound_top(instance: TopInstance, time_limit: float = 60.0, routes: list[list[int]] | None = None) -> TopBound:
    """An upper bound on the best score, found within about ``time_limit`` seconds.

    ``routes`` (a known plan, optional) seeds the column generation; it does not affect validity.
    """
    from rekam.planner.check import check_top, score_top
    from rekam.planner.greedy import biggest_first, nearest_first

    t0 = time.perf_counter()
    red = _Reduced.of(instance)
    if not red.cust:
        return TopBound(0.0, "nothing reachable", time.perf_counter() - t0)
    plans = [routes or [], nearest_first(instance), biggest_first(instance)]
    known = max(score_top(instance, p) for p in plans if not check_top(instance, p))  # a bound this low is optimal
    bounds = {"sum of scores": float(sum(red.score.values()))}
    bounds["arc flow LP + cuts"] = _flow_bound(red, t0 + FLOW_SHARE * time_limit, known)
    if _integral(bounds["arc flow LP + cuts"]) > known:
        seeds = [tuple(c for c in r if c in red.score) for p in plans for r in p]
        bounds.update(_route_bound(red, t0 + time_limit, seeds, known))
    method = min(bounds, key=lambda k: bounds[k])
    return TopBound(_integral(bounds[method]), method, time.perf_counter() - t0)


def _integral(bound: float) -> float:
    """Scores are integers: so is the best total, and a bound may be rounded down."""
    return float(math.floor(bound + 1e-6)) if math.isfinite(bound) else bound


@dataclass(frozen=True)
class _Reduced:
    """The points that can matter: positive score, reachable within tmax."""

    inst: TopInstance
    cust: list[int]
    score: dict[int, int]
    tmax: float

    @classmethod
    def of(cls, inst: TopInstance) -> _Reduced:
        s, e, tmax = inst.start, inst.end, inst.tmax + SLACK
        cust = [
            i for i in range(len(inst.points))
            if i not in (s, e) and inst.scores[i] > 0 and inst.distance(s, i) + inst.distance(i, e) <= tmax
        ]  # fmt: skip
        return cls(inst, cust, {i: inst.scores[i] for i in cust}, tmax)

    def arc_ok(self, i: int, j: int) -> bool:
        d, s, e = self.inst.distance, self.inst.start, self.inst.end
        return i != j and d(s, i) + d(i, j) + d(j, e) <= self.tmax


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner on stdout when the first solver is made; keep JSON output clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _highs(maximize: bool = True):  # type: ignore[no-untyped-def]
    import highspy

    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 2)
    if maximize:
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return h


def _run(h, deadline: float) -> bool:  # type: ignore[no-untyped-def]
    """Solve until ``deadline`` (HiGHS's time limit counts from the solver's creation); True if optimal."""
    import highspy

    h.setOptionValue("time_limit", h.getRunTime() + max(deadline - time.perf_counter(), 0.01))
    h.run()
    return h.getModelStatus() == highspy.HighsModelStatus.kOptimal


# --- 1. arc flow -------------------------------------------------------------------------


class _Rows:
    """Rows kept on our side too, for the Lagrangian bound: lo <= sum val * col <= hi."""

    def __init__(self) -> None:
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.pending = 0

    def add(self, lo: float, hi: float, cols: list[int], vals: list[float]) -> None:
        self.rows.extend([len(self.lo)] * len(cols))
        self.cols.extend(cols)
        self.vals.extend(vals)
        self.lo.append(lo)
        self.hi.append(hi)
        self.pending += 1

    def flush(self, h) -> None:  # type: ignore[no-untyped-def]
        """Pass the rows added since the last flush to HiGHS."""
        n = self.pending
        if not n:
            return
        first = len(self.lo) - n
        rows, cols, vals = np.array(self.rows), np.array(self.cols, np.int32), np.array(self.vals)
        keep = rows >= first
        starts = np.searchsorted(rows[keep], np.arange(first, first + n)).astype(np.int32)
        lo, hi = np.array(self.lo[first:]), np.array(self.hi[first:])
        h.addRows(n, lo, hi, int(keep.sum()), starts, cols[keep], vals[keep])
        self.pending = 0

    def lagrangian(self, cost: np.ndarray, ub: np.ndarray, duals: np.ndarray) -> float:
        """max cost.x over 0 <= x <= ub, lo <= Ax <= hi is at most this, for any row duals."""
        lo, hi = np.array(self.lo), np.array(self.hi)
        y = np.where((duals > 0) & np.isfinite(hi), duals, 0.0) + np.where((duals < 0) & np.isfinite(lo), duals, 0.0)
        reduced = cost.copy()
        np.subtract.at(reduced, np.array(self.cols), y[np.array(self.rows)] * np.array(self.vals))
        rows_part = np.where(y > 0, y * np.where(np.isfinite(hi), hi, 0.0), y * np.where(np.isfinite(lo), lo, 0.0))
        return float(rows_part.sum() + np.maximum(reduced, 0.0) @ ub)


def _flow_bound(red: _Reduced, deadline: float, known: int) -> float:
    import highspy

    inst, cust, tmax = red.inst, red.cust, red.tmax
    s, e, d = inst.start, inst.end, inst.distance
    arcs = [(i, j) for i in [s, *cust] for j in [*cust, e] if red.arc_ok(i, j)]
    na, nc = len(arcs), len(cust)
    y = {c: 2 * na + k for k, c in enumerate(cust)}
    cost = np.zeros(2 * na + nc)
    ub = np.ones(2 * na + nc)
    for c in cust:
        cost[y[c]] = red.score[c]
    for a, (_, j) in enumerate(arcs):
        ub[na + a] = tmax - d(j, e)
    h = _highs()
    h.addCols(len(cost), cost, np.zeros(len(cost)), ub, 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    out: dict[int, list[int]] = {i: [] for i in [s, *cust]}
    into: dict[int, list[int]] = {j: [] for j in [*cust, e]}
    for a, (i, j) in enumerate(arcs):
        out[i].append(a)
        into[j].append(a)
    inf = highspy.kHighsInf
    rows = _Rows()
    rows.add(-inf, inst.teams, out[s], [1.0] * len(out[s]))
    for c in cust:
        rows.add(0.0, 0.0, [*into[c], y[c]], [1.0] * len(into[c]) + [-1.0])
        rows.add(0.0, 0.0, [*out[c], y[c]], [1.0] * len(out[c]) + [-1.0])
        flow = [na + a for a in out[c]] + [na + a for a in into[c]] + out[c]
        rows.add(0.0, 0.0, flow, [1.0] * len(out[c]) + [-1.0] * len(into[c]) + [-d(*arcs[a]) for a in out[c]])
    index = {arc: a for a, arc in enumerate(arcs)}
    for a, (i, j) in enumerate(arcs):
        if i == s:
            rows.add(0.0, 0.0, [na + a, a], [1.0, -d(i, j)])
        else:  # weakened by 1e-9 against rounding
            rows.add(-inf, 0.0, [a, na + a], [(d(s, i) + d(i, j)) * (1 - 1e-9), -1.0])
            if j != e and i < j and (j, i) in index:
                b = index[(j, i)]
                rows.add(-inf, 0.0, [a, b, y[i]], [1.0, 1.0, -1.0])
                rows.add(-inf, 0.0, [a, b, y[j]], [1.0, 1.0, -1.0])
        rows.add(-inf, 0.0, [na + a, a], [1.0, -(tmax - d(j, e))])
    rows.flush(h)

    best = math.inf
    history: list[float] = []
    h.setOptionValue("solver", "ipm")  # much faster than simplex from scratch; simplex re-solves after cuts
    while time.perf_counter() < deadline:
        optimal = _run(h, deadline)
        h.setOptionValue("solver", "simplex")
        sol = h.getSolution()
        if sol.dual_valid:  # optimal or not, any duals give a bound
            duals = np.array(sol.row_dual)
            best = min(best, rows.lagrangian(cost, ub, duals), rows.lagrangian(cost, ub, -duals))
            history.append(best)
        if not optimal or _integral(best) <= known or (len(history) > 3 and history[-4] - best < 1e-4 * best):
            break
        if not _add_cuts(red, arcs, y, np.array(sol.col_value), rows):
            break
        rows.flush(h)
    return best


def _add_cuts(red: _Reduced, arcs: list[tuple[int, int]], y: dict[int, int], x: np.ndarray, rows: _Rows) -> int:
    """Connectivity cuts x(delta-(S)) >= y_k violated by the LP solution ``x``."""
    s = red.inst.start
    cap: dict[tuple[int, int], float] = {}
    adj: dict[int, set[int]] = {}
    for a, (i, j) in enumerate(arcs):
        if x[a] > 1e-7:
            cap[(i, j)] = float(x[a])
            adj.setdefault(i, set()).add(j)
            adj.setdefault(j, set()).add(i)
    found: set[frozenset[int]] = set()
    for k in red.cust:
        if x[y[k]] < 1e-3:
            continue
        flow, sink = _max_flow(cap, adj, s, k)
        if flow < x[y[k]] - 1e-4 and frozenset(sink) not in found:
            found.add(frozenset(sink))
            entering = [a for a, (i, j) in enumerate(arcs) if j in sink and i not in sink]
            rows.add(0.0, math.inf, [*entering, y[k]], [1.0] * len(entering) + [-1.0])
    return len(found)


def _max_flow(cap: dict[tuple[int, int], float], adj: dict[int, set[int]], s: int, t: int) -> tuple[float, set[int]]:
    """Edmonds-Karp; returns the flow value and the sink side of a minimum cut."""
    res = dict(cap)
    total = 0.0
    while True:
        parent: dict[int, int | None] = {s: None}
        queue = deque([s])
        while queue and t not in parent:
            u = queue.popleft()
            for v in adj.get(u, ()):
                if v not in parent and res.get((u, v), 0.0) > 1e-9:
                    parent[v] = u
                    queue.append(v)
        if t not in parent:
            return total, (set(adj) - set(parent)) | {t}
        path, v = [], t
        while (u := parent[v]) is not None:
            path.append((u, v))
            v = u
        push = min(res[arc] for arc in path)
        for u, v in path:
            res[(u, v)] -= push
            res[(v, u)] = res.get((v, u), 0.0) + push
        total += push


# --- 2. route set packing ------------------------------------------------------------------


def _route_bound(red: _Reduced, deadline: float, seeds: list[tuple[int, ...]], known: int) -> dict[str, float]:
    """Column generation; returns the best Lagrangian bound of each pricing that ran."""
    import highspy

    inst, cust = red.inst, red.cust
    row = {c: k for k, c in enumerate(cust)}
    nc, inf = len(cust), highspy.kHighsInf
    h = _highs()
    h.addRows(nc + 1, np.full(nc + 1, -inf), np.array([1.0] * nc + [inst.teams]), 0,
              np.zeros(nc + 1, np.int32), np.zeros(0, np.int32), np.zeros(0))  # fmt: skip
    columns: list[tuple[int, ...]] = []

    def add(route: tuple[int, ...]) -> bool:
        if not route or route in columns:
            return False
        counts: dict[int, float] = {}
        for c in route:
            counts[row[c]] = counts.get(row[c], 0.0) + 1.0
        idx = np.array([*counts, nc], np.int32)
        h.addCol(float(sum(red.score[c] for c in route)), 0.0, inf, len(idx), idx, np.array([*counts.values(), 1.0]))
        columns.append(route)
        return True

    for r in [*((c,) for c in cust), *seeds]:
        add(r)
    scores = np.array([red.score[c] for c in cust], float)

    def master() -> tuple[float, np.ndarray, float]:
        _run(h, deadline)
        duals = np.array(h.getSolution().row_dual)
        return h.getInfo().objective_function_value, np.maximum(duals[:nc], 0.0), max(float(duals[nc]), 0.0)

    def lagrangian(pi: np.ndarray, z: float) -> float:
        return float(pi.sum()) + inst.teams * max(z, 0.0)

    out: dict[str, float] = {}
    pricer = _QRoutePricer.of(red)
    if pricer is not None:  # q-routes, with Wentges smoothing of the duals
        best, center, alpha = math.inf, None, 0.5
        while time.perf_counter() < deadline:
            lp, pi, mu = master()
            sep = pi if center is None else alpha * center + (1 - alpha) * pi
            priced = pricer.best(scores - sep, deadline)
            if priced is None:
                break
            z, found = priced
            bound = lagrangian(sep, z)
            if bound < best:
                best, center = bound, sep
            if _integral(best) <= max(lp + 1e-6, known) or best - lp < 1e-6:
                break
            gain = [r for r in found if sum(red.score[c] - pi[row[c]] for c in r) > mu + 1e-6]
            if not any([add(r) for r in gain]):
                if center is None or alpha == 0.0:
                    break
                alpha = 0.0  # mispricing: price the master duals themselves next
            else:
                alpha = 0.5
        if best < math.inf:
            out["route set packing (q-routes)"] = best
            if _integral(best) <= known:
                return out
    elementary = [k for k, r in enumerate(columns) if len(set(r)) == len(r) and inst.route_length(list(r)) <= red.tmax]
    if len(elementary) < len(columns):  # walks that are not routes out: the elementary master is tighter
        drop = np.array(sorted(set(range(len(columns))) - set(elementary)), np.int32)
        h.deleteCols(len(drop), drop)
        columns[:] = [columns[k] for k in elementary]
    best = math.inf
    while time.perf_counter() < deadline:
        lp, pi, mu = master()
        z, found = _elementary_best(red, dict(zip(cust, scores - pi, strict=True)), mu, deadline)
        if z is not None:
            best = min(best, lagrangian(pi, z))
        if _integral(best) <= max(lp + 1e-6, known) or not any([add(r) for r in found]):
            break
    if best < math.inf:
        out["route set packing (elementary)"] = best
    return out


@dataclass(frozen=True)
class _QRoutePricer:
    """Best walk without 2-cycles by dynamic programming over (time step, point)."""

    cust: list[int]
    steps: int  # K: the grid has K + 1 times 0..K
    tail: np.ndarray  # arcs sorted by head; point 0 is the start, c + 1 is cust[c]
    head: np.ndarray
    w: np.ndarray  # arc lengths in steps, rounded down
    w_end: np.ndarray  # per point, steps to the end, rounded down
    into: dict[int, list[tuple[int, int]]]  # per point: (predecessor, arc length in steps)

    @classmethod
    def of(cls, red: _Reduced) -> _QRoutePricer | None:
        inst, cust, tmax = red.inst, red.cust, red.tmax
        d = inst.distance
        closest = min((d(a, b) for a in cust for b in cust if a != b), default=tmax)
        delta = min(tmax / GRID, closest * (1 - 1e-9))  # every arc between points is >= 1 step
        if delta <= tmax / MAX_GRID:
            return None
        tails, heads, ws = [], [], []
        for a, i in enumerate([inst.start, *cust]):
            for b, j in enumerate(cust, start=1):
                if red.arc_ok(i, j):
                    tails.append(a)
                    heads.append(b)
                    ws.append(math.floor(d(i, j) / delta))
        if not tails:
            return None
        order = np.lexsort((np.array(tails), np.array(heads)))
        tail, head, w = (np.array(v, np.int64)[order] for v in (tails, heads, ws))
        w_end = np.array([0] + [math.floor(d(c, inst.end) / delta) for c in cust], np.int64)
        into: dict[int, list[tuple[int, int]]] = {}
        for a, b, k in zip(tail.tolist(), head.tolist(), w.tolist(), strict=True):
            into.setdefault(b, []).append((a, k))
        return cls(cust, math.floor(tmax / delta), tail, head, w, w_end, into)

    def best(
        self, profit: np.ndarray, deadline: float, n_routes: int = 20
    ) -> tuple[float, list[tuple[int, ...]]] | None:
        """(z, walks): z >= the best reduced profit of any route; None if out of time."""
        useful = np.r_[True, profit > 1e-9]
        keep = useful[self.tail] & useful[self.head]
        tail, head, w = self.tail[keep], self.head[keep], self.w[keep]
        if not len(tail):
            return 0.0, []
        gain = np.r_[0.0, profit][head]
        starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
        group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(head)]))
        heads = head[starts]
        k_max, n = self.steps, len(self.cust) + 1
        pad = int(w.max())  # rows 0..pad-1 are "before time 0"
        f1 = np.full((pad + k_max + 1, n), NEG)  # best value at (time, point) ...
        p1 = np.full((pad + k_max + 1, n), -1, np.int64)  # ... its predecessor ...
        f2 = np.full((pad + k_max + 1, n), NEG)  # ... and the best with another predecessor
        f1[pad, 0] = 0.0
        arange = np.arange(len(tail))
        last_ok = k_max - self.w_end[heads]
        for k in range(k_max + 1):  # time 0 too: a point may be less than a step from the start
            if k % 64 == 0 and time.perf_counter() > deadline:
                return None
            src = pad + k - w
            v = np.where(p1[src, tail] != head, f1[src, tail], f2[src, tail]) + gain
            m1 = np.maximum.reduceat(v, starts)
            arg = np.maximum.reduceat(np.where(v == m1[group], arange, -1), starts)
            v[arg] = NEG
            m2 = np.maximum.reduceat(v, starts)
            ok = (k <= last_ok) & (m1 > NEG / 2)
            f1[pad + k, heads] = np.where(ok, m1, NEG)
            p1[pad + k, heads] = np.where(ok, tail[arg], -1)
            f2[pad + k, heads] = np.where(ok & (m2 > NEG / 2), m2, NEG)
        f1, p1, f2 = f1[pad:], p1[pad:], f2[pad:]
        end_value = f1.max(axis=0)
        end_value[0] = NEG
        z = max(0.0, float(end_value.max()))
        walks = []
        for j in np.argsort(-end_value)[:n_routes]:
            if end_value[j] <= 1e-9:
                break
            walks.append(self._walk(int(j), int(np.argmax(f1[:, j])), f1, p1, f2, np.r_[0.0, profit]))
        return z, walks

    def _walk(
        self, j: int, k: int, f1: np.ndarray, p1: np.ndarray, f2: np.ndarray, gain: np.ndarray
    ) -> tuple[int, ...]:
        """The walk behind the best value at (k, j), rebuilt backwards."""
        walk: list[int] = []
        target, banned = f1[k, j], -1
        while j != 0:
            walk.append(self.cust[j - 1])
            prev = None
            for i, step in self.into[j]:
                if i == banned or k - step < 0:
                    continue
                vi = f1[k - step, i] if p1[k - step, i] != j else f2[k - step, i]
                if abs(vi + gain[j] - target) <= 1e-7 * max(1.0, abs(target)):
                    prev = (i, k - step, vi)
                    break
            if prev is None:  # not expected; a partial walk is still a valid column
                break
            banned, (j, k, target) = j, prev
        return tuple(reversed(walk))


def _elementary_best(
    red: _Reduced, profit: dict[int, float], floor_value: float, deadline: float, n_routes: int = 10
) -> tuple[float | None, list[tuple[int, ...]]]:
    """(z, routes): z >= max(floor_value, best reduced profit of an elementary route).

    Labels by time, pruned by dominance and by a fractional-knapsack completion bound (each
    point costs at least half its shortest way in plus half its shortest way out). If cut
    short (labels, time), z is None and the routes are the best found so far.
    """
    inst, tmax = red.inst, red.tmax
    s, e, d = inst.start, inst.end, inst.distance
    pos = [c for c in red.cust if profit[c] > 1e-9]
    if not pos:
        return floor_value, []
    bit = {c: 1 << k for k, c in enumerate(pos)}
    to_end = {c: d(c, e) for c in pos}
    dist = {i: {j: d(i, j) for j in pos if j != i} for i in [s, *pos]}
    cost = {
        v: (min(dist[u][v] for u in [s, *pos] if u != v) + min([dist[v][w] for w in pos if w != v] + [to_end[v]])) / 2
        for v in pos
    }
    order = sorted(pos, key=lambda v: -profit[v] / cost[v] if cost[v] > 0 else -math.inf)

    def completion(i: int, t: float, mask: int) -> float:
        room, total = tmax - t, 0.0
        for v in order:
            if mask & bit[v] or v == i or t + dist[i][v] + to_end[v] > tmax:
                continue
            if cost[v] <= room:
                total, room = total + profit[v], room - cost[v]
            else:
                return total + profit[v] * room / cost[v]
        return total

    best, found = floor_value, []  # found: min-heap of (value, route)
    queue: list[tuple[float, int, int, float, int, tuple[int, ...]]] = [(0.0, 0, s, 0.0, 0, ())]
    labels: dict[int, list[tuple[float, float, int]]] = {c: [] for c in pos}
    popped = pushed = 0
    while queue:
        t, _, i, value, mask, route = heapq.heappop(queue)
        if value + completion(i, t, mask) <= best + 1e-9:
            continue
        popped += 1
        if popped > MAX_LABELS or (popped % 16 == 0 and time.perf_counter() > deadline):
            return None, [r for _, r in found]
        for j in pos:
            if mask & bit[j]:
                continue
            tj = t + dist[i][j]
            if tj + to_end[j] > tmax:
                continue
            vj, mj = value + profit[j], mask | bit[j]
            here = labels[j]
            if any(lt <= tj and lv >= vj and not lm & ~mj for lt, lv, lm in here):
                continue
            here[:] = [(lt, lv, lm) for lt, lv, lm in here if not (tj <= lt and vj >= lv and not mj & ~lm)]
            here.append((tj, vj, mj))
            rj = (*route, j)
            if vj > best + 1e-9:
                best = vj
            if vj > floor_value + 1e-9:
                heapq.heappush(found, (vj, rj))
                if len(found) > n_routes:
                    heapq.heappop(found)
            pushed += 1
            heapq.heappush(queue, (tj, pushed, j, vj, mj, rj))
    return best, [r for _, r in found]
