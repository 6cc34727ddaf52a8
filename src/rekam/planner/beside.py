"""The bound beside the search: a second process, so that the bound shares the command's time
limit instead of coming after it (PyVRP's search uses one core; the bound takes the other).

The deadline is a wall-clock time, so the child's start-up (a fresh interpreter importing
numpy, HiGHS and the compiled pricing) is paid out of the bound's own time.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor

from rekam.planner.bound import Bound, bound_scenario
from rekam.planner.scenario import Scenario


def start(scenario: Scenario, seconds: float) -> tuple[ProcessPoolExecutor, Future[Bound]]:
    """Start bounding ``scenario`` in another process, to end within ``seconds`` from now."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return pool, pool.submit(_bound, scenario, time.time() + seconds)


def _bound(scenario: Scenario, until: float) -> Bound:
    return bound_scenario(scenario, time_limit=max(0.5, until - time.time()))
