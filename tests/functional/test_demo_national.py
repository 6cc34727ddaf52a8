"""The multi-province demo register (``demo generate --provinces``, issue 23): generated at a
tiny scale for two provinces, imported, and checked against the published populations and the
region tree, with plain rules independent of the generator's code."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from lokal import wilayah

from rekam import api
from rekam.api import Rekam
from rekam.config import Settings

SCALE = 0.0005
PROVINCES = ("31", "34")  # DKI Jakarta (6 kab/kota, 267 desa) and DI Yogyakarta (5, 438 desa)
# Dec 2024 population (Ditjen Dukcapil via cahyadsn/wilayah db/wilayah_penduduk.sql), copied
# here by hand so that the test does not read the generator's own data file.
POPULATION = {"31": 11_038_216, "34": 3_743_365}


def _kab(province: str) -> list[str]:
    return sorted(w.code for w in wilayah.list_wilayah(province))


@cache
def _desa_codes(province: str) -> frozenset[str]:
    return frozenset(
        d.code.replace(".", "")
        for k in wilayah.list_wilayah(province)
        for kec in wilayah.list_wilayah(k.code)
        for d in wilayah.list_wilayah(kec.code)
    )


def _kec_codes() -> set[str]:
    return {
        kec.code.replace(".", "")
        for p in wilayah.list_wilayah()
        for k in wilayah.list_wilayah(p.code)
        for kec in wilayah.list_wilayah(k.code)
    }


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    api.generate_demo(out, scale=SCALE, seed=5, provinces=",".join(PROVINCES))
    return out


def test_two_provinces_import_with_their_scaled_populations(national: Path, tmp_path: Path) -> None:
    manifest = json.loads((national / "manifest.json").read_text())
    assert manifest["provinces"] == list(PROVINCES)
    files = sorted((national / "siak").glob("*.csv"))
    assert {f.name[5:9] for f in files} == {k.replace(".", "") for p in PROVINCES for k in _kab(p)}

    rows: list[dict[str, str]] = []
    for f in files:
        with open(f, newline="", encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    per_prov = Counter(r["NO_PROP"] for r in rows)
    for prov in PROVINCES:
        # every desa gets at least a KK of 3, so a province's floor is 3 residents per desa
        expected = max(POPULATION[prov] * SCALE, 3 * len(_desa_codes(prov)))
        assert 0.9 <= per_prov[prov] / expected <= 1.5, prov
    assert per_prov["31"] > per_prov["34"]  # Jakarta is the larger
    # DKI Jakarta: no desa has a floor there, so its count follows the population closely
    assert abs(per_prov["31"] / (POPULATION["31"] * SCALE) - 1) < 0.1

    # region codes: every row's village exists in the region tree of its province
    for r in rows:
        code = f"{r['NO_PROP']}{int(r['NO_KAB']):02d}{int(r['NO_KEC']):02d}{int(r['NO_KEL']):04d}"
        assert code in _desa_codes(r["NO_PROP"])
    assert {r["NAMA_PROP"] for r in rows} == {"DAERAH KHUSUS IBUKOTA JAKARTA", "DAERAH ISTIMEWA YOGYAKARTA"}

    # NIKs: unique apart from the injected duplicates; the first 6 digits are a real kecamatan
    niks = Counter(r["NIK"] for r in rows)
    assert sum(c - 1 for c in niks.values() if c > 1) == manifest["defects"]["nik_duplicate"]
    kecs = _kec_codes()
    valid = [n for n in niks if len(n) == 16]
    assert len(niks) - len(valid) <= manifest["defects"]["nik_invalid"]
    assert all(n[:6] in kecs for n in valid)
    home = sum(1 for r in rows if r["NIK"][:6] == f"{r['NO_PROP']}{int(r['NO_KAB']):02d}{int(r['NO_KEC']):02d}")
    assert 0.85 < home / len(rows) < 0.97  # ~8 % hold a NIK issued elsewhere
    elsewhere = {n[:2] for n in valid} - set(PROVINCES)
    assert len(elsewhere) >= 10  # issued in many other provinces

    # import and coverage at every level
    session = Rekam(Settings(home=tmp_path / "home"))
    result = session.import_register(files, export_date=date(2024, 11, 13))
    assert result.accepted + result.quarantined == len(rows)
    defects = manifest["defects"]
    assert result.quarantined == defects["nik_invalid"] + defects["nik_duplicate"] + defects["birth_date_missing"]
    prov_rows = session.coverage(as_of=date(2024, 11, 13), level="prov")
    assert sorted(r.region_code for r in prov_rows) == list(PROVINCES)
    for r in prov_rows:
        assert 94.0 < r.coverage_pct < 99.5
    kab_rows = session.coverage(as_of=date(2024, 11, 13), level="kab")
    assert {r.region_code for r in kab_rows} == {k for p in PROVINCES for k in _kab(p)}
    desa_rows = session.coverage(as_of=date(2024, 11, 13), level="desa")
    assert {r.region_code[:2] for r in desa_rows} == set(PROVINCES)


def test_same_seed_and_scale_give_the_same_files(national: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    api.generate_demo(again, scale=SCALE, seed=5, provinces=list(PROVINCES))
    for f in sorted((national / "siak").glob("*.csv")):
        assert (again / "siak" / f.name).read_bytes() == f.read_bytes(), f.name


def test_province_13_alone_is_the_default_register(tmp_path: Path) -> None:
    api.generate_demo(tmp_path / "a", scale=0.0002, seed=9)
    api.generate_demo(tmp_path / "b", scale=0.0002, seed=9, provinces="13")
    names = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.csv"))
    assert names and names == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.csv"))
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_unknown_province_codes_are_refused_in_bahasa_indonesia(cli, tmp_path: Path) -> None:
    run = cli("demo", "generate", "--out", tmp_path / "x", "--provinces", "13,99,ab")
    assert run.code != 0
    assert "Kode provinsi tidak dikenal untuk --provinces: 99, ab" in run.err
    assert "Traceback" not in run.err + run.out
    assert not (tmp_path / "x" / "siak").exists()
    empty = cli("demo", "generate", "--out", tmp_path / "x", "--provinces", "")
    assert empty.code != 0 and "Kode provinsi tidak dikenal" in empty.err
