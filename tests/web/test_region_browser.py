"""The region pages and the map on a laptop and on a phone (issue 16): at 1366x768 and 390x844
the page never scrolls sideways (``scrollWidth <= innerWidth``): the wide tables scroll inside
their own box, the map scales to the width and its table scrolls in its own box. Real Chromium
against a real ``rekam serve`` (the fixtures of test_browser.py); every page is screenshot into
``test-artifacts/screenshots/``."""

from __future__ import annotations

import pytest
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    CHROMIUM,
    SHOTS,
    log_in,
    server,
    server_home,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]

SIZES = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
PAGES = {
    "wilayah-13": "/wilayah/13",
    "wilayah-13.71": "/wilayah/13.71",
    "peta-13": "/peta/13",
    "peta-13.71": "/peta/13.71",
}


@pytest.mark.parametrize("size", SIZES)
def test_region_and_map_pages_never_scroll_sideways(browser, server: str, size: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    viewport = SIZES[size]
    context = browser.new_context(base_url=server, viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        log_in(page, "sumbar", "/wilayah/13")
        for name, path in PAGES.items():
            page.goto(path)
            widths = page.evaluate(
                """() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
                          wider: [...document.querySelectorAll('body *')]
                            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                            .filter(e => !e.closest('.scroll')).map(e => e.tagName + '#' + e.id + '.' + e.className)})"""
            )
            assert widths["page"] <= widths["view"] == viewport["width"], (path, widths)
            page.screenshot(path=str(SHOTS / f"{name}-{size}px.png"), full_page=size == "390")
            if path.startswith("/peta/"):
                svg = page.locator("#map").bounding_box()
                assert svg and svg["width"] <= viewport["width"] and svg["height"] > 100  # scaled, not squashed
                box = page.evaluate(
                    "() => { const b = document.querySelector('#map-table').parentElement;"
                    " return [getComputedStyle(b).overflowY, b.scrollHeight > b.clientHeight]; }"
                )
                assert box[0] == "auto"  # the table scrolls in its own box
            else:
                assert page.locator("#children .help").count() >= 6
        page.goto("/wilayah/13.71")
        assert page.locator("#own-rank").is_visible()
        assert page.locator("#own-rank a").get_attribute("href") == "/wilayah/13#ranking"
    finally:
        context.close()
