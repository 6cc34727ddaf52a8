"""ProgressRow's arithmetic on coverage rows given by hand: the issue's example (wajib/sudah
1000/980 -> 1010/985), the gap at the deadline, needed per working day, and the notes."""

from __future__ import annotations

from datetime import date

from rekam.analytics.coverage import COUNTS, CoverageRow
from rekam.analytics.progress import PROJECTION_NOTES, ProgressRow, progress_rows

SINCE, AS_OF = date(2024, 11, 1), date(2024, 11, 13)


def cov(
    wajib: int, sudah: int, code: str = "13.71", undated: int = 0, akan: tuple[int, int] | None = None
) -> CoverageRow:
    counts = dict.fromkeys(COUNTS, 0)
    counts.update(wajib=wajib, sudah_rekam=sudah, sudah_rekam_tanpa_tanggal=undated)
    if akan is not None:
        counts.update(akan_wajib=akan[0], akan_wajib_belum_rekam=akan[1])
    return CoverageRow(code, None, "kab", counts, 9940, election=akan is not None)


def row(now: CoverageRow, then: CoverageRow | None, deadline: date | None = None, **kw) -> ProgressRow:  # type: ignore[no-untyped-def]
    return ProgressRow(now, then, kw.pop("since", SINCE), kw.pop("as_of", AS_OF), deadline, "0001", False, **kw)


def test_the_issues_growing_gap_has_no_projected_date():
    got = row(cov(1010, 985), cov(1000, 980)).as_json()
    # ceil(994.0) - 980 = 14; ceil(1003.94) - 985 = 19; 98.00 % -> 97.52 %.
    assert (got["target_gap_since"], got["target_gap"], got["gap_closed"], got["change_pp"]) == (14, 19, -5, -0.48)
    assert got["recorded_since"] == 5 and got["per_week"] == 2.9  # still shown: 5 in 12 days
    assert (got["projected_date"], got["projection_note"]) == (None, "growing")


def test_a_shrinking_gap_is_projected_from_the_gap_closed():
    got = row(cov(1010, 1000), cov(1000, 980), deadline=date(2024, 11, 27)).as_json()
    # 14 -> 4 (ceil(1003.94) = 1004): 10 closed in 12 days; 4 more in ceil(4 x 12 / 10) = 5 days.
    assert (got["gap_closed"], got["gap_closed_share"], got["pace_per_day"]) == (10, 0.7143, 0.83)
    assert (got["projected_date"], got["projection_note"], got["after_deadline"]) == ("2024-11-18", "shrinking", False)
    late = row(cov(1010, 1000), cov(1000, 999), deadline=date(2024, 11, 27)).as_json()
    # 0 -> 4: growing. From 6 (988 recorded) -> 4: 2 closed in 12 days, 4 more in 24: 7 Dec.
    assert late["projection_note"] == "growing"
    late = row(cov(1010, 1000), cov(1000, 988), deadline=date(2024, 11, 27)).as_json()
    assert (late["projected_date"], late["after_deadline"]) == ("2024-12-07", True)


def test_the_gap_at_the_deadline_and_the_need_per_working_day():
    # 200 wajib, 190 recorded; 30 turn 17 by 27 Nov, 5 of them recorded early (25 not).
    got = row(cov(200, 190, akan=(30, 25)), cov(200, 188), deadline=date(2024, 11, 27)).as_json()
    # ceil(99.4 % x 230) = ceil(228.62) = 229; 190 + 5 = 195 recorded: 34 short in 10 working days.
    assert (got["gap_at_deadline"], got["working_days_left"], got["needed_per_working_day"]) == (34, 10, 4)
    assert got["target_gap"] == 9  # ceil(198.8) - 190, without those turning 17


def test_no_working_day_left_and_a_met_gap():
    # Deadline on Sunday 17 Nov, as of Saturday 16 Nov: no working day left.
    weekend = row(cov(10, 9, akan=(0, 0)), cov(10, 8), deadline=date(2024, 11, 17), as_of=date(2024, 11, 16))
    assert (weekend.working_days_left, weekend.gap_at_deadline, weekend.needed_per_working_day) == (0, 1, None)
    met = row(cov(10, 10, akan=(2, 0)), cov(10, 8), deadline=date(2024, 11, 17), as_of=date(2024, 11, 16))
    assert (met.gap_at_deadline, met.needed_per_working_day, met.projection_note) == (0, 0, "met")
    assert (met.projected_date, met.after_deadline) == (date(2024, 11, 16), False)


def test_an_empty_period_has_no_pace():
    got = row(cov(10, 8), cov(10, 8), since=AS_OF).as_json()
    assert (got["days"], got["pace_per_day"], got["per_week"], got["projection_note"]) == (
        0,
        None,
        None,
        "empty_period",
    )


def test_the_deadline_passed_keeps_a_shrinking_projection_but_needs_nothing():
    got = row(cov(10, 9), cov(10, 8), deadline=date(2024, 11, 11)).as_json()
    assert (got["projection_note"], got["projected_date"], got["after_deadline"]) == (
        "deadline_passed",
        "2024-11-25",
        True,
    )
    assert (got["needed_per_working_day"], got["gap_at_deadline"], got["working_days_left"]) == (None, None, None)


def test_a_region_with_a_kab_kota_missing_at_the_start_has_no_progress():
    now = [cov(9, 7, "13"), cov(5, 4, "13.01"), cov(4, 3, "13.09")]
    then = [cov(5, 3, "13"), cov(5, 3, "13.01")]
    rows = progress_rows(now, then, SINCE, AS_OF, None, "0001", False, {"13.09"})
    assert [r.no_progress_reason for r in rows] == ["no_data_at_start", None, "no_data_at_start"]
    kec = progress_rows([cov(4, 3, "13.09.01")], [], SINCE, AS_OF, None, "0001", False, {"13.09"})
    assert kec[0].no_progress_reason == "no_data_at_start"


def test_nobody_wajib_at_the_start_and_no_dated_recording():
    assert row(cov(3, 1), cov(0, 0)).no_progress_reason == "no_data_at_start"
    undated = ProgressRow(cov(3, 2, undated=2), cov(3, 2), SINCE, AS_OF, None, "0002", True)
    assert undated.no_progress_reason == "no_dated_recordings" and undated.recorded_since is None
    some_dated = ProgressRow(cov(3, 2, undated=1), cov(3, 1), SINCE, AS_OF, None, "0002", True)
    assert some_dated.no_progress_reason is None and some_dated.recorded_since == 1
    # With a baseline snapshot, the two exports date the change: undated recordings count.
    assert row(cov(3, 2, undated=2), cov(3, 1)).no_progress_reason is None


def test_every_note_has_a_text_in_both_languages():
    from rekam.messages import EN, ID

    for note in PROJECTION_NOTES:
        assert f"projection_{note}" in ID and f"projection_{note}" in EN
