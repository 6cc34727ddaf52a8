"""Spreadsheet cells that never run: the formula-neutralising rule of every file rekam writes
for people to open in a spreadsheet (by-name exports, quarantine files), and NIK / KK numbers
as those files show them."""

from __future__ import annotations

from rekam.domain.kk import mask_kk
from rekam.domain.nik import mask_nik

#: A cell beginning with one of these is read by a spreadsheet as a formula (or can become one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str | None) -> str:
    """Text that a spreadsheet shows as typed and never runs as a formula.

    A value beginning with =, +, -, @, a tab or a carriage return gets a leading apostrophe
    (the OWASP advice for CSV injection).
    """
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_START) else value


def shown_nik(nik: str, unmasked: bool) -> str:
    """A NIK as an output shows it: whole only when asked for (``--unmasked``, audited)."""
    return nik if unmasked else mask_nik(nik)


def shown_kk(kk: str | None, unmasked: bool) -> str:
    """A KK number as an output shows it, under the NIK's masking rule; text neutralised."""
    return neutralise(kk) if unmasked else mask_kk(kk or "")
