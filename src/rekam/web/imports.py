"""Imports started from the web page, run in a background thread (issue #7).

The upload is saved in a temporary folder under REKAM_HOME, then ``api.import_register``
(the CLI's import) runs in a thread while the page polls ``/impor/{job}`` for the steps it
has reached ("membaca siak_1371.csv", "memeriksa baris", "menulis snapshot") and then the
summary. One import runs at a time (the store's lock would refuse a second anyway); the
files are removed when it ends. A job is seen only by the user who started it.
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rekam import api, audit
from rekam.config import Settings
from rekam.errors import OpsNotFound, RekamUserError


@dataclass
class ImportJob:
    id: str
    user: str
    files: list[str]
    export_date: date
    started: float = field(default_factory=time.monotonic)
    steps: list[str] = field(default_factory=list)
    result: dict[str, Any] | None = None
    error: RekamUserError | None = None
    done: bool = False

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self.started, 1)


class ImportJobs:
    def __init__(self, settings: Settings, after: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.after = after  # run once an import has made a new snapshot (the figures' warm-up)
        self._jobs: dict[str, ImportJob] = {}
        self._one = threading.Lock()

    def start(self, folder: Path, export_date: date, username: str) -> ImportJob:
        paths = sorted(folder.iterdir())
        job = ImportJob(secrets.token_urlsafe(8), username, [p.name for p in paths], export_date)
        self._jobs[job.id] = job
        threading.Thread(
            target=self._run, args=(job, folder, paths), name=f"rekam-import-{job.id}", daemon=True
        ).start()
        return job

    def _run(self, job: ImportJob, folder: Path, paths: list[Path]) -> None:
        try:
            with self._one:
                job.steps.append("mulai")
                result = api.import_register(paths, export_date=job.export_date, settings=self.settings,
                                             progress=job.steps.append)  # fmt: skip
                job.result = result.as_json()
                audit.record(self.settings.home, "import", files=job.files, snapshot=result.snapshot, web_user=job.user)
            if self.after is not None:
                job.steps.append("menghitung angka dasbor")
                self.after()
        except RekamUserError as exc:
            job.error = exc
            if getattr(exc, "result", None) is not None:  # nothing accepted: the summary still tells why
                job.result = exc.result.as_json()  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - shown as a message; the previous snapshot stays
            job.error = RekamUserError("file_unreadable", file=", ".join(job.files), detail=type(exc).__name__)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            job.done = True

    def get(self, job_id: str, username: str) -> ImportJob:
        job = self._jobs.get(job_id)
        if job is None or job.user != username:
            raise OpsNotFound("web_no_import", job=job_id)
        return job
