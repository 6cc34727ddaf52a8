"""Ranking the kab/kota for the province's evaluation meeting (rakor), formula in view.

    score = 0.50 x coverage                       (coverage_pct, 0-100)
          + 0.20 x pemula coverage                (100 x pemula recorded / pemula; 100 if none)
          + 0.15 x progress                       (100 x min(1, change in coverage / 1 point))
          + 0.15 x printing                       (100 x sudah_cetak / (sudah_cetak + belum_cetak); 100 if none)

Coverage weighs most because the 99.4 % target is the national measure; first-time voters
because the election is the deadline; progress so that a kab/kota far behind is credited for
closing the gap; printing because a recorded citizen without a card is not yet served. The
printing component counts only what the Dinas can act on (FACTS.md section 3.3): cards printed
against printed + printable (PRINT_READY_RECORD) not printed; records still waiting at the
centre (menunggu_pusat) and DUPLICATE_RECORD (never printable) are out of it. A
kab/kota with an implausible desa (see ``rekam.analytics.quality``) is marked, not ranked
silently. The gap to target is shown beside the score, not in it (it is the coverage again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMULA = (
    "skor = 0,50 x cakupan + 0,20 x cakupan pemula + 0,15 x kemajuan (100 x min(1, perubahan cakupan / 1 poin)) "
    "+ 0,15 x pencetakan (100 x sudah cetak / (sudah cetak + belum cetak PRR))"
)
FORMULA_EN = (
    "score = 0.50 x coverage + 0.20 x pemula coverage + 0.15 x progress (100 x min(1, coverage change / 1 point)) "
    "+ 0.15 x printing (100 x sudah_cetak / (sudah_cetak + belum_cetak PRR))"
)


@dataclass
class RankRow:
    region_code: str
    region_name: str | None
    coverage_pct: float | None
    pemula_pct: float
    progress: float
    printing_pct: float
    target_gap: int
    flagged_desa: int
    score: float = 0.0
    rank: int = 0

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def component_scores(figures: dict[str, Any], change_pp: float | None, flagged_desa: int) -> RankRow:
    pemula = figures.get("pemula") or 0
    pemula_pct = 100.0 if not pemula else 100.0 * (1 - (figures.get("pemula_belum_rekam") or 0) / pemula)
    progress = 100.0 * min(1.0, max(0.0, change_pp or 0.0) / 1.0)
    printed = figures["sudah_cetak"]
    actionable = printed + figures["belum_cetak"]
    printing = 100.0 if not actionable else 100.0 * printed / actionable
    row = RankRow(
        region_code=figures["region_code"],
        region_name=figures["region_name"],
        coverage_pct=figures["coverage_pct"],
        pemula_pct=round(pemula_pct, 2),
        progress=round(progress, 2),
        printing_pct=round(printing, 2),
        target_gap=figures["target_gap"],
        flagged_desa=flagged_desa,
    )
    row.score = round(0.50 * (row.coverage_pct or 0.0) + 0.20 * pemula_pct + 0.15 * progress + 0.15 * printing, 2)
    return row


def rank(rows: list[RankRow]) -> list[RankRow]:
    """Order by score (ties by coverage, then code) and number them 1..n."""
    ordered = sorted(rows, key=lambda r: (-r.score, -(r.coverage_pct or 0.0), r.region_code))
    for i, r in enumerate(ordered, start=1):
        r.rank = i
    return ordered
