"""Benchmark: the planner on the public Team Orienteering instances (Chao et al. 1996, sets 4-7).

    .venv/bin/python benchmarks/top_bench.py ../shared/planner/top [--time-limit 10] [--seed 1]

Per instance: rekam's score at a fixed time limit, the best-known score (bks_sets4-7.csv),
the gap to it, the time used; the plan is checked by the public feasibility checker. The
upper bound (LP relaxation with HiGHS) is not built yet, so no gap to a bound is reported.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path

from rekam.planner.check import check_top, score_top
from rekam.planner.greedy import biggest_first, nearest_first
from rekam.planner.solve_top import solve_top
from rekam.planner.top import read_top


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("top_dir", type=Path)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default=None, help="comma-separated instance names")
    args = ap.parse_args()
    bks = {r["instance"]: int(r["bks"]) for r in csv.DictReader((args.top_dir / "bks_sets4-7.csv").open())}
    files = sorted((args.top_dir / "instances").glob("*.txt"))
    if args.only:
        files = [f for f in files if f.stem in args.only.split(",")]
    rows = []
    for f in files:
        inst = read_top(f)
        t = time.perf_counter()
        plan = solve_top(inst, time_limit=args.time_limit, seed=args.seed)
        seconds = time.perf_counter() - t
        assert check_top(inst, plan.routes) == []
        best = bks[f.stem]
        gap = 100.0 * (best - plan.score) / best
        greedy = max(score_top(inst, nearest_first(inst)), score_top(inst, biggest_first(inst)))
        rows.append({"instance": f.stem, "score": plan.score, "bks": best, "gap_bks_pct": round(gap, 3),
                     "greedy": greedy, "seconds": round(seconds, 2)})  # fmt: skip
        print(f"{f.stem:10s} {plan.score:6d} {best:6d} {gap:7.3f} % greedy {greedy:6d} {seconds:6.2f} s", file=sys.stderr)
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "time_limit": args.time_limit, "seed": args.seed,
        "instances": len(rows), "mean_gap_bks_pct": round(statistics.mean(r["gap_bks_pct"] for r in rows), 3),
        "at_bks": sum(r["gap_bks_pct"] <= 0 for r in rows),
        "mean_gain_over_greedy_pct": round(statistics.mean(100.0 * (r["score"] - r["greedy"]) / r["greedy"]
                                                           for r in rows), 1),
        "rows": rows,
    }  # fmt: skip
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    with (Path(__file__).parent / "results" / "top.jsonl").open("a") as out:
        out.write(json.dumps(summary) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=1))


if __name__ == "__main__":
    main()
