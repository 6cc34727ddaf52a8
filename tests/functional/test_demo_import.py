"""The synthetic register through the real commands: generate, import, coverage."""

from __future__ import annotations

import json


def test_demo_generate_import_and_coverage(cli, tmp_path):
    out = tmp_path / "demo"
    run = cli("demo", "generate", "--out", out, "--scale", "0.001", "--seed", "11")
    assert run.code == 0, run.err
    manifest = json.loads((out / "manifest.json").read_text())
    defects = manifest["defects"]
    files = sorted((out / "siak").glob("*.csv"))
    assert len(files) == 19
    result = cli("import", *files, "--date", "2024-11-13", "--json").json()
    assert result["rows_read"] == manifest["residents"]
    # Every injected hard defect is quarantined, and nothing else is.
    assert result["quarantined"] == defects["nik_invalid"] + defects["nik_duplicate"] + defects["birth_date_missing"]
    # Doubtful rows are accepted and counted.
    assert result["warnings"].get("NIK_BIRTHDATE_MISMATCH") == defects["nik_birthdate_mismatch"]
    assert result["warnings"].get("REKAM_DATE_MISSING") == defects["rekam_date_missing"]
    assert len(result["kab_codes"]) == 19
    cov = cli("coverage", "--as-of", "2024-11-13", "--level", "prov", "--format", "json").json()
    [prov] = cov
    assert prov["region_code"] == "13" and 94.0 < prov["coverage_pct"] < 99.5
    assert cli("demo", "generate", "--out", out, "--scale", "0").code == 1


def test_snapshot_files_are_sorted_by_desa(cli, tmp_path):
    import duckdb

    from rekam.api import Rekam
    from rekam.config import Settings

    out = tmp_path / "demo"
    cli("demo", "generate", "--out", out, "--scale", "0.001")
    cli("import", *sorted((out / "siak").glob("*.csv")), "--date", "2024-11-13")
    st = Rekam(Settings.from_env()).store()
    files = sorted({str(st.absolute(f)) for p in st.require_current().parts.values() for f in p.files})
    for f in files:
        [(unsorted,)] = duckdb.sql(
            f"SELECT count(*) FILTER (WHERE desa_id < prev) FROM (SELECT desa_id, "
            f"lag(desa_id) OVER (ORDER BY file_row_number) AS prev FROM read_parquet('{f}', file_row_number = true))"
        ).fetchall()
        assert unsorted == 0, f


def test_coverage_on_spark_through_the_cli(cli, demo_home, monkeypatch):
    import pytest

    pytest.importorskip("pyspark")
    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    duck = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--format", "json").json()
    spark = cli("coverage", "--as-of", "2024-11-13", "--level", "kab", "--format", "json", "--engine", "spark")
    assert spark.code == 0, spark.err
    assert spark.json() == duck


def test_coverage_views_show_the_printing_stages_and_the_nik_risk(cli, demo_home, monkeypatch):
    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    monkeypatch.setenv("COLUMNS", "250")
    [padang] = cli("coverage", "--as-of", "2024-11-13", "--region", "13.71", "--format", "json").json()
    cetak = cli("coverage", "--as-of", "2024-11-13", "--region", "13.71", "--view", "cetak")
    risiko = cli("coverage", "--as-of", "2024-11-13", "--region", "13.71", "--view", "risiko")
    assert cetak.code == 0 and risiko.code == 0, cetak.err + risiko.err
    assert "menunggu pusat" in cetak.out and "siap cetak (PRR)" in cetak.out and "cakupan %" not in cetak.out
    assert "risiko nonaktif (12 bulan)" in risiko.out and "lewat tanggal nonaktif" in risiko.out
    for key in ("sudah_cetak", "belum_cetak", "menunggu_pusat"):
        assert f"{padang[key]:,}".replace(",", ".") in cetak.out, key
    assert f"{padang['risiko_nonaktif']:,}".replace(",", ".") in risiko.out
    assert cli("coverage", "--view", "semua").code != 0
