"""The team's day (issue 17): a plan names its places, and the calendar and day model read them.

``Plan.as_json`` writes ``sites`` (name, kind, desa code, coordinates), ``depots`` and
``weights``; ``plan_from_json`` and the checker read such a plan as before; the web's model
(``rekam.web.plans``) shows names, kinds and weekdays, sums head-counts to the plan's people,
and falls back to ids for a plan written before names were kept.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tests.planner_factory import random_sites, scenario

from rekam.planner.check import check_plan
from rekam.planner.greedy import greedy_plan
from rekam.planner.plan import Plan, plan_from_json
from rekam.planner.scenario import parse_scenario
from rekam.web import mapsvg, plans

PADANG_DESA = ("1371011001", "1371011002", "1371021003")


def _plan() -> tuple[Any, Plan]:
    sites = random_sites(9, 31, max_visits=1)
    for i, s in enumerate(sites):
        s["desa_code"] = PADANG_DESA[i % len(PADANG_DESA)]
        s["name"] = f"Tempat {s['id']}"
    sc = parse_scenario(scenario(sites, teams=2, date_from="2024-11-14", date_to="2024-11-15"))
    return sc, greedy_plan(sc, "biggest")


def test_a_plan_names_the_places_it_visits_and_reads_back() -> None:
    sc, plan = _plan()
    data = json.loads(json.dumps(plan.as_json()))
    visited = {s.site for r in plan.routes for s in r.stops}
    assert visited and set(data["sites"]) == visited  # the visited sites, no other
    some = next(iter(visited))
    assert data["sites"][some] == {
        "name": f"Tempat {some}",
        "kind": sc.sites[some].kind,
        "desa_code": sc.sites[some].desa_code,
        "lat": sc.sites[some].lat,
        "lon": sc.sites[some].lon,
    }
    assert data["depots"] == {"dinas": {"name": "Dinas", "lat": -0.95, "lon": 100.35}}
    assert data["weights"] == {"pemula": 3.0, "rentan": 2.0, "lainnya": 1.0}
    assert data["version"] == 1
    back = plan_from_json(data)
    assert back.sites == data["sites"] and back.depots == data["depots"]
    assert back.as_json() == data  # read and written again: the same file
    assert check_plan(sc, data) == []


def test_a_plan_without_names_still_reads_and_checks() -> None:
    sc, plan = _plan()
    data = plan.as_json()
    for key in ("sites", "depots", "weights"):
        del data[key]
    back = plan_from_json(data)
    assert back.sites == {} and back.depots == {} and "sites" not in back.as_json()
    assert check_plan(sc, data) == []


def test_the_calendar_names_sites_weekdays_and_sums_to_the_plans_people() -> None:
    sc, plan = _plan()
    data = plan.as_json() | {"region": "1371"}  # as solve_scenario names it
    cal = plans.calendar("x.json", data)
    assert cal.named and cal.region == "13.71" and cal.region_name == "Kota Padang"
    assert cal.dates == [dt.date(2024, 11, 14), dt.date(2024, 11, 15)]
    assert plans.long_day(cal.dates[0]) == "Kamis, 14 Nov 2024"
    assert plans.long_day(cal.dates[1], "en") == "Friday, 15 Nov 2024"
    # Head-counts: the cells' stops add up to the plan's people, per cohort too.
    assert abs(cal.people - data["totals"]["people"]) < 0.01
    by: dict[str, float] = {}
    for d in cal.cells.values():
        for c, n in d.people().items():
            by[c] = by.get(c, 0.0) + n
    assert {c: round(n, 2) for c, n in by.items()} == data["totals"]["people_by_cohort"]
    for route in plan.routes:
        day = cal.day(route.team, route.date)
        assert day is not None and [s.site for s in day.stops] == [s.site for s in route.stops]
        for stop in day.stops:
            site = sc.sites[stop.site]
            assert stop.name == site.name and stop.kind == site.kind
            assert stop.desa_code == ".".join(
                (site.desa_code[:2], site.desa_code[2:4], site.desa_code[4:6], site.desa_code[6:])
            )
            assert stop.desa_name  # the gazetteer's name, not the code
            assert stop.travel is not None and stop.travel >= 0
        first = day.stops[0]
        assert first.travel == _m(first.arrive) - _m(day.depart)
        assert day.start_depot is not None and day.start_depot.name == "Dinas"
        assert day.travel_back == _m(day.back) - _m(day.stops[-1].leave)
    # The bound in words: the score against the bound, never above 100 %.
    assert cal.reach_pct is None or 0 < cal.reach_pct <= 100


def _m(hhmm: str | None) -> int:
    assert hhmm is not None
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def test_an_old_plan_falls_back_to_ids_and_draws_no_map() -> None:
    data = {
        "format": "rekam-plan",
        "version": 1,
        "region": "1371",
        "score": 12.0,
        "routes": [
            {
                "team": "T1",
                "date": "2024-11-20",
                "depart": "08:00",
                "back": "15:00",
                "start_depot": "dinas",
                "end_depot": "dinas",
                "stops": [{"site": "SCH-1371-020", "value": 12.0}],
            }
        ],
    }
    cal = plans.calendar("old.json", data)
    day = cal.day("T1", dt.date(2024, 11, 20))
    assert not cal.named and day is not None
    stop = day.stops[0]
    assert (stop.name, stop.kind, stop.desa_code, stop.arrive) == ("SCH-1371-020", None, None, None)
    assert day.start_depot is not None and day.start_depot.name == "dinas"
    assert plans.route_marks(day) == []  # no coordinates: no map
    assert cal.reach_pct is None  # no bound


def test_the_route_map_numbers_the_stops_between_the_depot() -> None:
    _, plan = _plan()
    cal = plans.calendar("x.json", plan.as_json())
    day = max(cal.cells.values(), key=lambda d: len(d.stops))
    marks = plans.route_marks(day)
    assert [m.label for m in marks] == ["D", *[str(i) for i in range(1, len(day.stops) + 1)], "D"]
    assert all(0 <= m.x <= 600 and 0 <= m.y <= 420 for m in marks)
    assert mapsvg.route_path(marks).startswith("M") and mapsvg.route_path(marks).count(" L") == len(marks) - 1


def test_next_date_is_the_first_day_after_today() -> None:
    _, plan = _plan()
    cal = plans.calendar("x.json", plan.as_json())
    assert cal.next_date(dt.date(2024, 11, 13)) == dt.date(2024, 11, 14)
    assert cal.next_date(dt.date(2024, 11, 14)) == dt.date(2024, 11, 15)
    assert cal.next_date(dt.date(2024, 11, 15)) is None


def test_the_pages_name_kinds_and_cohorts_as_the_itinerary_does() -> None:
    """The web's words for site kinds are the itinerary's (``rekam plan itinerary``), and every
    kind and cohort of a scenario has them in both languages."""
    from rekam.planner.scenario import COHORTS, SITE_KINDS
    from rekam.reports.itinerary import DAYS, KIND_LABELS
    from rekam.web.text import LABELS

    for kind in SITE_KINDS:
        assert LABELS["id"][f"site_kind_{kind}"] == KIND_LABELS[kind]
        assert LABELS["en"][f"site_kind_{kind}"]
    for cohort in COHORTS:
        assert LABELS["id"][f"cohort_{cohort}"] and LABELS["en"][f"cohort_{cohort}"]
    monday = dt.date(2024, 11, 11)
    assert [plans.long_day(monday + dt.timedelta(days=i)).split(",")[0] for i in range(7)] == list(DAYS)
