"""Reading a returned by-name workbook back: the verification loop.

The workbook's hidden ``_rekam`` sheet names the snapshot, list, region and date it was made
from; the list is made again from that snapshot, and every desa sheet is compared with it
row by row through the hidden row key. Any problem (a value outside the drop-down, an edited
NIK or name, a row added or removed, a workbook from a snapshot rekam does not have) is
collected with its sheet and row, and then nothing is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rekam.analytics.lists import Person
from rekam.domain.nik import shows_part_of
from rekam.reports.by_name import HEADERS, choices_for
from rekam.reports.cells import neutralise
from rekam.verifications import Outcome

_HEADER_ROW = 4  # 1-based: title, subtitle, blank, header
_COL = {name: i for i, name in enumerate(HEADERS)}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    key: str
    params: dict[str, Any]


@dataclass(frozen=True)
class WorkbookInfo:
    snapshot: str
    kind: str
    region: str
    as_of: date
    election_date: date | None


def read_info(path: Path) -> tuple[Any, WorkbookInfo | None]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    if "_rekam" not in book.sheetnames:
        return book, None
    meta = {
        str(r[0].value): "" if r[1].value is None else str(r[1].value) for r in book["_rekam"].iter_rows() if r[0].value
    }
    try:
        election = meta.get("election_date")
        return book, WorkbookInfo(
            meta["snapshot"],
            meta["list"],
            meta["region"],
            date.fromisoformat(meta["as_of"]),
            date.fromisoformat(election) if election else None,
        )
    except (KeyError, ValueError):
        return book, None


def check(book: Any, expected: list[Person], kind: str) -> tuple[list[Outcome], list[Problem]]:
    """Compare every desa sheet with the list as made (of ``kind``, whose drop-down the answers
    must come from); return outcomes and problems."""
    choices = choices_for(kind)
    by_key = {p.row_key: p for p in expected}
    by_desa: dict[str, set[str]] = {}
    for p in expected:
        by_desa.setdefault(p.desa_code, set()).add(p.row_key)
    sheets = _sheets_by_desa(book)
    outcomes: list[Outcome] = []
    problems: list[Problem] = []
    for desa, keys in sorted(by_desa.items()):
        name = sheets.get(desa)
        if name is None or name not in book.sheetnames:
            problems.append(Problem(name or desa, None, "verify_sheet_missing", {"desa": desa}))
            continue
        seen: set[str] = set()
        ws = book[name]
        col = _columns(ws)
        for r, row in enumerate(ws.iter_rows(min_row=_HEADER_ROW + 1, values_only=True), start=_HEADER_ROW + 1):
            cells = list(row) + [None] * (len(HEADERS) - len(row))
            if all(v is None or str(v).strip() == "" for v in cells):
                continue
            key = str(cells[col["row_key"]] or "")
            person = by_key.get(key)
            if person is None or person.desa_code != desa or key in seen:
                problems.append(Problem(name, r, "verify_row_added", {}))
                continue
            seen.add(key)
            nik = str(cells[col["NIK"]] or "")
            if not shows_part_of(nik, person.nik):  # whole, masked, or masked by an earlier rekam
                problems.append(Problem(name, r, "verify_nik_edited", {}))
            if str(cells[col["Nama"]] or "") != neutralise(person.name):
                problems.append(Problem(name, r, "verify_name_edited", {}))
            result = str(cells[col["Hasil verifikasi"]] or "").strip()
            if result and result not in choices:
                problems.append(Problem(name, r, "verify_bad_value", {"value": result[:40]}))
            elif result:
                note = str(cells[col["Catatan"]] or "").strip()
                outcomes.append(Outcome(key, person.nik, desa, result, note[:500]))
        missing = len(keys - seen)
        if missing:
            problems.append(Problem(name, None, "verify_rows_removed", {"count": missing}))
    return outcomes, problems


def _columns(ws: Any) -> dict[str, int]:
    """Column by header of a list sheet, read from its header row: a workbook written before a
    column was added (the desk's mark, issue #16) reads back as well; ``HEADERS``' own order
    when the row does not name every column checked."""
    header = next(ws.iter_rows(min_row=_HEADER_ROW, max_row=_HEADER_ROW, values_only=True), ())
    found = {str(h): i for i, h in enumerate(header) if h is not None}
    checked = ("row_key", "NIK", "Nama", "Hasil verifikasi", "Catatan")
    return found if all(k in found for k in checked) else _COL


def _sheets_by_desa(book: Any) -> dict[str, str]:
    if "Ringkasan" not in book.sheetnames:
        return {}
    out = {}
    for row in book["Ringkasan"].iter_rows(min_row=5, values_only=True):
        if row and row[0] and row[3]:
            out[str(row[0])] = str(row[3])
    return out
