"""Reading outside lists: headers, the list's own IDs, desa names placed by the gazetteer."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl

from rekam.linkage.lists import desa_code, read_list


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, object]]:
    rel = con.sql(f"SELECT * FROM {table} ORDER BY row_number")
    return [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]


def test_a_dpt_style_csv_is_read_with_its_ids_and_desa_codes(tmp_path: Path):
    path = tmp_path / "dpt.csv"
    path.write_text(
        "\ufeffNO_DPT;NIK;NAMA;TMPT_LHR;TGL_LHR;JENIS_KLMIN;NO_RT;NO_RW;NAMA_KEL;NAMA_KEC\r\n"
        "A-1;131008****938300;WULLAN;BATAM;20/09/1993;P;005;001;PASAR BUKIT AIR HAJI;LINGGO SARI BAGANTI\r\n"
        "A-2;;BUDI;PADANG;01/07/1980;L;1;2;NOWHERE;NOWHERE\r\n",
        encoding="utf-8",
    )
    con = duckdb.connect()
    read_list(con, path)
    rows = _rows(con, "lk_input")
    assert [r["list_id"] for r in rows] == ["A-1", "A-2"]
    assert rows[0]["name"] == "WULLAN" and rows[0]["birth_date"] == "20/09/1993"
    assert (rows[0]["sex"], rows[0]["rt"], rows[0]["desa_code"]) == ("P", "005", "13.01.09.2010")
    assert rows[1]["nik"] is None and rows[1]["desa_code"] is None


def test_an_xlsx_without_ids_is_numbered_by_row(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nama Lengkap", "Tanggal Lahir", "JK", "Kode Desa"])
    sheet.append(["Siti Aminah", "1985-07-05", "P", "13.71.01.1001"])
    sheet.append([None, None, None, None])
    sheet.append(["Andi", "2001-11-12", "L", None])
    book.save(tmp_path / "panti.xlsx")
    con = duckdb.connect()
    read_list(con, tmp_path / "panti.xlsx")
    rows = _rows(con, "lk_input")
    assert [(r["list_id"], r["name"], r["desa_code"]) for r in rows] == [
        ("1", "Siti Aminah", "13.71.01.1001"),
        ("2", "Andi", None),
    ]


def test_desa_names_are_placed_only_when_unambiguous():
    assert desa_code("Pasar Bukit Air Haji", "Linggo Sari Baganti") == "13.01.09.2010"
    assert desa_code("Desa Pasar Bukit Air Haji", None, "Kabupaten Pesisir Selatan") == "13.01.09.2010"
    assert desa_code("No Such Desa") is None and desa_code(None) is None


def test_a_desa_name_one_typing_error_off_is_placed_within_its_kecamatan():
    assert desa_code("Pasar Bukit Air Hajj", "Linggo Sari Baganti") == "13.01.09.2010"
    assert desa_code("Pasar Bukit Ari Haji", "Kec. Linggo Sari Baganti") == "13.01.09.2010"  # two letters swapped
    assert desa_code("Pasar Bukit Air Hajj") is None  # no kecamatan to look in
    assert desa_code("Pasar Bukit Xir Hajj", "Linggo Sari Baganti") is None  # two errors
