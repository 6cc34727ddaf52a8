"""Benchmark: `rekam import` of the synthetic Sumatera Barat against the bare engine and pandas.

    .venv/bin/python benchmarks/import_bench.py --scale 1.0 [--data DIR] [--repeat 3]

In one run, each in a fresh process, on the same CSV files:
  rekam      `rekam import` (validation, label mapping, quarantine, duplicate NIKs, sort by desa)
  bare       DuckDB streaming the same CSVs to one Parquet file, no validation (the floor)
  pandas     a straightforward pandas script doing the same validation, writing Parquet
Wall time includes process start. Peak memory is the RSS of the process tree (sampled 50 ms).
Figures are appended to benchmarks/results/import.jsonl; copy them into benchmarks/README.md.
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
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _measure import measure  # noqa: E402

PY = sys.executable


def bare(files: list[str], out: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv({files!r}, all_varchar = true, header = true)) TO '{out}' (FORMAT parquet)"
    )


def pandas_script(files: list[str], out: str) -> None:
    """What a data operator's analyst would write: read, check, drop, sort, save."""
    import pandas as pd

    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    df = pd.concat(frames, ignore_index=True)
    nik = df["NIK"]
    ok = nik.str.fullmatch(r"\d{16}")
    dd = pd.to_numeric(nik.str[6:8], errors="coerce")
    day = dd.where(dd <= 40, dd - 40)
    nik_date = pd.to_datetime(
        "20" + nik.str[10:12] + "-" + nik.str[8:10] + "-" + day.astype("Int64").astype(str).str.zfill(2),
        format="%Y-%m-%d",
        errors="coerce",
    )
    nik_date_19 = pd.to_datetime(
        "19" + nik.str[10:12] + "-" + nik.str[8:10] + "-" + day.astype("Int64").astype(str).str.zfill(2),
        format="%Y-%m-%d",
        errors="coerce",
    )
    ok &= nik_date.notna() | nik_date_19.notna()
    ok &= nik.str[12:16] != "0000"
    birth = pd.to_datetime(df["TGL_LHR"], format="%d-%m-%Y", errors="coerce")
    ok &= birth.notna() & (birth <= pd.Timestamp("2024-11-13"))
    sex = (
        df["JENIS_KLMIN"].str.upper().map({"LAKI-LAKI": "L", "PEREMPUAN": "P", "1": "L", "2": "P", "L": "L", "P": "P"})
    )
    ok &= sex.notna()
    marital = df["STAT_KWN"].str.upper().map({"BELUM KAWIN": 1, "KAWIN": 2, "CERAI HIDUP": 3, "CERAI MATI": 4})
    ok &= marital.notna()
    status_ok = (
        df["STATUS_KTP_EL"]
        .str.upper()
        .isin(
            [
                "UNREGISTERED",
                "BIO_CAPTURED",
                "SENT_FOR_ENROLLMENT",
                "PRINT_READY_RECORD",
                "DUPLICATE_RECORD",
                "ENROLL_FAILURE_AT_CENTRAL",
                "SEARCH_FAILURE_AT_CENTRAL",
                "CARD_PRINTED",
                "CARD_ISSUED",
            ]
        )
    )
    ok &= status_ok
    dup = df["NIK"].duplicated() & ok
    ok &= ~dup
    df["birth_date"] = birth
    df["sex"] = sex
    df["marital_status"] = marital
    df["TGL_REKAM"] = pd.to_datetime(df["TGL_REKAM"], format="%d-%m-%Y", errors="coerce")
    df["desa_id"] = (
        df["NO_PROP"].astype(int) * 100_000_000
        + df["NO_KAB"].astype(int) * 1_000_000
        + df["NO_KEC"].astype(int) * 10_000
        + df["NO_KEL"].astype(int)
    )
    df[~ok].to_csv(out + ".quarantine.csv", index=False)
    df[ok].sort_values(["desa_id", "NO_RW", "NO_RT", "NO_KK", "NIK"]).to_parquet(out, index=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--variants", default="rekam,bare,pandas")
    ap.add_argument("--run", choices=["bare", "pandas"], help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run == "bare":
        bare(args.files, args.out)
        return
    if args.run == "pandas":
        pandas_script(args.files, args.out)
        return

    data = args.data or HERE / ".work" / f"demo-{args.scale}"
    if not (data / "siak").is_dir():
        from rekam import api

        t = time.perf_counter()
        api.generate_demo(data, scale=args.scale)
        print(f"generated scale {args.scale} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    files = sorted(str(p) for p in (data / "siak").glob("*.csv"))
    size_mb = sum(os.path.getsize(f) for f in files) / 2**20
    results: dict[str, list[dict]] = {}
    for _ in range(args.repeat):
        for variant in args.variants.split(","):
            work = Path(tempfile.mkdtemp(prefix="rekam-bench-"))
            try:
                if variant == "rekam":
                    env = dict(os.environ, REKAM_HOME=str(work / "home"))
                    r = measure([PY, "-m", "rekam", "import", *files, "--date", "2024-11-13", "--json"], env=env)
                    r["result"] = json.loads(r.pop("stdout"))
                    r["result"].pop("files", None)
                else:
                    r = measure([PY, __file__, "--run", variant, "--out", str(work / "out.parquet"), *files])
                    r.pop("stdout")
                results.setdefault(variant, []).append(r)
                print(variant, {k: v for k, v in r.items() if k != "result"}, file=sys.stderr)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    rows = results["rekam"][0]["result"]["rows_read"] if "rekam" in results else None
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "scale": args.scale,
        "csv_mb": round(size_mb),
        "rows": rows,
        "cores": os.cpu_count(),
    }
    for variant, runs in results.items():
        wall = statistics.median(r["wall_s"] for r in runs)
        summary[variant] = {"wall_s": wall, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}
        if rows:
            summary[variant]["rows_per_s"] = round(rows / wall)
    if "rekam" in results:
        summary["rekam"]["result"] = results["rekam"][0]["result"]
        for other in ("bare", "pandas"):
            if other in summary:
                summary[f"rekam_vs_{other}"] = round(summary["rekam"]["wall_s"] / summary[other]["wall_s"], 2)
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "import.jsonl").open("a") as f:
        f.write(json.dumps(summary) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
