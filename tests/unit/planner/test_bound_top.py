"""The TOP upper bound: never below the optimum (enumeration), tight on small cases."""

from __future__ import annotations

import time

import pytest
from tests.planner_factory import random_instance, top_optimum

from rekam.planner.top.bound import bound_top
from rekam.planner.top.bound_flow import flow_bound
from rekam.planner.top.bound_routes import route_bound
from rekam.planner.top.instance import TopInstance
from rekam.planner.top.relax import Reduced
from rekam.planner.top.solve import solve_top

CASES = [
    (seed, n, teams, tmax, seed % 3 == 0)
    for seed, (n, teams, tmax) in enumerate(
        [(6, 1, 12.0), (7, 1, 18.0), (8, 2, 10.0), (8, 2, 15.0), (9, 2, 12.0), (9, 1, 25.0), (9, 3, 9.0), (7, 2, 30.0)]
    )
]


@pytest.mark.parametrize(("seed", "n", "teams", "tmax", "same_depot"), CASES)
def test_bound_is_never_below_the_optimum(seed, n, teams, tmax, same_depot):
    inst = random_instance(seed, n, teams, tmax, same_depot)
    best = top_optimum(inst)
    bound = bound_top(inst, time_limit=5.0)
    assert bound.value >= best
    assert bound.value == int(bound.value)
    # each relaxation on its own, with no known plan to stop it early
    red = Reduced.of(inst)
    if red.cust:
        assert flow_bound(red, time.perf_counter() + 2.0, -1) >= best - 1e-6
        for value in route_bound(red, time.perf_counter() + 2.0, [], -1).values():
            assert value >= best - 1e-6


def test_bound_is_the_optimum_when_the_relaxation_closes():
    inst = random_instance(4, 9, 2, 12.0)
    best = top_optimum(inst)
    assert best > 0
    assert bound_top(inst, time_limit=5.0).value == pytest.approx(best, abs=1e-6)


def test_bound_covers_the_solver_on_20_points():
    inst = random_instance(99, 20, 2, 12.0)
    plan = solve_top(inst, time_limit=None, iterations=300, seed=1, bound_time_limit=5.0)
    assert plan.bound is not None and plan.bound >= plan.score > 0
    assert plan.bound < sum(inst.scores)  # not the trivial bound
    data = plan.as_json()
    assert data["bound"] == plan.bound
    assert data["gap_pct"] == round(100 * (plan.bound - plan.score) / plan.bound, 3)


def test_nothing_reachable_gives_zero():
    points = ((0.0, 0.0), (50.0, 50.0), (-40.0, 30.0), (1.0, 0.0))
    inst = TopInstance("far", points, (0, 10, 7, 0), 2, 5.0)
    assert bound_top(inst).value == 0.0
    plan = solve_top(inst, time_limit=None, iterations=50, seed=1)
    assert (plan.score, plan.bound, plan.gap_pct) == (0, 0.0, 0.0)


def test_no_bound_when_not_asked():
    inst = random_instance(1, 7, 1, 18.0)
    data = solve_top(inst, time_limit=None, iterations=100, seed=1, bound=False).as_json()
    assert data["bound"] is None and data["gap_pct"] is None


def test_points_closer_than_a_time_step():
    # a point 0.001 from the start (under one q-route time step) and two points 0.005 apart
    points = ((0.0, 0.0), (0.001, 0.0), (3.0, 0.0), (3.0, 0.005), (0.0, 4.0), (0.0, 0.5))
    inst = TopInstance("close", points, (0, 10, 5, 7, 9, 0), 1, 6.2)
    best = top_optimum(inst)
    red = Reduced.of(inst)
    assert flow_bound(red, time.perf_counter() + 2.0, -1) >= best - 1e-6
    bounds = route_bound(red, time.perf_counter() + 2.0, [], -1)
    assert bounds and all(value >= best - 1e-6 for value in bounds.values())
    assert bound_top(inst, time_limit=5.0).value >= best


def test_the_slow_steps_stop_at_the_deadline():
    """Beside the search the bound must be done by the command's deadline: the steps that may
    take seconds on 100 points (cut separation, exact pricing) check it, so a deadline already
    past gives no cuts and no exact price (and bound_top still returns a valid bound)."""
    import numpy as np

    from rekam.planner.top.bound_flow import _add_cuts, _Rows
    from rekam.planner.top.bound_routes import _elementary_best

    inst = random_instance(99, 20, 2, 12.0)
    red = Reduced.of(inst)
    arcs = [(i, j) for i in [inst.start, *red.cust] for j in [*red.cust, inst.end] if red.arc_ok(i, j)]
    y = {c: 2 * len(arcs) + k for k, c in enumerate(red.cust)}
    x = np.zeros(2 * len(arcs) + len(red.cust))
    x[[y[c] for c in red.cust]] = 1.0  # every point visited, no arc used: every cut violated
    assert _add_cuts(red, arcs, y, x, _Rows(), time.perf_counter() + 60) > 0
    assert _add_cuts(red, arcs, y, x, _Rows(), time.perf_counter() - 1) == 0
    profit = {c: float(inst.scores[c]) for c in red.cust}
    assert _elementary_best(red, profit, 0.0, time.perf_counter() - 1)[0] is None
    assert bound_top(inst, time_limit=0.01).value >= top_optimum_small(inst)


def top_optimum_small(inst: TopInstance) -> int:
    """A lower bound on the optimum good enough here: the solver's plan with few iterations."""
    return solve_top(inst, time_limit=None, iterations=100, seed=1, bound=False).score
