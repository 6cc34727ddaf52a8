"""Benchmark: a jemput-bola scenario with mixed teams (fast and slow), solved at a time limit.

    .venv/bin/python benchmarks/plan_bench.py kab --home HOME --region 1311 --time-limit 1 \\
        --save-scenario kab-1311.json
    .venv/bin/python benchmarks/het_bench.py kab-1311.json --mix 3x3,1x6 --time-limit 30

The scenario's teams are given, in turn, the kits and minutes per person of ``--mix``
(``KITSxMINUTES``, comma-separated: ``3x3,1x6`` = teams 1, 3, ... with 3 kits at 3 minutes per
person, teams 2, 4, ... with 1 kit at 6 minutes). The plan is checked; the row says what it is
worth, the visits and people per kind of team, and the mean visit length per kind of team.
With ``--model-only N`` only PyVRP's first run is made, N iterations per part (so the machine's
load does not change the result): the row says how many visits its routes hold and how many,
and what value, are left once ``build_plan`` has dropped what does not fit.
To compare with the solver before team classes, run the same command with ``PYTHONPATH``
pointing at an older ``src`` (the row records which ``solve.py`` ran). Rows go to
results/het.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rekam.planner.scenario import Scenario


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", type=Path)
    ap.add_argument("--mix", default="3x3,1x6")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--label", default="")
    ap.add_argument(
        "--model-only",
        type=int,
        default=None,
        metavar="ITERATIONS",
        help="only PyVRP's first run, this many iterations: what its routes keep through build_plan",
    )
    args = ap.parse_args()

    import rekam.planner.solve as solve_module
    from rekam.planner.check import check_plan
    from rekam.planner.scenario import parse_scenario

    raw = json.loads(args.scenario.read_text(encoding="utf-8"))
    mix = [tuple(float(x) for x in kind.split("x")) for kind in args.mix.split(",")]
    kind_of = {}
    for i, team in enumerate(raw["teams"]):
        kits, minutes = mix[i % len(mix)]
        team["kits"], team["minutes_per_person"] = int(kits), minutes
        kind_of[team["id"]] = f"{int(kits)}x{minutes:g}"
    scenario = parse_scenario(raw)
    if args.model_only is not None:
        return model_only(scenario, args, kind_of)
    started = time.perf_counter()
    plan = solve_module.solve_scenario(scenario, time_limit=args.time_limit, seed=args.seed, bound_time_limit=None)
    seconds = time.perf_counter() - started
    assert check_plan(scenario, plan) == []
    by_kind: dict[str, dict[str, float]] = {}
    for route in plan.routes:
        row = by_kind.setdefault(kind_of[route.team], {"visits": 0, "people": 0.0, "minutes": 0})
        row["visits"] += len(route.stops)
        row["people"] += route.people
        row["minutes"] += sum(s.leave - s.start for s in route.stops)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "label": args.label,
        "solver": str(Path(solve_module.__file__).resolve()),
        "scenario": args.scenario.name,
        "mix": args.mix,
        "time_limit": args.time_limit,
        "seed": args.seed,
        "score": round(plan.score, 1),
        "visits": plan.totals()["visits"],
        "people": plan.totals()["people"],
        "by_kind": {
            k: {
                "visits": int(v["visits"]),
                "people": round(v["people"], 1),
                "minutes_per_visit": round(v["minutes"] / max(1, v["visits"]), 1),
            }
            for k, v in sorted(by_kind.items())
        },
        "method": plan.method,
        "solve_s": round(seconds, 1),
        "load": round(os.getloadavg()[0], 1),
    }
    write(result)


def model_only(scenario: Scenario, args: argparse.Namespace, kind_of: dict[str, str]) -> None:
    """PyVRP's first run alone (a fixed number of iterations, so the load does not matter): the
    visits its routes hold, and those left after ``build_plan`` drops what does not fit the
    team that makes it. The difference is the model's error."""
    from dataclasses import replace

    import rekam.planner.solve as solve_module
    from rekam.planner.check import check_plan
    from rekam.planner.parts import parts
    from rekam.planner.plan import build_plan

    started = time.perf_counter()
    orders: dict[tuple[str, dt.date], list[str]] = {}
    for part in parts(scenario):
        sub = replace(scenario, teams=part.teams, sites={s.id: s for s in part.sites})
        found, _ = solve_module._run(sub, part, None, args.model_only, args.seed, windows=None, start=None)
        orders.update(found)
    plan = build_plan(scenario, orders, method="pyvrp")
    assert check_plan(scenario, plan) == []
    modelled: dict[str, int] = {}
    kept: dict[str, int] = {}
    for (team, _), sites in orders.items():
        modelled[kind_of[team]] = modelled.get(kind_of[team], 0) + len(sites)
    for route in plan.routes:
        kept[kind_of[route.team]] = kept.get(kind_of[route.team], 0) + len(route.stops)
    write(
        {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "label": args.label,
            "solver": str(Path(solve_module.__file__).resolve()),
            "scenario": args.scenario.name,
            "mix": args.mix,
            "model_only_iterations": args.model_only,
            "seed": args.seed,
            "model_visits": sum(modelled.values()),
            "kept_visits": sum(kept.values()),
            "model_score": round(plan.score, 1),
            "by_kind": {k: {"model_visits": modelled[k], "kept_visits": kept.get(k, 0)} for k in sorted(modelled)},
            "seconds": round(time.perf_counter() - started, 1),
        }
    )


def write(result: dict[str, Any]) -> None:
    print(json.dumps(result), file=sys.stderr)
    (Path(__file__).parent / "results").mkdir(exist_ok=True)
    with (Path(__file__).parent / "results" / "het.jsonl").open("a") as out:
        out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
