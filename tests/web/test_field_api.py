"""The field teams' API (issue 20) through the app (TestClient), on a copy of the web home with a
plan of Kota Padang (tests/web/test_teamday.py) and two team leaders of its team T1: a device
registers, loads its day (only its team's stops, people masked, audited), sends outcomes (once
per key; a field recording counts in the live figures like a counter's; moves and deaths reach
tindak lanjut), and once revoked is refused with 401 device_revoked and stores nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.web.conftest import PASSWORD, login, token
from tests.web.field_support import DAY, field_client, make_field_home

from rekam.config import Settings

PLAN = "padang-20241113-080000"


@pytest.fixture(scope="module")
def field_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("field-home") / "home"
    return make_field_home(web_home, home, PLAN, {"ketua1": ("TIM-PDG-1", "T1"), "wakil1": ("TIM-PDG-1", "T1")})


@pytest.fixture
def app(field_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("REKAM_HOME", str(field_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    with field_client(field_home) as c:
        yield c


def device(client: TestClient, who: str = "ketua1") -> tuple[str, dict[str, str]]:
    r = client.post("/api/v1/lapangan/perangkat", json={"username": who, "password": PASSWORD, "label": "HP tim"})
    assert r.status_code == 201, r.text
    return r.json()["device_id"], {"Authorization": f"Bearer {r.json()['token']}"}


def day(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    r = client.get("/api/v1/lapangan/hari", params={"tanggal": DAY.isoformat()}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def outcome(stop: str, kind: str, **kw: object) -> dict[str, object]:
    at = dt.datetime(2024, 11, 14, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return {"key": str(uuid.uuid4()), "stop_id": stop, "outcome": kind, "occurred_at": at.isoformat()} | kw


def send(client: TestClient, headers: dict[str, str], *items: dict[str, object]) -> list[dict[str, Any]]:
    r = client.post("/api/v1/lapangan/hasil", json={"outcomes": list(items)}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["results"]  # type: ignore[no-any-return]


def counts(home: Path) -> tuple[int, int, int]:
    from rekam.ops.db import open_db
    from rekam.ops.models import FieldOutcomeRow, FollowUp, ServiceEvent

    with open_db(settings=Settings(home=home)).read() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(m)) or 0) for m in (FieldOutcomeRow, ServiceEvent, FollowUp)
        )  # type: ignore[return-value]


def people(package: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(s["stop_id"], p) for d in package["days"] for s in d["stops"] for p in s["people"]]


def test_a_team_leader_registers_a_device_and_others_cannot(app: TestClient) -> None:
    r = app.post("/api/v1/lapangan/perangkat", json={"username": "ketua1", "password": PASSWORD, "label": "HP"})
    assert r.status_code == 201
    body = r.json()
    assert re.fullmatch(r"[0-9a-f]{32}", body["device_id"])
    assert (body["team"], body["service_point"], body["region"]) == ("T1", "TIM-PDG-1", "13.71")
    refused = app.post("/api/v1/lapangan/perangkat", json={"username": "loket1", "password": PASSWORD})
    assert refused.status_code == 403 and "tim" in refused.json()["detail"]
    wrong = app.post("/api/v1/lapangan/perangkat", json={"username": "ketua1", "password": "salah-salah-1"})
    assert wrong.status_code == 401
    # A token without a device (the ordinary login) does not open the field routes.
    plain = token(app, "ketua1")
    assert app.get("/api/v1/lapangan/hari", headers=plain).status_code == 401
    for who in ("pusat", "padang", "loket1"):  # no other role has a team's day, nor sends outcomes
        headers = token(app, who)
        assert app.get("/api/v1/lapangan/hari", headers=headers).status_code == 401
        sent = app.post("/api/v1/lapangan/hasil", json={"outcomes": []}, headers=headers)
        assert sent.status_code == 401 and "results" not in sent.text
    # A team leader sees no dashboard figure and no by-name list.
    assert app.get("/api/v1/coverage", params={"region": "13.71"}, headers=plain).status_code == 403
    assert app.get("/api/v1/lists/belum-rekam/13.71.01.1001", headers=plain).status_code == 403


def test_the_day_package_holds_the_team_s_stops_masked_and_audited(app: TestClient, field_home: Path) -> None:
    from rekam.ops.db import open_db
    from rekam.ops.models import AuditEntry

    _, headers = device(app)
    db = open_db(settings=Settings(home=field_home))
    with db.read() as s:
        audited = int(s.scalar(select(func.count()).where(AuditEntry.action == "hari_lapangan")) or 0)
    package = day(app, headers)
    plan = json.loads((field_home / "plans" / f"{PLAN}.json").read_text(encoding="utf-8"))
    ours = sorted((r["date"], len(r["stops"])) for r in plan["routes"] if r["team"] == "T1" and r["stops"])
    assert package["team"] == "T1" and package["plan"] == PLAN and package["snapshot"]
    assert [(d["date"], len(d["stops"])) for d in package["days"]] == ours[:2]
    assert package["days"][0]["date"] == DAY.isoformat()
    for d in package["days"]:
        for i, s in enumerate(d["stops"], start=1):
            assert s["stop_id"] == f"{d['date']}/T1/{i}"
            assert s["name"].startswith("Lokasi Uji") and s["desa_code"].startswith("13.71.")
            assert set(s["expected"]) >= {"pemula", "lainnya"}
    found = people(package)
    assert found, "the stops' desa have people not yet recorded"
    for _, p in found:
        assert set(p) == {"ref", "nik", "name", "age", "sex", "rt", "rw", "dusun", "status", "list"}
        assert re.fullmatch(r"\d{6}\*{10}", p["nik"]) and p["list"] == "belum-rekam"
        assert p["status"] in ("belum rekam", "perlu rekam ulang")
    with db.read() as s:
        assert int(s.scalar(select(func.count()).where(AuditEntry.action == "hari_lapangan")) or 0) == audited + 1
    # Another day with no work: the next worked day only.
    later = app.get("/api/v1/lapangan/hari", params={"tanggal": "2024-11-15"}, headers=headers).json()
    assert [d["date"] for d in later["days"]] == [d for d, _ in ours if d >= "2024-11-15"][:1]
    assert app.get("/api/v1/lapangan/hari", params={"tanggal": "kemarin"}, headers=headers).status_code == 400


def test_outcomes_are_stored_once_count_live_and_reach_tindak_lanjut(app: TestClient, field_home: Path) -> None:
    _, one = device(app, "ketua1")
    _, two = device(app, "wakil1")
    package = day(app, one)
    (stop, first), (stop2, second), (stop3, third) = people(package)[:3]
    admin = token(app, "padang")
    padang = {"level": "kab", "region": "13.71"}
    before = app.get("/api/v1/coverage", params=padang, headers=admin).json()
    moved, died = "1371011503070041", "1371012011850052"
    batch = [
        outcome(stop, "direkam", ref=first["ref"]),
        outcome(stop2, "tidak_hadir", ref=second["ref"]),
        outcome(stop3, "pindah", nik=moved),
        outcome(stop3, "meninggal", nik=died),
        outcome(stop3, "direkam", nik="1371011503070000"),  # serial 0000: refused, the part named
    ]
    results = send(app, one, *batch)
    assert [r["key"] for r in results] == [b["key"] for b in batch]
    assert [r["status"] for r in results] == ["stored"] * 4 + ["refused"]
    assert "1371011503070000" not in results[4]["message"] and results[4]["code"] == "ops_nik_serial"
    stored = counts(field_home)
    # Sent again, in another order: nothing more is stored.
    again = send(app, one, *reversed(batch[:4]))
    assert {r["status"] for r in again} == {"already"} and counts(field_home) == stored
    # The second phone of the team records the same person: one recording.
    twice = send(app, two, outcome(stop, "direkam", ref=first["ref"]))
    assert twice[0]["status"] == "already" and twice[0]["code"] == "sudah_direkam"
    assert counts(field_home)[1] == stored[1]
    # The field recording counts in the live figures like a counter's.
    app.get("/api/v1/coverage", params=padang, headers=admin)
    app.app.state.rekam.figures.settle()  # type: ignore[attr-defined]
    after = app.get("/api/v1/coverage", params=padang, headers=admin).json()
    assert after["desk_services"] == before["desk_services"] + 1
    row = {r["region_code"]: r for r in after["rows"]}["13.71"]
    was = {r["region_code"]: r for r in before["rows"]}["13.71"]
    assert row["sudah_rekam"] == was["sudah_rekam"] + 1
    # Moves and deaths are tindak lanjut cases.
    login(app, "padang")
    page = app.get("/tindak-lanjut")
    assert page.status_code == 200 and "pindah" in page.text and "meninggal" in page.text
    download = app.get("/tindak-lanjut/unduh", params={"format": "csv", "utuh": "true"})
    text = download.content.decode("utf-8-sig")
    assert moved in text and died in text
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) >= 3


def test_a_revoked_device_is_refused_and_nothing_is_stored(app: TestClient, field_home: Path) -> None:
    device_id, headers = device(app)
    package = day(app, headers)
    stop, person = people(package)[-1]
    listed = app.get("/api/v1/lapangan/perangkat", headers=token(app, "padang")).json()["items"]
    assert device_id in {d["id"] for d in listed}
    assert app.post(f"/api/v1/lapangan/perangkat/{device_id}/cabut", headers=token(app, "agam")).status_code == 403
    assert app.post(f"/api/v1/lapangan/perangkat/{device_id}/cabut", headers=token(app, "loket1")).status_code == 403
    revoked = app.post(f"/api/v1/lapangan/perangkat/{device_id}/cabut", headers=token(app, "padang"))
    assert revoked.status_code == 200 and revoked.json()["revoked_by"] == "padang"
    before = counts(field_home)
    r = app.post(
        "/api/v1/lapangan/hasil",
        json={
            "outcomes": [outcome(stop, "direkam", ref=person["ref"]), outcome(stop, "pindah", nik="1371011503070041")]
        },
        headers=headers,
    )
    assert r.status_code == 401
    assert r.json()["code"] == "device_revoked" and r.json()["detail"].startswith(
        "Perangkat ini sudah dicabut oleh admin"
    )
    assert counts(field_home) == before
    gone = app.get("/api/v1/lapangan/hari", headers=headers)
    assert gone.status_code == 401 and gone.json()["code"] == "device_revoked"
    english = app.get("/api/v1/lapangan/hari", headers=headers | {"Accept-Language": "en"})
    assert "revoked" in english.json()["detail"]
    # The same user on a new device works again.
    _, fresh = device(app)
    assert app.get("/api/v1/lapangan/hari", params={"tanggal": DAY.isoformat()}, headers=fresh).status_code == 200
