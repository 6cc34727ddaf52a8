"""The JSON API and the pages over HTTP (FastAPI's TestClient on the real app): the same
figures as the CLI, login, errors in FastAPI's shape, and every route refusing what lies
outside the user's region."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, login, token


def test_coverage_api_equals_the_cli(client: TestClient, cli, web_home: Path) -> None:  # noqa: ANN001
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--region", "13", "--format", "json")
    assert run.code == 0, run.err
    expected = {r["region_code"]: r for r in json.loads(run.out)}
    r = client.get(
        "/api/v1/coverage",
        params={"level": "kab", "region": "13", "as_of": "2024-11-13"},
        headers=token(client, "sumbar"),
    )
    assert r.status_code == 200, r.text
    got = {row["region_code"]: row for row in r.json()["rows"]}
    assert got.keys() == expected.keys() and len(got) == 19
    for code, row in got.items():
        for key in ("wajib", "sudah_rekam", "coverage_pct", "target_gap"):
            assert row[key] == expected[code][key], (code, key)


def test_login_token_and_errors_in_fastapi_shape(client: TestClient) -> None:
    bad = client.post("/api/v1/auth/token", data={"username": "sumbar", "password": "salah"})
    assert bad.status_code == 401 and bad.json() == {"detail": bad.json()["detail"]}
    assert "salah" in bad.json()["detail"]  # Indonesian by default
    en = client.post(
        "/api/v1/auth/token", data={"username": "sumbar", "password": "x"}, headers={"Accept-Language": "en"}
    )
    assert en.status_code == 401 and "Wrong username" in en.json()["detail"]
    assert client.get("/api/v1/coverage").status_code == 401
    assert client.get("/api/v1/coverage", headers={"Authorization": "Bearer rusak"}).status_code == 401
    me = client.get("/api/v1/me", headers=token(client, "padang")).json()
    assert me == {"username": "padang", "role": "dinas", "region": "13.71", "service_point": None}
    wrong_level = client.get("/api/v1/coverage", params={"level": "planet"}, headers=token(client, "pusat"))
    assert wrong_level.status_code == 400 and "planet" in wrong_level.json()["detail"]
    assert client.get("/openapi.json").json()["paths"]["/api/v1/coverage"]


def test_pages_need_a_login_and_render_in_indonesian(client: TestClient) -> None:
    r = client.get("/wilayah/13", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    login(client, "sumbar")
    page = client.get("/wilayah/13")
    assert page.status_code == 200 and "Cakupan" in page.text and "Kota Padang" in page.text.title()
    assert "," in page.text.split('data-figure="coverage_pct"')[1][:120]  # 99,40 % style
    assert client.get("/wilayah/13?lang=en").text.count("Coverage") >= 1
    # A browser set to English still gets Indonesian until the user picks English (remembered).
    client.cookies.delete("lang")
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    assert "Cakupan" in client.get("/wilayah/13", headers=english_browser).text


def test_region_page_shows_printing_stages_and_nik_risk_as_the_cli_counts_them(client: TestClient, cli) -> None:  # noqa: ANN001
    import re

    run = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--region", "13.71", "--format", "json")
    [expected] = json.loads(run.out)
    login(client, "sumbar")
    page = client.get("/wilayah/13.71", params={"as_of": "2024-11-13"}).text
    assert "Pencetakan dan risiko NIK" in page and "Menunggu pusat" in page
    for key in ("sudah_cetak", "belum_cetak", "menunggu_pusat", "risiko_nonaktif", "nonaktif"):
        [value] = re.findall(rf'data-figure="{key}" data-value="(\d+)"', page)
        assert int(value) == expected[key], key
    assert expected["sudah_cetak"] > 0 and expected["menunggu_pusat"] > 0  # the demo has both


def test_demo_serve_makes_an_admin_with_a_fresh_password(cli, rekam_home: Path) -> None:  # noqa: ANN001
    from rekam.config import Settings
    from rekam.ops import users
    from rekam.ops.db import close_all, open_db

    first = cli("demo", "serve", "--no-serve", "--port", "8123")
    second = cli("demo", "serve", "--no-serve")
    assert first.code == 0 and second.code == 0, first.err + second.err
    assert "http://127.0.0.1:8123/" in first.out
    pw1, pw2 = (run.out.split()[-1] for run in (first, second))
    assert pw1 != pw2 and len(pw2) >= 12
    db = open_db(settings=Settings(home=rekam_home))
    assert users.authenticate(db, "demo-admin", pw1) is None  # the old password no longer works
    user = users.authenticate(db, "demo-admin", pw2)
    assert user is not None and (user.role, user.region) == ("admin-provinsi", "13")
    close_all()


@pytest.mark.parametrize("password", ["", PASSWORD + "x"])
def test_a_wrong_login_form_shows_the_reason(client: TestClient, password: str) -> None:
    r = client.post("/login", data={"username": "padang", "password": password}, follow_redirects=False)
    assert r.status_code in (401, 422)
    assert "Traceback" not in r.text and ("salah" in r.text or "tidak" in r.text)


def test_the_plan_page_shows_the_newest_solved_plan(
    cli, client: TestClient, web_home: Path, monkeypatch, tmp_path
) -> None:  # noqa: ANN001, E501
    from tests.planner_factory import random_sites, scenario

    monkeypatch.setenv("REKAM_HOME", str(web_home))
    path = tmp_path / "padang.json"
    path.write_text(json.dumps(scenario(random_sites(8, 5), teams=2, date_to="2024-11-19")))
    run = cli("plan", "solve", path, "--iterations", "100", "--bound-time-limit", "5", "--json")
    assert run.code == 0, run.err
    routes = run.json()["routes"]
    kept = sorted((web_home / "plans").glob("padang-*.json"))
    assert kept and json.loads(kept[-1].read_text())["format"] == "rekam-plan"
    login(client, "sumbar")
    page = client.get("/rencana")
    assert page.status_code == 200 and 'id="calendar"' in page.text
    for r in routes:
        assert r["team"] in page.text and all(site in page.text for site in r["stops"])


def test_warm_up_computes_the_first_pages(web_home: Path, monkeypatch) -> None:  # noqa: ANN001
    from datetime import date

    from rekam.config import Settings
    from rekam.web.context import WebState
    from rekam.web.warm import warm_up

    monkeypatch.setenv("REKAM_ELECTION_DATE", "2024-11-27")
    state = WebState(Settings(home=web_home, election_date=date(2024, 11, 27)))
    warm_up(state)
    assert state.figures._cache, "the current snapshot's figures"
    assert any(k[0] == "rank" and "13" in k for k in state.figures._other), "the province's ranking"
    assert any(k[0] == "trend_svg" and k[1] == "13" for k in state.figures._other), "its trend chart (issue 21)"
    empty = WebState(Settings(home=web_home / "tidak-ada"))
    warm_up(empty)  # no snapshot: nothing to do, no error
    assert not empty.figures._cache


@pytest.mark.slow
def test_serve_with_two_workers_answers(web_home: Path, cli, tmp_path: Path) -> None:  # noqa: ANN001
    import os

    import httpx
    import psutil
    from tests.web.server import Server

    assert cli("serve", "--workers", "0").code == 1
    env = {k: v for k, v in os.environ.items() if k != "REKAM_DATABASE_URL"} | {"REKAM_HOME": str(web_home)}
    server = Server(env, tmp_path / "serve.log", args=("--workers", "2"))
    server.start()
    try:
        r = httpx.post(f"{server.url}/api/v1/auth/token", data={"username": "sumbar", "password": PASSWORD})
        assert r.status_code == 200
        me = httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
        assert me.json()["username"] == "sumbar"  # a token made by one worker is good at the other
        # Keep-alive connections (counters) are dealt out in turn, not left with one worker.
        clients = [httpx.Client(base_url=server.url) for _ in range(6)]
        try:
            for c in clients:
                assert c.get("/openapi.json").status_code == 200
            assert server.proc is not None
            workers = psutil.Process(server.proc.pid).children()
            held = sorted(
                sum(1 for k in w.net_connections("tcp") if k.laddr.port == server.port and k.status == "ESTABLISHED")
                for w in workers
            )
            assert held == [3, 3]
            # An idle keep-alive connection is kept past uvicorn's 5 s (KEEP_ALIVE_S): a client
            # reusing it after a pause is answered, not reset as the server closes it (issue 21).
            import time

            time.sleep(6)
            held = sorted(
                sum(1 for k in w.net_connections("tcp") if k.laddr.port == server.port and k.status == "ESTABLISHED")
                for w in workers
            )
            assert held == [3, 3]
        finally:
            for c in clients:
                c.close()
    finally:
        server.stop()
    assert server.proc is not None and server.proc.returncode == 0
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]  # stopped with it


def test_workers_starting_together_agree_on_one_signing_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from rekam.web.auth import secret_key

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: secret_key(tmp_path), range(16)))
    assert len(keys) == 1 and len(next(iter(keys))) > 40
    assert oct((tmp_path / "web-secret").stat().st_mode)[-3:] == "600"
    assert [p.name for p in tmp_path.iterdir()] == ["web-secret"]


def test_pages_are_compressed_and_static_files_cached(client: TestClient) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    assert int(page.headers["content-length"]) < len(page.content) / 3  # what crossed the wire
    assert page.headers["cache-control"] == "no-store"  # figures and names are never cached
    css = client.get("/static/rekam.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["cache-control"].startswith("public, max-age=") and css.headers.get("etag")
    plain = client.get("/wilayah/13", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == page.text


def test_quality_page_headers_are_words_in_the_users_language(client: TestClient) -> None:
    login(client, "sumbar")
    page = client.get("/kualitas/13").text
    head = page.split('id="quality"')[1].split("</thead>")[0]
    assert "Rekam sebelum 16 th" in head and "Penduduk bermasalah" in head and "rekam_sebelum" not in head
    assert "lebih dari 5 %" in page  # "desa ditandai" is explained where it is shown
    english = client.get("/kualitas/13?lang=en").text.split('id="quality"')[1].split("</thead>")[0]
    assert "Recorded before 16" in english and "Flagged villages" in english


def test_a_list_page_shows_the_status_in_words(client: TestClient) -> None:
    import re

    login(client, "padang")
    rows = client.get(
        "/api/v1/coverage", params={"level": "desa", "region": "13.71"}, headers=token(client, "padang")
    ).json()["rows"]
    desa = max(rows, key=lambda r: r["belum_cetak"])["region_code"]
    page = client.get(f"/daftar/{desa}", params={"jenis": "belum-cetak"}).text
    cells = re.findall(r"<td>([^<]+) <small", page)
    assert cells and set(cells) == {"siap cetak"}  # the PRR backlog: everyone is ready to print
    assert "SUDAH_REKAM" not in page and "PRINT_READY_RECORD" in page


def test_a_kab_kota_list_is_paged_with_the_desa_named(
    client: TestClient, web_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from rekam import audit
    from rekam.web import pages as web_pages

    monkeypatch.setattr(web_pages, "LIST_PAGE", 4)  # the small demo: a few people a page
    login(client, "padang")
    [padang] = client.get(
        "/api/v1/coverage", params={"level": "kab", "region": "13.71"}, headers=token(client, "padang")
    ).json()["rows"]
    assert 'href="/daftar/13.71"' in client.get("/wilayah/13.71").text  # offered above desa level
    first = client.get("/daftar/13.71").text
    total = int(re.search(r'id="count">(\d+)<', first.replace(".", "")).group(1))
    assert total == padang["belum_rekam"] > 4
    numbers = [int(n) for n in re.findall(r'<tr><td class="n">(\d+)</td>', first)]
    assert numbers == [1, 2, 3, 4] and 'rel="next"' in first
    pages = -(-total // 4)
    last = client.get("/daftar/13.71", params={"halaman": str(pages)}).text
    numbers = [int(n) for n in re.findall(r'<tr><td class="n">(\d+)</td>', last)]
    assert numbers == list(range(4 * (pages - 1) + 1, total + 1)) and 'rel="next"' not in last
    assert "Desa/kelurahan" in last and 'rel="prev"' in last
    entries = [e for e in audit.entries(web_home) if e["action"] == "list-view"]
    assert entries[-1]["page"] == pages and entries[-1]["region"] == "13.71"
    assert client.get("/daftar/13.71", params={"halaman": "nol"}).status_code == 400
    assert client.get("/daftar/13").status_code in (400, 403)  # a province: too wide for a page
