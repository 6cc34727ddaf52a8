"""The feasibility checker: every plan rekam writes passes it, and anyone can run it."""

from __future__ import annotations

from rekam.planner.top.instance import TopInstance

TOLERANCE = 1e-9


def check_top(instance: TopInstance, routes: list[list[int]]) -> list[str]:
    """Every violation of a TOP plan, as a short code with its route: an empty list is feasible.

    Codes: too_many_routes, unknown_point, depot_in_route, visited_twice (team t),
    too_long (team t, length).
    """
    problems: list[str] = []
    if len(routes) > instance.teams:
        problems.append(f"too_many_routes: {len(routes)} > {instance.teams}")
    seen: set[int] = set()
    for team, stops in enumerate(routes, start=1):
        for s in stops:
            if not 0 <= s < len(instance.points):
                problems.append(f"unknown_point: team {team}, point {s}")
            elif s in (instance.start, instance.end):
                problems.append(f"depot_in_route: team {team}, point {s}")
            elif s in seen:
                problems.append(f"visited_twice: team {team}, point {s}")
            seen.add(s)
        valid = [s for s in stops if 0 <= s < len(instance.points)]
        length = instance.route_length(valid)
        if length > instance.tmax + TOLERANCE:
            problems.append(f"too_long: team {team}, {length:.4f} > {instance.tmax}")
    return problems


def score_top(instance: TopInstance, routes: list[list[int]]) -> int:
    return sum(instance.scores[s] for s in {s for r in routes for s in r})
