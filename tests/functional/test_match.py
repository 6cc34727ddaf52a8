"""Matching a list file to an imported demo register (scale 0.001), end to end in the library.

The list is made here from the register itself (so the truth is known): people as they are,
people with a title, and invented people who are not in the register.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from rekam.analytics.engines import snapshot_files
from rekam.linkage.match import match_file
from rekam.linkage.output import CSV_COLUMNS, write_csv
from rekam.register.store import Store


def _people(home: Path, n: int) -> list[tuple[str, str, str, str, str, str]]:
    store = Store(home)
    files = ", ".join(f"'{f}'" for f in snapshot_files(store, store.require_current()))
    return duckdb.sql(
        f"""SELECT nik, name, strftime(birth_date, '%d-%m-%Y'), sex, coalesce(rt, ''), coalesce(rw, '')
        FROM read_parquet([{files}]) WHERE accepted AND name IS NOT NULL AND birth_date IS NOT NULL
        ORDER BY hash(nik) LIMIT {n}"""
    ).fetchall()


def test_a_list_file_is_matched_row_for_row(demo_home: Path, tmp_path: Path):
    people = _people(demo_home, 60)
    listed = tmp_path / "sekolah.csv"
    truth: dict[str, str | None] = {}
    with listed.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["NISN", "NIK", "NAMA", "TGL_LHR", "JENIS_KLMIN", "NO_RT", "NO_RW"])
        for i, (nik, name, birth, sex, rt, rw) in enumerate(people):
            lid = f"{i:04d}"
            if i % 3 == 1:  # a title
                name = f"H. {name}"
            if i % 5 == 4:  # not in the register: another birth year and another name
                name, birth, nik = f"ZULKARNAEN XAVERIUS {i}", f"{birth[:6]}19{i % 40 + 10}", None
            truth[lid] = nik
            w.writerow([lid, "", name, birth, sex, rt, rw])
    store = Store(demo_home)
    run = match_file(store, store.require_current(), listed)
    out = tmp_path / "hasil.csv"
    assert write_csv(run.table, out) == len(people)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["list_id"] for r in rows] == list(truth)
    present = [r for r in rows if truth[r["list_id"]]]
    absent = [r for r in rows if not truth[r["list_id"]]]
    found = [r for r in present if r["decision"] == "match"]
    assert len(found) >= 0.9 * len(present)
    for r in found:  # masked, and the right person
        nik = truth[r["list_id"]]
        assert nik and r["match_id"] == nik[:6] + "******" + nik[12:]
    assert all(r["decision"] == "no_match" and r["match_id"] == "" for r in absent)


def test_match_through_the_cli(cli, demo_home: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    people = _people(demo_home, 20)
    listed = tmp_path / "dpt.csv"
    with listed.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["NO", "NAMA", "TGL_LHR", "JENIS_KLMIN"])
        for i, (_nik, name, birth, sex, _rt, _rw) in enumerate(people):
            w.writerow([i, name, birth, sex])
        w.writerow([99, "ZULKARNAEN XAVERIUS TIADA", "01-01-1960", "1"])
    out = tmp_path / "hasil.csv"
    run = cli("match", listed, "--out", out, "--json")
    assert run.code == 0, run.err
    summary = run.json()
    assert summary["rows"] == 21 == summary["match"] + summary["review"] + summary["no_match"]
    assert summary["no_match"] >= 1 and summary["match"] >= 18
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("list_id,match_id,match_probability,decision") and len(lines) == 22
    assert all(nik not in out.read_text() for nik, *_ in people)  # masked by default
    bad = cli("match", listed, "--match-threshold", "0.3", "--review-threshold", "0.6")
    assert bad.code == 1 and "Ambang" in bad.err
