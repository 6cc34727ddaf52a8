"""``rekam progress``: the evaluation period by name (--period), a bad period refused in the
user's language without a traceback, and the table's projection in words."""

from __future__ import annotations

import pytest
from tests.conftest import person, write_register


@pytest.fixture
def growing(cli, tmp_path):
    """Kota Padang, exported 13 Nov: 8 of 10 recorded long ago, one 16-year-old recorded early
    turning 17 on 5 Nov, two more turning 17 unrecorded: the gap grows from 2 to 4 in November."""
    rows = [person(i, "1990-01-01", status="CARD_ISSUED", recorded="2015-01-01") for i in range(1, 9)]
    rows += [person(9, "1990-01-01"), person(10, "1990-01-01")]
    rows += [person(24, "2007-11-05", status="CARD_ISSUED", recorded="2024-06-01")]
    rows += [person(25, "2007-11-03"), person(26, "2007-11-04")]
    assert cli("import", write_register(tmp_path / "r.csv", rows), "--date", "2024-11-13").code == 0


def test_a_named_period_sets_the_start_and_the_as_of_date(growing, cli):
    [row] = cli("progress", "--period", "2024-11", "--format", "json").json()
    assert (row["since"], row["as_of"]) == ("2024-11-01", "2024-11-30")  # its last day, before today
    [row] = cli("progress", "--period", "2024-q4", "--as-of", "2024-11-13", "--format", "json").json()
    assert (row["since"], row["as_of"], row["days"]) == ("2024-10-01", "2024-11-13", 43)
    assert (row["target_gap_since"], row["target_gap"], row["projection_note"]) == (2, 4, "growing")
    # --since is the explicit start and comes first.
    run = cli("progress", "--period", "2024-Q4", "--since", "2024-11-10", "--as-of", "2024-11-13", "--format", "json")
    assert run.json()[0]["since"] == "2024-11-10"


@pytest.mark.parametrize("bad", ["2024-S3", "2024-13", "S2", "semester 2"])
def test_a_bad_period_is_refused_in_indonesian(growing, cli, bad):
    run = cli("progress", "--period", bad, "--as-of", "2024-11-13")
    assert run.code == 1 and run.out == ""
    assert "Galat:" in run.err and "--period" in run.err and bad in run.err and "2024-S2" in run.err
    assert "Traceback" not in run.err


def test_a_period_after_the_as_of_date_is_refused(growing, cli):
    run = cli("progress", "--period", "2024-12", "--as-of", "2024-11-13")
    assert run.code == 1 and "--period" in run.err and "--as-of" in run.err


def test_the_table_says_the_period_and_why_there_is_no_date(growing, cli):
    run = cli("progress", "--as-of", "2024-11-13", "--period", "2024-11", "--deadline", "2024-11-27")
    assert run.code == 0, run.err
    assert "Periode evaluasi: 01-11-2024 s.d. 13-11-2024 (12 hari)." in run.err
    assert "10 hari kerja" in run.err and "tanggal rekam" in run.err
    assert "kekurangan" in run.out and "bertambah" in run.out  # not reached at this pace: the gap grows
    assert "perlu per" in run.out and "kurang pd" in run.out


def test_the_table_in_english(growing, cli, monkeypatch):
    monkeypatch.setenv("REKAM_LANG", "en")
    run = cli("progress", "--as-of", "2024-11-28", "--period", "2024-11", "--deadline", "2024-11-27")
    assert run.code == 0, run.err
    assert "Evaluation period: 1 Nov 2024 to 28 Nov 2024 (27 days)." in run.err
    assert "The deadline 27 Nov 2024 has passed." in run.err
    assert "deadline passed" in run.out


def test_a_start_after_the_as_of_date_is_refused(growing, cli):
    run = cli("progress", "--since", "2024-12-01", "--as-of", "2024-11-13")
    assert run.code == 1 and "--since: 2024-12-01" in run.err and "--as-of" in run.err


def test_holidays_given_are_left_out_of_the_working_days(growing, cli):
    args = ("progress", "--as-of", "2024-11-13", "--deadline", "2024-11-27")
    [row] = cli(*args, "--holiday", "2024-11-27", "--holiday", "2024-11-22", "--format", "json").json()
    assert row["working_days_left"] == 8  # 10 weekdays, Friday 22 and Wednesday 27 off
    run = cli(*args, "--holiday", "27-11-2024")
    assert run.code == 1 and "--holiday" in run.err and "Traceback" not in run.err
