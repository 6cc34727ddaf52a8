"""The rakor report as a workbook: the PDF's tables as sheets, numbers kept numbers.

Sheets: Ringkasan (the cover and the province's figures), Peringkat (the ranking, the formula
and the tie margin above it), Kab/Kota (one row per kab/kota: figures, the period, quality
flags, services, plans), Tren (coverage at each snapshot). Sheet names and headers follow the
report's language (English with ``REKAM_LANG=en``). A percentage is stored as its value in
percent (99.4) with the format ``0.00" %"``, a count as an integer with ``#,##0``, a day as a
date; Excel shows them in the reader's own locale. Text cells are written as text, never as
formulas (``xlsx.new_workbook``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rekam import numbers
from rekam.messages import text_in
from rekam.reports.rakor import Kind, RakorReport, Table, kab_table, ranking_table, summary_table, trend_table
from rekam.xlsx import new_workbook

NUM_FORMATS: dict[Kind, str] = {
    "int": "#,##0",
    "pct": '0.00" %"',
    "pp": "+0.00;-0.00;0.00",
    "score": "0.00",
    "num": "#,##0.##",
    "day": "dd-mm-yyyy",
    "text": "@",
}


def sheet_names(lang: str) -> list[str]:
    return [text_in(lang, f"rakor_sheet_{k}") for k in ("summary", "ranking", "kab", "trend")]


def write_xlsx(report: RakorReport, out: Path, lang: str) -> None:
    book = new_workbook(out)
    title = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "bg_color": "#E4E4E4", "border": 1, "text_wrap": True, "valign": "top"})
    cell = {k: book.add_format({"num_format": f, "valign": "top"}) for k, f in NUM_FORMATS.items()}
    names = sheet_names(lang)

    def t(key: str, **params: Any) -> str:
        return text_in(lang, key, **params)

    # Ringkasan: the cover's facts, then the province's figures.
    ws = book.add_worksheet(names[0])
    ws.write_string(0, 0, t("rakor_title", province=report.province_name), title)
    facts: list[tuple[str, Any, Kind]] = [
        (t("rakor_province"), f"{report.province_name} ({report.province_code})", "text"),
        (t("rakor_as_of"), report.as_of, "day"),
        (t("rakor_since"), report.since, "day"),
        (t("rakor_deadline"), report.deadline, "day"),
        (t("rakor_election"), report.election_date, "day"),
        (t("rakor_target"), report.target, "pct"),
        (t("rakor_snapshot"), report.snapshot, "text"),
        (t("rakor_generated"), report.generated_at.strftime("%Y-%m-%d %H:%M"), "text"),
    ]
    for i, (name, value, kind) in enumerate(facts, start=2):
        ws.write_string(i, 0, name)
        _write(ws, i, 1, value, kind, cell)
    _table(ws, len(facts) + 3, summary_table(report, lang), header, cell)
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 22)

    ws = book.add_worksheet(names[1])
    ws.write_string(0, 0, t("rakor_formula") + ": " + (report.formula.get(lang) or report.formula.get("id", "")))
    if report.tie_margin is not None:
        ws.write_string(1, 0, t("rakor_tie_margin", margin=numbers.figure(report.tie_margin, lang)))
    _table(ws, 3, ranking_table(report, lang), header, cell)
    ws.set_column(0, 1, 10)
    ws.set_column(2, 2, 26)
    ws.set_column(3, 40, 13)

    for name, table in ((names[2], kab_table(report, lang)), (names[3], trend_table(report, lang))):
        ws = book.add_worksheet(name)
        _table(ws, 0, table, header, cell)
        ws.set_column(0, 0, 10)
        ws.set_column(1, 1, 26)
        ws.set_column(2, 60, 14)
        ws.freeze_panes(1, 2)
    book.close()


def _table(ws: Any, top: int, table: Table, header: Any, cell: dict[Kind, Any]) -> None:
    """``table`` at row ``top``: its title (when it has a row of its own), headers, rows, filter."""
    for j, c in enumerate(table.columns):
        ws.write_string(top, j, c.label, header)
    for i, row in enumerate(table.rows):
        for j, value in enumerate(row):
            _write(ws, top + 1 + i, j, value, table.kind(i, j), cell)
    if table.rows:
        ws.autofilter(top, 0, top + len(table.rows), len(table.columns) - 1)


def _write(ws: Any, row: int, col: int, value: Any, kind: Kind, cell: dict[Kind, Any]) -> None:
    if value is None:
        ws.write_blank(row, col, None, cell[kind])
    elif isinstance(value, bool):
        ws.write_string(row, col, str(value), cell["text"])
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, cell[kind if kind != "text" else "num"])
    elif isinstance(value, date):
        from datetime import datetime

        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), cell["day"])
    else:
        ws.write_string(row, col, str(value), cell["text"])
