"""The crash test (issue #8): ``kill -9`` the real ``rekam serve`` process during a burst of
POST /api/v1/layanan from several clients that retry, restart it on the same database, and
check that every acknowledged event is stored exactly once and nothing else is; on SQLite
(WAL, synchronous=FULL) and on the real PostgreSQL at 127.0.0.1:5432.

Each client thread logs its own events one after the other (perekaman for residents not yet
recorded and for unknown but valid NIKs, surat keterangan for registered and unknown NIKs),
each with a key of its own, and sends each event again (same key, same body) until it gets a
2xx. The server is killed twice, each time while requests are in flight, and restarted.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import OPERATORS, PASSWORD, POINTS
from tests.web.server import Server

from rekam.domain.nik import mask_nik

pytestmark = pytest.mark.slow

CLIENTS_PER_POINT = 3  # two points: six client threads
EVENTS_PER_CLIENT = 60
KILL_AT = (0.2, 0.55)  # share of all events acknowledged when the server is killed
DEADLINE_S = 35.0  # per database, from the first event to the last acknowledgement


@dataclass(frozen=True)
class Event:
    key: str
    point: str
    nik: str
    jenis: str
    known: bool


@dataclass
class ClientLog:
    """What one client saw: the answer to each event it got a 2xx for, and every attempt."""

    acked: dict[str, tuple[int, dict[str, object]]] = field(default_factory=dict)  # key -> (status, body)
    statuses: Counter[int] = field(default_factory=Counter)
    transport_errors: int = 0
    unexpected: list[str] = field(default_factory=list)


# ---- the databases -------------------------------------------------------------------------


@dataclass
class Setup:
    home: Path
    database_url: str | None  # None: SQLite ops.db in the home


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_setup(request: pytest.FixtureRequest, web_home: Path, tmp_path: Path) -> Iterator[Setup]:
    """A copy of the web home (register, users, points); for PostgreSQL a throwaway database
    holding the same points and operators."""
    home = tmp_path / "home"
    shutil.copytree(web_home, home)
    if request.param == "sqlite":
        yield Setup(home, None)
        return
    from tests.ops_fixtures import _server_answers, create_database, drop_database

    reason = _server_answers()
    if reason:
        pytest.skip(reason)
    from rekam.ops import points, users
    from rekam.ops.db import open_db

    url = create_database("rekam_crash")
    try:
        db = open_db(url)
        for point_id, name, region, kind in POINTS:
            points.add_point(db, point_id, name, region, kind)
        for name, point_id in OPERATORS.items():
            users.add_user(db, name, PASSWORD, "operator", None, point_id)
        yield Setup(home, url)
    finally:
        drop_database(url)


# ---- the events ----------------------------------------------------------------------------


def _register_niks(home: Path) -> tuple[set[str], dict[str, list[str]]]:
    """Every NIK of the register, and per kab/kota those not yet recorded (perekaman is
    allowed without confirmation)."""
    from rekam.analytics.engines import DuckDBEngine
    from rekam.register.store import Store

    store = Store(home)
    with DuckDBEngine(store, store.require_current()) as eng:
        every = {r[0] for r in eng.run("SELECT nik FROM register")}
        rows = eng.run(
            "SELECT nik, substr(desa_code, 1, 5) FROM register WHERE ktp_status = 'UNREGISTERED' ORDER BY nik"
        )
    belum: dict[str, list[str]] = {}
    for nik, kab in rows:
        belum.setdefault(kab, []).append(nik)
    return every, belum


def _unknown_niks(every: set[str], kec6: str, n: int) -> list[str]:
    """Valid NIKs that are not in the register (newcomers: logged and flagged for SIAK)."""
    from rekam.domain.nik import validate_nik

    found: list[str] = []
    serial = 9000
    while len(found) < n:
        serial += 1
        nik = f"{kec6}{1 + serial % 28:02d}{1 + serial % 12:02d}{90 + serial % 10:02d}{serial:04d}"
        if nik not in every and not validate_nik(nik):
            found.append(nik)
    return found


def _events(home: Path) -> dict[str, list[list[Event]]]:
    """Per operator, one list of events per client thread; every perekaman is for a NIK of its own."""
    every, belum = _register_niks(home)
    registered = sorted(every)
    plan: dict[str, list[list[Event]]] = {}
    for op, (point, region) in {
        name: (p, next(r for i, _, r, _ in POINTS if i == p)) for name, p in OPERATORS.items()
    }.items():
        fresh = iter(belum.get(region, []))
        unknown = iter(_unknown_niks(every, region.replace(".", "") + "01", CLIENTS_PER_POINT * EVENTS_PER_CLIENT))
        plan[op] = []
        for c in range(CLIENTS_PER_POINT):
            events = []
            for i in range(EVENTS_PER_CLIENT):
                key = f"crash-{op}-{c}-{i:03d}"
                if i % 3 == 0:
                    events.append(Event(key, point, next(unknown), "perekaman", False))
                elif i % 3 == 1:
                    events.append(
                        Event(key, point, registered[(c * 97 + i * 31) % len(registered)], "surat_keterangan", True)
                    )
                else:
                    nik = next(fresh, None)
                    if nik is not None:
                        events.append(Event(key, point, nik, "perekaman", True))
                    else:
                        events.append(Event(key, point, next(unknown), "surat_keterangan", False))
            plan[op].append(events)
    return plan


def _token(url: str, username: str) -> str:
    r = httpx.post(f"{url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def _client(
    url: str,
    token: str,
    events: list[Event],
    log: ClientLog,
    acked_total: list[int],
    lock: threading.Lock,
    deadline: float,
) -> None:
    """Send each event until a 2xx answers it (same key, same body every time)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=10) as http:
        for ev in events:
            body = {"nik": ev.nik, "jenis": ev.jenis, "service_point": ev.point, "idempotency_key": ev.key}
            while True:
                if time.monotonic() > deadline:
                    log.unexpected.append(f"{ev.key}: not acknowledged before the deadline")
                    return
                try:
                    r = http.post("/api/v1/layanan", json=body)
                except httpx.TransportError:  # the server is down or died under the request
                    log.transport_errors += 1
                    time.sleep(0.05)
                    continue
                log.statuses[r.status_code] += 1
                if r.status_code in (200, 201):
                    log.acked[ev.key] = (r.status_code, r.json())
                    with lock:
                        acked_total[0] += 1
                    break
                if r.status_code >= 500:  # e.g. 503 while the database comes back: retry
                    time.sleep(0.05)
                    continue
                log.unexpected.append(f"{ev.key}: {r.status_code} {r.text[:200]}")
                return


# ---- the test ------------------------------------------------------------------------------


def test_every_acknowledged_event_survives_kill_9_exactly_once(crash_setup: Setup, tmp_path: Path) -> None:
    home, url = crash_setup.home, crash_setup.database_url
    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL", "REKAM_ELECTION_DATE")}
    env.update(REKAM_HOME=str(home), REKAM_LANG="en")
    if url:
        env["REKAM_DATABASE_URL"] = url
    plan = _events(home)
    events = {ev.key: ev for lists in plan.values() for evs in lists for ev in evs}
    total = len(events)
    server = Server(env, tmp_path / "serve.log")
    started = time.monotonic()
    try:
        server.start()
        tokens = {op: _token(server.url, op) for op in plan}
        lock = threading.Lock()
        acked_total = [0]
        deadline = time.monotonic() + DEADLINE_S
        logs: list[ClientLog] = []
        threads = []
        for op, lists in plan.items():
            for evs in lists:
                log = ClientLog()
                logs.append(log)
                threads.append(
                    threading.Thread(
                        target=_client,
                        daemon=True,
                        args=(server.url, tokens[op], evs, log, acked_total, lock, deadline),
                    )
                )
        for t in threads:
            t.start()
        acked_at_kill = []
        for share in KILL_AT:
            while acked_total[0] < share * total and time.monotonic() < deadline:
                time.sleep(0.005)
            acked_at_kill.append(acked_total[0])
            server.kill9()
            time.sleep(0.3)  # the clients meet a dead server for a while
            server.start()
        for t in threads:
            t.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
        assert not any(t.is_alive() for t in threads), "a client was still retrying at the deadline"
        burst_s = time.monotonic() - started

        unexpected = [u for log in logs for u in log.unexpected]
        assert not unexpected, unexpected[:10]
        acked = {k: v for log in logs for k, v in log.acked.items()}
        # The kills landed in the burst: events were still to come, and requests failed.
        assert all(0 < n < total for n in acked_at_kill), acked_at_kill
        assert sum(log.transport_errors for log in logs) > 0
        assert set(acked) == set(events), "every event is acknowledged in the end"

        # What the server has: through the API, per point, by the point's operator.
        stored: Counter[str] = Counter()
        by_key: dict[str, dict[str, object]] = {}
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for op, point in OPERATORS.items():
                r = http.get(
                    "/api/v1/layanan",
                    params={"service_point": point},
                    headers={"Authorization": f"Bearer {tokens[op]}"},
                )
                assert r.status_code == 200, r.text
                for item in r.json()["items"]:
                    stored[item["idempotency_key"]] += 1
                    by_key[item["idempotency_key"]] = item
            duplicates = {k: n for k, n in stored.items() if n > 1}
            assert not duplicates, duplicates
            assert set(stored) == set(acked), set(stored) ^ set(acked)
            for key, (_, answer) in acked.items():
                ev, row = events[key], by_key[key]
                # the operator's listing masks the NIK (the key and the id tie the event to it)
                assert (row["nik"], row["jenis"], row["service_point"]) == (mask_nik(ev.nik), ev.jenis, ev.point)
                assert answer["id"] == row["id"], f"{key}: acknowledged as event {answer['id']}, stored as {row['id']}"
                assert row["nik_known"] is ev.known and row["siak_follow_up"] is (not ev.known)
                # A client that never saw its answer sends the event once more: the same event, 200.
                body = {"nik": ev.nik, "jenis": ev.jenis, "service_point": ev.point, "idempotency_key": key}
                again = http.post(
                    "/api/v1/layanan", json=body, headers={"Authorization": f"Bearer {tokens[_operator(ev.point)]}"}
                )
                assert again.status_code == 200 and again.json()["id"] == row["id"], again.text
        server.stop()

        # And in the database itself: one row per key, one SIAK follow-up per unknown NIK.
        counts = _database_counts(url or f"sqlite:///{home / 'ops.db'}")
        assert counts["events"] == total == counts["keys"]
        assert counts["follow_ups"] == counts["follow_up_niks"] == len({e.nik for e in events.values() if not e.known})

        retried_after_loss = sum(1 for status, _ in acked.values() if status == 200)
        print(
            f"\ncrash test ({'postgresql' if url else 'sqlite'}): {total} events from {len(threads)} clients, "
            f"{sum(sum(log.statuses.values()) for log in logs)} answered requests, "
            f"{sum(log.transport_errors for log in logs)} failed on a dead server, "
            f"killed at {acked_at_kill} acknowledged, {server.starts} starts; {len(acked)} acknowledged "
            f"({retried_after_loss} first acknowledged as 200: stored before a kill, answer lost), "
            f"{sum(stored.values())} stored, 0 duplicates; {burst_s:.1f} s"
        )
    finally:
        server.stop()


def _operator(point: str) -> str:
    return next(op for op, p in OPERATORS.items() if p == point)


def _database_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return {
                "events": conn.execute(text("SELECT count(*) FROM service_events")).scalar_one(),
                "keys": conn.execute(
                    text(
                        "SELECT count(*) FROM (SELECT DISTINCT service_point_id, idempotency_key FROM service_events) k"
                    )
                ).scalar_one(),
                "follow_ups": conn.execute(
                    text("SELECT count(*) FROM follow_ups WHERE kind = 'nik_tidak_dikenal'")
                ).scalar_one(),
                "follow_up_niks": conn.execute(
                    text("SELECT count(DISTINCT nik) FROM follow_ups WHERE kind = 'nik_tidak_dikenal'")
                ).scalar_one(),
            }
    finally:
        engine.dispose()
