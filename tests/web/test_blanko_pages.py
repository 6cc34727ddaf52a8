"""The blanko page (``/loket/blanko``, issue 17) over HTTP: its forms move blanko through the
library (post, redirect, get), refusals come back in words, a retried form is stored once, the
cap is for the Dinas and admins, the priority list is masked and audited, the reconciliation
has a date picker and the counts; nobody reaches another point's blanko."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD

from rekam.config import Settings


@pytest.fixture(scope="module")
def blanko_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("blanko") / "home"
    shutil.copytree(web_home, home)  # its own ops database: the movements here stay here
    return home


@pytest.fixture
def web(blanko_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    monkeypatch.setenv("REKAM_HOME", str(blanko_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    with TestClient(create_app(Settings(home=blanko_home))) as c:
        yield c
    close_all()


def _login(client: TestClient, who: str) -> None:
    r = client.post("/login", data={"username": who, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303


def _left(page: str) -> int:
    return int(re.search(r'id="blanko-balance" data-value="(-?\d+)"', page).group(1))  # type: ignore[union-attr]


def _key(page: str, form: str) -> str:
    part = page.split(f'id="form-{form}"', 1)[1]
    return re.search(r'name="key" value="([0-9a-f]{32})"', part).group(1)  # type: ignore[union-attr]


def test_the_forms_move_blanko_and_refusals_are_in_words(web: TestClient) -> None:
    _login(web, "loket1")
    page = web.get("/loket/blanko")
    assert page.status_code == 200 and "SP-PDG" in page.text
    before = _left(page.text)
    key = _key(page.text, "terima")
    form = {"sp": "SP-PDG", "key": key, "jumlah": "100", "catatan": "kiriman Dinas"}
    saved = web.post("/loket/blanko/terima", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/loket/blanko?sp=SP-PDG&ok=baru"
    page = web.get(saved.headers["location"])
    assert _left(page.text) == before + 100 and 'id="saved"' in page.text
    assert "Diterima <strong>100</strong>" in page.text and "kiriman Dinas" in page.text
    # The same form sent again (a double click): stored once.
    again = web.post("/loket/blanko/terima", data=form)
    assert again.status_code == 200 and "tidak dicatat dua kali" in again.text and _left(again.text) == before + 100
    # Sent again with another body: a conflict, in words.
    changed = web.post("/loket/blanko/terima", data=form | {"jumlah": "99"})
    assert changed.status_code == 409 and 'id="refused"' in changed.text

    # Transfer: the select holds the other point of Kota Padang only; the other point gets it.
    page = web.get("/loket/blanko")
    targets = re.findall(r'<option value="([^"]+)"', page.text.split('id="pindah-tujuan"', 1)[1].split("</select>")[0])
    assert targets == ["SP-PDG2"]
    moved = web.post(
        "/loket/blanko/pindah",
        data={"sp": "SP-PDG", "key": _key(page.text, "pindah"), "jumlah": "30", "tujuan": "SP-PDG2"},
    )
    assert moved.status_code == 200 and _left(moved.text) == before + 70
    assert "Dipindahkan keluar <strong>30</strong> ke Kecamatan Padang Barat" in moved.text
    outside = web.post(
        "/loket/blanko/pindah",
        data={"sp": "SP-PDG", "key": _key(moved.text, "pindah"), "jumlah": "1", "tujuan": "SP-AGM"},
    )
    assert outside.status_code == 422 and "hanya dapat dipindahkan" in outside.text
    too_many = web.post(
        "/loket/blanko/rusak", data={"sp": "SP-PDG", "key": _key(outside.text, "rusak"), "jumlah": "99999"}
    )
    assert too_many.status_code == 422 and "kurang dari 99999" in too_many.text and _left(too_many.text) == before + 70
    not_a_number = web.post(
        "/loket/blanko/kembali", data={"sp": "SP-PDG", "key": _key(outside.text, "kembali"), "jumlah": "dua"}
    )
    assert not_a_number.status_code == 422 and 'id="refused"' in not_a_number.text
    assert web.post("/loket/blanko/curi", data={"sp": "SP-PDG", "key": "k" * 32, "jumlah": "1"}).status_code == 400

    # A physical count: the difference in the reconciliation of today.
    page = web.get("/loket/blanko")
    counted = web.post(
        "/loket/blanko/hitung",
        data={
            "sp": "SP-PDG",
            "key": _key(page.text, "hitung"),
            "dihitung": str(before + 68),
            "kembali": "rekonsiliasi",
        },
        follow_redirects=False,
    )
    assert counted.status_code == 303 and counted.headers["location"].startswith(
        "/loket/rekonsiliasi?sp=SP-PDG&ok=baru&tanggal="
    )
    report = web.get(counted.headers["location"])
    assert report.status_code == 200 and 'class="n difference">-2<' in report.text
    assert (
        'type="date" name="tanggal"' in report.text and "data-print" in report.text and 'id="cards-used"' in report.text
    )
    old = web.get("/loket/rekonsiliasi", params={"sp": "SP-PDG", "tanggal": "2024-11-27"})
    assert old.status_code == 200 and 'id="no-counts"' in old.text and 'id="form-hitung"' not in old.text


def test_nobody_moves_another_points_blanko(web: TestClient) -> None:
    _login(web, "loket1")
    assert web.get("/loket/blanko", params={"sp": "SP-AGM"}).status_code == 403
    for action, extra in (("terima", {}), ("rusak", {}), ("pindah", {"tujuan": "SP-PDG"})):
        r = web.post(f"/loket/blanko/{action}", data={"sp": "SP-AGM", "key": "a" * 32, "jumlah": "1", **extra})
        assert r.status_code == 403, action
    assert web.post("/loket/blanko/hitung", data={"sp": "SP-AGM", "key": "b" * 32, "dihitung": "0"}).status_code == 403
    assert web.post("/loket/blanko/batas", data={"sp": "SP-PDG", "batas": "5"}).status_code == 403  # operator: no cap
    _login(web, "agam")  # the Dinas of Agam: not Padang's points
    assert web.get("/loket/blanko", params={"sp": "SP-PDG"}).status_code == 403
    assert web.post("/loket/blanko/batas", data={"sp": "SP-PDG", "batas": "5"}).status_code == 403
    r = web.post("/loket/blanko/terima", data={"sp": "SP-PDG", "key": "c" * 32, "jumlah": "1"})
    assert r.status_code == 403


def test_the_cap_is_set_by_the_dinas_and_the_priority_list_is_masked_and_audited(web: TestClient) -> None:
    _login(web, "loket1")
    page = web.get("/loket/blanko")
    assert 'id="form-batas"' not in page.text  # the operator sees the cap, cannot set it
    # The operator sees how many are printable in each tier, not who (a by-name list of the area).
    assert 'id="priority"' not in page.text and 'id="priority-names-dinas"' in page.text
    tiers = re.search(r'id="priority-tiers">pemilih pemula (\d+) · rentan (\d+) · lainnya (\d+)<', page.text)
    total = int(re.search(r'id="priority-total">([\d.]+)<', page.text).group(1).replace(".", ""))  # type: ignore[union-attr]
    assert tiers and sum(int(n) for n in tiers.groups()) == total > 0

    _login(web, "padang")
    page = web.get("/loket/blanko", params={"sp": "SP-PDG"})
    assert 'id="priority"' in page.text
    niks = re.findall(r'<span class="nik muted">([^<]+)</span>', page.text)
    assert len(niks) == min(10, total) and all(re.fullmatch(r"\d{6}\*{10}", n) for n in niks)
    assert re.search(r"pemilih pemula|rentan|menunggu", page.text.split('id="priority"', 1)[1])
    assert 'id="form-batas"' in page.text
    r = web.post("/loket/blanko/batas", data={"sp": "SP-PDG", "batas": "200"}, follow_redirects=False)
    assert r.status_code == 303
    page = web.get("/loket/blanko", params={"sp": "SP-PDG"})
    assert 'id="print-cap">200<' in page.text
    bad = web.post("/loket/blanko/batas", data={"sp": "SP-PDG", "batas": "-3"})
    assert bad.status_code == 422 and "Batas cetak harian harus" in bad.text
    assert web.post("/loket/blanko/batas", data={"sp": "SP-PDG", "batas": ""}).status_code == 200  # no cap
    assert 'id="print-cap">tanpa batas<' in web.get("/loket/blanko", params={"sp": "SP-PDG"}).text

    from rekam.api import Rekam

    actions = [(r["user"], r["action"]) for r in Rekam(Settings.from_env()).audit_log()]
    assert ("loket1", "daftar_prioritas_blanko") in actions and ("padang", "atur_batas_cetak") in actions


def test_the_counter_links_to_the_blanko_page(web: TestClient) -> None:
    _login(web, "loket1")
    page = web.get("/loket")
    assert 'href="/loket/blanko?sp=SP-PDG" id="kelola-blanko"' in page.text and 'href="/loket/blanko">' in page.text


def test_a_print_past_the_cap_is_refused_at_the_counter_with_the_suket_offered(
    web: TestClient, blanko_home: Path
) -> None:
    from tests.web.test_desk import _nik

    _login(web, "padang")  # the Dinas of Kota Padang works the counter of its kecamatan point here
    page = web.get("/loket/blanko", params={"sp": "SP-PDG2"})
    stock = _left(page.text) + 5
    web.post("/loket/blanko/terima", data={"sp": "SP-PDG2", "key": _key(page.text, "terima"), "jumlah": "5"})
    assert web.post("/loket/blanko/batas", data={"sp": "SP-PDG2", "batas": "1"}).status_code in (200, 303)
    first, second = _nik(blanko_home, "PRINT_READY_RECORD")[2:4]
    done = web.post(
        "/loket/layanan",
        data={"sp": "SP-PDG2", "nik": first, "jenis": "pencetakan", "key": "cap-1"},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200 and 'id="logged"' in done.text
    refused = web.post(
        "/loket/layanan",
        data={"sp": "SP-PDG2", "nik": second, "jenis": "pencetakan", "key": "cap-2"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 200 and "Batas cetak harian SP-PDG2 (1 kartu" in refused.text
    assert 'id="surat-keterangan"' in refused.text and 'value="surat_keterangan"' in refused.text
    page = web.get("/loket/blanko", params={"sp": "SP-PDG2"})
    assert re.search(r'id="prints-today">1 <span class="muted">dari 1<', page.text) and _left(page.text) == stock - 1
    assert re.search(r'id="by-prints">[^<]*: Terpakai <strong>1</strong> · Rusak <strong>0</strong>', page.text)
    web.post("/loket/blanko/batas", data={"sp": "SP-PDG2", "batas": ""})
