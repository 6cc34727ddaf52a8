"""Build a multi-province register for the 50 M-row benchmark from one synthetic Sumatera Barat.

    .venv/bin/python benchmarks/make_multiprovince.py SRC_DIR OUT_DIR --copies 9

Copy k (k = 0 .. copies-1) is the Sumatera Barat export with the province code (the first
two NIK digits and NO_PROP) replaced by another province's code, so NIKs stay unique and the
files look like several provinces' exports. Most desa codes of the copies are not in the
gazetteer (they are Sumatera Barat's codes under another province), so those rows carry the
DOMICILE_UNKNOWN warning; that does not change the work the import does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

PROVINCES = ["13", "11", "12", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--copies", type=int, default=9)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for k in range(args.copies):
        prov = PROVINCES[k]
        for f in sorted((args.src / "siak").glob("*.csv")):
            target = args.out / f.name.replace("siak_13", f"siak_{prov}")
            if target.exists():
                continue
            con.execute(
                f"""COPY (SELECT * REPLACE ('{prov}' || substr(NIK, 3) AS NIK, '{prov}' AS NO_PROP)
                          FROM read_csv('{f}', all_varchar = true, header = true))
                    TO '{target}' (HEADER, QUOTE '"')"""
            )
        print(f"province {prov} written")


if __name__ == "__main__":
    main()
