"""Benchmark: `rekam rakor` (issue #15) on the demo province with three snapshots.

    .venv/bin/python benchmarks/rakor_bench.py --scale 1.0 [--work benchmarks/.work] [--repeat 1]

Made once and kept in the work folder: the demo at ``--scale`` (``demo-<scale>/``) and a
REKAM_HOME with three snapshots (``rakor-home-<scale>/``): 2024-08-01 and 2024-10-01 as the
export would have been then (recordings after the day exported UNREGISTERED, without a date;
rewritten with DuckDB) and 2024-11-13 as generated. Then, each timed:

  figures       in one process: the calls the report needs, alone: coverage (prov + kab),
                progress (kab), rank, quality
  gather        in one process: ``Rekam.rakor_report`` (the above, progress of the province,
                the trend per snapshot, the desks' services, the plans)
  rakor_pdf     ``rekam rakor ... --out rakor.pdf`` as a fresh process (wall, process start included)
  rakor_xlsx    ``rekam rakor ... --out rakor.xlsx`` as a fresh process

Goal (issue #15): the report <= 20 s on 2 cores. Results are appended to results/rakor.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

AS_OF = date(2024, 11, 13)
SINCE = date(2024, 10, 1)
DEADLINE = date(2024, 11, 27)
EARLIER = (date(2024, 8, 1), SINCE)


def as_it_was(src: Path, dst: Path, day: date) -> None:
    """The demo export as on ``day``: whoever recorded later is UNREGISTERED, no dates."""
    import duckdb

    dst.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for f in sorted(src.glob("*.csv")):
        later = f"strptime(TGL_REKAM, '%d-%m-%Y') > DATE '{day.isoformat()}'"
        con.execute(
            f"""COPY (SELECT * REPLACE (
                  CASE WHEN {later} THEN 'UNREGISTERED' ELSE STATUS_KTP_EL END AS STATUS_KTP_EL,
                  CASE WHEN {later} THEN NULL ELSE TGL_REKAM END AS TGL_REKAM,
                  CASE WHEN {later} THEN NULL ELSE TGL_CETAK END AS TGL_CETAK)
                FROM read_csv('{f}', all_varchar = true, header = true))
              TO '{dst / f.name}' (HEADER, DELIMITER ',')"""
        )


def prepare(work: Path, scale: float) -> Path:
    from rekam import api
    from rekam.api import Rekam
    from rekam.config import Settings

    data = work / f"demo-{scale}"
    if not (data / "manifest.json").exists():
        api.generate_demo(data, scale=scale, seed=20241113)
    home = work / f"rakor-home-{scale}"
    rk = Rekam(Settings(home=home))
    if home.exists() and len(rk.snapshots()[0]) == 3:
        return home
    for day in EARLIER:
        folder = work / f"demo-{scale}-{day.isoformat()}"
        if not folder.exists():
            as_it_was(data / "siak", folder, day)
        rk.import_register(sorted(folder.glob("*.csv")), export_date=day)
    rk.import_register(sorted((data / "siak").glob("*.csv")), export_date=AS_OF)
    return home


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--work", type=Path, default=Path(__file__).parent / ".work")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()

    from rekam.api import Rekam
    from rekam.config import Settings

    t = time.perf_counter()
    home = prepare(args.work, args.scale)
    prepare_s = time.perf_counter() - t
    rk = Rekam(Settings(home=home))

    def figures() -> None:
        rk.coverage_levels(AS_OF, ("prov", "kab"), "13", election_date=DEADLINE)
        rk.progress(AS_OF, SINCE, DEADLINE, level="kab", region="13")
        rk.rank(as_of=AS_OF, since=SINCE, election_date=DEADLINE, region="13")
        rk.quality("kab", "13", AS_OF)

    figures_s = timed(figures, args.repeat)
    gather_s = timed(lambda: rk.rakor_report(AS_OF, SINCE, DEADLINE, DEADLINE, "13"), args.repeat)
    env = {**os.environ, "REKAM_HOME": str(home)}
    cli = [sys.executable, "-m", "rekam", "rakor", "--as-of", str(AS_OF), "--since", str(SINCE)]
    cli += ["--deadline", str(DEADLINE), "--election-date", str(DEADLINE), "--region", "13", "--out"]
    sizes = {}
    walls = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("pdf", "xlsx"):
            out = Path(tmp) / f"rakor.{fmt}"
            walls[fmt] = timed(lambda out=out: subprocess.run([*cli, str(out)], env=env, check=True), args.repeat)
            sizes[fmt] = out.stat().st_size // 1024
    snap = rk.store().require_current()
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "scale": args.scale,
        "rows": snap.rows,
        "snapshots": len(rk.snapshots()[0]),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "prepare_s": round(prepare_s, 1),
        "figures_s": round(figures_s, 2),
        "gather_s": round(gather_s, 2),
        "rakor_pdf_s": round(walls["pdf"], 2),
        "rakor_xlsx_s": round(walls["xlsx"], 2),
        "pdf_kb": sizes["pdf"],
        "xlsx_kb": sizes["xlsx"],
    }
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    with (Path(__file__).parent / "results" / "rakor.jsonl").open("a") as f:
        f.write(json.dumps(summary) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
