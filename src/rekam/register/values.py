"""Reading single values as SIAK exports write them: dates and region parts.

These functions run on the *distinct* raw values of a column (a few thousand at most),
never once per row, so they can be plain, exact Python.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_DATE_PART = re.compile(r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T].*)?\s*$")


def parse_date(raw: str | None) -> date | None:
    """A date written as YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY, with or without a time.

    Returns None for an empty value or one that is not a real calendar date.
    """
    if raw is None:
        return None
    m = _DATE_PART.match(raw)
    if not m:
        return None
    a, b, c = m.groups()
    try:
        if len(a) == 4 and len(c) <= 2:
            return date(int(a), int(b), int(c))
        if len(c) == 4 and len(a) <= 2:
            return date(int(c), int(b), int(a))
    except ValueError:
        return None
    return None


def cell_text(value: object) -> str | None:
    """A spreadsheet or Parquet cell as the text an export would have held."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = str(value)
    return text if text.strip() else None


def region_part(raw: str | None) -> int | None:
    """A region code part (NO_PROP, NO_KAB, ...) with or without zero padding."""
    if raw is None:
        return None
    text = raw.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        return None
    return int(text)
