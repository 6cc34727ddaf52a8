"""`rekam verify`: a returned workbook round trip, and every bad edit refused with its sheet and row."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from tests.conftest import person, write_register

from rekam import verifications
from rekam.reports.by_name import HEADERS

D = "2024-11-13"
# 1-based columns of a desa sheet
RESULT, NOTE, NAME, NIK, KEY, PREVIOUS = (
    HEADERS.index(h) + 1 for h in ("Hasil verifikasi", "Catatan", "Nama", "NIK", "row_key", "Verifikasi sebelumnya")
)


@pytest.fixture
def workbook(cli, tmp_path):
    rows = [person(i, f"199{i}-01-01", desa="13.71.01.1001") for i in range(1, 5)]
    assert cli("import", write_register(tmp_path / "r.csv", rows), "--date", D).code == 0
    out = tmp_path / "list.xlsx"
    assert cli("list", "belum-rekam", "--region", "13.71.01.1001", "--as-of", D, "--out", out).code == 0
    return out


def edit(path, fn):  # type: ignore[no-untyped-def]
    book = openpyxl.load_workbook(path)
    fn(book)
    book.save(path)


def test_round_trip_stores_outcomes_and_later_lists_show_them(cli, workbook, rekam_home, tmp_path):
    def fill(book):  # type: ignore[no-untyped-def]
        ws = book["Belakang Pondok"]
        ws.cell(5, RESULT).value = "bersedia direkam"
        ws.cell(6, RESULT).value = "meninggal"
        ws.cell(6, NOTE).value = "menurut wali nagari"

    edit(workbook, fill)
    run = cli("verify", workbook)
    assert run.code == 0, run.err
    assert "2 hasil verifikasi" in run.err
    latest = verifications.latest(rekam_home)
    assert sorted(v["outcome"] for v in latest.values()) == ["bersedia direkam", "meninggal"]
    assert cli("verify", workbook).code == 0
    assert len(list((rekam_home / "verifications").glob("*.json"))) == 1, "the same workbook is stored once"
    again = tmp_path / "again.xlsx"
    cli("list", "belum-rekam", "--region", "13.71.01.1001", "--as-of", D, "--out", again)
    ws = openpyxl.load_workbook(again)["Belakang Pondok"]
    assert [ws.cell(r, PREVIOUS).value or "" for r in (5, 6, 7)] == ["bersedia direkam", "meninggal", ""]
    # The one reported dead stays in the figures and is counted for SIAK follow-up.
    [quality] = cli("quality", "--level", "desa", "--format", "json").json()
    assert quality["tindak_lanjut_siak"] == 1 and quality["penduduk"] == 4


def test_a_workbook_written_before_the_desk_column_reads_back(cli, workbook, rekam_home):
    """A field team returns a workbook made before the "Layanan loket" column (issue #16): its
    columns are read by the sheet's header row, so it verifies as well."""

    def old_layout(book):  # type: ignore[no-untyped-def]
        ws = book["Belakang Pondok"]
        ws.delete_cols(HEADERS.index("Layanan loket") + 1)
        ws.cell(5, RESULT - 1).value = "pindah domisili"  # the result column, one to the left there

    edit(workbook, old_layout)
    run = cli("verify", workbook)
    assert run.code == 0, run.err
    assert [v["outcome"] for v in verifications.latest(rekam_home).values()] == ["pindah domisili"]


BAD_EDITS = [
    ("unknown value", lambda ws: setattr(ws.cell(5, RESULT), "value", "entahlah"), "baris 5", "tidak dikenal"),
    ("edited NIK", lambda ws: setattr(ws.cell(6, NIK), "value", "137101******9999"), "baris 6", "NIK diubah"),
    ("edited name", lambda ws: setattr(ws.cell(7, NAME), "value", "NAMA LAIN"), "baris 7", "nama diubah"),
    ("row added", lambda ws: ws.append([99, "1371010101900099", "", "ORANG BARU"]), "baris 9", "baris tambahan"),
    ("row removed", lambda ws: ws.delete_rows(8), "Belakang Pondok", "1 baris dihapus"),
]


@pytest.mark.parametrize(("fault", "change", "where", "words"), BAD_EDITS, ids=[b[0] for b in BAD_EDITS])
def test_a_bad_edit_is_refused_and_nothing_is_stored(cli, workbook, rekam_home, fault, change, where, words):
    def fill_and_break(book):  # type: ignore[no-untyped-def]
        ws = book["Belakang Pondok"]
        ws.cell(5 if fault != "unknown value" else 6, RESULT).value = "menolak"
        change(ws)

    edit(workbook, fill_and_break)
    run = cli("verify", workbook)
    assert run.code == 1
    assert where in run.err and words in run.err and "Traceback" not in run.err
    assert not (rekam_home / "verifications").exists()


def test_a_workbook_from_another_snapshot_is_refused(cli, workbook, rekam_home):
    edit(workbook, lambda book: setattr(book["_rekam"]["B1"], "value", "9999-20240101"))
    run = cli("verify", workbook)
    assert run.code == 1 and "9999-20240101" in run.err


def test_a_workbook_rekam_did_not_make_is_refused(cli, tmp_path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    run = cli("verify", other)
    assert run.code == 1 and "_rekam" in run.err
    shutil.copy(other, tmp_path / "x.txt")
    assert cli("verify", tmp_path / "missing.xlsx").code == 1
