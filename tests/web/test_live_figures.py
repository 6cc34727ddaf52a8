"""Live by default (issue #16): a service logged at a desk (the desk API, as an operator's
client does) changes the province page's and the API's figures without a new import; the
switch (``?live=0`` on the page, ``live=false`` in the API) shows the snapshot alone; the
by-name lists and their files mark the person served."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import login, token

from rekam.config import Settings

EXPORT = date(2024, 11, 13)  # the demo snapshot's export date
SERVED = "2024-11-20T10:00:00+07:00"  # a week after the snapshot, in Kota Padang


@pytest.fixture(scope="module")
def live_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("live-web") / "home"
    shutil.copytree(web_home, home)  # its own ops database: the services logged here stay here
    return home


@pytest.fixture(scope="module")
def client(live_home: Path) -> Iterator[TestClient]:
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("REKAM_HOME", str(live_home))
    mp.delenv("REKAM_DATABASE_URL", raising=False)
    with TestClient(
        create_app(Settings(home=live_home, election_date=date(2024, 11, 27), expensive_per_minute=1000))
    ) as c:
        yield c
    close_all()
    mp.undo()


def _unrecorded(home: Path, n: int) -> list[tuple[str, str]]:
    """(NIK, desa) of ``n`` wajib residents of Kota Padang not recorded in the snapshot."""
    from rekam.api import Rekam

    people, _ = Rekam(Settings(home=home)).list_people("belum-rekam", "13.71", EXPORT)
    return [(p.nik, p.desa_code) for p in people[:n]]


def _recorded(home: Path) -> str:
    from rekam.analytics.engines import DuckDBEngine
    from rekam.register.store import Store

    store = Store(home)
    with DuckDBEngine(store, store.require_current()) as eng:
        rows = eng.run(
            "SELECT nik FROM register WHERE recording_state = 'SUDAH_REKAM' AND desa_code LIKE '13.71.%' ORDER BY nik LIMIT 1"
        )
    return str(rows[0][0])


def _log(client: TestClient, nik: str, key: str, **more: object) -> None:
    body = {"service_point": "SP-PDG", "nik": nik, "jenis": "perekaman", "idempotency_key": key, "occurred_at": SERVED}
    r = client.post("/api/v1/layanan", json=body | more, headers=token(client, "loket1"))
    assert r.status_code in (200, 201), r.text  # 200: the same request again, stored once


def _province(client: TestClient, headers: dict[str, str], **params: str) -> dict[str, object]:
    r = client.get("/api/v1/coverage", params={"level": "prov", "region": "13", **params}, headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def _sudah(body: dict[str, object]) -> int:
    (row,) = body["rows"]  # type: ignore[misc]
    return int(row["sudah_rekam"])


def _page_sudah(html: str) -> int:
    found = re.search(r'data-figure="sudah_rekam" data-value="(\d+)"', html)
    assert found, "the province page shows no sudah rekam figure"
    return int(found.group(1))


def _note(html: str) -> str:
    found = re.search(r'<p class="live[^"]*" id="live-note"[^>]*>(.*?)</p>', html, re.S)
    assert found, "the page has no live label"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_desk_service_changes_the_province_page_and_the_api_and_the_switch_shows_the_snapshot(
    client: TestClient, live_home: Path
) -> None:
    admin = token(client, "sumbar")
    login(client, "sumbar")  # the pages' cookie
    before = _province(client, admin)
    assert before["live"] is True and before["desk_services"] == 0
    assert before["as_of"] == EXPORT.isoformat()  # no service yet: the snapshot's own date
    page_before = client.get("/wilayah/13", headers=admin).text
    assert _page_sudah(page_before) == _sudah(before)
    assert "Belum ada layanan loket sejak snapshot 13-11-2024" in _note(page_before)

    served = _unrecorded(live_home, 2)
    for i, (nik, _) in enumerate(served):
        _log(client, nik, f"live-{i}")
    _log(client, _recorded(live_home), "live-dup", confirm=True)  # logged, but moves no coverage figure

    after = _province(client, admin)
    assert after["as_of"] == "2024-11-20"  # the latest service day
    assert after["desk_services"] == 3  # services logged (completed, NIK in the register)
    snapshot_then = _province(client, admin, live="false", as_of="2024-11-20")
    assert snapshot_then["live"] is False and snapshot_then["desk_services"] == 0
    assert _sudah(after) == _sudah(snapshot_then) + 2  # the two recordings; not the duplicate
    region = client.get("/api/v1/regions/13", headers=admin).json()
    assert region["live"] is True and region["figures"]["sudah_rekam"] == _sudah(after)

    page = client.get("/wilayah/13", headers=admin).text
    assert _page_sudah(page) == _sudah(after)
    assert "Termasuk 3 layanan loket sejak snapshot 13-11-2024" in _note(page)
    assert 'id="live-switch" href="/wilayah/13?live=0"' in page

    # The switch: the snapshot alone, as it was before any service.
    alone = client.get("/wilayah/13?live=0", headers=admin)
    assert _page_sudah(alone.text) == _sudah(before)
    assert "Angka snapshot 13-11-2024 saja" in _note(alone.text)
    assert alone.cookies.get("live") == "0"
    remembered = client.get("/wilayah/13.71", headers=admin).text  # the choice holds on the next page
    assert 'data-live="0"' in remembered
    back = client.get("/wilayah/13?live=1", headers=admin).text
    assert _page_sudah(back) == _sudah(after)
    client.cookies.delete("live")
    api_alone = _province(client, admin, live="false")
    assert api_alone["as_of"] == EXPORT.isoformat() and api_alone["rows"] == before["rows"]


def test_the_map_and_quality_are_live_too(client: TestClient, live_home: Path) -> None:
    admin = token(client, "padang")
    login(client, "padang")
    padang = {"level": "kab", "region": "13.71"}
    before = client.get("/api/v1/coverage", params=padang, headers=admin).json()["desk_services"]
    _log(client, _unrecorded(live_home, 3)[2][0], "live-map")  # the same day as figures already computed
    client.get("/api/v1/coverage", params=padang, headers=admin)  # may be the previous figures, while the new compute
    client.app.state.rekam.figures.settle()  # type: ignore[attr-defined]
    assert client.get("/api/v1/coverage", params=padang, headers=admin).json()["desk_services"] == before + 1
    live = client.get("/api/v1/map/13.71", headers=admin).json()
    alone = client.get("/api/v1/map/13.71", params={"live": "false"}, headers=admin).json()
    assert live["live"] is True and live["desk_services"] >= 1 and alone["desk_services"] == 0
    assert live["as_of"] == "2024-11-20" and alone["as_of"] == EXPORT.isoformat()
    assert "Termasuk" in _note(client.get("/peta/13.71", headers=admin).text)
    assert "Angka snapshot" in _note(client.get("/peta/13.71?live=0", headers=admin).text)
    client.cookies.delete("live")
    quality = client.get("/kualitas/13.71", headers=admin).text
    assert "Termasuk" in _note(quality)
    assert (
        client.get("/api/v1/quality", params={"region": "13.71", "live": "false"}, headers=admin).json()["live"]
        is False
    )


def test_a_bad_switch_value_is_refused_in_words(client: TestClient) -> None:
    login(client, "sumbar")
    r = client.get("/wilayah/13?live=mungkin")
    assert r.status_code == 400 and "live" in r.text and "Traceback" not in r.text


def test_the_by_name_list_and_its_file_mark_who_was_served_at_a_desk(client: TestClient, live_home: Path) -> None:
    nik, desa = _unrecorded(live_home, 1)[0]
    _log(client, nik, "live-0")  # the same request as the first test's: stored once (idempotent)
    admin = token(client, "padang")
    login(client, "padang")
    page = client.get(f"/daftar/{desa}", params={"jenis": "belum-rekam"}, headers=admin).text
    marks = re.findall(r'<span class="badge desk">([^<]+)</span>', page)
    assert "dilayani di loket 20-11-2024 (perekaman)" in marks
    rows = page.count("<tr>") - 1
    assert 1 <= len(marks) <= min(3, rows)  # only those served (at most the three recorded here) are marked
    got = client.get(f"/unduh/{desa}", params={"jenis": "belum-rekam", "format": "csv"}, headers=admin)
    assert got.status_code == 200
    table = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig")), delimiter=";"))
    marked = [r for r in table if r["Layanan loket"]]
    assert [r["Layanan loket"] for r in marked].count("dilayani di loket 20-11-2024 (perekaman)") >= 1
    assert len(marked) == len(marks)
    listed = client.get(f"/api/v1/lists/belum-rekam/{desa}", headers=admin).json()["people"]
    served = [p["desk_service"] for p in listed if p["desk_service"]]
    assert {"date": "2024-11-20", "jenis": "perekaman"} in served and len(served) == len(marks)


def test_live_figures_count_only_the_services_up_to_the_stamp(client: TestClient, live_home: Path) -> None:
    """The figures hold the services the label counts, not one logged while they compute."""
    from rekam.api import Rekam

    nik, _ = _unrecorded(live_home, 1)[0]
    body = {
        "service_point": "SP-PDG",
        "nik": nik,
        "jenis": "perekaman",
        "idempotency_key": "live-0",
        "occurred_at": SERVED,
    }
    event = client.post("/api/v1/layanan", json=body, headers=token(client, "loket1")).json()
    rekam = Rekam(Settings(home=live_home))
    day = date(2024, 11, 20)

    def sudah(**live: object) -> int:
        return rekam.coverage_levels(day, ("kab",), "13.71", **live)["kab"][0].sudah_rekam  # type: ignore[arg-type]

    assert sudah(live=True, live_up_to=0) == sudah()
    assert sudah(live=True, live_up_to=event["id"]) >= sudah() + 1
