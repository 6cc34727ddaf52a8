"""A bound beside the search: computed in a second process within the command's deadline.

PyVRP's search uses one core, the bound (HiGHS, the compiled pricing) another, so on two cores
the bound costs the search little (benchmarks/README.md). The second process is a fresh
interpreter (``python -c CODE``, the job as JSON on its stdin, the result as one JSON line on
its stdout), not a fork nor a ``multiprocessing`` spawn: that works the same from the CLI, a
script without a ``__main__`` guard, a test or a web worker (a fork of a process with threads
may hang). It runs at nice ``NICE``, so the search comes first where the cores are busy. Its
start-up is taken from the bound's time, not the command's.

The deadline is wall-clock (``time.time()``), the one clock two processes share. The parent
waits for the result at most ``GRACE`` seconds past the deadline, then stops the child and
reports no bound: the command's time limit holds even if the bound overruns. A bound is never
trusted here: the solvers drop one that lies below the plan's checked score.

Used by ``solve`` (jemput-bola scenarios: ``scenario_child``) and ``top.solve`` (``top.beside``).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from typing import Any

log = logging.getLogger(__name__)

GRACE = 0.2  # seconds past the deadline the parent still waits for the bound
MARGIN = 0.2  # seconds before the deadline the child's bound stops, to hand its result over
NICE = 10  # the bound's process yields the CPU to the search (measured: benchmarks/README.md)


def child_start() -> dict[str, Any]:
    """In the second process: lower its priority and read the job."""
    os.nice(NICE)
    job: dict[str, Any] = json.loads(sys.stdin.read())
    return job


def child_answer(result: dict[str, Any], done: bool = True) -> None:
    """In the second process: write a result (one JSON line); with ``done``, leave at once. A
    result written before the last is kept if the last does not come in time."""
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    if done:
        os._exit(0)  # no interpreter teardown (HiGHS, numpy): the parent is waiting


def seconds_left(job: dict[str, Any]) -> float:
    """In the second process: the time the bound may take."""
    return max(float(job["deadline"]) - MARGIN - time.time(), 0.05)


class Beside:
    """A result being computed by ``python -c code`` on ``job``; ``result`` collects it."""

    def __init__(self, code: str, job: dict[str, Any], deadline: float, what: str = "bound") -> None:
        self.deadline, self.what = deadline, what
        path = [p for p in sys.path if p]  # rekam as this process finds it
        self._proc = subprocess.Popen(
            [sys.executable, "-c", f"import sys; sys.path[:0] = {json.dumps(path)}; {code}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps({**job, "deadline": deadline}).encode())
        self._proc.stdin.close()
        self._proc.stdin = None  # written and closed: communicate() must not flush it
        self._found: dict[str, Any] | None = None
        self._done = False

    def ready(self) -> dict[str, Any] | None:
        """The result if it has arrived, without waiting."""
        if not self._done and self._proc.poll() is not None:
            self._receive(None)  # it has ended: its output is all there
        return self._found

    def result(self) -> dict[str, Any] | None:
        """The result, waiting at most until ``deadline + GRACE``; None if it failed or overran."""
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
        late = False
        try:
            out, err = self._proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:  # stop it; what it wrote so far still counts
            late = True
            self._proc.kill()
            out, err = self._proc.communicate()
        self._done = True
        found = None
        for line in out.decode(errors="replace").splitlines():
            try:
                found = json.loads(line)
            except ValueError:
                continue
        self._found = found if isinstance(found, dict) else None
        if late:
            log.warning(
                "%s not done %.1f s after its deadline: %s", self.what, GRACE, "kept its last" if found else "none"
            )
        elif self._found is None:
            log.error("%s process failed: %s", self.what, err.decode(errors="replace").strip()[-500:])


SCENARIO_CHILD = "from rekam.planner.beside import scenario_child; scenario_child()"


def start(raw: dict[str, Any], deadline: float) -> Beside:
    """Start ``bound_scenario`` on the scenario ``raw`` (its JSON) now, to end by ``deadline``."""
    return Beside(SCENARIO_CHILD, {"scenario": raw}, deadline, "scenario bound")


def scenario_child() -> None:
    from dataclasses import asdict

    from rekam.planner.bound import Bound, bound_scenario
    from rekam.planner.scenario import parse_scenario

    def answer(found: Bound, done: bool = False) -> None:
        child_answer(asdict(found), done)

    job = child_start()
    answer(bound_scenario(parse_scenario(job["scenario"]), time_limit=seconds_left(job), progress=answer), True)
