"""The best walk of a team's day by dynamic programming over (minute, site): the pricing of the
route bound (``bound_routes``), compiled with Numba.

A label at (t, a) is the best value of a walk that has finished its service at site a by
minute t (labels are cumulative in time: waiting is free). Each site keeps two labels, the
best and the best with another predecessor, so that a walk never returns to the site it just
left (no 2-cycles). The DP allows *more* than routes, never fewer, so its optimum bounds the
best route from above:

- a site may come back after another site (only 2-cycles are excluded);
- a site's options are its visits (k = 1, 2, ...): any of them may be taken;
- each site's ``near`` predecessors are exact arcs; the others are merged by ``group`` (sites
  close together): one arc per group, of the shortest length from any of its other sites
  (``far``), from the group's best label but the site itself (2-cycles allowed there);
- the kits' capacity is not counted (the master LP counts it).

Times are whole minutes from the start of the day; ``reach`` must be shortest paths (so a
skipped site never makes a walk longer). Every duration is >= 1 minute, so a label at minute t
depends only on labels before t.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

NEG = -1e18


@njit(cache=True)  # type: ignore[misc]
def walk_labels(
    span: int,
    dur: np.ndarray,  # (n, w) int64: minutes of option b at site a (unused options: gain NEG)
    gain: np.ndarray,  # (n, w) float64
    lo: np.ndarray,  # (n,) earliest start
    hi: np.ndarray,  # (n,) latest finish
    start: np.ndarray,  # (n,) minutes from the start depot
    near: np.ndarray,  # (n, m) predecessors of a (site indices; -1 = none)
    near_cost: np.ndarray,  # (n, m) minutes from near[a, c] to a
    far: np.ndarray,  # (n, K): minutes to a from the nearest of group k's other sites (-1: none)
    group: np.ndarray,  # (n,) the group (0..K-1) of each site
) -> Any:
    n, w = gain.shape
    m = near.shape[1]
    groups = far.shape[1]
    val = np.full((span + 1, n, 2), NEG)
    pred = np.full((span + 1, n, 2), -1, np.int64)  # -1: the start depot
    ptime = np.full((span + 1, n, 2), -1, np.int64)
    prank = np.full((span + 1, n, 2), 0, np.int64)
    node = np.full((span + 1, n, 2), -1, np.int64)  # the option taken (b)
    top_v = np.full((span + 1, groups, 2), NEG)  # best labels per group: value and site, two sites
    top_a = np.full((span + 1, groups, 2), -1, np.int64)
    for t in range(span + 1):
        for a in range(n):
            if t > 0:
                for r in range(2):
                    val[t, a, r] = val[t - 1, a, r]
                    pred[t, a, r] = pred[t - 1, a, r]
                    ptime[t, a, r] = ptime[t - 1, a, r]
                    prank[t, a, r] = prank[t - 1, a, r]
                    node[t, a, r] = node[t - 1, a, r]
            if t > hi[a]:
                continue
            for b in range(w):
                g = gain[a, b]
                if g <= NEG / 2:
                    continue
                t0 = t - dur[a, b]
                if t0 < lo[a] or t0 < 0:
                    continue
                # candidates arriving by t0: the depot, exact arcs, the merged arc of each group
                for c in range(m + 1 + groups):
                    if c == m:
                        if start[a] > t0:
                            continue
                        v, p, pt, pr = 0.0, -1, -1, 0
                    elif c > m:
                        k = c - m - 1
                        if far[a, k] < 0 or t0 - far[a, k] < 0:
                            continue
                        pt = t0 - far[a, k]
                        r = 0 if top_a[pt, k, 0] != a else 1
                        p = top_a[pt, k, r]
                        if p < 0:
                            continue
                        v, pr = top_v[pt, k, r], 1
                    else:
                        p = near[a, c]
                        if p < 0:
                            continue
                        pt = t0 - near_cost[a, c]
                        if pt < 0:
                            continue
                        pr = 2 if pred[pt, p, 0] == a else 1
                        v = val[pt, p, pr - 1]
                    if v <= NEG / 2:
                        continue
                    v += g
                    # insert (v, p) into a's two labels: the best, and the best from another predecessor
                    if p == pred[t, a, 0]:
                        if v > val[t, a, 0]:
                            val[t, a, 0], ptime[t, a, 0], prank[t, a, 0], node[t, a, 0] = v, pt, pr, b
                    elif v > val[t, a, 0]:
                        val[t, a, 1], pred[t, a, 1], ptime[t, a, 1] = val[t, a, 0], pred[t, a, 0], ptime[t, a, 0]
                        prank[t, a, 1], node[t, a, 1] = prank[t, a, 0], node[t, a, 0]
                        val[t, a, 0], pred[t, a, 0], ptime[t, a, 0], prank[t, a, 0], node[t, a, 0] = v, p, pt, pr, b
                    elif v > val[t, a, 1]:
                        val[t, a, 1], pred[t, a, 1], ptime[t, a, 1], prank[t, a, 1], node[t, a, 1] = v, p, pt, pr, b
        for a in range(n):  # the best labels of each group at t, from two different sites
            v, k = val[t, a, 0], group[a]
            if v > top_v[t, k, 0]:
                top_v[t, k, 1], top_a[t, k, 1] = top_v[t, k, 0], top_a[t, k, 0]
                top_v[t, k, 0], top_a[t, k, 0] = v, a
            elif v > top_v[t, k, 1]:
                top_v[t, k, 1], top_a[t, k, 1] = v, a
    return val, pred, ptime, prank, node


def rebuild(labels: Any, a: int, t: int) -> list[tuple[int, int]]:
    """The (site, option) pairs of the walk behind the best label at (t, a), in order."""
    _val, pred, ptime, prank, node = labels
    out: list[tuple[int, int]] = []
    rank = 0
    while a >= 0 and node[t, a, rank] >= 0:
        out.append((a, int(node[t, a, rank])))
        a, t, rank = int(pred[t, a, rank]), int(ptime[t, a, rank]), int(prank[t, a, rank]) - 1
    return out[::-1]


@njit(cache=True)  # type: ignore[misc]
def completion(
    span: int,
    rev_val: np.ndarray,  # the labels of the reversed DP (same sites, time reversed)
    rev_pred: np.ndarray,
    reach: np.ndarray,  # (n, n) shortest minutes between the sites
    hi: np.ndarray,
) -> np.ndarray:
    """C[t, a] >= the best value a walk can still collect after finishing at site a at minute t
    (a's own value not counted; 0: go home). From the reversed DP: its label at (span - t -
    reach[a, b], b) is the best walk that starts at b no earlier than t + reach[a, b]."""
    n = reach.shape[0]
    out = np.full((span + 1, n), NEG)
    for a in range(n):
        for t in range(min(hi[a], span) + 1):
            best = 0.0
            for b in range(n):
                if b == a:
                    continue
                r = span - t - reach[a, b]
                if r < 0:
                    continue
                v = rev_val[r, b, 1] if rev_pred[r, b, 0] == a else rev_val[r, b, 0]
                if v > best:
                    best = v
            out[t, a] = best
    return out


@njit(cache=True)  # type: ignore[misc]
def best_routes(
    span: int,
    dur: np.ndarray,  # (n, w) as walk_labels
    gain: np.ndarray,
    load: np.ndarray,  # (n, w) people of each option
    lo: np.ndarray,
    hi: np.ndarray,
    depart: np.ndarray,  # (n,) minutes from the start depot
    between: np.ndarray,  # (n, n) shortest minutes
    after: np.ndarray,  # (span + 1, n) completion bound (``completion``)
    capacity: float,
    knap_people: np.ndarray,  # cumulative people of the options, best value per person first
    knap_value: np.ndarray,  # cumulative value
    knap_ratio: np.ndarray,  # value per person of each
    max_labels: int,
) -> Any:
    """The best reduced profit of a route (each site at most once, people within ``capacity``,
    opening hours and the day kept), by labelling in order of time. A label is pruned when its
    value plus what can still be collected (the smaller of ``after`` and a fractional knapsack
    over the capacity left) cannot beat the best route found, and dropped when another label at
    the same site is no later, no fuller, no worse and has used no site it has not.

    Returns (best, complete, site, option, parent, value): ``complete`` is False when more than
    ``max_labels`` labels were needed (then ``best`` is only a route's value, not the best);
    the label arrays rebuild routes (``parent`` -1 at the depot). At most 128 sites."""
    n, w = gain.shape
    site = np.full(max_labels, -1, np.int64)
    option = np.full(max_labels, -1, np.int64)
    parent = np.full(max_labels, -1, np.int64)
    tim = np.zeros(max_labels, np.int64)
    ppl = np.zeros(max_labels)
    val = np.zeros(max_labels)
    m0 = np.zeros(max_labels, np.uint64)
    m1 = np.zeros(max_labels, np.uint64)
    alive = np.zeros(max_labels, np.bool_)
    bucket_next = np.full(max_labels, -1, np.int64)
    bucket_head = np.full(span + 2, -1, np.int64)
    at_site_next = np.full(max_labels, -1, np.int64)
    at_site_head = np.full(n, -1, np.int64)
    count = 0
    best = 0.0
    one = np.uint64(1)
    for t in range(-1, span + 1):
        # the labels finishing at t (t = -1: the depot at the start of the day)
        if t == -1:
            cursor = -2
        else:
            cursor = bucket_head[t]
        while cursor != -1:
            if cursor == -2:
                a, tt, q, v, k0, k1 = -1, 0, 0.0, 0.0, np.uint64(0), np.uint64(0)
            else:
                if not alive[cursor]:
                    cursor = bucket_next[cursor]
                    continue
                a, tt, q, v, k0, k1 = site[cursor], tim[cursor], ppl[cursor], val[cursor], m0[cursor], m1[cursor]
            for b in range(n):
                if b < 64:
                    if k0 & (one << np.uint64(b)):
                        continue
                elif k1 & (one << np.uint64(b - 64)):
                    continue
                arrive = tt + (depart[b] if a < 0 else between[a, b])
                for o in range(w):
                    g = gain[b, o]
                    if g <= NEG / 2:
                        continue
                    q2 = q + load[b, o]
                    if q2 > capacity + 1e-6:
                        continue
                    start = arrive if arrive > lo[b] else lo[b]
                    fin = start + dur[b, o]
                    if fin > hi[b]:
                        continue
                    v2 = v + g
                    room = capacity - q2
                    j = np.searchsorted(knap_people, room)
                    if j >= len(knap_people):
                        more = knap_value[-1]
                    else:
                        base_v = knap_value[j - 1] if j > 0 else 0.0
                        base_p = knap_people[j - 1] if j > 0 else 0.0
                        more = base_v + knap_ratio[j] * (room - base_p)
                    if after[fin, b] < more:
                        more = after[fin, b]
                    if v2 + more <= best + 1e-9:
                        continue
                    n0, n1 = k0, k1
                    if b < 64:
                        n0 = k0 | (one << np.uint64(b))
                    else:
                        n1 = k1 | (one << np.uint64(b - 64))
                    # dominance at site b
                    dominated = False
                    x = at_site_head[b]
                    while x != -1:
                        if alive[x]:
                            if (
                                tim[x] <= fin
                                and ppl[x] <= q2 + 1e-9
                                and val[x] >= v2 - 1e-12
                                and (m0[x] & ~n0) == 0
                                and (m1[x] & ~n1) == 0
                            ):
                                dominated = True
                                break
                            if (
                                fin <= tim[x]
                                and q2 <= ppl[x] + 1e-9
                                and v2 >= val[x]
                                and (n0 & ~m0[x]) == 0
                                and (n1 & ~m1[x]) == 0
                            ):
                                alive[x] = False
                        x = at_site_next[x]
                    if dominated:
                        continue
                    if count >= max_labels:
                        return best, False, site[:count], option[:count], parent[:count], val[:count]
                    site[count], option[count], tim[count], ppl[count], val[count] = b, o, fin, q2, v2
                    m0[count], m1[count], alive[count] = n0, n1, True
                    parent[count] = -1 if cursor == -2 else cursor
                    bucket_next[count] = bucket_head[fin]
                    bucket_head[fin] = count
                    at_site_next[count] = at_site_head[b]
                    at_site_head[b] = count
                    count += 1
                    if v2 > best:
                        best = v2
            cursor = -1 if cursor == -2 else bucket_next[cursor]
    return best, True, site[:count], option[:count], parent[:count], val[:count]


@njit(cache=True)  # type: ignore[misc]
def loaded_labels(
    span: int,
    dur: np.ndarray,  # (n, w) int64
    gain: np.ndarray,  # (n, w) float64
    units: np.ndarray,  # (n, w) int64: people of the option in units of the capacity, rounded down
    levels: int,  # the capacity in units
    lo: np.ndarray,
    hi: np.ndarray,
    start: np.ndarray,
    near: np.ndarray,
    near_cost: np.ndarray,
    far: np.ndarray,
    group: np.ndarray,
) -> Any:
    """``walk_labels`` with the kits' capacity kept: a label at (t, a, l) is the best walk
    finishing at a by minute t having recorded at most l units (labels are cumulative in time
    and in load). People are rounded *down* to units, so every route is still a walk here."""
    n, w = gain.shape
    m = near.shape[1]
    groups = far.shape[1]
    L = levels + 1
    val = np.full((span + 1, n, L, 2), NEG)
    pred = np.full((span + 1, n, L, 2), -1, np.int16)  # -1: the start depot
    ptime = np.full((span + 1, n, L, 2), -1, np.int16)
    pload = np.full((span + 1, n, L, 2), -1, np.int16)
    prank = np.zeros((span + 1, n, L, 2), np.int8)
    node = np.full((span + 1, n, L, 2), -1, np.int8)
    top_v = np.full((span + 1, L, groups, 2), NEG)
    top_a = np.full((span + 1, L, groups, 2), -1, np.int64)
    for t in range(span + 1):
        for a in range(n):
            if t > 0:
                val[t, a] = val[t - 1, a]
                pred[t, a] = pred[t - 1, a]
                ptime[t, a] = ptime[t - 1, a]
                pload[t, a] = pload[t - 1, a]
                prank[t, a] = prank[t - 1, a]
                node[t, a] = node[t - 1, a]
            if t > hi[a]:
                continue
            for b in range(w):
                g = gain[a, b]
                if g <= NEG / 2:
                    continue
                t0 = t - dur[a, b]
                if t0 < lo[a] or t0 < 0:
                    continue
                u = units[a, b]
                for lev in range(u, L):
                    lp = lev - u  # load before this visit
                    for c in range(m + 1 + groups):
                        if c == m:
                            if start[a] > t0:
                                continue
                            v, p, pt, pr = 0.0, -1, -1, 0
                        elif c > m:
                            k = c - m - 1
                            if far[a, k] < 0 or t0 - far[a, k] < 0:
                                continue
                            pt = t0 - far[a, k]
                            r = 0 if top_a[pt, lp, k, 0] != a else 1
                            p = top_a[pt, lp, k, r]
                            if p < 0:
                                continue
                            v, pr = top_v[pt, lp, k, r], 1
                        else:
                            p = near[a, c]
                            if p < 0:
                                continue
                            pt = t0 - near_cost[a, c]
                            if pt < 0:
                                continue
                            pr = 2 if pred[pt, p, lp, 0] == a else 1
                            v = val[pt, p, lp, pr - 1]
                        if v <= NEG / 2:
                            continue
                        v += g
                        if p == pred[t, a, lev, 0]:
                            if v > val[t, a, lev, 0]:
                                val[t, a, lev, 0] = v
                                ptime[t, a, lev, 0], pload[t, a, lev, 0] = pt, lp
                                prank[t, a, lev, 0], node[t, a, lev, 0] = pr, b
                        elif v > val[t, a, lev, 0]:
                            val[t, a, lev, 1], pred[t, a, lev, 1] = val[t, a, lev, 0], pred[t, a, lev, 0]
                            ptime[t, a, lev, 1], pload[t, a, lev, 1] = ptime[t, a, lev, 0], pload[t, a, lev, 0]
                            prank[t, a, lev, 1], node[t, a, lev, 1] = prank[t, a, lev, 0], node[t, a, lev, 0]
                            val[t, a, lev, 0], pred[t, a, lev, 0] = v, p
                            ptime[t, a, lev, 0], pload[t, a, lev, 0] = pt, lp
                            prank[t, a, lev, 0], node[t, a, lev, 0] = pr, b
                        elif v > val[t, a, lev, 1]:
                            val[t, a, lev, 1], pred[t, a, lev, 1] = v, p
                            ptime[t, a, lev, 1], pload[t, a, lev, 1] = pt, lp
                            prank[t, a, lev, 1], node[t, a, lev, 1] = pr, b
            for lev in range(1, L):  # cumulative in load: a label with room to spare serves a fuller one
                for r in range(2):
                    v = val[t, a, lev - 1, r]
                    p = pred[t, a, lev - 1, r]
                    if v <= NEG / 2:
                        continue
                    if p == pred[t, a, lev, 0]:
                        if v > val[t, a, lev, 0]:
                            val[t, a, lev, 0] = v
                            ptime[t, a, lev, 0], pload[t, a, lev, 0] = ptime[t, a, lev - 1, r], pload[t, a, lev - 1, r]
                            prank[t, a, lev, 0], node[t, a, lev, 0] = prank[t, a, lev - 1, r], node[t, a, lev - 1, r]
                    elif v > val[t, a, lev, 0]:
                        val[t, a, lev, 1], pred[t, a, lev, 1] = val[t, a, lev, 0], pred[t, a, lev, 0]
                        ptime[t, a, lev, 1], pload[t, a, lev, 1] = ptime[t, a, lev, 0], pload[t, a, lev, 0]
                        prank[t, a, lev, 1], node[t, a, lev, 1] = prank[t, a, lev, 0], node[t, a, lev, 0]
                        val[t, a, lev, 0], pred[t, a, lev, 0] = v, p
                        ptime[t, a, lev, 0], pload[t, a, lev, 0] = ptime[t, a, lev - 1, r], pload[t, a, lev - 1, r]
                        prank[t, a, lev, 0], node[t, a, lev, 0] = prank[t, a, lev - 1, r], node[t, a, lev - 1, r]
                    elif v > val[t, a, lev, 1]:
                        val[t, a, lev, 1], pred[t, a, lev, 1] = v, p
                        ptime[t, a, lev, 1], pload[t, a, lev, 1] = ptime[t, a, lev - 1, r], pload[t, a, lev - 1, r]
                        prank[t, a, lev, 1], node[t, a, lev, 1] = prank[t, a, lev - 1, r], node[t, a, lev - 1, r]
        for lev in range(L):
            for a in range(n):
                v, k = val[t, a, lev, 0], group[a]
                if v > top_v[t, lev, k, 0]:
                    top_v[t, lev, k, 1], top_a[t, lev, k, 1] = top_v[t, lev, k, 0], top_a[t, lev, k, 0]
                    top_v[t, lev, k, 0], top_a[t, lev, k, 0] = v, a
                elif v > top_v[t, lev, k, 1]:
                    top_v[t, lev, k, 1], top_a[t, lev, k, 1] = v, a
    return val, pred, ptime, pload, prank, node


def rebuild_loaded(labels: Any, a: int, t: int, lev: int) -> list[tuple[int, int]]:
    """``rebuild`` for ``loaded_labels``."""
    _val, pred, ptime, pload, prank, node = labels
    out: list[tuple[int, int]] = []
    rank = 0
    while a >= 0 and node[t, a, lev, rank] >= 0 and len(out) < 1000:
        out.append((a, int(node[t, a, lev, rank])))
        a, t, lev, rank = (
            int(pred[t, a, lev, rank]),
            int(ptime[t, a, lev, rank]),
            int(pload[t, a, lev, rank]),
            int(prank[t, a, lev, rank]) - 1,
        )
    return out[::-1]


def warm() -> None:
    """Compile the functions above once (Numba keeps them in __pycache__): ``make install`` runs
    this, so that the first plan does not spend its bound's time compiling (about 20 s)."""
    one = np.ones((1, 1), np.int64)
    gain, lo, hi, start = np.ones((1, 1)), np.zeros(1, np.int64), np.full(1, 5, np.int64), np.zeros(1, np.int64)
    arcs = (
        np.zeros((1, 0), np.int64),
        np.zeros((1, 0), np.int64),
        np.full((1, 1), -1, np.int64),
        np.zeros(1, np.int64),
    )
    val, pred, *_ = walk_labels(5, one, gain, lo, hi, start, *arcs)
    loaded_labels(5, one, gain, one, 2, lo, hi, start, *arcs)
    after = completion(5, val, pred, np.zeros((1, 1), np.int64), hi)
    knap = np.ones(1)
    best_routes(
        5, one, gain, np.ones((1, 1)), lo, hi, start, np.zeros((1, 1), np.int64), after, 2.0, knap, knap, knap, 10
    )


if __name__ == "__main__":
    warm()
