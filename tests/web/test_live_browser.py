"""Live by default in a real browser (issue #16): an operator logs a perekaman at the web
counter; the province page a Kadis opens next counts it, says so, and its switch shows the
snapshot alone; the desa's by-name list marks the person served. Screenshots go to
``test-artifacts/screenshots/live-*.png``."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import PASSWORD
from tests.web.server import Server
from tests.web.test_browser import CHROMIUM, ELECTION, VIEWPORT, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


@pytest.fixture(scope="module")
def live_server_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("live-browser") / "home"
    shutil.copytree(web_home, home)
    return home


@pytest.fixture(scope="module")
def live_server(live_server_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL", "REKAM_LANG")}
    env.update(REKAM_HOME=str(live_server_home), REKAM_ELECTION_DATE=ELECTION)
    proc = Server(env, tmp_path_factory.mktemp("live-serve-log") / "serve.log", deadline_s=60, ready_path="/login")
    proc.start()
    try:
        yield proc.url
    finally:
        proc.stop()


def _new_page(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(base_url=url, viewport=VIEWPORT, locale="id-ID").new_page()
    page.set_default_timeout(30_000)
    return page


def _sudah(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.get_attribute('[data-figure="sudah_rekam"]', "data-value"))


def _snapshot_sudah(url: str) -> int:
    """The province's sudah rekam of the snapshot alone on the live figures' date, from the API."""
    with httpx.Client(base_url=url) as c:
        got = c.post("/api/v1/auth/token", data={"username": "sumbar", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {got.json()['access_token']}"}
        params = {"level": "prov", "region": "13"}
        as_of = c.get("/api/v1/coverage", params=params, headers=headers).json()["as_of"]
        params |= {"live": "false", "as_of": as_of}
        (row,) = c.get("/api/v1/coverage", params=params, headers=headers).json()["rows"]
    return int(row["sudah_rekam"])


def test_a_service_at_the_web_counter_reaches_the_province_page_and_the_list(
    browser, live_server: str, live_server_home: Path
) -> None:  # type: ignore[no-untyped-def]
    from rekam.api import Rekam
    from rekam.config import Settings

    people, _ = Rekam(Settings(home=live_server_home)).list_people("belum-rekam", "13.71", date(2024, 11, 13))
    nik, desa = people[0].nik, people[0].desa_code

    kadis = _new_page(browser, live_server)
    log_in(kadis, "sumbar", "/wilayah/13")
    before = _sudah(kadis)
    assert kadis.get_attribute("#live-note", "data-desk-services") == "0"

    operator = _new_page(browser, live_server)
    log_in(operator, "loket1", "/loket")
    operator.fill("#nik", nik)
    operator.click("#cari-btn")
    operator.click(".svc-perekaman")
    operator.wait_for_selector("#logged")
    operator.context.close()

    kadis.reload()
    note = kadis.inner_text("#live-note")
    assert re.search(r"Termasuk 1 layanan loket sejak snapshot 13-11-2024", note), note
    assert _sudah(kadis) == _snapshot_sudah(live_server) + 1  # as of the service's day (today at the desk)
    shot(kadis, "live-wilayah")

    kadis.click("#live-switch")
    kadis.wait_for_selector('#live-note[data-live="0"]')
    assert "Angka snapshot 13-11-2024 saja" in kadis.inner_text("#live-note")
    assert _sudah(kadis) == before
    shot(kadis, "live-wilayah-snapshot")
    kadis.click("#live-switch")
    kadis.wait_for_selector('#live-note[data-live="1"]')
    kadis.context.close()

    dinas = _new_page(browser, live_server)
    log_in(dinas, "padang", f"/daftar/{desa}")
    badge = dinas.locator("#people .badge.desk")
    assert badge.count() == 1
    assert re.fullmatch(r"dilayani di loket \d{2}-\d{2}-\d{4} \(perekaman\)", badge.inner_text().strip())
    badge.scroll_into_view_if_needed()
    shot(dinas, "live-daftar")
    dinas.context.close()
