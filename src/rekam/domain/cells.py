"""Spreadsheet cells that never run: the formula-neutralising rule of every file rekam writes
for people to open in a spreadsheet (by-name exports, quarantine files)."""

from __future__ import annotations

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
