"""Benchmark: coverage at all four levels, with every cohort figure, on an imported snapshot.

    .venv/bin/python benchmarks/coverage_bench.py --home benchmarks/.work/home-1.0 [--repeat 3] [--spark]

Variants, each in a fresh process (wall time measured inside it, process start and engine
start excluded; peak RSS of the process tree measured from outside):
  rekam        api.coverage_levels for prov, kab, kec and desa (one engine query + Python roll-up)
  duckdb_hand  one hand-written DuckDB query over the same Parquet files: GROUP BY ROLLUP with
               the same figures (the bare engine)
  pandas       a pandas script: read the columns, numpy masks, groupby per level
  spark_rekam / spark_hand   the same two on Spark local[2] (with --spark)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _measure import measure  # noqa: E402

AS_OF = date(2024, 11, 13)
ELECTION = date(2024, 11, 27)


def _register(home: Path):  # type: ignore[no-untyped-def]
    from rekam.register.store import Store

    st = Store(home)
    return st, st.require_current()


def hand_sql() -> str:
    """What an analyst would write: one query, the same conditions, GROUP BY ROLLUP over the
    four levels of the dotted code (no per-desa step, no integer keys)."""
    from rekam.analytics.coverage import definitions

    flags, counts = definitions(AS_OF, ELECTION, 1)
    cols = ", ".join(f"coalesce({cond}, false) AS {name}" for name, cond in flags.items())
    sums = ", ".join(f"count_if({cond}) AS {name}" for name, cond in counts.items())
    return (
        f"SELECT prov, kab, kec, desa_code, {sums} FROM (SELECT substr(desa_code, 1, 2) AS prov, "
        f"substr(desa_code, 1, 5) AS kab, substr(desa_code, 1, 8) AS kec, desa_code, {cols} FROM register) "
        f"GROUP BY ROLLUP (prov, kab, kec, desa_code)"
    )


def run_variant(variant: str, home: Path) -> dict[str, float]:
    from rekam.analytics.engines import current_filter, snapshot_files
    from rekam.api import Rekam
    from rekam.config import Settings

    st, snap = _register(home)
    files = snapshot_files(st, snap)
    if variant in ("rekam", "spark_rekam"):
        engine = "spark" if variant == "spark_rekam" else "duckdb"
        if engine == "spark":
            from rekam.analytics.engines import spark_session

            spark_session(Settings.from_env().spark_master)  # engine start excluded (REKAM_SPARK_MASTER: a cluster)
        t = time.perf_counter()
        result = Rekam(replace(Settings.from_env(), home=home)).coverage_levels(
            as_of=AS_OF, election_date=ELECTION, engine=engine
        )
        return {"seconds": time.perf_counter() - t, "rows": sum(len(v) for v in result.values())}
    if variant == "duckdb_hand":
        import duckdb

        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        listed = ", ".join(f"'{f}'" for f in files)
        con.execute(f"CREATE VIEW register AS SELECT * FROM read_parquet([{listed}]) WHERE {current_filter(snap)}")
        t = time.perf_counter()
        n = len(con.execute(hand_sql()).fetchall())
        return {"seconds": time.perf_counter() - t, "rows": n}
    if variant == "spark_hand":
        import sqlglot

        from rekam.analytics.engines import spark_session
        from rekam.config import Settings

        spark = spark_session(Settings.from_env().spark_master)
        spark.read.parquet(*files).createOrReplaceTempView("register_files")
        where = sqlglot.transpile(current_filter(snap), read="duckdb", write="spark")[0]
        spark.sql(f"CREATE OR REPLACE TEMP VIEW register AS SELECT * FROM register_files WHERE {where}")
        sql = sqlglot.transpile(hand_sql(), read="duckdb", write="spark")[0]
        t = time.perf_counter()
        n = len(spark.sql(sql).collect())
        return {"seconds": time.perf_counter() - t, "rows": n}
    if variant == "pandas":
        return pandas_script(files, snap)
    raise SystemExit(f"unknown variant {variant}")


def pandas_script(files: list[str], snap) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The figures as a pandas user would compute them: load columns, boolean masks, groupby."""
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    from rekam.domain.dates import add_years, birth_cutoff

    cols = [
        "desa_code",
        "sex",
        "birth_date",
        "citizenship",
        "stay_permit",
        "ever_married_since",
        "recording_state",
        "recorded_on",
        "export_date",
        "printed",
        "printed_on",
        "printable",
        "ktp_status",
        "disability",
        "vulnerable_group",
        "accepted",
        "import_id",
        "kab_code",
    ]
    t = time.perf_counter()
    df = pd.concat([pq.read_table(f, columns=cols).to_pandas(date_as_object=False) for f in files], ignore_index=True)
    current = {f"{p.import_id}|{k}" for k, p in snap.parts.items()}
    df = df[df["accepted"] & (df["import_id"] + "|" + df["kab_code"]).isin(current)]
    d = pd.Timestamp(AS_OF)
    e = pd.Timestamp(ELECTION)
    ts = lambda x: pd.Timestamp(x)  # noqa: E731
    b = df["birth_date"]
    ems = df["ever_married_since"]
    may = (df["citizenship"] == "WNI") | (df["stay_permit"] == "ITAP")
    w = may & (b <= d) & ((b <= ts(birth_cutoff(AS_OF, 17))) | (ems <= d))
    we = may & (b <= e) & ((b <= ts(birth_cutoff(ELECTION, 17))) | (ems <= e))
    r = (df["recording_state"] == "SUDAH_REKAM") & (
        (df["recorded_on"] <= d) | (df["recorded_on"].isna() & (df["export_date"] <= d))
    )
    c = df["printed"].fillna(False) & (df["printed_on"].isna() | (df["printed_on"] <= d))
    pem = (
        (df["citizenship"] == "WNI")
        & (b > ts(birth_cutoff(add_years(ELECTION, -1), 17)))
        & (b <= ts(birth_cutoff(ELECTION, 17)))
    )
    ren = (df["disability"].fillna(0) > 0) | df["vulnerable_group"].notna() | (b <= ts(birth_cutoff(AS_OF, 60)))
    a21 = b <= ts(birth_cutoff(AS_OF, 21))
    pr = df["printable"].fillna(False)
    figures = pd.DataFrame(
        {
            "wajib": w,
            "sudah_rekam": w & r,
            "perlu_rekam_ulang": w & (df["recording_state"] == "PERLU_REKAM_ULANG"),
            "belum_cetak": w & r & pr & ~c,
            "prr": w & r & (df["ktp_status"] == "PRINT_READY_RECORD"),
            "duplikat": w & (df["ktp_status"] == "DUPLICATE_RECORD"),
            "pemula": pem,
            "pemula_belum_rekam": pem & ~r,
            "akan_wajib": ~w & we,
            "akan_wajib_belum_rekam": ~w & we & ~r,
            "rentan_wajib": w & ren,
            "rentan_belum_rekam": w & ren & ~r,
            "risiko_nonaktif": w & ~r & a21,
        }
    ).astype(np.int64)
    desa = df["desa_code"]
    n = 0
    for width in (2, 5, 8, 13):
        n += len(figures.groupby(desa.str[:width]).sum())
    return {"seconds": time.perf_counter() - t, "rows": n}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--variants", default=None)
    ap.add_argument("--run", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run_variant(args.run, args.home)))
        return
    variants = (args.variants or "rekam,duckdb_hand,pandas" + (",spark_rekam,spark_hand" if args.spark else "")).split(
        ","
    )
    results: dict[str, list[dict]] = {}
    for _ in range(args.repeat):
        for v in variants:
            r = measure([sys.executable, __file__, "--home", str(args.home), "--run", v], env=dict(os.environ))
            inner = json.loads(r.pop("stdout").splitlines()[-1])
            r.update(inner)
            results.setdefault(v, []).append(r)
            print(v, r, file=sys.stderr)
    from rekam.register.store import Store

    snap = Store(args.home).require_current()
    summary: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "home": str(args.home), "rows": snap.rows}
    for v, runs in results.items():
        summary[v] = {
            "seconds": round(statistics.median(x["seconds"] for x in runs), 3),
            "peak_rss_mb": max(x["peak_rss_mb"] for x in runs),
            "rows_out": runs[0]["rows"],
        }
    for a, b in (("rekam", "duckdb_hand"), ("pandas", "rekam"), ("spark_rekam", "spark_hand")):
        if a in summary and b in summary:
            summary[f"{a}_vs_{b}"] = round(summary[a]["seconds"] / summary[b]["seconds"], 2)
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "coverage.jsonl").open("a") as f:
        f.write(json.dumps(summary) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
