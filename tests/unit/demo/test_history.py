"""The demo's earlier exports (``demo.history``): each rule on a register made by hand, and the
history through ``rekam demo generate --history`` and ``rekam import`` into dated snapshots."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from rekam.demo.generate import SIAK_HEADER
from rekam.demo.history import earlier_export

# name | TGL_LHR | STAT_KWN | TGL_KWN | STATUS_KTP_EL | TGL_REKAM | TGL_CETAK  -> on 2024-10-01
# fmt: off
ROWS = [
    ("LAMA",      "01-01-1990", "KAWIN",       "01-01-2010", "CARD_ISSUED",        "01-01-2015", "01-02-2015"),
    ("BARU REKAM", "01-01-2000", "BELUM KAWIN", "",          "CARD_ISSUED",        "15-10-2024", "20-10-2024"),
    ("BARU CETAK", "01-01-2000", "BELUM KAWIN", "",          "CARD_PRINTED",       "01-09-2024", "05-10-2024"),
    ("PRR",        "01-01-2000", "BELUM KAWIN", "",          "PRINT_READY_RECORD", "01-09-2024", ""),
    ("NIKAH",      "01-05-2008", "KAWIN",       "02-10-2024", "UNREGISTERED",      "",           ""),
    ("LAHIR",      "05-10-2024", "BELUM KAWIN", "",          "UNREGISTERED",       "",           ""),
    ("TANPA TGL",  "01-01-1980", "KAWIN",       "",          "CARD_ISSUED",        "",           ""),
    ("CACAT, TGL", "01-01-1980", "KAWIN",       "",          "CARD_ISSUED",        "99-99-2024", ""),
]
# fmt: on


def _write(path: Path) -> None:
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=SIAK_HEADER, lineterminator="\n")
        w.writeheader()
        for i, (name, born, marital, married, status, recorded, printed) in enumerate(ROWS, start=1):
            row = dict.fromkeys(SIAK_HEADER, "")
            row.update(NIK=f"13710101019000{i:02d}", NAMA_LGKP=name, TGL_LHR=born, STAT_KWN=marital, TGL_KWN=married)
            row.update(STATUS_KTP_EL=status, TGL_REKAM=recorded, TGL_CETAK=printed)
            w.writerow(row)


def test_each_rule_of_an_earlier_export(tmp_path: Path) -> None:
    src, out = tmp_path / "now.csv", tmp_path / "then.csv"
    _write(src)
    assert earlier_export(src, date(2024, 10, 1), out) == 7  # LAHIR was born after
    with out.open(newline="") as f:
        got = {r["NAMA_LGKP"]: r for r in csv.DictReader(f)}
    assert out.read_text().splitlines()[0].split(",") == SIAK_HEADER  # the same columns, in order
    assert "LAHIR" not in got
    assert got["LAMA"]["STATUS_KTP_EL"] == "CARD_ISSUED" and got["LAMA"]["TGL_CETAK"] == "01-02-2015"
    late = got["BARU REKAM"]
    assert (late["STATUS_KTP_EL"], late["TGL_REKAM"], late["TGL_CETAK"]) == ("UNREGISTERED", "", "")
    printed_later = got["BARU CETAK"]
    assert (printed_later["STATUS_KTP_EL"], printed_later["TGL_REKAM"], printed_later["TGL_CETAK"]) == (
        "PRINT_READY_RECORD",
        "01-09-2024",
        "",
    )
    assert got["PRR"]["STATUS_KTP_EL"] == "PRINT_READY_RECORD"
    assert (got["NIKAH"]["STAT_KWN"], got["NIKAH"]["TGL_KWN"]) == ("BELUM KAWIN", "")
    assert got["TANPA TGL"]["STATUS_KTP_EL"] == "CARD_ISSUED"  # undated: recorded on every day
    assert got["CACAT, TGL"]["TGL_REKAM"] == "99-99-2024"  # a defect is left as it is
    assert '"CACAT, TGL"' in out.read_text()  # quoted only where needed, as SIAK does
    assert out.read_text().count('"') == 2


def test_history_through_the_commands(cli, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "demo"
    run = cli("demo", "generate", "--out", out, "--scale", "0.001", "--history", "2024-10-02,2024-10-23")
    assert run.code == 0, run.err
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(manifest["history"]) == ["2024-10-02", "2024-10-23"]
    assert all(len(files) == 19 for files in manifest["history"].values())
    recorded = []
    for day in ("2024-10-02", "2024-10-23"):
        files = sorted((out / "history" / day / "siak").glob("*.csv"))
        assert cli("import", *files, "--date", day).code == 0
        [prov] = cli("coverage", "--as-of", day, "--level", "prov", "--format", "json").json()
        recorded.append(prov["sudah_rekam"])
    assert cli("import", *sorted((out / "siak").glob("*.csv")), "--date", "2024-11-13").code == 0
    [prov] = cli("coverage", "--as-of", "2024-11-13", "--level", "prov", "--format", "json").json()
    recorded.append(prov["sudah_rekam"])
    assert recorded[0] < recorded[1] < recorded[2]  # recordings in October and November
    bad = cli("demo", "generate", "--out", tmp_path / "x", "--history", "2024-12-01")
    assert bad.code != 0 and "--history" in bad.err and "Traceback" not in bad.err
