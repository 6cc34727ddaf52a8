"""IKD activation read from a second file keyed by NIK, at import (issue 19): a register and an
IKD file written here, worked out by hand.

As of 2024-11-13 (the export date); every resident of the register lives in Kota Padang (13.71).
The register has its own IKD columns for some rows; the file wins where it names the NIK.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest
from tests.conftest import IKD_COLUMNS, person, write_register

AS_OF = date(2024, 11, 13)

# serial | birth      | sex | status             | recorded   | own ikd | own date   | own kab | why
REGISTER = """
  1 | 1990-01-01 | L | CARD_ISSUED        | 2015-01-01 |         |            |       | the file activates
  2 | 1990-01-01 | P | CARD_ISSUED        | 2015-01-01 | BELUM   |            |       | the file activates (by 13.72): differs
  3 | 1995-01-01 | L | PRINT_READY_RECORD | 2024-01-01 | AKTIF   | 2024-04-01 | 13.71 | the file says BELUM: differs, not active
  4 | 1995-01-01 | P | UNREGISTERED       |            |         |            |       | the file activates: not recorded
  5 | 2000-01-01 | L | CARD_ISSUED        | 2018-01-01 | AKTIF   | 2023-01-01 | 1371  | not in the file: its own values stay
  6 | 2000-01-01 | P | CARD_ISSUED        | 2018-01-01 | AKTIF   | 2024-02-02 | 13.71 | the file says the same
  7 | 1980-01-01 | L | CARD_ISSUED        | 2012-01-01 |         |            |       | the file's date is after the export
  8 | 1985-01-01 | L | CARD_ISSUED        | 2012-01-01 |         |            |       | the file's rows are bad
"""

# The IKD file, with aliases for its headers and ";" between fields. {nN} is serial N's NIK.
# row | NIK      | status          | date       | kab   | reason
IKD_ROWS = """
  2  | {n1}              | AKTIF          | 2024-05-01 | 13.71 |
  3  | {n2}              | SUDAH AKTIVASI | 01/06/2024 | 1372  |
  4  | {n3}              | BELUM          |            |       |
  5  | {n4}              | YA             | 2024-03-01 |       |
  6  | {n6}              | AKTIF          | 02-02-2024 | 1371  |
  7  | {n7}              | AKTIF          | 2024-12-01 |       |
  8  | 123              | AKTIF          |            |       | NIK_FORMAT
  9  | {n8}              | MUNGKIN        |            |       | IKD_STATUS_INVALID
  10 | {n8}              | AKTIF          | 2024-13-45 |       | IKD_DATE_INVALID
  11 | {n8}              | AKTIF          | 2024-01-01 | 99.99 | IKD_KAB_INVALID
  12 | {n1}              | BELUM          |            |       | IKD_NIK_DUPLICATE
  13 | {solok}          | AKTIF          | 2024-01-01 |       | IKD_NIK_UNKNOWN
  14 |                  | AKTIF          |            |       | NIK_MISSING
  15 | {n8}              |                |            |       | IKD_STATUS_INVALID
"""


def _table(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in text.strip().splitlines()]


def _nik(serial: int) -> str:
    row = next(r for r in _table(REGISTER) if int(r[0]) == serial)
    return person(serial, row[1], sex=row[2]).split(",")[0]


SOLOK = person(1, "1990-01-01", desa="13.72.01.1001").split(",")[0]


def _register(folder: Path) -> Path:
    lines = [
        f"{person(int(s), birth, sex=sex, status=status, recorded=rec)},{ikd},{ikd_date},{ikd_kab}"
        for s, birth, sex, status, rec, ikd, ikd_date, ikd_kab, _ in _table(REGISTER)
    ]
    return write_register(folder / "siak_1371.csv", lines, IKD_COLUMNS)


def _ikd_file(folder: Path) -> Path:
    niks = {f"n{n}": _nik(n) for n in range(1, 9)} | {"solok": SOLOK}
    lines = ["nik;Status Aktivasi IKD;TANGGAL_AKTIVASI_IKD;KABKOTA_AKTIVASI_IKD"]
    for _, nik, status, day, kab, _ in _table(IKD_ROWS):
        lines.append(";".join([nik.format(**niks), status, day, kab]))
    path = folder / "ikd_1371.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def imported(cli, tmp_path):
    run = cli("import", _register(tmp_path), "--ikd", _ikd_file(tmp_path), "--date", AS_OF.isoformat(), "--json")
    assert run.code == 0, run.err
    return run.json()


def test_every_ikd_row_is_counted(imported):
    [figures] = imported["ikd_files"]
    assert figures["file"] == "ikd_1371.csv" and figures["kind"] == "csv"
    assert (figures["rows_read"], figures["accepted"], figures["quarantined"]) == (14, 6, 8)
    assert figures["rows_read"] == figures["accepted"] + figures["quarantined"]
    expected = [r[-1] for r in _table(IKD_ROWS) if r[-1]]
    assert figures["quarantine_reasons"] == {code: expected.count(code) for code in set(expected)}
    # The register's own counts are the register's rows alone.
    assert (imported["rows_read"], imported["accepted"], imported["quarantined"]) == (8, 8, 0)
    assert imported["quarantine_reasons"] == {}


def test_the_quarantine_file_names_each_bad_ikd_row(imported):
    with Path(imported["quarantine_file"]).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    got = {int(r["row"]): r for r in rows}
    expected = {int(r[0]): r[-1] for r in _table(IKD_ROWS) if r[-1]}
    assert {n: r["reasons"] for n, r in got.items()} == expected
    assert {r["file"] for r in rows} == {"ikd_1371.csv"}
    assert "TGL_AKTIVASI_IKD" in got[10]["message"] and "KAB_AKTIVASI_IKD" in got[11]["message"]
    assert "STATUS_IKD" in got[9]["message"] and "STATUS_IKD" in got[15]["message"]
    assert got[12]["message"] == "NIK sudah ada di berkas IKD pada ikd_1371.csv baris 2"
    assert "kabupaten/kota yang tidak ikut diimpor" in got[13]["message"]
    # A duplicate of a register NIK belongs to its kab/kota; an unknown NIK to none.
    assert got[12]["kab_kota"] == "13.71" and got[13]["kab_kota"] == ""
    assert got[11]["KAB_AKTIVASI_IKD"] == "99.99" and got[13]["NIK"] == SOLOK


def test_the_file_sets_the_snapshot_s_ikd_values(imported, rekam_home):
    rows = dict(
        (nik, (status, day, kab, list(warnings)))
        for nik, status, day, kab, warnings in duckdb.sql(
            f"SELECT nik, ikd_status, ikd_activated_on, ikd_kab_code, warnings "
            f"FROM read_parquet('{rekam_home}/parts/*/*.parquet') WHERE accepted"
        ).fetchall()
    )
    assert rows[_nik(1)][:3] == ("AKTIF", date(2024, 5, 1), "13.71")
    assert rows[_nik(2)][:3] == ("AKTIF", date(2024, 6, 1), "13.72")
    assert rows[_nik(3)][:3] == ("BELUM", None, None)  # the file wins, all three values
    assert rows[_nik(5)][:3] == ("AKTIF", date(2023, 1, 1), "13.71")  # not in the file
    assert rows[_nik(8)][:3] == (None, None, None)  # its file rows were quarantined
    differs = {n for n in range(1, 9) if "IKD_FILE_DIFFERS" in rows[_nik(n)][3]}
    assert differs == {2, 3}  # 6 says the same; 1, 4 and 7 have no values of their own
    assert "IKD_WITHOUT_RECORDING" in rows[_nik(4)][3] and "IKD_AFTER_SNAPSHOT" in rows[_nik(7)][3]


def test_the_warnings_count_the_file_s_values(imported):
    warnings = imported["warnings"]
    assert warnings["IKD_FILE_DIFFERS"] == 2  # 2, 3
    assert warnings["IKD_WITHOUT_RECORDING"] == 1  # 4, from the file
    assert warnings["IKD_AFTER_SNAPSHOT"] == 1  # 7, from the file


def test_ikd_figures_from_the_file_by_hand(imported, engine):
    [row] = engine.coverage(AS_OF, "kab")
    figures = row.as_json()
    assert (figures["wajib"], figures["sudah_rekam"]) == (8, 7)  # 4 unrecorded
    assert figures["ikd_aktif"] == 4  # 1, 2 (file), 5 (its own), 6; 3 BELUM by the file; 7 in December
    assert figures["ikd_aktif_luar"] == 1  # 2, activated by 13.72
    assert figures["ikd_tanpa_rekam"] == 1  # 4
    [later] = engine.coverage(date(2024, 12, 1), "kab")
    assert later.ikd_aktif == 5  # 7 activated on 1 Dec


def test_the_command_line_summarises_the_ikd_file(cli, tmp_path):
    run = cli("import", _register(tmp_path), "--ikd", _ikd_file(tmp_path), "--date", AS_OF.isoformat())
    assert run.code == 0, run.err
    assert "Berkas IKD ikd_1371.csv: dibaca 14, diterima 6, dikarantina 8" in run.out
    assert "IKD_NIK_UNKNOWN 1" in run.out and "IKD_FILE_DIFFERS 2" in run.out


def test_two_ikd_files_in_order_and_a_later_copy_across_them(cli, tmp_path):
    first = tmp_path / "ikd_a.csv"
    first.write_text(f"NIK,STATUS_IKD\n{_nik(1)},AKTIF\n", encoding="utf-8")
    second = tmp_path / "ikd_b.csv"
    second.write_text(f"NIK,STATUS_IKD\n{_nik(1)},BELUM\n{_nik(5)},BELUM\n", encoding="utf-8")
    run = cli("import", _register(tmp_path), "--ikd", first, "--ikd", second, "--date", AS_OF.isoformat(), "--json")
    assert run.code == 0, run.err
    a, b = run.json()["ikd_files"]
    assert (a["accepted"], a["quarantined"]) == (1, 0)
    assert (b["accepted"], b["quarantined"], b["quarantine_reasons"]) == (1, 1, {"IKD_NIK_DUPLICATE": 1})
    assert run.json()["warnings"]["IKD_FILE_DIFFERS"] == 1  # 5: AKTIF in the export, BELUM in the file


def test_an_xlsx_ikd_file(cli, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Laporan aktivasi IKD"])
    sheet.append(["NIK", "IKD", "TGL_IKD"])
    sheet.append([_nik(8), "AKTIF", date(2024, 7, 1)])
    path = tmp_path / "ikd.xlsx"
    book.save(path)
    run = cli("import", _register(tmp_path), "--ikd", path, "--date", AS_OF.isoformat(), "--json")
    assert run.code == 0, run.err
    [figures] = run.json()["ikd_files"]
    assert (figures["kind"], figures["rows_read"], figures["accepted"]) == ("xlsx", 1, 1)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "tidak ditemukan"),
        ("NIK,TGL_AKTIVASI_IKD\n1371010101900001,2024-01-01\n", "STATUS_IKD"),
        ("STATUS_IKD,TGL_AKTIVASI_IKD\nAKTIF,2024-01-01\n", "NIK"),
        ("", "kosong"),
    ],
)
def test_an_unreadable_ikd_file_changes_nothing(cli, tmp_path, rekam_home, content, says):
    first = cli("import", _register(tmp_path), "--date", "2024-11-01", "--json")
    assert first.code == 0, first.err
    snapshot = first.json()["snapshot"]
    ikd = tmp_path / "ikd_rusak.csv"
    if content is not None:
        ikd.write_text(content, encoding="utf-8")
    run = cli("import", _register(tmp_path), "--ikd", ikd, "--date", AS_OF.isoformat())
    assert run.code != 0
    [line] = [x for x in run.err.strip().splitlines() if x.strip()]
    assert "ikd_rusak.csv" in line and says in line
    assert (rekam_home / "CURRENT").read_text().strip() == snapshot
    assert not list((rekam_home / "quarantine").glob("*.csv"))  # the first import quarantined nothing


def test_the_library_call_takes_ikd_files(tmp_path, rekam_home):
    from rekam.api import Rekam
    from rekam.config import Settings

    result = Rekam(Settings(home=rekam_home)).import_register(
        [_register(tmp_path)], export_date=AS_OF, ikd_files=[_ikd_file(tmp_path)], dry_run=True
    )
    assert result.dry_run and result.ikd_files[0]["accepted"] == 6
    assert result.warnings["IKD_FILE_DIFFERS"] == 2
