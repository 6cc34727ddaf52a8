"""Shared by the browser tours of issue 16 (journeys, accessibility, no external host): the
two screen sizes, the "no sideways scroll" check, and axe-core (vendored in tests/support/axe)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "tests" / "support" / "axe" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

#: The elements that stick out of the window and are not inside a box that scrolls itself.
_WIDTHS = """() => ({
  page: document.documentElement.scrollWidth,
  view: window.innerWidth,
  wider: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.closest('.scroll, table, pre, .swagger-ui .opblock-body'))
    .slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className),
})"""


def widths(page: Any) -> dict[str, Any]:
    """The page's scroll width, the window's width and what sticks out."""
    return dict(page.evaluate(_WIDTHS))


def fits_both(page: Any, name: str) -> None:
    """At 1366x768 and at 390x844 the page does not scroll sideways
    (``document.documentElement.scrollWidth <= window.innerWidth``); screenshots of both into
    ``test-artifacts/screenshots/NAME-1366.png`` / ``NAME-390.png`` (the phone's full page).
    Leaves the page at 1366x768."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for size, full in ((DESKTOP, False), (PHONE, True)):
            page.set_viewport_size(size)
            page.wait_for_function(f"window.innerWidth === {size['width']}")
            seen = widths(page)
            assert seen["page"] <= seen["view"] == size["width"], (name, size, seen)
            page.screenshot(path=str(SHOTS / f"{name}-{size['width']}.png"), full_page=full)
    finally:
        page.set_viewport_size(DESKTOP)


_AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of the page as it is now (the context must be
    opened with ``bypass_csp=True``: the page's CSP allows no injected script)."""
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # resize handled
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(_AXE_RUN)
    return [v for v in found if v["impact"] in ("serious", "critical")]


def report(violations: list[dict[str, Any]]) -> str:
    """axe's findings, one line per element."""
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)
