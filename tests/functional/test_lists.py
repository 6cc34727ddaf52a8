"""`rekam list`: the by-name workbook and CSV, read back as a user's Excel would."""

from __future__ import annotations

import csv
import json
from datetime import date

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from tests.conftest import person, write_register

from rekam.api import Rekam
from rekam.config import Settings
from rekam.reports.by_name import HEADERS

D = "2024-11-13"


@pytest.fixture
def register(cli, tmp_path):
    rows = [
        person(1, "1990-01-01", desa="13.71.01.1001"),
        person(2, "1991-02-02", sex="P", desa="13.71.01.1001").replace("ORANG 2", '=HYPERLINK("x")'),
        person(3, "1992-03-03", desa="13.71.01.1002", status="CARD_ISSUED", recorded="2015-01-01"),
        person(4, "1993-04-04", desa="13.71.01.1002"),
        person(5, "2007-11-20", desa="13.71.01.1002"),  # turns 17 before election day
        person(6, "1994-05-05", desa="13.71.01.1001", status="ENROLL_FAILURE_AT_CENTRAL", recorded="2019-01-01"),
    ]
    assert cli("import", write_register(tmp_path / "r.csv", rows), "--date", D).code == 0
    return tmp_path


def test_workbook_has_a_summary_and_one_sheet_per_desa(cli, register):
    out = register / "list.xlsx"
    run = cli("list", "belum-rekam", "--region", "13.71.01", "--as-of", D, "--out", out)
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Ringkasan", "Belakang Pondok", "Alang Laweh", "_rekam"]
    summary = book["Ringkasan"]
    assert [c.value for c in summary[4]] == ["Kode desa", "Desa/kelurahan", "Jumlah", "Lembar"]
    assert [summary.cell(r, 3).value for r in (5, 6, 7)] == [3, 1, 4]
    sheet = book["Belakang Pondok"]
    assert [c.value for c in sheet[4]][:4] == ["No", "NIK", "No KK", "Nama"]
    niks = [sheet.cell(r, 2).value for r in range(5, 8)]
    assert niks == ["137101**********"] * 3  # the region only (docs/lists.md)
    assert [sheet.cell(r, 3).value for r in range(5, 8)] == ["137101**********"] * 3  # the KK too
    names = [sheet.cell(r, 4).value for r in range(5, 8)]
    assert '\'=HYPERLINK("x")' in names, "a formula in a name is neutralised"
    assert sheet.freeze_panes == "A5"
    key = HEADERS.index("row_key") + 1
    assert sheet.column_dimensions[get_column_letter(key)].hidden
    assert all(sheet.cell(r, key).value for r in range(5, 8)), "every row carries its row key"
    desk = HEADERS.index("Layanan loket") + 1  # no ops database here: no one served at a desk
    assert sheet.cell(4, desk).value == "Layanan loket" and not any(sheet.cell(r, desk).value for r in range(5, 8))
    validations = sheet.data_validations.dataValidation
    assert validations and "bersedia direkam" in validations[0].formula1
    assert sheet.page_setup.orientation == "landscape"
    meta = {r[0].value: r[1].value for r in book["_rekam"].iter_rows()}
    assert meta["list"] == "belum-rekam" and meta["region"] == "13.71.01" and meta["as_of"] == D
    assert book["_rekam"].sheet_state == "hidden"


def test_unmasked_is_whole_and_audited(cli, register, rekam_home):
    out = register / "list.xlsx"
    cli("list", "rekam-ulang", "--region", "13.71.01.1001", "--as-of", D, "--out", out, "--unmasked")
    sheet = openpyxl.load_workbook(out)["Belakang Pondok"]
    assert sheet.cell(5, 2).value == "1371010505940006"
    assert sheet.cell(5, 13).value.startswith("perekaman gagal")
    [entry] = [json.loads(line) for line in (rekam_home / "audit.log").read_text().splitlines()]
    assert entry["action"] == "list" and entry["unmasked"] is True and entry["list"] == "rekam-ulang"
    assert "1371010505940006" not in (rekam_home / "audit.log").read_text()


def test_csv_for_an_indonesian_excel(cli, register):
    out = register / "list.csv"
    cli(
        "list",
        "pemula",
        "--region",
        "13.71",
        "--as-of",
        D,
        "--election-date",
        "2024-11-27",
        "--format",
        "csv",
        "--out",
        out,
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:3] == ["Kode desa", "Desa", "NIK"]
    assert [r[0] for r in rows[1:]] == ["13.71.01.1002"]
    assert rows[1][6] == "20-11-2007" and rows[1][7] == "17"  # age on election day


def test_the_format_follows_the_out_files_ending(cli, register):
    """``--out daftar.csv`` without ``--format`` writes a CSV (it wrote a workbook named .csv)."""
    for name, head in (("daftar.csv", b"\xef\xbb\xbfKode desa;"), ("daftar.pdf", b"%PDF"), ("daftar.xlsx", b"PK")):
        out = register / name
        assert cli("list", "belum-rekam", "--region", "13.71", "--as-of", D, "--out", out).code == 0
        assert out.read_bytes().startswith(head), name


def test_lists_agree_with_the_coverage_figures(cli, register):
    [cov] = Rekam(Settings.from_env()).coverage(
        as_of=date(2024, 11, 13), level="kec", region="13.71.01", election_date=date(2024, 11, 27)
    )
    for kind, figure in [
        ("belum-rekam", cov.belum_rekam),
        ("rekam-ulang", cov.perlu_rekam_ulang),
        ("akan-wajib", cov.counts["akan_wajib_belum_rekam"]),
        ("risiko-nonaktif", cov.counts["risiko_nonaktif"]),
        ("nonaktif", cov.counts["nonaktif"]),
    ]:
        found, _ = Rekam(Settings.from_env()).list_people(kind, "13.71.01", date(2024, 11, 13), date(2024, 11, 27))
        assert len(found) == figure, kind


def test_household_order(cli, register):
    found, _ = Rekam(Settings.from_env()).list_people("belum-rekam", "13.71.01", date(2024, 11, 13))
    keys = [(p.desa_code, p.dusun or "", p.rw or "", p.rt or "", p.address or "", p.kk or "") for p in found]
    assert keys == sorted(keys)


def test_pemula_list_needs_an_election_date(cli, register):
    run = cli("list", "pemula", "--region", "13.71", "--as-of", D, "--out", register / "x.xlsx")
    assert run.code == 1 and "--election-date" in run.err


def test_pdf_for_printing(cli, register):
    from pypdf import PdfReader

    out = register / "list.pdf"
    run = cli("list", "belum-rekam", "--region", "13.71.01", "--as-of", D, "--format", "pdf", "--out", out)
    assert run.code == 0, run.err
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Daftar wajib KTP-el belum rekam" in text
    assert "Belakang Pondok (13.71.01.1001): 3 orang" in text and "Alang Laweh (13.71.01.1002): 1 orang" in text
    assert "137101**********" in text and "1371010101900001" not in text
    assert "13-11-2024" in text and "Halaman 1 dari" in text
    assert len(reader.pages) == 2  # one section per desa, each on its own page
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_status_in_words_the_same_as_on_screen(cli, register):
    out = register / "belum.csv"
    run = cli("list", "belum-rekam", "--region", "13.71", "--as-of", D, "--format", "csv", "--out", out)
    assert run.code == 0, run.err
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    status = [r[rows[0].index("Status KTP-el")] for r in rows[1:]]
    assert sorted(status) == [
        "belum rekam (UNREGISTERED)",
        "belum rekam (UNREGISTERED)",
        "belum rekam (UNREGISTERED)",
        "perlu rekam ulang (ENROLL_FAILURE_AT_CENTRAL)",
    ]


def test_an_output_folder_that_does_not_exist_is_named_not_a_traceback(cli, register):
    from rekam import audit

    before = len(audit.entries(Settings.from_env().home))
    run = cli("list", "belum-rekam", "--region", "13.71", "--as-of", D, "--out", register / "tidak-ada" / "x.xlsx")
    assert run.code == 1 and "tidak-ada" in run.err and "folder tujuan tidak ada" in run.err
    assert "Traceback" not in run.err
    assert len(audit.entries(Settings.from_env().home)) == before  # refused before any by-name access
