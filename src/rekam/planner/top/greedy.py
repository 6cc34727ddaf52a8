"""Greedy baselines: what a planner without a solver would do, for the benchmarks to beat.

- nearest-first: each team in turn goes to the nearest unvisited point from where it is that
  still lets it reach the end within tmax;
- biggest-first: the same, but to the highest-scoring such point (ties: the nearest).
"""

from __future__ import annotations

from collections.abc import Callable

from rekam.planner.top.instance import TopInstance


def _greedy(instance: TopInstance, key: Callable[[int, int], tuple[float, ...]]) -> list[list[int]]:
    free = {i for i in range(1, len(instance.points) - 1) if instance.scores[i] > 0}
    routes: list[list[int]] = []
    for _ in range(instance.teams):
        here, used, route = instance.start, 0.0, []
        while True:
            reachable = [
                p
                for p in free
                if used + instance.distance(here, p) + instance.distance(p, instance.end) <= instance.tmax
            ]
            if not reachable:
                break
            nxt = min(reachable, key=lambda p: key(here, p))
            used += instance.distance(here, nxt)
            route.append(nxt)
            free.discard(nxt)
            here = nxt
        routes.append(route)
    return routes


def nearest_first(instance: TopInstance) -> list[list[int]]:
    return _greedy(instance, lambda here, p: (instance.distance(here, p), p))


def biggest_first(instance: TopInstance) -> list[list[int]]:
    return _greedy(instance, lambda here, p: (-instance.scores[p], instance.distance(here, p), p))
