"""Matching a list file to an imported demo register (scale 0.001), end to end in the library.

The list is made here from the register itself (so the truth is known): people as they are,
people with a title, and invented people who are not in the register.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
from tests.support.register_people import draw_people

from rekam.linkage.match import match_file
from rekam.linkage.output import CSV_COLUMNS, write_csv
from rekam.register.store import Store


def test_a_list_file_is_matched_row_for_row(demo_home: Path, tmp_path: Path):
    people = draw_people(demo_home, 60)
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
        assert nik and r["match_id"] == nik[:6] + "*" * 10
    assert all(r["decision"] == "no_match" and r["match_id"] == "" for r in absent)


def test_match_through_the_cli(cli, demo_home: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    people = draw_people(demo_home, 20)
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


def _list(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_a_list_against_another_list_through_the_cli(cli, tmp_path: Path) -> None:  # noqa: ANN001
    """``--against FILE``: the other list's own ID is the match_id; no register is needed."""
    header = ["NO", "NAMA", "TGL_LHR", "JENIS_KLMIN", "TMPT_LHR"]
    tps = _list(
        tmp_path / "dpt-tps.csv",
        header,
        [
            [1, "H. MUHAMMAD RIZKY", "05-03-1990", "L", "PADANG"],
            [2, "NURHAYATI", "03-01-1999", "P", "PADANG"],
            [3, "ZULKARNAEN XAVERIUS", "01-01-1960", "L", "SOLOK"],
        ],
    )
    kpu = _list(
        tmp_path / "dpt-kpu.csv",
        ["NO_DPT", *header[1:]],
        [
            ["K-7", "NOER HAYATI", "03-01-1999", "P", "PADANG"],
            ["K-9", "MUHAMAD RIZKI", "05-03-1990", "L", "KOTA PADANG"],
            ["K-4", "SITI AMINAH", "05-07-1985", "P", "BUKITTINGGI"],
        ],
    )
    out = tmp_path / "hasil.csv"
    run = cli("match", tps, "--against", kpu, "--out", out, "--json")
    assert run.code == 0, run.err
    assert run.json() == {"rows": 3, "match": 2, "review": 0, "no_match": 1, "kind": "lainnya", "against": kpu.name}
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["list_id"], r["match_id"], r["decision"]) for r in rows] == [
        ("1", "K-9", "match"),
        ("2", "K-7", "match"),
        ("3", "", "no_match"),
    ]
    assert "ktp_status" not in rows[0]  # a list has no KTP-el status
    text_run = cli("match", tps, "--against", kpu)
    assert text_run.code == 0 and "tidak ditemukan di dpt-kpu.csv" in text_run.err


def test_xlsx_output_puts_review_and_no_match_rows_on_their_own_sheets(
    cli, demo_home: Path, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001, E501
    import openpyxl

    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    people = draw_people(demo_home, 12)
    rows: list[list[object]] = [
        [f"S{i}", name, birth, sex] for i, (_n, name, birth, sex, _rt, _rw) in enumerate(people)
    ]
    rows.append(["S99", '=HYPERLINK("x")', "01-01-1960", "L"])  # not in the register; a formula-like name
    listed = _list(tmp_path / "siswa.csv", ["NISN", "NAMA", "TGL_LHR", "JENIS_KLMIN"], rows)
    out = tmp_path / "hasil.xlsx"
    run = cli("match", listed, "--out", out, "--json")
    assert run.code == 0, run.err
    summary = run.json()
    assert summary["kind"] == "sekolah"  # read from the NISN column
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Hasil", "Periksa", "Tidak ditemukan", "Ringkasan", "_rekam"]  # _rekam hidden
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames[:3]}
    assert sheets["Hasil"][0][:4] == ("list_id", "match_id", "match_probability", "decision")
    assert [r[0] for r in sheets["Hasil"][1:]] == [r[0] for r in rows]  # every row, in the list's order
    # each review row beside its candidates (tests/functional/test_match_review.py)
    assert len([r for r in sheets["Periksa"][1:] if r[1] == "daftar"]) == summary["review"]
    assert len(sheets["Tidak ditemukan"]) - 1 == summary["no_match"] >= 1
    assert all(r[3] == "no_match" for r in sheets["Tidak ditemukan"][1:])
    assert "S99" in [r[0] for r in sheets["Tidak ditemukan"][1:]]
    assert all(nik not in str(sheets["Hasil"]) for nik, *_ in people)  # NIK masked


def test_match_refuses_what_it_cannot_use(cli, demo_home: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    no_names = _list(tmp_path / "tanpa-nama.csv", ["NO", "TGL_LHR"], [[1, "01-01-1990"]])
    run = cli("match", no_names)
    assert run.code == 1 and "tanpa-nama.csv" in run.err and "kolom nama" in run.err
    assert "Traceback" not in run.err
    listed = _list(tmp_path / "d.csv", ["NAMA"], [["BUDI"]])
    assert cli("match", listed, "--kind", "pasar").code == 2
    assert cli("match").code == 2  # neither a list nor --dedupe
    bad_out = cli("match", listed, "--out", tmp_path / "hasil.pdf")
    assert bad_out.code == 1 and "hasil.pdf" in bad_out.err
    missing = cli("match", listed, "--against", tmp_path / "tidak-ada.csv")
    assert missing.code == 1 and "tidak-ada.csv" in missing.err


# fmt: off
_SIAK = "NIK,NO_KK,NAMA_LGKP,JENIS_KLMIN,TMPT_LHR,TGL_LHR,STAT_KWN,NO_PROP,NO_KAB,NO_KEC,NO_KEL,STATUS_KTP_EL,KEWARGANEGARAAN"
_RESIDENTS = [
    ("1371010503900001", "MUHAMMAD RIZKY", "L", "PADANG", "1990-03-05", "1001"),
    ("1371014507850002", "SITI AMINAH", "P", "BUKITTINGGI", "1985-07-05", "1001"),
    ("1371011408060004", "AHMAD FAUZI", "L", "PADANG", "2006-08-14", "1001"),
    ("1371011408060005", "AHMAD FAISAL", "L", "PADANG", "2006-08-14", "1001"),  # a twin
    ("1371010102700006", "BUDI SANTOSO", "L", "SOLOK", "1970-02-01", "1002"),
    ("1371011009950008", "DEDI SANTOSO", "L", "PADANG", "1995-09-10", "1002"),
    ("1371011503900107", "MUHAMAD RIZKI", "L", "PADANG", "1990-03-05", "1002"),  # MUHAMMAD RIZKY again
    ("1371011009950118", "DEDI SANTOSA", "L", "PADANG", "1995-09-10", "1001"),  # DEDI SANTOSO again
]
# fmt: on


def test_dedupe_through_the_cli(cli, tmp_path: Path) -> None:  # noqa: ANN001
    siak = tmp_path / "siak_1371.csv"
    siak.write_text(
        _SIAK
        + "\n"
        + "\n".join(
            f"{nik},1371010101{n:06d},{name},{sex},{place},{birth},BELUM KAWIN,13,71,01,{desa},UNREGISTERED,WNI"
            for n, (nik, name, sex, place, birth, desa) in enumerate(_RESIDENTS)
        )
        + "\n",
        encoding="utf-8",
    )
    assert cli("import", siak, "--date", "2024-11-13").code == 0
    out = tmp_path / "ganda.csv"
    run = cli("match", "--dedupe", "--region", "13.71", "--out", out, "--json")
    assert run.code == 0, run.err
    assert run.json() == {"records": 8, "pairs": 2, "clusters": 2, "region": "13.71"}
    with out.open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    assert list(pairs[0])[:4] == ["nik_a", "nik_b", "match_probability", "cluster_id"]
    assert [(p["nik_a"], p["nik_b"]) for p in pairs] == [("137101**********", "137101**********")] * 2
    whole = cli("match", "--dedupe", "--out", tmp_path / "ganda.xlsx", "--unmasked", "--json")
    assert whole.code == 0 and whole.json()["pairs"] == 2
    sheet = openpyxl.load_workbook(tmp_path / "ganda.xlsx")["Pasangan"]
    assert {(r[0], r[1]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]} == {
        ("1371010503900001", "1371011503900107"),
        ("1371011009950008", "1371011009950118"),
    }
    assert cli("match", "--dedupe", "--region", "13.05").code == 1  # no resident there
    assert cli("match", siak, "--dedupe").code == 2


def _school_list(home: Path, path: Path, n: int) -> Path:
    """A list of ``n`` register people (every third with a title) and one stranger."""
    rows: list[list[object]] = [
        [i, f"H. {name}" if i % 3 == 1 else name, birth, sex, rt, rw]
        for i, (_nik, name, birth, sex, rt, rw) in enumerate(draw_people(home, n))
    ]
    rows.append([n, "ZULKARNAEN XAVERIUS TIADA", "01-01-1960", "1", "", ""])
    return _list(path, ["NO", "NAMA", "TGL_LHR", "JENIS_KLMIN", "NO_RT", "NO_RW"], rows)


def test_a_match_keeps_to_its_memory_limit_by_spilling_to_a_private_folder_and_decides_the_same(
    demo_home: Path, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """Under a tiny memory limit the match's connection writes what does not fit to a folder
    of its own in REKAM_HOME/tmp, 0700, removed afterwards; its decisions are those of a match
    without the limit (issue 23)."""
    from rekam.linkage import match as match_module

    listed = _school_list(demo_home, tmp_path / "sekolah.csv", 40)
    store = Store(demo_home)
    snapshot = store.require_current()
    columns = ["list_id", "match_nik", "decision", "match_probability"]
    free = match_file(store, snapshot, listed, memory_limit="8GB").table.select(columns)

    seen: dict[str, object] = {}
    real = match_module.match_list

    def spying(con: duckdb.DuckDBPyConnection, register: str, rows: str, **options: object):  # noqa: ANN202
        folder = Path(con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0])
        # ~200 MB of rows, twice the limit: DuckDB must write most of them out to keep to it
        con.execute("CREATE TEMP TABLE ballast AS SELECT i, repeat('x', 100) || i AS s FROM range(2000000) t(i)")
        seen.update(folder=folder, mode=folder.stat().st_mode & 0o777, spilled=sorted(p.name for p in folder.iterdir()))
        seen["used"] = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0]
        con.execute("DROP TABLE ballast")
        return real(con, register, rows, **options)

    monkeypatch.setattr(match_module, "match_list", spying)
    tight = match_file(store, snapshot, listed, memory_limit="100MB").table.select(columns)
    folder = seen["folder"]
    assert isinstance(folder, Path) and folder.parent == demo_home / "tmp" and folder.name.startswith("match-")
    assert seen["mode"] == 0o700
    assert seen["spilled"], "nothing was written to the spill folder"
    assert isinstance(seen["used"], int) and seen["used"] <= 100 * 10**6
    assert not folder.exists()  # removed with what it held
    assert free.column("decision").to_pylist().count("match") >= 30
    assert tight.to_pylist() == free.to_pylist()


def test_match_on_spark_without_java_says_so_in_indonesian(cli, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """``--engine spark`` on a computer without Java: a message naming what is missing, no
    traceback, nothing matched (``--against``: no register needed to get that far)."""
    from rekam.analytics import engines

    monkeypatch.setattr(engines, "_SPARK_SESSION", None)  # as in a fresh process
    monkeypatch.setattr(engines.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    header = ["NO", "NAMA", "TGL_LHR"]
    a = _list(tmp_path / "a.csv", header, [[1, "RINA PUTRI", "25-06-2003"]])
    b = _list(tmp_path / "b.csv", header, [[7, "RINA PUTRI", "25-06-2003"]])
    run = cli("match", a, "--against", b, "--engine", "spark", "--out", tmp_path / "hasil.csv")
    assert run.code != 0 and "butuh Java" in run.err and "Traceback" not in run.err
    assert not (tmp_path / "hasil.csv").exists()
    assert engines._SPARK_SESSION is None
