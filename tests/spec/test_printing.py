"""Printing (issue 15) on a small register worked by hand, on every engine: only a
PRINT_READY_RECORD can be printed (FACTS.md section 3.3), so ``belum_cetak`` is the PRR backlog;
records still at the centre are ``menunggu_pusat``; DUPLICATE_RECORD is neither and is out of
the ranking's printing component (printed / (printed + PRR)).
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import person, write_register

from rekam.analytics.rank import component_scores
from rekam.api import Rekam
from rekam.config import Settings

AS_OF = date(2024, 11, 13)

# serial | status                    | recorded   | stage (by hand)
TABLE = """
  1 | PRINT_READY_RECORD        | 2024-01-01 | belum_cetak
  2 | PRINT_READY_RECORD        | 2024-10-01 | belum_cetak
  3 | SENT_FOR_ENROLLMENT       | 2024-10-01 | menunggu_pusat
  4 | BIO_CAPTURED              | 2024-11-01 | menunggu_pusat
  5 | ADJUDICATE_RECORD         | 2024-06-01 | menunggu_pusat
  6 | DUPLICATE_RECORD          | 2019-01-01 | duplikat
  7 | CARD_ISSUED               | 2015-01-01 | sudah_cetak
  8 | CARD_ISSUED               | 2016-01-01 | sudah_cetak
  9 | CARD_PRINTED              | 2024-03-01 | sudah_cetak
 10 | UNREGISTERED              |            | -
 11 | ENROLL_FAILURE_AT_CENTRAL | 2019-01-01 | -
"""


def rows_of(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in table.strip().splitlines()]


@pytest.fixture
def imported(cli, tmp_path):
    # Everyone is a wajib adult (born 1990) in one desa of Kota Padang.
    lines = [person(int(s), "1990-01-01", status=st, recorded=rec) for s, st, rec, _ in rows_of(TABLE)]
    run = cli("import", write_register(tmp_path / "r.csv", lines), "--date", "2024-11-13", "--json")
    assert run.code == 0 and run.json()["accepted"] == len(lines), run.err


def by_hand(stage: str) -> int:
    return sum(1 for *_, s in rows_of(TABLE) if s == stage)


def test_printing_figures_by_hand_on_each_engine(imported, engine):
    [row] = engine.coverage(AS_OF, "kab")
    got = row.as_json()
    assert (got["wajib"], got["sudah_rekam"]) == (11, 9)  # 10 unregistered, 11 failed
    assert got["belum_cetak"] == by_hand("belum_cetak") == 2  # PRR only (before: 5, SFE/BIO/ADJ too)
    assert got["prr"] == 2
    assert got["menunggu_pusat"] == by_hand("menunggu_pusat") == 3  # SFE, BIO_CAPTURED, ADJUDICATE
    assert got["duplikat"] == by_hand("duplikat") == 1
    assert got["sudah_cetak"] == by_hand("sudah_cetak") == 3
    # Every recorded person is in exactly one printing stage.
    assert got["sudah_cetak"] + got["belum_cetak"] + got["menunggu_pusat"] + got["duplikat"] == got["sudah_rekam"]


def test_printing_component_counts_only_what_the_dinas_can_act_on(imported, engine):
    [row] = engine.coverage(AS_OF, "kab")
    scored = component_scores(row.as_json(), None, flagged_desa=0)
    # 100 x 3 printed / (3 printed + 2 PRR) = 60; before: 100 x (1 - 5 / 9) = 44.44, with the
    # three records at the centre counted against the Dinas and the duplicate counted as printed.
    assert scored.printing_pct == 60.0


def test_printing_component_is_full_when_nothing_is_printable():
    figures = {"region_code": "13.71", "region_name": "A", "coverage_pct": 50.0, "target_gap": 1}
    figures |= {"pemula": 0, "pemula_belum_rekam": 0, "sudah_rekam": 4, "sudah_cetak": 0, "belum_cetak": 0}
    # Four recorded, all waiting at the centre or duplicates: nothing the Dinas can print.
    assert component_scores(figures, None, flagged_desa=0).printing_pct == 100.0


def test_belum_cetak_list_shows_only_printable_people(imported, engine):
    if engine.name == "reference":
        pytest.skip("the by-name list is SQL only; the reference engine counts the same flag above")
    people, _ = Rekam(Settings.from_env()).list_people("belum-cetak", "13.71", as_of=AS_OF, engine=engine.name)
    assert sorted(p.name for p in people) == ["ORANG 1", "ORANG 2"]
    assert {p.ktp_status for p in people} == {"PRINT_READY_RECORD"}
