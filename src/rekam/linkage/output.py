"""Writing a match result: CSV or XLSX whose columns begin ``list_id, match_id,
match_probability, decision`` (DESIGN.md), NIK masked unless asked for, text neutralised for
spreadsheets. The XLSX has every row on its first sheet, then the review rows (side by side
with their candidates, to decide: ``review.write_sheet``) and the no-match rows on their own
sheets, and a summary. A result with decisions applied (``results.decided_table``) carries a
last column, ``decided_by``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from rekam.domain.cells import neutralise, shown_nik
from rekam.xlsx import formats, new_workbook

if TYPE_CHECKING:
    from rekam.linkage.review import Sheet

#: The CSV header, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "list_id",
    "match_id",
    "match_probability",
    "decision",
    "ktp_status",
    "recording_state",
    "agreed",
    "disagreed",
    "candidates",
    "second_probability",
)
#: Matching two lists: no KTP-el columns (a list has no KTP-el status).
AGAINST_COLUMNS: tuple[str, ...] = tuple(c for c in CSV_COLUMNS if c not in ("ktp_status", "recording_state"))

#: XLSX sheet names: all rows, review, no match, summary.
SHEETS = ("Hasil", "Periksa", "Tidak ditemukan", "Ringkasan")


def rows(table: pa.Table, unmasked: bool = False, ids_are_nik: bool = True) -> list[dict[str, object]]:
    """The result as plain rows (CSV_COLUMNS), NIK masked unless ``unmasked``; with
    ``ids_are_nik`` False (``--against FILE``) ``match_id`` is the other list's own ID."""
    out: list[dict[str, object]] = []
    for r in table.to_pylist():
        nik = r["match_nik"]
        out.append(
            {
                "list_id": r["list_id"],
                "match_id": (shown_nik(nik, unmasked) if ids_are_nik else nik) if nik else None,
                "match_probability": round(r["match_probability"], 4),
                "decision": r["decision"],
                "ktp_status": r["ktp_status"],
                "recording_state": r["recording_state"],
                "agreed": r["agreed"] or None,
                "disagreed": r["disagreed"] or None,
                "candidates": r["candidates"],
                "second_probability": None if r["second_probability"] is None else round(r["second_probability"], 4),
            }
        )
        if "decided_by" in r:
            out[-1]["decided_by"] = r["decided_by"]
    return out


#: A result with decisions applied: who decided a row, after the other columns.
DECIDED_BY = "decided_by"


def _cell(value: object) -> object:
    return "" if value is None else neutralise(value) if isinstance(value, str) else value


def _csv(path: Path, columns: Sequence[str], found: Sequence[dict[str, object]], sep: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=sep)
        writer.writerow(columns)
        for r in found:
            writer.writerow([_cell(r[c]) for c in columns])


def _rows_sheet(
    book, fmts, name: str, columns: Sequence[str], found: Sequence[dict[str, object]], width: Callable[[str], int]
) -> None:  # type: ignore[no-untyped-def]
    """A sheet of ``found`` under a frozen, filtered header of ``columns``; text neutralised."""
    _title, bold, text, number = fmts
    ws = book.add_worksheet(name)
    ws.write_row(0, 0, list(columns), bold)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(found), 1), len(columns) - 1)
    for col, c in enumerate(columns):
        ws.set_column(col, col, width(c))
    for i, r in enumerate(found, start=1):
        for col, c in enumerate(columns):
            value = r[c]
            if isinstance(value, str):
                ws.write_string(i, col, neutralise(value), text)
            elif value is not None:
                ws.write_number(i, col, value, number)


def _workbook(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[dict[str, object]]]],
    columns: Sequence[str],
    width: Callable[[str], int],
    summary: Sequence[tuple[str, object]],
) -> None:
    """The result sheets, then the summary sheet (label, value) pairs."""
    book = new_workbook(path)
    fmts = formats(book)
    for name, found in sheets:
        _rows_sheet(book, fmts, name, columns, found, width)
    _summary_sheet(book, fmts, summary)
    book.close()


def _summary_sheet(book, fmts, summary: Sequence[tuple[str, object]]) -> None:  # type: ignore[no-untyped-def]
    """The summary sheet: (label, value) pairs."""
    _title, bold, text, _number = fmts
    ws = book.add_worksheet(SHEETS[3])
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 40)
    for i, (label, value) in enumerate(summary):
        ws.write_string(i, 0, label, bold)
        if isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(i, 1, value)
        else:
            ws.write_string(i, 1, neutralise(str(value)), text)


def write_csv(
    table: pa.Table, path: Path, unmasked: bool = False, sep: str = ",", columns: Sequence[str] = CSV_COLUMNS
) -> int:
    """Write the result to ``path``; returns the number of rows written."""
    found = rows(table, unmasked, ids_are_nik="ktp_status" in columns)
    _csv(path, columns, found, sep)
    return len(found)


def write_xlsx(
    table: pa.Table,
    path: Path,
    summary: Sequence[tuple[str, object]],
    unmasked: bool = False,
    columns: Sequence[str] = CSV_COLUMNS,
    review: Sheet | None = None,
) -> int:
    """Write the result to ``path`` (``SHEETS``): every row on the first sheet in the list's
    order; the review rows again, side by side with their candidates and signed to be decided
    when ``review`` is given (``review.write_sheet``, with its hidden ``_rekam`` sheet), else as
    rows; the no-match rows; and ``summary`` (label, value) pairs. Returns the number of rows
    on the first sheet."""
    from rekam.linkage import review as _review

    found = rows(table, unmasked, ids_are_nik="ktp_status" in columns)
    wide = ("match_id", "agreed", "disagreed", "recording_state", "ktp_status")

    def width(c: str) -> int:
        return 20 if c in wide else 14

    book = new_workbook(path)
    fmts = formats(book)
    _rows_sheet(book, fmts, SHEETS[0], columns, found, width)
    if review is not None:
        _review.write_sheet(book, review.rows, review.key, review.ids_are_nik, unmasked)
    else:
        _rows_sheet(book, fmts, SHEETS[1], columns, [r for r in found if r["decision"] == "review"], width)
    _rows_sheet(book, fmts, SHEETS[2], columns, [r for r in found if r["decision"] == "no_match"], width)
    _summary_sheet(book, fmts, summary)
    if review is not None:
        _review.write_meta(book, review.facts)
    book.close()
    return len(found)


def write_pairs(
    table: pa.Table, path: Path, summary: Sequence[tuple[str, object]], unmasked: bool = False, xlsx: bool = False
) -> int:
    """Write duplicate pairs (``dedupe.RESULT_COLUMNS``) to ``path`` (CSV, or with ``xlsx`` a
    workbook with a summary sheet), NIKs masked unless ``unmasked``; returns the number of pairs."""
    from rekam.linkage.dedupe import RESULT_COLUMNS

    found = [
        r
        | {
            "nik_a": shown_nik(r["nik_a"], unmasked),
            "nik_b": shown_nik(r["nik_b"], unmasked),
            "match_probability": round(r["match_probability"], 4),
        }
        for r in table.to_pylist()
    ]
    if xlsx:
        _workbook(path, [("Pasangan", found)], RESULT_COLUMNS, lambda _c: 18, summary)
    else:
        _csv(path, RESULT_COLUMNS, found)
    return len(found)
