"""Issue 17's "Must show", as the people do it, in real Chromium against a real ``rekam serve``
(one server for this module, its own copy of the web home):

- the Dinas of Kota Padang sets a daily print cap of 2 at the Dinas's counter (SP-PDG);
- the counter's operator receives 100 blanko; finds a resident not yet recorded (the NIK
  typed with spaces, Enter) and logs the perekaman, and is not offered a print; finds a
  printable resident and prints, and sees the blanko count fall; prints a second; the third
  print is past the cap: refused, with the surat keterangan offered, which they log; enters a
  physical count and opens the day's reconciliation, which shows the difference and prints
  (rendered for print: one PDF);
- the Dinas's election-day page shows the point by name with its recorded, printed and suket.

Every page is checked at 1366x768 and 390x844 (no sideways scroll) and with axe-core (no
serious or critical violation); screenshots in ``test-artifacts/screenshots/journey-loket-*``.
(A team leader opening tomorrow's day on a phone: tests/web/test_teamday_browser.py.)
"""

from __future__ import annotations

from pathlib import Path
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

SP = "SP-PDG"


def _niks(home: Path, status: str, n: int) -> list[str]:
    from rekam.analytics.engines import DuckDBEngine
    from rekam.register.store import Store

    store = Store(home)
    with DuckDBEngine(store, store.require_current()) as eng:
        rows = eng.run(
            f"SELECT nik FROM register WHERE ktp_status = '{status}' AND desa_code LIKE '13.71.%' "
            f"ORDER BY nik DESC LIMIT {n}"
        )
    return [r[0] for r in rows]


def _context(browser: Any, server: str) -> Any:  # noqa: F811
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def _checked(page: Any, name: str) -> None:
    """The page fits both screens and axe finds nothing serious on either."""
    fits_both(page, f"journey-loket-{name}")
    for size in ({"width": 1366, "height": 768}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        found = serious_violations(page)
        assert found == [], f"{name} {size['width']}:\n{report(found)}"
    page.set_viewport_size(DESKTOP)


def _find(page: Any, nik: str) -> Any:
    """Type the NIK as it is written on a letter (groups of four) and press Enter."""
    page.fill("#nik", " ".join(nik[i : i + 4] for i in range(0, 16, 4)))
    page.press("#nik", "Enter")
    card = page.locator(f'.resident[data-nik="{nik}"]')
    card.wait_for()
    return card


def _offered(card: Any) -> list[str]:
    return [
        c.split("svc-")[-1].split()[0]
        for c in card.locator(".services button").evaluate_all("bs => bs.map(b => b.className)")
    ]


def _left(page: Any) -> int:
    return int(page.get_attribute("#blanko-left", "data-value"))


def test_an_operator_works_a_day_at_the_counter_under_a_cap(browser: Any, server: str, server_home: Path) -> None:  # noqa: F811
    unrecorded = _niks(server_home, "UNREGISTERED", 1)[0]
    printable = _niks(server_home, "PRINT_READY_RECORD", 3)
    assert len(printable) == 3

    # The Dinas sets the point's daily print cap: blanko are rationed.
    dinas = _context(browser, server)
    log_in(dinas, "padang", f"/loket/blanko?sp={SP}")
    dinas.fill("#batas", "2")
    with dinas.expect_navigation():
        dinas.click("#batas-simpan")
    assert dinas.locator("#print-cap").inner_text().strip() == "2"

    # The operator receives 100 blanko.
    page = _context(browser, server)
    log_in(page, "loket1", "/loket")
    before = _left(page)
    with page.expect_navigation():
        page.click("#kelola-blanko")
    page.fill("#terima-jumlah", "100")
    with page.expect_navigation():
        page.click("#terima-simpan")
    assert int(page.locator("#blanko-balance").get_attribute("data-value")) == before + 100
    _checked(page, "blanko")

    # A resident not yet recorded: perekaman, never a print.
    page.goto("/loket")
    _checked(page, "kosong")
    card = _find(page, unrecorded)
    assert card.locator(".status").inner_text() == "belum rekam"
    assert _offered(card) == ["perekaman", "surat_keterangan"]
    # The keyboard is on the first service once htmx has taken over the new card: Enter logs it.
    page.wait_for_function("document.activeElement.className.includes('svc-perekaman')")
    page.keyboard.press("Enter")
    page.locator(f'.resident[data-nik="{unrecorded}"] #logged').wait_for()
    card = page.locator(f'.resident[data-nik="{unrecorded}"]')
    assert card.locator(".status").inner_text() == "menunggu pusat"
    assert _offered(card) == ["surat_keterangan"]  # recorded today: not printable yet
    assert "Perekaman · Selesai" in card.locator(".history-list").inner_text()
    _checked(page, "perekaman")

    # Two printable residents: each print takes a blanko.
    left = _left(page)
    for i, nik in enumerate(printable[:2], start=1):
        card = _find(page, nik)
        assert _offered(card) == ["pencetakan", "surat_keterangan"]
        card.locator(".svc-pencetakan").click()
        page.locator(f'.resident[data-nik="{nik}"] #logged').wait_for()
        page.wait_for_function(f"document.querySelector('#blanko-left').dataset.value == '{left - i}'")
        assert page.locator(f'.resident[data-nik="{nik}"] .status').inner_text() == "sudah cetak"
    _checked(page, "cetak")

    # The third is past the day's cap: refused, the surat keterangan offered and logged.
    card = _find(page, printable[2])
    card.locator(".svc-pencetakan").click()
    refused = page.locator(f'.resident[data-nik="{printable[2]}"] #refused')
    refused.wait_for()
    assert "batas" in refused.inner_text().lower(), refused.inner_text()
    assert _left(page) == left - 2  # nothing taken
    _checked(page, "batas")
    page.click(f'.resident[data-nik="{printable[2]}"] #surat-keterangan')
    page.locator(f'.resident[data-nik="{printable[2]}"] #logged').wait_for()
    assert "Surat keterangan" in page.locator(f'.resident[data-nik="{printable[2]}"] #logged').inner_text()

    # The physical count at the end of the day, one card short; the reconciliation prints.
    page.goto(f"/loket/blanko?sp={SP}")
    book = int(page.locator("#blanko-balance").get_attribute("data-value"))
    page.fill("#hitung-jumlah", str(book - 1))
    with page.expect_navigation():
        page.click("#hitung-simpan")
    with page.expect_navigation():
        page.click("p.buttons a[href^='/loket/rekonsiliasi']")
    assert page.locator("#counts td.difference").first.inner_text().strip() == "-1"
    assert page.locator("#cetak").is_visible()
    _checked(page, "rekonsiliasi")
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible() and page.locator("#cards").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")

    # Election day: the point by name, with what it did.
    dinas.goto("/hari-h/13.71")
    row = dinas.locator(f'#points tr[data-point="{SP}"]')
    assert row.locator("th").inner_text().strip() == "Disdukcapil Kota Padang"
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    recorded, printed, suket = (int(c.replace(".", "")) for c in cells[:3])
    assert recorded >= 1 and printed >= 2 and suket >= 1
    _checked(dinas, "hari-h")
    page.context.close()
    dinas.context.close()
