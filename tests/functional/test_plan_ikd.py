"""`rekam plan make --ikd` (issue 19): the recorded whose IKD is not activated are counted in the
cohort ``ikd``, where the unrecorded are (a roster first, else their desa), so a school visit
both records and activates; the by-name lists of an itinerary match those counts; the plan
solves and checks. Without ``--ikd`` nothing changes (tests/functional/test_plan_make.py)."""

from __future__ import annotations

import json
from datetime import date

from tests.functional.test_plan_make import crafted, demo_sites_home, make, people  # noqa: F401  (fixtures)

from rekam.api import Rekam
from rekam.config import Settings
from rekam.planner.check import check_plan
from rekam.planner.inputs import site_lists
from rekam.planner.scenario import RECORDING_COHORTS, parse_scenario
from rekam.planner.solve import solve_scenario


def test_the_recorded_not_activated_are_counted_where_they_are_reached(crafted):  # noqa: F811
    scenario = make("13.71", ikd=True)
    assert people(scenario) == {
        "S1": {"pemula": 2, "lainnya": 1, "ikd": 1},  # 6: on S1's roster, recorded, no IKD
        "S2": {"lainnya": 1},
        "K1": {"lainnya": 1},
        "L1": {"rentan": 1},
        "P1": {"rentan": 1},
        "H1": {"lainnya": 7},  # a head count: no IKD figure
        "DESA-1371011001": {"lainnya": 1, "ikd": 1},  # 2: recorded at home
        "DESA-1371011002": {"rentan": 1},
    }  # 14 is recorded too, in Kota Solok: outside the region
    assert scenario["source"]["people"] == {"pemula": 2, "rentan": 3, "lainnya": 11, "ikd": 2}
    assert scenario["weights"] == {"pemula": 3.0, "rentan": 2.0, "lainnya": 1.0, "ikd": 0.5}
    assert scenario["throughput"]["ikd_minutes_per_person"] == 3.0
    assert parse_scenario(scenario).effort == {"ikd": 0.6}


def test_without_ikd_the_scenario_is_as_before(crafted):  # noqa: F811
    scenario = make("13.71")
    assert "ikd" not in scenario["weights"] and "ikd_minutes_per_person" not in scenario["throughput"]
    assert all("ikd" not in s["people"] for s in scenario["sites"])


def test_the_itinerary_lists_match_the_ikd_counts(crafted):  # noqa: F811
    sc = parse_scenario(make("13.71", ikd=True))
    lists = site_lists(sc, ["S1", "DESA-1371011001"], Settings.from_env())
    assert sorted(p.name for p in lists.people["S1"]) == ["ORANG 3", "ORANG 4", "ORANG 5", "ORANG 6"]
    [six] = [p for p in lists.people["S1"] if p.name == "ORANG 6"]
    assert "IKD belum diaktifkan" in six.reason
    assert sorted(p.name for p in lists.people["DESA-1371011001"]) == ["ORANG 1", "ORANG 2"]


def test_make_solve_and_check_through_the_cli(cli, crafted):  # noqa: F811
    out = crafted / "ikd.json"
    run = cli(
        "plan", "make", "--region", "13.71", "--from", "2024-11-14", "--to", "2024-11-26", "--teams", "1",
        "--ikd", "--ikd-minutes-per-person", "2", "--out", out,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "sekolah: 2 lokasi, 5 orang (pemula 2, rentan 0, lainnya 2, aktivasi IKD 1)" in run.out
    assert json.loads(out.read_text(encoding="utf-8"))["throughput"]["ikd_minutes_per_person"] == 2.0
    plan = crafted / "ikd-plan.json"
    solved = cli("plan", "solve", out, "--iterations", "200", "--time-limit", "30", "--out", plan)
    assert solved.code == 0, solved.err
    checked = cli("plan", "check", out, plan)
    assert checked.code == 0, checked.out + checked.err
    totals = json.loads(plan.read_text(encoding="utf-8"))
    stops = [s for r in totals["routes"] for s in r["stops"]]
    assert any(s["people"].get("ikd", 0) > 0 for s in stops), "the plan activates someone"
    bad = cli(
        "plan", "make", "--region", "13.71", "--from", "2024-11-14", "--to", "2024-11-26", "--teams", "1",
        "--ikd", "--ikd-minutes-per-person", "0", "--out", out,
    )  # fmt: skip
    assert bad.code != 0 and "--ikd-minutes-per-person" in bad.err


def test_on_the_demo_ikd_adds_a_cohort_and_takes_nothing_from_the_others(demo_sites_home):  # noqa: F811
    rekam = Rekam(Settings(home=demo_sites_home))
    plain = rekam.make_scenario("13.71", date(2024, 11, 14), date(2024, 11, 26), 2)
    both = rekam.make_scenario("13.71", date(2024, 11, 14), date(2024, 11, 26), 2, ikd=True)
    by_id = {s["id"]: s["people"] for s in both["sites"]}
    for s in plain["sites"]:  # every site keeps its recording cohorts
        assert {c: by_id[s["id"]][c] for c in RECORDING_COHORTS} == s["people"], s["id"]
    # A desa counts its belum-ikd people less those met at a site (a roster) or living at a
    # lapas or panti: at most its figure, sudah_rekam - ikd_aktif; rosters may hold people of
    # other kab/kota (a campus), so the whole is bounded by the province's figure.
    figure = {
        r.region_code.replace(".", ""): r.sudah_rekam - r.ikd_aktif
        for r in rekam.coverage(as_of=date(2024, 11, 14), level="desa", region="13.71")
    }
    desa = {s["desa_code"]: s["people"]["ikd"] for s in both["sites"] if s["kind"] == "desa"}
    assert desa and all(n <= figure[code] for code, n in desa.items())
    assert sum(desa.values()) > 0.5 * sum(figure[code] for code in desa)
    [province] = rekam.coverage(as_of=date(2024, 11, 14), level="prov")
    assert 0 < both["source"]["people"]["ikd"] <= province.sudah_rekam - province.ikd_aktif
    sc = parse_scenario(both)
    plan = solve_scenario(sc, time_limit=None, iterations=150, seed=1, bound_time_limit=None)
    assert check_plan(sc, plan) == []
    assert plan.totals()["people_by_cohort"].get("ikd", 0) > 0
