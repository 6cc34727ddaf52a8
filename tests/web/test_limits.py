"""The limits that protect the server (issue 21): a request body over REKAM_BODY_MAX_KB is a 413,
a user asking for more new figures than REKAM_EXPENSIVE_PER_MINUTE is a 429, and a request
finding REKAM_EXPENSIVE_AT_ONCE computations running is a 503 after a short wait; each with a
message in the user's language (Retry-After on 429 and 503), and each changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import login, token

from rekam.config import Settings
from rekam.web import limits

ELECTION = date(2024, 11, 27)


@pytest.fixture(scope="module")
def web_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shared web home: a request that passes the limits may store a service, and
    the shared home's ops database must stay as the other modules copy it (test_crash counts
    every event in it)."""
    import shutil

    home = tmp_path_factory.mktemp("limits-home") / "home"
    shutil.copytree(web_home, home)
    return home


def _client(home: Path, **settings: Any) -> TestClient:
    from rekam.web.app import create_app

    base = Settings(home=home, election_date=ELECTION, figure_cache=False)
    return TestClient(create_app(replace(base, **settings)))


@pytest.fixture
def small(web_home: Path) -> Iterator[TestClient]:
    """The app with a 1 KB body limit."""
    from rekam.ops.db import close_all

    with _client(web_home, body_max_kb=1) as c:
        yield c
    close_all()


def _events(client: TestClient) -> int:
    from sqlalchemy import func, select

    from rekam.ops.models import ServiceEvent

    with client.app.state.rekam.db.read() as s:  # type: ignore[attr-defined]
        return int(s.execute(select(func.count()).select_from(ServiceEvent)).scalar_one())


def _service(note: str) -> dict[str, Any]:
    return {
        "nik": "1371015503990099",
        "jenis": "surat_keterangan",
        "service_point": "SP-PDG",
        "idempotency_key": "limits-test-1",
        "note": note,
    }


def _chunks(data: bytes) -> Iterator[bytes]:
    """A body sent in pieces without a Content-Length (chunked)."""
    for i in range(0, len(data), 256):
        yield data[i : i + 256]


# --- 413: a body over REKAM_BODY_MAX_KB -------------------------------------------------------


def test_an_api_body_over_the_limit_is_a_413_in_the_callers_language_and_nothing_is_stored(
    small: TestClient, web_home: Path
) -> None:
    import json

    auth = token(small, "padang")
    log = web_home / "audit.log"
    before, audited = _events(small), log.read_bytes() if log.exists() else b""
    big = json.dumps(_service("x" * 2000)).encode()
    r = small.post("/api/v1/layanan", content=big, headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json() == {"detail": r.json()["detail"], "code": "too_large"}
    assert "lebih dari 1 KB" in r.json()["detail"] and "REKAM_BODY_MAX_KB" in r.json()["detail"]
    en = small.post(
        "/api/v1/layanan",
        content=_chunks(big),  # no Content-Length: counted while it is read
        headers={**auth, "Content-Type": "application/json", "Accept-Language": "en"},
    )
    assert en.status_code == 413 and "larger than 1 KB" in en.json()["detail"]
    assert _events(small) == before
    assert (log.read_bytes() if log.exists() else b"") == audited
    # a body within the limit still reaches the route (here: refused by its own rules, 4xx not 413)
    ok = small.post("/api/v1/layanan", json=_service("kecil"), headers=auth)
    assert ok.status_code != 413


def test_a_page_form_over_the_limit_is_a_413_page_and_nothing_runs(small: TestClient) -> None:
    login(small, "padang")  # a small form passes
    big = b"username=padang&password=" + b"x" * 4000
    for body in (big, _chunks(big)):
        r = small.post("/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413 and "text/html" in r.headers["content-type"]
        assert "Permintaan ditolak" in r.text and "REKAM_BODY_MAX_KB" in r.text
    small.cookies.set("lang", "en")
    r = small.post("/login", content=big, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "Request refused" in r.text


def test_a_field_sync_of_200_outcomes_fits_the_default_limit() -> None:
    """200 outcomes with 200-character names and 500-character notes (the stored maximum) of
    non-ASCII text, \\u-escaped: 680 KB, under the default 1024 KB."""
    import json

    outcome = {
        "key": "0" * 36,
        "stop_id": "2024-11-20/T01/12",
        "name": "N" * 200,
        "birth_date": "2001-01-01",
        "outcome": "pindah",
        "occurred_at": "2024-11-20T10:32:00+07:00",
        "note": "é" * 500,
    }
    assert len(json.dumps({"outcomes": [outcome] * 200}).encode()) < Settings(home=Path(".")).body_max_kb * 1024


# --- 429: too many new figures for one user ----------------------------------------------------


@pytest.fixture
def two_a_minute(web_home: Path) -> Iterator[TestClient]:
    from rekam.ops.db import close_all

    with _client(web_home, expensive_per_minute=2) as c:
        yield c
    close_all()


def test_a_user_asking_for_new_figures_too_often_gets_429_others_and_cached_pages_do_not(
    two_a_minute: TestClient,
) -> None:
    client = two_a_minute
    calls: list[date] = []
    rekam = client.app.state.rekam.rekam  # type: ignore[attr-defined]
    real = rekam.coverage_levels

    def counted(as_of: date, *args: Any, **kw: Any) -> Any:
        calls.append(as_of)
        return real(as_of, *args, **kw)

    rekam.coverage_levels = counted
    padang, sumbar = token(client, "padang"), token(client, "sumbar")
    for day in ("2024-11-14", "2024-11-15"):
        assert client.get(f"/api/v1/coverage?as_of={day}", headers=padang).status_code == 200
    assert len(calls) == 2
    refused = client.get("/api/v1/coverage?as_of=2024-11-16", headers=padang)
    assert refused.status_code == 429, refused.text
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["code"] == "rate_limited"
    assert "paling banyak 2 per pengguna" in refused.json()["detail"]
    en = client.get("/api/v1/coverage?as_of=2024-11-16", headers={**padang, "Accept-Language": "en"})
    assert en.status_code == 429 and "at most 2 per user" in en.json()["detail"]
    assert len(calls) == 2  # nothing computed for the refused ones
    # figures already computed are never limited
    assert client.get("/api/v1/coverage?as_of=2024-11-14", headers=padang).status_code == 200
    # the page says it too, in Indonesian, with Retry-After
    login(client, "padang")
    page = client.get("/wilayah/13.71?as_of=2024-11-17")
    assert page.status_code == 429 and "Retry-After" in page.headers and "Terlalu banyak" in page.text
    assert len(calls) == 2
    # another user is not affected
    assert client.get("/api/v1/coverage?as_of=2024-11-16", headers=sumbar).status_code == 200
    assert len(calls) == 3


def test_the_window_slides(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    gate = limits.Expensive(per_minute=1, at_once=1, clock=lambda: now[0])
    token_ = limits._ticket.set(limits.Ticket(who="a"))
    try:
        with gate.admit():
            pass
        limits._ticket.set(limits.Ticket(who="a"))
        with pytest.raises(limits.ComputeThrottled) as refused:
            with gate.admit():
                pass
        assert refused.value.retry_after == 60
        now[0] += 45
        with pytest.raises(limits.ComputeThrottled) as refused:
            with gate.admit():
                pass
        assert refused.value.retry_after == 15
        now[0] += 16
        with gate.admit():  # the first left the window
            pass
    finally:
        limits._ticket.reset(token_)
    with gate.admit():  # outside a request (the warm-up, a background refresh): never limited
        pass


# --- 503: every computing slot taken -----------------------------------------------------------


def test_a_request_finding_every_slot_taken_waits_briefly_then_gets_503(
    web_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rekam.ops.db import close_all

    monkeypatch.setattr(limits, "WAIT", 0.3)
    with _client(web_home, expensive_at_once=1) as client:
        rekam = client.app.state.rekam.rekam  # type: ignore[attr-defined]
        real = rekam.coverage_levels
        started, release = threading.Event(), threading.Event()

        def blocking(as_of: date, *args: Any, **kw: Any) -> Any:
            if as_of == date(2024, 11, 20):
                started.set()
                assert release.wait(30)
            return real(as_of, *args, **kw)

        rekam.coverage_levels = blocking
        padang, sumbar = token(client, "padang"), token(client, "sumbar")
        assert client.get("/api/v1/coverage?as_of=2024-11-14", headers=padang).status_code == 200
        first: dict[str, int] = {}
        worker = threading.Thread(
            target=lambda: first.update(
                status=client.get("/api/v1/coverage?as_of=2024-11-20", headers=padang).status_code
            )
        )
        worker.start()
        try:
            assert started.wait(30)
            busy = client.get("/api/v1/coverage?as_of=2024-11-21", headers=sumbar)
            assert busy.status_code == 503, busy.text
            assert int(busy.headers["Retry-After"]) == limits.BUSY_RETRY
            assert busy.json()["code"] == "busy" and "coba lagi dalam" in busy.json()["detail"]
            en = client.get("/api/v1/coverage?as_of=2024-11-21", headers={**sumbar, "Accept-Language": "en"})
            assert en.status_code == 503 and "try again in" in en.json()["detail"]
            login(client, "sumbar")
            page = client.get("/wilayah/13?as_of=2024-11-21")
            assert page.status_code == 503 and page.headers["Retry-After"] and "Server sedang" in page.text
            # a cached answer is served meanwhile
            assert client.get("/api/v1/coverage?as_of=2024-11-14", headers=sumbar).status_code == 200
        finally:
            release.set()
            worker.join(60)
        assert first == {"status": 200}
        # once the slot is free, the same request is answered
        assert client.get("/api/v1/coverage?as_of=2024-11-21", headers=sumbar).status_code == 200
    close_all()
