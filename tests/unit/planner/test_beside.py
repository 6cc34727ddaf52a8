"""The second process that computes a bound beside the search (planner/beside.py)."""

from __future__ import annotations

import time

from rekam.planner.beside import Beside

LATE = (
    "import time; from rekam.planner.beside import child_answer, child_start; "
    "child_start(); child_answer({'value': 1.0}, done=False); time.sleep(60); child_answer({'value': 0.5})"
)


def test_a_late_bound_keeps_what_it_had_found_and_is_stopped() -> None:
    """The child wrote a bound, then overran: the parent keeps that bound at the deadline and
    stops the child, so the command's time limit holds."""
    started = time.time()
    run = Beside(LATE, {}, deadline=started + 3.0)
    assert run.result() == {"value": 1.0}
    assert time.time() - started < 30.0  # not the 60 s the child would take
    assert run._proc.poll() is not None


def test_a_child_that_fails_gives_no_bound() -> None:
    run = Beside("raise SystemExit(3)", {}, deadline=time.time() + 5.0)
    assert run.result() is None
