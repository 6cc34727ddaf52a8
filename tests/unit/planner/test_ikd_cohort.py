"""The planner's IKD cohort (issue 19): recorded people whose IKD is not activated, with their
own weight (0.5 by default) and minutes (3 against a recording's 5): what a visit takes in time
and in the kits' count is its load in recordings; a scenario without the cohort is as before."""

from __future__ import annotations

import math

import pytest
from tests.planner_factory import random_sites, scenario, scenario_optimum, site

from rekam.errors import ScenarioError
from rekam.planner.check import check_plan
from rekam.planner.greedy import greedy_plan
from rekam.planner.plan import schedule, service_minutes
from rekam.planner.scenario import DEFAULT_WEIGHTS, parse_scenario
from rekam.planner.solve import solve_scenario


def test_an_activation_takes_three_fifths_of_a_recording_and_weighs_half():
    sc = parse_scenario(scenario([site("A", -0.9, 100.3, {"lainnya": 40, "ikd": 40}, turnout=0.5, max_visits=2)]))
    assert sc.weights["ikd"] == DEFAULT_WEIGHTS["ikd"] == 0.5
    assert sc.effort == {"ikd": 3.0 / 5.0}
    first, second = sc.visits(sc.sites["A"])
    assert first.people == {"lainnya": 20.0, "ikd": 20.0}  # half of each come: not capped
    assert first.value == pytest.approx(20 * 1.0 + 20 * 0.5)
    assert first.total == 40.0 and first.load == pytest.approx(20 + 20 * 0.6)
    assert second.total == 20.0 and second.value < first.value
    team = sc.teams[0]  # 2 kits, 5 minutes a recording
    assert service_minutes(team, 20, first.load) == math.ceil(20 + 32 * 5 / 2)


def test_a_visit_capped_by_the_kits_takes_more_people_when_some_only_activate():
    """A team of 2 kits records 100 people a day; activations count 3/5 of a recording."""
    only_ikd = parse_scenario(scenario([site("A", -0.9, 100.3, {"ikd": 1000}, turnout=1.0)]))
    [visit] = only_ikd.visits(only_ikd.sites["A"])
    assert visit.load == pytest.approx(100.0) and visit.total == pytest.approx(100 / 0.6)
    recording = parse_scenario(scenario([site("A", -0.9, 100.3, {"lainnya": 1000}, turnout=1.0)]))
    [visit] = recording.visits(recording.sites["A"])
    assert visit.load == visit.total == 100.0


def test_the_minutes_of_an_activation_are_the_scenarios():
    raw = scenario([site("A", -0.9, 100.3, {"ikd": 10})], throughput={"ikd_minutes_per_person": 2.5})
    assert parse_scenario(raw).effort == {"ikd": 0.5}
    bad = scenario([site("A", -0.9, 100.3, {"ikd": 10})], throughput={"ikd_minutes_per_person": 0})
    with pytest.raises(ScenarioError) as err:
        parse_scenario(bad)
    assert "$.throughput.ikd_minutes_per_person" in str(err.value)


def test_a_scenario_without_the_cohort_keeps_its_weights_and_yields():
    sc = parse_scenario(scenario([site("A", -0.9, 100.3, {"pemula": 10, "lainnya": 30}, turnout=0.5)]))
    assert sc.weights == {"pemula": 3.0, "rentan": 2.0, "lainnya": 1.0}
    [visit] = sc.visits(sc.sites["A"])
    assert visit.load == visit.total == 20.0 and visit.effort == 1.0


def _ikd_sites(n: int, seed: int, max_visits: int = 1) -> list[dict]:
    """Random sites with IKD people beside the recording cohorts, some many enough to fill a day."""
    sites = random_sites(n, seed, max_visits=max_visits)
    for i, s in enumerate(sites):
        s["people"]["ikd"] = (37 * (i + seed)) % 90
    return sites


@pytest.mark.parametrize(("n", "seed", "teams", "last"), [(6, 11, 1, "2024-11-19"), (6, 12, 2, "2024-11-18")])
def test_small_ikd_instances_reach_their_proven_optimum_within_the_bound(n, seed, teams, last):
    sc = parse_scenario(scenario(_ikd_sites(n, seed), teams=teams, date_to=last))
    best = scenario_optimum(sc)
    plan = solve_scenario(sc, time_limit=None, iterations=1500, seed=1, bound_time_limit=10)
    assert check_plan(sc, plan) == []
    assert plan.score == pytest.approx(best, abs=1e-6)
    assert plan.bound is not None and plan.bound >= best - 1e-6


def test_the_checker_counts_the_load_not_the_heads():
    sc = parse_scenario(scenario([site("A", -0.95, 100.36, {"ikd": 1000}, turnout=1.0)]))
    plan = greedy_plan(sc, "nearest")
    assert check_plan(sc, plan) == []
    [route] = [r for r in plan.routes if r.stops]
    assert route.people == pytest.approx(100 / 0.6)  # more than the kits' 100 recordings, and fine
    team = sc.teams[0]
    visit = sc.visits(sc.sites["A"])[0]
    assert schedule(sc, team, route.date, [visit]) is not None
    data = plan.as_json()
    short = route.stops[0].start + 20 + 100 * 5 // 2 - 1  # a minute short of 100 recordings' time
    [stop] = next(r for r in data["routes"] if r["stops"])["stops"]
    stop["leave"] = f"{short // 60:02d}:{short % 60:02d}"
    assert any(p.startswith("service_too_short") for p in check_plan(sc, data))


def test_the_documented_schema_knows_the_ikd_minutes():
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(__file__).parents[3] / "docs" / "scenario.schema.json").read_text())
    good = scenario([site("A", -0.9, 100.3, {"lainnya": 5, "ikd": 10})], throughput={"ikd_minutes_per_person": 2})
    good["weights"] = {"ikd": 0.8}
    jsonschema.validate(good, schema)
    assert parse_scenario(good).weights["ikd"] == 0.8
    bad = scenario([site("A", -0.9, 100.3, {"ikd": 10})], throughput={"ikd_minutes_per_person": 0})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
