"""The plan checker catches each kind of violation, and passes what the solver writes."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import pytest
from tests.planner_factory import scenario, site

from rekam.planner.check import check_plan
from rekam.planner.plan import Plan, schedule
from rekam.planner.scenario import Scenario, parse_scenario

MON, TUE = dt.date(2024, 11, 18), dt.date(2024, 11, 19)


def strict() -> dict:
    raw = scenario(
        [
            site("A", -0.93, 100.36, max_visits=2),
            site("B", -0.96, 100.38, open="10:00", close="15:00"),
            site("C", -0.94, 100.33, open_weekdays=[1, 3, 4, 5]),  # closed on Tuesdays
            site("D", -0.97, 100.34, {"lainnya": 60}, turnout=1.0),
            site("E", -0.92, 100.34, {"lainnya": 60}, turnout=1.0),
        ],
        teams=2,
        date_to="2024-11-19",
    )
    raw["depots"].append({"id": "pos", "name": "Pos", "lat": -0.90, "lon": 100.30})
    raw["teams"][1].update(dates=["2024-11-18"], region="1371")
    return raw


def plan_json(sc: Scenario, routes: list[tuple[str, dt.date, list[tuple[str, int]]]]) -> dict:
    """A plan written with ``sc``'s own timing (``sc`` may be more lenient than the one checked)."""
    built = []
    for team_id, date, stops in routes:
        visits = [sc.visits(sc.sites[s])[k - 1] for s, k in stops]
        route = schedule(sc, sc.team(team_id), date, visits)
        assert route is not None, (team_id, date, stops)
        built.append(route)
    return Plan("uji", built).as_json()


def good() -> tuple[Scenario, dict]:
    sc = parse_scenario(strict())
    return sc, plan_json(sc, [("T1", MON, [("A", 1), ("B", 1)]), ("T1", TUE, [("A", 2)]), ("T2", MON, [("C", 1)])])


def test_a_good_plan_passes() -> None:
    sc, plan = good()
    assert check_plan(sc, plan) == []


def edit(plan: dict, route: int, stop: int | None = None, **changes: object) -> dict:
    out = copy.deepcopy(plan)
    target = out["routes"][route] if stop is None else out["routes"][route]["stops"][stop]
    target.update(changes)
    return out


CASES: dict[str, Callable[[dict], dict]] = {
    "unknown_team": lambda p: edit(p, 0, team="T9"),
    "unknown_site": lambda p: edit(p, 0, 1, site="ZZ"),
    "unknown_date": lambda p: edit(p, 1, date="2024-11-23"),
    "team_unavailable": lambda p: edit(p, 2, date="2024-11-19"),
    "team_twice": lambda p: {**p, "routes": p["routes"] + [edit(p, 2)["routes"][2]]},
    "wrong_depot": lambda p: edit(p, 0, start_depot="pos"),
    "site_twice_same_day": lambda p: edit(p, 2, 0, site="A", visit=2),
    "too_many_visits": lambda p: edit(p, 1, 0, visit=3),
    "visit_order": lambda p: edit(edit(p, 0, 0, visit=2), 1, 0, visit=1),
    "wrong_yield": lambda p: edit(p, 0, 0, value=999.0),
    "before_day_start": lambda p: edit(p, 0, depart="07:00"),
    "too_fast": lambda p: edit(p, 0, 0, arrive="08:00"),
    "start_before_arrival": lambda p: edit(p, 0, 0, start="08:01"),
    "before_opening": lambda p: edit(p, 0, 1, start="09:30"),
    "service_too_short": lambda p: edit(p, 0, 0, leave=p["routes"][0]["stops"][0]["start"]),
    "after_closing": lambda p: edit(p, 0, 1, leave="15:30"),
    "after_day_end": lambda p: edit(p, 0, back="16:30"),
    "bad_field": lambda p: edit(p, 0, 0, arrive="pagi"),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_violation_is_caught(code: str) -> None:
    sc, plan = good()
    problems = check_plan(sc, CASES[code](plan))
    assert code in {p.split(":")[0] for p in problems}, problems


def test_after_day_end_when_back_is_stated_too_early() -> None:
    sc, plan = good()
    problems = check_plan(sc, edit(plan, 0, back=plan["routes"][0]["stops"][-1]["leave"]))
    assert any(p.startswith("after_day_end") for p in problems)


def test_site_closed_that_weekday() -> None:
    raw = strict()
    lenient = copy.deepcopy(raw)
    lenient["sites"][2]["open_weekdays"] = [1, 2, 3, 4, 5]
    plan = plan_json(parse_scenario(lenient), [("T1", TUE, [("C", 1)])])
    problems = check_plan(parse_scenario(raw), plan)
    assert [p.split(":")[0] for p in problems] == ["site_closed"]


def test_team_region() -> None:
    raw = strict()
    raw["teams"][1]["region"] = "1372"
    lenient = copy.deepcopy(raw)
    lenient["teams"][1]["region"] = None
    plan = plan_json(parse_scenario(lenient), [("T2", MON, [("A", 1)])])
    problems = check_plan(parse_scenario(raw), plan)
    assert [p.split(":")[0] for p in problems] == ["team_region"]


def test_kit_capacity() -> None:
    raw = strict()
    lenient = copy.deepcopy(raw)
    lenient["teams"][0]["per_kit_per_day"] = 80  # 160 a day instead of 2 x 50
    plan = plan_json(parse_scenario(lenient), [("T1", MON, [("D", 1), ("E", 1)])])  # 60 + 60 > 100
    problems = check_plan(parse_scenario(raw), plan)
    assert [p.split(":")[0] for p in problems] == ["kit_capacity"]


def test_too_many_visits_of_a_site_over_the_plan() -> None:
    raw = strict()
    lenient = copy.deepcopy(raw)
    lenient["sites"][1]["max_visits"] = 2
    plan = plan_json(parse_scenario(lenient), [("T1", MON, [("B", 1)]), ("T1", TUE, [("B", 2)])])
    problems = check_plan(parse_scenario(raw), plan)
    assert "too_many_visits" in {p.split(":")[0] for p in problems}
