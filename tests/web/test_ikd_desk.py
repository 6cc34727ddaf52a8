"""IKD at the desk (issue 19): the counter offers an aktivasi IKD to someone recorded and not
to someone unrecorded; a refused print offers the surat keterangan and the IKD meanwhile; the
election-day API and page and the reconciliation count the activations."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, token
from tests.web.test_desk import _nik, _post, desk, desk_home  # noqa: F401

HX = {"HX-Request": "true"}


def _card(client: TestClient, nik: str) -> str:
    found = client.get("/loket/cari", params={"sp": "SP-PDG", "nik": nik}, headers=HX)
    assert found.status_code == 200, found.text
    return found.text


def _layanan(client: TestClient, nik: str, jenis: str, key: str) -> str:
    done = client.post("/loket/layanan", data={"sp": "SP-PDG", "nik": nik, "jenis": jenis, "key": key}, headers=HX)
    assert done.status_code == 200, done.text
    return done.text


def test_the_counter_offers_ikd_to_the_recorded_and_after_a_refused_print(desk: TestClient, desk_home: Path) -> None:  # noqa: F811
    desk.post("/login", data={"username": "loket1", "password": PASSWORD})
    unrecorded = _nik(desk_home, "UNREGISTERED")[4]
    ready = _nik(desk_home, "PRINT_READY_RECORD", ikd_inactive=True)[4]
    assert 'value="aktivasi_ikd"' not in _card(desk, unrecorded)
    assert "svc-aktivasi_ikd" in _card(desk, ready)

    # No card for someone not recorded: the surat keterangan only, no word of the IKD.
    refused = _layanan(desk, unrecorded, "pencetakan", "ikd-web-p0")
    assert 'id="refused"' in refused and 'id="surat-keterangan"' in refused
    assert 'id="aktivasi-ikd"' not in refused and 'id="suket-ikd"' not in refused

    # No blanko at the point: the print is refused; the surat keterangan and the IKD are offered.
    refused = _layanan(desk, ready, "pencetakan", "ikd-web-p1")
    assert 'id="refused"' in refused and "blanko" in refused.lower()
    assert 'id="surat-keterangan"' in refused and 'id="suket-ikd"' in refused and "IKD" in refused
    key = re.search(
        r'value="aktivasi_ikd"><input type="hidden" name="key" value="([^"]+)"', refused.split('id="refused"')[1]
    )
    assert key and 'id="aktivasi-ikd"' in refused
    done = _layanan(desk, ready, "aktivasi_ikd", key.group(1))
    assert 'id="logged"' in done and "Tercatat: Aktivasi IKD" in done
    assert "svc-aktivasi_ikd" not in done, "activated: not offered again"
    again = _layanan(desk, ready, "aktivasi_ikd", key.group(1))
    assert "Sudah tercatat sebelumnya" in again
    second = _layanan(desk, ready, "aktivasi_ikd", "ikd-web-2")
    assert 'id="refused"' in second and "IKD penduduk ini sudah aktif" in second
    # Activated already: a refused print says the IKD can be used, without the button.
    refused = _layanan(desk, ready, "pencetakan", "ikd-web-p2")
    assert 'id="suket-ikd"' in refused and 'id="aktivasi-ikd"' not in refused

    rec = desk.get("/loket/rekonsiliasi", params={"sp": "SP-PDG"})
    assert re.search(r"<tr><td>Aktivasi IKD</td><td class=\"n\">1</td><td class=\"n\">0</td></tr>", rec.text)
    assert 'id="ikd">1<' in rec.text


def test_the_election_day_api_and_page_count_ikd_activations(desk: TestClient, desk_home: Path) -> None:  # noqa: F811
    admin = token(desk, "padang")
    before = desk.get("/api/v1/hari-h", params={"region": "13.71"}, headers=admin).json()
    unrecorded = _nik(desk_home, "UNREGISTERED")[3]
    refused = _post(desk, "loket1", nik=unrecorded, jenis="aktivasi_ikd", idempotency_key="ikd-api-0")
    assert refused.status_code == 422 and "belum rekam" in refused.json()["detail"]
    printed = _nik(desk_home, "CARD_PRINTED", ikd_inactive=True)[0]
    first = _post(desk, "loket1", nik=printed, jenis="aktivasi_ikd", idempotency_key="ikd-api-1")
    assert first.status_code == 201, first.text
    assert first.json()["status_after"] == first.json()["status_before"] == "CARD_PRINTED"
    again = _post(desk, "loket1", nik=printed, jenis="aktivasi_ikd", idempotency_key="ikd-api-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]

    live = desk.get("/api/v1/hari-h", params={"region": "13.71"}, headers=admin).json()
    point = next(p for p in live["points"] if p["id"] == "SP-PDG")
    old = next(p for p in before["points"] if p["id"] == "SP-PDG")
    assert point["aktivasi_ikd"] == old["aktivasi_ikd"] + 1
    assert point["surat_keterangan"] == old["surat_keterangan"], "an activation is not a surat keterangan"
    assert sum(h["ikd"] for h in point["by_hour"].values()) == point["aktivasi_ikd"]
    assert live["totals"]["aktivasi_ikd"] == sum(p["aktivasi_ikd"] for p in live["points"])
    assert sum(h["ikd"] for h in live["by_hour"].values()) == live["totals"]["aktivasi_ikd"]
    assert sum(k["totals"]["aktivasi_ikd"] for k in live["kab_kota"]) == live["totals"]["aktivasi_ikd"]

    desk.post("/login", data={"username": "padang", "password": PASSWORD})
    page = desk.get("/hari-h/13.71").text
    headers = re.findall(r'<th scope="col" class="n">([^<]+)</th>', page)
    assert headers[:6] == ["Perekaman", "Cetak", "Surat keterangan", "Menunggu", "Sisa blanko", "Aktivasi IKD"]
    assert f'id="total-ikd" data-value="{live["totals"]["aktivasi_ikd"]}"' in page
    row = re.search(r'<tr data-point="SP-PDG">(.*?)</tr>', page, re.S)
    assert row and f'data-label="Aktivasi IKD">{point["aktivasi_ikd"]}<' in row.group(1)


def test_a_list_mark_names_the_activation_keeping_the_acronym() -> None:
    from datetime import date

    from rekam.analytics.live import DeskMark
    from rekam.api.lists import desk_mark_text

    day = date(2024, 11, 20)
    assert desk_mark_text(DeskMark(day, "aktivasi_ikd"), "id") == "dilayani di loket 20-11-2024 (aktivasi IKD)"
    assert desk_mark_text(DeskMark(day, "aktivasi_ikd"), "en").endswith("(IKD activation)")
    assert desk_mark_text(DeskMark(day, "surat_keterangan"), "id").endswith("(surat keterangan)")
