"""Ranking the kab/kota for the province's evaluation meeting (rakor), formula in view.

The score is a weighted mean of four components, each from 0 to 100 (weights in ``WEIGHTS``,
the one place they are set, each with its reason; docs/analytics.md quotes them):

- coverage = coverage_pct at the end of the period;
- pemula = 100 x pemula recorded / pemula (100 when there are none);
- progress = the share of the period's opening gap to target that was closed:
  100 x clamp((gap_start - gap_end) / gap_start, 0, 1); 100 when the target is met at the end
  (``target_gap == 0``) whatever the start; 0 when the target was met at the start and is no
  longer; null when there is no data at the start (the reason is shown), and the score is then
  the mean of the other components with their weights rescaled to sum to 1 (the row says so).
  ``progress_share_pct`` is the raw share, unclamped: negative when the gap grew;
- printing = 100 x sudah_cetak / (sudah_cetak + belum_cetak), 100 when both are 0: only what
  the Dinas can act on (FACTS.md section 3.3); records at the centre and DUPLICATE_RECORD are out.

IKD (issue 19): every row shows ``ikd_pct`` (the kab/kota's ``CoverageRow.ikd_pct``, on the basis
chosen). It counts in the score only when the province gives it a weight w in [0, 0.5]
(``ikd_weight``; ``Settings.rank_ikd_weight``, default 0): the IKD component then takes w and the
four weights above are scaled by (1 - w), in exact decimals (``weights``), so they still sum to 1.
With w = 0 the score, ranks and formula are those of the four components alone. A null ikd_pct
(its basis is 0) is left out as a null progress is, the other weights rescaled.

The score is computed from the components as shown (2 decimals), in exact decimals, rounded
half up to 2 decimals. Because it is a share of the period's own gap, progress compares
periods of different lengths, and it depends only on the states at the period's start and end.

Ties (``TIE_MARGIN``): scores are sorted from the highest; a group starts at the highest score
not yet placed and takes every score within the margin of it (top - score <= margin); every
row of a group has the same rank, 1 + the number of rows in the groups above (competition
ranking: 1, 2, 2, 4). Inside a group rows are shown by coverage (highest first), then code:
for display only. The grouping is a function of the set of scores alone.

The difficulty-adjusted view (``rekam.analytics.difficulty``) stands beside the score, never in
it: its own score and rank in separate fields. A kab/kota with an implausible desa (see
``rekam.analytics.quality``) shows the count in ``flagged_desa``, not ranked silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from rekam import numbers
from rekam.analytics import difficulty as _difficulty
from rekam.messages import text_in

if TYPE_CHECKING:
    from rekam.analytics.coverage import CoverageRow
    from rekam.analytics.progress import ProgressRow


@dataclass(frozen=True)
class Weight:
    value: Decimal
    reason: str  # English; docs/analytics.md quotes it
    alasan: str  # the same in Bahasa Indonesia


#: The weights of the components, the only place they are set. They sum to 1.
WEIGHTS: dict[str, Weight] = {
    "coverage": Weight(
        Decimal("0.50"),
        "the 99.4 % coverage target is the national measure a Dinas answers for",
        "target cakupan 99,4 % adalah ukuran nasional yang dipertanggungjawabkan Dinas",
    ),
    "pemula": Weight(
        Decimal("0.20"),
        "the election is the deadline, and first-time voters cannot vote without a KTP-el",
        "pemungutan suara adalah tenggatnya, dan pemilih pemula tidak dapat memilih tanpa KTP-el",
    ),
    "progress": Weight(
        Decimal("0.15"),
        "credits a kab/kota that closes its own gap, however far behind it started",
        "menghargai kab/kota yang menutup kekurangannya sendiri, sejauh apa pun tertinggalnya",
    ),
    "printing": Weight(
        Decimal("0.15"),
        "a recorded citizen without a card is not yet served; only what the Dinas can print counts",
        "penduduk yang sudah rekam tanpa kartu belum terlayani; hanya yang dapat dicetak Dinas dihitung",
    ),
}

#: The IKD component (issue 19): its weight is the province's choice (``weights``), 0 by default.
IKD = Weight(
    Decimal(0),
    "activation of the digital ID (IKD) is a national performance measure since 2023; the province "
    "chooses whether it counts in the rank",
    "aktivasi Identitas Kependudukan Digital (IKD) adalah ukuran kinerja nasional sejak 2023; provinsi "
    "memilih apakah ikut dihitung dalam peringkat",
)


#: Scores this close (points, inclusive) to the top of their group share its rank. Half a point
#: is what one coverage point moves the score by (weight 0.50), or 2.5 pemula points, or 3.3
#: points of progress or printing: a difference the weights (a policy choice, not a measurement)
#: and an export a few days old cannot tell apart, so the meeting does not argue over it. With
#: an IKD weight w the four weights are scaled by (1 - w), so half a point is 1 / (1 - w) times
#: as many points of each (1.25 coverage points at w = 0.2), or 0.5 / w IKD points (2.5 at 0.2):
#: the margin stays half a point of score, the meaning the tie note prints.
TIE_MARGIN = Decimal("0.50")

#: Why progress can be missing (``no_progress_reason``): no state at the period's start.
NO_DATA_AT_START = "no_data_at_start"

_CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _pct(part: int, whole: int) -> float:
    """100 x part / whole, 2 decimals; 100 when there is nothing to count."""
    return 100.0 if whole <= 0 else float(_round(Decimal(100 * part) / Decimal(whole)))


def weights(ikd_weight: Decimal = Decimal(0)) -> dict[str, Decimal]:
    """The weights used with an IKD weight w: the four of ``WEIGHTS`` unchanged when w is 0, else
    each scaled by (1 - w) and ``ikd`` at w, exact decimals summing to 1."""
    if not ikd_weight:
        return {name: w.value for name, w in WEIGHTS.items()}
    scaled = {name: w.value * (1 - ikd_weight) for name, w in WEIGHTS.items()}
    return scaled | {"ikd": ikd_weight}


@dataclass
class RankRow:
    region_code: str
    region_name: str | None
    coverage_pct: float | None
    pemula_pct: float
    progress: float | None
    printing_pct: float
    target_gap: int
    flagged_desa: int
    ikd_pct: float | None = None  # shown whatever the IKD weight; in the score only when it is > 0
    gap_start: int | None = None
    progress_share_pct: float | None = None  # raw share of the opening gap closed; negative: it grew
    no_progress_reason: str | None = None
    weights_rescaled: bool = False
    score: float = 0.0
    rank: int = 0
    tied: bool = False
    # the difficulty-adjusted view, beside the score (analytics/difficulty.py)
    remoteness: float = 0.0
    rentan_share_pct: float | None = None
    backlog_share_pct: float | None = None
    difficulty: float = 0.0
    adjusted_score: float = 0.0
    adjusted_rank: int = 0

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def components(self, with_ikd: bool = False) -> dict[str, float | None]:
        """The components of the score; ``with_ikd``: the IKD component too (a weight > 0)."""
        out = {
            "coverage": self.coverage_pct,
            "pemula": self.pemula_pct,
            "progress": self.progress,
            "printing": self.printing_pct,
        }
        return (out | {"ikd": self.ikd_pct}) if with_ikd else out


@dataclass(frozen=True)
class Start:
    """A kab/kota's state at the period's start: what progress and the backlog are read from."""

    target_gap: int
    wajib: int
    belum_rekam: int


def progress_component(gap_start: int | None, gap_end: int) -> tuple[float | None, float | None]:
    """(progress 0-100 or None, the raw share closed in percent or None) from the gaps to target
    at the start (None: no data) and at the end of the period."""
    share = None if not gap_start else float(_round(Decimal(100 * (gap_start - gap_end)) / Decimal(gap_start)))
    if gap_end == 0:
        return 100.0, share
    if gap_start is None:
        return None, None
    if gap_start == 0:
        return 0.0, None  # met at the start, no longer: the whole gap is new
    assert share is not None
    return min(100.0, max(0.0, share)), share


def score_of(components: Mapping[str, float | None], ikd_weight: Decimal = Decimal(0)) -> tuple[float, bool]:
    """The weighted mean of the components that have a value (``weights(ikd_weight)``), weights
    rescaled to sum to 1 when one is missing; and whether they were rescaled."""
    used = weights(ikd_weight)
    present = {k: Decimal(str(v)) for k, v in components.items() if v is not None and k in used}
    total = sum((used[k] for k in present), Decimal(0))
    if not total:
        return 0.0, True
    value = sum((used[k] * v for k, v in present.items()), Decimal(0)) / total
    return float(_round(value)), len(present) < len(used)


def component_scores(
    figures: Mapping[str, Any],
    start: Start | None,
    flagged_desa: int,
    no_progress_reason: str | None = None,
    ikd_weight: Decimal = Decimal(0),
) -> RankRow:
    """One kab/kota's components and score from its coverage figures at the end (a
    ``CoverageRow.as_json()``) and its state at the start (None: no data at the start); the IKD
    component counts with ``ikd_weight`` (``weights``)."""
    if start is None and no_progress_reason is None:
        no_progress_reason = NO_DATA_AT_START
    if no_progress_reason is not None:
        start = None  # a state progress could not vouch for is not used at all
    progress, share = progress_component(start.target_gap if start else None, figures["target_gap"])
    printed = figures["sudah_cetak"]
    row = RankRow(
        region_code=figures["region_code"],
        region_name=figures["region_name"],
        coverage_pct=figures["coverage_pct"],
        pemula_pct=_pct(
            (figures.get("pemula") or 0) - (figures.get("pemula_belum_rekam") or 0), figures.get("pemula") or 0
        ),
        progress=progress,
        printing_pct=_pct(printed, printed + figures["belum_cetak"]),
        target_gap=figures["target_gap"],
        flagged_desa=flagged_desa,
        ikd_pct=figures.get("ikd_pct"),
        gap_start=start.target_gap if start is not None else None,
        progress_share_pct=share,
        no_progress_reason=no_progress_reason,
    )
    row.score, row.weights_rescaled = score_of(row.components(with_ikd=ikd_weight > 0), ikd_weight)
    wajib_now = figures.get("wajib") or 0
    wajib, belum = (start.wajib, start.belum_rekam) if start else (wajib_now, figures.get("belum_rekam") or 0)
    row.remoteness = _difficulty.remoteness(row.region_code, row.region_name)
    row.rentan_share_pct = _difficulty.share_pct(figures.get("rentan_wajib") or 0, wajib_now)
    row.backlog_share_pct = _difficulty.share_pct(belum, wajib)
    return row


def ranked(
    figures: Iterable[CoverageRow],
    progress: Iterable[ProgressRow],
    flagged: Mapping[str, int],
    ikd_weight: Decimal = Decimal(0),
) -> list[RankRow]:
    """The ranking from the coverage at the end of the period, the progress rows (their ``then``
    is the state at the start, None when there is none) and the flagged desa per kab/kota; the
    IKD component counts with ``ikd_weight`` (0: not at all)."""
    starts: dict[str, tuple[Start | None, str | None]] = {}
    for p in progress:
        then = p.then
        start = Start(then.target_gap, then.wajib, then.belum_rekam) if then is not None else None
        starts[p.now.region_code] = (start, getattr(p, "no_progress_reason", None))
    rows = []
    for r in figures:
        start, reason = starts.get(r.region_code, (None, None))
        rows.append(component_scores(r.as_json(), start, flagged.get(r.region_code, 0), reason, ikd_weight))
    return rank(rows)


def tie_groups(scores: Iterable[float], margin: Decimal = TIE_MARGIN) -> dict[float, int]:
    """score -> its rank: a group starts at the highest score not yet placed and takes every
    score within ``margin`` of it; its rank is 1 + the number of scores in the groups above."""
    ordered = sorted((Decimal(str(s)) for s in scores), reverse=True)
    ranks: dict[float, int] = {}
    i = 0
    while i < len(ordered):
        top, j = ordered[i], i
        while j < len(ordered) and top - ordered[j] <= margin:
            ranks[float(ordered[j])] = i + 1
            j += 1
        i = j
    return ranks


def rank(rows: Iterable[RankRow]) -> list[RankRow]:
    """Rank by score with the tie margin, and beside it the difficulty-adjusted score and rank.
    Shown group by group; inside a group by coverage (highest first), then code."""
    rows = list(rows)
    ranks = tie_groups(r.score for r in rows)
    sizes: dict[int, int] = {}
    for r in rows:
        r.rank = ranks[r.score]
        sizes[r.rank] = sizes.get(r.rank, 0) + 1
    for r in rows:
        r.tied = sizes[r.rank] > 1
    _difficulty.adjust(rows)
    adjusted = tie_groups(r.adjusted_score for r in rows)
    for r in rows:
        r.adjusted_rank = adjusted[r.adjusted_score]
    return sorted(rows, key=lambda r: (r.rank, -(r.coverage_pct or 0.0), r.region_code))


# ---- the formula, generated from WEIGHTS --------------------------------------------------


def _weight_text(value: Decimal, lang: str) -> str:
    """A weight with 2 decimals, more when it has them (0,135 at an IKD weight of 0.1): exact."""
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return numbers.decimal(value, lang, places=places)


def formula(lang: str = "id", ikd_weight: Decimal = Decimal(0)) -> str:
    """The formula as printed on every output, in ``lang`` (``id`` or ``en``), with the weights
    used at ``ikd_weight`` (the IKD term and its definition only when it is > 0)."""
    terms = " + ".join(
        f"{_weight_text(w, lang)} x {text_in(lang, f'rank_c_{name}')}" for name, w in weights(ikd_weight).items()
    )
    text = text_in(lang, "rank_formula", terms=terms, margin=numbers.decimal(TIE_MARGIN, lang))
    return text + " " + text_in(lang, "rank_formula_ikd") if ikd_weight > 0 else text


def _reason(weight: Weight, lang: str) -> str:
    return weight.alasan if lang != "en" else weight.reason


def explain(lang: str = "id", ikd_weight: Decimal = Decimal(0)) -> dict[str, Any]:
    """What every output carries beside the rows: the formula, the weights used (``ikd`` only
    when its weight is > 0) with their reasons, the IKD weight, the tie margin and the
    difficulty-adjusted view's formula."""
    reasons = {name: _reason(w, lang) for name, w in WEIGHTS.items()} | {"ikd": _reason(IKD, lang)}
    return {
        "formula": formula(lang, ikd_weight),
        "weights": {
            name: {"weight": float(value), "reason": reasons[name]} for name, value in weights(ikd_weight).items()
        },
        "ikd_weight": float(ikd_weight),
        "ikd_weight_reason": reasons["ikd"],
        "tie_margin": float(TIE_MARGIN),
        "adjusted_formula": _difficulty.formula(lang),
    }


FORMULA = formula("id")
FORMULA_EN = formula("en")
