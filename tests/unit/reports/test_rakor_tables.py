"""The rakor report's tables and renderers on a hand-made report (no register): what the
ranking and the progress rows gain later (issue #15's other parts) is shown, numbers stay
numbers in the workbook, and the PDF's HTML words a missing ops database and plan."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from rekam.reports.rakor import KabPage, PlanCheck, RakorReport, kab_table, ranking_table, summary_table


def _figures(code: str, wajib: int, sudah: int, gap: int) -> dict[str, object]:
    return {
        "region_code": code,
        "region_name": f"Kab {code}",
        "wajib": wajib,
        "sudah_rekam": sudah,
        "coverage_pct": round(100 * sudah / wajib, 2),
        "target_gap": gap,
        "pemula": 10,
        "pemula_belum_rekam": 4,
        "belum_cetak": 3,
        "menunggu_pusat": 2,
        "risiko_nonaktif": 1,
        "nonaktif": 0,
    }


def _report(services: dict[str, int] | None) -> RakorReport:
    pages = [
        KabPage(
            code="13.01",
            name="Kab 13.01",
            figures=_figures("13.01", 1000, 990, 4),
            progress={"since": "2024-10-01", "change_pp": 0.5, "gap_closed": 7, "projected_date": "2024-12-02"},
            trend=[("0001", date(2024, 10, 1), 1000, 98.5), ("0002", date(2024, 11, 13), 1000, 99.0)],
            quality={"rekam_sebelum_16": 2, "desa_flagged": 0},
            services=services,
            plans=[PlanCheck("rencana-a", date(2024, 10, 7), date(2024, 10, 9), 3, 12.5, 2, 9)],
        ),
        KabPage(
            code="13.71",
            name="Kab 13.71",
            figures=_figures("13.71", 500, 500, 0),
            progress={"since": "2024-10-01", "change_pp": None, "no_progress_reason": "tidak ada data awal"},
            trend=[],
            quality={"rekam_sebelum_16": 0, "desa_flagged": 1},
            services=None if services is None else {},
        ),
    ]
    ranking = [
        {
            "rank": 1,
            "region_code": "13.71",
            "region_name": "Kab 13.71",
            "score": 99.5,
            "coverage_pct": 100.0,
            "difficulty": 0.3,
        },
        {
            "rank": 2,
            "region_code": "13.01",
            "region_name": "Kab 13.01",
            "score": 97.25,
            "coverage_pct": 99.0,
            "difficulty": 0.7,
        },
    ]
    return RakorReport(
        province_code="13",
        province_name="Sumatera Barat",
        as_of=date(2024, 11, 13),
        since=date(2024, 10, 1),
        deadline=date(2024, 11, 27),
        election_date=None,
        snapshot="0002",
        snapshot_date=date(2024, 11, 13),
        generated_at=datetime(2024, 11, 14, 8, 0),
        target=99.4,
        province=_figures("13", 1500, 1490, 2),
        province_progress={"change_pp": 0.33, "needed_per_working_day": 1},
        ranking=ranking,
        formula={"id": "skor = ...", "en": "score = ..."},
        tie_margin=0.5,
        pages=pages,
        ops_database=services is not None,
        quality_keys=("rekam_sebelum_16", "desa_flagged"),
    )


def test_the_ranking_table_has_every_component_the_tie_mark_and_the_adjusted_view() -> None:
    report = _report(None)
    report.ranking[0].update(tied=True, weights_rescaled=True)
    table = ranking_table(report, "id")
    keys = [c.key for c in table.columns]
    assert keys[:5] == ["rank", "tie", "region_code", "region_name", "score"]
    for component in ("coverage_pct", "pemula_pct", "progress", "printing_pct"):
        assert keys.index(component) < keys.index("difficulty")  # the adjusted view beside, after
    assert keys[-3:] == ["difficulty", "adjusted_score", "adjusted_rank"]
    row = dict(zip(keys, table.rows[0], strict=True))
    assert (row["rank"], row["tie"], row["difficulty"]) == (1, "=*", 0.3)
    assert [c.label for c in table.columns][1] == "Seri"


def test_progress_figures_shown_are_those_the_rows_carry() -> None:
    table = kab_table(_report({"perekaman": 3}), "id")
    keys = [c.key for c in table.columns]
    assert "gap_closed" in keys and "no_progress_reason" in keys and "needed_per_working_day" not in keys
    row = dict(zip(keys, table.rows[0], strict=True))
    assert row["projected_date"] == date(2024, 12, 2) and row["pemula_pct"] == 60.0
    assert row["services_total"] == 3 and row["plan_people"] == 12.5 and row["plan_recorded"] == 9
    summary = summary_table(_report(None), "en")
    shown = {r[0]: r[1] for r in summary.rows}
    assert shown["Needed per working day"] == 1 and shown["Coverage change (points)"] == 0.33


def test_the_workbook_keeps_numbers_with_formats(tmp_path: Path) -> None:
    import openpyxl

    from rekam.reports.rakor_xlsx import write_xlsx

    out = tmp_path / "r.xlsx"
    write_xlsx(_report({"perekaman": 3}), out, "id")
    book = openpyxl.load_workbook(out)
    ws = book["Kab-Kota"]
    header = [c.value for c in ws[1]]
    first = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert first["Wajib KTP-el"].value == 1000 and first["Wajib KTP-el"].number_format == "#,##0"
    assert first["Cakupan"].value == 99.0 and first["Cakupan"].number_format == '0.00" %"'
    assert first["Proyeksi tanggal target"].value == datetime(2024, 12, 2)
    assert book["Peringkat"]["A2"].value == "Skor yang selisihnya tidak lebih dari 0,5 poin berbagi peringkat."
    assert book["Tren"].max_row == 3  # two snapshots of 13.01, none of 13.71


@pytest.mark.parametrize(
    ("services", "said"), [(None, "Tidak ada basis data layanan (ops)"), ({}, "Tidak ada layanan selesai")]
)
def test_the_pdf_page_says_what_is_missing(services: dict[str, int] | None, said: str) -> None:
    from rekam.reports.rakor_pdf import html

    page = html(_report(services), "id")
    assert said in page
    assert "Tidak ada rencana jemput bola tersimpan" in page  # 13.71 has no plan
    assert "rencana-a" in page and "07-10-2024 – 09-10-2024" in page
    assert "99,00 %" in page and "+0,50" in page  # numbers as the reader reads them
