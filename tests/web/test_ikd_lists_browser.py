"""The belum-ikd list in a browser: picked from the list page's kinds, as many rows as the
desa's figure (sudah_rekam - ikd_aktif), NIK masked; no sideways scroll on a laptop or a phone,
no serious axe-core violation. Screenshots: test-artifacts/screenshots/daftar-belum-ikd-*.png."""

from __future__ import annotations

import re

import httpx
import pytest
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, log_in, server, server_home  # noqa: F401  (fixtures)
from tests.web.tour import DESKTOP, fits_both, report, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]  # noqa: F811
    """axe-core is injected as a script: the page's CSP is bypassed for it (as tests/web/test_a11y.py)."""
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="id-ID", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def test_the_belum_ikd_list_is_picked_and_counts_its_figure(page, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    token = httpx.post(f"{server}/api/v1/auth/token", data={"username": "padang", "password": PASSWORD}).json()
    rows = httpx.get(
        f"{server}/api/v1/coverage",
        params={"level": "desa", "region": "13.71", "as_of": "2024-11-13"},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    ).json()["rows"]
    desa = max(rows, key=lambda r: r["sudah_rekam"] - r["ikd_aktif"])
    log_in(page, "padang", f"/daftar/{desa['region_code']}")
    page.select_option("#list-kind select[name=jenis]", "belum-ikd")
    with page.expect_navigation():
        page.click("#list-kind button[type=submit]")
    assert "jenis=belum-ikd" in page.url
    shown = int(page.locator("#count").inner_text())
    assert shown == desa["sudah_rekam"] - desa["ikd_aktif"] > 0
    assert page.locator("#people tbody tr").count() == shown
    niks = page.locator("#people tbody tr td:nth-child(2)").all_inner_texts()
    assert all(re.fullmatch(r"\d{6}\*{10}", n) for n in niks)
    assert page.locator("#unduh-xlsx").get_attribute("href").endswith("jenis=belum-ikd&format=xlsx")
    fits_both(page, "daftar-belum-ikd")
    violations = serious_violations(page)
    assert not violations, report(violations)
