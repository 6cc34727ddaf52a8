"""Recordings in a set of desa between two days, by the register's recording date (TGL_REKAM):
what the rakor report sets against a jemput-bola plan. A recording whose date is unknown is not
counted (it cannot be said to fall within the days)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rekam.analytics.engines import Engine
from rekam.domain.region import parse_region


def recorded_between_sql(desa_codes: Iterable[str], start: date, end: date) -> str:
    codes = sorted({parse_region(c).dotted for c in desa_codes})
    listed = ", ".join(f"'{c}'" for c in codes) or "NULL"
    return f"""
SELECT desa_code, count(*) AS recorded
FROM register
WHERE recording_state = 'SUDAH_REKAM'
  AND recorded_on >= DATE '{start.isoformat()}' AND recorded_on <= DATE '{end.isoformat()}'
  AND desa_code IN ({listed})
GROUP BY desa_code
"""


def recorded_between(engine: Engine, desa_codes: Iterable[str], start: date, end: date) -> dict[str, int]:
    """desa code (dotted) -> people recorded from ``start`` to ``end`` (both included)."""
    codes = list(desa_codes)
    if not codes:
        return {}
    rows = engine.run(recorded_between_sql(codes, start, end), "recorded_between")
    return {str(code): int(n) for code, n in rows}
