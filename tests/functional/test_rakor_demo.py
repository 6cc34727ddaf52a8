"""The rakor report for the demo province at scale 0.1 with three snapshots (issue #15, "Must
show"): `rekam demo generate --scale 0.1 --history` and three `rekam import`s, then `rekam rakor`
as a PDF read back with pypdf and a workbook read with openpyxl. About two minutes on 2 cores:
the smaller, faster checks of every part are in test_rakor.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HISTORY = ("2024-10-02", "2024-10-23")
ARGS = ("--as-of", "2024-11-13", "--since", "2024-10-02", "--deadline", "2024-11-27", "--election-date", "2024-11-27")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import os

    from typer.testing import CliRunner

    from rekam.cli import app

    root = tmp_path_factory.mktemp("rakor-demo")
    old = os.environ.get("REKAM_HOME")
    os.environ["REKAM_HOME"] = str(root / "home")
    try:
        runner = CliRunner()

        def run(*args: object) -> None:
            result = runner.invoke(app, [str(a) for a in args])
            assert result.exit_code == 0, result.output

        data = root / "demo"
        run("demo", "generate", "--out", data, "--scale", "0.1", "--history", ",".join(HISTORY))
        for day in HISTORY:
            run("import", *sorted((data / "history" / day / "siak").glob("*.csv")), "--date", day)
        run("import", *sorted((data / "siak").glob("*.csv")), "--date", "2024-11-13")
        out = {"pdf": root / "rakor.pdf", "xlsx": root / "rakor.xlsx"}
        for path in out.values():
            run("rakor", *ARGS, "--out", path)
        return out
    finally:
        if old is None:
            os.environ.pop("REKAM_HOME", None)
        else:
            os.environ["REKAM_HOME"] = old


def test_the_demo_province_report_at_scale_0_1(reports: dict[str, Path]) -> None:
    import openpyxl
    from pypdf import PdfReader

    from rekam.analytics.rank import formula

    reader = PdfReader(reports["pdf"])
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages]
    ranking = next(p for p in pages if "Peringkat kab/kota" in p and "Rumus skor" in p)
    assert re.sub(r"\s+", " ", formula("id")) in ranking and "0,50 poin" in ranking
    codes = re.findall(r"\b13\.\d\d\b", ranking)
    assert len(set(codes)) == 19  # every kab/kota ranked
    own = [p for p in pages if re.search(r"\(13\.\d\d\) Periode 02-10-2024", p)]
    assert len(own) == 19  # a page per kab/kota
    # Charts: the coverage chart and a trend chart per kab/kota, drawn as vectors (XObjects) whose
    # words stay text: the axis label, the target line and the deadline.
    forms = [
        x
        for page in reader.pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
        if x.get_object().get("/Subtype") == "/Form"
    ]
    assert len(forms) >= 20
    assert "sumbu mulai" in next(p for p in pages if "per kab/kota terhadap target" in p)
    assert all("Target 99,40 %" in p and "Tenggat 27 Nov 2024" in p and "Tanggal ekspor" in p for p in own)
    # Three snapshots: the trend of each kab/kota has three points, so a projection is drawn where
    # the gap shrinks.
    assert sum("Proyeksi pada laju ini" in p for p in own) >= 10
    assert not re.search(r"\d{16}", "".join(pages).replace(" ", ""))  # no NIK
    book = openpyxl.load_workbook(reports["xlsx"])
    assert {"Ringkasan", "Peringkat", "Kab-Kota", "Tren"} <= set(book.sheetnames)
    trend_rows = list(book["Tren"].iter_rows(min_row=2, values_only=True))
    assert len({r[0] for r in trend_rows if r[0]}) >= 19
    assert len([r for r in book["Peringkat"].iter_rows(min_row=5, values_only=True) if r[0]]) == 19
