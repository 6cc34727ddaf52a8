"""The field loop closed (issue 20), through the real app (TestClient): a team leader lands on the
field page; the day package marks who was recorded (or had IKD activated) since the snapshot,
at a counter or by a device; and the outcomes two devices send come back as the plan's result
on ``/rencana``, on the team's day and in ``Rekam.plan_result``.

The home: a copy of the web home (tests/web/conftest.py) with a plan of Kota Padang with the IKD
cohort (tests/web/test_teamday.py's, its sites in the desa that have people not yet recorded),
and a team leader for each of its teams T1 and T2. The tests of this module log different
people (each leaves out those the other team's package lists too), so any order holds.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, login, token
from tests.web.field_support import DAY, field_client, make_field_home

from rekam.config import Settings

EXPORT = dt.date(2024, 11, 13)  # the web home's snapshot (tests/conftest.py)
PLAN = "padang-20241113-090000"
WIB = dt.timezone(dt.timedelta(hours=7))
#: team leader -> (the team's mobile point, plan team)
LEADERS = {"ketua1": ("TIM-PDG-1", "T1"), "wakil1": ("TIM-PDG-1", "T1"), "ketua2": ("TIM-PDG-2", "T2")}


@pytest.fixture(scope="module")
def loop_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("loop-home") / "home"
    return make_field_home(web_home, home, PLAN, LEADERS, ikd=True)  # belum-ikd lists too


@pytest.fixture
def app(loop_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("REKAM_HOME", str(loop_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    with field_client(loop_home) as c:
        yield c


def device(client: TestClient, who: str) -> dict[str, str]:
    r = client.post("/api/v1/lapangan/perangkat", json={"username": who, "password": PASSWORD, "label": f"HP {who}"})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def package(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    r = client.get("/api/v1/lapangan/hari", params={"tanggal": DAY.isoformat()}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def people(day: dict[str, Any], only: dt.date | None = None) -> list[tuple[str, dict[str, Any]]]:
    return [
        (s["stop_id"], p)
        for d in day["days"]
        if only is None or d["date"] == only.isoformat()
        for s in d["stops"]
        for p in s["people"]
    ]


def outcome(stop: str, kind: str, at: dt.datetime | None = None, **kw: object) -> dict[str, object]:
    at = at or dt.datetime(2024, 11, 14, 10, 30, tzinfo=WIB)
    return {"key": str(uuid.uuid4()), "stop_id": stop, "outcome": kind, "occurred_at": at.isoformat()} | kw


def send(client: TestClient, headers: dict[str, str], *items: dict[str, object]) -> list[dict[str, Any]]:
    r = client.post("/api/v1/lapangan/hasil", json={"outcomes": list(items)}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["results"]  # type: ignore[no-any-return]


def at_counter(client: TestClient, nik: str, kind: str, at: str) -> None:
    """A service at Kota Padang's counter (SP-PDG), logged by its operator through the desk API."""
    body = {
        "service_point": "SP-PDG",
        "nik": nik,
        "jenis": kind,
        "idempotency_key": str(uuid.uuid4()),
        "occurred_at": at,
    }
    r = client.post("/api/v1/layanan", json=body, headers=token(client, "loket1"))
    assert r.status_code == 201, r.text


def niks(home: Path, kind: str) -> dict[str, str]:
    """The list's NIKs in Kota Padang on DAY by row key (what a device's ``ref`` stands for)."""
    from rekam.api import Rekam

    listed, _ = Rekam(Settings(home=home)).list_people(kind, "13.71", DAY)  # type: ignore[arg-type]
    return {p.row_key: p.nik for p in listed}


def own(
    client: TestClient, mine: dict[str, str], other: dict[str, str], only: dt.date | None = None
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The people of my team's package (on day ``only`` if given) that the other team's package
    does not list, by ref (the first stop each is listed at)."""
    theirs = {p["ref"] for _, p in people(package(client, other))}
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for stop, p in people(package(client, mine), only):
        if p["ref"] not in theirs:
            found.setdefault(p["ref"], (stop, p))
    return found


# -- 1. where a team leader lands ---------------------------------------------------------------


def test_a_team_leader_lands_on_the_field_page_and_dashboards_point_there(app: TestClient) -> None:
    r = app.post("/login", data={"username": "ketua1", "password": PASSWORD})  # the redirects followed
    assert r.status_code == 200 and r.url.path == "/lapangan"
    assert 'id="login-form"' in r.text  # the device logs in on the page itself (its own token)
    home = app.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/lapangan"
    for path in ("/wilayah/13.71", "/rencana", f"/rencana/tim/T1/{DAY}", "/kualitas/13.71", "/impor", "/hari-h"):
        page = app.get(path)
        assert page.status_code == 403, path
        assert '<a href="/lapangan">Buka halaman lapangan tim</a>' in page.text, path
        assert "Lokasi Uji" not in page.text  # no site of the plan on a refusal
    english = app.get("/rencana?lang=en")
    assert english.status_code == 403 and "Open the team&#39;s field page" in english.text
    # Other roles land where they did, and their refusal pages link to their own start.
    login(app, "loket1")
    assert app.get("/", follow_redirects=False).headers["location"] == "/loket"
    refused = app.get("/rencana")
    assert refused.status_code in (403, 404) and 'href="/lapangan"' not in refused.text
    login(app, "padang")
    assert app.get("/", follow_redirects=False).headers["location"] == "/wilayah/13.71"


# -- 2. who was served since the snapshot --------------------------------------------------------


def test_people_recorded_since_the_snapshot_stay_listed_and_are_marked(app: TestClient, loop_home: Path) -> None:
    """A completed perekaman since the snapshot, at a counter or by a team's device, marks the
    person ``recorded_since`` (the day of the first); a failed one marks nobody."""
    mine, other = device(app, "ketua2"), device(app, "ketua1")
    free = [(ref, stop) for ref, (stop, p) in own(app, mine, other).items() if p["list"] == "belum-rekam"]
    assert len(free) >= 3, "team T2 lists three people not yet recorded that T1 does not list"
    (at_desk, _), (in_field, field_stop), (failed, failed_stop) = free[:3]
    before = people(package(app, mine))
    assert not [p for _, p in before if p["ref"] in (at_desk, in_field, failed) and "recorded_since" in p]
    register = niks(loop_home, "belum-rekam")
    at_counter(app, register[at_desk], "perekaman", f"{EXPORT.isoformat()}T15:00:00+07:00")
    sent = send(
        app, mine, outcome(field_stop, "direkam", ref=in_field), outcome(failed_stop, "gagal_rekam", ref=failed)
    )
    assert [r["status"] for r in sent] == ["stored", "stored"]

    after = people(package(app, mine))
    assert [(s, p["ref"]) for s, p in after] == [(s, p["ref"]) for s, p in before]  # still listed, in order
    marks = {p["ref"]: p.get("recorded_since") for _, p in after}
    assert marks[at_desk] == EXPORT.isoformat()
    assert marks[in_field] == DAY.isoformat()  # the device's outcome is a service event at its point
    assert marks[failed] is None
    for _, p in after:
        if p["ref"] in (at_desk, in_field):
            assert set(p) == {"ref", "nik", "name", "age", "sex", "rt", "rw", "dusun", "status", "list",
                              "recorded_since"}  # fmt: skip


def test_people_whose_ikd_was_activated_since_are_marked_on_the_belum_ikd_list(
    app: TestClient, loop_home: Path
) -> None:
    mine, other = device(app, "ketua2"), device(app, "ketua1")
    waiting = [(ref, p) for ref, (_, p) in own(app, mine, other).items() if p["list"] == "belum-ikd"]
    assert len(waiting) >= 2, "team T2's stops list recorded people without IKD (the plan has the IKD cohort)"
    (ref, _), (untouched, _) = waiting[:2]
    at_counter(app, niks(loop_home, "belum-ikd")[ref], "aktivasi_ikd", "2024-11-15T09:00:00+07:00")
    rows = {p["ref"]: p for _, p in people(package(app, mine))}
    assert rows[ref]["ikd_since"] == "2024-11-15" and "recorded_since" not in rows[ref]
    assert "ikd_since" not in rows[untouched]


# -- 4. the loop: outcomes from two devices back as the plan's result ------------------------------


def test_outcomes_of_two_devices_come_back_as_the_plan_s_result(app: TestClient, loop_home: Path) -> None:
    from rekam.api import Rekam

    first, second, other = device(app, "ketua1"), device(app, "wakil1"), device(app, "ketua2")
    mine = own(app, first, other, DAY)
    listed = [(ref, stop) for ref, (stop, p) in mine.items() if p["list"] == "belum-rekam"]
    ikd = [(ref, stop) for ref, (stop, p) in mine.items() if p["list"] == "belum-ikd"]
    # (scale 0.001: a desa has one or two people not yet recorded, and many without IKD)
    assert len(listed) >= 2 and len(ikd) >= 2, "team T1 lists people to record and to activate on its first day"
    (a, stop_a), (c, stop_c) = listed[:2]
    (b, stop_b), (d, stop_d) = ikd[:2]
    ten = dt.datetime(2024, 11, 14, 10, tzinfo=WIB)
    sent = send(
        app,
        first,
        outcome(stop_a, "direkam", ten, ref=a),
        outcome(stop_b, "tidak_hadir", ten, ref=b),
        outcome(stop_c, "gagal_rekam", ten, ref=c),
        outcome(stop_d, "aktivasi_ikd", ten, ref=d),
        outcome(stop_a, "sudah_punya_ktp", ten, name="Orang Datang Sendiri", birth_date="1990-05-01"),
    )
    assert [r["status"] for r in sent] == ["stored"] * 5, sent
    # The second phone of the team records the same person later: one person, one recording.
    twice = send(app, second, outcome(stop_a, "direkam", ten + dt.timedelta(minutes=20), ref=a))
    assert twice[0]["status"] == "already" and twice[0]["code"] == "sudah_direkam"

    plan = json.loads((loop_home / "plans" / f"{PLAN}.json").read_text(encoding="utf-8"))
    rekam = Rekam(Settings(home=loop_home))
    result = rekam.plan_result(plan, PLAN)
    assert result is not None
    stops = {s.stop_id: s for s in result.stops}
    expected: dict[str, dict[str, int]] = {}
    # found: a, c, d and the walk-in (b was absent); recorded: a once; failed: c; activated: d
    for stop, kind in ((stop_a, "found"), (stop_a, "recorded"), (stop_c, "found"), (stop_c, "failed"),
                       (stop_d, "found"), (stop_d, "activated"), (stop_a, "found")):  # fmt: skip
        expected.setdefault(stop, {}).setdefault(kind, 0)
        expected[stop][kind] += 1
    for stop, figures in expected.items():
        got = {k: getattr(stops[stop], k) for k in ("found", "recorded", "failed", "activated")}
        assert got == {k: figures.get(k, 0) for k in got}, stop
    t1 = [s for s in result.stops if s.team == "T1" and s.date == DAY]
    assert sum(s.recorded for s in t1) == 1 and sum(s.found for s in t1) == 4  # a counted once
    assert sum(s.activated for s in t1) == 1 and sum(s.failed for s in t1) == 1
    outcomes = [o for o in rekam.field_outcomes(since=DAY, until=DAY, team="T1") if o.stop_id in expected]
    assert sorted(o.outcome for o in outcomes) == sorted(
        ["direkam", "direkam", "tidak_hadir", "gagal_rekam", "aktivasi_ikd", "sudah_punya_ktp"]
    )
    recordings = {o.event_id for o in outcomes if o.outcome == "direkam"}
    assert len(recordings) == 1 and None not in recordings  # both devices' outcomes: one event
    # By cohort, from the register: the recorded person is in a recording cohort, the activated
    # one in the IKD cohort, the walk-in without a NIK is not counted by the register.
    for s in [*result.stops, result.total]:  # the split adds up to the figures it splits
        assert sum(s.found_by.values()) == s.found and sum(s.recorded_by.values()) == s.recorded
    assert set(stops[stop_a].recorded_by) <= {"pemula", "rentan", "lainnya"}
    assert stops[stop_d].found_by.get("ikd", 0) >= 1
    assert stops[stop_a].found_by.get("tidak_terdata", 0) >= 1

    # The plan pages show the result beside the expected, for that day of T1.
    words = "hasil: 1 direkam dari 4 ditemui, 1 aktivasi IKD"
    login(app, "padang")
    calendar = app.get("/rencana")
    assert calendar.status_code == 200 and words in calendar.text
    day = app.get(f"/rencana/tim/T1/{DAY}")
    assert day.status_code == 200 and f'id="day-result">{words}' in day.text
    for stop in expected:  # each stop with an outcome shows its own result
        s = stops[stop]
        assert f"hasil: {s.recorded} direkam dari {s.found} ditemui" in day.text
    assert "Ditemui (direkam) per kelompok" in day.text and "tidak terhitung di register" in day.text


def test_no_ops_database_no_field_outcomes(tmp_path: Path) -> None:
    from rekam.api import Rekam

    rekam = Rekam(Settings(home=tmp_path))
    assert rekam.field_outcomes() == [] and rekam.field_outcomes(since=DAY, team="T1") == []
    assert not (tmp_path / "ops.db").exists()  # a reader that only looks makes none
