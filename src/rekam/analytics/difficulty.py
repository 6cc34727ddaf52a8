"""How hard a kab/kota's task is: the difficulty index and the adjusted view of the ranking.

Shown beside the rakor score, never inside it (``rekam.analytics.rank``). Three parts, each 0-1:

- remoteness, from the region code and the gazetteer name only: a kota (kab/kota code 71 or
  more) 0; a kabupaten 0.5; a kabupaten with "Kepulauan" in its Kemendagri name (an island
  kabupaten: Kepulauan Mentawai in Sumatera Barat, 14 such names in the country) 1.
  Assumed, not measured: a kabupaten's villages lie farther from its offices than a kota's,
  and an island kabupaten's farther still (boats, weather). Not used: the desa coordinates and
  sites of ``rekam sites import`` (kept for planning, optional, absent on most installations,
  and the ranking must follow from the register alone); island kabupaten not named Kepulauan
  (Nias, Simeulue ...) count as 0.5, and Kota Tidore Kepulauan as a kota (0);
- vulnerable share = rentan_wajib / wajib at the end of the period (disabled, a Permendagri
  96/2019 group, or 60+: the people whom recording must reach at home or in an institution);
- backlog = belum_rekam / wajib at the start of the period (at the end when there is no data
  at the start): how much was left to do.

The two shares are rescaled over the kab/kota ranked together (min-max: the lowest 0, the
highest 1; 0 for all when they are equal), since their ranges differ (a few percent of backlog,
a tenth or more of vulnerable residents). difficulty = 100 x mean of the three parts (0-100).
adjusted_score = min(100, score + ADJUSTMENT x difficulty / 100): at most 5 points for the
hardest kab/kota, about the spread of a province's coverage; ranked with the same tie margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from rekam import numbers
from rekam.messages import text_in
from rekam.register import gazetteer

#: Points the hardest kab/kota (difficulty 100) gets on top of its score in the adjusted view.
ADJUSTMENT = Decimal(5)
KOTA_FROM = 71  # kab/kota codes 71 and up are kota
REMOTENESS = {"kota": 0.0, "kabupaten": 0.5, "kepulauan": 1.0}

_CENT = Decimal("0.01")


class Adjustable(Protocol):
    score: float
    remoteness: float
    rentan_share_pct: float | None
    backlog_share_pct: float | None
    difficulty: float
    adjusted_score: float


def remoteness(code: str, name: str | None = None) -> float:
    """0 for a kota, 0.5 for a kabupaten, 1 for a kabupaten named Kepulauan (module docstring)."""
    if int(code.split(".")[1]) >= KOTA_FROM:
        return REMOTENESS["kota"]
    known = gazetteer.name_of(code) or name or ""
    return REMOTENESS["kepulauan" if "kepulauan" in known.lower() else "kabupaten"]


def share_pct(part: int, whole: int) -> float | None:
    return None if whole <= 0 else float((Decimal(100 * part) / Decimal(whole)).quantize(_CENT, ROUND_HALF_UP))


def _scaled(values: Sequence[float | None]) -> list[Decimal]:
    known = [Decimal(str(v)) for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (Decimal(0), Decimal(0))
    return [Decimal(0) if v is None or high == low else (Decimal(str(v)) - low) / (high - low) for v in values]


def adjust(rows: Sequence[Adjustable]) -> None:
    """Set each row's difficulty (0-100) and adjusted score, the shares rescaled over ``rows``."""
    rentan = _scaled([r.rentan_share_pct for r in rows])
    backlog = _scaled([r.backlog_share_pct for r in rows])
    for r, v, b in zip(rows, rentan, backlog, strict=True):
        index = (Decimal(str(r.remoteness)) + v + b) / 3
        r.difficulty = float((100 * index).quantize(_CENT, ROUND_HALF_UP))
        adjusted = Decimal(str(r.score)) + ADJUSTMENT * Decimal(str(r.difficulty)) / 100
        r.adjusted_score = float(min(Decimal(100), adjusted.quantize(_CENT, ROUND_HALF_UP)))


def formula(lang: str = "id") -> str:
    return text_in(lang, "rank_adjusted_formula", points=numbers.integer(int(ADJUSTMENT), lang))
