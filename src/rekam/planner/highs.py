"""A HiGHS solver object that keeps stdout clean.

HiGHS prints a copyright banner to the process's stdout (file descriptor 1, from C++) when a
solver object is made; that would corrupt ``--json`` output. The banner is sent
to /dev/null instead, and the solver's own log is switched off.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_threads: int | None = None  # HiGHS's thread pool is one per process, sized by its first run


def new_highs(time_limit: float | None = None, threads: int = 1) -> Any:
    """A quiet solver. ``threads`` counts only for the process's first solver: HiGHS sizes its
    thread pool once, and a later solver asking for another size fails to run (HighsStatus
    kError), so every later one asks for the first size."""
    import highspy

    global _threads
    if _threads is None:
        _threads = threads

    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        solver = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", _threads)
    if time_limit is not None:
        solver.setOptionValue("time_limit", float(time_limit))
    return solver
