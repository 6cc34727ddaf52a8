"""The SIAK follow-up export: residents the desks and field teams found not in the register,
moved, dead or abroad (``ops.followup.rows``), as CSV or an Excel workbook for the Dinas's
SIAK operator.

Headers and case kinds in the reader's language (Bahasa Indonesia by default), times at the
place of the report (the service point's time zone; a field report in WIB), as
``27-11-2024 10.32 WIB``. The NIK is masked unless asked for (the SIAK operator needs it whole:
``--unmasked`` / ``utuh``, for the roles allowed and audited by the caller); text neutralised
for spreadsheets, the NIK kept as text (never a number that loses its last digit).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rekam.messages import text_in
from rekam.numbers import local_time
from rekam.ops.followup import reported_time
from rekam.register import gazetteer
from rekam.reports.cells import neutralise, shown_nik
from rekam.xlsx import formats, new_workbook

#: The columns, in order (each header is the message ``follow_up_col_<column>``).
COLUMNS = ("kind", "nik", "source", "service_point", "region", "region_name", "reported_at", "note")


def cells(row: Any, unmasked: bool, lang: str) -> list[str]:
    """One case as the export's cells, in ``COLUMNS`` order."""
    at = reported_time(row)
    values = {
        "kind": text_in(lang, f"follow_up_kind_{row.kind}"),
        "nik": shown_nik(row.nik, unmasked),
        "source": text_in(lang, f"follow_up_source_{row.source}"),
        "service_point": row.service_point_name or row.service_point or "",
        "region": row.region or "",
        "region_name": (gazetteer.name_of(row.region) or "") if row.region else "",
        "reported_at": local_time(at, row.timezone, lang) if at else str(row.reported_at or ""),
        "note": row.note or "",
    }
    return [neutralise(str(values[c])) for c in COLUMNS]


def headers(lang: str) -> list[str]:
    return [text_in(lang, f"follow_up_col_{c}") for c in COLUMNS]


def follow_up_csv(rows: Sequence[Any], unmasked: bool = False, lang: str = "id") -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(lang))
    for r in rows:
        writer.writerow(cells(r, unmasked, lang))
    return out.getvalue()


def follow_up_xlsx(rows: Sequence[Any], out: Path, unmasked: bool = False, lang: str = "id", title: str = "") -> None:
    """The cases as one sheet: a title line, the header, a row per case (every cell text)."""
    book = new_workbook(out)
    title_fmt, head_fmt, text_fmt, _ = formats(book)
    sheet = book.add_worksheet(text_in(lang, "follow_up_sheet")[:31])
    sheet.write(0, 0, title or text_in(lang, "follow_up_sheet"), title_fmt)
    for c, name in enumerate(headers(lang)):
        sheet.write_string(2, c, name, head_fmt)
    for i, r in enumerate(rows, start=3):
        for c, value in enumerate(cells(r, unmasked, lang)):
            sheet.write_string(i, c, value, text_fmt)
    widths = (20, 19, 10, 28, 16, 28, 24, 30)
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)
    sheet.freeze_panes(3, 0)
    if rows:
        sheet.autofilter(2, 0, 2 + len(rows), len(COLUMNS) - 1)
    book.close()
