"""The arc-flow bound of a TOP (relaxation 1 of ``bound``): strong for long routes.

Binary arcs x_ij, visits y_i, and a single commodity f_ij = the time at which a team reaching j
over (i, j) arrives there; the LP is tightened by x_ij + x_ji <= y_i and by connectivity cuts
separated by max flow on the LP solution. The bound is recomputed from the row duals as a
Lagrangian bound, so it does not rest on the LP solver's tolerances.
"""

from __future__ import annotations

import math
import time
from collections import deque

import numpy as np

from rekam.planner.top.relax import Reduced, highs, integral, run


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


def flow_bound(red: Reduced, deadline: float, known: int, threads: int = 2) -> float:
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
    h = highs(threads=threads)
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
        optimal = run(h, deadline)
        h.setOptionValue("solver", "simplex")
        sol = h.getSolution()
        if sol.dual_valid:  # optimal or not, any duals give a bound
            duals = np.array(sol.row_dual)
            best = min(best, rows.lagrangian(cost, ub, duals), rows.lagrangian(cost, ub, -duals))
            history.append(best)
        if not optimal or integral(best) <= known or (len(history) > 3 and history[-4] - best < 1e-4 * best):
            break
        if not _add_cuts(red, arcs, y, np.array(sol.col_value), rows, deadline):
            break
        rows.flush(h)
    return best


def _add_cuts(
    red: Reduced, arcs: list[tuple[int, int]], y: dict[int, int], x: np.ndarray, rows: _Rows, deadline: float
) -> int:
    """Connectivity cuts x(delta-(S)) >= y_k violated by the LP solution ``x`` (until ``deadline``)."""
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
        if time.perf_counter() > deadline:  # a max flow per point: many seconds on 100 points
            break
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
