"""The blanko priority list: who, of the printable residents of a service point's area, gets
the scarce cards first (issue 17; since Nov 2024 offices receive a fraction of the blanko
they need, with priority for first-time voters).

Who is on it: residents of the area (desa code under the point's region) whose status is
PRINT_READY_RECORD in the register as the desk sees it (the snapshot with the desk's
completed services since applied: the ``register`` view with the ``analytics.live``
overlay, so someone printed at a desk since the export is no longer on it).

Order, in tiers, with the definitions of the coverage figures (``coverage.definitions``):

1. ``pemula``: a first-time voter at the election day E (the ``pem`` flag, a one-year
   window), only when E is given and not past (after the vote it buys nothing);
2. ``rentan``: vulnerable (the ``ren`` flag: disabled, a Permendagri 96/2019 group, or 60+
   on the as-of date);
3. ``lainnya``: the rest.

Within a tier the longest waiting first: the earliest recording date (TGL_REKAM, when the
register has one), then, for those without one, the oldest by birth date; the NIK breaks
ties so the order is stable. One DuckDB query over the snapshot's files (a desa-id range
scan), sorted and cut to ``limit`` in the engine; a second counts each tier of the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rekam.analytics.coverage import definitions
from rekam.analytics.engines import Engine
from rekam.analytics.lists import desa_id_range

TIERS: tuple[str, ...] = ("pemula", "rentan", "lainnya")
COLUMNS: tuple[str, ...] = ("rank", "nik", "name", "desa_code", "birth_date", "recorded_on", "tier")


@dataclass(frozen=True)
class Printable:
    """One resident on the priority list (personal data: never in a message or a log)."""

    rank: int
    nik: str
    name: str | None
    desa_code: str
    birth_date: date | None
    recorded_on: date | None
    tier: str  # pemula | rentan | lainnya

    def as_row(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


def pemula_counts(as_of: date, election_day: date | None) -> bool:
    """Whether first-time voters come first: an election day is known and not past."""
    return election_day is not None and election_day >= as_of


def _printable_sql(as_of: date, election_day: date | None, region_prefix: str) -> tuple[str, str]:
    """The CTE of the list's people with their tier (0 pemula, 1 rentan, 2 lainnya), and the tier's SQL."""
    flags, _ = definitions(as_of, election_day, 1)
    pem = flags["pem"] if pemula_counts(as_of, election_day) else "false"
    lo, hi = desa_id_range(region_prefix)
    tier = "CASE WHEN pem THEN 0 WHEN ren THEN 1 ELSE 2 END"
    cte = f"""
WITH p AS (
  SELECT nik, name, desa_code, birth_date, recorded_on,
    coalesce({pem}, false) AS pem, coalesce({flags["ren"]}, false) AS ren
  FROM register
  WHERE desa_id BETWEEN {lo} AND {hi} AND ktp_status = 'PRINT_READY_RECORD'
)"""
    return cte, tier


def priority_sql(as_of: date, election_day: date | None, region_prefix: str, limit: int) -> str:
    cte, tier = _printable_sql(as_of, election_day, region_prefix)
    return f"""{cte}
SELECT nik, name, desa_code, birth_date, recorded_on, {tier} AS tier
FROM p
ORDER BY {tier}, recorded_on NULLS LAST, birth_date NULLS LAST, nik
LIMIT {int(limit)}
"""


def tiers_sql(as_of: date, election_day: date | None, region_prefix: str) -> str:
    cte, tier = _printable_sql(as_of, election_day, region_prefix)
    return f"{cte}\nSELECT {tier} AS tier, count(*) FROM p GROUP BY 1 ORDER BY 1"


def tier_counts(engine: Engine, region_prefix: str, as_of: date, election_day: date | None) -> dict[str, int]:
    """How many of the list are in each tier (every tier named, 0 when empty)."""
    found = {TIERS[int(t)]: int(n) for t, n in engine.run(tiers_sql(as_of, election_day, region_prefix))}
    return {t: found.get(t, 0) for t in TIERS}


def printable(
    engine: Engine, region_prefix: str, as_of: date, election_day: date | None, limit: int
) -> list[Printable]:
    """The first ``limit`` of the priority list of ``region_prefix``."""
    rows = engine.run(priority_sql(as_of, election_day, region_prefix, limit))
    return [
        Printable(i + 1, nik, name, desa, born, recorded, TIERS[int(tier)])
        for i, (nik, name, desa, born, recorded, tier) in enumerate(rows)
    ]
