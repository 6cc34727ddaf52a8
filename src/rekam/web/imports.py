"""Imports started from the web page (issue #7), run OUT of the server process (issue #13).

The upload is streamed into a private folder ``REKAM_HOME/rekam-impor-*`` (0700) with a byte
limit (REKAM_UPLOAD_MAX_MB: refused while streaming, nothing kept) and safe file names. Then
``Rekam.import_register`` (the CLI's import, with the logged-in user: their scope, their name in
the audit) runs in a child process started afresh (multiprocessing "spawn": no copy of the
server's memory or threads) whose address space is limited (REKAM_IMPORT_MAX_MEMORY_MB, with
DuckDB's own REKAM_MEMORY_LIMIT inside it) and whose rows are bounded
(REKAM_IMPORT_MAX_ROWS). The child sends its steps ("membaca siak_1371.csv", "memeriksa
baris", "menulis snapshot") and its result or error through a pipe; the page polls
``/impor/{job}``. A child killed by the kernel or out of memory leaves the previous snapshot
current (the store's atomic switch) and the page says so.

The upload folder is removed on every path: when the job ends, when the upload is refused,
and, for a server killed mid-import, when a server starts or the next upload begins (a folder
whose lock no live process holds is stale; the lock keeps other worker processes' uploads).
One import runs at a time (the store's lock would queue a second anyway). A job is seen only
by the user who started it.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from rekam import errors
from rekam.config import Settings
from rekam.errors import ImportTooLarge, InvalidArgument, OpsNotFound, RekamUserError, TooLarge
from rekam.messages import set_language

UPLOAD_PREFIX = "rekam-impor-"
_LOCK = ".held"  # the lock file inside an upload folder (never an uploaded name: those never start with ".")
_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass
class ImportJob:
    id: str
    user: str
    files: list[str]
    export_date: date
    force: bool = False  # replace a kab/kota even when it loses more than REPLACE_MAX_LOSS of its rows
    ikd_files: list[str] = field(default_factory=list)  # IKD activation files keyed by NIK (docs/import.md)
    started: float = field(default_factory=time.monotonic)
    steps: list[str] = field(default_factory=list)
    result: dict[str, Any] | None = None
    error: RekamUserError | None = None
    done: bool = False

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self.started, 1)


# --- the upload folder ----------------------------------------------------------------------


class Upload:
    """A private folder for one upload, locked (flock) while its import lives."""

    def __init__(self, home: Path) -> None:
        from rekam.files import private_dir

        clean_stale_uploads(home)
        private_dir(home)
        self.folder = Path(__import__("tempfile").mkdtemp(prefix=UPLOAD_PREFIX, dir=home))  # 0700
        self._lock: IO[bytes] | None = (self.folder / _LOCK).open("wb")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.names: list[str] = []
        self.ikd_names: list[str] = []  # those of ``names`` uploaded as IKD activation files

    def target(self, filename: str | None, ikd: bool = False) -> Path:
        """Where an uploaded file named ``filename`` is kept: its base name made safe (no folder,
        no leading dot, no `.`/`..`), a number added when two files share a name. ``ikd``: an IKD
        activation file (the form's second file field), not a register file."""
        name = safe_name(filename, len(self.names) + 1)
        stem, dot, suffix = name.rpartition(".")
        n = 2
        while name in self.names:
            name = f"{stem}-{n}.{suffix}" if dot else f"{suffix}-{n}"
            n += 1
        self.names.append(name)
        if ikd:
            self.ikd_names.append(name)
        return self.folder / name

    def files(self) -> list[Path]:
        """The register files."""
        return [self.folder / n for n in self.names if n not in self.ikd_names]

    def ikd_files(self) -> list[Path]:
        return [self.folder / n for n in self.ikd_names]

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def safe_name(filename: str | None, number: int) -> str:
    """The base name of an uploaded file, safe to keep and to show: the part after the last / or \\,
    characters outside letters, digits, ``. _ -`` and space replaced, leading dots and spaces
    removed; ``ekspor-N.csv`` when nothing is left (``.``, ``..``, empty)."""
    base = re.split(r"[/\\]", filename or "")[-1]
    base = _SAFE.sub("_", base).lstrip(". ").strip()[:120]
    return base if base and set(base) != {"_"} else f"ekspor-{number}.csv"


def clean_stale_uploads(home: Path) -> int:
    """Remove the upload folders no live import holds (a server killed mid-import); their number."""
    removed = 0
    for folder in Path(home).glob(UPLOAD_PREFIX + "*"):
        if not folder.is_dir():
            continue
        try:
            with (folder / _LOCK).open("ab") as f:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held by a live upload: OSError
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except FileNotFoundError:  # an upload from before the lock file, or half made
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        except OSError:
            continue
    return removed


# --- the jobs ---------------------------------------------------------------------------------


class ImportJobs:
    def __init__(self, settings: Settings, after: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.after = after  # run once an import has made a new snapshot (the figures' warm-up)
        self._jobs: dict[str, ImportJob] = {}
        self._one = threading.Lock()

    def start(
        self, upload: Upload, export_date: date, username: str, lang: str = "id", force: bool = False
    ) -> ImportJob:
        job = ImportJob(
            secrets.token_urlsafe(8),
            username,
            [p.name for p in upload.files()],
            export_date,
            force,
            ikd_files=list(upload.ikd_names),
        )
        self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, upload, lang), name=f"rekam-import-{job.id}", daemon=True).start()
        return job

    def _run(self, job: ImportJob, upload: Upload, lang: str) -> None:
        made = False
        try:
            with self._one:
                job.steps.append("mulai")
                made = self._child(job, upload, lang)
            if made and self.after is not None:
                job.steps.append("menghitung angka dasbor")
                self.after()
        except RekamUserError as exc:
            job.error = exc
        except Exception as exc:  # noqa: BLE001 - shown as a message; the previous snapshot stays
            job.error = RekamUserError("import_failed", detail=type(exc).__name__)
        finally:
            upload.remove()
            job.done = True

    def _child(self, job: ImportJob, upload: Upload, lang: str) -> bool:
        """Run the import in a fresh process; True when it made a new snapshot."""
        ctx = multiprocessing.get_context("spawn")
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=run_child,
            name=f"rekam-import-{job.id}",
            daemon=True,
            args=(
                send,
                [str(p) for p in upload.files()],
                job.export_date,
                job.user,
                self.settings,
                lang,
                job.force,
                [str(p) for p in upload.ikd_files()],
            ),
        )
        proc.start()
        send.close()
        made = False
        try:
            while True:
                try:
                    message = receive.recv()
                except EOFError:
                    break
                kind = message[0]
                if kind == "step":
                    job.steps.append(str(message[1]))
                elif kind == "done":
                    job.result = message[1]
                    made = not message[1].get("unchanged")
                elif kind == "error":
                    _, cls_name, key, params, result = message
                    cls = getattr(errors, cls_name, RekamUserError)
                    error = cls.__new__(cls)
                    RekamUserError.__init__(error, key, **params)
                    if isinstance(error, errors.ImportShrinks):  # the before/after table, nothing written
                        error.comparison = (result or {}).get("comparison", [])
                        result = None
                    job.error = error
                    job.result = result
        finally:
            receive.close()
            proc.join(timeout=30)
            if proc.is_alive():  # pragma: no cover - the child hung after its answer
                proc.kill()
                proc.join()
        if job.result is None and job.error is None:  # killed by a signal (the kernel's OOM killer), or crashed
            killed = proc.exitcode is not None and proc.exitcode < 0
            job.error = (
                ImportTooLarge("import_out_of_memory", limit=self.settings.import_max_memory_mb)
                if killed
                else RekamUserError("import_failed", detail=f"exit {proc.exitcode}")
            )
        return made

    def get(self, job_id: str, username: str) -> ImportJob:
        job = self._jobs.get(job_id)
        if job is None or job.user != username:
            raise OpsNotFound("web_no_import", job=job_id)
        return job


def run_child(
    send: Any,
    paths: list[str],
    export_date: date,
    username: str,
    settings: Settings,
    lang: str,
    force: bool = False,
    ikd_paths: list[str] | None = None,
) -> None:
    """The import process: umask 077, a bounded address space, then ``Rekam.import_register`` as
    ``username``; every step, the result or the error (as its class name, key and parameters)
    go back through ``send``."""
    import ctypes
    import resource

    os.umask(0o077)
    set_language(lang)  # the quarantine file's messages in the uploader's language
    try:  # glibc reserves 64 MB of address space per thread arena: few arenas, so the limit is memory
        ctypes.CDLL("libc.so.6").mallopt(-8, 4)  # M_ARENA_MAX
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass
    import duckdb  # noqa: F401 - the engines' libraries are loaded before the limit: it bounds the work
    import polars as pl
    import pyarrow  # noqa: F401

    from rekam.api import Rekam

    pl.thread_pool_size()  # polars starts its threads now
    if settings.memory_limit is None:  # DuckDB's own limit (it spills beyond it), well inside the process's
        settings = replace(settings, memory_limit=f"{min(1500, settings.import_max_memory_mb // 3)}MB")
    limit = settings.import_max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out_of_memory = ("error", "ImportTooLarge", "import_out_of_memory", {"limit": settings.import_max_memory_mb}, None)
    try:
        result = Rekam(settings).import_register(
            paths,
            export_date=export_date,
            force=force,
            user=username,
            ikd_files=ikd_paths or [],
            max_rows=settings.import_max_rows,
            audit_details={"via": "web"},
            progress=lambda step: send.send(("step", step)),
        )
        send.send(("done", result.as_json()))
    except RekamUserError as exc:
        result = getattr(exc, "result", None)
        payload = result.as_json() if result else None
        if isinstance(exc, errors.ImportShrinks):
            payload = {"comparison": exc.comparison}
        send.send(("error", type(exc).__name__, exc.key, exc.params, payload))
    except (MemoryError, ImportError):  # a module loaded late cannot be mapped within the limit
        send.send(out_of_memory)
    except RuntimeError as exc:  # "can't start new thread": the address space is used up
        send.send(
            out_of_memory
            if "thread" in str(exc)
            else ("error", "RekamUserError", "import_failed", {"detail": type(exc).__name__}, None)
        )
    except Exception as exc:  # noqa: BLE001 - a bug: named, never with data; the previous snapshot stays
        send.send(("error", "RekamUserError", "import_failed", {"detail": type(exc).__name__}, None))
    finally:
        send.close()


async def receive(request: Any, upload: Upload, limit_mb: int) -> dict[str, str]:
    """Stream a multipart/form-data body: the ``files`` parts (register files) and the
    ``ikd_files`` parts (IKD activation files) into ``upload``'s folder, the other (small)
    fields returned as text. More than ``limit_mb`` MB in all is refused at once
    (from Content-Length when given, else while streaming); nothing is kept (the caller
    removes the folder). Starlette's own form parser is not used: it would spool the whole
    body to the system's temporary folder first."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    limit = limit_mb * 1024 * 1024
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise TooLarge("upload_too_large", limit=limit_mb)
    ctype, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise InvalidArgument("upload_no_file")

    fields: dict[str, str] = {}
    part: dict[str, Any] = {}

    def on_part_begin() -> None:
        part.clear()
        part.update(headers={}, field=b"", value=b"", out=None, data=bytearray())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        part["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        part["value"] += data[start:end]

    def on_header_end() -> None:
        part["headers"][part["field"].lower()] = part["value"]
        part["field"], part["value"] = b"", b""

    def on_headers_finished() -> None:
        _, disp = parse_options_header(part["headers"].get(b"content-disposition", b""))
        name = disp.get(b"name", b"").decode("utf-8", "replace")
        part["name"] = name
        if b"filename" in disp:
            if name not in ("files", "ikd_files"):
                return
            filename = disp[b"filename"].decode("utf-8", "replace")
            if not filename:
                return  # an empty file input
            target = upload.target(filename, ikd=name == "ikd_files")
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            part["out"] = os.fdopen(fd, "wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if part.get("out") is not None:
            part["out"].write(data[start:end])
        elif len(part["data"]) < 4096:  # a text field: a date, a token
            part["data"] += data[start:end]

    def on_part_end() -> None:
        if part.get("out") is not None:
            part["out"].close()
            part["out"] = None
        elif part.get("name"):
            fields[part["name"]] = bytes(part["data"][:4096]).decode("utf-8", "replace")

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + 64 * 1024:  # the form's own bytes around the files
                raise TooLarge("upload_too_large", limit=limit_mb)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise InvalidArgument("upload_no_file") from None
    finally:
        if part.get("out") is not None:
            part["out"].close()
    if not upload.files():  # an IKD file alone is no import
        raise InvalidArgument("upload_no_file")
    return fields
