"""Coverage on small registers written here, with figures worked out by hand.

As of 2024-11-13 (a Wednesday; 2024 is a leap year). The 17th-birthday cutoff is 2007-11-13.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import person, write_register

from rekam import api

AS_OF = date(2024, 11, 13)

# serial | birth      | sex | marital     | married_on | citizenship | permit | status                    | recorded   | wajib | sudah | ulang
TABLE = """
  1 | 2007-11-13 | L | BELUM KAWIN |            | WNI |      | CARD_ISSUED               | 2024-11-13 | 1 | 1 | 0
  2 | 2007-11-14 | L | BELUM KAWIN |            | WNI |      | UNREGISTERED              |            | 0 | 0 | 0
  3 | 2008-02-29 | P | BELUM KAWIN |            | WNI |      | UNREGISTERED              |            | 0 | 0 | 0
  4 | 2008-05-01 | P | KAWIN       |            | WNI |      | UNREGISTERED              |            | 1 | 0 | 0
  5 | 2008-05-01 | P | KAWIN       | 2024-12-01 | WNI |      | UNREGISTERED              |            | 0 | 0 | 0
  6 | 2008-05-01 | P | KAWIN       | 2024-06-01 | WNI |      | PRINT_READY_RECORD        | 2024-07-01 | 1 | 1 | 0
  7 | 2008-01-10 | P | CERAI HIDUP |            | WNI |      | UNREGISTERED              |            | 1 | 0 | 0
  8 | 2008-01-10 | P | CERAI MATI  |            | WNI |      | SENT_FOR_ENROLLMENT       | 2024-10-01 | 1 | 1 | 0
  9 | 1980-01-01 | L | KAWIN       |            | WNA | ITAP | CARD_ISSUED               | 2010-01-01 | 1 | 1 | 0
 10 | 1980-01-01 | L | KAWIN       |            | WNA | ITAS | CARD_ISSUED               | 2010-01-01 | 0 | 0 | 0
 11 | 1980-01-01 | L | KAWIN       |            | WNA |      | UNREGISTERED              |            | 0 | 0 | 0
 12 | 1990-03-03 | L | BELUM KAWIN |            | WNI |      | CARD_PRINTED              | 2024-11-14 | 1 | 0 | 0
 13 | 1990-03-03 | L | BELUM KAWIN |            | WNI |      | CARD_PRINTED              |            | 1 | 1 | 0
 14 | 1990-03-03 | L | BELUM KAWIN |            | WNI |      | ENROLL_FAILURE_AT_CENTRAL | 2019-01-01 | 1 | 0 | 1
 15 | 1990-03-03 | L | BELUM KAWIN |            | WNI |      | DUPLICATE_RECORD          | 2019-01-01 | 1 | 1 | 0
 16 | 2008-06-01 | L | BELUM KAWIN |            | WNI |      | PRINT_READY_RECORD        | 2024-09-01 | 0 | 0 | 0
"""


def rows_of(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in table.strip().splitlines()]


@pytest.fixture
def imported(cli, tmp_path):
    lines = []
    for serial, birth, sex, marital, married_on, cit, permit, status, recorded, *_ in rows_of(TABLE):
        lines.append(person(int(serial), birth, sex=sex, marital=marital, married_on=married_on,
                            citizenship=cit, permit=permit, status=status, recorded=recorded))  # fmt: skip
    run = cli("import", write_register(tmp_path / "r.csv", lines), "--date", "2024-11-13", "--json")
    assert run.code == 0 and run.json()["accepted"] == len(lines), run.err
    return run.json()


def test_each_boundary_by_hand(imported):
    rows = rows_of(TABLE)
    [cov] = api.coverage(as_of=AS_OF, level="desa")
    assert cov.wajib == sum(int(r[9]) for r in rows) == 10
    assert cov.sudah_rekam == sum(int(r[10]) for r in rows) == 6
    assert cov.perlu_rekam_ulang == sum(int(r[11]) for r in rows) == 1
    assert cov.belum_rekam == 4
    assert cov.coverage_pct == 60.0


def test_the_day_after_adds_the_birthday_and_the_late_recording(imported):
    [cov] = api.coverage(as_of=date(2024, 11, 14), level="desa")
    # serial 2 turns 17 (unrecorded); serial 12 recorded on the 14th.
    assert (cov.wajib, cov.sudah_rekam) == (11, 7)


def test_29_february_birthday_falls_on_1_march_in_common_years(imported):
    [before] = api.coverage(as_of=date(2025, 2, 28), level="desa")
    [on] = api.coverage(as_of=date(2025, 3, 1), level="desa")
    assert on.wajib - before.wajib == 1


def test_recorded_without_date_counts_only_from_the_export_date(imported):
    [cov] = api.coverage(as_of=date(2024, 11, 12), level="desa")
    # 13 has no date: not counted before 13 Nov; 1 recorded on the 13th and turns 17 on the 13th.
    assert (cov.wajib, cov.sudah_rekam) == (9, 4)


def test_every_level_adds_up(imported):
    totals = {level: [(r.region_code, r.wajib, r.sudah_rekam) for r in api.coverage(as_of=AS_OF, level=level)]
              for level in ("prov", "kab", "kec", "desa")}  # fmt: skip
    assert totals == {
        "prov": [("13", 10, 6)],
        "kab": [("13.71", 10, 6)],
        "kec": [("13.71.01", 10, 6)],
        "desa": [("13.71.01.1001", 10, 6)],
    }


def test_region_filter_and_unknown_region(imported, cli):
    assert [r.region_code for r in api.coverage(as_of=AS_OF, level="desa", region="1371")] == ["13.71.01.1001"]
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--region", "13.72")
    assert run.code == 1 and "13.72" in run.err
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "prov", "--region", "13.71")
    assert run.code == 1


def test_coverage_formats(imported, cli):
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--format", "json")
    [row] = run.json()
    assert row == {"region_code": "13.71", "region_name": "Kota Padang", "level": "kab", "wajib": 10,
                   "sudah_rekam": 6, "belum_rekam": 4, "perlu_rekam_ulang": 1, "coverage_pct": 60.0}  # fmt: skip
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--format", "csv")
    assert run.out.splitlines()[1] == "13.71,Kota Padang,kab,10,6,4,1,60.0"
    run = cli("coverage", "--as-of", "2024-11-13", "--level", "kab")
    assert "Kota Padang" in run.out and "60,00" in run.out
