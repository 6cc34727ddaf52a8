"""Risiko nonaktif, nonaktif and pemula (issue 15), worked by hand, on every engine.

Deactivation date (Permendagri 95/2019 Pasal 96, FACTS.md): 5 years after becoming wajib, at 17
or at marriage when married younger (TGL_KWN; an undated marriage gives the 17th birthday).
As of D = 2024-11-13 the risiko window is (2024-11-13, 2025-11-13]; on or before D: nonaktif.

Pemula for E = 2024-11-27 since the Pemilu of 2024-02-14: a voter on E (17, or married by E)
who was not a voter on 2024-02-14 (17 by then, or married on a known TGL_KWN by then).
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import person, write_register

from rekam.api import Rekam
from rekam.config import Settings

AS_OF = date(2024, 11, 13)
PILKADA, PEMILU = date(2024, 11, 27), date(2024, 2, 14)
RISK_DESA, PEMULA_DESA = "13.71.01.1001", "13.71.01.1002"

# serial | birth      | marital     | married_on | status                    | recorded   | deactivation | risiko | nonaktif
RISK = """
  1 | 2003-06-01 | BELUM KAWIN |            | UNREGISTERED              |            | 2025-06-01 | 1 | 0
  2 | 2002-11-14 | BELUM KAWIN |            | UNREGISTERED              |            | 2024-11-14 | 1 | 0
  3 | 2002-11-13 | BELUM KAWIN |            | UNREGISTERED              |            | 2024-11-13 | 0 | 1
  4 | 2003-11-13 | BELUM KAWIN |            | UNREGISTERED              |            | 2025-11-13 | 1 | 0
  5 | 2003-11-14 | BELUM KAWIN |            | UNREGISTERED              |            | 2025-11-14 | 0 | 0
  6 | 1964-06-01 | BELUM KAWIN |            | UNREGISTERED              |            | 1986-06-01 | 0 | 1
  7 | 2005-03-01 | KAWIN       | 2020-06-01 | UNREGISTERED              |            | 2025-06-01 | 1 | 0
  8 | 2004-03-01 | KAWIN       | 2019-06-01 | UNREGISTERED              |            | 2024-06-01 | 0 | 1
  9 | 2009-01-01 | KAWIN       |            | UNREGISTERED              |            | 2031-01-01 | 0 | 0
 10 | 2003-06-01 | BELUM KAWIN |            | CARD_ISSUED               | 2024-01-01 | 2025-06-01 | 0 | 0
 11 | 2003-06-01 | BELUM KAWIN |            | ENROLL_FAILURE_AT_CENTRAL | 2021-01-01 | 2025-06-01 | 1 | 0
 12 | 2000-01-01 | KAWIN       | 2018-06-01 | UNREGISTERED              |            | 2022-01-01 | 0 | 1
"""
# 1: 21, 22 in the window; 2: 22 the day after D; 3: 22 on D (past); 4: 22 on the window's last
# day; 5: the day after; 6: 60, long past (a SIAK follow-up, not a risk); 7: married at 15, wajib
# since 2020-06-01, deactivated 2025-06-01 aged 20; 8: married at 15, past at 20; 9: married, no
# TGL_KWN: the 22nd birthday; 10: recorded; 11: failed enrolment (must record again); 12: married
# at 18: the 22nd birthday.

# serial | birth      | marital     | married_on | citizenship | permit | pemula since Pemilu | pemula 1 year
PEMULA = """
 21 | 2007-02-14 | BELUM KAWIN |            | WNI |      | 0 | 1
 22 | 2007-02-15 | BELUM KAWIN |            | WNI |      | 1 | 1
 23 | 2007-11-27 | BELUM KAWIN |            | WNI |      | 1 | 1
 24 | 2007-11-28 | BELUM KAWIN |            | WNI |      | 0 | 0
 25 | 2008-05-01 | KAWIN       | 2024-06-01 | WNI |      | 1 | 1
 26 | 2008-05-01 | KAWIN       | 2024-01-01 | WNI |      | 0 | 1
 27 | 2008-05-01 | KAWIN       |            | WNI |      | 1 | 1
 28 | 2000-01-01 | BELUM KAWIN |            | WNI |      | 0 | 0
 29 | 2007-05-01 | BELUM KAWIN |            | WNA | ITAP | 0 | 0
"""
# 21: 17 on Pemilu day, voted then; 22: 17 the day after; 23: 17 on Pilkada day; 24: the day
# after; 25: married at 16 after the Pemilu (FACTS section 1: is_voter and now pemula); 26:
# married before the Pemilu, a voter then; 27: married, no TGL_KWN: counted as pemula (an
# undated marriage never makes anyone a voter at the window's start); 28: older; 29: not WNI.


def rows_of(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in table.strip().splitlines()]


@pytest.fixture
def imported(cli, tmp_path):
    lines = [
        person(int(s), birth, marital=marital, married_on=married_on, status=status, recorded=recorded)
        for s, birth, marital, married_on, status, recorded, *_ in rows_of(RISK)
    ]
    lines += [
        person(int(s), birth, marital=marital, desa=PEMULA_DESA, married_on=married_on, citizenship=cit, permit=permit)
        for s, birth, marital, married_on, cit, permit, *_ in rows_of(PEMULA)
    ]
    run = cli("import", write_register(tmp_path / "r.csv", lines), "--date", "2024-11-13", "--json")
    assert run.code == 0 and run.json()["accepted"] == len(lines), run.err
    return run.json()


def test_risiko_nonaktif_and_nonaktif_by_hand(imported, engine):
    [row, _] = engine.coverage(AS_OF, "desa")
    assert row.region_code == RISK_DESA
    rows = rows_of(RISK)
    assert row.counts["risiko_nonaktif"] == sum(int(r[7]) for r in rows) == 5  # 1, 2, 4, 7, 11
    assert row.counts["nonaktif"] == sum(int(r[8]) for r in rows) == 4  # 3, 6, 8, 12


def test_the_day_after_moves_the_boundary(imported, engine):
    [row, _] = engine.coverage(date(2024, 11, 14), "desa")
    # 2 is now past (22 on the 14th); 5 enters the window (2025-11-14); 24 turns 17 on 2024-11-28: no.
    assert (row.counts["risiko_nonaktif"], row.counts["nonaktif"]) == (5, 5)


def test_pemula_since_the_pemilu_by_hand(imported, engine):
    [risk, row] = engine.coverage(AS_OF, "desa", election_date=PILKADA, pemula_window=PEMILU)
    assert row.region_code == PEMULA_DESA
    assert risk.counts["pemula"] == 1  # 9: married at 15, no TGL_KWN
    assert row.counts["pemula"] == sum(int(r[6]) for r in rows_of(PEMULA)) == 4  # 22, 23, 25, 27
    assert row.counts["pemula_belum_rekam"] == 4
    [_, year] = engine.coverage(AS_OF, "desa", election_date=PILKADA, pemula_window=1)
    assert year.counts["pemula"] == sum(int(r[7]) for r in rows_of(PEMULA)) == 6  # and 21, 26


def test_the_list_shows_each_deactivation_date(imported):
    found, _ = Rekam(Settings.from_env()).list_people("risiko-nonaktif", RISK_DESA, AS_OF)
    expected = {int(r[0]): date.fromisoformat(r[6]) for r in rows_of(RISK) if r[7] == "1"}
    assert {int(p.nik[-4:]): p.deactivation_date for p in found} == expected
    assert all(p.reason.endswith(f"({p.deactivation_date:%d-%m-%Y})") for p in found)
    assert "deactivation_date" in found[0].as_row()
    past, _ = Rekam(Settings.from_env()).list_people("nonaktif", RISK_DESA, AS_OF)
    assert {int(p.nik[-4:]): p.deactivation_date for p in past} == {
        int(r[0]): date.fromisoformat(r[6]) for r in rows_of(RISK) if r[8] == "1"
    }


def test_since_election_on_the_command_line(imported, cli):
    args = ("coverage", "--as-of", "2024-11-13", "--level", "desa", "--election-date", "2024-11-27", "--format", "json")
    run = cli(*args, "--since-election", "2024-02-14")
    assert run.code == 0, run.err
    assert run.json()[1]["pemula"] == 4 and run.json()[0]["nonaktif"] == 4
    run = cli(*args, "--since-election", "2024-11-27")
    assert run.code == 1 and "--since-election" in run.err


def test_a_window_in_days(imported, cli):
    args = ("coverage", "--as-of", "2024-11-13", "--level", "desa", "--election-date", "2024-11-27", "--format", "json")
    # 287 days before 2024-11-27 is 2024-02-14, the Pemilu.
    run = cli(*args, "--pemula-window-days", "287")
    assert run.code == 0, run.err
    assert run.json()[1]["pemula"] == 4
