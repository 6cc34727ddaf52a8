"""Benchmark: the snapshot diff an import keeps (issue 16), at the scale of Sumatera Barat.

    .venv/bin/python benchmarks/snapshot_diff_bench.py [--rows 5821239] [--repeat 3]

Two snapshots of ``--rows`` people in 19 kab/kota are written straight as snapshot Parquet
(the columns the diff reads; no CSV import), the second with 0.5 % gone, 0.5 % new, 1 % moved
to another desa, 2 % newly recorded, and the diff of the second against the first is computed
as the import computes it (``analytics.snapshot_diff.compute``: one DuckDB pass, the two sides
FULL OUTER JOINed on NIK, aggregated per desa pair, rolled up in Python). Each repeat runs in
a fresh process; wall time includes process start. Figures are appended to
benchmarks/results/snapshot_diff.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _measure import measure  # noqa: E402

PY = sys.executable
KABS = [f"13.{k:02d}" for k in range(1, 13)] + [f"13.{k}" for k in range(71, 78)]


def build(home: Path, rows: int) -> None:
    """Two snapshots of ``rows`` people (the second changed), as the store keeps them."""
    import duckdb

    from rekam.register.store import Part, Snapshot, Store, now_iso

    store = Store(home)
    con = duckdb.connect()
    kabs = ", ".join(f"'{k}'" for k in KABS)
    base = f"""
      SELECT lpad(i::VARCHAR, 16, '0') AS nik, list_extract([{kabs}], (i % 19)::INT + 1) AS kab_code,
             (i // 19) % 60 AS desa_no, i,
             DATE '1940-01-01' + ((i * 7919) % 30000)::INT AS birth_date
      FROM range({rows}) t(i)"""
    sides = {
        "a": (date(2024, 11, 13), "WHERE i % 200 <> 1", "0", "i % 25 = 0"),
        # 0.5 % gone (i % 200 = 0), 0.5 % new (i % 200 = 1), 1 % moved, 2 % more recorded
        "b": (date(2024, 11, 20), "WHERE i % 200 <> 0", "CASE WHEN i % 100 = 7 THEN 1 ELSE 0 END", "i % 50 = 0"),
    }
    parent = None
    for n, (day, where, shift, recorded) in enumerate(sides.values(), start=1):
        import_id = f"bench-{n}"
        folder = store.parts_dir(import_id)
        folder.mkdir(parents=True)
        target = folder / "file_0.parquet"
        con.execute(
            f"""COPY (
              SELECT nik, kab_code, kab_code || '.01.' || (2001 + (desa_no + {shift}) % 60)::VARCHAR AS desa_code,
                     'WNI' AS citizenship, NULL::VARCHAR AS stay_permit, birth_date,
                     NULL::DATE AS ever_married_since,
                     CASE WHEN {recorded} THEN 'BELUM_REKAM' ELSE 'SUDAH_REKAM' END AS recording_state,
                     NULL::DATE AS recorded_on, DATE '{day.isoformat()}' AS export_date, true AS accepted
              FROM ({base}) {where} ORDER BY desa_code
            ) TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE 122880)"""
        )
        counts = dict(con.execute(f"SELECT kab_code, count(*) FROM '{target}' GROUP BY 1").fetchall())
        rel = str(target.relative_to(home))
        parts = {k: Part(k, (rel,), day, import_id, int(counts[k])) for k in KABS}
        snap = Snapshot(f"{n:04d}-{day:%Y%m%d}", now_iso(), day, parent, parts, import_id, {"kab_codes": list(KABS)})
        store.commit(snap)
        parent = snap.id


def run_once(home: Path) -> None:
    from rekam.analytics import snapshot_diff
    from rekam.register.store import Store

    store = Store(home)
    snap = store.require_current()
    started = time.perf_counter()
    diff = snapshot_diff.compute(store, store.load(snap.parent or ""), snap)
    seconds = time.perf_counter() - started
    kab = diff.level("kab")
    totals = {k: sum(r[k] for r in kab) for k in snapshot_diff.COUNTS}
    print(json.dumps({"compute_s": round(seconds, 2), "desa": len(diff.level("desa")), "totals": totals}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_821_239)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.home:  # the measured child
        run_once(Path(args.home))
        return
    work = Path(tempfile.mkdtemp(prefix="rekam-diff-bench-"))
    try:
        home = work / "home"
        started = time.perf_counter()
        build(home, args.rows)
        print(f"built two snapshots of {args.rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        env = dict(os.environ)
        runs = [measure([PY, __file__, "--home", str(home)], env=env) for _ in range(args.repeat)]
        inner = [json.loads(str(r["stdout"])) for r in runs]
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "rows": args.rows,
            "cores": os.cpu_count(),
            "compute_s_median": statistics.median(i["compute_s"] for i in inner),
            "compute_s": [i["compute_s"] for i in inner],
            "wall_s": [r["wall_s"] for r in runs],
            "peak_rss_mb": max(float(r["peak_rss_mb"]) for r in runs),
            "desa": inner[0]["desa"],
            "totals": inner[0]["totals"],
        }
        print(json.dumps(result))
        with open(HERE / "results" / "snapshot_diff.jsonl", "a") as f:
            f.write(json.dumps(result) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
