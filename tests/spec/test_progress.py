"""Progress over an evaluation period, pace and projection (issue 15), worked by hand, on every
engine (DuckDB, Spark, the reference engine).

Each table lists residents with what the rules make of them at the start of the period (S) and
at the as-of date (D): wajib, recorded. The column sums are the figures; the figures derived from
them (gap, pace, projection) are worked in the comments. Target 99.4 %: with fewer than 167 wajib,
ceil(99.4 % x wajib) = wajib, so the gap to target is wajib - recorded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.conftest import person, write_register

from rekam.api import Rekam
from rekam.config import Settings

PADANG, PESSEL, MENTAWAI = "13.71.01.1001", "13.01.01.2001", "13.09.01.2001"


def rows_of(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in table.strip().splitlines()]


def register(table: str, desa: str, recorded_col: int = 3) -> list[str]:
    """Register rows of a table: serial | birth | status | recorded (empty: no TGL_REKAM)."""
    return [
        person(int(r[0]), r[1], desa=desa, status=r[2], recorded=r[recorded_col]) for r in rows_of(table) if r[2] != "-"
    ]


def total(table: str, col: int) -> int:
    return sum(int(r[col]) for r in rows_of(table))


def imported(cli, path: Path, rows: list[str], day: str) -> None:
    run = cli("import", write_register(path, rows), "--date", day)
    assert run.code == 0, run.err


def by_code(rows) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {r.now.region_code: r.as_json() for r in rows}


NO_PROGRESS = (
    "wajib_since",
    "sudah_rekam_since",
    "coverage_pct_since",
    "target_gap_since",
    "change_pp",
    "recorded_since",
    "per_week",
    "gap_closed",
    "gap_closed_share",
    "pace_per_day",
    "projected_date",
)


# A kab/kota new in the current snapshot (the Mentawai example): Pesisir Selatan is
# imported on 6 Nov, Pesisir Selatan and Mentawai on 13 Nov; the period is 6-13 Nov.
# serial | birth      | status on 6 Nov | recorded   | status on 13 Nov | recorded   | S: wajib | rec | D: wajib | rec
PESSEL_TABLE = """
  1 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  2 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  3 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  4 | 1990-01-01 | UNREGISTERED |            | CARD_ISSUED  | 2024-11-08 | 1 | 0 | 1 | 1
  5 | 1990-01-01 | UNREGISTERED |            | UNREGISTERED |            | 1 | 0 | 1 | 0
"""
# serial | birth      | status on 6 Nov | recorded | status on 13 Nov | recorded   | S: wajib | rec | D: wajib | rec
MENTAWAI_TABLE = """
  1 | 1990-01-01 | -               |          | CARD_ISSUED  | 2015-01-01 | 0 | 0 | 1 | 1
  2 | 1990-01-01 | -               |          | CARD_ISSUED  | 2015-01-01 | 0 | 0 | 1 | 1
  3 | 1990-01-01 | -               |          | CARD_ISSUED  | 2024-11-10 | 0 | 0 | 1 | 1
  4 | 1990-01-01 | -               |          | UNREGISTERED |            | 0 | 0 | 1 | 0
"""


def _second(table: str) -> str:
    """The table's columns on 13 Nov in the place of those on 6 Nov (serial | birth | status | recorded)."""
    return "\n".join(" | ".join([r[0], r[1], r[4], r[5]]) for r in rows_of(table))


@pytest.fixture
def mentawai_new(cli, tmp_path):
    imported(cli, tmp_path / "a.csv", register(PESSEL_TABLE, PESSEL), "2024-11-06")
    second = register(_second(PESSEL_TABLE), PESSEL) + register(_second(MENTAWAI_TABLE), MENTAWAI)
    imported(cli, tmp_path / "b.csv", second, "2024-11-13")


def test_a_kab_kota_new_in_the_current_snapshot_has_no_progress(mentawai_new, engine):
    rows = by_code(engine.progress(as_of=date(2024, 11, 13), since=date(2024, 11, 6)))
    pessel, mentawai = rows["13.01"], rows["13.09"]
    assert (pessel["wajib_since"], pessel["sudah_rekam_since"]) == (total(PESSEL_TABLE, 6), total(PESSEL_TABLE, 7))
    assert (pessel["wajib"], pessel["sudah_rekam"]) == (total(PESSEL_TABLE, 8), total(PESSEL_TABLE, 9)) == (5, 4)
    # Gap 5 - 3 = 2 at the start, 5 - 4 = 1 now: half closed in 7 days; 1 more at 1 a week.
    assert (pessel["target_gap_since"], pessel["target_gap"], pessel["gap_closed"]) == (2, 1, 1)
    assert (pessel["gap_closed_share"], pessel["pace_per_day"], pessel["per_week"]) == (0.5, 0.14, 1.0)
    assert (pessel["change_pp"], pessel["projected_date"], pessel["projection_note"]) == (
        20.0,
        "2024-11-20",
        "shrinking",
    )
    assert pessel["no_progress_reason"] is None and not pessel["baseline_from_recording_dates"]
    # Mentawai is not in the baseline snapshot: never progress from zero (was recorded_since 3,
    # per_week 3.0 and a projected date).
    assert (mentawai["wajib"], mentawai["sudah_rekam"], mentawai["target_gap"]) == (4, 3, 1)
    assert mentawai["no_progress_reason"] == "no_data_at_start" == mentawai["projection_note"]
    assert [k for k in NO_PROGRESS if mentawai[k] is not None] == []


def test_a_province_with_a_kab_kota_missing_at_the_start_has_no_progress(mentawai_new, engine):
    [province] = engine.progress(as_of=date(2024, 11, 13), since=date(2024, 11, 6), level="prov")
    assert (province.now.wajib, province.then.wajib if province.then else None) == (9, 5)  # 13.09 only now
    assert province.no_progress_reason == "no_data_at_start" and province.gap_closed is None


def test_one_region_missing_at_the_start_is_not_an_unknown_region(mentawai_new):
    [row] = Rekam(Settings.from_env()).progress(as_of=date(2024, 11, 13), since=date(2024, 11, 6), region="13.09")
    assert row.then is None and row.no_progress_reason == "no_data_at_start"


# Undated recordings, one snapshot exported on 13 Nov (no baseline snapshot): the start
# (6 Nov) is read from the recording dates, an undated recording counted as made by then.
# serial | birth      | status       | recorded   | S: wajib | rec | D: wajib | rec | undated
UNDATED_PADANG = """
  1 | 1990-01-01 | CARD_ISSUED  | 2024-10-01 | 1 | 1 | 1 | 1 | 0
  2 | 1990-01-01 | CARD_ISSUED  | 2024-11-10 | 1 | 0 | 1 | 1 | 0
  3 | 1990-01-01 | CARD_ISSUED  |            | 1 | 1 | 1 | 1 | 1
  4 | 1990-01-01 | UNREGISTERED |            | 1 | 0 | 1 | 0 | 0
  5 | 1990-01-01 | UNREGISTERED |            | 1 | 0 | 1 | 0 | 0
"""
# Mentawai's export has no TGL_REKAM for anyone recorded: no dated recording to read the start from.
UNDATED_MENTAWAI = """
  1 | 1990-01-01 | CARD_ISSUED  |            | 1 | 1 | 1 | 1 | 1
  2 | 1990-01-01 | CARD_ISSUED  |            | 1 | 1 | 1 | 1 | 1
  3 | 1990-01-01 | UNREGISTERED |            | 1 | 0 | 1 | 0 | 0
"""


def test_undated_recordings_without_a_baseline_snapshot(cli, tmp_path, engine):
    imported(
        cli, tmp_path / "a.csv", register(UNDATED_PADANG, PADANG) + register(UNDATED_MENTAWAI, MENTAWAI), "2024-11-13"
    )
    rows = by_code(engine.progress(as_of=date(2024, 11, 13), since=date(2024, 11, 6)))
    padang, mentawai = rows["13.71"], rows["13.09"]
    assert padang["baseline_from_recording_dates"] is True
    assert (padang["sudah_rekam_since"], padang["sudah_rekam"]) == (total(UNDATED_PADANG, 5), total(UNDATED_PADANG, 7))
    # Only person 2 recorded in the period (person 3 has no date: counted at the start, not 2).
    assert (padang["recorded_since"], padang["recorded_undated"]) == (1, total(UNDATED_PADANG, 8)) == (1, 1)
    # Gap 5 - 2 = 3, then 5 - 3 = 2: 1 closed in 7 days, 2 more take ceil(2 x 7 / 1) = 14 days.
    assert (padang["target_gap_since"], padang["gap_closed"], padang["gap_closed_share"]) == (3, 1, 0.3333)
    assert (padang["projected_date"], padang["change_pp"]) == ("2024-11-27", 20.0)
    # Mentawai: recorded people, none with a date (the issue: progress 100 in the ranking).
    assert (mentawai["sudah_rekam"], mentawai["recorded_undated"]) == (2, total(UNDATED_MENTAWAI, 8)) == (2, 2)
    assert mentawai["no_progress_reason"] == "no_dated_recordings" == mentawai["projection_note"]
    assert [k for k in NO_PROGRESS if mentawai[k] is not None] == []


# Undated recordings with a baseline snapshot (1 Nov) and the current one (13 Nov).
# serial | birth      | status on 1 Nov | recorded | status on 13 Nov | recorded   | S: rec | D: rec | S: rec from dates
UNDATED_TWO = """
  1 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1
  2 | 1990-01-01 | CARD_ISSUED  |            | CARD_ISSUED  |            | 1 | 1 | 1
  3 | 1990-01-01 | UNREGISTERED |            | CARD_ISSUED  |            | 0 | 1 | 1
  4 | 1990-01-01 | UNREGISTERED |            | CARD_ISSUED  | 2024-11-05 | 0 | 1 | 0
  5 | 1990-01-01 | UNREGISTERED |            | UNREGISTERED |            | 0 | 0 | 0
"""
# 2: undated in both exports; 3: not recorded on 1 Nov, recorded (undated) on 13 Nov: the two
# exports date the recording to between them, so from 1 Nov it counts in the period; from
# 31 Oct (no snapshot exported by then) the start is read from the 13 Nov recording dates and
# person 3, undated, counts at the start.


def test_undated_recordings_with_a_baseline_snapshot(cli, tmp_path, engine):
    imported(cli, tmp_path / "a.csv", register(UNDATED_TWO, PADANG), "2024-11-01")
    imported(cli, tmp_path / "b.csv", register(_second(UNDATED_TWO), PADANG), "2024-11-13")
    [row] = engine.progress(as_of=date(2024, 11, 13), since=date(2024, 11, 1))
    got = row.as_json()
    assert got["baseline_from_recording_dates"] is False and row.baseline_snapshot.endswith("20241101")
    assert (got["sudah_rekam_since"], got["sudah_rekam"]) == (total(UNDATED_TWO, 6), total(UNDATED_TWO, 7)) == (2, 4)
    assert (got["recorded_since"], got["recorded_undated"], got["target_gap_since"], got["target_gap"]) == (2, 2, 3, 1)
    [row] = engine.progress(as_of=date(2024, 11, 13), since=date(2024, 10, 31))
    got = row.as_json()
    assert got["baseline_from_recording_dates"] is True
    assert (got["sudah_rekam_since"], got["recorded_since"]) == (total(UNDATED_TWO, 8), 1) == (3, 1)


# A gap growing while sudah_rekam rises: one export (13 Nov), the period 1-13 Nov. Four turn 17
# in the period (24: recorded early at 16, so sudah_rekam rises with nobody recording).
# serial | birth      | status       | recorded   | S: wajib | rec | D: wajib | rec
GROWING = """
  1 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  2 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  3 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  4 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  5 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  6 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  7 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  8 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 1 | 1
  9 | 1990-01-01 | UNREGISTERED |            | 1 | 0 | 1 | 0
 10 | 1990-01-01 | UNREGISTERED |            | 1 | 0 | 1 | 0
 24 | 2007-11-05 | CARD_ISSUED  | 2024-06-01 | 0 | 0 | 1 | 1
 25 | 2007-11-03 | UNREGISTERED |            | 0 | 0 | 1 | 0
 26 | 2007-11-04 | UNREGISTERED |            | 0 | 0 | 1 | 0
 27 | 2007-11-06 | UNREGISTERED |            | 0 | 0 | 1 | 0
"""


def test_a_gap_growing_while_sudah_rekam_rises_has_no_projected_date(cli, tmp_path, engine):
    imported(cli, tmp_path / "a.csv", register(GROWING, PADANG), "2024-11-13")
    [row] = engine.progress(as_of=date(2024, 11, 13), since=date(2024, 11, 1))
    got = row.as_json()
    assert (got["wajib_since"], got["sudah_rekam_since"]) == (total(GROWING, 4), total(GROWING, 5)) == (10, 8)
    assert (got["wajib"], got["sudah_rekam"]) == (total(GROWING, 6), total(GROWING, 7)) == (14, 9)
    # 80.00 % -> 9/14 = 64.29 %; gap ceil(9.94) - 8 = 2 -> ceil(13.916) - 9 = 5.
    assert (got["recorded_since"], got["change_pp"]) == (1, -15.71)
    assert (got["target_gap_since"], got["target_gap"], got["gap_closed"]) == (2, 5, -3)
    assert (got["gap_closed_share"], got["pace_per_day"]) == (-1.5, -0.25)  # -3 / 2, -3 / 12 days
    # Before issue 15: projected from the rise in sudah_rekam, as_of + ceil(5 x 12 / 1) = 2025-01-12.
    assert (got["projected_date"], got["projection_note"], got["after_deadline"]) == (None, "growing", None)


# The gap at the deadline (27 Nov) with akan wajib: one export (13 Nov), the period 1-13 Nov.
# serial | birth      | status       | recorded   | D: wajib | rec | akan wajib by 27 Nov | not recorded
DEADLINE = """
  1 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  2 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  3 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  4 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  5 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  6 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  7 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  8 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | 1 | 1 | 0 | 0
  9 | 1990-01-01 | UNREGISTERED |            | 1 | 0 | 0 | 0
 30 | 2007-11-20 | CARD_ISSUED  | 2024-08-01 | 0 | 0 | 1 | 0
 31 | 2007-11-25 | UNREGISTERED |            | 0 | 0 | 1 | 1
 32 | 2007-11-27 | UNREGISTERED |            | 0 | 0 | 1 | 1
 33 | 2007-11-28 | UNREGISTERED |            | 0 | 0 | 0 | 0
"""
# 30: recorded early at 16, 17 on 20 Nov; 31: 17 on 25 Nov; 32: 17 on the deadline; 33: the day after.


@pytest.fixture
def deadline_register(cli, tmp_path):
    imported(cli, tmp_path / "a.csv", register(DEADLINE, PADANG), "2024-11-13")


def test_the_gap_at_the_deadline_counts_akan_wajib(deadline_register, engine):
    [row] = engine.progress(as_of=date(2024, 11, 13), since=date(2024, 11, 1), deadline=date(2024, 11, 27))
    got = row.as_json()
    assert (
        (got["wajib"], got["sudah_rekam"], got["target_gap"])
        == (total(DEADLINE, 4), total(DEADLINE, 5), 1)
        == (9, 8, 1)
    )
    assert (got["akan_wajib"], got["akan_wajib_belum_rekam"]) == (total(DEADLINE, 6), total(DEADLINE, 7)) == (3, 2)
    # ceil(99.4 % x (9 + 3)) = ceil(11.928) = 12 needed by 27 Nov; 8 + (3 - 2) = 9 recorded: 3 short.
    assert got["gap_at_deadline"] == 3
    # Thu 14, Fri 15, Mon 18 - Fri 22, Mon 25 - Wed 27 Nov: 10 working days; ceil(3 / 10) = 1.
    assert (got["working_days_left"], got["days_left"], got["needed_per_working_day"]) == (10, 14, 1)
    # Gap 1 on 1 Nov and on 13 Nov: not reached at this pace.
    assert (got["target_gap_since"], got["gap_closed"], got["projected_date"]) == (1, 0, None)
    assert got["projection_note"] == "unchanged"
    # Pilkada day (27 Nov) a holiday, and the two days before it too: 7 working days, ceil(3 / 7) = 1.
    off = (date(2024, 11, 25), date(2024, 11, 26), date(2024, 11, 27))
    [row] = engine.progress(
        as_of=date(2024, 11, 13), since=date(2024, 11, 1), deadline=date(2024, 11, 27), holidays=off
    )
    assert (row.working_days_left, row.needed_per_working_day) == (7, 1)


def test_after_the_deadline(deadline_register, engine):
    [row] = engine.progress(as_of=date(2024, 11, 28), since=date(2024, 11, 1), deadline=date(2024, 11, 27))
    got = row.as_json()
    # As of 28 Nov: 30-33 are 17 (33 on the day); 9 + 1 recorded of 13: gap ceil(12.922) - 9 = 4.
    assert (got["wajib"], got["sudah_rekam"], got["target_gap"], got["gap_closed"]) == (13, 9, 4, -3)
    assert (got["days_left"], got["working_days_left"]) == (-1, None)
    # Not the whole gap per day (before issue 15: needed_per_day = 4): nothing is needed "by" a past date.
    assert (got["gap_at_deadline"], got["needed_per_working_day"], got["akan_wajib"]) == (None, None, None)
    assert (got["projection_note"], got["projected_date"]) == ("deadline_passed", None)


# Two exports of Kota Padang (1 and 13 Nov), and a third one (8 Nov) imported between them.
# serial | birth      | 1 Nov        | recorded   | 8 Nov        | recorded   | 13 Nov       | recorded
THREE = """
  1 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01
  2 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01
  3 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01
  4 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01
  5 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01
  6 | 1990-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01 | CARD_ISSUED  | 2015-01-01
  7 | 1990-01-01 | UNREGISTERED |            | CARD_ISSUED  | 2024-11-04 | CARD_ISSUED  | 2024-11-04
  8 | 1990-01-01 | UNREGISTERED |            | UNREGISTERED |            | CARD_ISSUED  | 2024-11-10
  9 | 1990-01-01 | UNREGISTERED |            | UNREGISTERED |            | CARD_ISSUED  |
 10 | 1990-01-01 | UNREGISTERED |            | UNREGISTERED |            | UNREGISTERED |
"""


def _export(table: str, index: int) -> str:
    """serial | birth | status | recorded of export ``index`` (0, 1, 2)."""
    return "\n".join(" | ".join([r[0], r[1], r[2 + 2 * index], r[3 + 2 * index]]) for r in rows_of(table))


def test_a_snapshot_added_inside_the_period_changes_nothing(cli, tmp_path, monkeypatch, engine):
    homes = {}
    for name, exports in (("two", (0, 2)), ("three", (0, 1, 2))):
        home = homes[name] = tmp_path / name
        monkeypatch.setenv("REKAM_HOME", str(home))
        for i in exports:
            day = ("2024-11-01", "2024-11-08", "2024-11-13")[i]
            imported(cli, tmp_path / f"{name}-{i}.csv", register(_export(THREE, i), PADANG), day)
    kw = dict(as_of=date(2024, 11, 13), since=date(2024, 11, 3), deadline=date(2024, 11, 27))
    two = [r.as_json() for r in engine.progress(home=homes["two"], **kw)]  # type: ignore[arg-type]
    three = [r.as_json() for r in engine.progress(home=homes["three"], **kw)]  # type: ignore[arg-type]
    assert two == three
    # From the 1 Nov export: 6 recorded, gap 4; on 13 Nov 9 recorded, gap 1 (9 undated, counted
    # in the period by the two exports).
    assert (two[0]["target_gap_since"], two[0]["target_gap"], two[0]["recorded_since"]) == (4, 1, 3)
    assert two[0]["baseline_snapshot"] == "0001-20241101"


def test_a_snapshot_added_inside_a_named_or_default_period_changes_nothing(cli, tmp_path, monkeypatch):
    got = {}
    for name, exports in (("two", (0, 2)), ("three", (0, 1, 2))):
        monkeypatch.setenv("REKAM_HOME", str(tmp_path / name))
        for i in exports:
            day = ("2024-11-01", "2024-11-08", "2024-11-13")[i]
            imported(cli, tmp_path / f"{name}-{i}.csv", register(_export(THREE, i), PADANG), day)
        rekam = Rekam(Settings.from_env())
        got[name] = [
            [r.as_json() for r in rekam.progress(as_of=date(2024, 11, 13), period="2024-11")],
            # read from the current snapshot's dates: its id (0002 or 0003) aside, the same
            [{**r.as_json(), "baseline_snapshot": None} for r in rekam.progress(as_of=date(2024, 11, 13))],
        ]
    assert got["two"] == got["three"]
    named, default = got["two"]
    assert (named[0]["since"], named[0]["baseline_from_recording_dates"]) == ("2024-11-01", False)
    assert (default[0]["since"], default[0]["baseline_from_recording_dates"]) == ("2024-07-01", True)


def test_progress_on_the_demo_register_equals_the_reference(demo_home, engine):
    """Every key of every kab/kota on the synthetic register (one export, read from its recording
    dates; it has undated recordings) agrees with the reference engine, at kab and kec level."""
    from tests.support.reference_engine import ReferenceEngine

    from rekam.register.store import Store

    reference = ReferenceEngine(Store(demo_home))
    kw = dict(as_of=date(2024, 11, 13), since=date(2024, 7, 1), deadline=date(2024, 11, 27))
    for level in ("kab", "kec"):
        expected = [r.as_json() for r in reference.progress(level=level, **kw)]  # type: ignore[arg-type]
        got = [r.as_json() for r in engine.progress(home=demo_home, level=level, **kw)]  # type: ignore[arg-type]
        assert got == expected
    assert sum(r["recorded_undated"] for r in expected) > 0
    assert {r["projection_note"] for r in expected} - {"met"}, "some kecamatan have not met the target"
