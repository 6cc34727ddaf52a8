"""The dashboard in a real browser (issue #7, "Must show"): headless Chromium driven by
Playwright against a real ``rekam serve`` process on the demo register.

Log in through the form; drill from the province to a desa by clicking links; the figures on
the page equal ``rekam coverage``'s (the page shows 99,40 % and 1.234: the values are
compared); the map has its points; the Excel list downloads, has rows and masked NIKs; a user
of one kab/kota gets the 403 page for another's pages. Every page visited is screenshot at
1366x768 into ``test-artifacts/screenshots/<page>.png`` at the repo root.

The system Chromium (Debian's ``chromium``, ``scripts/ensure-services.sh``) is used; no
browser is ever downloaded. Without it the module is skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import PASSWORD
from tests.web.server import Server

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}
ELECTION = "2024-11-27"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


# ---- the server and the browser ------------------------------------------------------------


@pytest.fixture(scope="module")
def server_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the web home for the server process alone (its ops database, audit log)."""
    home = tmp_path_factory.mktemp("browser-home") / "home"
    shutil.copytree(web_home, home)
    return home


@pytest.fixture(scope="module")
def server(server_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``rekam serve --port PORT`` as a process; its base URL once it answers."""
    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL", "REKAM_LANG")}
    env.update(REKAM_HOME=str(server_home), REKAM_ELECTION_DATE=ELECTION)
    proc = Server(env, tmp_path_factory.mktemp("serve-log") / "serve.log", deadline_s=60, ready_path="/login")
    proc.start()
    try:
        yield proc.url
    finally:
        proc.stop()


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, viewport=VIEWPORT, accept_downloads=True, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The visible page (1366x768) as ``test-artifacts/screenshots/NAME.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def log_in(page, username: str, next_path: str = "/") -> None:  # type: ignore[no-untyped-def]
    """Through the form, as a person would."""
    page.goto(f"/login?next={next_path}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")


# ---- reading Indonesian numbers back ---------------------------------------------------------


def id_number(text: str) -> int:
    """'1.234' -> 1234 (Indonesian thousands separator)."""
    digits = text.strip().split()[0]
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", digits), text
    return int(digits.replace(".", ""))


def id_percent(text: str) -> float:
    """'99,40 %' -> 99.4."""
    m = re.fullmatch(r"(\d+),(\d{2}) %", text.strip())
    assert m, text
    return float(f"{m.group(1)}.{m.group(2)}")


def children_table(page) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """The children table: code -> the cells' text by column."""
    rows = page.eval_on_selector_all(
        "#children tbody tr",
        "trs => trs.map(tr => [tr.dataset.code, [...tr.cells].map(c => c.innerText)])",
    )
    out = {}
    for code, cells in rows:
        out[code] = {
            "name": cells[1],
            "wajib": cells[2],
            "sudah_rekam": cells[3],
            "coverage_pct": cells[4],
            "target_gap": cells[6],
        }
    return out


def card(page, figure: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A card's data-value and its shown text."""
    el = page.locator(f'.cards [data-figure="{figure}"]')
    return el.get_attribute("data-value") or "", el.inner_text()


# ---- the tests -------------------------------------------------------------------------------


def test_login_form_refuses_a_wrong_password_then_lets_in(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/wilayah/13")
    assert "/login" in page.url  # no cookie: sent to the form
    shot(page, "login")
    page.fill("#username", "sumbar")
    page.fill("#password", "bukan-sandinya")
    page.click("form.login button[type=submit]")
    assert page.locator(".error[role=alert]").is_visible()
    shot(page, "login-error")
    page.fill("#username", "sumbar")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")
    assert page.url.endswith("/wilayah/13")
    assert "sumbar" in page.locator("header .who").inner_text()


def test_drill_down_to_a_desa_with_the_cli_figures(page, server_home: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REKAM_HOME", str(server_home))
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--region", "13", "--format", "json")
    assert run.code == 0, run.err
    expected = {r["region_code"]: r for r in json.loads(run.out)}
    prov = cli("coverage", "--as-of", "2024-11-13", "--level", "prov", "--region", "13", "--format", "json")
    (prov_row,) = json.loads(prov.out)

    log_in(page, "sumbar", "/wilayah/13")
    assert page.url.endswith("/wilayah/13")
    shot(page, "wilayah-provinsi")
    # The province's cards: the value attribute and the Indonesian text both equal the CLI's.
    value, shown = card(page, "wajib")
    assert int(value) == prov_row["wajib"] == id_number(shown)
    value, shown = card(page, "coverage_pct")
    assert float(value) == prov_row["coverage_pct"] == id_percent(shown)
    assert "," in shown and shown.endswith(" %")
    # Every kab/kota row of the table, read back from its formatted cells.
    table = children_table(page)
    assert table.keys() == expected.keys() and len(table) == 19
    for code, cells in table.items():
        row = expected[code]
        assert id_number(cells["wajib"]) == row["wajib"], code
        assert id_number(cells["sudah_rekam"]) == row["sudah_rekam"], code
        assert id_percent(cells["coverage_pct"]) == row["coverage_pct"], code
        assert id_number(cells["target_gap"]) == row["target_gap"], code
    assert page.locator("#ranking tbody tr").count() == 19  # the rakor ranking with its formula

    # Province -> Kota Padang -> a kecamatan -> a desa, by clicking.
    with page.expect_navigation():
        page.click('#children tr[data-code="13.71"] a')
    assert page.url.endswith("/wilayah/13.71")
    assert int(card(page, "wajib")[0]) == expected["13.71"]["wajib"]
    assert id_percent(card(page, "coverage_pct")[1]) == expected["13.71"]["coverage_pct"]
    shot(page, "wilayah-kabkota")
    kec = page.locator("#children tbody tr").first.get_attribute("data-code")
    with page.expect_navigation():
        page.click(f'#children tr[data-code="{kec}"] a')
    assert page.url.endswith(f"/wilayah/{kec}")
    # Indonesia › Sumatera Barat › Kota Padang › Padang Selatan: the country is not a link for a province user
    assert page.locator(".crumbs a").all_inner_texts() == ["Sumatera Barat", "Kota Padang"]
    shot(page, "wilayah-kecamatan")
    # The desa with the most people still to record (so its list is not empty).
    rows = children_table(page)
    desa = max(rows, key=lambda c: id_number(rows[c]["wajib"]) - id_number(rows[c]["sudah_rekam"]))
    with page.expect_navigation():
        page.click(f'#children tr[data-code="{desa}"] a')
    assert page.url.endswith(f"/wilayah/{desa}")
    assert page.locator("#children").count() == 0  # the bottom of the tree
    assert int(card(page, "wajib")[0]) == id_number(rows[desa]["wajib"])
    shot(page, "wilayah-desa")


def test_map_of_a_kota_has_its_desa_points(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "padang", "/wilayah/13.71")
    with page.expect_navigation():
        page.click(".buttons a[href='/peta/13.71']")
    assert page.url.endswith("/peta/13.71")
    shot(page, "peta-kabkota")
    svg = page.locator("svg#map")
    assert svg.is_visible()
    circles = svg.locator("circle[data-code]")  # the desa (the size legend has its own circles)
    assert circles.count() > 10
    box = svg.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    codes = circles.evaluate_all("cs => cs.map(c => c.dataset.code)")
    assert all(c.startswith("13.71.") for c in codes)
    assert page.locator("#map-legend .swatch").count() == 4


def test_desa_list_downloads_as_excel_with_masked_nik(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    log_in(page, "padang", "/wilayah/13.71")
    kec = page.locator("#children tbody tr").first.get_attribute("data-code")
    page.goto(f"/wilayah/{kec}")
    rows = children_table(page)
    desa = max(rows, key=lambda c: id_number(rows[c]["wajib"]) - id_number(rows[c]["sudah_rekam"]))
    page.goto(f"/wilayah/{desa}")
    with page.expect_navigation():
        page.click(f".buttons a[href='/daftar/{desa}']")
    shown = int(page.locator("#count").inner_text())
    assert shown > 0 and page.locator("#people tbody tr").count() == shown
    niks = page.locator("#people tbody tr td:nth-child(2)").all_inner_texts()
    assert all(re.fullmatch(r"\d{6}\*{10}", n) for n in niks)
    shot(page, "daftar-desa")

    with page.expect_download() as info:
        page.click("#unduh-xlsx")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path, read_only=True)
    assert "Ringkasan" in book.sheetnames
    desa_sheets = [n for n in book.sheetnames if n not in ("Ringkasan", "_rekam")]
    assert len(desa_sheets) == 1
    cells = list(book[desa_sheets[0]].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(cells) if r and r[0] == "No" and r[1] == "NIK")
    people = [r for r in cells[header + 1 :] if r and r[1]]
    assert len(people) == shown
    assert all(re.fullmatch(r"\d{6}\*{10}", str(r[1])) for r in people)
    book.close()


def test_quality_import_and_plan_pages_render(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "sumbar", "/kualitas/13")
    assert page.locator("#quality tbody tr").count() == 19
    shot(page, "kualitas")
    page.goto("/impor")
    assert page.locator("#snapshots tbody tr").count() >= 1
    shot(page, "impor")
    page.goto("/rencana")
    assert page.locator("main h1").is_visible()
    shot(page, "rencana")
    page.goto("/wilayah/13?lang=en")
    assert "Coverage" in page.locator(".cards").first.inner_text()
    assert re.fullmatch(r"\d+\.\d{2} %", card(page, "coverage_pct")[1])  # 99.40 % in English
    shot(page, "wilayah-provinsi-en")


def test_a_kota_user_cannot_open_another_kabs_pages(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "padang")
    assert page.url.endswith("/wilayah/13.71")  # lands on their own kota
    for path in (
        "/wilayah/13.06",
        "/wilayah/13.06.01",
        "/peta/13.06",
        "/kualitas/13.06",
        "/daftar/13.06.01.2001",
        "/unduh/13.06.01.2001?format=xlsx",
        "/wilayah/13",
        "/wilayah",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 403, (path, response and response.status)
        assert page.locator(".error[role=alert]").is_visible(), path
        if path == "/wilayah/13.06":
            shot(page, "403-kab-lain")
    # The API behind the pages (the same cookie) refuses too.
    for path in (
        "/api/v1/regions/13.06",
        "/api/v1/coverage?level=kec&region=13.06",
        "/api/v1/map/13.06",
        "/api/v1/lists/belum-rekam/13.06.01.2001",
        "/api/v1/quality?region=13.06",
    ):
        r = page.request.get(path)
        assert r.status == 403 and "detail" in r.json(), path
    # Their own kota still opens, and its breadcrumbs link only to what they may open.
    assert page.goto("/wilayah/13.71.01").status == 200  # type: ignore[union-attr]
    assert page.locator(".crumbs a").all_inner_texts() == ["Kota Padang"]


# ---- the counter and election day (issue #8) ---------------------------------------------------


def _niks(home: Path, status: str) -> list[str]:
    from rekam.analytics.engines import DuckDBEngine
    from rekam.register.store import Store

    store = Store(home)
    with DuckDBEngine(store, store.require_current()) as eng:
        return [
            r[0]
            for r in eng.run(
                f"SELECT nik FROM register WHERE ktp_status = '{status}' "
                "AND desa_code LIKE '13.71.%' ORDER BY nik LIMIT 3"
            )
        ]


def _totals(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return (
        int(page.get_attribute("#total-rekam", "data-value")),
        int(page.get_attribute("#total-cetak", "data-value")),
    )


def test_the_counter_logs_a_recording_and_a_print_and_election_day_follows(
    page,
    browser,
    server: str,
    server_home: Path,  # type: ignore[no-untyped-def]
) -> None:
    """An operator finds a resident and logs a perekaman, finds one whose card is ready and
    logs the print: the blanko count drops by one, and the election-day page of the Dinas
    counts both."""
    token = httpx.post(f"{server}/api/v1/auth/token", data={"username": "padang", "password": PASSWORD}).json()
    received = httpx.post(
        f"{server}/api/v1/blanko",
        headers={"Authorization": f"Bearer {token['access_token']}"},
        json={"service_point": "SP-PDG", "kind": "received", "quantity": 5, "idempotency_key": "browser-terima"},
    )
    assert received.status_code in (200, 201), received.text
    unrecorded, ready = _niks(server_home, "UNREGISTERED")[0], _niks(server_home, "PRINT_READY_RECORD")[0]

    dinas = browser.new_context(base_url=server, viewport=VIEWPORT, locale="id-ID").new_page()
    log_in(dinas, "padang", "/hari-h/13.71")
    assert dinas.get_attribute("#live", "hx-trigger") == "every 15s"
    before = _totals(dinas)

    log_in(page, "loket1", "/loket")
    page.wait_for_selector("#blanko-left")
    left = int(page.get_attribute("#blanko-left", "data-value"))
    page.fill("#nik", unrecorded)
    page.click("#cari-btn")
    page.click(".svc-perekaman")
    page.wait_for_selector("#logged")
    # Recorded now: the status in words; the IKD and the surat keterangan are offered (not a print).
    assert page.inner_text(f'.resident[data-nik="{unrecorded}"] .status') == "menunggu pusat"
    assert page.locator(f'.resident[data-nik="{unrecorded}"] .services button').all_inner_texts() == [
        "Aktivasi IKD",
        "Surat keterangan",
    ]
    shot(page, "loket-perekaman")

    page.fill("#nik", ready)
    page.click("#cari-btn")
    page.wait_for_selector(f'.resident[data-nik="{ready}"] .svc-pencetakan')
    page.click(f'.resident[data-nik="{ready}"] .svc-pencetakan')
    page.wait_for_selector(f'.resident[data-nik="{ready}"] #logged')
    assert page.inner_text(f'.resident[data-nik="{ready}"] .status') == "sudah cetak"
    page.wait_for_function(f"document.querySelector('#blanko-left').dataset.value == '{left - 1}'")
    assert page.inner_text("#blanko-left").strip() == str(left - 1)
    shot(page, "loket-cetak")

    dinas.reload()
    assert _totals(dinas) == (before[0] + 1, before[1] + 1)
    shot(dinas, "hari-h")
    dinas.context.close()


def test_pages_and_docs_satisfy_the_content_security_policy_and_logout_ends_the_session(page) -> None:  # type: ignore[no-untyped-def]
    """Issue 13 (security): the CSP allows no inline script or style; a page that needed one
    would log a violation here. /docs is Swagger UI from rekam's own static files."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, "sumbar", "/wilayah/13.71")
    for path in ("/wilayah/13.71", "/peta/13.71", "/kualitas/13", "/impor", "/hari-h/13", "/loket", "/docs"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert page.locator("#swagger-ui .info .title").is_visible()  # Swagger UI started
    assert page.locator(".opblock").count() > 10
    assert violations == []
    page.goto("/wilayah/13.71")
    bar = page.locator("svg.bar rect").nth(1)
    assert float(bar.get_attribute("width") or 0) > 0  # the coverage bars drawn without inline styles
    with page.expect_navigation():
        page.click("header form[action='/logout'] button")
    assert "/login" in page.url
    page.goto("/wilayah/13.71")
    assert "/login" in page.url


def test_the_trend_chart_fits_a_phone_and_breaks_no_csp_rule(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: the region page's trend chart is inline SVG scaled to the column: at 390 px the
    page does not scroll sideways (nor because of its tables), the chart's words are text, and the CSP (no inline style)
    logs no violation; the numbers stay one click away (<details>)."""
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        log_in(page, "sumbar", "/wilayah/13")
        page.goto("/wilayah/13")
        chart = page.locator("#trend-chart svg.chart")
        box = chart.bounding_box()
        assert box is not None and 200 < box["width"] <= 390 and box["height"] > 80
        assert "Tanggal ekspor snapshot" in (chart.text_content() or "")
        figure_right = page.eval_on_selector("#trend-chart", "el => el.getBoundingClientRect().right")
        assert figure_right <= 390
        # Nor does the page (its wide tables scroll within themselves on a phone).
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not page.locator("#trend").is_visible()  # folded in <details>
        page.click("details.numbers summary")
        assert page.locator("#trend").is_visible()
        assert violations == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "region-13-phone.png"), full_page=True)
    finally:
        context.close()
