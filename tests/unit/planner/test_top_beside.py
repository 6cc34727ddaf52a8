"""The TOP bound beside the search (issue #22): it shares the command's time limit, runs in a
second process, is checked against the plan, and proves small plans optimal."""

from __future__ import annotations

import time

import pytest
from tests.planner_factory import random_instance, top_optimum

import rekam.planner.top.solve as top_solve
from rekam.planner.top.beside import BoundBeside
from rekam.planner.top.bound import TopBound
from rekam.planner.top.check import check_top
from rekam.planner.top.solve import bound_deadline, solve_top


def test_the_bound_shares_the_time_limit_unless_told():
    assert bound_deadline(100.0, 10.0, None) == 110.0
    assert bound_deadline(100.0, 10.0, 60.0) == 160.0  # asked for explicitly: the command takes longer
    assert bound_deadline(100.0, None, None) == 100.0 + top_solve.BOUND_SECONDS


class _Spy:
    """Stands in for BoundBeside: records the deadline it was given, returns a fixed bound."""

    seen: list[float] = []

    def __init__(self, instance, deadline, threads=1):  # noqa: ANN001
        _Spy.seen.append(deadline)
        self.value = TopBound(10_000.0, "spy", 0.0)

    def ready(self):  # noqa: ANN201
        return None

    def result(self):  # noqa: ANN201
        return self.value

    def close(self) -> None:
        pass


def test_the_bound_beside_gets_the_commands_deadline(monkeypatch):
    monkeypatch.setattr(top_solve, "BoundBeside", _Spy)
    _Spy.seen.clear()
    inst = random_instance(5, 12, 2, 12.0)
    started = time.time() - 0.2  # the command started before the solver was called
    plan = solve_top(inst, time_limit=0.5, seed=1, started=started)
    assert _Spy.seen == [started + 0.5]  # never later than the command's own limit
    assert plan.bound == 10_000.0 and check_top(inst, plan.routes) == []
    _Spy.seen.clear()
    solve_top(inst, time_limit=0.3, seed=1, bound_time_limit=0.4, started=started)
    assert _Spy.seen == [started + 0.4]


def test_a_bound_beside_below_the_plan_is_dropped(monkeypatch):
    class Broken(_Spy):
        def __init__(self, instance, deadline, threads=1):  # noqa: ANN001
            super().__init__(instance, deadline, threads)
            self.value = TopBound(1.0, "broken", 0.0)

    monkeypatch.setattr(top_solve, "BoundBeside", Broken)
    plan = solve_top(random_instance(5, 12, 2, 12.0), time_limit=0.3, seed=1)
    assert plan.score > 1 and (plan.bound, plan.gap_pct) == (None, None)


def test_the_bound_beside_proves_a_small_plan_optimal():
    """A real second process: the bound arrives, is >= the optimum, and ends the search there."""
    inst = random_instance(4, 9, 2, 12.0)
    best = top_optimum(inst)
    plan = solve_top(inst, time_limit=8.0, seed=1)
    assert check_top(inst, plan.routes) == []
    assert plan.score == best
    assert plan.bound == pytest.approx(best)  # this relaxation closes (test_bound_top)
    assert plan.gap_pct == 0.0


def test_the_bound_process_gives_up_at_its_deadline():
    """A deadline too close for the child to start: no bound, no wait, no process left behind."""
    inst = random_instance(99, 30, 2, 12.0)
    beside = BoundBeside(inst, deadline=time.time() - 1.0)
    assert beside.result() is None
    assert beside._run._proc.poll() is not None
