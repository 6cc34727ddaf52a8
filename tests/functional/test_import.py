"""`rekam import` through the CLI: one test per kind of bad input, each fixture named for its fault."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.conftest import INGEST

DATE = "2024-11-13"


def quarantine_rows(path: str | None) -> list[dict[str, str]]:
    assert path is not None
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# fixture, quarantined row number, reason code, a word of the Indonesian message
HARD_FAULTS = [
    ("nik-15-digits.csv", 4, "NIK_FORMAT", "16 digit"),
    ("nik-unknown-province.csv", 4, "NIK_PROVINCE", "provinsi"),
    ("nik-impossible-date.csv", 4, "NIK_BIRTH_DATE", "tanggal lahir"),
    ("nik-serial-0000.csv", 4, "NIK_SERIAL", "0000"),
    ("nik-scientific-notation.csv", 4, "NIK_EXCEL_NUMBER", "Teks"),
    ("birth-date-missing.csv", 4, "BIRTH_DATE_MISSING", "kosong"),
    ("birth-date-impossible.csv", 4, "BIRTH_DATE_INVALID", "bukan tanggal"),
    ("birth-date-after-snapshot.csv", 4, "BIRTH_DATE_FUTURE", "setelah tanggal ekspor"),
    ("sex-not-in-list.csv", 4, "SEX_INVALID", "JENIS_KLMIN"),
    ("marital-not-in-list.csv", 4, "MARITAL_INVALID", "STAT_KWN"),
    ("status-empty.csv", 4, "KTP_STATUS_INVALID", "status KTP-el"),
    ("status-not-in-list.csv", 4, "KTP_STATUS_INVALID", "status KTP-el"),
    ("region-not-a-number.csv", 4, "REGION_INVALID", "kode wilayah"),
    ("too-few-fields.csv", 4, "TOO_FEW_FIELDS", "kurang"),
    ("too-many-fields.csv", 4, "TOO_MANY_FIELDS", "lebih"),
]


@pytest.mark.parametrize(("fixture", "row", "reason", "word"), HARD_FAULTS)
def test_a_faulty_row_is_quarantined_with_file_row_reason_and_message(cli, fixture, row, reason, word):
    run = cli("import", INGEST / fixture, "--date", DATE, "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert (result["rows_read"], result["accepted"], result["quarantined"]) == (5, 4, 1)
    [q] = quarantine_rows(result["quarantine_file"])
    assert q["file"] == fixture
    assert int(q["row"]) == row
    assert reason in q["reasons"].split(";")
    assert word in q["message"]
    assert q["raw_row"], "the original row is kept"
    assert "Traceback" not in run.err


def test_duplicate_nik_keeps_the_first_row_and_names_it(cli):
    run = cli("import", INGEST / "nik-duplicate.csv", "--date", DATE, "--json")
    result = run.json()
    assert (result["rows_read"], result["accepted"], result["quarantined"]) == (6, 5, 1)
    [q] = quarantine_rows(result["quarantine_file"])
    assert (q["reasons"], q["row"]) == ("NIK_DUPLICATE", "7")
    assert "nik-duplicate.csv baris 3" in q["message"]
    assert q["NAMA_LGKP"] == "RINA DUPLIKAT"


def test_duplicate_nik_is_found_across_the_files_of_one_import(cli):
    run = cli("import", INGEST / "valid.csv", INGEST / "nik-duplicate-across-b.csv", "--date", DATE, "--json")
    result = run.json()
    assert (result["rows_read"], result["accepted"], result["quarantined"]) == (6, 5, 1)
    [q] = quarantine_rows(result["quarantine_file"])
    assert q["file"] == "nik-duplicate-across-b.csv"
    assert "valid.csv baris 2" in q["message"]


def test_a_valid_row_after_an_invalid_copy_of_its_nik_is_kept(cli, tmp_path):
    # The first copy has no birth date (quarantined); the second, valid copy is the kept one.
    lines = (INGEST / "valid.csv").read_text().splitlines()
    bad = lines[1].replace("01-01-1980", "")
    (tmp_path / "f.csv").write_text("\n".join([lines[0], bad, *lines[1:]]) + "\n")
    result = cli("import", tmp_path / "f.csv", "--date", DATE, "--json").json()
    assert (result["accepted"], result["quarantined"]) == (5, 1)
    [q] = quarantine_rows(result["quarantine_file"])
    assert (q["row"], q["reasons"]) == ("2", "BIRTH_DATE_MISSING")


WARNINGS = [
    ("nik-birthdate-mismatch.csv", "NIK_BIRTHDATE_MISMATCH"),
    ("nik-sex-mismatch.csv", "NIK_SEX_MISMATCH"),
    ("domicile-not-in-gazetteer.csv", "DOMICILE_UNKNOWN"),
    ("optional-value-not-in-list.csv", "INVALID_AGAMA"),
    ("rekam-before-16.csv", "REKAM_BEFORE_16"),
    ("rekam-after-snapshot.csv", "REKAM_AFTER_SNAPSHOT"),
]


@pytest.mark.parametrize(("fixture", "warning"), WARNINGS)
def test_a_doubtful_row_is_accepted_with_a_counted_warning(cli, fixture, warning):
    result = cli("import", INGEST / fixture, "--date", DATE, "--json").json()
    assert (result["rows_read"], result["accepted"], result["quarantined"]) == (5, 5, 0)
    assert result["warnings"] == {warning: 1}
    assert result["quarantine_file"] is None


FORMATS = [
    "valid.csv",
    "valid.xlsx",
    "valid.parquet",
    "format-semicolon-crlf.csv",
    "format-cp1252.csv",
    "format-utf8-bom.csv",
    "format-iso-slash-datetime.csv",
    "format-quoted-comma-newline.csv",
    "format-codes-and-padding.csv",
    "format-header-variants.csv",
]


@pytest.mark.parametrize("fixture", FORMATS)
def test_every_supported_format_gives_the_same_register(cli, fixture):
    from rekam.api import Rekam
    from rekam.config import Settings

    result = cli("import", INGEST / fixture, "--date", DATE, "--json").json()
    assert (result["rows_read"], result["accepted"], result["quarantined"]) == (5, 5, 0)
    assert result["warnings"] == {}
    [row] = Rekam(Settings.from_env()).coverage(as_of=__import__("datetime").date(2024, 11, 13), level="desa")
    # Four residents are 17+ or ever married; two of them (and the widower) recorded.
    assert (row.region_code, row.wajib, row.sudah_rekam, row.belum_rekam) == ("13.71.01.1001", 4, 3, 1)


def test_cp1252_names_arrive_as_unicode(cli):
    import duckdb

    from rekam.api import Rekam
    from rekam.config import Settings

    cli("import", INGEST / "format-cp1252.csv", "--date", DATE)
    st = Rekam(Settings.from_env()).store()
    snap = st.require_current()
    files = [str(st.absolute(f)) for p in snap.parts.values() for f in p.files]
    names = {r[0] for r in duckdb.sql(f"SELECT name FROM read_parquet({files})").fetchall()}
    assert "FAJAR JOS\u00c9 D\u2019ARC" in names


def test_quoted_newline_address_is_kept_whole(cli):
    import duckdb

    from rekam.api import Rekam
    from rekam.config import Settings

    cli("import", INGEST / "format-quoted-comma-newline.csv", "--date", DATE)
    st = Rekam(Settings.from_env()).store()
    files = [str(st.absolute(f)) for p in st.require_current().parts.values() for f in p.files]
    addresses = {r[0] for r in duckdb.sql(f"SELECT address FROM read_parquet({files})").fetchall()}
    assert "JL. PANJANG, GANG 3\nDEKAT MASJID" in addresses


def test_excel_number_nik_is_read_as_digits_and_explained_when_invalid(cli):
    result = cli("import", INGEST / "nik-as-excel-number.xlsx", "--date", DATE, "--json").json()
    assert (result["rows_read"], result["accepted"], result["quarantined"]) == (6, 4, 2)
    assert result["warnings"] == {"NIK_FROM_NUMBER": 1}
    rows = {q["row"]: q for q in quarantine_rows(result["quarantine_file"])}
    assert set(rows) == {"4", "7"}  # Excel rows: header is row 1
    assert "NIK_EXCEL_NUMBER" in rows["4"]["reasons"]
    assert "15 digit" in rows["4"]["message"]
    assert rows["7"]["reasons"] == "TOO_MANY_FIELDS"


WHOLE_FILE = [
    ("empty.csv", "kosong"),
    ("binary.csv", "bukan berkas teks"),
    ("missing-column-stat-kwn.csv", "STAT_KWN"),
    ("broken.xlsx", "tidak dapat dibaca"),
    ("header-only.csv", "tidak ada baris data"),
    ("all-rows-bad.csv", "Tidak ada baris yang diterima"),
    ("does-not-exist.csv", "tidak ditemukan"),
]


@pytest.mark.parametrize(("fixture", "words"), WHOLE_FILE)
def test_a_file_that_cannot_be_a_register_changes_nothing(cli, rekam_home, fixture, words):
    before = cli("import", INGEST / "valid.csv", "--date", "2024-11-01", "--json").json()
    run = cli("import", INGEST / fixture, "--date", DATE)
    assert run.code == 1
    lines = [line for line in run.err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, run.err
    assert words in lines[0] and fixture in lines[0] or words in lines[0]
    assert "Traceback" not in run.err
    from rekam.api import Rekam
    from rekam.config import Settings

    snaps, current = Rekam(Settings.from_env()).snapshots()
    assert current == before["snapshot"] and len(snaps) == 1
    assert not (rekam_home / "tmp").exists() or not any((rekam_home / "tmp").iterdir())


def test_rows_read_always_equals_accepted_plus_quarantined(cli):
    files = [INGEST / f for f, *_ in HARD_FAULTS] + [INGEST / "nik-duplicate.csv"]
    result = cli("import", *files, "--date", DATE, "--json").json()
    assert result["rows_read"] == result["accepted"] + result["quarantined"]
    assert len(quarantine_rows(result["quarantine_file"])) == result["quarantined"]
    # The same five residents in every file: all but the first copy of each NIK are duplicates.
    assert result["accepted"] == 5


def test_messages_switch_to_english(cli, monkeypatch):
    monkeypatch.setenv("REKAM_LANG", "en")
    run = cli("import", INGEST / "empty.csv", "--date", DATE)
    assert "the file is empty" in run.err


def test_no_personal_data_in_messages(cli):
    run = cli("import", INGEST / "nik-duplicate.csv", "--date", DATE)
    assert run.code == 0
    for secret in ("1371014203829002", "RINA", "JL. CONTOH"):
        assert secret not in run.out + run.err


def test_bad_date_option_is_refused(cli):
    run = cli("import", INGEST / "valid.csv", "--date", "13-11-2024")
    assert run.code == 1 and "TTTT-BB-HH" in run.err


def test_installed_command_runs(tmp_path: Path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, REKAM_HOME=str(tmp_path / "h"))
    p = subprocess.run(
        [sys.executable, "-m", "rekam", "import", str(INGEST / "sex-not-in-list.csv"), "--date", DATE],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    assert "diterima 4" in p.stdout and "dikarantina 1" in p.stdout


def test_running_out_of_memory_is_a_clear_refusal(cli, monkeypatch, rekam_home):
    monkeypatch.setenv("REKAM_MEMORY_LIMIT", "2MB")
    run = cli("import", INGEST / "valid.csv", "--date", DATE)
    assert run.code == 1, run.err
    assert "REKAM_MEMORY_LIMIT" in run.err and "Traceback" not in run.err
    from rekam.api import Rekam
    from rekam.config import Settings

    assert Rekam(Settings.from_env()).snapshots() == ([], None)
