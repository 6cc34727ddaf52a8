"""The province's ranking on a phone (issue 15): at 390 px wide the page never scrolls
sideways; the ranking table, with all its columns, scrolls inside its own box. Real Chromium
against a real ``rekam serve`` (the fixtures of test_browser.py)."""

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
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]

PHONE = {"width": 390, "height": 844}


def test_the_ranking_is_readable_at_390_px(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(base_url=server, viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, "sumbar", "/wilayah/13")
        assert page.url.endswith("/wilayah/13")
        table = page.locator("#ranking")
        assert table.locator("tbody tr").count() == 19
        assert table.locator("thead th").count() == 15  # rank, name, score, 4 components, ... IKD %, ... adjusted rank
        page.locator("#ranking").scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "peringkat-390px.png"))
        widths = page.evaluate(
            """() => {
              const box = document.querySelector('#ranking').parentElement;
              return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                      box: box.clientWidth, table: box.scrollWidth, overflow: getComputedStyle(box).overflowX,
                      wider: [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                        .filter(e => !e.closest('.scroll')).map(e => e.tagName + '#' + e.id + '.' + e.className)};
            }"""
        )
        assert widths["page"] <= widths["view"] == 390, widths  # no sideways scroll of the page
        assert widths["table"] > widths["box"] and widths["overflow"] == "auto", widths  # the table scrolls
        assert page.locator("#rank-formula").is_visible() and page.locator("#rank-ties").is_visible()
        box = page.locator("#rank-formula").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # the formula wraps on screen
    finally:
        context.close()
