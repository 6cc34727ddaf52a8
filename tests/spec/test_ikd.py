"""IKD (the digital ID) figures on a small register written here, worked out by hand, on every
engine (DuckDB, Spark, the reference engine): issue 19's spec table.

As of 2024-11-13 (the export date). Every resident lives in Kota Padang (13.71). The columns
STATUS_IKD, TGL_AKTIVASI_IKD and KAB_AKTIVASI_IKD follow the register's own.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import IKD_COLUMNS, person, write_register

AS_OF = date(2024, 11, 13)

# serial | birth      | sex | status              | recorded   | ikd status | ikd date   | ikd kab | why
TABLE = """
  1 | 1990-01-01 | L | CARD_ISSUED         | 2015-01-01 | AKTIF   | 2024-05-01 | 13.71 | activated at home
  2 | 1990-01-01 | P | CARD_ISSUED         | 2015-01-01 | SUDAH   | 2024-06-01 | 13.72 | by Kota Solok: counted here, and apart
  3 | 1995-01-01 | L | PRINT_READY_RECORD  | 2024-01-01 | AKTIF   | 2024-12-01 |       | after the as-of date
  4 | 1995-01-01 | P | UNREGISTERED        |            | AKTIF   | 2024-03-01 |       | not recorded: a data-quality case
  5 | 2000-01-01 | L | CARD_ISSUED         | 2018-01-01 | BELUM   |            |       | not activated
  6 | 2000-01-01 | P | CARD_ISSUED         | 2018-01-01 | AKTIF   |            |       | no date: from the export date on
  7 | 1980-01-01 | L | SENT_FOR_ENROLLMENT | 2024-10-01 |         |            |       | no IKD value
  8 | 2007-11-14 | L | PRINT_READY_RECORD  | 2024-09-01 | AKTIF   | 2024-10-01 |       | 16 on D: not wajib yet
  9 | 1985-01-01 | L | UNREGISTERED        |            | BELUM   |            |       |
 10 | 1970-01-01 | L | CARD_ISSUED         | 2012-01-01 | YA      | 2023-01-01 | 1371  | 1371 is 13.71: at home
 11 | 1975-01-01 | P | CARD_ISSUED         | 2012-01-01 | MUNGKIN |            |       | not a value: blanked, warned
"""


def _rows() -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in TABLE.strip().splitlines()]


@pytest.fixture
def imported(cli, tmp_path):
    lines = [
        f"{person(int(serial), birth, sex=sex, status=status, recorded=recorded)},{ikd},{ikd_date},{ikd_kab}"
        for serial, birth, sex, status, recorded, ikd, ikd_date, ikd_kab, _ in _rows()
    ]
    path = write_register(tmp_path / "r.csv", lines, IKD_COLUMNS)
    run = cli("import", path, "--date", "2024-11-13", "--json")
    assert run.code == 0 and run.json()["accepted"] == len(lines), run.err
    return run.json()


def test_the_import_warns_of_what_is_not_an_activation(imported):
    warnings = imported["warnings"]
    assert warnings["IKD_WITHOUT_RECORDING"] == 1  # 4
    assert warnings["IKD_AFTER_SNAPSHOT"] == 1  # 3
    assert warnings["INVALID_STATUS_IKD"] == 1  # 11


def test_ikd_figures_by_hand(imported, engine):
    [row] = engine.coverage(AS_OF, "kab")
    figures = row.as_json()
    assert (figures["wajib"], figures["sudah_rekam"]) == (10, 8)  # 8 is 16; 4 and 9 unrecorded
    assert figures["ikd_aktif"] == 4  # 1, 2, 6, 10
    assert figures["ikd_aktif_luar"] == 1  # 2, activated by 13.72
    assert figures["ikd_tanpa_rekam"] == 1  # 4
    assert (figures["ikd_basis"], figures["ikd_pct"], figures["ikd_gap"]) == ("wajib", 40.0, 0)
    assert figures["by_sex"]["L"]["ikd_aktif"] == 2 and figures["by_sex"]["P"]["ikd_aktif"] == 2
    bands = {band: cells["ikd_aktif"] for band, cells in figures["by_age_band"].items()}
    assert bands == {"17-20": 0, "21-29": 1, "30-44": 2, "45-59": 1, "60+": 0}


@pytest.mark.parametrize(
    ("basis", "target", "pct", "gap"),
    [
        ("wajib", 30, 40.0, 0),  # ceil(3.0) = 3 <= 4
        ("sudah_rekam", 30, 50.0, 0),
        ("wajib", 60, 40.0, 2),  # ceil(6.0) - 4
        ("sudah_rekam", 60, 50.0, 1),  # ceil(4.8) - 4
    ],
)
def test_both_denominators_and_the_target(imported, engine, basis, target, pct, gap):
    [row] = engine.coverage(AS_OF, "kab", ikd_basis=basis, ikd_target=target)
    assert (row.ikd_pct, row.ikd_gap) == (pct, gap)


def test_activations_count_from_their_date(imported, engine):
    [before] = engine.coverage(date(2024, 11, 12), "kab")
    assert before.ikd_aktif == 3  # 6 has no date: counted only from the export date (13 Nov)
    [later] = engine.coverage(date(2024, 12, 1), "kab")
    assert later.ikd_aktif == 6  # 3 activated on 1 Dec; 8 is 17 (wajib) by then


def test_an_older_import_without_the_ikd_columns_reads_as_no_activation(imported, engine, cli, tmp_path):
    """A snapshot that keeps one kab/kota's rows from an import made before the IKD columns
    (here: Kota Solok imported without them) reads them as not activated, on every engine."""
    solok = [person(i, "1990-01-01", desa="13.72.01.1001", status="CARD_ISSUED", recorded="2015-01-01") for i in (1, 2)]
    old = write_register(tmp_path / "solok.csv", solok)
    run = cli("import", old, "--date", "2024-11-13", "--json")
    assert run.code == 0, run.err
    rows = {r.region_code: r for r in engine.coverage(AS_OF, "kab")}
    assert rows["13.72"].wajib == 2 and rows["13.72"].ikd_aktif == 0
    assert rows["13.71"].ikd_aktif == 4


def test_the_command_line_gives_the_ikd_figures(imported, cli):
    run = cli(
        "coverage", "--as-of", "2024-11-13", "--format", "json", "--ikd-basis", "sudah_rekam", "--ikd-target", "45"
    )
    assert run.code == 0, run.err
    [row] = run.json()
    assert (row["ikd_aktif"], row["ikd_pct"], row["ikd_gap"], row["ikd_basis"]) == (4, 50.0, 0, "sudah_rekam")
    assert row["ikd_target_pct"] == 45.0
    table = cli("coverage", "--as-of", "2024-11-13", "--view", "ikd")
    assert table.code == 0 and "IKD %" in table.out and "40,00" in table.out
    bad = cli("coverage", "--as-of", "2024-11-13", "--ikd-target", "130")
    assert bad.code != 0 and "130" in bad.err


def _nik(serial: int) -> str:
    row = next(r for r in _rows() if int(r[0]) == serial)
    return person(serial, row[1], sex=row[2]).split(",")[0]


def test_the_desk_knows_the_register_activation(imported, rekam_home):
    """The counter does not offer, and refuses, an activation the register already has."""
    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.errors import OpsRefused
    from rekam.ops import points, users
    from rekam.ops.db import open_db

    rekam = Rekam(Settings(home=rekam_home))
    directory = rekam.ops_directory()
    assert directory.ikd_active(_nik(1)) and not directory.ikd_active(_nik(5))
    db = open_db(settings=Settings(home=rekam_home))
    points.add_point(db, "SP-1", "Loket", "13.71", "dinas")
    operator = users.add_user(db, "op-ikd", "rahasia-demo-123", "operator", None, "SP-1")
    actor = users.load(db, "op-ikd")
    assert operator and "aktivasi_ikd" not in rekam.find_resident(_nik(1), actor, "SP-1").offered
    with pytest.raises(OpsRefused) as caught:
        rekam.log_service(actor, _nik(1), "aktivasi_ikd", "SP-1", "ikd-1")
    assert caught.value.key == "ops_ikd_already_active"
    event, created = rekam.log_service(actor, _nik(5), "aktivasi_ikd", "SP-1", "ikd-5")
    assert created and rekam.log_service(actor, _nik(5), "aktivasi_ikd", "SP-1", "ikd-5")[1] is False


def test_ikd_progress_over_a_period(imported, engine):
    """Since 2024-06-01 (no older snapshot: the start is read from the dates), to 2024-11-13,
    target 30 % of wajib. At the start: wajib 10 (the same people), recorded 7 (7 recorded in
    October), IKD active 3 (1, 2 and 10; 6 has no date, so it counts only from the export date,
    3 activates in December). Now: 4. Both gaps are 0 (ceil(3.0) = 3)."""
    [row] = engine.progress(AS_OF, date(2024, 6, 1), date(2024, 12, 31))
    figures = row.as_json()
    assert (figures["ikd_aktif_since"], figures["ikd_aktif"], figures["ikd_activated_since"]) == (3, 4, 1)
    assert (figures["ikd_gap"], figures["ikd_gap_closed"], figures["ikd_needed_per_working_day"]) == (0, 0, 0)
    assert figures["ikd_projected_date"] == AS_OF.isoformat()  # met


def test_the_ikd_projection_follows_the_pace_of_closing_the_gap():
    """Target 60 % of wajib 10: now 4 active (gap 2), 165 days earlier 3 (gap 3): one closed in
    165 days, so the remaining 2 close in 330 days; 2 over the 35 working days to the deadline."""
    from rekam.analytics.coverage import COUNTS, CoverageRow
    from rekam.analytics.progress import ProgressRow

    def row(ikd: int) -> CoverageRow:
        counts = dict.fromkeys(COUNTS, 0) | {"wajib": 10, "sudah_rekam": 8, "ikd_aktif": ikd}
        return CoverageRow("13.71", "Kota Padang", "kab", counts, 9940, False, ikd_target_hundredths=6000)

    progress = ProgressRow(row(4), row(3), date(2024, 6, 1), AS_OF, date(2024, 12, 31), "0001", False)
    assert (progress.ikd_activated_since, progress.ikd_gap_closed) == (1, 1)
    assert progress.ikd_projected_date == date(2025, 10, 9)  # 2024-11-13 + 330 days
    assert progress.ikd_needed_per_working_day == 1  # ceil(2 / working days left)


@pytest.mark.parametrize("engine_name", ["duckdb", pytest.param("spark", marks=pytest.mark.slow)])
def test_desk_activations_count_live(imported, rekam_home, engine_name):
    """An activation at a desk counts in the live figures from its day, for the point's
    kab/kota: 5 at Kota Padang's desk, 7 at Kota Solok's (activated elsewhere)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.ops import points, users
    from rekam.ops.db import close_all, open_db

    settings = Settings(home=rekam_home)
    db = open_db(settings=settings)
    points.add_point(db, "SP-PDG", "Loket Padang", "13.71", "dinas")
    points.add_point(db, "SP-SLK", "Loket Solok", "13.72", "dinas")
    users.add_user(db, "op-pdg", "rahasia-demo-123", "operator", None, "SP-PDG")
    users.add_user(db, "op-slk", "rahasia-demo-123", "operator", None, "SP-SLK")
    rekam = Rekam(settings)
    at = datetime(2024, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    rekam.log_service(users.load(db, "op-pdg"), _nik(5), "aktivasi_ikd", "SP-PDG", "a5", occurred_at=at)
    rekam.log_service(users.load(db, "op-slk"), _nik(7), "aktivasi_ikd", "SP-SLK", "a7", occurred_at=at)
    close_all()
    later = date(2024, 11, 27)
    [snapshot] = rekam.coverage(as_of=later, level="kab", engine=engine_name)
    [live] = rekam.coverage(as_of=later, level="kab", engine=engine_name, live=True)
    assert (snapshot.ikd_aktif, live.ikd_aktif) == (5, 7)  # 8 is wajib by then; live: and 5, 7
    assert (snapshot.counts["ikd_aktif_luar"], live.counts["ikd_aktif_luar"]) == (1, 2)
    [before] = rekam.coverage(as_of=AS_OF, level="kab", engine=engine_name, live=True)
    assert before.ikd_aktif == 4  # the desk activations are after 13 Nov
