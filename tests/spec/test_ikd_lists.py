"""The belum-ikd list (recorded, IKD not activated: issue 19) equals its figure, per desa,
sudah_rekam - ikd_aktif, on a small register worked out by hand and on the demo, on DuckDB
and Spark (the by-name list is SQL only; the reference engine counts the same figures in
tests/spec/test_ikd.py).

As of 2024-11-13 (the export date). Two desa of Kota Padang (13.71.01).
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import IKD_COLUMNS, person, write_register

from rekam.analytics.lists import condition
from rekam.api import Rekam
from rekam.config import Settings

AS_OF = date(2024, 11, 13)
A, B = "13.71.01.1001", "13.71.01.1002"
SQL_ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.slow)]

# serial | desa | birth      | status             | recorded   | ikd   | ikd date   | ikd kab | on the list?
TABLE = f"""
  1 | {A} | 1990-01-01 | CARD_ISSUED        | 2015-01-01 | AKTIF | 2024-05-01 |       | no: activated
  2 | {A} | 1991-01-01 | CARD_ISSUED        | 2015-01-01 | BELUM |            |       | yes
  3 | {A} | 1992-01-01 | PRINT_READY_RECORD | 2024-01-01 |       |            |       | yes: no IKD value
  4 | {A} | 1993-01-01 | CARD_ISSUED        | 2016-01-01 | AKTIF | 2024-12-01 |       | yes: activated after D
  5 | {A} | 1994-01-01 | UNREGISTERED       |            | AKTIF | 2024-03-01 |       | no: not recorded
  6 | {A} | 2007-11-14 | PRINT_READY_RECORD | 2024-09-01 | BELUM |            |       | no: 16 on D, not wajib
  7 | {B} | 1980-01-01 | CARD_ISSUED        | 2012-01-01 | AKTIF |            |       | no: undated, from the export date
  8 | {B} | 1981-01-01 | CARD_ISSUED        | 2012-01-01 | AKTIF | 2024-06-01 | 13.72 | no: activated by Kota Solok
  9 | {B} | 1982-01-01 | CARD_ISSUED        | 2012-01-01 | BELUM |            |       | yes
 10 | {B} | 1983-01-01 | UNREGISTERED       |            | BELUM |            |       | no: not recorded
"""


def _rows() -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in TABLE.strip().splitlines()]


@pytest.fixture
def imported(cli, tmp_path):
    lines = [
        f"{person(int(serial), birth, desa=desa, status=status, recorded=recorded)},{ikd},{ikd_date},{ikd_kab}"
        for serial, desa, birth, status, recorded, ikd, ikd_date, ikd_kab, _ in _rows()
    ]
    path = write_register(tmp_path / "r.csv", lines, IKD_COLUMNS)
    run = cli("import", path, "--date", "2024-11-13", "--json")
    assert run.code == 0 and run.json()["accepted"] == len(lines), run.err
    return tmp_path


def _listed(kind_region: str, as_of: date, engine: str, home: Path | None = None) -> list:
    settings = Settings(home=home) if home else Settings.from_env()
    found, _ = Rekam(settings).list_people("belum-ikd", kind_region, as_of, engine=engine)
    return found


def _figures(as_of: date, region: str, engine: str, home: Path | None = None) -> dict[str, int]:
    """sudah_rekam - ikd_aktif per desa of ``region``, from the coverage figures."""
    settings = Settings(home=home) if home else Settings.from_env()
    rows = Rekam(settings).coverage(as_of=as_of, level="desa", region=region, engine=engine)
    return {r.region_code: r.sudah_rekam - r.ikd_aktif for r in rows}


def test_the_condition_is_the_coverage_flags():
    """The list reads the coverage's own flags: recorded wajib (sudah_rekam) without ``ikd``."""
    assert condition("belum-ikd") == "w AND r AND NOT ikd"


@pytest.mark.parametrize("engine", SQL_ENGINES)
def test_the_list_by_hand_equals_its_figure(imported, engine):
    found = _listed("13.71.01", AS_OF, engine)
    assert [(p.desa_code, p.name) for p in found] == [(A, "ORANG 2"), (A, "ORANG 3"), (A, "ORANG 4"), (B, "ORANG 9")]
    assert {p.reason for p in found} == {"sudah rekam KTP-el, IKD belum diaktifkan"}
    per_desa = Counter(p.desa_code for p in found)
    assert _figures(AS_OF, "13.71.01", engine) == dict(per_desa) == {A: 3, B: 1}


@pytest.mark.parametrize("engine", SQL_ENGINES)
def test_the_list_follows_the_as_of_date(imported, engine):
    # The day before the export date: 7's undated activation does not count yet.
    before = _listed("13.71.01", date(2024, 11, 12), engine)
    assert sorted(p.name for p in before) == ["ORANG 2", "ORANG 3", "ORANG 4", "ORANG 7", "ORANG 9"]
    assert _figures(date(2024, 11, 12), "13.71.01", engine) == dict(Counter(p.desa_code for p in before))
    # 1 December: 4 is activated, 6 is 17 (wajib) and recorded, not activated.
    later = _listed("13.71.01", date(2024, 12, 1), engine)
    assert sorted(p.name for p in later) == ["ORANG 2", "ORANG 3", "ORANG 6", "ORANG 9"]
    assert _figures(date(2024, 12, 1), "13.71.01", engine) == dict(Counter(p.desa_code for p in later))


def test_an_older_import_without_the_ikd_columns_lists_everyone_recorded(imported, cli, tmp_path):
    """Kota Solok imported without the IKD columns: no one there is activated, so every
    recorded wajib is on the list (the figure says the same)."""
    solok = [
        person(1, "1990-01-01", desa="13.72.01.1001", status="CARD_ISSUED", recorded="2015-01-01"),
        person(2, "1990-01-01", desa="13.72.01.1001"),
    ]
    old = write_register(tmp_path / "solok.csv", solok)
    assert cli("import", old, "--date", "2024-11-13").code == 0
    assert [p.name for p in _listed("13.72", AS_OF, "duckdb")] == ["ORANG 1"]
    assert _figures(AS_OF, "13.72", "duckdb") == {"13.72.01.1001": 1}
    assert len(_listed("13.71", AS_OF, "duckdb")) == 4


def test_the_command_line_writes_it_masked(imported, cli, rekam_home):
    out = imported / "belum-ikd.csv"
    run = cli("list", "belum-ikd", "--region", "13.71.01", "--as-of", "2024-11-13", "--format", "csv", "--out", out)
    assert run.code == 0, run.err
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    nik = rows[0].index("NIK")
    assert len(rows) == 5 and all(r[nik].endswith("*" * 10) for r in rows[1:])
    assert all("IKD belum diaktifkan" in ";".join(r) for r in rows[1:])
    assert '"list": "belum-ikd"' in (rekam_home / "audit.log").read_text()
    book = imported / "belum-ikd.xlsx"
    assert cli("list", "belum-ikd", "--region", "13.71.01", "--as-of", "2024-11-13", "--out", book).code == 0
    pdf = imported / "belum-ikd.pdf"
    run = cli("list", "belum-ikd", "--region", "13.71.01", "--as-of", "2024-11-13", "--format", "pdf", "--out", pdf)
    assert run.code == 0, run.err
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "IKD (identitas kependudukan digital) belum diaktifkan" in text


@pytest.mark.parametrize("engine", SQL_ENGINES)
def test_on_the_demo_the_list_equals_its_figure_in_every_desa(demo_home, engine):
    """The demo at scale 0.001 (Sumatera Barat): per desa, the list's length is
    sudah_rekam - ikd_aktif; activations are drawn there, so the two differ."""
    figures = _figures(AS_OF, "13", engine, demo_home)
    settings = Settings(home=demo_home)
    [prov] = Rekam(settings).coverage(as_of=AS_OF, level="prov", region="13", engine=engine)
    assert prov.ikd_aktif > 0 and prov.sudah_rekam > prov.ikd_aktif
    found = _listed("13", AS_OF, engine, demo_home)
    assert len(found) == prov.sudah_rekam - prov.ikd_aktif
    listed = Counter(p.desa_code for p in found)
    assert {code: n for code, n in figures.items() if n} == dict(listed)


def test_the_activation_workbook_asks_activation_answers_and_reads_them_back(imported, cli, rekam_home):
    """The belum-ikd workbook's drop-down offers activation answers (the person is recorded, so
    "bersedia direkam" does not apply), and `rekam verify` takes those and refuses the others."""
    import openpyxl

    from rekam.reports.by_name import HEADERS, IKD_VERIFICATION_CHOICES, VERIFICATION_CHOICES

    book = imported / "aktivasi.xlsx"
    assert cli("list", "belum-ikd", "--region", "13.71.01", "--as-of", "2024-11-13", "--out", book).code == 0
    wb = openpyxl.load_workbook(book)
    ws = next(wb[n] for n in wb.sheetnames if not n.startswith("_") and wb[n].data_validations.dataValidation)
    [validation] = ws.data_validations.dataValidation
    assert "bersedia aktivasi IKD" in validation.formula1 and "tidak punya ponsel pintar" in validation.formula1
    assert "bersedia direkam" not in validation.formula1
    assert set(VERIFICATION_CHOICES) - set(IKD_VERIFICATION_CHOICES) == {
        "bersedia direkam",
        "sudah rekam di tempat lain",
    }
    result = HEADERS.index("Hasil verifikasi") + 1
    ws.cell(5, result).value = "bersedia direkam"
    wb.save(book)
    refused = cli("verify", book)
    assert refused.code != 0 and "bersedia direkam" in refused.err
    assert not (rekam_home / "verifications").exists()
    ws.cell(5, result).value = "tidak punya ponsel pintar"
    wb.save(book)
    run = cli("verify", book)
    assert run.code == 0, run.err
    from rekam import verifications

    assert [v["outcome"] for v in verifications.latest(rekam_home).values()] == ["tidak punya ponsel pintar"]
