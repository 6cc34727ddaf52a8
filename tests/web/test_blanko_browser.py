"""The blanko page in real Chromium against a real ``rekam serve`` (issue 17): the operator of
SP-PDG opens /loket/blanko, receives 100 blanko, sees the balance 100, enters a physical count
of 98, opens today's reconciliation and sees the difference -2. Every page fits 1366x768 and
390x844 without sideways scrolling and has no serious or critical axe-core violation;
screenshots in ``test-artifacts/screenshots/blanko-*.png``."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    CHROMIUM,
    log_in,
    server,
    server_home,
)
from tests.web.tour import DESKTOP, fits_both, report, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


@pytest.fixture
def page(browser: Any, server: str) -> Any:  # noqa: F811
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="id-ID", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def _checked(page: Any, name: str) -> None:
    fits_both(page, name)
    for size in ({"width": 1366, "height": 768}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        found = serious_violations(page)
        assert found == [], f"{name} {size['width']}:\n{report(found)}"
    page.set_viewport_size(DESKTOP)


def test_an_operator_receives_counts_and_reconciles(page: Any) -> None:
    log_in(page, "loket1", "/loket")
    with page.expect_navigation():
        page.click("#kelola-blanko")
    assert page.url.endswith("/loket/blanko?sp=SP-PDG")
    assert page.locator("#blanko-balance").get_attribute("data-value") == "0"
    _checked(page, "blanko-empty")

    page.fill("#terima-jumlah", "100")
    page.fill("#form-terima input[name=catatan]", "kiriman Dinas")
    with page.expect_navigation():
        page.click("#terima-simpan")
    assert page.locator("#saved").is_visible()
    assert page.locator("#blanko-balance").inner_text().strip() == "100"
    assert "Diterima 100" in page.locator("#movements").inner_text()

    page.fill("#hitung-jumlah", "98")
    with page.expect_navigation():
        page.click("#hitung-simpan")
    assert page.locator("#blanko-balance").inner_text().strip() == "98"
    assert "Penyesuaian hitungan -2" in page.locator("#movements").inner_text()
    _checked(page, "blanko-page")

    with page.expect_navigation():
        page.click("p.buttons a[href^='/loket/rekonsiliasi']")
    assert page.locator("#tanggal").input_value()  # today's date in the picker
    assert page.locator("#counts td.difference").first.inner_text().strip() == "-2"
    assert "selisih -2" in page.locator("#problems").inner_text()
    assert page.locator("#cetak").is_visible()
    _checked(page, "blanko-reconciliation")

    # Another day through the picker: no counts then, and no count form (a count is of now).
    page.fill("#tanggal", "2024-11-27")
    with page.expect_navigation():
        page.click("#tampilkan")
    assert "tanggal=2024-11-27" in page.url and page.locator("#no-counts").is_visible()
    assert page.locator("#form-hitung").count() == 0


def test_the_dinas_sees_the_priority_list_by_name_and_sets_the_cap(page: Any) -> None:
    log_in(page, "padang", "/loket/blanko?sp=SP-PDG")
    rows = page.locator("#priority tbody tr")
    assert rows.count() > 0
    first = rows.first.inner_text()
    assert "**********" in first and any(w in first for w in ("pemilih pemula", "rentan", "menunggu"))
    page.fill("#batas", "200")
    with page.expect_navigation():
        page.click("#batas-simpan")
    assert page.locator("#print-cap").inner_text().strip() == "200"
    _checked(page, "blanko-dinas")
