"""Teams of different pace (issue #22): a visit's length follows the team that makes it, in the
solver's model as in the plan and the checker, so a fast team is not planned as the slowest."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from tests.planner_factory import scenario, scenario_optimum, site

from rekam.planner import solve
from rekam.planner import team_classes as tc
from rekam.planner.check import check_plan
from rekam.planner.parts import parts
from rekam.planner.plan import schedule, service_minutes
from rekam.planner.scenario import Scenario, parse_scenario
from rekam.planner.solve import _run, solve_scenario


def mixed(
    n: int, fast: dict[str, Any] | None = None, slow: dict[str, Any] | None = None, vary: bool = False
) -> dict[str, Any]:
    """``n`` sites a few minutes from the Dinas and from each other (30 people each, or from 14
    to 44 with ``vary``), one day, a fast team (3 kits, 3 minutes per person, 100 per kit per
    day) and a slow one (1 kit, 6 minutes per person)."""
    sites = [
        site(
            f"S{i:02d}",
            -0.95 + 0.004 * (i % 4),
            100.35 + 0.004 * (i // 4),
            {"pemula": 4 + 7 * i % 13, "lainnya": 10 + 5 * i % 17} if vary else {"pemula": 10, "lainnya": 20},
        )
        for i in range(n)
    ]
    raw = scenario(sites, teams=2)
    raw["teams"][0].update({"kits": 3, "minutes_per_person": 3, "per_kit_per_day": 100, **(fast or {})})
    raw["teams"][1].update({"kits": 1, "minutes_per_person": 6, **(slow or {})})
    return raw


def as_slow(sc: Scenario, team_id: str) -> Scenario:
    """The scenario with ``team_id`` making every visit in the slow team's minutes (its kits,
    and so its capacity, kept)."""
    slow = sc.team("T2")
    teams = tuple(
        dataclasses.replace(t, minutes_per_person=slow.minutes_per_person * t.kits / slow.kits)
        if t.id == team_id
        else t
        for t in sc.teams
    )
    return dataclasses.replace(sc, teams=teams)


def test_teams_of_one_pace_are_one_class_and_others_their_own_fastest_first() -> None:
    raw = mixed(4)
    raw["teams"].append({"id": "T3", "start_depot": "dinas", "kits": 3, "minutes_per_person": 3})
    sc = parse_scenario(raw)
    visits = [sc.visits(s)[0] for s in sc.sites.values()]
    classes = tc.team_classes(sc, sc.teams, visits)
    assert [c.teams for c in classes] == [("T1", "T3"), ("T2",)]
    # 30 people, turnout 0.6: 18 a visit; set-up 20 + 18 x 3 min / 3 kits, or 20 + 18 x 6 min / 1 kit
    assert classes[0].minutes[0] == 38 and classes[1].minutes[0] == 128


def test_a_visit_a_team_cannot_make_is_out_of_its_reach() -> None:
    raw = mixed(3)
    raw["sites"][0]["desa_code"] = "1372011001"  # outside the slow team's region
    raw["sites"][1]["close"] = "09:30"  # 90 minutes: a visit there records what fits for the slow team
    raw["teams"][1]["region"] = "1371"
    sc = parse_scenario(raw)
    visits = [sc.visits(s)[0] for s in sc.sites.values()]
    fast, slow = tc.team_classes(sc, sc.teams, visits)
    assert fast.minutes[0] == 38 and slow.minutes[0] is None
    assert fast.minutes[1] == 32 and slow.minutes[1] is not None and 0 < slow.minutes[1] <= 90
    assert slow.minutes[2] == 128


def test_beyond_the_limit_neighbouring_classes_merge_taking_the_longest_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tc, "MAX_CLASSES", 2)
    raw = mixed(2)
    raw["teams"].append({"id": "T3", "start_depot": "dinas", "kits": 2, "minutes_per_person": 3})
    sc = parse_scenario(raw)
    visits = [sc.visits(s)[0] for s in sc.sites.values()]
    classes = tc.team_classes(sc, sc.teams, visits)
    assert len(classes) == 2
    merged = next(c for c in classes if len(c.teams) == 2)
    alone = next(c for c in classes if len(c.teams) == 1)
    for i, v in enumerate(visits):
        paces = [service_minutes(sc.team(t), 20, v.total) for t in merged.teams]
        assert merged.minutes[i] == max(paces)
    assert sorted(merged.teams + alone.teams) == ["T1", "T2", "T3"]


def test_the_model_plans_the_fast_team_at_its_own_pace() -> None:
    """PyVRP alone (no fill, no ruin and recreate): the fast team's day holds more visits than
    fit at the slow team's pace, and each route fits for the team that makes it."""
    sc = parse_scenario(mixed(12))
    orders, _ = _run(sc, parts(sc)[0], None, 400, 1, windows=None, start=None)
    date = sc.dates[0]
    ladders = {s: sc.visits(sc.sites[s]) for s in sc.sites}
    fast = [ladders[s][0] for s in orders[("T1", date)]]
    assert schedule(sc, sc.team("T1"), date, fast) is not None
    slowed = as_slow(sc, "T1")
    assert schedule(slowed, slowed.team("T1"), date, fast) is None  # too much at the slow pace
    slow_route = [ladders[s][0] for s in orders.get(("T2", date), [])]
    assert schedule(sc, sc.team("T2"), date, slow_route) is not None
    assert len(fast) >= 8


def test_a_mixed_plan_is_checked_worth_more_than_all_slow_and_each_visit_takes_its_team_s_time() -> None:
    sc = parse_scenario(mixed(12))
    plan = solve_scenario(sc, time_limit=None, iterations=300, seed=1, bound_time_limit=None)
    assert check_plan(sc, plan) == []
    for route in plan.routes:
        team = sc.team(route.team)
        for stop in route.stops:
            assert stop.leave - stop.start == service_minutes(team, 20, sum(stop.people.values()))
    fast_minutes = [s.leave - s.start for r in plan.routes if r.team == "T1" for s in r.stops]
    assert fast_minutes and max(fast_minutes) == 38  # not the slow team's 128
    slow_only = solve_scenario(as_slow(sc, "T1"), time_limit=None, iterations=300, seed=1, bound_time_limit=None)
    assert plan.score > slow_only.score + 1e-6


@pytest.mark.slow
@pytest.mark.parametrize("n", [7, 8, 9])
def test_a_small_mixed_scenario_reaches_its_proven_optimum(n: int) -> None:
    """More sites than a morning allows, of different sizes: the best plan picks which."""
    raw = mixed(n, vary=True)
    raw["period"]["hours"] = {"start": "08:00", "end": "11:00"}
    sc = parse_scenario(raw)
    plan = solve_scenario(sc, time_limit=None, iterations=1000, seed=1, bound_time_limit=None)
    assert check_plan(sc, plan) == []
    assert plan.score == pytest.approx(scenario_optimum(sc), abs=1e-6)


def test_when_the_matrices_would_not_fit_the_budget_the_classes_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    """One class, as long as for the slowest team: every route PyVRP makes fits the slow pace."""
    monkeypatch.setattr(solve, "PROFILE_BYTES", 1)
    sc = parse_scenario(mixed(12))
    orders, _ = solve._run(sc, parts(sc)[0], None, 400, 1, windows=None, start=None)
    date = sc.dates[0]
    fast = [sc.visits(sc.sites[s])[0] for s in orders[("T1", date)]]
    slowed = as_slow(sc, "T1")
    assert len(fast) >= 2 and schedule(slowed, slowed.team("T1"), date, fast) is not None
