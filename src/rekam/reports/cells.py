"""Making values safe and readable in a spreadsheet."""

from __future__ import annotations

from datetime import date

from rekam import numbers

# The rules live in domain/cells.py (linkage and web use them too); named here for the reports.
from rekam.domain.cells import neutralise as neutralise
from rekam.domain.cells import shown_kk as shown_kk
from rekam.domain.cells import shown_nik as shown_nik

#: The language of the numbers in the files (workbooks, PDFs): that of their words, which are
#: Indonesian whatever REKAM_LANG says (documents for field teams; ``rekam verify`` reads the
#: workbooks back by their headers).
LANG = "id"


def shown_decimal(value: float, places: int = 1) -> str:
    """A figure as a file prints it as text: 12,3 (the files' language, ``LANG``)."""
    return numbers.decimal(value, LANG, places)


def shown_figure(value: float) -> str:
    """A count that may hold decimals as a file prints it: 12 or 12,5."""
    return numbers.figure(value, LANG)


def shown_count(value: int) -> str:
    """A count as a file prints it: 1.234."""
    return numbers.integer(value, LANG)


def ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""
