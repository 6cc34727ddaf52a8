"""An upper bound for the Team Orienteering Problem: no plan can score more than it.

Two relaxations are solved with HiGHS within the time limit and the smaller bound is kept:

1. *Arc flow* (``bound_flow``; strong for long routes). Binary arcs x_ij, visits y_i, and a single
   commodity f_ij = the time at which a team reaching j over (i, j) arrives there:
   out-flow = in-flow + travel on the out arc, (d(s,i) + d_ij) x_ij <= f_ij <= (tmax -
   d(j,e)) x_ij, at most m arcs leave the start. Points with no score or with d(s,i) +
   d(i,e) > tmax are dropped, and so are arcs with d(s,i) + d_ij + d(j,e) > tmax; with
   Euclidean distances (triangle inequality) an optimal plan never needs them. The LP is
   tightened by x_ij + x_ji <= y_i and by connectivity cuts x(delta-(S)) >= y_k for every
   set S holding k but not the start, separated by max flow on the LP solution.
2. *Route set packing* (``bound_routes``; strong for short routes): max sum_r p_r l_r over routes r, each point
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

Every step that may take seconds (an LP solve, the cut separation, a pricing) stops at the
deadline, so the bound can run beside the search within the command's time limit (``beside``).

Measured on the 34 benchmark instances (Chao et al. sets 4-7, 2 cores, 60 s): see
benchmarks/README.md. The LP of the arc-flow model alone is 5.5 % above best-known on
average, 4.6 % with the cuts; the HiGHS MIP dual bound of that model after 60 s, 3.0 %;
route set packing cuts the short-route instances to about 1-2 %.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rekam.planner.top.bound_flow import flow_bound
from rekam.planner.top.bound_routes import route_bound
from rekam.planner.top.check import check_top, score_top
from rekam.planner.top.greedy import biggest_first, nearest_first
from rekam.planner.top.instance import TopInstance
from rekam.planner.top.relax import Reduced, integral

FLOW_SHARE = 0.75  # of the time limit, at most, for the arc-flow phase (it stops when its cuts stall)


@dataclass(frozen=True)
class TopBound:
    value: float
    method: str
    seconds: float


def bound_top(
    instance: TopInstance, time_limit: float = 60.0, routes: list[list[int]] | None = None, threads: int = 2
) -> TopBound:
    """An upper bound on the best score, found within about ``time_limit`` seconds.

    ``routes`` (a known plan, optional) seeds the column generation; it does not affect validity.
    ``threads``: HiGHS's (1 when the bound runs beside the search).
    """
    t0 = time.perf_counter()
    red = Reduced.of(instance)
    if not red.cust:
        return TopBound(0.0, "nothing reachable", time.perf_counter() - t0)
    plans = [routes or [], nearest_first(instance), biggest_first(instance)]
    known = max(score_top(instance, p) for p in plans if not check_top(instance, p))  # a bound this low is optimal
    bounds = {"sum of scores": float(sum(red.score.values()))}
    bounds["arc flow LP + cuts"] = flow_bound(red, t0 + FLOW_SHARE * time_limit, known, threads)
    if integral(bounds["arc flow LP + cuts"]) > known:
        seeds = [tuple(c for c in r if c in red.score) for p in plans for r in p]
        bounds.update(route_bound(red, t0 + time_limit, seeds, known, threads))
    method = min(bounds, key=lambda k: bounds[k])
    return TopBound(integral(bounds[method]), method, time.perf_counter() - t0)
