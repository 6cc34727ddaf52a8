"""Attacks on the service desk (issue #13, findings 8, 10, 11, 12 and parts of 15), each run
against the web app on SQLite and on the real PostgreSQL at 127.0.0.1:5432:

- a blanko transfer to a point of another kab/kota or province (8);
- bursts of identical requests (same key, same body) at once must all answer as a retry (10);
- a NUL byte (or another control character) in a text field is a 422 naming the field, never a
  503 that a client retries forever (11);
- a disabled user writes no queue or blanko entry at once (12);
- an idempotency key's existence does not leak across scope: 403 before the key is looked up (15);
- /rencana shows only plans of the user's region (15).
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import (
    OPERATORS,
    OTHER_OPERATORS,
    OTHER_POINTS,
    OTHER_USERS,
    PASSWORD,
    POINTS,
    USERS,
    token,
)

from rekam.config import Settings


@dataclass
class Desk:
    home: Path
    url: str | None  # None: SQLite ops.db in the home
    client: TestClient

    def headers(self, who: str) -> dict[str, str]:
        return token(self.client, who)

    def left(self, point: str) -> int:
        r = self.client.get("/api/v1/blanko", params={"service_point": point}, headers=self.headers("pusat"))
        assert r.status_code == 200, r.text
        return int(r.json()["left"])

    def db(self):  # type: ignore[no-untyped-def]
        from rekam.ops.db import open_db

        return open_db(self.url, settings=Settings(home=self.home))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def desk_db(
    request: pytest.FixtureRequest, web_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str | None]]:
    """A copy of the web home (its points include SP-PDG2 in Kota Padang and SP-PKU in Kota
    Pekanbaru, province 14, with operator loket3); for PostgreSQL a throwaway database holding
    every point and user."""
    from rekam.ops import points, users
    from rekam.ops.db import open_db

    home = tmp_path_factory.mktemp(f"attack-{request.param}") / "home"
    shutil.copytree(web_home, home)
    url = None
    if request.param == "postgresql":
        from tests.ops_fixtures import _server_answers, create_database

        reason = _server_answers()
        if reason:
            pytest.skip(reason)
        url = create_database("rekam_attack")
    if url is not None:
        db = open_db(url, settings=Settings(home=home))
        for point_id, name, region, kind in POINTS + OTHER_POINTS:
            points.add_point(db, point_id, name, region, kind)
        for name, (role, region) in (USERS | OTHER_USERS).items():
            users.add_user(db, name, PASSWORD, role, region)
        for name, point_id in (OPERATORS | OTHER_OPERATORS).items():
            users.add_user(db, name, PASSWORD, "operator", None, point_id)
    yield home, url
    if url is not None:
        from tests.ops_fixtures import drop_database

        drop_database(url)


@pytest.fixture
def desk(desk_db: tuple[Path, str | None], monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    from rekam.ops.db import close_all
    from rekam.web import auth
    from rekam.web.app import create_app

    home, url = desk_db
    monkeypatch.setenv("REKAM_HOME", str(home))
    if url:
        monkeypatch.setenv("REKAM_DATABASE_URL", url)
    else:
        monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    with TestClient(create_app(Settings(home=home, database_url=url))) as c:
        yield Desk(home, url, c)
    auth.forget()
    close_all()


def _nik(home: Path, status: str, kab: str = "13.71", n: int = 40) -> list[str]:
    from rekam.analytics.engines import DuckDBEngine
    from rekam.register.store import Store

    store = Store(home)
    with DuckDBEngine(store, store.require_current()) as eng:
        rows = eng.run(
            f"SELECT nik FROM register WHERE ktp_status = '{status}' AND desa_code LIKE '{kab}.%' "
            f"ORDER BY nik LIMIT {n}"
        )
    return [r[0] for r in rows]


# ---- 8: blanko transfers ------------------------------------------------------------------------


def test_a_transfer_to_a_point_of_another_province_or_kab_kota_is_refused(desk: Desk) -> None:
    """Finding 8: operator of SP-PDG (13.71) sends blanko to SP-PKU (14.71): before, 201 and
    SP-PKU showed a transfer_in it never received. Now 422, nothing stored on either side; the
    same for a point of another kab/kota of the province and for a point that does not exist
    (the same message: the answer does not tell which points exist elsewhere)."""
    c, admin = desk.client, desk.headers("padang")
    got = c.post(
        "/api/v1/blanko",
        json={"service_point": "SP-PDG", "kind": "received", "quantity": 5, "idempotency_key": "tr-terima"},
        headers=admin,
    )
    assert got.status_code in (200, 201), got.text
    before = {p: desk.left(p) for p in ("SP-PDG", "SP-PKU", "SP-AGM")}
    op = desk.headers("loket1")
    details = set()
    for i, other in enumerate(("SP-PKU", "SP-AGM", "SP-NOWHERE")):
        r = c.post(
            "/api/v1/blanko",
            json={
                "service_point": "SP-PDG",
                "kind": "transfer_out",
                "quantity": 2,
                "counterpart": other,
                "idempotency_key": f"tr-out-{i}",
            },
            headers=op,
        )
        assert r.status_code == 422, (other, r.status_code)
        details.add(r.json()["detail"].replace(other, "<point>"))
    assert len(details) == 1 and "13.71" in details.pop()
    assert {p: desk.left(p) for p in before} == before
    # within the kab/kota: the transfer goes through, and the receiving point has it
    inside = c.post(
        "/api/v1/blanko",
        json={
            "service_point": "SP-PDG",
            "kind": "transfer_out",
            "quantity": 2,
            "counterpart": "SP-PDG2",
            "idempotency_key": "tr-in-kota",
        },
        headers=op,
    )
    assert inside.status_code in (200, 201), inside.text
    assert desk.left("SP-PDG") == before["SP-PDG"] - 2


def test_the_library_refuses_the_transfer_for_the_command_line_too(desk: Desk) -> None:
    from rekam.errors import OpsRefused
    from rekam.ops import blanko

    db = desk.db()
    blanko.record(db, "SP-PDG", "received", 3, "lib-terima")
    with pytest.raises(OpsRefused) as refused:
        blanko.record(db, "SP-PDG", "transfer_out", 1, "lib-out", None, "SP-PKU")
    assert refused.value.reason == "ops_transfer_counterpart_outside"


# ---- 10: identical requests at once ---------------------------------------------------------------

BURST = 20
BURSTS = 3


def _burst(c: TestClient, path: str, body: dict[str, object], headers: dict[str, str]) -> list[tuple[int, dict]]:
    start = threading.Barrier(BURST)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def send() -> None:
        start.wait()
        r = c.post(path, json=body, headers=headers)
        with lock:
            answers.append((r.status_code, r.json()))

    threads = [threading.Thread(target=send) for _ in range(BURST)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == BURST
    return answers


def _one_stored(answers: list[tuple[int, dict]], ident) -> None:  # type: ignore[no-untyped-def]
    statuses = sorted(s for s, _ in answers)
    assert set(statuses) <= {200, 201}, statuses
    assert statuses.count(201) == 1, statuses
    assert len({ident(b) for _, b in answers}) == 1


def test_identical_requests_at_once_all_answer_as_a_retry(desk: Desk) -> None:
    """Finding 10: 20 identical requests (same key and body) at once: before, on PostgreSQL some
    got 428 (the perekaman saw the first one's recording) or 422 (the print saw its card, the
    blanko its own outflow); now one 201, nineteen 200, one row, the same id everywhere."""
    c, op, admin = desk.client, desk.headers("loket1"), desk.headers("padang")
    unregistered = _nik(desk.home, "UNREGISTERED")[20:]
    printable = _nik(desk.home, "PRINT_READY_RECORD")[20:]
    for b in range(BURSTS):
        tag = f"{desk.url is None}-{b}"
        perekaman = _burst(
            c,
            "/api/v1/layanan",
            {"nik": unregistered[b], "jenis": "perekaman", "service_point": "SP-PDG", "idempotency_key": f"rk-{tag}"},
            op,
        )
        _one_stored(perekaman, lambda j: j["id"])
        c.post(
            "/api/v1/blanko",
            json={
                "service_point": "SP-PDG",
                "kind": "received",
                "quantity": 1,
                "idempotency_key": f"burst-terima-{tag}",
            },
            headers=admin,
        )
        printed = _burst(
            c,
            "/api/v1/layanan",
            {"nik": printable[b], "jenis": "pencetakan", "service_point": "SP-PDG", "idempotency_key": f"ct-{tag}"},
            op,
        )
        _one_stored(printed, lambda j: j["id"])
        c.post(
            "/api/v1/blanko",
            json={
                "service_point": "SP-PDG",
                "kind": "received",
                "quantity": 2,
                "idempotency_key": f"burst-terima2-{tag}",
            },
            headers=admin,
        )
        left = desk.left("SP-PDG")
        spoiled = _burst(
            c,
            "/api/v1/blanko",
            {"service_point": "SP-PDG", "kind": "spoiled", "quantity": left, "idempotency_key": f"rusak-{tag}"},
            op,
        )
        _one_stored(spoiled, lambda j: j["entry"]["id"])
        ticket = _burst(c, "/api/v1/antrian", {"service_point": "SP-PDG", "idempotency_key": f"q-{tag}"}, op)
        _one_stored(ticket, lambda j: (j["id"], j["number"]))
    items = c.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=admin).json()["items"]
    keys = [e["idempotency_key"] for e in items]
    assert all(keys.count(f"{k}-{desk.url is None}-{b}") == 1 for k in ("rk", "ct") for b in range(BURSTS))


# ---- 11: control characters ---------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "bad"), [("nul", "a\x00b"), ("esc", "a\x1bb"), ("surrogate", "\ud800")])
def test_a_control_character_in_a_text_field_is_a_422_naming_the_field(desk: Desk, tag: str, bad: str) -> None:
    """Finding 11: a NUL byte in ``note`` on PostgreSQL was a 503 "database cannot be opened"
    with Retry-After: 1 (a retrying client loops forever). Now a 422 naming the field, no
    Retry-After, nothing stored; on both databases, for every text field that is stored."""
    c, op = desk.client, desk.headers("loket1")
    nik = _nik(desk.home, "UNREGISTERED")[10]
    tries = [
        (
            "/api/v1/layanan",
            {
                "nik": nik,
                "jenis": "surat_keterangan",
                "service_point": "SP-PDG",
                "idempotency_key": f"{tag}-1",
                "note": bad,
            },
            "note",
        ),
        (
            "/api/v1/blanko",
            {"service_point": "SP-PDG", "kind": "received", "quantity": 1, "idempotency_key": f"{tag}-2", "note": bad},
            "note",
        ),
        (
            "/api/v1/blanko/hitung",
            {"service_point": "SP-PDG", "counted": 1, "idempotency_key": f"{tag}-3", "note": bad},
            "note",
        ),
    ]
    before = len(c.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=op).json()["items"])
    left = desk.left("SP-PDG")
    sent = {**op, "Content-Type": "application/json"}
    for path, body, field in tries:  # JSON escapes (\u0000, \ud800) as a client's JSON library writes them
        r = c.post(path, content=json.dumps(body), headers=sent)
        assert r.status_code == 422, (path, r.status_code, r.text)
        assert "retry-after" not in r.headers and field in r.json()["detail"]
    assert len(c.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=op).json()["items"]) == before
    assert desk.left("SP-PDG") == left
    # a point id, a counterpart or a key with one: refused as unknown / bad, not a database error
    if tag != "surrogate":  # (a URL cannot carry a lone surrogate)
        for path, params in (
            ("/api/v1/layanan", {"service_point": "SP" + bad}),
            ("/api/v1/blanko", {"service_point": bad}),
        ):
            r = c.get(path, params=params, headers=op)
            assert r.status_code in (403, 404), (path, r.status_code, r.text)
            assert "retry-after" not in r.headers
    for path, body in (
        ("/api/v1/antrian", {"service_point": "SP-PDG", "idempotency_key": tag + bad}),
        ("/api/v1/antrian", {"service_point": "SP-PDG" + bad, "idempotency_key": tag + "-4"}),
        (
            "/api/v1/blanko",
            {
                "service_point": "SP-PDG",
                "kind": "transfer_out",
                "quantity": 1,
                "counterpart": "SP-PDG2" + bad,
                "idempotency_key": tag + "-5",
            },
        ),
    ):
        r = c.post(path, content=json.dumps(body), headers=sent)
        assert 400 <= r.status_code < 500 and "retry-after" not in r.headers, (body, r.status_code, r.text)


def test_only_a_lost_connection_is_a_503_with_retry_after() -> None:
    """The app's DBAPIError handler: OperationalError/InterfaceError (the server went away) are
    503 with Retry-After; a data error is a 422 and an integrity error a 409, neither retried."""
    from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError, ProgrammingError

    from rekam.web.app import create_app

    app = create_app(Settings(home=Path("/nonexistent-rekam-home")))
    raised = {
        "operational": OperationalError,
        "interface": InterfaceError,
        "data": DataError,
        "integrity": IntegrityError,
        "programming": ProgrammingError,
    }

    @app.get("/api/v1/_boom/{kind}")
    def boom(kind: str) -> None:
        raise raised[kind]("SELECT 1", {"nik": "1371010101900001"}, Exception("boom"))

    with TestClient(app, raise_server_exceptions=False) as c:
        answers = {k: c.get(f"/api/v1/_boom/{k}") for k in raised}
    assert answers["operational"].status_code == 503 and answers["operational"].headers["retry-after"] == "1"
    assert answers["interface"].status_code == 503 and answers["interface"].headers["retry-after"] == "1"
    assert answers["data"].status_code == 422 and "retry-after" not in answers["data"].headers
    assert answers["integrity"].status_code == 409 and "retry-after" not in answers["integrity"].headers
    assert answers["programming"].status_code == 500 and "retry-after" not in answers["programming"].headers
    assert all("1371010101900001" not in r.text for r in answers.values())


# ---- 12: a disabled user's writes ----------------------------------------------------------------


def test_a_disabled_user_writes_no_queue_or_blanko_entry_at_once(desk: Desk) -> None:
    """Finding 12: the token's user is cached 5 s; a user disabled meanwhile still took queue
    numbers and wrote blanko entries. Now every write checks the user in its own transaction."""
    from rekam.ops import users

    c, admin = desk.client, desk.headers("padang")
    op = desk.headers("loket1")
    assert c.get("/api/v1/me", headers=op).status_code == 200  # the user is now in the token cache
    queue_before = len(c.get("/api/v1/antrian", params={"service_point": "SP-PDG"}, headers=admin).json()["items"])
    c.post("/api/v1/antrian", json={"service_point": "SP-PDG", "idempotency_key": "dis-waiting"}, headers=admin)
    left = desk.left("SP-PDG")
    users.set_disabled(desk.db(), "loket1")
    try:
        writes = (
            ("/api/v1/antrian", {"service_point": "SP-PDG", "idempotency_key": "dis-q"}),
            ("/api/v1/antrian/panggil", {"service_point": "SP-PDG", "idempotency_key": "dis-call"}),
            (
                "/api/v1/blanko",
                {"service_point": "SP-PDG", "kind": "received", "quantity": 4, "idempotency_key": "dis-b"},
            ),
            ("/api/v1/blanko/hitung", {"service_point": "SP-PDG", "counted": 99, "idempotency_key": "dis-c"}),
        )
        for path, body in writes:
            r = c.post(path, json=body, headers=op)
            assert r.status_code in (401, 403), (path, r.status_code)
        tickets = c.get("/api/v1/antrian", params={"service_point": "SP-PDG"}, headers=admin).json()["items"]
        assert len(tickets) == queue_before + 1 and all(t["state"] == "waiting" for t in tickets[queue_before:])
        assert desk.left("SP-PDG") == left
    finally:
        users.set_disabled(desk.db(), "loket1", False)


# ---- 15: the key's existence across scope, /rencana ------------------------------------------------


def test_a_key_at_another_point_is_refused_before_it_is_looked_up(desk: Desk) -> None:
    """Finding 15: loket2 (SP-AGM) sending to SP-PDG with a key SP-PDG has used got 409 (a key
    it has not used: 403), so the answer told which keys exist. Now 403 either way."""
    c = desk.client
    op, other = desk.headers("loket1"), desk.headers("loket2")
    nik = _nik(desk.home, "UNREGISTERED")[12]
    stored = {
        "/api/v1/layanan": {"nik": nik, "jenis": "surat_keterangan", "service_point": "SP-PDG"},
        "/api/v1/antrian": {"service_point": "SP-PDG"},
        "/api/v1/blanko": {"service_point": "SP-PDG", "kind": "received", "quantity": 1},
        "/api/v1/blanko/hitung": {"service_point": "SP-PDG", "counted": 0},
    }
    for i, (path, body) in enumerate(stored.items()):
        assert c.post(path, json={**body, "idempotency_key": f"leak-{i}"}, headers=op).status_code in (200, 201)
    changed = {"nik": _nik(desk.home, "UNREGISTERED")[13], "jenis": "surat_keterangan", "service_point": "SP-PDG"}
    for i, (path, body) in enumerate(stored.items()):
        for key in (f"leak-{i}", f"never-{i}"):
            same = c.post(path, json={**body, "idempotency_key": key}, headers=other)
            changed_body = changed if path == "/api/v1/layanan" else {**body, "note": "lain"}
            another = c.post(path, json={**changed_body, "idempotency_key": key}, headers=other)
            assert (same.status_code, another.status_code) == (403, 403), (path, key, same.text, another.text)


def _plan(region: str | None, name: str) -> dict[str, object]:
    stop = {
        "site": f"SITE-{name}",
        "visit": 1,
        "arrive": "08:30",
        "start": "08:30",
        "leave": "10:00",
        "people": {"belum_rekam": 5},
        "value": 5,
    }
    plan: dict[str, object] = {
        "format": "rekam-plan",
        "version": 1,
        "scenario": name,
        "score": 5,
        "bound": None,
        "gap_pct": None,
        "routes": [
            {
                "team": f"TIM-{name}",
                "date": "2024-11-18",
                "start_depot": "D",
                "end_depot": "D",
                "depart": "08:00",
                "back": "11:00",
                "stops": [stop],
            }
        ],
    }
    if region is not None:
        plan["region"] = region
    return plan


def test_the_plan_page_shows_only_plans_of_the_users_region(desk: Desk) -> None:
    """Finding 15: /rencana showed the newest plan whatever its region (a dinas of 13.71 saw
    Agam's). Now the newest plan whose region lies in the user's scope; a plan naming no region
    is for admin-pusat only."""
    import os
    import time

    from tests.web.conftest import login

    folder = desk.home / "plans"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for i, (region, name) in enumerate((("1371", "padang"), ("1306", "agam"), (None, "tanpa"))):
        path = folder / f"{name}.json"
        path.write_text(json.dumps(_plan(region, name)), encoding="utf-8")
        os.utime(path, (time.time() - 100 + i, time.time() - 100 + i))  # agam newer than padang, tanpa newest
    seen = {}
    for who in ("padang", "agam", "sumbar", "pusat"):
        login(desk.client, who)
        page = desk.client.get("/rencana")
        assert page.status_code == 200
        seen[who] = [n for n in ("padang", "agam", "tanpa") if f"TIM-{n}" in page.text]
    assert seen == {"padang": ["padang"], "agam": ["agam"], "sumbar": ["agam"], "pusat": ["tanpa"]}
