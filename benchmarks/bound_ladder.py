"""Benchmark: how far the planner's bounds are from the best plan, on pieces of a kab/kota
scenario small enough for the route bound to converge (issue #22).

    .venv/bin/python benchmarks/bound_ladder.py kab-1311.json --sites 12 20 30 --teams 1 2 --days 3 5

For each size, the sites nearest the Dinas's nearest site (a piece of the real geography, with
its drive from the Dinas), the first teams and working days of the scenario: the aggregate LP,
the route bound (given ``--bound-seconds``), the solver's plan (``--time-limit``) and the
better greedy plan. Where the route bound converges, "plan / route bound" says how close the
solver is; "route / aggregate" how loose the aggregate LP is there. Rows go to
results/bound_ladder.jsonl.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path


def piece(raw: dict, n_sites: int, teams: int, days: int) -> dict:  # type: ignore[type-arg]
    depot = raw["depots"][0]
    sites = raw["sites"]

    def km(a: dict, b: dict) -> float:  # type: ignore[type-arg]
        return math.hypot(a["lat"] - b["lat"], (a["lon"] - b["lon"]) * math.cos(math.radians(a["lat"])))

    first = min(sites, key=lambda s: km(s, depot))
    chosen = sorted(sites, key=lambda s: km(s, first))[:n_sites]
    out = json.loads(json.dumps(raw))
    out["sites"] = chosen
    out["teams"] = raw["teams"][:teams]
    period = out["period"]
    # the first ``days`` working days: cut the period's end
    import datetime as dt

    day, worked = dt.date.fromisoformat(period["from"]), 0
    weekdays = set(period.get("weekdays", [1, 2, 3, 4, 5]))
    while True:
        if day.isoweekday() in weekdays:
            worked += 1
            if worked == days:
                break
        day += dt.timedelta(days=1)
    period["to"] = day.isoformat()
    out.pop("source", None)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--sites", type=int, nargs="+", default=[12, 20, 30])
    ap.add_argument("--teams", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--days", type=int, nargs="+", default=[3, 5])
    ap.add_argument("--bound-seconds", type=float, default=120.0)
    ap.add_argument("--time-limit", type=float, default=30.0)
    args = ap.parse_args()

    from rekam.planner.bound import bound_scenario
    from rekam.planner.check import check_plan
    from rekam.planner.greedy import greedy_plan
    from rekam.planner.scenario import parse_scenario
    from rekam.planner.solve import solve_scenario

    raw = json.loads(args.scenario.read_text())
    for n in args.sites:
        for teams in args.teams:
            for days in args.days:
                sc = parse_scenario(piece(raw, n, teams, days))
                t = time.perf_counter()
                bound = bound_scenario(sc, time_limit=args.bound_seconds)
                bound_s = time.perf_counter() - t
                plan = solve_scenario(sc, time_limit=args.time_limit, seed=1, bound_time_limit=None)
                assert check_plan(sc, plan) == []
                greedy = max(greedy_plan(sc, rule).score for rule in ("nearest", "biggest"))
                row = {
                    "date": time.strftime("%Y-%m-%d %H:%M"),
                    "scenario": args.scenario.name,
                    "sites": n,
                    "teams": teams,
                    "days": days,
                    "visit_nodes": sum(len(sc.visits(s)) for s in sc.sites.values()),
                    "aggregate": round(bound.aggregate or 0.0, 1),
                    "routes": None if bound.routes is None else round(bound.routes, 1),
                    "bound_s": round(bound_s, 1),
                    "plan": round(plan.score, 1),
                    "greedy": round(greedy, 1),
                    "plan_pct_of_bound": round(100 * plan.score / bound.value, 2),
                    "plan_pct_of_aggregate": round(100 * plan.score / (bound.aggregate or bound.value), 2),
                }
                print(json.dumps(row), file=sys.stderr)
                (Path(__file__).parent / "results").mkdir(exist_ok=True)
                with (Path(__file__).parent / "results" / "bound_ladder.jsonl").open("a") as out:
                    out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
