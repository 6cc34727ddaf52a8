"""Two people's journeys through the dashboard (issue 16, "Must show"), in real Chromium against a
real ``rekam serve`` on the demo register (one server for the module; its own copy of the home).

(a) The Kadis of the province's dinas logs in, reads the province's trend chart and the ranking
    with its components, drills down by clicking to a desa, opens its by-name list and downloads it.
(b) The dinas of Kota Padang uploads a partial file of 13.71 on /impor: the import guard refuses
    (REPLACE_MAX_LOSS) and shows the before/after table; cancels; uploads the whole export (with
    two broken rows), reads the quarantine reasons; rolls back to the snapshot before.

Every page visited is checked at 1366x768 and 390x844 (``scrollWidth <= innerWidth``) and
screenshot into ``test-artifacts/screenshots/journey-*.png``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    CHROMIUM,
    log_in,
    server,
    server_home,
)
from tests.web.tour import DESKTOP, fits_both

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


@pytest.fixture
def page(browser: Any, server: str) -> Any:  # noqa: F811
    context = browser.new_context(base_url=server, viewport=DESKTOP, accept_downloads=True, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def _click_to(page: Any, selector: str, path: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    assert page.url.endswith(path), (page.url, path)


def test_a_kadis_reads_the_trend_and_the_ranking_drills_down_and_downloads_a_list(
    page: Any,
    server_home: Path,  # noqa: F811
    cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    log_in(page, "sumbar", "/wilayah/13")
    assert page.url.endswith("/wilayah/13")
    # The trend chart: a drawing of the snapshots against the 99,4 % target, its words as text.
    chart = page.locator("#trend-chart svg.chart")
    assert chart.is_visible()
    words = chart.text_content() or ""
    assert "Tanggal ekspor snapshot" in words and "99,4" in words, words[:300]
    # The ranking: every kab/kota once, ranks from 1, its components as columns, and the formula.
    ranking = page.locator("#ranking")
    assert ranking.locator("tbody tr").count() == 19
    headers = [h.strip() for h in ranking.locator("thead th").all_inner_texts()]
    assert len(headers) >= 7 and any("Cakupan" in h for h in headers), headers
    ranks = [int(r.strip().rstrip("=")) for r in ranking.locator("tbody tr td:first-child").all_inner_texts()]
    assert ranks[0] == 1 and ranks == sorted(ranks) and max(ranks) <= 19
    formula = page.locator("#rank-formula").inner_text()
    assert "skor" in formula.lower() and "cakupan" in formula.lower(), formula
    fits_both(page, "journey-kadis-provinsi")

    # Province -> Kota Padang -> its first kecamatan -> the desa with the most still to record.
    _click_to(page, '#children tr[data-code="13.71"] a', "/wilayah/13.71")
    fits_both(page, "journey-kadis-kabkota")
    kec = page.locator("#children tbody tr").first.get_attribute("data-code")
    assert kec and kec.startswith("13.71.")
    _click_to(page, f'#children tr[data-code="{kec}"] a', f"/wilayah/{kec}")
    fits_both(page, "journey-kadis-kecamatan")
    monkeypatch.setenv("REKAM_HOME", str(server_home))
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "desa", "--region", kec, "--format", "json")
    assert run.code == 0, run.err
    desa_rows = json.loads(run.out)
    desa = max(desa_rows, key=lambda r: r["belum_rekam"])
    assert desa["belum_rekam"] > 0
    code = desa["region_code"]
    _click_to(page, f'#children tr[data-code="{code}"] a', f"/wilayah/{code}")
    assert page.locator("#children").count() == 0  # the bottom of the tree
    fits_both(page, "journey-kadis-desa")

    # The desa's by-name list (masked NIK), then its Excel file with the same people.
    _click_to(page, f".buttons a[href='/daftar/{code}']", f"/daftar/{code}")
    shown = int(page.locator("#count").inner_text())
    assert shown == page.locator("#people tbody tr").count() > 0
    niks = page.locator("#people tbody tr td:nth-child(2)").all_inner_texts()
    assert niks and all(re.fullmatch(r"\d{6}\*{10}", n.strip()) for n in niks), niks[:3]
    fits_both(page, "journey-kadis-daftar")
    with page.expect_download() as info:
        page.click("#unduh-xlsx")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx"
    book = load_workbook(path, read_only=True)
    sheet = next(n for n in book.sheetnames if n not in ("Ringkasan", "_rekam"))
    cells = list(book[sheet].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(cells) if r and r[0] == "No" and r[1] == "NIK")
    people = [r for r in cells[header + 1 :] if r and r[1]]
    assert len(people) == shown and all(re.fullmatch(r"\d{6}\*{10}", str(r[1])) for r in people)
    book.close()


def _current(page: Any) -> str:
    """The id of the current snapshot in the import page's list."""
    row = page.locator("#snapshots tbody tr", has_text="aktif")
    assert row.count() == 1
    return row.locator("td").first.inner_text().strip()


def _upload(page: Any, name: str, body: bytes, day: str) -> None:
    page.set_input_files("input[name=files]", files=[{"name": name, "mimeType": "text/csv", "buffer": body}])
    page.fill("input[name=export_date]", day)
    page.click("form[action='/impor'] button[type=submit]")
    page.wait_for_selector("#job:not([hx-get])", timeout=120_000)  # the job stops polling when done


def test_a_data_operator_is_stopped_by_the_guard_then_imports_and_rolls_back(page: Any, demo_data: Path) -> None:
    export = next((demo_data / "siak").glob("siak_1371_*.csv")).read_bytes()
    lines = export.decode().splitlines()
    partial = ("\n".join(lines[:21]) + "\n").encode()  # the header and 20 people of ~900
    whole = export.rstrip(b"\n") + b"\n123,rusak\n456,rusak\n"  # the whole export with two broken rows

    log_in(page, "padang", "/impor")
    assert page.url.endswith("/impor")
    before = _current(page)
    fits_both(page, "journey-impor")

    # A partial file: refused by the guard, with the before/after table; nothing changed.
    _upload(page, "koreksi_1371.csv", partial, "2024-11-20")
    assert page.locator("#import-error").is_visible()
    assert "13.71" in page.locator("#import-error").inner_text()
    cells = page.locator("#refused-comparison tbody tr.shrinks td").all_inner_texts()
    assert cells[0] == "13.71" and int(cells[2].replace(".", "")) == 20, cells
    rows_before = int(cells[1].replace(".", ""))
    assert rows_before > 20 / 0.9  # it would lose more than REPLACE_MAX_LOSS (10 %)
    assert cells[3].startswith("-") and cells[3].endswith(" %"), cells
    fits_both(page, "journey-impor-ditolak")
    _click_to(page, "#cancel-import", "/impor")
    assert _current(page) == before

    # The whole export: imported; the comparison and the quarantine reasons with their counts.
    _upload(page, "siak_1371_kota_padang.csv", whole, "2024-11-20")
    assert page.locator("#result").is_visible(), page.locator("#job").inner_text()
    comparison = page.locator("#comparison tbody tr").first.locator("td").all_inner_texts()
    assert comparison[0] == "13.71" and int(comparison[1].replace(".", "")) == rows_before
    reasons = dict(
        (r.locator("td").first.inner_text(), int(r.locator("td").nth(1).inner_text().replace(".", "")))
        for r in page.locator("#quarantine-reasons tbody tr").all()
    )
    too_few = [n for reason, n in reasons.items() if "TOO_FEW_FIELDS" in reason]
    assert too_few and too_few[0] >= 2, reasons
    assert any("jumlah kolom kurang" in reason for reason in reasons), reasons
    imported = _current(page)  # the list beside the job is refreshed with the new snapshot
    assert imported != before
    fits_both(page, "journey-impor-hasil")

    # Roll back: the page offers it for one's own import; back to the snapshot before, said so.
    page.goto("/impor")
    page.check("#rollback input[name=yakin]")
    with page.expect_navigation():
        page.click("#rollback button[type=submit]")
    assert f"kembali={before}" in page.url
    assert before in page.locator("#rolled-back").inner_text()
    assert _current(page) == before
    fits_both(page, "journey-impor-kembali")
