"""The service desk over HTTP (issue #8): POST/GET /api/v1/layanan with idempotency, the
rules (confirmation, refusals, blanko), the queue, and scope by service point."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, token

from rekam.config import Settings


def _nik(home: Path, status: str, kab: str = "13.71", ikd_inactive: bool = False) -> list[str]:
    """Up to 5 NIKs of ``status`` in ``kab``; ``ikd_inactive``: only those whose IKD the register
    does not have active (the counter offers them an activation)."""
    from rekam.analytics.engines import DuckDBEngine
    from rekam.register.store import Store

    store = Store(home)
    ikd = " AND coalesce(ikd_status, 'BELUM') <> 'AKTIF'" if ikd_inactive else ""
    with DuckDBEngine(store, store.require_current()) as eng:
        rows = eng.run(
            f"SELECT nik FROM register WHERE ktp_status = '{status}' AND desa_code LIKE '{kab}.%'{ikd} "
            "ORDER BY nik LIMIT 5"
        )
    return [r[0] for r in rows]


@pytest.fixture(scope="module")
def desk_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("desk") / "home"
    shutil.copytree(web_home, home)  # its own ops database: the events here stay here
    return home


@pytest.fixture
def desk(desk_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    monkeypatch.setenv("REKAM_HOME", str(desk_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    with TestClient(create_app(Settings(home=desk_home))) as c:
        yield c
    close_all()


def _post(client: TestClient, who: str, **body: object):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/layanan", json={"service_point": "SP-PDG", **body}, headers=token(client, who))


def test_a_retried_request_is_stored_once_and_a_changed_one_conflicts(desk: TestClient, desk_home: Path) -> None:
    nik = _nik(desk_home, "UNREGISTERED")[0]
    first = _post(desk, "loket1", nik=nik, jenis="perekaman", idempotency_key="k-1")
    assert first.status_code == 201, first.text
    again = _post(desk, "loket1", nik=nik, jenis="perekaman", idempotency_key="k-1")
    assert again.status_code == 200 and again.json() == first.json()
    changed = _post(desk, "loket1", nik=_nik(desk_home, "UNREGISTERED")[1], jenis="perekaman", idempotency_key="k-1")
    assert changed.status_code == 409 and "detail" in changed.json()
    listed = desk.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=token(desk, "loket1")).json()
    assert [e["idempotency_key"] for e in listed["items"]].count("k-1") == 1
    assert first.json()["status_after"] == "BIO_CAPTURED"


def test_rules_confirmation_refusal_and_blanko(desk: TestClient, desk_home: Path) -> None:
    admin = token(desk, "padang")
    recorded = _nik(desk_home, "CARD_ISSUED")[0]
    warn = _post(desk, "loket1", nik=recorded, jenis="perekaman", idempotency_key="k-dup")
    assert warn.status_code == 428 and warn.json()["detail"]
    confirmed = _post(desk, "loket1", nik=recorded, jenis="perekaman", idempotency_key="k-dup", confirm=True)
    assert confirmed.status_code == 201 and confirmed.json()["duplicate_confirmed"] is True
    printable = _nik(desk_home, "PRINT_READY_RECORD")[0]
    no_blanko = _post(desk, "loket1", nik=printable, jenis="pencetakan", idempotency_key="k-p0")
    assert no_blanko.status_code == 422 and "blanko" in no_blanko.json()["detail"].lower()
    got = desk.post(
        "/api/v1/blanko",
        json={"service_point": "SP-PDG", "kind": "received", "quantity": 3, "idempotency_key": "terima-1"},
        headers=admin,
    )
    assert got.status_code == 201 and got.json()["left"] == 3
    printed = _post(desk, "loket1", nik=printable, jenis="pencetakan", idempotency_key="k-p1")
    assert printed.status_code == 201, printed.text
    assert desk.get("/api/v1/blanko", params={"service_point": "SP-PDG"}, headers=admin).json()["left"] == 2
    not_printable = _post(
        desk, "loket1", nik=_nik(desk_home, "UNREGISTERED")[2], jenis="pencetakan", idempotency_key="k-p2"
    )
    assert not_printable.status_code == 422
    sk = _post(desk, "loket1", nik=_nik(desk_home, "UNREGISTERED")[2], jenis="surat_keterangan", idempotency_key="k-sk")
    assert sk.status_code == 201
    unknown = _post(desk, "loket1", nik="1371011212120777", jenis="perekaman", idempotency_key="k-new")
    assert unknown.status_code == 201 and unknown.json()["siak_follow_up"] is True
    live = desk.get("/api/v1/hari-h", params={"region": "13.71"}, headers=admin).json()
    point = next(p for p in live["points"] if p["id"] == "SP-PDG")
    assert point["prints"] == 1 and point["blanko_left"] == 2 and point["recordings"] >= 2
    assert point["surat_keterangan"] == 1 and sum(h["suket"] for h in point["by_hour"].values()) == 1
    # The province: per kab/kota totals that add up to the province's, the same as the page.
    agam = _post(
        desk,
        "loket2",
        nik=_nik(desk_home, "UNREGISTERED", "13.06")[0],
        jenis="perekaman",
        idempotency_key="k-agm",
        service_point="SP-AGM",
    )
    assert agam.status_code == 201, agam.text
    prov = desk.get("/api/v1/hari-h", params={"region": "13"}, headers=token(desk, "sumbar")).json()
    assert prov["region_name"] == "Sumatera Barat"
    kabs = {k["code"]: k for k in prov["kab_kota"]}
    assert {"13.06", "13.71"} <= set(kabs) and kabs["13.71"]["name"] == "Kota Padang"
    for figure in ("recordings", "prints", "surat_keterangan", "blanko_left", "waiting"):
        assert sum(k["totals"][figure] for k in kabs.values()) == prov["totals"][figure]
    assert kabs["13.06"]["totals"]["recordings"] == 1
    assert sum(h["rekam"] for h in prov["by_hour"].values()) == prov["totals"]["recordings"]
    desk.post("/login", data={"username": "sumbar", "password": PASSWORD})
    page = desk.get("/hari-h/13").text
    assert "<h1>Hari pemungutan suara: Sumatera Barat</h1>" in page
    assert 'data-kab-total="13.06"' in page and "Jumlah Kabupaten Agam" in page
    headers = re.findall(r'<th scope="col" class="n">([^<]+)</th>', page)
    assert headers[:5] == ["Perekaman", "Cetak", "Surat keterangan", "Menunggu", "Sisa blanko"]
    total = re.search(r'id="region-total">(.*?)</tr>', page, re.S)
    assert total and f">{prov['totals']['recordings']}<" in total.group(1)


def test_bad_requests_get_a_clear_422_and_change_nothing(desk: TestClient) -> None:
    headers = token(desk, "loket1")
    before = len(desk.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=headers).json()["items"])
    missing = desk.post("/api/v1/layanan", json={"jenis": "perekaman", "service_point": "SP-PDG"}, headers=headers)
    assert missing.status_code == 422 and "nik" in missing.json()["detail"]
    bad_kind = _post(desk, "loket1", nik="1371010101900001", jenis="sulap", idempotency_key="k-x")
    assert bad_kind.status_code == 400 and "sulap" in bad_kind.json()["detail"]
    bad_nik = _post(desk, "loket1", nik="12345", jenis="perekaman", idempotency_key="k-y")
    assert bad_nik.status_code == 400
    after = len(desk.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=headers).json()["items"])
    assert after == before


def test_an_operator_cannot_reach_another_service_point(desk: TestClient, desk_home: Path) -> None:
    other = token(desk, "loket2")  # SP-AGM in 13.06
    nik = _nik(desk_home, "UNREGISTERED")[3]
    assert _post(desk, "loket2", nik=nik, jenis="perekaman", idempotency_key="k-z").status_code in (403, 404)
    for path, params in (
        ("/api/v1/layanan", {"service_point": "SP-PDG"}),
        ("/api/v1/antrian", {"service_point": "SP-PDG"}),
        ("/api/v1/blanko", {"service_point": "SP-PDG"}),
        ("/api/v1/rekonsiliasi", {"service_point": "SP-PDG", "date": "2024-11-27"}),
        ("/api/v1/hari-h", {"region": "13.71"}),
        ("/api/v1/coverage", {"region": "13.71"}),
    ):
        assert desk.get(path, params=params, headers=other).status_code in (403, 404), path
    for path, body in (
        ("/api/v1/antrian", {"service_point": "SP-PDG", "idempotency_key": "t"}),
        ("/api/v1/antrian/panggil", {"service_point": "SP-PDG"}),
        ("/api/v1/blanko", {"service_point": "SP-PDG", "kind": "received", "quantity": 1, "idempotency_key": "b"}),
    ):
        assert desk.post(path, json=body, headers=other).status_code in (403, 404), path


def test_queue_take_call_and_finish(desk: TestClient) -> None:
    headers = token(desk, "loket1")
    a = desk.post("/api/v1/antrian", json={"service_point": "SP-PDG", "idempotency_key": "q-1"}, headers=headers)
    b = desk.post("/api/v1/antrian", json={"service_point": "SP-PDG", "idempotency_key": "q-2"}, headers=headers)
    again = desk.post("/api/v1/antrian", json={"service_point": "SP-PDG", "idempotency_key": "q-1"}, headers=headers)
    assert (a.status_code, b.status_code, again.status_code) == (201, 201, 200)
    assert b.json()["number"] == a.json()["number"] + 1 and again.json()["number"] == a.json()["number"]
    called = desk.post("/api/v1/antrian/panggil", json={"service_point": "SP-PDG"}, headers=headers).json()["ticket"]
    assert called["number"] == a.json()["number"]
    done = desk.post(
        f"/api/v1/antrian/{called['number']}/selesai",
        json={"service_point": "SP-PDG", "state": "served"},
        headers=headers,
    )
    assert done.status_code == 200 and done.json()["state"] == "served"


def _offered(html: str) -> list[str]:
    return re.findall(r'<button class="svc svc-([a-z_]+)', html)


def test_the_counter_page_offers_only_what_the_status_allows_and_logs_a_service(
    desk: TestClient, desk_home: Path
) -> None:
    from rekam.register import gazetteer

    r = desk.post("/login", data={"username": "loket1", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    page = desk.get("/loket")
    assert page.status_code == 200 and "Sisa blanko" in page.text
    nik = _nik(desk_home, "UNREGISTERED")[4]
    spaced = " ".join(nik[i : i + 4] for i in range(0, 16, 4))  # pasted from a letter: spaces between
    found = desk.get("/loket/cari", params={"sp": "SP-PDG", "nik": spaced}, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert _offered(found.text) == ["perekaman", "surat_keterangan"]
    assert 'data-status="belum_rekam"' in found.text and ">belum rekam<" in found.text
    desa = re.search(r'class="desa">([^<]+)<', found.text)
    assert desa and desa.group(1) != "" and not desa.group(1)[0].isdigit()  # a name, not a code
    assert desa.group(1) in {gazetteer.name_of(c) for c in gazetteer._wilayah._desa() if c.startswith("13.")}
    logged = desk.post(
        "/loket/layanan",
        data={"sp": "SP-PDG", "nik": nik, "jenis": "perekaman", "key": "form-1"},
        headers={"HX-Request": "true"},
    )
    assert logged.status_code == 200 and 'id="logged"' in logged.text
    # Recorded now, waiting for the centre: no print, the IKD activation and a surat keterangan
    # are offered, and the history says what was done, in words, at the point's local time.
    assert 'data-status="menunggu_pusat"' in logged.text
    assert _offered(logged.text) == ["aktivasi_ikd", "surat_keterangan"]
    assert re.search(
        r"<li>Perekaman · <span class=\"ok\">Selesai</span> · \d\d-\d\d-\d{4} \d\d\.\d\d WIB · Disdukcapil Kota Padang</li>",
        logged.text,
    ), logged.text
    printable = _nik(desk_home, "PRINT_READY_RECORD", ikd_inactive=True)[4]
    api = desk.get(f"/api/v1/penduduk/{printable}", headers=token(desk, "loket1")).json()
    assert api["status_word"] == "siap_cetak" and api["offered"] == ["pencetakan", "aktivasi_ikd", "surat_keterangan"]
    assert api["ikd_active"] is False
    ready = desk.get("/loket/cari", params={"sp": "SP-PDG", "nik": printable}, headers={"HX-Request": "true"})
    assert _offered(ready.text) == ["pencetakan", "aktivasi_ikd", "surat_keterangan"]
    failed = _nik(desk_home, "ENROLL_FAILURE_AT_CENTRAL") or _nik(desk_home, "SEARCH_FAILURE_AT_CENTRAL")
    if failed:
        again = desk.get("/loket/cari", params={"sp": "SP-PDG", "nik": failed[0]}, headers={"HX-Request": "true"})
        assert _offered(again.text) == ["rekam_ulang", "surat_keterangan"]
    assert desk.get("/loket?sp=SP-AGM").status_code == 403  # not the operator's point


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("137101150190", "tepat 16 angka; yang diisi 12 angka"),
        ("1371013202900001", "angka ke-7 sampai ke-12 (tanggal lahir"),
        ("1371011501900000", "empat angka terakhir (nomor urut)"),
    ],
)
def test_a_bad_nik_at_the_counter_says_which_part_is_wrong(desk: TestClient, typed: str, words: str) -> None:
    desk.post("/login", data={"username": "loket1", "password": PASSWORD})
    r = desk.get("/loket/cari", params={"sp": "SP-PDG", "nik": typed}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'role="alert"' in r.text  # htmx swaps the message in
    assert words in r.text and typed not in r.text, r.text


def test_the_waiting_room_screen_shows_numbers_and_no_personal_data(desk: TestClient, desk_home: Path) -> None:
    headers = token(desk, "loket1")
    for key in ("scr-1", "scr-2", "scr-3"):
        desk.post("/api/v1/antrian", json={"service_point": "SP-PDG", "idempotency_key": key}, headers=headers)
    first = desk.post("/api/v1/antrian/panggil", json={"service_point": "SP-PDG"}, headers=headers).json()["ticket"]
    second = desk.post("/api/v1/antrian/panggil", json={"service_point": "SP-PDG"}, headers=headers).json()["ticket"]
    desk.post("/login", data={"username": "loket1", "password": PASSWORD})
    screen = desk.get("/loket/layar", params={"sp": "SP-PDG"})
    assert screen.status_code == 200 and 'hx-trigger="every 5s"' in screen.text
    assert re.search(rf'id="calling"[^>]*>{second["number"]}<', screen.text)
    assert f"<span>{first['number']}</span>" in screen.text
    part = desk.get("/loket/layar", params={"sp": "SP-PDG", "isi": "true"})
    assert "<html" not in part.text and 'id="calling"' in part.text
    assert not re.search(r"\d{16}", screen.text)  # no NIK on a public screen
    assert desk.get("/loket/layar", params={"sp": "SP-AGM"}).status_code == 403


def test_reconciliation_page_and_follow_up_export(desk: TestClient, desk_home: Path, cli, monkeypatch) -> None:  # noqa: ANN001
    """After a day's services: the printable reconciliation balances cards against blanko,
    and the unknown NIK logged at the desk is in the SIAK follow-up export (masked unless asked)."""
    admin = token(desk, "padang")
    desk.post(
        "/api/v1/blanko",
        json={"service_point": "SP-PDG", "kind": "received", "quantity": 2, "idempotency_key": "rec-terima"},
        headers=admin,
    )
    printable = _nik(desk_home, "PRINT_READY_RECORD")[1]
    assert _post(desk, "loket1", nik=printable, jenis="pencetakan", idempotency_key="rec-p").status_code == 201
    stranger = "1371011111110555"
    assert _post(desk, "loket1", nik=stranger, jenis="perekaman", idempotency_key="rec-new").status_code == 201
    desk.post("/login", data={"username": "loket1", "password": PASSWORD})
    page = desk.get("/loket/rekonsiliasi")
    assert page.status_code == 200 and 'id="cards"' in page.text and "Saldo akhir" in page.text
    assert 'id="ok"' in page.text or 'id="problems"' in page.text
    assert desk.get("/tindak-lanjut").status_code == 403  # the operator exports nothing by name
    assert desk.get("/tindak-lanjut/unduh").status_code == 403
    desk.post("/login", data={"username": "padang", "password": PASSWORD})
    page = desk.get("/tindak-lanjut")
    assert page.status_code == 200 and 'id="follow-ups"' in page.text and stranger not in page.text
    assert "137101**********" in page.text and "NIK tidak dikenal" in page.text and "Jenis kasus" in page.text
    assert re.search(r"\d\d-\d\d-\d{4} \d\d\.\d\d WIB", page.text)  # local time, not UTC ISO
    assert 'id="utuh"' in page.text  # the control for the whole NIK, for a role that may
    none = desk.get("/tindak-lanjut", params={"jenis": "meninggal"})
    assert 'id="no-cases"' in none.text and "137101**********" not in none.text
    later = desk.get("/tindak-lanjut", params={"dari": "2099-01-01"})
    assert 'id="no-cases"' in later.text
    masked = desk.get("/tindak-lanjut/unduh", params={"format": "csv"})
    assert masked.status_code == 200 and stranger not in masked.text and "137101**********" in masked.text
    assert masked.text.splitlines()[0].startswith("Jenis kasus,NIK,Sumber,Tempat layanan")
    whole = desk.get("/tindak-lanjut/unduh", params={"format": "xlsx", "utuh": "true"})
    assert whole.status_code == 200 and whole.headers["content-type"].startswith("application/vnd.openxml")
    book = desk_home.parent / "tl.xlsx"
    book.write_bytes(whole.content)
    from openpyxl import load_workbook

    sheet = load_workbook(book).active
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["Jenis kasus", "NIK", "Sumber"]
    niks = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert stranger in niks and all(isinstance(n, str) for n in niks)  # whole, and text (not a number)
    monkeypatch.setenv("REKAM_HOME", str(desk_home))
    out = desk_home.parent / "tindak-lanjut.csv"
    run = cli("tindak-lanjut", "--region", "13.71", "--out", out, "--unmasked", "--kind", "nik_tidak_dikenal")
    assert run.code == 0, run.err
    assert out.read_text().splitlines()[0].startswith("Jenis kasus,NIK,Sumber") and stranger in out.read_text()
    xlsx = desk_home.parent / "tindak-lanjut.xlsx"
    assert cli("tindak-lanjut", "--region", "13.71", "--out", xlsx).code == 0
    assert [c.value for c in load_workbook(xlsx).active[3]][:2] == ["Jenis kasus", "NIK"]


def test_a_disabled_operator_writes_nothing_at_once_and_is_out_within_seconds(
    desk: TestClient, desk_home: Path
) -> None:
    from rekam.api import Rekam
    from rekam.web import auth

    headers = token(desk, "loket2")
    assert desk.get("/api/v1/me", headers=headers).status_code == 200
    settings = Settings(home=desk_home)
    Rekam(settings).disable_user("loket2")
    try:
        nik = _nik(desk_home, "UNREGISTERED", "13.06")[0]
        r = desk.post(
            "/api/v1/layanan",
            json={"nik": nik, "jenis": "perekaman", "service_point": "SP-AGM", "idempotency_key": "off-1"},
            headers=headers,
        )
        assert r.status_code in (401, 403)  # the write checks the operator in its own transaction
        auth.forget("loket2")  # as USER_SECONDS passing would
        assert desk.get("/api/v1/me", headers=headers).status_code == 401
    finally:
        from rekam.ops import users
        from rekam.ops.db import open_db

        users.set_disabled(open_db(settings=settings), "loket2", False)
        auth.forget()


@pytest.mark.parametrize("at_once", [1, 2])
def test_services_are_logged_at_most_desk_at_once_at_a_time(
    desk_home: Path, monkeypatch: pytest.MonkeyPatch, at_once: int
) -> None:
    """REKAM_DESK_AT_ONCE bounds the services logged at once in a process (the default thread
    pool would run all six at once); the others wait and are all answered."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from rekam.api import Rekam
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    running, most = 0, 0
    guard = threading.Lock()
    real = Rekam.log_service

    def slow(self: Rekam, *args: object, **kwargs: object) -> object:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        time.sleep(0.15)
        with guard:
            running -= 1
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Rekam, "log_service", slow)
    monkeypatch.setenv("REKAM_HOME", str(desk_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    nik = _nik(desk_home, "UNREGISTERED")[0]
    with TestClient(create_app(Settings(home=desk_home, desk_at_once=at_once))) as c:
        headers = token(c, "loket1")
        body = {"service_point": "SP-PDG", "nik": nik, "jenis": "surat_keterangan"}
        with ThreadPoolExecutor(6) as pool:
            codes = list(
                pool.map(
                    lambda i: (
                        c.post(
                            "/api/v1/layanan",
                            json={**body, "idempotency_key": f"at-once-{at_once}-{i}"},
                            headers=headers,
                        ).status_code
                    ),
                    range(6),
                )
            )
    close_all()
    assert codes == [201] * 6
    assert most == at_once


def test_desk_at_once_is_read_from_the_environment() -> None:
    from rekam.errors import InvalidArgument

    assert Settings.from_env({"REKAM_DESK_AT_ONCE": "8"}).desk_at_once == 8
    assert Settings.from_env({}).desk_at_once == 4
    with pytest.raises(InvalidArgument):
        Settings.from_env({"REKAM_DESK_AT_ONCE": "0"})
