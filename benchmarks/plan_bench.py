"""Benchmark: jemput-bola plans for the synthetic Sumatera Barat, against the bound and greedy.

    .venv/bin/python benchmarks/plan_bench.py --home .work/home-1.0 kab --region 1311 --time-limit 60 --save-scenario kab-1311.json
    .venv/bin/python benchmarks/plan_bench.py --home .work/home-1.0 prov --time-limit 300
    .venv/bin/python benchmarks/plan_bench.py kab --region 1311 --scenario kab-1311.json --time-limit 60

REKAM_HOME must hold an imported register and the demo's sites (``rekam sites import``), or
``--scenario`` names a scenario saved earlier (counts only, no one's name). The scenario is
built with ``rekam plan make`` (kab/kota: 4 teams, 10 working days Mon-Fri 11-22 Nov 2024;
province: 40 teams, 14 working days Mon-Sat 11-26 Nov 2024), then: the aggregate LP alone (for
reference), the two greedy baselines (what a planner without a solver would do), and rekam's
solver as a user runs it (the bound beside the search, within the time limit: the plan's
bound is the better of the aggregate LP and the route bound, both reported). Every plan is
checked. Figures go to results/plan.jsonl and are copied by hand into README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

CASES = {
    "kab": {"teams": 4, "from": "2024-11-11", "to": "2024-11-22", "weekdays": "1-5"},
    "prov": {"teams": 40, "from": "2024-11-11", "to": "2024-11-26", "weekdays": "1-6"},
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument(
        "--scenario", type=Path, default=None, help="a scenario saved by --save-scenario (no register needed)"
    )
    ap.add_argument("--region", default="13")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save-scenario", type=Path, default=None)
    args = ap.parse_args()
    if args.home is not None:
        os.environ["REKAM_HOME"] = str(args.home.resolve())

    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.planner.bound import bound_scenario
    from rekam.planner.check import check_plan
    from rekam.planner.greedy import greedy_plan
    from rekam.planner.scenario import parse_scenario
    from rekam.planner.solve import solve_scenario

    case = CASES[args.case]
    region = args.region if args.case == "kab" else "13"
    t = time.perf_counter()
    if args.scenario is not None:
        raw = json.loads(args.scenario.read_text())
    else:
        raw = Rekam(Settings.from_env()).make_scenario(
            region,
            dt.date.fromisoformat(case["from"]),
            dt.date.fromisoformat(case["to"]),
            case["teams"],
            weekdays=case["weekdays"],
            election_date=dt.date(2024, 11, 27),  # Pilkada serentak 2024
        )
    make_s = time.perf_counter() - t
    if args.save_scenario:
        args.save_scenario.write_text(json.dumps(raw))
    scenario = parse_scenario(raw)
    sites = scenario.sites.values()
    size = {
        "sites": len(scenario.sites),
        "by_kind": {k: sum(s.kind == k for s in sites) for k in sorted({s.kind for s in sites})},
        "people": round(sum(s.total for s in sites)),
        "teams": len(scenario.teams),
        "dates": len(scenario.dates),
        "visit_nodes": sum(len(scenario.visits(s)) for s in sites),
    }
    print(f"scenario {args.case} {region}: {size} (made in {make_s:.1f} s)", file=sys.stderr)
    bound = bound_scenario(scenario, time_limit=60, routes=False)  # the aggregate LP alone, for reference
    print(f"aggregate LP {bound.value:.1f} ({bound.seconds:.1f} s)", file=sys.stderr)
    greedy = {}
    for rule in ("nearest", "biggest"):
        g = greedy_plan(scenario, rule)
        assert check_plan(scenario, g) == []
        greedy[rule] = {
            "score": round(g.score, 1),
            "seconds": round(g.seconds, 2),
            "pct_of_bound": round(100 * g.score / bound.value, 2),
        }
        print(f"greedy {rule}: {greedy[rule]}", file=sys.stderr)
    t = time.perf_counter()
    plan = solve_scenario(scenario, time_limit=args.time_limit, seed=args.seed)  # the bound beside, as a user runs it
    seconds = time.perf_counter() - t
    assert check_plan(scenario, plan) == []
    better = max(g["score"] for g in greedy.values())
    bounds = plan.extra.get("bounds", {})
    row = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "case": args.case,
        "region": region,
        "size": size,
        "time_limit": args.time_limit,
        "seed": args.seed,
        "make_s": round(make_s, 1),
        "aggregate_lp": round(bound.value, 1),
        "aggregate_lp_s": round(bound.seconds, 1),
        "bound": None if plan.bound is None else round(plan.bound, 1),
        "bound_method": plan.bound_method,
        "bound_aggregate": bounds.get("aggregate"),
        "bound_routes": bounds.get("routes"),
        "bound_s": bounds.get("seconds"),
        "score": round(plan.score, 1),
        "pct_of_bound": None if plan.bound is None else round(100 * plan.score / plan.bound, 2),
        "people": plan.totals()["people"],
        "visits": plan.totals()["visits"],
        "method": plan.method,
        "solve_s": round(seconds, 1),
        "over_limit_pct": round(100 * (seconds - args.time_limit) / args.time_limit, 1),
        "greedy": greedy,
        "gain_over_better_greedy_pct": round(100 * (plan.score - better) / better, 2),
    }
    print(json.dumps(row), file=sys.stderr)
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    with (Path(__file__).parent / "results" / "plan.jsonl").open("a") as out:
        out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
