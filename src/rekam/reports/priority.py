"""The blanko priority list as a file (``rekam blanko priority --out``): CSV (UTF-8 with BOM,
';') or an xlsx sheet, with Indonesian headers; the NIK as given (masked unless the caller
asked for it whole), every text cell neutralised (never run as a formula)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rekam.analytics.priority import Printable
from rekam.domain.cells import neutralise
from rekam.register import gazetteer
from rekam.reports.cells import ddmmyyyy
from rekam.xlsx import formats, new_workbook

HEADERS = ("Urutan", "NIK", "Nama", "Kode desa", "Desa", "Tanggal lahir", "Tanggal rekam", "Prioritas")
TIER_WORDS = {"pemula": "pemilih pemula", "rentan": "rentan", "lainnya": "menunggu terlama"}


def cells(p: Printable) -> list[Any]:
    return [
        p.rank,
        p.nik,
        neutralise(p.name),
        p.desa_code,
        neutralise(gazetteer.name_of(p.desa_code)),
        ddmmyyyy(p.birth_date),
        ddmmyyyy(p.recorded_on),
        TIER_WORDS[p.tier],
    ]


def write_csv(rows: Sequence[Printable], out: Path, sep: str = ";") -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow(HEADERS)
        for p in rows:
            w.writerow(cells(p))


def write_xlsx(rows: Sequence[Printable], out: Path, title: str) -> None:
    book = new_workbook(out)
    bold, head, textf, _num = formats(book)
    sheet = book.add_worksheet("Prioritas blanko")
    sheet.write(0, 0, title, bold)
    for col, name in enumerate(HEADERS):
        sheet.write(2, col, name, head)
    for i, p in enumerate(rows, start=3):
        for col, value in enumerate(cells(p)):
            if isinstance(value, int):
                sheet.write_number(i, col, value)
            else:
                sheet.write_string(i, col, value or "", textf)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 19)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, 7, 16)
    book.close()
