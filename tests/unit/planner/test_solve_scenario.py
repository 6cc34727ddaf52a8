"""The scenario solver: optimal on small instances (proved by enumeration), repeatable with an
iteration limit, never above its bound, never worse than it started, always feasible."""

from __future__ import annotations

import pytest
from tests.planner_factory import random_sites, scenario, scenario_optimum

from rekam.planner.bound import bound_scenario
from rekam.planner.check import check_plan
from rekam.planner.greedy import greedy_plan
from rekam.planner.scenario import parse_scenario
from rekam.planner.solve import solve_scenario

SMALL = [
    # (sites, seed, teams, last date, max visits)
    (6, 1, 1, "2024-11-19", 2),
    (7, 2, 2, "2024-11-18", 1),
    (8, 3, 1, "2024-11-19", 1),
    (5, 4, 1, "2024-11-20", 2),
    (5, 5, 2, "2024-11-19", 2),
]


@pytest.mark.slow
@pytest.mark.parametrize(("n", "seed", "teams", "last", "visits"), SMALL)
def test_small_instances_reach_their_proven_optimum(n: int, seed: int, teams: int, last: str, visits: int) -> None:
    sc = parse_scenario(scenario(random_sites(n, seed, max_visits=visits), teams=teams, date_to=last))
    best = scenario_optimum(sc)
    plan = solve_scenario(sc, time_limit=None, iterations=2000, seed=1, bound_time_limit=10)
    assert check_plan(sc, plan) == []
    assert plan.score == pytest.approx(best, abs=1e-6)
    assert plan.bound is not None and plan.bound >= best - 1e-6


def test_same_seed_and_iterations_give_the_same_plan() -> None:
    sc = parse_scenario(scenario(random_sites(25, 9), teams=2, date_to="2024-11-20"))
    a = solve_scenario(sc, time_limit=None, iterations=300, seed=5, bound_time_limit=None)
    b = solve_scenario(sc, time_limit=None, iterations=300, seed=5, bound_time_limit=None)
    assert a.summary_json()["routes"] == b.summary_json()["routes"]
    assert a.score == b.score and a.iterations == b.iterations


def test_plan_is_feasible_below_its_bound_and_not_below_greedy() -> None:
    sc = parse_scenario(scenario(random_sites(30, 11), teams=2, date_to="2024-11-22"))
    plan = solve_scenario(sc, time_limit=None, iterations=1500, seed=1, bound_time_limit=10)
    greedy = max(greedy_plan(sc, r).score for r in ("nearest", "biggest"))
    assert check_plan(sc, plan) == []
    assert plan.bound is not None and greedy <= plan.score <= plan.bound
    assert plan.gap_pct == pytest.approx(100 * (plan.bound - plan.score) / plan.bound, abs=1e-3)


def test_greedy_plans_are_feasible() -> None:
    sc = parse_scenario(scenario(random_sites(30, 12, max_visits=3), teams=3, date_to="2024-11-22"))
    for rule in ("nearest", "biggest"):
        plan = greedy_plan(sc, rule)
        assert check_plan(sc, plan) == [] and plan.score > 0


def test_teams_with_disjoint_regions_stay_in_them() -> None:
    sites = random_sites(12, 13)
    for s in sites[6:]:
        s["desa_code"] = "1372011001"
    raw = scenario(sites, teams=2, date_to="2024-11-19")
    raw["teams"][0]["region"], raw["teams"][1]["region"] = "1371", "1372"
    sc = parse_scenario(raw)
    plan = solve_scenario(sc, time_limit=None, iterations=300, seed=1, bound_time_limit=5)
    assert check_plan(sc, plan) == []
    for route in plan.routes:
        prefix = sc.team(route.team).region
        assert all(sc.sites[s.site].desa_code.startswith(prefix) for s in route.stops)
    assert plan.score <= bound_scenario(sc).value


def test_a_site_closed_all_period_is_never_visited_and_not_in_the_bound() -> None:
    sites = random_sites(5, 14)
    sites[0]["open_weekdays"] = [7]
    sc = parse_scenario(scenario(sites, teams=1, date_to="2024-11-19"))
    plan = solve_scenario(sc, time_limit=None, iterations=300, seed=1, bound_time_limit=5)
    assert all(s.site != "S00" for r in plan.routes for s in r.stops)
    only_closed = parse_scenario(scenario([sites[0]], teams=1, date_to="2024-11-19"))
    assert bound_scenario(only_closed).value == 0
