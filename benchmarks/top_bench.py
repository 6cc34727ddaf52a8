"""Benchmark: the planner on the public Team Orienteering instances (Chao et al. 1996, sets 4-7).

    .venv/bin/python benchmarks/top_bench.py ../shared/planner/top [--time-limit 10] [--seed 1]
        [--bound-time-limit SECONDS | --no-bound] [--only p4.2.j,p6.4.k]

Per instance, as ``rekam plan solve --format top`` does it: ``solve_top`` with the time
limit, the bound beside the search in a second process (by default within the same time
limit; ``--bound-time-limit 60`` gives it 60 s, the search still stops at the time limit).
Every plan is checked by the public feasibility checker. Reported: the score, the
best-known score (bks_sets4-7.csv), the *reference* = the smaller of the best-known score,
a bound this run proved and ``PROVEN`` (optima proven earlier by this project), the gaps to
both, the better greedy, the bound, its method, how far it lies above the reference, and the
wall time of the whole call (search and bound).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

from rekam.planner.top.check import check_top, score_top
from rekam.planner.top.greedy import biggest_first, nearest_first
from rekam.planner.top.instance import read_top
from rekam.planner.top.solve import solve_top

# Optima proven by rekam's own bound where the listed reference is above it (docs/planner.md:
# p6.4.k's 546 needs distances rounded to 0.1; bound_top closes at 528 in 300 s).
PROVEN = {"p6.4.k": 528}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("top_dir", type=Path)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bound-time-limit", type=float, default=None, help="default: the bound shares --time-limit")
    ap.add_argument("--no-bound", action="store_true")
    ap.add_argument("--only", default=None, help="comma-separated instance names")
    args = ap.parse_args()
    bks = {r["instance"]: int(r["bks"]) for r in csv.DictReader((args.top_dir / "bks_sets4-7.csv").open())}
    files = sorted((args.top_dir / "instances").glob("*.txt"))
    if args.only:
        files = [f for f in files if f.stem in args.only.split(",")]
    load = os.getloadavg()[0]
    rows = []
    for f in files:
        inst = read_top(f)
        t = time.perf_counter()
        plan = solve_top(
            inst,
            time_limit=args.time_limit,
            seed=args.seed,
            bound_time_limit=args.bound_time_limit,
            bound=not args.no_bound,
        )
        seconds = time.perf_counter() - t
        assert check_top(inst, plan.routes) == []
        best = bks[f.stem]
        candidates = [best, PROVEN.get(f.stem, best)] + ([int(plan.bound)] if plan.bound is not None else [])
        reference = min(candidates)
        greedy = max(score_top(inst, nearest_first(inst)), score_top(inst, biggest_first(inst)))
        row: dict[str, object] = {
            "instance": f.stem,
            "score": plan.score,
            "bks": best,
            "reference": reference,
            "gap_bks_pct": round(100.0 * (best - plan.score) / best, 3),
            "gap_reference_pct": round(100.0 * (reference - plan.score) / reference, 3) if reference else 0.0,
            "greedy": greedy,
            "seconds": round(seconds, 2),
            "search_seconds_at_end": round(plan.seconds, 2),
            "iterations": plan.iterations,
            "bound": plan.bound,
            "bound_method": plan.bound_method,
        }
        line = (
            f"{f.stem:8s} {plan.score:5d} bks {best:5d} ref {reference:5d} gap {row['gap_reference_pct']:6.3f} %"
            f" greedy {greedy:5d} {seconds:6.2f} s {plan.iterations:6d} it"
        )
        if plan.bound is not None:
            row["bound_over_reference_pct"] = (
                round(100.0 * (plan.bound - reference) / reference, 3) if reference else 0.0
            )
            row["bound_over_bks_pct"] = round(100.0 * (plan.bound - best) / best, 3)
            row["gap_to_bound_pct"] = plan.gap_pct
            line += f" | bound {plan.bound:5.0f} +{row['bound_over_reference_pct']:6.3f} % {plan.bound_method}"
        if reference < best:
            line += " (reference below best-known)"
        rows.append(row)
        print(line, file=sys.stderr, flush=True)
    bounded = [r for r in rows if r["bound"] is not None]
    summary: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_at_start": round(load, 2),
        "load_at_end": round(os.getloadavg()[0], 2),
        "time_limit": args.time_limit,
        "bound_time_limit": None if args.no_bound else (args.bound_time_limit or f"shared ({args.time_limit})"),
        "seed": args.seed,
        "instances": len(rows),
        "mean_gap_reference_pct": round(statistics.mean(float(r["gap_reference_pct"]) for r in rows), 3),  # type: ignore[arg-type]
        "mean_gap_bks_pct": round(statistics.mean(float(r["gap_bks_pct"]) for r in rows), 3),  # type: ignore[arg-type]
        "at_reference": sum(r["score"] >= r["reference"] for r in rows),  # type: ignore[operator]
        "reference_below_bks": [r["instance"] for r in rows if r["reference"] < r["bks"]],  # type: ignore[operator]
        "mean_gain_over_greedy_pct": round(
            statistics.mean(100.0 * (r["score"] - r["greedy"]) / r["greedy"] for r in rows),  # type: ignore[operator]
            1,
        ),
        "max_seconds": max(r["seconds"] for r in rows),  # type: ignore[type-var]
    }
    if bounded:
        summary |= {
            "bounded": len(bounded),
            "mean_bound_over_reference_pct": round(statistics.mean(r["bound_over_reference_pct"] for r in bounded), 3),  # type: ignore[misc]
            "max_bound_over_reference_pct": max(r["bound_over_reference_pct"] for r in bounded),  # type: ignore[type-var]
            "bound_at_reference": sum(r["bound_over_reference_pct"] == 0 for r in bounded),
            "proven_optimal": sum(r["bound"] == r["score"] for r in bounded),
            "mean_gap_to_bound_pct": round(statistics.mean(r["gap_to_bound_pct"] for r in bounded), 3),  # type: ignore[misc]
        }
    summary["rows"] = rows
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    with (Path(__file__).parent / "results" / "top.jsonl").open("a") as out:
        out.write(json.dumps(summary) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=1))


if __name__ == "__main__":
    main()
