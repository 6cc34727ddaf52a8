"""Benchmark (issue 23): the whole country's coverage, all four levels, at 10 %, 50 % and 100 %,
on DuckDB and on a Spark standalone cluster of one and of two workers.

    .venv/bin/python benchmarks/national_bench.py --home benchmarks/.work/home-national-0.1 \
        --times 1,5,10 --workers 1,2

``--home`` holds an imported snapshot of the national synthetic register at 10 % (``rekam demo
generate --provinces all --scale 0.1`` then ``rekam import``: benchmarks/README.md). The 50 % and
100 % registers are that snapshot's Parquet files copied 5 and 10 times into new homes under
``--work`` (the same people repeated: the engines read and group five or ten times the rows, and
the disk holds every copy; what differs from a real register is only that the copies compress as
well as the original). Skipped, with the reason, when the disk lacks room for them.

Each variant runs in a fresh process (``coverage_bench.py --run``: wall time inside it, engine
start excluded; peak RSS of the process tree from outside):
  rekam        ``Rekam.coverage_levels`` on DuckDB (the product)
  duckdb_hand  the hand-written DuckDB ROLLUP (the bare engine)
  spark_rekam  ``Rekam.coverage_levels`` on Spark, the driver in this process and the executors on
               a standalone cluster started here (``tests/support/spark_cluster.py``) with 1 and
               with 2 workers, ``--worker-cores`` cores and ``--worker-memory`` each
The executors' memory is not in the process tree's peak (they are the workers' children): their
peak is read from ``/proc`` of the worker processes' children during the run.
Results are appended to ``benchmarks/results/national.jsonl``.

With ``--match DIR`` (a list ``DIR/dpt.csv`` and its truth ``DIR/dpt_truth.csv``, drawn from the
same national register by ``rekam demo outside-lists``) it matches that list against the ``--home``
register instead, with ``match_bench.py``'s ``rekam`` (DuckDB) and ``rekam_spark`` (the pairs
scored on Spark ``local[2]``) variants as ``--match-engines`` says, each scored against the truth:

    .venv/bin/python benchmarks/national_bench.py --home benchmarks/.work/home-national-0.1 \
        --match benchmarks/.work/outside-national-100k --match-engines rekam,rekam_spark
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from _measure import measure  # noqa: E402
from tests.support.spark_cluster import Cluster  # noqa: E402


def copied_home(home: Path, work: Path, times: int) -> Path | None:
    """A home whose current snapshot is ``home``'s with every Parquet file copied ``times``
    times (built once); None when the disk has no room for it."""
    from rekam.register.store import Part, Store

    target = work / f"national-x{times}"
    if (target / "CURRENT").exists():
        return target
    snap = Store(home).require_current()
    files = [home / f for p in snap.parts.values() for f in p.files]
    need = sum(f.stat().st_size for f in files) * times
    free = shutil.disk_usage(work).free
    if need > free - 5 * 2**30:  # keep 5 GB for spilling
        print(f"skipped x{times}: needs {need / 2**30:.1f} GB, {free / 2**30:.1f} GB free", file=sys.stderr)
        return None
    building = work / f".national-x{times}.building"
    shutil.rmtree(building, ignore_errors=True)
    parts = {}
    for kab, part in snap.parts.items():
        names = []
        for rel in part.files:
            for k in range(times):
                name = rel if k == 0 else rel.replace(".parquet", f"-copy{k}.parquet")
                (building / name).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                shutil.copyfile(home / rel, building / name)
                names.append(name)
        parts[kab] = Part(kab, tuple(names), part.export_date, part.import_id, part.rows * times)
    Store(building).commit(replace(snap, parts=parts, parent=None))
    building.rename(target)
    return target


def _executor_peak(cluster: Cluster, stop: threading.Event, out: dict[str, int]) -> None:
    """The peak summed RSS of the workers' children (the executors' JVMs)."""
    workers = [psutil.Process(p.pid) for p in cluster.procs[1:]]
    peak = 0
    while not stop.is_set():
        total = 0
        for w in workers:
            try:
                total += sum(c.memory_info().rss for c in w.children(recursive=True))
            except psutil.Error:
                pass
        peak = max(peak, total)
        time.sleep(0.2)
    out["executors_peak_mb"] = round(peak / 2**20)


def run(variant: str, home: Path, env: dict[str, str]) -> dict[str, object]:
    r = measure(
        [sys.executable, str(HERE / "coverage_bench.py"), "--home", str(home), "--run", variant],
        env=env,
    )
    r.update(json.loads(str(r.pop("stdout")).splitlines()[-1]))
    return r


def match(args: argparse.Namespace) -> None:
    """The list of ``args.match`` against ``args.home`` on each engine, scored (counts only)."""
    import match_bench

    base = {k: v for k, v in os.environ.items() if not k.startswith(("REKAM_", "SPARK_"))}
    for variant in args.match_engines.split(","):
        with tempfile.TemporaryDirectory(prefix="rekam-national-match-") as tmp:
            out = Path(tmp) / "result.parquet"
            cmd = [sys.executable, str(HERE / "match_bench.py"), "--run", variant, "--home", str(args.home)]
            cmd += ["--list", str(args.match / "dpt.csv"), "--out", str(out)]
            r = measure(cmd, env=base | {"REKAM_HOME": str(args.home)})
            r.update(json.loads(str(r.pop("stdout")).splitlines()[-1]))
            r["score"] = match_bench.score(args.match / "dpt_truth.csv", out)
        row = {"date": time.strftime("%Y-%m-%d %H:%M"), "list": args.match.name, "variant": variant} | r
        row["load_before"] = os.getloadavg()[0]
        with (HERE / "results" / "national.jsonl").open("a") as f:
            f.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=HERE / ".work")
    ap.add_argument("--times", default="1,5,10")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--worker-cores", type=int, default=1)
    ap.add_argument("--worker-memory", default="3g")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--match", type=Path, help="a folder with dpt.csv and dpt_truth.csv: match it instead")
    ap.add_argument("--match-engines", default="rekam,rekam_spark")
    args = ap.parse_args()
    if args.match:
        match(args)
        return
    from rekam.register.store import Store

    base = {k: v for k, v in os.environ.items() if not k.startswith(("REKAM_", "SPARK_"))}
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    for times in (int(t) for t in args.times.split(",")):
        t = time.perf_counter()
        home = args.home if times == 1 else copied_home(args.home, args.work, times)
        if home is None:
            continue
        built_s = round(time.perf_counter() - t, 1)
        snap = Store(home).require_current()
        disk = sum((home / f).stat().st_size for p in snap.parts.values() for f in p.files)
        row: dict[str, object] = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "times": times,
            "rows": snap.rows,
            "parquet_gb": round(disk / 2**30, 2),
            "copied_s": built_s,
            "load_before": os.getloadavg()[0],
        }
        for variant in ("rekam", "duckdb_hand"):
            row[variant] = run(variant, home, base | {"REKAM_ENGINE": "duckdb"})
            print(times, variant, row[variant], file=sys.stderr)
        if not args.no_spark:
            for n in (int(w) for w in args.workers.split(",")):
                with tempfile.TemporaryDirectory(prefix="rekam-cluster-") as tmp:
                    cluster = Cluster(Path(tmp))
                    cluster.start(workers=n, cores=args.worker_cores, memory=args.worker_memory)
                    stop, peak = threading.Event(), {}
                    watcher = threading.Thread(target=_executor_peak, args=(cluster, stop, peak))
                    watcher.start()
                    try:
                        env = base | {
                            "REKAM_ENGINE": "spark",
                            "REKAM_SPARK_MASTER": cluster.url,
                            "SPARK_LOCAL_IP": "127.0.0.1",
                        }
                        r = run("spark_rekam", home, env)
                    finally:
                        stop.set()
                        watcher.join()
                        cluster.stop()
                    r |= peak
                    row[f"spark_{n}w"] = r
                    print(times, f"spark {n} workers", r, file=sys.stderr)
        with (results / "national.jsonl").open("a") as f:
            f.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
