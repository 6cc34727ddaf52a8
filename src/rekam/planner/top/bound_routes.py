"""The route set packing bound of a TOP (relaxation 2 of ``bound``): strong for short routes.

Column generation over routes; every iteration gives a valid Lagrangian bound, priced first
over q-routes (walks without 2-cycles on a time grid, arc lengths rounded down, by dynamic
programming in numpy), then, time permitting, over elementary routes by labelling.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass

import numpy as np

from rekam.planner.top.relax import Reduced, highs, integral, run

GRID = 1000  # time steps of the q-route grid
MAX_GRID = 8000  # beyond this (points almost on top of each other) the q-route phase is skipped
MAX_LABELS = 50_000  # per elementary pricing
NEG = -1e18


def route_bound(
    red: Reduced, deadline: float, seeds: list[tuple[int, ...]], known: int, threads: int = 2
) -> dict[str, float]:
    """Column generation; returns the best Lagrangian bound of each pricing that ran."""
    import highspy

    inst, cust = red.inst, red.cust
    row = {c: k for k, c in enumerate(cust)}
    nc, inf = len(cust), highspy.kHighsInf
    h = highs(threads=threads)
    h.addRows(
        nc + 1,
        np.full(nc + 1, -inf),
        np.array([1.0] * nc + [inst.teams]),
        0,
        np.zeros(nc + 1, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
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
        run(h, deadline)
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
            if integral(best) <= max(lp + 1e-6, known) or best - lp < 1e-6:
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
            if integral(best) <= known:
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
        if integral(best) <= max(lp + 1e-6, known) or not any([add(r) for r in found]):
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
    def of(cls, red: Reduced) -> _QRoutePricer | None:
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
    red: Reduced, profit: dict[int, float], floor_value: float, deadline: float, n_routes: int = 10
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
        if popped > MAX_LABELS or time.perf_counter() > deadline:  # a pop may be slow: check each
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
