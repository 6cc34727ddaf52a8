"""`rekam sites import`: site lists, rosters and desa coordinates; every bad row quarantined."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from rekam.api import Rekam
from rekam.config import Settings
from rekam.sites.store import SiteStore

# Valid NIKs of invented people (kecamatan 13.71.01, born 01-01-1990, serials 1-9).
NIK = [f"1371010101900{i:03d}" for i in range(10)]

SITES = """site_id,kind,nama,kode_desa,lat,lon,jumlah
S1,SMA,SMA Satu,13.71.01.1001,-0.95,100.36,
S2,kampus,Kampus Dua,1371011002,-0.96,100.37,
S1,SMK,SMK Kembar,13.71.01.1001,-0.95,100.36,
S3,warung,Warung Tiga,13.71.01.1001,-0.95,100.36,
S4,SMA,Sekolah Desa Hilang,13.71.01.1999,-0.95,100.36,
S5,SMA,Sekolah Kode Salah,13.71.01,-0.95,100.36,
S6,SMA,Sekolah Tertukar,13.71.01.1001,100.36,-0.95,
S7,SMA,Sekolah Koordinat Teks,13.71.01.1001,utara,100.36,
S8,RSUD,RSUD Tanpa Koordinat,13.71.01.1001,,,12
S9,RSUD,RS Jumlah Salah,13.71.01.1001,,,-4
,SMA,Sekolah Tanpa Id,13.71.01.1001,-0.95,100.36,
S10,SMA,Sekolah Setengah,13.71.01.1001,-0.95,,
S11,SMA,Sekolah Kolom Lebih,13.71.01.1001,-0.95,100.36,,x
D1,Dinas Dukcapil,Dinas Dukcapil Kota Padang,13.71.01.1001,-0.95,100.36,
"""
# row -> reason code (the header is row 1)
SITE_FAULTS = {
    4: "SITE_ID_DUPLICATE",
    5: "SITE_KIND_UNKNOWN",
    6: "DESA_UNKNOWN",
    7: "DESA_CODE_INVALID",
    8: "COORD_OUTSIDE",
    9: "COORD_INVALID",
    11: "HEAD_COUNT_INVALID",
    12: "SITE_ID_MISSING",
    13: "COORD_INVALID",
    14: "TOO_MANY_FIELDS",
}
ROSTER = f"""site_id,NISN,NIK,NAMA,TGL_LHR
S1,1,{NIK[1]},ANI,1990-01-01
S2,2,{NIK[2]},BUDI,1990-01-01
S1,3,{NIK[1]},ANI LAGI,1990-01-01
S1,4,,TANPA NIK,1990-01-01
S1,5,{NIK[3][:15]},NIK PENDEK,1990-01-01
S1,6,1371013201900004,TANGGAL SALAH,1990-01-01
S99,7,{NIK[5]},SEKOLAH LAIN,1990-01-01
S3,8,{NIK[6]},SEKOLAH DIKARANTINA,1990-01-01
"""
ROSTER_FAULTS = {
    4: "ROSTER_NIK_DUPLICATE",
    5: "NIK_MISSING",
    6: "NIK_FORMAT",
    7: "NIK_BIRTH_DATE",
    8: "ROSTER_SITE_UNKNOWN",
    9: "ROSTER_SITE_UNKNOWN",
}
DESA = """kode_desa,nama_desa,lat,lon
13.71.01.1001,Belakang Pondok,-0.95,100.36
13.71.01.1002,Alang Laweh,-0.96,100.37
13.71.01.1001,Belakang Pondok Lagi,-0.95,100.36
13.71.01.1003,Ranah Parak Rumbio,,
13.71.01.1004,Pasa Gadang,-0.96,200.37
"""
DESA_FAULTS = {4: "DESA_DUPLICATE", 5: "COORD_MISSING", 6: "COORD_OUTSIDE"}
WORDS = {
    "SITE_ID_DUPLICATE": "sites.csv baris 2",
    "SITE_KIND_UNKNOWN": "jenis lokasi tidak dikenal",
    "DESA_UNKNOWN": "Kemendagri",
    "DESA_CODE_INVALID": "bukan kode desa",
    "COORD_OUTSIDE": "di luar Indonesia",
    "COORD_INVALID": "bukan angka",
    "HEAD_COUNT_INVALID": "bilangan bulat",
    "SITE_ID_MISSING": "site_id kosong",
    "TOO_MANY_FIELDS": "lebih dari baris judul",
    "ROSTER_NIK_DUPLICATE": "roster.csv baris 2",
    "NIK_MISSING": "NIK kosong",
    "NIK_FORMAT": "16 digit",
    "NIK_BIRTH_DATE": "tanggal lahir",
    "ROSTER_SITE_UNKNOWN": "daftar lokasi",
    "DESA_DUPLICATE": "desa.csv baris 2",
    "COORD_MISSING": "kosong",
}


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for name, content in (("sites.csv", SITES), ("roster.csv", ROSTER), ("desa.csv", DESA)):
        (tmp_path / name).write_text(content, encoding="utf-8")
        out.append(tmp_path / name)
    return out


def quarantine(path: str) -> dict[tuple[str, int], dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return {(r["file"], int(r["row"])): r for r in csv.DictReader(f)}


def test_every_bad_row_is_quarantined_with_its_row_and_reason(cli, files):
    run = cli("sites", "import", *files, "--json")
    assert run.code == 0, run.err
    result = run.json()
    rows = quarantine(result["quarantine_file"])
    expected = {("sites.csv", r): c for r, c in SITE_FAULTS.items()}
    expected |= {("roster.csv", r): c for r, c in ROSTER_FAULTS.items()}
    expected |= {("desa.csv", r): c for r, c in DESA_FAULTS.items()}
    assert {k: r["reasons"] for k, r in rows.items()} == expected
    for key, code in expected.items():
        assert WORDS[code] in rows[key]["message"], (key, rows[key]["message"])
        assert rows[key]["message"].startswith(f"{key[0]}, baris {key[1]}:")
    by_file = {f["file"]: f for f in result["files"]}
    for name, faults in (("sites.csv", SITE_FAULTS), ("roster.csv", ROSTER_FAULTS), ("desa.csv", DESA_FAULTS)):
        f = by_file[name]
        assert f["rows_read"] == f["accepted"] + f["quarantined"]
        assert f["quarantined"] == len(faults)
    assert (by_file["sites.csv"]["rows_read"], by_file["roster.csv"]["rows_read"]) == (14, 8)
    assert result["stored"] == {
        "sites": {"dinas": 1, "kampus": 1, "rumah_sakit": 1, "sekolah": 1},
        "roster_rows": 2,
        "desa": 2,
    }
    assert "Traceback" not in run.err


def test_no_nik_in_messages_or_output_and_masked_in_the_quarantine(cli, files):
    run = cli("sites", "import", *files)
    assert run.code == 0, run.err
    assert "roster: dibaca 8, diterima 2, dikarantina 6" in run.out
    assert "daftar lokasi: dibaca 14, diterima 4, dikarantina 10" in run.out
    for nik in NIK:
        assert nik not in run.out + run.err
    path = run.out.split("Berkas karantina: ")[1].strip()
    content = Path(path).read_text(encoding="utf-8")
    assert NIK[1] not in content and "137101**********" in content


def test_the_stored_tables_hold_the_accepted_rows(cli, files, rekam_home):
    assert cli("sites", "import", *files).code == 0
    data = SiteStore(rekam_home).load()
    sites = {s["site_id"]: s for s in data.rows("sites")}
    assert sites["S1"]["kind"] == "sekolah" and sites["S1"]["label"] == "SMA"
    assert sites["S2"]["desa_code"] == "13.71.01.1002", "a plain desa code is stored dotted"
    assert sites["S8"]["kind"] == "rumah_sakit" and sites["S8"]["lat"] is None and sites["S8"]["head_total"] == 12
    assert sites["D1"]["kind"] == "dinas"
    assert sorted(zip(data.rosters["site_id"], data.rosters["nik"], strict=True)) == [("S1", NIK[1]), ("S2", NIK[2])]


def test_importing_the_same_files_again_changes_nothing(cli, files, rekam_home):
    first = cli("sites", "import", *files, "--json").json()
    store = SiteStore(rekam_home)
    before = {p.name: p.read_bytes() for p in (store.root / first["version"]).glob("*.parquet")}
    again = cli("sites", "import", *files, "--json").json()
    assert again["unchanged"] and again["version"] == first["version"]
    assert again["by_kind"] == first["by_kind"]
    assert store.current_version() == first["version"]
    after = {p.name: p.read_bytes() for p in (store.root / first["version"]).glob("*.parquet")}
    assert after == before
    assert "Tidak berubah" in cli("sites", "import", *files).out


def test_a_file_imported_again_replaces_its_own_rows_only(cli, files, rekam_home, tmp_path):
    assert cli("sites", "import", *files).code == 0
    extra = tmp_path / "lapas.csv"
    extra.write_text("site_id,kind,nama,kode_desa\nL1,RUTAN,Rutan Satu,13.71.01.1001\n", encoding="utf-8")
    assert cli("sites", "import", extra).code == 0
    files[0].write_text("site_id,kind,nama,kode_desa\nS1,SMA,SMA Satu,13.71.01.1001\n", encoding="utf-8")
    result = cli("sites", "import", files[0], "--json").json()
    assert not result["unchanged"]
    data = SiteStore(rekam_home).load()
    assert sorted(data.sites["site_id"]) == ["L1", "S1"]
    assert len(data.rosters["nik"]) == 2, "rosters of other files are kept"
    assert len(list(SiteStore(rekam_home).root.glob("[0-9]*"))) == 2, "the previous version is kept, older removed"


def test_a_duplicate_of_a_site_from_another_file_names_that_file(cli, files, tmp_path):
    assert cli("sites", "import", *files).code == 0
    other = tmp_path / "other.csv"
    other.write_text("site_id,kind,nama,kode_desa\nS1,SMA,Lain,13.71.01.1001\n", encoding="utf-8")
    result = cli("sites", "import", other, "--json").json()
    [row] = quarantine(result["quarantine_file"]).values()
    assert row["reasons"] == "SITE_ID_DUPLICATE" and "sites.csv baris 2" in row["message"]


def test_windows_1252_semicolons_decimal_commas_and_aliases(cli, tmp_path, rekam_home):
    path = tmp_path / "lokasi.csv"
    path.write_bytes(
        "ID Lokasi;Jenis;Nama Lokasi;Kode Desa;Latitude;Longitude\r\n"
        "P1;Panti Asuhan;Panti Asuhan \u00c9lan;1371011001;-0,95;100,36\r\n".encode("cp1252")
    )
    result = cli("sites", "import", path, "--json").json()
    assert result["by_kind"] == {"sites": {"rows_read": 1, "accepted": 1, "quarantined": 0}}
    [site] = SiteStore(rekam_home).load().rows("sites")
    assert (site["kind"], site["lat"], site["lon"]) == ("panti", -0.95, 100.36)
    assert site["name"] == "Panti Asuhan \u00c9lan"


def test_xlsx_with_a_title_row_and_a_numeric_nik(cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Daftar siswa"])
    sheet.append(["site_id", "NIK", "Nama"])
    sheet.append(["S1", NIK[1], "ANI"])
    sheet.append(["S1", 1371010101900002, "BUDI"])  # typed as a number: 15 significant digits survive here
    sheet.append(["S1", 1.3710101019e15, "CICI"])  # a number that lost digits
    book.save(tmp_path / "siswa.xlsx")
    (tmp_path / "s.csv").write_text("site_id,kind,nama,kode_desa\nS1,SMA,SMA Satu,13.71.01.1001\n")
    result = cli("sites", "import", tmp_path / "s.csv", tmp_path / "siswa.xlsx", "--json").json()
    assert result["by_kind"]["roster"] == {"rows_read": 3, "accepted": 2, "quarantined": 1}
    [row] = quarantine(result["quarantine_file"]).values()
    assert (row["row"], row["reasons"]) == ("5", "NIK_EXCEL_NUMBER")


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ("a,b,c\n1,2,3\n", "baris judul tidak dikenali"),
        ("site_id,nama\nS1,x\n", "kolom wajib tidak ada: kind, desa_code"),
        ("NIK,nama\n1371010101900001,x\n", "kolom wajib tidak ada: site_id"),
        ("site_id,kind,kode_desa\n", "tidak ada baris data"),
    ],
)
def test_a_file_that_is_no_site_file_is_refused_and_nothing_changes(cli, tmp_path, rekam_home, content, word):
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    run = cli("sites", "import", path)
    assert run.code == 1
    assert word in run.err and "Traceback" not in run.err
    assert SiteStore(rekam_home).current_version() is None


def test_the_demo_site_files_import_as_they_are(cli, demo_data, rekam_home):
    files = sorted((demo_data / "sites").glob("*.csv")) + [demo_data / "wilayah" / "desa.csv"]
    assert (demo_data / "sites" / "dinas.csv") in files
    result = cli("sites", "import", *files, "--json").json()
    kinds = result["by_kind"]
    assert kinds["sites"]["quarantined"] == 0 and kinds["desa"]["quarantined"] == 0
    assert kinds["desa"]["accepted"] == 1265
    # The demo's only roster faults are its injected missing NIKs (docs/demo-data.md).
    reasons = (
        {r["reasons"] for r in quarantine(result["quarantine_file"]).values()} if result["quarantine_file"] else set()
    )
    assert reasons <= {"NIK_MISSING"}
    assert result["stored"]["sites"]["dinas"] == 19
    for table in ("sites", "rosters", "desa"):
        assert pq.read_table(SiteStore(rekam_home).root / result["version"] / f"{table}.parquet").num_rows > 0


def test_two_files_with_one_name_are_refused(cli, files, tmp_path):
    (tmp_path / "b").mkdir()
    copy = tmp_path / "b" / "sites.csv"
    shutil.copy(files[0], copy)
    run = cli("sites", "import", files[0], copy)
    assert run.code == 1 and "nama yang sama" in run.err


def test_the_library_call(files, rekam_home):
    result = Rekam(Settings.from_env()).import_sites(files)
    assert result.as_json()["by_kind"]["desa"] == {"rows_read": 5, "accepted": 2, "quarantined": 3}  # type: ignore[attr-defined]
