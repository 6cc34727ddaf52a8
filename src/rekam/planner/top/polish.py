"""Polishing a TOP plan after the search: shorten each route (2-opt), then insert what still fits.

The search's objective trades score against distance (``solve``), so its best plan may leave
out a point that would fit; ``polish`` never lowers the score and never breaks ``tmax``
(the checker runs after it). A few milliseconds on the 100-point benchmark instances.
"""

from __future__ import annotations

from rekam.planner.top.instance import TopInstance

EPS = 1e-7  # kept below tmax, against rounding in the checker's sum


def polish(instance: TopInstance, routes: list[list[int]]) -> list[list[int]]:
    """``routes`` shortened by 2-opt, then filled by cheapest insertion, the highest score first."""
    routes = [_two_opt(instance, list(r)) for r in routes] + [[] for _ in range(instance.teams - len(routes))]
    used = {p for r in routes for p in r}
    free = [p for p in range(1, len(instance.points) - 1) if p not in used and instance.scores[p] > 0]
    lengths = [instance.route_length(r) for r in routes]
    while free:
        best: tuple[tuple[int, float], int, int, int] | None = None
        for p in free:
            for k, r in enumerate(routes):
                path = [instance.start, *r, instance.end]
                for i in range(len(path) - 1):
                    a, b = path[i], path[i + 1]
                    extra = instance.distance(a, p) + instance.distance(p, b) - instance.distance(a, b)
                    if lengths[k] + extra <= instance.tmax - EPS:
                        key = (instance.scores[p], -extra)
                        if best is None or key > best[0]:
                            best = (key, p, k, i)
        if best is None:
            break
        _, p, k, i = best
        routes[k].insert(i, p)
        routes[k] = _two_opt(instance, routes[k])
        lengths[k] = instance.route_length(routes[k])
        free.remove(p)
    return [r for r in routes if r]


def _two_opt(instance: TopInstance, route: list[int]) -> list[int]:
    """Reverse segments while that shortens the route (first improvement)."""
    d = instance.distance
    path = [instance.start, *route, instance.end]
    improved = True
    while improved:
        improved = False
        for i in range(len(path) - 3):
            for j in range(i + 2, len(path) - 1):
                a, b, c, e = path[i], path[i + 1], path[j], path[j + 1]
                if d(a, c) + d(b, e) < d(a, b) + d(c, e) - 1e-9:
                    path[i + 1 : j + 1] = reversed(path[i + 1 : j + 1])
                    improved = True
    return path[1:-1]
