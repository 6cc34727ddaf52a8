"""The re-plan button on /rencana (issue 20): "Susun ulang untuk hari tersisa" for the roles
allowed to plan whose scope holds the plan's region; the POST makes the remaining scenario from
tomorrow and solves it off the request thread; the new plan is the newest (the calendar shows
it, saying what it re-plans); a retried form makes one plan; a refused role changes nothing.
And the learned turnout beside the defaults where outcomes were logged."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, login
from tests.web.test_teamday import _plan, app, plan_home  # noqa: F401

from rekam.api import Rekam
from rekam.config import Settings

PLAN = "padang-20241113-080000.json"


@pytest.fixture(autouse=True)
def the_day_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is the day before the plan's first day (14 Nov 2024): tomorrow on is left; the solver quick."""
    from rekam.web import plans, replan

    monkeypatch.setattr(plans, "today", lambda: dt.date(2024, 11, 13))
    monkeypatch.setattr(replan, "REPLAN_SECONDS", 3.0)


def _key(html: str) -> str:
    found = re.search(r'name="key" value="([0-9a-f]{32})"', html)
    assert found, "no re-plan form"
    return found.group(1)


def _replans(home: Path) -> list[Path]:
    return sorted((home / "plans").glob("ulang-*.json"))


def _wait(client: TestClient, key: str) -> str:
    for _ in range(120):
        r = client.get(f"/rencana/susun-ulang/{key}")
        assert r.status_code == 200
        if r.headers.get("HX-Refresh") == "true":
            return r.text
        time.sleep(0.5)
    raise AssertionError("the re-plan did not finish")


def _counted(home: Path) -> list[str]:
    """NIKs counted by ``rekam plan make`` in Kota Padang (not recorded, wajib or akan wajib)."""
    from rekam.analytics.engines import open_engine
    from rekam.planner import inputs

    rekam = Rekam(Settings(home=home))
    st = rekam.store()
    snap = st.require_current()
    with open_engine("duckdb", st, snap, None) as eng:
        rows = eng.run(inputs.targets_sql(dt.date(2024, 11, 14), dt.date(2024, 11, 27)))
    return [str(r[0]) for r in rows if str(r[1]).replace(".", "").startswith("1371")]


def test_the_button_is_for_the_roles_allowed_to_plan(app: TestClient) -> None:  # noqa: F811
    for user in ("padang", "sumbar", "pusat"):
        login(app, user)
        page = app.get("/rencana").text
        assert "Susun ulang untuk hari tersisa" in page and 'action="/rencana/susun-ulang"' in page, user
        assert f'name="plan" value="{PLAN}"' in page
        assert "Kamis, 14 Nov 2024" in page  # the re-plan starts tomorrow
    login(app, "agam")  # another kab/kota: not its plan, no button
    assert "Susun ulang" not in app.get("/rencana").text
    login(app, "loket1")  # an operator sees no plan page at all
    assert app.get("/rencana").status_code == 403


def test_no_button_when_no_day_is_left(app: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from rekam.web import plans

    monkeypatch.setattr(plans, "today", lambda: dt.date(2024, 11, 15))  # the plan's last day
    login(app, "padang")
    assert "Susun ulang" not in app.get("/rencana").text


def test_the_re_plan_leaves_out_who_was_recorded_and_a_retry_makes_one_plan(
    app: TestClient,  # noqa: F811
    plan_home: Path,  # noqa: F811
) -> None:
    from rekam.planner.scenario import read_scenario

    rekam = Rekam(Settings(home=plan_home))
    before = rekam.make_remaining_scenario(plan_home / "plans" / PLAN, dt.date(2024, 11, 14))
    people_before = sum(sum(s["people"].values()) for s in before["sites"])
    nik = _counted(plan_home)[0]
    op = rekam.authenticate("loket1", PASSWORD)
    rekam.log_service(op, nik, "perekaman", "SP-PDG", "replan-web-1")  # recorded at a desk since the snapshot

    login(app, "padang")
    key = _key(app.get("/rencana").text)
    r = app.post("/rencana/susun-ulang", data={"key": key, "plan": PLAN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/rencana?susun={key}"
    again = app.post("/rencana/susun-ulang", data={"key": key, "plan": PLAN}, follow_redirects=False)
    assert again.status_code == 303  # a retried form joins the same job
    running = app.get(f"/rencana?susun={key}").text
    assert "Sedang menyusun" in running or "Rencana baru sudah tersusun" in running
    _wait(app, key)
    made = _replans(plan_home)
    assert len(made) == 1
    # a retry after it is done, even after a restart (jobs forgotten), finds the plan made
    app.app.state.rekam.replans._jobs.clear()  # type: ignore[attr-defined]
    assert app.post("/rencana/susun-ulang", data={"key": key, "plan": PLAN}, follow_redirects=False).status_code == 303
    _wait(app, key)
    assert _replans(plan_home) == made

    plan: dict[str, Any] = json.loads(made[0].read_text(encoding="utf-8"))
    assert plan["replan"] == {"of": PLAN.removesuffix(".json"), "from": "2024-11-14", "key": key}
    assert plan["region"] == "1371" and plan["bound"] is not None  # the same solver and bound
    scenario_file = plan_home / "plans" / "scenarios" / f"{plan['scenario']}.json"
    scenario = json.loads(scenario_file.read_text(encoding="utf-8"))
    assert scenario["source"]["remaining"]["recorded_at_desks"] == 1
    assert sum(sum(s["people"].values()) for s in scenario["sites"]) == people_before - 1
    assert nik in rekam._left_out(read_scenario(scenario_file))  # its by-name lists leave them out too
    page = app.get(f"/rencana?susun={key}").text
    assert "Rencana baru sudah tersusun" in page
    assert "Rencana ini susunan ulang" in page and 'id="replan-form"' in page  # the new plan can be re-planned too
    assert f"susunan ulang dari rencana {PLAN.removesuffix('.json')} untuk hari mulai Kamis, 14 Nov 2024" in page
    login(app, "sumbar")  # a job is seen only by the user who started it
    assert app.get(f"/rencana/susun-ulang/{key}").status_code == 404
    assert "Rencana baru sudah tersusun" not in app.get(f"/rencana?susun={key}").text
    log = (plan_home / "audit.log").read_text(encoding="utf-8")
    assert log.count('"replan"') == 1 and nik not in log


@pytest.mark.parametrize("user", ["loket1", "ketua-replan", "agam"])
def test_a_refused_role_changes_nothing(
    app: TestClient,  # noqa: F811
    plan_home: Path,  # noqa: F811
    user: str,
) -> None:
    if user == "ketua-replan":
        from rekam.ops import points, users
        from rekam.ops.db import open_db

        db = open_db(settings=Settings(home=plan_home))
        if not any(p.id == "TIM-PDG-R" for p in points.list_points(db)):
            points.add_point(db, "TIM-PDG-R", "Tim jemput bola Padang", "13.71", "keliling")
            users.add_user(db, user, PASSWORD, "tim", None, "TIM-PDG-R", team="T01")
    before = sorted((plan_home / "plans").glob("*.json"))
    login(app, user)
    r = app.post("/rencana/susun-ulang", data={"key": "a" * 32, "plan": PLAN}, follow_redirects=False)
    assert r.status_code == 403
    assert sorted((plan_home / "plans").glob("*.json")) == before
    assert not app.app.state.rekam.replans._jobs  # type: ignore[attr-defined]


@pytest.fixture
def outcomes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    from tests.web.test_plan_result_web import Out  # noqa: F401

    given: list[Any] = []
    monkeypatch.setattr(Rekam, "field_outcomes", lambda self, since=None, until=None, team=None: list(given))
    yield given


def test_learned_turnout_beside_the_defaults(
    app: TestClient,  # noqa: F811
    plan_home: Path,  # noqa: F811
    outcomes: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.web.test_plan_result_web import WIB, Out

    from rekam.planner import inputs

    for made in _replans(plan_home):  # the plan of Kota Padang is the newest again
        made.unlink()
    login(app, "padang")
    assert 'id="learned"' not in app.get("/rencana").text  # no outcome: no table
    plan = _plan(plan_home)
    route = plan["routes"][0]
    first = route["stops"][0]
    kind = plan["sites"][first["site"]]["kind"]
    stop = f"{route['date']}/{route['team']}/1"
    at = dt.datetime.fromisoformat(route["date"]).replace(hour=9, tzinfo=WIB)
    outcomes += [Out(f"k{i}", stop, f"13710101019000{i:02d}", "direkam", at) for i in range(3)]
    outcomes.append(Out("k9", stop, "1371010101900099", "tidak_hadir", at))
    # the stop's list: 4 people (the plan's sites are made up: their list sizes are given here)
    monkeypatch.setattr(inputs, "people_at_sites", lambda targets, data, plan, region: {first["site"]: 4})
    app.get("/rencana")  # the plan's new result is computed in the background (issue 21)
    app.app.state.rekam.figures.settle()  # type: ignore[attr-defined]
    page = app.get("/rencana").text
    assert "Turnout yang dipelajari dari hasil lapangan" in page
    row = re.search(rf'<tr data-kind="{kind}">(.*?)</tr>', page)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    default = inputs.KIND_DEFAULTS[kind].turnout
    assert cells[0] == f"{100 * default:.2f} %".replace(".", ",")
    assert cells[1:] == ["75,00 %", "1", "4", "3"]  # 3 recorded of 4 listed at 1 stop
