"""Recording coverage per region as of a date: wajib KTP-el, sudah/belum rekam.

Definitions (DESIGN.md, FACTS.md section 1):
- wajib: WNI, or WNA with ITAP, born on or before the as-of date, and 17 or older on it
  or ever married by it (from TGL_KWN when known, else the current marital status).
  The 17th birthday is one cutoff date per query, not an age per row.
- sudah_rekam: wajib and recorded on or before the as-of date (a recorded person with
  no TGL_REKAM counts from the snapshot's export date on).
- perlu_rekam_ulang: wajib whose enrolment failed; counted in belum_rekam.
- belum_rekam = wajib - sudah_rekam; coverage_pct = 100 * sudah_rekam / wajib.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import duckdb

from rekam.domain.dates import birth_cutoff
from rekam.register import gazetteer

Level = Literal["prov", "kab", "kec", "desa"]
LEVELS: tuple[Level, ...] = ("prov", "kab", "kec", "desa")
_LEVEL_COLUMN = {"prov": "prov_code", "kab": "kab_code", "kec": "kec_code", "desa": "desa_code"}


@dataclass(frozen=True)
class CoverageRow:
    region_code: str
    region_name: str | None
    level: Level
    wajib: int
    sudah_rekam: int
    belum_rekam: int
    perlu_rekam_ulang: int
    coverage_pct: float | None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def wajib_predicate(as_of: date) -> str:
    """SQL for 'wajib KTP-el on the as-of date' over the register's columns."""
    d = f"DATE '{as_of.isoformat()}'"
    cutoff = f"DATE '{birth_cutoff(as_of, 17).isoformat()}'"
    return (
        f"(citizenship = 'WNI' OR stay_permit = 'ITAP') AND birth_date <= {d} "
        f"AND (birth_date <= {cutoff} OR ever_married_since <= {d})"
    )


def recorded_predicate(as_of: date) -> str:
    d = f"DATE '{as_of.isoformat()}'"
    return (
        f"recording_state = 'SUDAH_REKAM' AND "
        f"(recorded_on <= {d} OR (recorded_on IS NULL AND export_date <= {d}))"
    )


def coverage_sql(as_of: date, level: Level, region_prefix: str | None) -> str:
    col = _LEVEL_COLUMN[level]
    where = (
        f"WHERE (desa_code = '{region_prefix}' OR desa_code LIKE '{region_prefix}.%')" if region_prefix else ""
    )
    return f"""
SELECT {col} AS region_code,
  count(*) FILTER (WHERE is_wajib) AS wajib,
  count(*) FILTER (WHERE is_wajib AND is_recorded) AS sudah_rekam,
  count(*) FILTER (WHERE is_wajib AND recording_state = 'PERLU_REKAM_ULANG') AS perlu_rekam_ulang
FROM (
  SELECT {col}, recording_state,
    coalesce({wajib_predicate(as_of)}, false) AS is_wajib,
    coalesce({recorded_predicate(as_of)}, false) AS is_recorded
  FROM register {where}
)
GROUP BY 1 ORDER BY 1
"""


def percent(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    value = Decimal(100 * part) / Decimal(whole)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def coverage(
    con: duckdb.DuckDBPyConnection, as_of: date, level: Level, region_prefix: str | None = None
) -> list[CoverageRow]:
    rows = con.execute(coverage_sql(as_of, level, region_prefix)).fetchall()
    out = []
    for code, wajib, sudah, ulang in rows:
        out.append(
            CoverageRow(
                region_code=code,
                region_name=gazetteer.name_of(code),
                level=level,
                wajib=int(wajib),
                sudah_rekam=int(sudah),
                belum_rekam=int(wajib - sudah),
                perlu_rekam_ulang=int(ulang),
                coverage_pct=percent(int(sudah), int(wajib)),
            )
        )
    return out
