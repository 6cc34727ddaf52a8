"""No user reaches another region's or another service point's data: every route of the app is
tried, for every role (issue #13, "Must show").

Routes are enumerated from the app, and each must have an entry in ``TRIES`` (how to ask for
someone else's data through it: path, query and body, with the placeholders of ``Other``), so a
new route without one fails here. Each case of ``CASES`` is a user and what is not theirs: a
dinas of 13.71 asking for 13.06, an operator of SP-PDG asking for SP-AGM (another kab/kota) and
for SP-PDG2 (another point of the same kab/kota), the admin of province 14 asking for 13, a dinas
of 14.71 and the operator of SP-PKU asking for Kota Padang, the admin of province 13 asking for
14.71. POST bodies name the other point (and, for a blanko transfer, a point of another
province); file names name another region's quarantine file or climb out of the folder.
admin-pusat has the country: ``test_admin_pusat_reaches_every_region`` checks it gets there.
Assertion messages name the case, the route and the status, never a response body.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.web.conftest import OTHER_USERS, USERS, login, token

from rekam.config import Settings
from rekam.ops.scope import within

OTHER_DESA = "13.06.01.2001"
PADANG_DESA = "13.71.01.1001"
NIK_1306 = "1306011212120777"
NIK_1371 = "1371011212120777"
#: The plan kept for Kabupaten Agam (13.06): its team's name must not show outside 13.06.
PLAN_TEAM = "TIM-AGAM-RAHASIA"


@dataclass(frozen=True)
class Other:
    """What a case's user asks for that is not theirs (``{kab}``, ``{desa}``, ... in ``TRIES``)."""

    kab: str
    desa: str
    sp: str
    nik: str
    own_sp: str  # the user's own point (or one in their scope): a blanko transfer goes from there
    far_sp: str  # a point of another province: the transfer's counterpart

    @property
    def prov(self) -> str:
        """The province of ``kab`` (the rakor report is per province)."""
        return self.kab.split(".")[0]


TO_AGAM = Other("13.06", OTHER_DESA, "SP-AGM", NIK_1306, "SP-PDG", "SP-PKU")
TO_PADANG = Other("13.71", PADANG_DESA, "SP-PDG", NIK_1371, "SP-PKU", "SP-PDG")
#: case -> (username, what is not theirs)
CASES: dict[str, tuple[str, Other]] = {
    "dinas-13.71": ("padang", TO_AGAM),
    "operator-SP-PDG>SP-AGM": ("loket1", TO_AGAM),
    "operator-SP-PDG>SP-PDG2": ("loket1", Other("13.71", PADANG_DESA, "SP-PDG2", NIK_1371, "SP-PDG", "SP-PKU")),
    "admin-provinsi-14": ("riau", Other("13.06", OTHER_DESA, "SP-AGM", NIK_1306, "SP-PKU", "SP-PDG")),
    "dinas-14.71": ("pekanbaru", TO_PADANG),
    "operator-SP-PKU": ("loket3", TO_PADANG),
    "admin-provinsi-13": ("sumbar", Other("14.71", "14.71.01.1001", "SP-PKU", "1471011212120777", "SP-PDG", "SP-PKU")),
}
#: The region each user's data lies in (an operator: its point's kab/kota).
SCOPE = {name: region for name, (_, region) in (USERS | OTHER_USERS).items()} | {
    "loket1": "13.71",
    "loket2": "13.06",
    "loket3": "14.71",
}


@dataclass(frozen=True)
class Try:
    path: str
    query: dict[str, str]
    body: dict[str, object] | None = None
    refused: tuple[int, ...] = (403, 404)
    label: str = ""


#: (method, path) -> how to ask it for someone else's data. A string: the route names no region
#: or point (it serves the user's own, or nothing by name), checked in the test named.
OWN = "test_routes_without_a_region_show_only_ones_own"
TRIES: dict[tuple[str, str], list[Try] | str] = {
    ("GET", "/login"): OWN,
    ("POST", "/login"): OWN,
    ("POST", "/logout"): OWN,
    ("GET", "/"): OWN,
    ("POST", "/api/v1/auth/token"): OWN,
    ("GET", "/docs"): OWN,
    # The field page's shell (issue 20): no login, no data; the data comes from /api/v1/lapangan.
    ("GET", "/lapangan"): OWN,
    ("GET", "/lapangan/sw.js"): OWN,
    ("GET", "/lapangan/manifest.webmanifest"): OWN,
    ("GET", "/api/v1/me"): OWN,
    ("GET", "/api/v1/snapshots"): OWN,
    ("GET", "/impor"): OWN,
    ("GET", "/impor/{job_id}"): OWN,
    # The people behind an import's changes, by name (the demo's import is the first snapshot).
    ("GET", "/impor/perubahan/{snapshot_id}"): [
        Try("/impor/perubahan/0001-20241113", {"jenis": "gone", "wilayah": "{kab}"}),
        Try("/impor/perubahan/0001-20241113", {"jenis": "new", "wilayah": "{desa}"}),
    ],
    ("POST", "/impor"): "test_an_import_of_another_region_is_refused",
    ("POST", "/impor/rollback"): "test_rollback_on_the_page_only_for_ones_own_import (tests/web/test_import_page.py)",
    (
        "GET",
        "/karantina/{name}",
    ): "test_quarantine_files_of_another_region_are_refused, test_quarantine_traversal_is_refused",
    ("GET", "/rencana"): [Try("/rencana", {}, refused=(200, 403, 404), label="plan")],
    ("GET", "/rencana/tim/{team}/{day}"): [Try(f"/rencana/tim/{PLAN_TEAM}/2024-11-20", {}, label="plan")],
    # The re-plan button (issue 20): re-planning another region's plan is refused, nothing made.
    ("POST", "/rencana/susun-ulang"): [
        Try("/rencana/susun-ulang", {}, {"key": "0" * 32, "plan": "agam.json"}, refused=(403,), label="plan")
    ],
    ("GET", "/rencana/susun-ulang/{key}"): "test_the_re_plan_leaves_out_who_was_recorded_and_a_retry_makes_one_plan"
    " (test_replan_web.py: a job is seen only by the user who started it)",
    ("GET", "/wilayah"): [Try("/wilayah", {"code": "{kab}"})],
    ("GET", "/wilayah/{code}"): [Try("/wilayah/{kab}", {}), Try("/wilayah/{desa}", {})],
    ("GET", "/kualitas"): [Try("/kualitas", {"code": "{kab}"})],
    ("GET", "/kualitas/{code}"): [Try("/kualitas/{kab}", {})],
    ("GET", "/peta/{code}"): [Try("/peta/{kab}", {})],
    # The rakor report of the other kab/kota's province: a dinas (even of that province), an
    # operator, another province's admin are refused; the province's admin and admin-pusat get it.
    ("GET", "/rakor/{code}"): [Try("/rakor/{prov}", {"format": "xlsx"})],
    ("GET", "/daftar/{code}"): [Try("/daftar/{desa}", {})],
    ("GET", "/unduh/{code}"): [Try("/unduh/{desa}", {"format": "xlsx"}), Try("/unduh/{kab}", {"format": "csv"})],
    ("GET", "/api/v1/coverage"): [
        Try("/api/v1/coverage", {"region": "{kab}"}),
        Try("/api/v1/coverage", {"region": "{desa}", "level": "desa"}),
    ],
    ("GET", "/api/v1/regions"): [Try("/api/v1/regions", {"code": "{kab}"})],
    ("GET", "/api/v1/regions/{code}"): [Try("/api/v1/regions/{kab}", {})],
    ("GET", "/api/v1/map/{code}"): [Try("/api/v1/map/{kab}", {})],
    ("GET", "/api/v1/lists/{kind}/{code}"): [
        Try("/api/v1/lists/belum-rekam/{desa}", {}),
        Try("/api/v1/lists/pemula/{kab}", {}),
    ],
    ("GET", "/api/v1/quality"): [Try("/api/v1/quality", {"region": "{kab}"})],
    ("GET", "/api/v1/hari-h"): [Try("/api/v1/hari-h", {"region": "{kab}"})],
    ("GET", "/hari-h"): [Try("/hari-h", {"code": "{kab}"})],
    ("GET", "/hari-h/{code}"): [Try("/hari-h/{kab}", {})],
    ("GET", "/api/v1/layanan"): [Try("/api/v1/layanan", {"service_point": "{sp}"})],
    ("POST", "/api/v1/layanan"): [
        Try(
            "/api/v1/layanan",
            {},
            {"nik": "{nik}", "jenis": "perekaman", "service_point": "{sp}", "idempotency_key": "x"},
        )
    ],
    ("GET", "/api/v1/penduduk/{nik}"): [Try("/api/v1/penduduk/{nik}", {"service_point": "{sp}"})],
    ("GET", "/api/v1/penduduk"): [
        Try("/api/v1/penduduk", {"nama": "BUDI", "tgl_lahir": "1990-01-01", "service_point": "{sp}"})
    ],
    ("GET", "/api/v1/antrian"): [Try("/api/v1/antrian", {"service_point": "{sp}"})],
    ("POST", "/api/v1/antrian"): [Try("/api/v1/antrian", {}, {"service_point": "{sp}", "idempotency_key": "t"})],
    ("POST", "/api/v1/antrian/panggil"): [Try("/api/v1/antrian/panggil", {}, {"service_point": "{sp}"})],
    ("POST", "/api/v1/antrian/{number}/selesai"): [
        Try("/api/v1/antrian/1/selesai", {}, {"service_point": "{sp}", "state": "served"})
    ],
    ("GET", "/api/v1/blanko"): [Try("/api/v1/blanko", {"service_point": "{sp}"})],
    ("POST", "/api/v1/blanko"): [
        Try("/api/v1/blanko", {}, {"service_point": "{sp}", "kind": "received", "quantity": 1, "idempotency_key": "b"}),
        Try(
            "/api/v1/blanko",
            {},
            {
                "service_point": "{own_sp}",
                "kind": "transfer_out",
                "quantity": 1,
                "counterpart": "{far_sp}",
                "idempotency_key": "b-far",
            },
            refused=(403, 404, 422),
            label="transfer to another province",
        ),
    ],
    ("POST", "/api/v1/blanko/hitung"): [
        Try("/api/v1/blanko/hitung", {}, {"service_point": "{sp}", "counted": 1, "idempotency_key": "c"})
    ],
    ("GET", "/api/v1/rekonsiliasi"): [Try("/api/v1/rekonsiliasi", {"service_point": "{sp}", "date": "2024-11-27"})],
    ("GET", "/loket"): [Try("/loket", {"sp": "{sp}"})],
    ("GET", "/loket/cari"): [Try("/loket/cari", {"sp": "{sp}", "nik": "{nik}"})],
    ("POST", "/loket/layanan"): [
        Try("/loket/layanan", {}, {"sp": "{sp}", "nik": "{nik}", "jenis": "perekaman", "key": "f"})
    ],
    ("POST", "/loket/antrian/{action}"): [Try("/loket/antrian/ambil", {}, {"sp": "{sp}", "key": "g"})],
    ("GET", "/loket/rekonsiliasi"): [Try("/loket/rekonsiliasi", {"sp": "{sp}", "tanggal": "2024-11-27"})],
    ("GET", "/loket/blanko"): [Try("/loket/blanko", {"sp": "{sp}"})],
    ("POST", "/loket/blanko/{action}"): [
        Try("/loket/blanko/terima", {}, {"sp": "{sp}", "key": "h", "jumlah": "1"}),
        Try("/loket/blanko/pindah", {}, {"sp": "{sp}", "key": "i", "jumlah": "1", "tujuan": "{own_sp}"}),
        Try(
            "/loket/blanko/pindah",
            {},
            {"sp": "{own_sp}", "key": "j-far", "jumlah": "1", "tujuan": "{far_sp}"},
            refused=(403, 404, 422),
            label="transfer to another province",
        ),
    ],
    ("POST", "/loket/blanko/hitung"): [Try("/loket/blanko/hitung", {}, {"sp": "{sp}", "key": "k", "dihitung": "1"})],
    ("POST", "/loket/blanko/batas"): [Try("/loket/blanko/batas", {}, {"sp": "{sp}", "batas": "1"})],
    ("GET", "/tindak-lanjut"): [
        Try("/tindak-lanjut", {"region": "{kab}"}),
        Try("/tindak-lanjut", {"region": "{desa}"}),
    ],
    ("GET", "/tindak-lanjut/unduh"): [
        Try("/tindak-lanjut/unduh", {"region": "{kab}", "format": "csv", "utuh": "true"}),
        Try("/tindak-lanjut/unduh", {"region": "{desa}", "format": "xlsx"}),
    ],
    ("GET", "/loket/layar"): [Try("/loket/layar", {"sp": "{sp}"})],
    # The field routes: a team's device only (its token names the device); no other user gets a day.
    ("GET", "/api/v1/lapangan/hari"): "test_a_team_leader_registers_a_device_and_others_cannot (test_field_api.py)",
    ("POST", "/api/v1/lapangan/hasil"): [Try("/api/v1/lapangan/hasil", {}, {"outcomes": []}, refused=(401, 403))],
    (
        "POST",
        "/api/v1/lapangan/perangkat",
    ): "test_a_team_leader_registers_a_device_and_others_cannot (test_field_api.py)",
    ("GET", "/api/v1/lapangan/perangkat"): "test_a_revoked_device_is_refused_and_nothing_is_stored (test_field_api.py)",
    (
        "POST",
        "/api/v1/lapangan/perangkat/{device_id}/cabut",
    ): "test_a_revoked_device_is_refused_and_nothing_is_stored (test_field_api.py)",
}

#: The plan's region (``scope_home``): the /rencana try is for the users outside it.
PLAN_REGION = "13.06"


def _fill(value: Any, other: Other) -> Any:
    if isinstance(value, str):
        return value.format(**other.__dict__, prov=other.prov)
    if isinstance(value, dict):
        return {k: _fill(v, other) for k, v in value.items()}
    return value


def _params() -> list[Any]:
    params = []
    for case, (_, other) in CASES.items():
        for (method, template), tries in TRIES.items():
            if isinstance(tries, str):
                continue
            for t in tries:
                if t.label == "plan" and within(PLAN_REGION, SCOPE[CASES[case][0]]):
                    continue
                params.append(
                    pytest.param(
                        case,
                        method,
                        template,
                        t,
                        id=f"{case}:{method} {_fill(t.path, other)}" + (f" ({t.label})" if t.label else ""),
                    )
                )
    return params


@pytest.fixture(scope="module")
def scope_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the web home (a hole would write here, not in the shared one) with blanko in
    every point (so a transfer is refused for its scope, not for want of stock) and a plan of
    Kabupaten Agam (13.06) in plans/."""
    import json

    from rekam.api import Rekam
    from rekam.ops.db import close_all
    from rekam.planner.plan import PLAN_FORMAT

    home = tmp_path_factory.mktemp("scope-home") / "home"
    shutil.copytree(web_home, home)
    settings = Settings(home=home)
    for point in ("SP-PDG", "SP-PDG2", "SP-AGM", "SP-PKU"):
        Rekam(settings).blanko_record(point, "received", 10, f"stock-{point}")
    (home / "plans").mkdir(exist_ok=True)
    plan = {
        "format": PLAN_FORMAT,
        "version": 1,
        "scenario": "agam-jemput-bola",
        "region": PLAN_REGION,
        "score": 12.0,
        "routes": [
            {
                "team": PLAN_TEAM,
                "date": "2024-11-20",
                "depart": "08:00",
                "back": "15:00",
                "stops": [{"site": "13.06.01.2001-balai", "value": 12.0}],
            }
        ],
    }
    (home / "plans" / "agam.json").write_text(json.dumps(plan), encoding="utf-8")
    close_all()
    return home


@pytest.fixture(scope="module")
def scoped(scope_home: Path) -> Iterator[TestClient]:
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REKAM_HOME", str(scope_home))
        mp.delenv("REKAM_DATABASE_URL", raising=False)
        mp.setenv("REKAM_ELECTION_DATE", "2024-11-27")
        with TestClient(create_app(Settings(home=scope_home, election_date=date(2024, 11, 27)))) as c:
            yield c
    close_all()


_TOKENS: dict[str, dict[str, str]] = {}


def _as(client: TestClient, username: str) -> dict[str, str]:
    """Bearer header for ``username``, and the same token as the page cookie."""
    from rekam.web import auth

    if username not in _TOKENS:
        _TOKENS[username] = token(client, username)
    headers = _TOKENS[username]
    client.cookies.clear()
    client.cookies.set(auth.COOKIE, headers["Authorization"].removeprefix("Bearer "))
    return headers


def _ask(client: TestClient, method: str, t: Try, other: Other, headers: dict[str, str]) -> Any:
    path, query, body = _fill(t.path, other), _fill(t.query, other), _fill(t.body, other)
    if method == "GET":
        return client.get(path, params=query, headers=headers, follow_redirects=False)
    if path.startswith("/api/"):
        return client.post(path, params=query, json=body, headers=headers, follow_redirects=False)
    return client.post(path, params=query, data=body, headers=headers, follow_redirects=False)


def _app_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every API route of the app, routers included (FastAPI keeps an included router whole)."""
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        elif hasattr(r, "original_router"):  # included without a prefix: the routes' paths are whole
            yield from _app_routes(r.original_router.routes)


def test_every_route_has_a_try() -> None:
    from rekam.web.app import create_app

    routes = {
        (m, r.path) for r in _app_routes(create_app(Settings(home=Path("/nonexistent"))).routes) for m in r.methods
    }
    assert len(routes) > 40 and routes == set(TRIES), "add each new route to TRIES (how to ask it for another region)"


@pytest.mark.parametrize(("case", "method", "template", "attempt"), _params())
def test_every_route_refuses_what_is_not_ones_own(
    scoped: TestClient, case: str, method: str, template: str, attempt: Try
) -> None:
    username, other = CASES[case]
    r = _ask(scoped, method, attempt, other, _as(scoped, username))
    assert r.status_code in attempt.refused, (case, method, template, attempt.label, r.status_code)
    assert "rows" not in r.text and "items" not in r.text and PLAN_TEAM not in r.text, (case, method, template)
    if attempt.label == "transfer to another province":
        pusat = _as(scoped, "pusat")
        left = scoped.get("/api/v1/blanko", params={"service_point": other.far_sp}, headers=pusat).json()["left"]
        assert left == 10, (case, "the other province's point got blanko it never received")


@pytest.mark.parametrize(("method", "template"), [k for k, v in TRIES.items() if not isinstance(v, str)])
def test_admin_pusat_reaches_every_region(scoped: TestClient, method: str, template: str) -> None:
    """The country is admin-pusat's: every GET of another province's kab/kota, desa and point
    answers (not 403)."""
    headers = _as(scoped, "pusat")
    for attempt in TRIES[(method, template)]:  # type: ignore[union-attr]
        if method != "GET":
            continue
        r = _ask(scoped, method, attempt, TO_AGAM, headers)
        assert r.status_code == 200, (method, template, r.status_code)


def _quarantine_names(client: TestClient) -> list[str]:
    """The quarantine files the import page lists to admin-pusat (all of them)."""
    _as(client, "pusat")
    names = sorted(set(re.findall(r'href="/karantina/([^"]+)"', client.get("/impor").text)))
    assert names, "the demo import left a quarantine file"
    return names


def _rows_outside(text: str, scope: str) -> int:
    """Rows of a quarantine CSV whose kab/kota (NO_PROP, NO_KAB) lies outside ``scope``."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    return sum(1 for row in rows if not within(f"{row.get('NO_PROP', '')}.{(row.get('NO_KAB') or '').zfill(2)}", scope))


@pytest.mark.parametrize("username", ["padang", "riau", "pekanbaru", "loket1", "loket3"])
def test_quarantine_files_of_another_region_are_refused(scoped: TestClient, username: str) -> None:
    """The demo's province-wide import left a quarantine file with rows of many kab/kota: a user
    gets none of another region's rows (refused, or only their own rows)."""
    names = _quarantine_names(scoped)
    headers = _as(scoped, username)
    for name in names:
        r = scoped.get(f"/karantina/{name}", headers=headers, follow_redirects=False)
        assert r.status_code in (200, 403, 404), (username, r.status_code)
        if r.status_code == 200:
            assert _rows_outside(r.text, SCOPE[username]) == 0, (username, "rows of another kab/kota served")


@pytest.mark.parametrize("username", ["pusat", "padang"])
def test_quarantine_traversal_is_refused(scoped: TestClient, scope_home: Path, username: str) -> None:
    """A file name that climbs out of the quarantine folder serves nothing, even to admin-pusat."""
    headers = _as(scoped, username)
    secret = (scope_home / "web-secret").read_text().strip()
    for name in (
        "..%2Fops.db",
        "..%2F..%2Fhome%2Fweb-secret",
        "%2e%2e%2fweb-secret",
        "%2E%2E",
        "..%5Cops.db",
        "ops.db",
        "web-secret",
        "..%2FCURRENT",
    ):
        r = scoped.get(f"/karantina/{name}", headers=headers, follow_redirects=False)
        assert r.status_code in (400, 403, 404), (username, name, r.status_code)
        assert b"SQLite format" not in r.content and secret not in r.text, (username, name)


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

    desa = client.get(
        "/api/v1/coverage", params={"level": "desa", "region": "13.71"}, headers=token(client, "padang")
    ).json()["rows"]
    code = max(desa, key=lambda r: r["belum_rekam"])["region_code"]
    before = len(audit.entries(web_home))
    r = client.get(f"/api/v1/lists/belum-rekam/{code}", headers=token(client, "padang"))
    assert r.status_code == 200 and r.json()["people"]
    assert all(re.fullmatch(r"\d{6}\*{10}", p["nik"]) for p in r.json()["people"])
    entries = audit.entries(web_home)
    assert len(entries) == before + 1 and entries[-1]["web_user"] == "padang" and entries[-1]["region"] == code


# Last in the module: a hole here would replace a kab/kota in ``scope_home``.
@pytest.mark.parametrize(("username", "kab"), [("padang", "1306"), ("riau", "1372"), ("loket1", "1371")])
def test_an_import_of_another_region_is_refused(scoped: TestClient, demo_data: Path, username: str, kab: str) -> None:
    """Finding 1: the uploaded file's rows are another kab/kota's (5 rows of it, as in the attack);
    the import is refused (now, or when the background job runs) and the snapshot stays."""
    import time

    from rekam.api import Rekam

    before = Rekam(Settings(home=Path(scoped.app.state.rekam.settings.home))).snapshots()[1]  # type: ignore[attr-defined]
    source = next((demo_data / "siak").glob(f"siak_{kab}_*.csv"))
    five = "".join(source.read_text(encoding="utf-8").splitlines(keepends=True)[:6])
    r = scoped.post(
        "/impor",
        files={"files": (source.name, five.encode(), "text/csv")},
        data={"export_date": "2024-11-20"},
        headers=_as(scoped, username),
        follow_redirects=False,
    )
    job = re.search(r'hx-get="/impor/([^"]+)"', r.text) if r.status_code == 200 else None
    deadline = time.monotonic() + 60
    while job and time.monotonic() < deadline:
        if 'id="running"' not in scoped.get(f"/impor/{job.group(1)}", headers=_as(scoped, username)).text:
            break
        time.sleep(0.2)
    after = Rekam(Settings(home=Path(scoped.app.state.rekam.settings.home))).snapshots()[1]  # type: ignore[attr-defined]
    assert after == before, (username, "an import replaced another region's kab/kota")
