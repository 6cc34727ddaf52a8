"""Polishing a TOP plan: 2-opt shortens a route, insertion adds what fits, nothing breaks tmax."""

from __future__ import annotations

import pytest
from tests.planner_factory import random_instance, top_optimum

from rekam.planner.top.check import check_top, score_top
from rekam.planner.top.instance import TopInstance
from rekam.planner.top.polish import _two_opt, polish


def test_two_opt_uncrosses_a_route():
    # start (0,0), end (0,0); a square visited crosswise
    points = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0))
    inst = TopInstance("square", points, (0, 1, 1, 1, 0), 1, 10.0)
    crossed = [1, 3, 2]
    assert inst.route_length(_two_opt(inst, crossed)) == pytest.approx(4.0)
    assert inst.route_length(crossed) > 4.0 + 0.5


def test_polish_inserts_the_best_point_that_fits_and_only_that():
    points = ((0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 5.0), (3.0, 0.0))
    inst = TopInstance("line", points, (0, 5, 7, 50, 0), 1, 3.5)  # point 3 is out of reach
    assert polish(inst, [[1]]) == [[1, 2]]
    assert polish(inst, []) == [[1, 2]]


@pytest.mark.parametrize("seed", range(6))
def test_polish_never_lowers_the_score_nor_breaks_tmax(seed):
    inst = random_instance(seed, 9, 2, 12.0)
    for routes in ([], [[p] for p in range(1, 3)], [[1, 2, 3]]):
        if check_top(inst, routes):
            continue
        better = polish(inst, routes)
        assert check_top(inst, better) == []
        assert score_top(inst, routes) <= score_top(inst, better) <= top_optimum(inst)
