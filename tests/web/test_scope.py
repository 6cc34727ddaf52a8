"""A user of one kab/kota cannot reach another's pages or API: every route of the app is
tried. Routes are enumerated from the app, and each must have an entry in ``TRIES`` (how to
ask for another region's data through it), so a new route without one fails here."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.web.conftest import login, token

OTHER_DESA = "13.06.01.2001"
#: (method, path) -> how to ask it for the other kab/kota's data (13.06, point SP-AGM):
#: (path, query, form or JSON body). None: the route names no region or point (it serves the
#: user's own, or nothing by name): checked in test_routes_without_a_region.
TRIES: dict[tuple[str, str], tuple[str, dict[str, str], dict[str, object] | None] | None] = {
    ("GET", "/login"): None, ("POST", "/login"): None, ("POST", "/logout"): None, ("GET", "/"): None,
    ("POST", "/api/v1/auth/token"): None, ("GET", "/api/v1/me"): None, ("GET", "/api/v1/snapshots"): None,
    ("GET", "/rencana"): None, ("GET", "/impor"): None, ("POST", "/impor"): None, ("GET", "/impor/{job_id}"): None, ("GET", "/karantina/{name}"): None,
    ("GET", "/wilayah"): ("/wilayah", {"code": "13.06"}, None),
    ("GET", "/wilayah/{code}"): ("/wilayah/13.06", {}, None),
    ("GET", "/kualitas"): ("/kualitas", {"code": "13.06"}, None),
    ("GET", "/kualitas/{code}"): ("/kualitas/13.06", {}, None),
    ("GET", "/peta/{code}"): ("/peta/13.06", {}, None),
    ("GET", "/daftar/{code}"): (f"/daftar/{OTHER_DESA}", {}, None),
    ("GET", "/unduh/{code}"): (f"/unduh/{OTHER_DESA}", {"format": "xlsx"}, None),
    ("GET", "/api/v1/coverage"): ("/api/v1/coverage", {"region": "13.06"}, None),
    ("GET", "/api/v1/regions"): ("/api/v1/regions", {"code": "13.06"}, None),
    ("GET", "/api/v1/regions/{code}"): ("/api/v1/regions/13.06", {}, None),
    ("GET", "/api/v1/map/{code}"): ("/api/v1/map/13.06", {}, None),
    ("GET", "/api/v1/lists/{kind}/{code}"): (f"/api/v1/lists/belum-rekam/{OTHER_DESA}", {}, None),
    ("GET", "/api/v1/quality"): ("/api/v1/quality", {"region": "13.06"}, None),
    ("GET", "/api/v1/hari-h"): ("/api/v1/hari-h", {"region": "13.06"}, None),
    ("GET", "/hari-h"): ("/hari-h", {"code": "13.06"}, None),
    ("GET", "/hari-h/{code}"): ("/hari-h/13.06", {}, None),
    ("GET", "/api/v1/layanan"): ("/api/v1/layanan", {"service_point": "SP-AGM"}, None),
    ("POST", "/api/v1/layanan"): ("/api/v1/layanan", {}, {"nik": "1306011212120777", "jenis": "perekaman",
                                                          "service_point": "SP-AGM", "idempotency_key": "x"}),
    ("GET", "/api/v1/penduduk/{nik}"): ("/api/v1/penduduk/1306011212120777", {"service_point": "SP-AGM"}, None),
    ("GET", "/api/v1/penduduk"): ("/api/v1/penduduk", {"nama": "BUDI", "tgl_lahir": "1990-01-01",
                                                       "service_point": "SP-AGM"}, None),
    ("GET", "/api/v1/antrian"): ("/api/v1/antrian", {"service_point": "SP-AGM"}, None),
    ("POST", "/api/v1/antrian"): ("/api/v1/antrian", {}, {"service_point": "SP-AGM", "idempotency_key": "t"}),
    ("POST", "/api/v1/antrian/panggil"): ("/api/v1/antrian/panggil", {}, {"service_point": "SP-AGM"}),
    ("POST", "/api/v1/antrian/{number}/selesai"): ("/api/v1/antrian/1/selesai", {}, {"service_point": "SP-AGM",
                                                                                    "state": "served"}),
    ("GET", "/api/v1/blanko"): ("/api/v1/blanko", {"service_point": "SP-AGM"}, None),
    ("POST", "/api/v1/blanko"): ("/api/v1/blanko", {}, {"service_point": "SP-AGM", "kind": "received", "quantity": 1,
                                                        "idempotency_key": "b"}),
    ("POST", "/api/v1/blanko/hitung"): ("/api/v1/blanko/hitung", {}, {"service_point": "SP-AGM", "counted": 1,
                                                                      "idempotency_key": "c"}),
    ("GET", "/api/v1/rekonsiliasi"): ("/api/v1/rekonsiliasi", {"service_point": "SP-AGM", "date": "2024-11-27"}, None),
    ("GET", "/loket"): ("/loket", {"sp": "SP-AGM"}, None),
    ("GET", "/loket/cari"): ("/loket/cari", {"sp": "SP-AGM", "nik": "1306011212120777"}, None),
    ("POST", "/loket/layanan"): ("/loket/layanan", {}, {"sp": "SP-AGM", "nik": "1306011212120777",
                                                        "jenis": "perekaman", "key": "f"}),
    ("POST", "/loket/antrian/{action}"): ("/loket/antrian/ambil", {}, {"sp": "SP-AGM", "key": "g"}),
    ("GET", "/loket/rekonsiliasi"): ("/loket/rekonsiliasi", {"sp": "SP-AGM", "tanggal": "2024-11-27"}, None),
    ("GET", "/tindak-lanjut"): ("/tindak-lanjut", {"region": "13.06"}, None),
}  # fmt: skip


def _routes() -> set[tuple[str, str]]:
    from rekam.web import api_v1, desk_api, desk_pages, pages

    return {(m, r.path) for router in (api_v1.router, desk_api.router, pages.router, desk_pages.router)
            for r in router.routes if isinstance(r, APIRoute) for m in r.methods}  # fmt: skip


def test_every_route_has_a_try() -> None:
    assert _routes() == set(TRIES), "add each new route to TRIES (how to ask it for another region)"


@pytest.mark.parametrize("username", ["padang", "loket1"])
def test_every_route_refuses_another_kab(client: TestClient, username: str) -> None:
    """A dinas user of 13.71 and an operator of SP-PDG (13.71) ask for 13.06 and SP-AGM."""
    headers = token(client, username)
    login(client, username)
    for (method, template), attempt in TRIES.items():
        if attempt is None:
            continue
        path, params, body = attempt
        if method == "GET":
            r = client.get(path, params=params, headers=headers, follow_redirects=False)
        elif path.startswith("/api/"):
            r = client.post(path, params=params, json=body, headers=headers, follow_redirects=False)
        else:
            r = client.post(path, params=params, data=body, headers=headers, follow_redirects=False)
        assert r.status_code in (403, 404), (username, method, template, r.status_code, r.text[:200])
        assert "rows" not in r.text and "items" not in r.text


def test_routes_without_a_region_show_only_ones_own(client: TestClient) -> None:
    headers = token(client, "loket1")
    assert client.get("/api/v1/me", headers=headers).json()["service_point"] == "SP-PDG"
    login(client, "loket1")
    assert client.get("/impor").status_code == 403  # the operator imports nothing
    assert client.get("/karantina/x.csv").status_code == 403
    assert client.get("/", follow_redirects=False).headers["location"] == "/loket"


@pytest.mark.parametrize("username", ["padang", "sumbar", "pusat"])
def test_own_region_is_reachable(client: TestClient, username: str) -> None:
    headers = token(client, username)
    assert client.get("/api/v1/regions/13.71", headers=headers).status_code == 200
    assert (
        client.get("/api/v1/coverage", params={"level": "kec", "region": "13.71"}, headers=headers).status_code == 200
    )


def test_the_country_is_for_admin_pusat_only(client: TestClient) -> None:
    assert client.get("/api/v1/regions", headers=token(client, "pusat")).status_code == 200
    assert client.get("/api/v1/regions", headers=token(client, "sumbar")).status_code == 403
    assert client.get("/api/v1/regions/13.06", headers=token(client, "sumbar")).status_code == 200


def test_by_name_is_audited_and_masked(client: TestClient, web_home) -> None:  # noqa: ANN001
    from rekam import audit

    desa = client.get("/api/v1/coverage", params={"level": "desa", "region": "13.71"},
                      headers=token(client, "padang")).json()["rows"]  # fmt: skip
    code = max(desa, key=lambda r: r["belum_rekam"])["region_code"]
    before = len(audit.entries(web_home))
    r = client.get(f"/api/v1/lists/belum-rekam/{code}", headers=token(client, "padang"))
    assert r.status_code == 200 and r.json()["people"]
    assert all(re.fullmatch(r"\d{6}\*{6}\d{4}", p["nik"]) for p in r.json()["people"])
    entries = audit.entries(web_home)
    assert len(entries) == before + 1 and entries[-1]["web_user"] == "padang" and entries[-1]["region"] == code
