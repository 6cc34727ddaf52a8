"""Properties the rakor ranking must hold for any input (issue 15), tested with hypothesis.

- a score (and every component, and the adjusted score) is always in [0, 100];
- the rank is a pure function of the rows: any order of the same rows gives the same ranks and
  the same displayed order;
- ties: every score of a group is within the margin of the group's top; the next group's top
  is more than the margin below; ranks are competition ranks (1 + the rows above);
- with the other components equal, a kab/kota at or above target never ranks below one under it;
- the start of the period is the latest snapshot exported on or before ``since``: a snapshot
  added inside the period (after ``since``) never changes it, so the ranking, which reads only
  the states at the start and at the end, does not change either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rekam.analytics.coverage import percent, target_gap
from rekam.analytics.rank import TIE_MARGIN, RankRow, Start, component_scores, progress_component, rank
from rekam.api.figures import _baseline

TARGET = 9940
CODES = [f"13.{k:02d}" for k in (*range(1, 13), 71, 72, 73, 74, 75, 76, 77)]


@st.composite
def states(draw: st.DrawFn, code: str | None = None) -> tuple[dict[str, object], Start | None]:
    """One kab/kota's coverage figures at the end and its state at the start (or None)."""
    wajib = draw(st.integers(0, 5000))
    sudah = draw(st.integers(0, wajib))
    pemula = draw(st.integers(0, 300))
    printable = draw(st.integers(0, sudah))
    printed = draw(st.integers(0, printable))
    figures = {
        "region_code": code or draw(st.sampled_from(CODES)),
        "region_name": None,
        "wajib": wajib,
        "belum_rekam": wajib - sudah,
        "coverage_pct": percent(sudah, wajib),
        "target_gap": target_gap(wajib, sudah, TARGET),
        "pemula": pemula,
        "pemula_belum_rekam": draw(st.integers(0, pemula)),
        "sudah_cetak": printed,
        "belum_cetak": printable - printed,
        "rentan_wajib": draw(st.integers(0, wajib)),
    }
    start = None
    if draw(st.booleans()):
        w0 = draw(st.integers(0, 5000))
        s0 = draw(st.integers(0, w0))
        start = Start(target_gap(w0, s0, TARGET), w0, w0 - s0)
    return figures, start


@st.composite
def rankings(draw: st.DrawFn) -> list[RankRow]:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True))
    return [component_scores(*draw(states(code)), flagged_desa=0) for code in codes]


def _fresh(rows: list[RankRow]) -> list[RankRow]:
    return [RankRow(**{**r.as_json(), "rank": 0, "adjusted_rank": 0}) for r in rows]


@given(rankings())
@settings(deadline=None)  # a shared 2-core machine: no per-example time limit
def test_every_score_and_component_is_between_0_and_100(rows):
    for r in rank(rows):
        values = [r.score, r.adjusted_score, r.difficulty, r.pemula_pct, r.printing_pct]
        values += [v for v in (r.coverage_pct, r.progress) if v is not None]
        assert all(0.0 <= v <= 100.0 for v in values), r
        assert r.weights_rescaled == (r.progress is None or r.coverage_pct is None)


@given(rankings(), st.randoms(use_true_random=False))
@settings(deadline=None)
def test_the_rank_is_a_pure_function_of_the_rows(rows, rnd):
    first = [r.as_json() for r in rank(_fresh(rows))]
    shuffled = _fresh(rows)
    rnd.shuffle(shuffled)
    assert [r.as_json() for r in rank(shuffled)] == first


@given(rankings())
@settings(deadline=None)
def test_scores_within_the_tie_margin_share_a_rank(rows):
    ordered = rank(rows)
    groups: dict[int, list[Decimal]] = {}
    for r in ordered:
        groups.setdefault(r.rank, []).append(Decimal(str(r.score)))
    tops = []
    for number, scores in sorted(groups.items()):
        top = max(scores)
        assert all(top - s <= TIE_MARGIN for s in scores)  # every member within the margin of its top
        # no score outside the group is within the margin below its top (and not above it)
        others = [Decimal(str(r.score)) for r in ordered if r.rank != number]
        assert not any(top - TIE_MARGIN <= s <= top for s in others)
        # competition ranking: 1 + the rows in the groups above
        assert number == 1 + sum(1 for r in ordered if Decimal(str(r.score)) > top)
        tops.append(top)
    assert all(a - b > TIE_MARGIN for a, b in zip(tops, tops[1:], strict=False))
    assert all(r.tied == (len(groups[r.rank]) > 1) for r in ordered)


@given(st.data())
@settings(deadline=None)
def test_at_or_above_target_never_ranks_below_one_under_it(data):
    # Two kab/kota with the same pemula and printing figures; A has met the target at the end, B
    # has not; their sizes and starts (or none) are free; other kab/kota may be ranked with them.
    pemula = data.draw(st.integers(0, 300))
    pemula_belum = data.draw(st.integers(0, pemula))
    printed, printable = sorted(data.draw(st.lists(st.integers(0, 500), min_size=2, max_size=2)))
    same = {"pemula": pemula, "pemula_belum_rekam": pemula_belum, "sudah_cetak": printed, "belum_cetak": printable}

    def kab(code: str, met: bool) -> RankRow:
        wajib = data.draw(st.integers(1, 5000))
        need = -(-wajib * TARGET // 10000)  # ceil(99.4 % x wajib): the fewest that meet the target
        sudah = data.draw(st.integers(need, wajib) if met else st.integers(0, need - 1))
        figures, start = data.draw(states(code))
        figures |= same | {
            "wajib": wajib,
            "belum_rekam": wajib - sudah,
            "coverage_pct": percent(sudah, wajib),
            "target_gap": target_gap(wajib, sudah, TARGET),
        }
        return component_scores(figures, start, flagged_desa=0)

    a, b = kab("13.01", met=True), kab("13.02", met=False)
    assert a.target_gap == 0 < b.target_gap
    others = [component_scores(*data.draw(states(code)), flagged_desa=0) for code in ("13.03", "13.71")]
    ordered = {r.region_code: r for r in rank([b, *others, a])}
    assert ordered["13.01"].rank <= ordered["13.02"].rank
    assert ordered["13.01"].score >= ordered["13.02"].score


@given(st.integers(1, 10_000), st.integers(0, 10_000), st.integers(1, 50))
def test_progress_is_the_share_of_the_gap_whatever_the_size(gap_start, gap_end, k):
    # Comparable across kab/kota (and periods): the same share of the gap gives the same
    # progress at any size, to the rounding of 2 decimals.
    small, _ = progress_component(gap_start, gap_end)
    large, _ = progress_component(gap_start * k, gap_end * k)
    assert small is not None and large is not None
    assert abs(small - large) <= 0.01
    assert (small == 100.0) == (gap_end == 0)


# ---- the start of the period: which snapshot ---------------------------------------------------


@dataclass(frozen=True)
class Snap:
    id: str
    export_date: date


class Snaps:
    """The part of the store ``_baseline`` reads: every snapshot."""

    def __init__(self, snaps: list[Snap]) -> None:
        self.snaps = snaps

    def all(self) -> list[Snap]:
        return list(self.snaps)


DAY0 = date(2024, 1, 1)


@given(
    st.lists(st.integers(0, 365), min_size=1, max_size=8),
    st.integers(0, 365),
    st.integers(1, 365),
    st.data(),
)
@settings(max_examples=300, deadline=None)
def test_a_snapshot_inside_the_period_never_changes_its_start(offsets, since_at, length, data):
    since = DAY0 + timedelta(days=since_at)
    as_of = since + timedelta(days=length)
    snaps = [Snap(f"s{i}", DAY0 + timedelta(days=o)) for i, o in enumerate(offsets)]
    # The current snapshot: the latest imported, exported by as_of.
    current = Snap("current", as_of - timedelta(days=data.draw(st.integers(0, length))))
    before = _baseline(Snaps([*snaps, current]), current, since)  # type: ignore[arg-type]
    inside = Snap("inside", since + timedelta(days=data.draw(st.integers(1, length))))  # in (since, as_of]
    after = _baseline(Snaps([*snaps, inside, current]), current, since)  # type: ignore[arg-type]
    assert after == before
    # and the start is the latest snapshot on or before since (None when there is none)
    eligible = [s for s in snaps if s.export_date <= since]
    assert before == (max(eligible, key=lambda s: (s.export_date, s.id)) if eligible else None)
