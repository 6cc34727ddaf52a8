"""Benchmark: by-name lists (issue #4) on an imported snapshot.

    .venv/bin/python benchmarks/list_bench.py --home benchmarks/.work/home-1.0 [--desa 13.71.01.1001] [--kab 13.06]

Measured in one process after a warm-up call (process start excluded), medians of 5:
  desa_list      api.list_people('belum-rekam', one desa): engine set-up + query + rows
  bare_query     the same query alone on an open DuckDB connection
  kab_workbook   api.write_list for a whole kab/kota as xlsx (one sheet per desa)
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

AS_OF = date(2024, 11, 13)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--desa", default="13.71.01.1001")
    ap.add_argument("--kab", default="13.06")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from rekam.analytics.engines import DuckDBEngine
    from rekam.analytics.lists import list_sql
    from rekam.api import Rekam
    from rekam.config import Settings

    settings = Settings(home=args.home)

    def timed(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
        fn()  # warm-up: file metadata, imports
        runs = []
        result = None
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs), result

    desa_s, (people, snap) = timed(lambda: Rekam(settings).list_people("belum-rekam", args.desa, AS_OF))
    st = Rekam(settings).store()
    engine = DuckDBEngine(st, st.require_current())
    sql = list_sql("belum-rekam", AS_OF, None, 1, args.desa)
    bare_s, _ = timed(lambda: engine.run(sql))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kab.xlsx"
        t = time.perf_counter()
        n = Rekam(settings).write_list("belum-rekam", args.kab, out, as_of=AS_OF)
        kab_s = time.perf_counter() - t
        size = out.stat().st_size
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "home": str(args.home),
        "rows": snap.rows,  # type: ignore[attr-defined]
        "desa": args.desa,
        "desa_people": len(people),
        "desa_list_ms": round(desa_s * 1000, 1),  # type: ignore[arg-type]
        "bare_query_ms": round(bare_s * 1000, 1),
        "kab": args.kab,
        "kab_people": n,
        "kab_workbook_s": round(kab_s, 2),
        "kab_workbook_kb": size // 1024,
    }
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    with (Path(__file__).parent / "results" / "lists.jsonl").open("a") as f:
        f.write(json.dumps(summary) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
