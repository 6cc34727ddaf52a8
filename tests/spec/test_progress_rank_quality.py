"""Progress and data quality on small registers (the ranking: test_rank.py), figures worked out by hand,
on every engine (DuckDB, Spark, the reference engine)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import person, write_register

from rekam.api import Rekam
from rekam.config import Settings


def padang(serial: int, status: str = "CARD_ISSUED", recorded: str = "2015-01-01", **kw: str) -> str:
    return person(serial, "1990-01-01", status=status, recorded=recorded, **kw)


@pytest.fixture
def two_snapshots(cli, tmp_path):
    # 1 Nov: 10 wajib in Kota Padang, 8 recorded.  13 Nov: the 9th recorded on 5 Nov.
    first = [padang(i) for i in range(1, 9)] + [padang(9, "UNREGISTERED", ""), padang(10, "UNREGISTERED", "")]
    second = [padang(i) for i in range(1, 9)] + [padang(9, recorded="2024-11-05"), padang(10, "UNREGISTERED", "")]
    assert cli("import", write_register(tmp_path / "a.csv", first), "--date", "2024-11-01").code == 0
    assert cli("import", write_register(tmp_path / "b.csv", second), "--date", "2024-11-13").code == 0


def test_progress_by_hand(two_snapshots, engine):
    [row] = engine.progress(as_of=date(2024, 11, 13), since=date(2024, 11, 1), deadline=date(2024, 11, 27))
    got = row.as_json()
    assert (got["sudah_rekam_since"], got["sudah_rekam"], got["recorded_since"]) == (8, 9, 1)
    assert (got["coverage_pct_since"], got["coverage_pct"], got["change_pp"]) == (80.0, 90.0, 10.0)
    assert got["per_week"] == 0.6  # 1 recording in 12 days
    assert got["target_gap"] == 1  # ceil(99.4 % of 10) = 10, 9 recorded
    # The gap closed from 2 to 1 in 12 days: half of the opening gap, 1/12 = 0.08 a day.
    assert (got["target_gap_since"], got["gap_closed"], got["gap_closed_share"], got["pace_per_day"]) == (
        2,
        1,
        0.5,
        0.08,
    )
    # Thu 14 Nov .. Wed 27 Nov: 10 working days; nobody turns 17 by then, so the gap stays 1.
    assert (got["days_left"], got["working_days_left"], got["gap_at_deadline"], got["needed_per_working_day"]) == (
        14,
        10,
        1,
        1,
    )
    assert got["projected_date"] == "2024-11-25"  # 1 more at 1 per 12 days
    assert (got["projection_note"], got["after_deadline"], got["no_progress_reason"]) == ("shrinking", False, None)


def test_progress_defaults_to_the_semester_start(two_snapshots, cli):
    """Not the previous snapshot (issue 15): the semester of --as-of, read from the recording
    dates when no snapshot was exported by 1 July (person 9 recorded on 5 Nov)."""
    run = cli("progress", "--as-of", "2024-11-13", "--format", "json")
    [row] = run.json()
    assert (row["since"], row["baseline_from_recording_dates"], row["recorded_since"]) == ("2024-07-01", True, 1)


def test_progress_without_an_older_snapshot_reads_the_recording_dates(cli, tmp_path):
    rows = [padang(1, recorded="2024-10-01"), padang(2, recorded="2024-11-10"), padang(3, "UNREGISTERED", "")]
    cli("import", write_register(tmp_path / "a.csv", rows), "--date", "2024-11-13")
    [row] = Rekam(Settings.from_env()).progress(as_of=date(2024, 11, 13), since=date(2024, 11, 6))
    assert (row.as_json()["sudah_rekam_since"], row.as_json()["sudah_rekam"]) == (1, 2)


def test_quality_by_hand(cli, tmp_path, engine):
    good = padang(1)
    before_16 = person(2, "2000-01-01", status="CARD_ISSUED", recorded="2015-06-01")  # aged 15
    before_birth = person(3, "2000-01-01", status="CARD_ISSUED", recorded="1999-06-01")
    mismatch = person(4, "1990-01-01", status="CARD_ISSUED", recorded="2015-01-01").replace("1990-01-01", "1990-01-02")
    duplicate = good.replace("ORANG 1", "ORANG SATU")
    f = write_register(tmp_path / "q.csv", [good, before_16, before_birth, mismatch, duplicate])
    assert cli("import", f, "--date", "2024-11-13").code == 0
    [row] = engine.quality(level="kab")
    got = row.as_json()
    assert got["penduduk"] == 4
    # Recorded before birth is rekam_sebelum_lahir only, not also before 16 (issue 15).
    assert (got["rekam_sebelum_16"], got["rekam_sebelum_lahir"], got["nik_tgl_lahir_beda"]) == (1, 1, 1)
    assert got["duplikat_dikarantina"] == 1
    assert got["penduduk_bermasalah"] == 3  # before 16, before birth, NIK mismatch: three people
    # 3 of 4 residents with an issue: the desa is implausible.
    assert got["desa_flagged"] == 1


def test_a_resident_with_two_issues_counts_once_toward_implausible(cli, tmp_path, engine):
    # 20 residents, all recorded; one of them recorded at 15 AND with a NIK whose date
    # disagrees with TGL_LHR: two kinds, one person. 1/20 = 5 % is not more than 5 %, so the
    # desa is not flagged (summing the kinds gave 2/20 = 10 % and flagged it; issue 15).
    rows = [padang(i) for i in range(1, 20)]
    rows.append(
        person(20, "2000-01-01", status="CARD_ISSUED", recorded="2015-06-01").replace("2000-01-01", "2000-01-02")
    )
    assert cli("import", write_register(tmp_path / "two.csv", rows), "--date", "2024-11-13").code == 0
    [row] = engine.quality(level="kab")
    got = row.as_json()
    assert (got["penduduk"], got["rekam_sebelum_16"], got["nik_tgl_lahir_beda"]) == (20, 1, 1)
    assert got["penduduk_bermasalah"] == 1
    assert got["desa_flagged"] == 0
    # A second resident with an issue makes 2/20 = 10 %: flagged.
    rows[0] = padang(1).replace("1990-01-01", "1990-01-02")
    assert cli("import", write_register(tmp_path / "two2.csv", rows), "--date", "2024-11-14").code == 0
    [row] = engine.quality(level="kab")
    assert (row.as_json()["penduduk_bermasalah"], row.as_json()["desa_flagged"]) == (2, 1)


# Issue 15: a recording allowed by marriage is not REKAM_BEFORE_16; each person once per kind.
# serial | birth      | marital     | married_on | recorded   | before 16 | before birth
UNDER_AGE = """
  1 | 2008-05-01 | KAWIN       | 2023-06-01 | 2023-07-01 | 0 | 0
  2 | 2008-05-01 | KAWIN       |            | 2023-07-01 | 0 | 0
  3 | 2008-05-01 | CERAI HIDUP | 2023-01-01 | 2023-07-01 | 0 | 0
  4 | 2008-05-01 | KAWIN       | 2023-08-01 | 2023-07-01 | 1 | 0
  5 | 2008-05-01 | BELUM KAWIN |            | 2023-07-01 | 1 | 0
  6 | 2008-05-01 | BELUM KAWIN |            | 2024-04-30 | 1 | 0
  7 | 2008-05-01 | BELUM KAWIN |            | 2024-05-01 | 0 | 0
  8 | 2008-05-01 | BELUM KAWIN |            | 2008-04-30 | 0 | 1
  9 | 2008-05-01 | KAWIN       |            | 2008-04-30 | 0 | 1
 10 | 2008-02-29 | BELUM KAWIN |            | 2024-02-28 | 1 | 0
 11 | 2008-02-29 | BELUM KAWIN |            | 2024-02-29 | 0 | 0
"""


def _table(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in text.strip().splitlines()]


def test_recorded_under_age_by_hand(cli, tmp_path, engine):
    table = _table(UNDER_AGE)
    rows = [
        person(int(n), birth, sex="P", marital=m, married_on=kwn, status="CARD_ISSUED", recorded=rec)
        for n, birth, m, kwn, rec, _, _ in table
    ]
    assert cli("import", write_register(tmp_path / "u.csv", rows), "--date", "2024-11-13").code == 0
    [row] = engine.quality(level="kab")
    got = row.as_json()
    assert got["penduduk"] == len(table)
    assert got["rekam_sebelum_16"] == sum(int(r[5]) for r in table) == 4
    assert got["rekam_sebelum_lahir"] == sum(int(r[6]) for r in table) == 2


def test_the_import_warning_follows_the_same_rule(cli, tmp_path):
    table = _table(UNDER_AGE)
    rows = [
        person(int(n), birth, sex="P", marital=m, married_on=kwn, status="CARD_ISSUED", recorded=rec)
        for n, birth, m, kwn, rec, _, _ in table
    ]
    run = cli("import", write_register(tmp_path / "u.csv", rows), "--date", "2024-11-13", "--json")
    assert run.json()["warnings"].get("REKAM_BEFORE_16") == 4


def test_public_output_hides_small_counts(two_snapshots, cli):
    [row] = cli("coverage", "--as-of", "2024-11-13", "--format", "json", "--public").json()
    assert row["wajib"] == 10 and row["belum_rekam"] is None and row["coverage_pct"] is None
