"""A team leader's morning (issue 17, "Must show"), in real Chromium against a real ``rekam
serve`` on the demo register (its own copy of the home).

A plan of Kota Padang from tomorrow is made the way a Dinas makes one (``make_scenario`` from the
register and the demo's sites, then ``solve_plan`` with a short limit: kept in REKAM_HOME/plans).
The dinas of Kota Padang opens the calendar, follows "Besok" to a team's day, reads the site
names, times and head-counts, the route map and the by-name list link; then on a phone
(390x844) the same: the calendar is a list per day, the day reads top to bottom. No page scrolls
sideways at 1366x768 or 390x844 and axe-core finds no serious or critical violation.
Screenshots: ``test-artifacts/screenshots/teamday-*.png``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    CHROMIUM,
    log_in,
    server,
    server_home,
)
from tests.web.tour import DESKTOP, PHONE, SHOTS, fits_both, report, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


@pytest.fixture(scope="module")
def plan(server_home: Path) -> dict[str, Any]:  # noqa: F811
    """A plan of Kota Padang for tomorrow and the day after, kept in the server's home."""
    import json

    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.ops.db import close_all

    rekam = Rekam(Settings(home=server_home))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    raw = rekam.make_scenario(
        "13.71",
        tomorrow,
        tomorrow + dt.timedelta(days=1),
        teams=2,
        as_of=dt.date(2024, 11, 13),
        election_date=dt.date(2024, 11, 27),
        weekdays="1-7",
    )
    path = server_home / "padang-besok.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    rekam.solve_plan(path, time_limit=None, iterations=60, bound_time_limit=5)
    close_all()
    kept = max((server_home / "plans").glob("padang-besok-*.json"), key=lambda p: p.stat().st_mtime)
    return dict(json.loads(kept.read_text(encoding="utf-8")))


@pytest.fixture
def page(browser: Any, server: str) -> Any:  # noqa: F811
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="id-ID", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def _no_violations(page: Any, name: str) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.wait_for_function(f"window.innerWidth === {size['width']}")
        found = serious_violations(page)
        assert found == [], f"{name} at {size['width']}px:\n{report(found)}"
    page.set_viewport_size(DESKTOP)


def test_a_team_leader_opens_tomorrows_day(page: Any, plan: dict[str, Any]) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    routes = [r for r in plan["routes"] if r["date"] == tomorrow.isoformat()]
    assert routes, "the plan works tomorrow"
    route = max(routes, key=lambda r: len(r["stops"]))

    log_in(page, "padang", "/rencana")
    assert page.url.endswith("/rencana")
    head = page.locator("main h1").inner_text()
    assert head == "Rencana jemput bola: Kota Padang", head
    assert "orang" in page.locator("#plan-expected").inner_text()
    bound = page.locator("#plan-bound").inner_text()
    assert "Batas atas" in bound and "%" in bound, bound
    body = page.locator("main").inner_text()
    assert ".json" not in body and "gap" not in body.lower()
    first_site = plan["sites"][route["stops"][0]["site"]]["name"]
    assert page.locator("#calendar", has_text=first_site).count() == 1
    fits_both(page, "teamday-kalender")
    _no_violations(page, "kalender")

    # "Besok": tomorrow's teams, one click to the day.
    nxt = page.locator("#plan-next")
    assert nxt.inner_text().startswith("Besok")
    with page.expect_navigation():
        nxt.locator(f"a[href='/rencana/tim/{route['team']}/{route['date']}']").click()
    assert page.url.endswith(f"/rencana/tim/{route['team']}/{route['date']}")
    title = page.locator("main h1").inner_text()
    weekdays = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
    assert title.startswith(f"Tim {route['team']} · {weekdays[tomorrow.weekday()]}, "), title
    stops = page.locator(".day-stop")
    assert stops.count() == len(route["stops"])
    for i, stop in enumerate(route["stops"]):
        card = stops.nth(i)
        text = card.inner_text()
        assert plan["sites"][stop["site"]]["name"] in text
        assert stop["arrive"] in text and stop["start"] in text and stop["leave"] in text
        expected = sum(stop["people"].values())
        shown = card.locator(".day-expected dd").inner_text()
        if 0 < expected < 1:
            assert shown == "< 1", (shown, expected)  # a fraction of a person, not a misleading 0
        else:
            assert int(shown.replace(".", "")) == round(expected), (shown, expected)
    assert page.locator("#route-map circle").count() == len(route["stops"])
    total = page.locator("#day-total").inner_text()
    assert re.search(r"Perkiraan direkam: [\d.]+ orang", total), total
    assert page.locator("#print-day").is_visible()
    lists = page.locator("a.day-list")
    assert lists.count() >= 1 and (lists.first.get_attribute("href") or "").startswith("/daftar/13.71.")
    fits_both(page, "teamday-hari")
    _no_violations(page, "hari")
    # Printed ("Cetak"): one A4 sheet, without the menu and the buttons.
    page.emulate_media(media="print")
    assert not page.locator("#print-day").is_visible() and not page.locator("header").is_visible()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "teamday-hari-cetak.png"), full_page=True)
    sheet = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(sheet.pages) == 1, len(sheet.pages)
    box = sheet.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    page.emulate_media(media="screen")
    page.set_viewport_size(DESKTOP)

    # The by-name list of the first stop's desa opens, masked.
    with page.expect_navigation():
        lists.first.click()
    assert "/daftar/13.71." in page.url
    niks = page.locator("#people tbody tr td:nth-child(2)").all_inner_texts()
    assert all(re.fullmatch(r"\d{6}\*{10}", n.strip()) for n in niks), niks[:3]


def test_on_a_phone_the_calendar_is_a_list_and_the_day_reads_top_to_bottom(page: Any, plan: dict[str, Any]) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, "padang", "/rencana")
    assert not page.locator("#calendar").is_visible()
    days = page.locator("#plan-days section")
    assert days.count() == len({r["date"] for r in plan["routes"]})
    assert days.first.locator("h3").inner_text().split(",")[0] in (
        "Senin",
        "Selasa",
        "Rabu",
        "Kamis",
        "Jumat",
        "Sabtu",
        "Minggu",
    )
    with page.expect_navigation():
        page.locator("#plan-next a").first.click()
    boxes = page.eval_on_selector_all(
        ".day-stop", "els => els.map(e => e.getBoundingClientRect()).map(r => [r.left, r.top, r.right])"
    )
    assert boxes and all(right <= PHONE["width"] for _, _, right in boxes)
    assert [top for _, top, _ in boxes] == sorted(top for _, top, _ in boxes)  # one above the other
    assert len({left for left, _, _ in boxes}) == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "teamday-hari-telepon.png"), full_page=True)


def test_the_dinas_replans_the_days_left(page: Any, plan: dict[str, Any]) -> None:
    """Issue 20: the dinas presses "Susun ulang untuk hari tersisa"; the page says it is working
    and, once the solver is done, shows the new plan as the newest, saying what it re-plans.
    (Runs last in this module: the re-plan becomes the newest plan.)"""
    log_in(page, "padang", "/rencana")
    button = page.locator("#replan")
    assert button.is_visible() and button.inner_text() == "Susun ulang untuk hari tersisa"
    button.click()
    page.wait_for_selector("#plan-replan-of", timeout=120_000)  # the solve (20 s at most), then a reload
    said = page.locator("#plan-replan-of").inner_text()
    assert said.startswith("Rencana ini susunan ulang dari rencana") and "padang-besok" in said
    assert page.locator("#calendar").is_visible()
    fits_both(page, "rencana-susun-ulang")
    _no_violations(page, "rencana-susun-ulang")
