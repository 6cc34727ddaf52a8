"""The rakor report from the province page, and the trend chart on the region page (issue #15):
who may download it (the province's admin, admin-pusat), the audit, the file's name, the chart
inlined as SVG under the CSP with its numbers kept in <details>."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import login


def test_the_province_page_has_the_trend_chart_and_the_rakor_links(client: TestClient) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13").text
    svg = re.search(r'<figure class="chart" id="trend-chart">(.*?)</figure>', page, re.S)
    assert svg is not None
    chart = svg.group(1)
    assert chart.startswith("<svg") and 'class="chart"' in chart and 'role="img"' in chart
    assert "Tanggal ekspor snapshot" in chart and "Target 99,40 %" in chart and "Tenggat 27 Nov 2024" in chart
    assert "style=" not in chart and "<style" not in chart  # the CSP allows no inline style
    # The numbers stay reachable: the trend table inside <details>.
    details = page.split('<details class="numbers">', 1)[1].split("</details>", 1)[0]
    assert '<table id="trend">' in details
    assert 'href="/rakor/13?format=pdf&amp;as_of=2024-11-13"' in page and "Unduh laporan rakor (PDF)" in page
    assert 'href="/rakor/13?format=xlsx&amp;as_of=2024-11-13"' in page
    english = client.get("/wilayah/13?lang=en").text
    assert "Snapshot export date" in english and "Download the rakor report (PDF)" in english


def test_a_kab_page_has_the_chart_but_no_rakor_link(client: TestClient) -> None:
    login(client, "padang")
    page = client.get("/wilayah/13.71").text
    assert 'id="trend-chart"' in page and "/rakor/" not in page


@pytest.mark.slow
def test_the_province_admin_downloads_the_pdf_and_it_is_audited(client: TestClient, web_home: Path) -> None:
    from pypdf import PdfReader

    from rekam import audit

    login(client, "sumbar")
    r = client.get("/rakor/13", params={"format": "pdf"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="rakor-13-2024-11-13.pdf"'
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Peringkat kab/kota" in text and "Rumus skor" in text and "Kota Padang (13.71)" in text
    entry = audit.entries(web_home)[-1]
    assert entry["action"] == "rakor" and entry["user"] == "sumbar" and entry["region"] == "13"
    assert entry["format"] == "pdf" and entry["source"] == "web"


@pytest.mark.slow
def test_the_workbook_in_english(client: TestClient) -> None:
    import openpyxl

    login(client, "sumbar")
    r = client.get("/rakor/13", params={"format": "xlsx", "lang": "en"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="rakor-13-2024-11-13.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames == ["Summary", "Ranking", "Kab-Kota", "Trend"]


def test_a_dinas_or_another_province_is_refused(client: TestClient) -> None:
    for user in ("padang", "riau"):
        client.cookies.clear()
        login(client, user)
        r = client.get("/rakor/13", params={"format": "pdf"})
        assert r.status_code == 403, user
        assert r.headers["content-type"].startswith("text/html") and "%PDF" not in r.text


def test_a_bad_format_or_a_kab_code_is_a_clear_400(client: TestClient) -> None:
    login(client, "sumbar")
    bad = client.get("/rakor/13", params={"format": "docx"})
    assert bad.status_code == 400 and "docx" in bad.text
    kab = client.get("/rakor/13.71", params={"format": "pdf"})
    assert kab.status_code == 400 and "bukan kode provinsi" in kab.text
