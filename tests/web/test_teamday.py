"""The team's day on the web (issue 17): the plan calendar and a team's day page, through the
app (TestClient) on a copy of the web home holding a plan of Kota Padang (13.71).

The calendar names sites, kinds and weekdays, says the expected recordings and the bound in
words (no file name, no "gap"); each cell links to the team's day; the day page lists the stops
with times, head-counts per cohort, a route map and a link to each desa's by-name list. Scope:
the plan of 13.71 is Kota Padang's, its province's and admin-pusat's; a dinas of another
kab/kota, and an operator, cannot open its days, and see none of its site names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.planner_factory import random_sites, scenario
from tests.web.conftest import login

from rekam.config import Settings

DESA = ("1371011001", "1371011002", "1371021001")


def padang_plan(first: dt.date, days: int = 2, teams: int = 2, seed: int = 41) -> dict[str, Any]:
    """A plan of Kota Padang as ``rekam plan solve`` writes it (greedy: quick), named sites of
    real desa of 13.71, from ``first`` for ``days`` days (every weekday worked)."""
    from rekam.planner.greedy import greedy_plan
    from rekam.planner.scenario import parse_scenario

    sites = random_sites(10, seed, max_visits=1)
    for i, s in enumerate(sites):
        s["desa_code"] = DESA[i % len(DESA)]
        s["name"] = f"Lokasi Uji {i + 1:02d}"
        s["open_weekdays"] = [1, 2, 3, 4, 5, 6, 7]
    raw = scenario(
        sites, teams=teams, date_from=first.isoformat(), date_to=(first + dt.timedelta(days=days - 1)).isoformat()
    )
    raw["period"]["weekdays"] = [1, 2, 3, 4, 5, 6, 7]
    plan = greedy_plan(parse_scenario(raw), "biggest")
    plan.bound = round(plan.score * 1.25, 3)
    plan.extra["region"] = "1371"
    return plan.as_json()


@pytest.fixture(scope="module")
def plan_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("teamday-home") / "home"
    shutil.copytree(web_home, home)
    (home / "plans").mkdir(exist_ok=True)
    (home / "plans" / "padang-20241113-080000.json").write_text(
        json.dumps(padang_plan(dt.date(2024, 11, 14))), encoding="utf-8"
    )
    return home


@pytest.fixture
def app(plan_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    monkeypatch.setenv("REKAM_HOME", str(plan_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    with TestClient(create_app(Settings(home=plan_home, election_date=dt.date(2024, 11, 27)))) as c:
        yield c
    close_all()


def _plan(home: Path) -> dict[str, Any]:
    return json.loads((home / "plans" / "padang-20241113-080000.json").read_text(encoding="utf-8"))


def test_the_calendar_speaks_words_not_codes(app: TestClient, plan_home: Path) -> None:
    login(app, "padang")
    page = app.get("/rencana")
    assert page.status_code == 200
    html = page.text
    plan = _plan(plan_home)
    assert "Rencana jemput bola: Kota Padang" in html
    assert "Kamis, 14 Nov 2024" in html and "Jumat, 15 Nov 2024" in html
    people = round(plan["totals"]["people"])
    assert f"{people:,}".replace(",", ".") + " orang" in html
    assert "Batas atas:" in html and "tidak ada jadwal dengan tim dan hari ini" in html and " %" in html
    assert ".json" not in html and "gap" not in html.lower()
    for site in {s["site"] for r in plan["routes"] for s in r["stops"]}:
        assert plan["sites"][site]["name"] in html
        assert f">{site}<" not in html  # the name, not the id
    assert "perkiraan direkam" in html
    # each cell links to its team's day
    links = set(re.findall(r'href="(/rencana/tim/[^"]+)"', html))
    assert {f"/rencana/tim/{r['team']}/{r['date']}" for r in plan["routes"]} <= links


def test_in_english_too(app: TestClient, plan_home: Path) -> None:
    plan = _plan(plan_home)
    route = plan["routes"][0]
    login(app, "padang")
    html = app.get("/rencana?lang=en").text
    assert "Outreach plan: Kota Padang" in html and "Thursday, 14 Nov 2024" in html
    assert "Expected recordings" in html and "Upper bound:" in html
    day = app.get(f"/rencana/tim/{route['team']}/{route['date']}").text  # the language is kept (cookie)
    assert "Leave from Dinas" in day and "Route map" in day
    kinds = {plan["sites"][s["site"]]["kind"] for s in route["stops"]}
    words = {"desa": "village", "sekolah": "school", "lapas": "prison"}
    assert all(words[k] in day for k in kinds)


def test_a_team_day_lists_stops_times_head_counts_map_and_lists(app: TestClient, plan_home: Path) -> None:
    plan = _plan(plan_home)
    route = max(plan["routes"], key=lambda r: len(r["stops"]))
    login(app, "padang")
    page = app.get(f"/rencana/tim/{route['team']}/{route['date']}")
    assert page.status_code == 200
    html = page.text
    for stop in route["stops"]:
        site = plan["sites"][stop["site"]]
        assert site["name"] in html and stop["arrive"] in html and stop["leave"] in html
        dotted = f"{site['desa_code'][:2]}.{site['desa_code'][2:4]}.{site['desa_code'][4:6]}.{site['desa_code'][6:]}"
        assert f'href="/daftar/{dotted}"' in html  # the desa's by-name list (masked by default)
    assert "pemilih pemula" in html and "Berangkat dari Dinas" in html and "Kembali ke Dinas" in html
    assert html.count('class="day-stop"') == len(route["stops"])
    assert 'id="route-map"' in html and html.count("<circle") == len(route["stops"])
    assert "data-print" in html  # the Cetak button (rekam.js: CSP allows no inline script)
    total = round(sum(sum(s["people"].values()) for s in route["stops"]))
    assert re.search(rf"Perkiraan direkam: <strong>{total} orang</strong>", html)


@pytest.mark.parametrize("username", ["agam", "pekanbaru", "riau"])
def test_a_dinas_of_another_region_cannot_open_a_day_of_padang(app: TestClient, plan_home: Path, username: str) -> None:
    plan = _plan(plan_home)
    route = plan["routes"][0]
    login(app, username)
    r = app.get(f"/rencana/tim/{route['team']}/{route['date']}")
    assert r.status_code == 404
    calendar = app.get("/rencana")
    for text in (r.text, calendar.text):
        assert not any(site["name"] in text for site in plan["sites"].values())


def test_an_operator_cannot_open_a_day(app: TestClient, plan_home: Path) -> None:
    route = _plan(plan_home)["routes"][0]
    login(app, "loket1")
    r = app.get(f"/rencana/tim/{route['team']}/{route['date']}")
    assert r.status_code in (403, 404) and "Lokasi Uji" not in r.text


def test_the_province_and_pusat_open_it_and_a_day_not_planned_is_404(app: TestClient, plan_home: Path) -> None:
    route = _plan(plan_home)["routes"][0]
    for who in ("sumbar", "pusat"):
        login(app, who)
        assert app.get(f"/rencana/tim/{route['team']}/{route['date']}").status_code == 200
    assert app.get(f"/rencana/tim/{route['team']}/2024-12-25").status_code == 404
    assert app.get("/rencana/tim/T9/2024-11-14").status_code == 404
    assert app.get(f"/rencana/tim/{route['team']}/besok").status_code == 400


def test_an_old_plan_without_names_shows_ids(app: TestClient, plan_home: Path) -> None:
    plan = _plan(plan_home)
    for key in ("sites", "depots", "weights"):
        plan.pop(key)
    old = plan_home / "plans" / "zz-old.json"
    old.write_text(json.dumps(plan), encoding="utf-8")
    try:
        login(app, "padang")
        html = app.get("/rencana").text
        site = plan["routes"][0]["stops"][0]["site"]
        assert site in html and "dibuat sebelum nama lokasi disimpan" in html
        day = app.get(f"/rencana/tim/{plan['routes'][0]['team']}/{plan['routes'][0]['date']}")
        assert day.status_code == 200 and site in day.text and 'id="route-map"' not in day.text
    finally:
        old.unlink()


def test_activations_are_counted_apart_from_recordings(app: TestClient, plan_home: Path, tmp_path: Path) -> None:
    """A plan with the IKD cohort (``rekam plan make --ikd``): its people are already recorded,
    so the calendar's and the day's "expected recordings" leave them out and an IKD figure of
    their own says how many activations to expect."""
    plan = _plan(plan_home)
    route = max(plan["routes"], key=lambda r: len(r["stops"]))
    for i, stop in enumerate(route["stops"]):
        stop["people"]["ikd"] = 10.0 + i  # 10, 11, ...
    recordings = sum(sum(v for c, v in s["people"].items() if c != "ikd") for r in plan["routes"] for s in r["stops"])
    activations = sum(10 + i for i in range(len(route["stops"])))
    newer = plan_home / "plans" / "padang-20241113-090000.json"
    newer.write_text(json.dumps(plan), encoding="utf-8")
    try:
        login(app, "padang")
        html = app.get("/rencana").text
        card = re.search(r'id="plan-expected">.*?class="value">([^<]+)<', html, re.S)
        assert card and card.group(1) == f"{round(recordings):,}".replace(",", ".") + " orang"
        ikd = re.search(r'id="plan-expected-ikd">.*?class="value">([^<]+)<', html, re.S)
        assert ikd and ikd.group(1) == f"{activations} orang"
        day = app.get(f"/rencana/tim/{route['team']}/{route['date']}").text
        day_recordings = sum(sum(v for c, v in s["people"].items() if c != "ikd") for s in route["stops"])
        total = re.search(r'id="day-total">[^<]*<strong>([^<]+)</strong>', day)
        assert total and total.group(1) == f"{round(day_recordings):,}".replace(",", ".") + " orang"
        assert re.search(r'id="day-total-ikd">([^<]+)<', day).group(1) == str(activations)  # type: ignore[union-attr]
        assert day.count('class="day-expected-ikd"') == len(route["stops"])
    finally:
        newer.unlink()
