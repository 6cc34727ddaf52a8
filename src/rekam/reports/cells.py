"""Making values safe and readable in a spreadsheet."""

from __future__ import annotations

from datetime import date

from rekam.domain.cells import neutralise as neutralise  # noqa: E402 - the one rule lives in domain/cells.py
from rekam.domain.nik import mask_nik


def shown_nik(nik: str, unmasked: bool) -> str:
    return nik if unmasked else mask_nik(nik)


def ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""
