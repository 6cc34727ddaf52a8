"""Making values safe and readable in a spreadsheet."""

from __future__ import annotations

from datetime import date

# The rules live in domain/cells.py (linkage and web use them too); named here for the reports.
from rekam.domain.cells import neutralise as neutralise
from rekam.domain.cells import shown_kk as shown_kk
from rekam.domain.cells import shown_nik as shown_nik


def ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""
