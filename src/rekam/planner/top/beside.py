"""The TOP bound beside the search: ``bound_top`` in a second process, within the same deadline.

PyVRP's search uses one core, HiGHS another, so on two cores the bound costs the search
little (benchmarks/README.md measures it). The second process is a fresh interpreter
(``python -c``, the instance as JSON on its stdin, the bound as JSON on its stdout), not a
fork nor a ``multiprocessing`` spawn: that works the same from the CLI, a script without a
``__main__`` guard, a test or a web worker (a fork of a process with threads may hang). Its
start-up (about half a second) is taken from the bound's time, not the command's.

The process, the deadline and the grace are ``rekam.planner.beside``'s, shared with the
jemput-bola bound. The bound is never trusted here: ``solve_top`` drops it if it lies below the
plan's checked score.
"""

from __future__ import annotations

from rekam.planner.beside import Beside, child_answer, child_start, seconds_left
from rekam.planner.top.bound import TopBound, bound_top
from rekam.planner.top.instance import TopInstance

CHILD = "from rekam.planner.top.beside import child; child()"


def child() -> None:
    """The second process: read the instance and deadline, write the bound (one JSON line)."""
    job = child_start()
    points = tuple((float(x), float(y)) for x, y in job["points"])
    instance = TopInstance(job["name"], points, tuple(job["scores"]), job["teams"], job["tmax"])
    found = bound_top(instance, seconds_left(job), threads=job["threads"])
    child_answer({"value": found.value, "method": found.method, "seconds": found.seconds})


class BoundBeside:
    """A TOP bound being computed in a second process; ``result`` collects it (or gives up)."""

    def __init__(self, instance: TopInstance, deadline: float, threads: int = 1) -> None:
        """Start ``bound_top(instance)`` now, to be done by ``deadline`` (``time.time()`` seconds)."""
        self.deadline = deadline
        job = {
            "name": instance.name,
            "points": instance.points,
            "scores": instance.scores,
            "teams": instance.teams,
            "tmax": instance.tmax,
            "threads": threads,
        }
        self._run = Beside(CHILD, job, deadline, "TOP bound")

    def ready(self) -> TopBound | None:
        """The bound if it has arrived, without waiting."""
        return _bound(self._run.ready())

    def result(self) -> TopBound | None:
        """The bound, waiting at most until the deadline and a grace; None if it failed or overran."""
        return _bound(self._run.result())

    def close(self) -> None:
        """Stop the child if it still runs (idempotent)."""
        self._run.close()


def _bound(data: dict[str, object] | None) -> TopBound | None:
    if data is None:
        return None
    try:
        return TopBound(float(data["value"]), str(data["method"]), float(data["seconds"]))  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None
