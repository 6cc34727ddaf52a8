"""Small jemput-bola scenarios for tests, written as the JSON a user would write."""

from __future__ import annotations

import functools
import random
from typing import Any

from rekam.planner.plan import schedule
from rekam.planner.scenario import Scenario
from rekam.planner.top.instance import TopInstance


def site(
    sid: str, lat: float, lon: float, people: dict[str, float] | None = None, kind: str = "desa", **extra: Any
) -> dict[str, Any]:
    return {
        "id": sid,
        "kind": kind,
        "name": f"Lokasi {sid}",
        "desa_code": "1371011001",
        "lat": lat,
        "lon": lon,
        "people": people or {"pemula": 10, "rentan": 2, "lainnya": 20},
        "turnout": 0.6,
        "setup_minutes": 20,
        "open_weekdays": [1, 2, 3, 4, 5, 6],
        "open": "08:00",
        "close": "16:00",
        "max_visits": 1,
        **extra,
    }


def scenario(
    sites: list[dict[str, Any]],
    teams: int = 1,
    date_from: str = "2024-11-18",
    date_to: str = "2024-11-18",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "format": "rekam-scenario",
        "version": 1,
        "name": "uji",
        "region": "1371",
        "period": {
            "from": date_from,
            "to": date_to,
            "weekdays": [1, 2, 3, 4, 5],
            "hours": {"start": "08:00", "end": "16:00"},
        },
        "depots": [{"id": "dinas", "name": "Dinas", "lat": -0.95, "lon": 100.35}],
        "teams": [{"id": f"T{t + 1}", "start_depot": "dinas", "kits": 2} for t in range(teams)],
        "sites": sites,
        "travel": {"mode": "coordinates", "road_factor": 1.4, "speed_kmh": 30},
        **extra,
    }


def random_sites(n: int, seed: int, spread: float = 0.12, big: int = 60, max_visits: int = 2) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [
        site(
            f"S{i:02d}",
            -0.95 + rnd.uniform(-spread, spread),
            100.35 + rnd.uniform(-spread, spread),
            {"pemula": rnd.randint(0, big // 3), "rentan": rnd.randint(0, 4), "lainnya": rnd.randint(1, big)},
            kind=rnd.choice(["desa", "sekolah", "lapas"]),
            turnout=round(rnd.uniform(0.4, 0.9), 2),
            max_visits=max_visits,
        )
        for i in range(n)
    ]


# ---- exact optima by enumeration (what every bound is checked against) ----


def random_instance(seed: int, n: int, teams: int, tmax: float, same_depot: bool = False) -> TopInstance:
    rng = random.Random(seed)
    points = [(rng.uniform(0, 10), rng.uniform(0, 10)) for _ in range(n)]
    if same_depot:
        points[-1] = points[0]
    scores = [0] + [rng.randint(1, 20) for _ in range(n - 2)] + [0]
    return TopInstance(f"r{seed}", tuple(points), tuple(scores), teams, tmax)


def top_optimum(inst: TopInstance) -> int:
    """Every elementary route within tmax (depth first), then the best <= m disjoint ones."""
    sites = range(1, len(inst.points) - 1)
    feasible: set[int] = {0}

    def extend(here: int, used: float, mask: int) -> None:
        for p in sites:
            if mask >> p & 1:
                continue
            t = used + inst.distance(here, p)
            if t + inst.distance(p, inst.end) <= inst.tmax:
                feasible.add(mask | 1 << p)
                extend(p, t, mask | 1 << p)

    extend(inst.start, 0.0, 0)
    plans = {0}
    for _ in range(inst.teams):
        plans |= {a | b for a in plans for b in feasible if not a & b}
    return max(sum(inst.scores[p] for p in sites if m >> p & 1) for m in plans)


def scenario_optimum(sc: Scenario) -> float:
    """The best plan's value by enumerating every route of every team-day (visits numbered by
    date), with the best future value remembered per state (visits made so far, sites used today)."""
    keys = [(t, d) for d in sc.dates for t in sc.teams if sc.team_day(t, d) is not None]
    ladders = {s: sc.visits(sc.sites[s]) for s in sc.sites}
    names = sorted(ladders)

    def routes(team, date, made: dict[str, int], used: frozenset[str]):  # noqa: ANN001, ANN202
        def extend(order: list[str]):  # noqa: ANN202
            yield order
            for s in names:
                if s in order or s in used or made[s] >= len(ladders[s]):
                    continue
                trial = order + [s]
                if schedule(sc, team, date, [ladders[x][made[x]] for x in trial]) is not None:
                    yield from extend(trial)

        yield from extend([])

    @functools.cache
    def best(i: int, made_t: tuple[int, ...], used: frozenset[str]) -> float:
        if i == len(keys):
            return 0.0
        team, date = keys[i]
        made = dict(zip(names, made_t, strict=True))
        fresh = i + 1 < len(keys) and keys[i + 1][1] != date
        out = 0.0
        for order in routes(team, date, made, used):
            gain = sum(ladders[s][made[s]].value for s in order)
            after = tuple(made[s] + (s in order) for s in names)
            out = max(out, gain + best(i + 1, after, frozenset() if fresh else used | set(order)))
        return out

    return best(0, tuple(0 for _ in names), frozenset())
