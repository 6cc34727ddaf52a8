"""Rebuild src/rekam/demo/data/penduduk_kabkota.csv from a checkout of cahyadsn/wilayah (MIT).

    python scripts/build_demo_population.py PATH/TO/wilayah/db/wilayah_penduduk.sql \
        PATH/TO/wilayah/db/wilayah_luas.sql > src/rekam/demo/data/penduduk_kabkota.csv

A developer tool: the product reads only the CSV it writes (package data), never these files.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HEADER = """\
# Population of every kab/kota of Indonesia, the figures rekam's demo generator scales.
# Source: cahyadsn/wilayah (MIT licence, (c) Cahya DSN), db/wilayah_penduduk.sql:
#   "Data Kependudukan Semester II Desember 2024, Ditjen Dukcapil" (pria = laki-laki,
#   wanita = perempuan, total), region codes of Kepmendagri 300.2.2-2138/2025;
#   db/wilayah_luas.sql (BIG) for luas_km2 (empty where the data set has no figure).
# Rebuilt with scripts/build_demo_population.py; see docs/demo-data.md.
"""


def main() -> None:
    pen = Path(sys.argv[1]).read_text(encoding="utf-8")
    luas_sql = Path(sys.argv[2]).read_text(encoding="utf-8")
    rows = re.findall(r"^\('(\d\d\.\d\d)','([^']*)','(\d+)','(\d+)','(\d+)'\)", pen, re.M)
    luas = dict(re.findall(r"^\('(\d\d\.\d\d)','[^']*',([0-9.]+)\)", luas_sql, re.M))
    out = [HEADER.rstrip("\n"), "kode,nama,pria,wanita,total,luas_km2"]
    for kode, nama, pria, wanita, total in sorted(rows):
        assert int(pria) + int(wanita) == int(total), kode
        out.append(f"{kode},{nama},{pria},{wanita},{total},{luas.get(kode, '')}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
