"""The snapshot store under REKAM_HOME.

    REKAM_HOME/
      CURRENT                      id of the current snapshot (replaced atomically)
      snapshots/<id>.json          manifest: date, parent, parts per kab/kota, import figures
      diffs/<id>.json              the snapshot's diff against its parent, counts per kab/kota and desa
      parts/<import>/kab_code=XX.YY/*.parquet   immutable data, sorted by desa
      quarantine/<import>.csv      rows that were not accepted (personal data)
      tmp/<import>/                work area of an import in progress
      tmp/match-<pid>-<id>/        where a running match spills (linkage.match.spill_folder)

Everything here is personal data or derived from it: REKAM_HOME and the folders rekam makes in
it are 0700, the files 0600 (``rekam.files``: ``private_dir``, ``write_atomic``; the CLI and
``rekam serve`` also run with umask 077).

A snapshot is the previous snapshot's parts with the kab/kota of one import replaced. Its
manifest and parts are written completely before CURRENT is switched with an atomic
rename, so a process killed at any moment leaves the previous state current. Snapshots
are never changed; rollback moves CURRENT back to the parent.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rekam.errors import SnapshotError
from rekam.files import Pointer, private_dir, write_atomic


@dataclass(frozen=True)
class Part:
    kab_code: str
    files: tuple[str, ...]  # relative to REKAM_HOME
    export_date: date
    import_id: str
    rows: int


@dataclass(frozen=True)
class Snapshot:
    id: str
    created_at: str
    export_date: date
    parent: str | None
    parts: dict[str, Part]
    source_digest: str
    figures: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.parts.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "export_date": self.export_date.isoformat(),
            "parent": self.parent,
            "source_digest": self.source_digest,
            "figures": self.figures,
            "parts": {
                k: {
                    "files": list(p.files),
                    "export_date": p.export_date.isoformat(),
                    "import_id": p.import_id,
                    "rows": p.rows,
                }
                for k, p in sorted(self.parts.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        return cls(
            id=data["id"],
            created_at=data["created_at"],
            export_date=date.fromisoformat(data["export_date"]),
            parent=data.get("parent"),
            source_digest=data.get("source_digest", ""),
            figures=data.get("figures", {}),
            parts={
                k: Part(
                    kab_code=k,
                    files=tuple(v["files"]),
                    export_date=date.fromisoformat(v["export_date"]),
                    import_id=v["import_id"],
                    rows=int(v["rows"]),
                )
                for k, v in data["parts"].items()
            },
        )


class Store:
    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.pointer = Pointer(self.home)

    # --- paths ---
    @property
    def snapshots_dir(self) -> Path:
        return self.home / "snapshots"

    def tmp_dir(self, import_id: str) -> Path:
        return self.home / "tmp" / import_id

    def parts_dir(self, import_id: str) -> Path:
        return self.home / "parts" / import_id

    def quarantine_path(self, import_id: str) -> Path:
        return self.home / "quarantine" / f"{import_id}.csv"

    def diff_path(self, snapshot_id: str) -> Path:
        return self.home / "diffs" / f"{snapshot_id}.json"

    def absolute(self, relative: str) -> Path:
        return self.home / relative

    # --- reading ---
    def current_id(self) -> str | None:
        return self.pointer.read()

    def load(self, snapshot_id: str) -> Snapshot:
        path = self.snapshots_dir / f"{snapshot_id}.json"
        try:
            return Snapshot.from_json(json.loads(path.read_text()))
        except FileNotFoundError:
            raise SnapshotError("unknown_snapshot", snapshot=snapshot_id) from None

    def current(self) -> Snapshot | None:
        sid = self.current_id()
        return self.load(sid) if sid else None

    def require_current(self) -> Snapshot:
        snap = self.current()
        if snap is None:
            raise SnapshotError("no_snapshot")
        return snap

    def read_diff(self, snapshot_id: str) -> dict[str, Any] | None:
        """The diff kept with a snapshot (counts only), or None when none was kept."""
        try:
            data: dict[str, Any] = json.loads(self.diff_path(snapshot_id).read_text())
        except FileNotFoundError:
            return None
        return data

    def write_diff(self, snapshot_id: str, diff: dict[str, Any]) -> None:
        private_dir(self.diff_path(snapshot_id).parent)
        write_atomic(self.diff_path(snapshot_id), json.dumps(diff, ensure_ascii=False, indent=0))

    def all(self) -> list[Snapshot]:
        if not self.snapshots_dir.is_dir():
            return []
        return [self.load(p.stem) for p in sorted(self.snapshots_dir.glob("*.json"))]

    # --- writing ---
    @contextmanager
    def lock(self) -> Iterator[None]:
        """One writer at a time; a killed writer's lock is released by the kernel."""
        private_dir(self.home)
        with open(os.open(self.home / ".lock", os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def next_id(self, export_date: date) -> str:
        existing = [p.stem for p in self.snapshots_dir.glob("*.json")] if self.snapshots_dir.is_dir() else []
        seq = max((int(s.split("-")[0]) for s in existing), default=0) + 1
        return f"{seq:04d}-{export_date:%Y%m%d}"

    def clean_abandoned(self) -> None:
        """Remove the work areas, unreferenced parts and diffs of imports that were killed,
        and the spill folders of killed matches (``tmp/match-<pid>-...``; a running match's
        folder stays)."""
        tmp = self.home / "tmp"
        if tmp.is_dir():
            for d in tmp.iterdir():
                if not _live_match(d.name):
                    shutil.rmtree(d, ignore_errors=True)
        diffs = self.home / "diffs"
        if diffs.is_dir():
            for kept in diffs.glob("*.json"):
                if not (self.snapshots_dir / kept.name).is_file():
                    kept.unlink(missing_ok=True)
        referenced = {p.import_id for s in self.all() for p in s.parts.values()}
        parts_root = self.home / "parts"
        if parts_root.is_dir():
            for d in parts_root.iterdir():
                if d.name not in referenced:
                    shutil.rmtree(d, ignore_errors=True)

    def commit(self, snapshot: Snapshot) -> None:
        """Write the manifest, then make it current with an atomic rename."""
        private_dir(self.snapshots_dir)
        write_atomic(self.snapshots_dir / f"{snapshot.id}.json", json.dumps(snapshot.as_json(), indent=1))
        self.set_current(snapshot.id)

    def set_current(self, snapshot_id: str) -> None:
        self.pointer.set(snapshot_id)

    def rollback(self) -> Snapshot:
        with self.lock():
            snap = self.require_current()
            if not snap.parent:
                raise SnapshotError("no_previous_snapshot")
            previous = self.load(snap.parent)
            self.set_current(previous.id)
            return previous


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _live_match(name: str) -> bool:
    """Whether ``name`` is the spill folder of a match (``match-<pid>-...``,
    ``linkage.match.spill_folder``) whose process is still running."""
    parts = name.split("-")
    if len(parts) < 3 or parts[0] != "match" or not parts[1].isdigit():
        return False
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's live process
        return True
    return True
