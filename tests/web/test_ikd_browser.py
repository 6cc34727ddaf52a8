"""IKD on the province page in real Chromium (issue 19): the Kadis sees the IKD cards and the
IKD of every kab/kota, at 1366x768 and 390x844, with no serious axe-core violation."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    CHROMIUM,
    log_in,
    server,
    server_home,
)
from tests.web.tour import DESKTOP, PHONE, fits_both, report, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


def test_the_kadis_reads_ikd_per_kab_kota(browser: Any, server: str) -> None:  # noqa: F811
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, "sumbar", "/wilayah/13")
    cards = page.locator("#ikd")
    assert cards.is_visible() and "IKD aktif" in cards.inner_text()
    pct = page.locator('#ikd [data-figure="ikd_pct"]').inner_text()
    assert pct.endswith("%") and "," in pct  # 12,34 %
    rows = page.locator("#ikd-children tbody tr")
    assert rows.count() == 19
    padang = page.locator('#ikd-children tr[data-code="13.71"]').inner_text()
    assert "Kota Padang" in padang
    fits_both(page, "ikd-provinsi")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        found = serious_violations(page)
        assert found == [], report(found)
    context.close()
