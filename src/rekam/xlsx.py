"""Excel workbooks: the one reader of the XLSX files rekam is given (register exports, site
files, lists to match) and the workbook every by-name output starts from.

Reading: ``read_xlsx(path, header_of)`` opens the workbook read-only (values, not formulas),
looks in each sheet's first rows for the header (``header_of`` turns a row into the header's
texts, or None when the row is not a header) and yields the first sheet that has one: its
header (trailing empty columns left out) and its rows, each cut or padded to the header's
width, empty rows skipped. A file openpyxl cannot open is refused with ``IngestError``
naming the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rekam.errors import IngestError

#: How many rows of a sheet are searched for the header (titles may stand above it).
HEADER_SEARCH_ROWS = 20


@dataclass
class SheetRows:
    """The rows of the sheet that has a header; ``rows`` is read once, as the file is read."""

    header: list[str]  # the header's texts, trailing empty columns left out
    header_row: int  # 1-based
    rows: Iterator[tuple[int, list[Any], bool]]  # (1-based row number, cells, values beyond the header)


@contextmanager
def read_xlsx(
    path: Path, header_of: Callable[[Sequence[Any]], list[str] | None], search_rows: int = HEADER_SEARCH_ROWS
) -> Iterator[SheetRows | None]:
    """The first sheet with a header (None when no sheet has one); the workbook is closed after."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise IngestError("file_unreadable", file=Path(path).name, detail=type(exc).__name__) from None
    try:
        yield _first_table(book, header_of, search_rows)
    finally:
        book.close()


def _first_table(
    book: Any, header_of: Callable[[Sequence[Any]], list[str] | None], search_rows: int
) -> SheetRows | None:
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        for number, row in enumerate(rows, start=1):
            header = header_of(row)
            if header is not None:
                width = len(header)
                while width and not header[width - 1]:
                    width -= 1
                return SheetRows(header[:width], number, _cells(rows, number + 1, width))
            if number >= search_rows:
                break
    return None


def _cells(rows: Iterator[tuple[Any, ...]], start: int, width: int) -> Iterator[tuple[int, list[Any], bool]]:
    for number, row in enumerate(rows, start=start):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        cells = list(row)
        extra = any(v is not None and str(v).strip() for v in cells[width:])
        yield number, cells[:width] + [None] * (width - len(cells)), extra


def new_workbook(out: Path):  # type: ignore[no-untyped-def]
    """A workbook in which no text is ever read as a formula or a number."""
    import xlsxwriter

    return xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_numbers": False})


def formats(book):  # type: ignore[no-untyped-def]
    """The list sheets' formats: title, header, text, number."""
    return (
        book.add_format({"bold": True, "font_size": 13}),
        book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}),
        book.add_format({"num_format": "@", "valign": "top"}),
        book.add_format({"valign": "top"}),
    )
