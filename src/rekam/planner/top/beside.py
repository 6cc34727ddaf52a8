"""The TOP bound beside the search: ``bound_top`` in a second process, within the same deadline.

PyVRP's search uses one core, HiGHS another, so on two cores the bound costs the search
little (benchmarks/README.md measures it). The second process is a fresh interpreter
(``python -c``, the instance as JSON on its stdin, the bound as JSON on its stdout), not a
fork nor a ``multiprocessing`` spawn: that works the same from the CLI, a script without a
``__main__`` guard, a test or a web worker (a fork of a process with threads may hang). Its
start-up (about half a second) is taken from the bound's time, not the command's.

The deadline is wall-clock (``time.time()``), the one clock two processes share; the child turns
it into its own ``bound_top`` time limit. The parent waits for the result at most ``GRACE``
seconds past the deadline, then stops the child and reports no bound: the command's time
limit holds even if the bound overruns. The bound is never trusted here: ``solve_top``
drops it if it lies below the plan's checked score.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time

from rekam.planner.top.bound import TopBound, bound_top
from rekam.planner.top.instance import TopInstance

log = logging.getLogger(__name__)

GRACE = 0.2  # seconds past the deadline the parent still waits for the bound
MARGIN = 0.2  # seconds before the deadline the child's bound stops, to hand its result over
NICE = 10  # the bound's process yields the CPU to the search (measured: benchmarks/README.md)
CHILD = "from rekam.planner.top.beside import child; child()"


def child() -> None:
    """The second process: read the instance and deadline, write the bound (one JSON line)."""
    os.nice(NICE)  # the search comes first where the cores are busy
    job = json.loads(sys.stdin.read())
    points = tuple((float(x), float(y)) for x, y in job["points"])
    instance = TopInstance(job["name"], points, tuple(job["scores"]), job["teams"], job["tmax"])
    found = bound_top(instance, max(job["deadline"] - MARGIN - time.time(), 0.05), threads=job["threads"])
    sys.stdout.write("\n" + json.dumps({"value": found.value, "method": found.method, "seconds": found.seconds}) + "\n")
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown (HiGHS, numpy): the parent is waiting


class BoundBeside:
    """A bound being computed in a second process; ``result`` collects it (or gives up)."""

    def __init__(self, instance: TopInstance, deadline: float, threads: int = 1) -> None:
        """Start ``bound_top(instance)`` now, to be done by ``deadline`` (``time.time()`` seconds)."""
        self.deadline = deadline
        job = {
            "name": instance.name,
            "points": instance.points,
            "scores": instance.scores,
            "teams": instance.teams,
            "tmax": instance.tmax,
            "deadline": deadline,
            "threads": threads,
        }
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))  # rekam as this process finds it
        self._proc = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(job).encode())
        self._proc.stdin.close()
        self._proc.stdin = None  # written and closed: communicate() must not flush it
        self._found: TopBound | None = None
        self._done = False

    def ready(self) -> TopBound | None:
        """The bound if it has arrived, without waiting."""
        if not self._done and self._proc.poll() is not None:
            self._receive(None)  # it has ended: its output is all there
        return self._found

    def result(self) -> TopBound | None:
        """The bound, waiting at most until ``deadline + GRACE``; None if it failed or overran."""
        if not self._done:
            self._receive(max(self.deadline + GRACE - time.time(), 0.0))
        self.close()
        return self._found

    def close(self) -> None:
        """Stop the child if it still runs (idempotent)."""
        self._done = True
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=5)
            for stream in (self._proc.stdout, self._proc.stderr):
                if stream is not None:
                    stream.close()

    def _receive(self, timeout: float | None) -> None:
        try:
            out, err = self._proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.warning("TOP bound not ready %.1f s after its deadline: dropped", GRACE)
            self.close()
            return
        self._done = True
        lines = out.decode(errors="replace").strip().splitlines()
        try:
            data = json.loads(lines[-1])
            self._found = TopBound(float(data["value"]), str(data["method"]), float(data["seconds"]))
        except (IndexError, ValueError, KeyError, TypeError):
            log.error("TOP bound process failed: %s", err.decode(errors="replace").strip()[-500:])
