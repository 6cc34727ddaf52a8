"""What both TOP bounds share: the points that can matter, HiGHS set up and run to a deadline,
and the rounding of a bound to an integer score (see ``bound``)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from rekam.planner.highs import new_highs
from rekam.planner.top.instance import TopInstance

SLACK = 1e-6  # on tmax: a route the checker accepts (1e-9) is never cut off


def integral(bound: float) -> float:
    """Scores are integers: so is the best total, and a bound may be rounded down."""
    return float(math.floor(bound + 1e-6)) if math.isfinite(bound) else bound


@dataclass(frozen=True)
class Reduced:
    """The points that can matter: positive score, reachable within tmax."""

    inst: TopInstance
    cust: list[int]
    score: dict[int, int]
    tmax: float

    @classmethod
    def of(cls, inst: TopInstance) -> Reduced:
        s, e, tmax = inst.start, inst.end, inst.tmax + SLACK
        cust = [
            i
            for i in range(len(inst.points))
            if i not in (s, e) and inst.scores[i] > 0 and inst.distance(s, i) + inst.distance(i, e) <= tmax
        ]
        return cls(inst, cust, {i: inst.scores[i] for i in cust}, tmax)

    def arc_ok(self, i: int, j: int) -> bool:
        d, s, e = self.inst.distance, self.inst.start, self.inst.end
        return i != j and d(s, i) + d(i, j) + d(j, e) <= self.tmax


def highs(maximize: bool = True, threads: int = 2) -> Any:
    """A quiet HiGHS solver (no banner on stdout, no log), maximising unless told otherwise."""
    import highspy

    h = new_highs(threads=threads)
    if maximize:
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return h


def run(h: Any, deadline: float) -> bool:
    """Solve until ``deadline`` (HiGHS's time limit counts from the solver's creation); True if optimal."""
    import highspy

    h.setOptionValue("time_limit", h.getRunTime() + max(deadline - time.perf_counter(), 0.01))
    h.run()
    return h.getModelStatus() == highspy.HighsModelStatus.kOptimal
