"""The Team Orienteering slice of the planner: reader, checker, solver against enumeration."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from rekam.errors import IngestError
from rekam.planner.top.check import check_top, score_top
from rekam.planner.top.instance import TopInstance, read_top
from rekam.planner.top.solve import solve_top

SMALL = """n 8
m 2
tmax 12.0
0.0\t0.0\t0
1.0\t2.0\t10
3.0\t1.0\t5
2.0\t-2.0\t8
-2.0\t1.0\t7
5.0\t3.0\t20
-1.0\t-3.0\t4
4.0\t0.0\t0
"""


def small(tmp_path: Path) -> TopInstance:
    f = tmp_path / "small.txt"
    f.write_text(SMALL)
    return read_top(f)


def test_reader(tmp_path):
    inst = small(tmp_path)
    assert (len(inst.points), inst.teams, inst.tmax) == (8, 2, 12.0)
    assert inst.scores == (0, 10, 5, 8, 7, 20, 4, 0)
    assert (inst.start, inst.end) == (0, 7)
    assert inst.distance(0, 1) == pytest.approx(math.sqrt(5))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("n 3\nm 1\ntmax 5\n0 0 0\n1 1\n2 2 0\n", "top_bad_line"),
        ("n 3\nm 1\ntmax 5\n0 0 0\n1 1 x\n2 2 0\n", "top_bad_line"),
        ("n 4\nm 1\ntmax 5\n0 0 0\n1 1 1\n2 2 0\n", "top_bad_header"),
        ("m 1\ntmax 5\n0 0 0\n2 2 0\n", "top_bad_header"),
    ],
)
def test_reader_names_the_fault(tmp_path, text, key):
    f = tmp_path / "bad.txt"
    f.write_text(text)
    with pytest.raises(IngestError) as err:
        read_top(f)
    assert err.value.key == key


def test_checker_catches_each_violation(tmp_path):
    inst = small(tmp_path)
    assert check_top(inst, [[1, 2], [3]]) == []
    assert any(p.startswith("visited_twice") for p in check_top(inst, [[1], [1]]))
    assert any(p.startswith("depot_in_route") for p in check_top(inst, [[0, 1]]))
    assert any(p.startswith("unknown_point") for p in check_top(inst, [[42]]))
    assert any(p.startswith("too_many_routes") for p in check_top(inst, [[1], [2], [3]]))
    assert any(p.startswith("too_long") for p in check_top(inst, [[5, 6, 4]]))


def best_by_enumeration(inst: TopInstance) -> int:
    """The proven optimum: every assignment of points to teams (or none), every order."""
    sites = [i for i in range(1, len(inst.points) - 1)]
    best = 0

    def feasible_score(group: list[int]) -> bool:
        return any(inst.route_length(list(p)) <= inst.tmax for p in itertools.permutations(group))

    for assignment in itertools.product(range(inst.teams + 1), repeat=len(sites)):
        groups = [[s for s, a in zip(sites, assignment, strict=True) if a == t] for t in range(1, inst.teams + 1)]
        score = sum(inst.scores[s] for g in groups for s in g)
        if score > best and all(feasible_score(g) for g in groups):
            best = score
    return best


def test_small_instance_reaches_the_proven_optimum(tmp_path):
    inst = small(tmp_path)
    optimum = best_by_enumeration(inst)
    plan = solve_top(inst, time_limit=None, iterations=2000, seed=1)
    assert check_top(inst, plan.routes) == []
    assert plan.score == score_top(inst, plan.routes) == optimum


def test_same_seed_and_iterations_give_the_same_plan(tmp_path):
    inst = small(tmp_path)
    a = solve_top(inst, time_limit=None, iterations=300, seed=7)
    b = solve_top(inst, time_limit=None, iterations=300, seed=7)
    assert a.routes == b.routes and a.score == b.score


def test_cli_json(tmp_path, cli):
    f = tmp_path / "small.txt"
    f.write_text(SMALL)
    run = cli("plan", "solve", "--format", "top", f, "--iterations", "500", "--json")
    assert run.code == 0, run.err
    import json

    data = json.loads(run.out)
    assert set(data) >= {"score", "bound", "gap_pct", "routes"}
    assert all(r["date"] is None and 1 <= r["team"] <= 2 for r in data["routes"])
    assert all(0 < s < 7 for r in data["routes"] for s in r["stops"])
    assert cli("plan", "solve", f).code == 1  # scenarios: not yet


def test_cli_time_limit_with_the_bound_beside(tmp_path, cli):
    """The default with a time limit: the bound runs beside the search and is reported, never
    below the checked plan; this small instance closes, so the plan is proven optimal."""
    import json

    f = tmp_path / "small.txt"
    f.write_text(SMALL)
    run = cli("plan", "solve", "--format", "top", f, "--time-limit", "5", "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["score"] == best_by_enumeration(small(tmp_path))
    assert data["bound"] == data["score"] and data["gap_pct"] == 0.0
    assert data["bound_method"]


def test_greedy_baselines_are_feasible_and_not_better_than_the_solver(tmp_path):
    from rekam.planner.top.greedy import biggest_first, nearest_first

    inst = small(tmp_path)
    plan = solve_top(inst, time_limit=None, iterations=2000, seed=1)
    for greedy in (nearest_first, biggest_first):
        routes = greedy(inst)
        assert check_top(inst, routes) == []
        assert 0 < score_top(inst, routes) <= plan.score
