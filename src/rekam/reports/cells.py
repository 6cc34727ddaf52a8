"""Making values safe and readable in a spreadsheet."""

from __future__ import annotations

from datetime import date

from rekam.domain.cells import neutralise as neutralise  # the one rule lives in domain/cells.py
from rekam.domain.kk import mask_kk
from rekam.domain.nik import mask_nik


def shown_nik(nik: str, unmasked: bool) -> str:
    """A NIK as an output shows it: whole only when asked for (``--unmasked``, audited)."""
    return nik if unmasked else mask_nik(nik)


def shown_kk(kk: str | None, unmasked: bool) -> str:
    """A KK number as an output shows it, under the NIK's masking rule; text neutralised."""
    return neutralise(kk) if unmasked else mask_kk(kk or "")


def ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""
