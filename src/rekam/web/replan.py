"""The re-plan button's jobs (issue 20): "Susun ulang untuk hari tersisa" on /rencana.

The POST starts a job off the request thread (solving takes up to ``REPLAN_SECONDS``) and the
page says "sedang menyusun" until it is done, then shows the new plan (the newest in
REKAM_HOME/plans). A job is known by the form's idempotency key: a retried POST with the same
key joins the job of the first (or, after a restart, finds the plan it made: ``Rekam.replan``
keeps the key in the plan), so a double click or a resent form makes one plan. One re-plan runs
at a time (a second waits for the first); a job is seen only by the user who started it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rekam.api import Rekam
from rekam.errors import RekamUserError

#: The solver's time limit for a re-plan from the page (the bound shares it, as in ``rekam plan solve``).
REPLAN_SECONDS = 20.0


@dataclass
class ReplanJob:
    key: str
    user: str
    plan: str  # the file name of the plan re-planned
    date_from: date
    started: float = field(default_factory=time.monotonic)
    done: bool = False
    made: str | None = None  # the new plan's file name
    error: RekamUserError | None = None

    @property
    def seconds(self) -> int:
        return int(time.monotonic() - self.started)


class ReplanJobs:
    def __init__(self, rekam: Rekam) -> None:
        self.rekam = rekam
        self._jobs: dict[str, ReplanJob] = {}
        self._lock = threading.Lock()  # the table of jobs
        self._one = threading.Lock()  # one solve at a time

    def start(self, key: str, username: str, plan: Path, date_from: date) -> ReplanJob:
        """The job of ``key``: the one already started with it (a retried form), a finished one
        for a plan made with it before a restart, else a new job."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                return job
            job = ReplanJob(key, username, plan.name, date_from)
            self._jobs[key] = job
            made = self.rekam.replan_made(key)
            if made is not None:
                job.made, job.done = made.name, True
                return job
        threading.Thread(target=self._run, args=(job, plan), name=f"rekam-replan-{key[:8]}", daemon=True).start()
        return job

    def _run(self, job: ReplanJob, plan: Path) -> None:
        try:
            with self._one:
                made = self.rekam.replan(plan, job.key, job.date_from, REPLAN_SECONDS, web_user=job.user)
            job.made = made.name
        except RekamUserError as exc:
            job.error = exc
        except Exception as exc:  # noqa: BLE001 - the page must say it failed, not spin forever
            job.error = RekamUserError("replan_failed", detail=type(exc).__name__)
        finally:
            job.done = True

    def get(self, key: str, username: str) -> ReplanJob | None:
        job = self._jobs.get(key)
        return job if job is not None and job.user == username else None
