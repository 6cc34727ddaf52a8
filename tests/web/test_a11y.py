"""Every page (issue 16, "Must show"): axe-core (vendored, tests/support/axe) finds no serious or
critical violation, and at 390 px wide the page does not scroll sideways. Real Chromium against
a real ``rekam serve`` on the demo register; one server for the module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.web.conftest import PASSWORD
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    CHROMIUM,
    server,
    server_home,
)
from tests.web.tour import DESKTOP, PHONE, SHOTS, report, serious_violations, widths

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]

KAB = "13.71"


def _context(browser: Any, server: str, username: str | None) -> Any:  # noqa: F811
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="id-ID", bypass_csp=True)
    if username:
        r = context.request.post("/login", form={"username": username, "password": PASSWORD}, max_redirects=0)
        assert r.status == 303, r.text()
    return context


@pytest.fixture(scope="module")
def pages(browser: Any, server: str) -> Iterator[dict[str, Any]]:  # noqa: F811
    """A page per user: nobody, the province's admin (a Kadis), a desk operator of Kota Padang."""
    contexts = {name: _context(browser, server, name) for name in ("sumbar", "loket1")}
    contexts["anonymous"] = _context(browser, server, None)
    out = {}
    for name, context in contexts.items():
        page = context.new_page()
        page.set_default_timeout(20_000)
        out[name] = page
    yield out
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def codes(pages: dict[str, Any]) -> dict[str, str]:
    """A kecamatan of Kota Padang and a desa of it, read off the pages."""
    page = pages["sumbar"]
    page.goto(f"/wilayah/{KAB}")
    kec = page.locator("#children tbody tr").first.get_attribute("data-code")
    page.goto(f"/wilayah/{kec}")
    desa = page.locator("#children tbody tr").first.get_attribute("data-code")
    assert kec and desa and desa.startswith(kec + ".")
    return {"kec": kec, "desa": desa}


#: (name, user, path); {kec} and {desa} filled from ``codes``.
PAGES = [
    ("login", "anonymous", "/login"),
    ("wilayah-provinsi", "sumbar", "/wilayah/13"),
    ("wilayah-kabkota", "sumbar", f"/wilayah/{KAB}"),
    ("wilayah-kecamatan", "sumbar", "/wilayah/{kec}"),
    ("wilayah-desa", "sumbar", "/wilayah/{desa}"),
    ("peta", "sumbar", f"/peta/{KAB}"),
    ("daftar-desa", "sumbar", "/daftar/{desa}"),
    ("daftar-kecamatan", "sumbar", "/daftar/{kec}"),
    ("kualitas", "sumbar", "/kualitas/13"),
    ("impor", "sumbar", "/impor"),
    ("hari-h", "sumbar", "/hari-h/13"),
    ("rencana", "sumbar", "/rencana"),
    ("loket", "loket1", "/loket"),
    ("loket-rekonsiliasi", "loket1", "/loket/rekonsiliasi"),
    ("loket-layar", "loket1", "/loket/layar"),
    ("tindak-lanjut", "sumbar", "/tindak-lanjut"),
    ("loket-blanko", "loket1", "/loket/blanko"),
    ("galat-404", "sumbar", "/wilayah/13.99"),
    ("docs", "sumbar", "/docs"),
]


@pytest.mark.parametrize(("name", "user", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_has_no_serious_accessibility_violation_and_fits_a_phone(
    pages: dict[str, Any], codes: dict[str, str], name: str, user: str, path: str
) -> None:
    page = pages[user]
    page.set_viewport_size(DESKTOP)
    response = page.goto(path.format(**codes))
    assert response is not None
    assert response.status == (404 if name.startswith("galat") else 200), (path, response.status)
    page.wait_for_load_state("networkidle")
    if name == "docs":
        page.wait_for_selector("#swagger-ui .opblock")
    if name == "login":
        assert page.locator("#username").is_visible()  # not sent elsewhere
    found = serious_violations(page)
    assert not found, report(found)
    page.set_viewport_size(PHONE)
    page.wait_for_function("window.innerWidth === 390")
    seen = widths(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"page-{name}-390.png"), full_page=True)
    assert seen["page"] <= seen["view"] == 390, seen
    found = serious_violations(page)  # the phone layout too
    assert not found, report(found)
