"""Retention: the by-name and quarantine files rekam keeps under REKAM_HOME are removed after
N days (``rekam purge``; N from ``--days`` or REKAM_RETENTION_DAYS, 30 by default).

UU PDP 27/2022 asks that personal data be kept no longer than needed. A quarantine file holds
the rejected rows of an export whole (NIK, KK, name, birth date, address): it is needed while
the import is checked and corrected, not for ever. What is removed, at any depth, when its
last change is older than N days:

    quarantine/          the register import's rejected rows
    sites/quarantine/    the sites import's rejected rows (rosters: NIKs masked, still by name)
    tmp/                 work areas an import killed midway left behind (staged copies of an export)
    matches/             match results kept for the review decisions (issue 18: whole NIKs)

Never touched: the snapshots (``snapshots/``, ``parts/``, ``CURRENT``, ``index/``), the sites
versions, field verifications, plans, the ops database and the audit log: they are the
register itself and the record of who saw what. Symbolic links are never followed. The removal
runs under the store's lock (never beside an import) and writes one audit entry (counts and
file names, never contents).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rekam.errors import InvalidArgument

#: The folders (relative to REKAM_HOME) whose files are kept N days.
RETAINED: tuple[str, ...] = ("quarantine", "sites/quarantine", "tmp", "matches")


@dataclass(frozen=True)
class PurgeResult:
    days: int
    dry_run: bool
    cutoff: datetime
    files: tuple[str, ...]  # relative to REKAM_HOME, sorted
    bytes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "dry_run": self.dry_run,
            "cutoff": self.cutoff.isoformat(timespec="seconds"),
            "removed": 0 if self.dry_run else len(self.files),
            "files": list(self.files),
            "bytes": self.bytes,
        }


def expired(home: Path, days: int, now: datetime | None = None) -> tuple[datetime, list[Path]]:
    """The cutoff and the retained files last changed before it."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise InvalidArgument("purge_bad_days", value=days)
    cutoff = (now or datetime.now().astimezone()) - timedelta(days=days)
    found: list[Path] = []
    for folder in RETAINED:
        root = home / folder
        if root.is_symlink() or not root.is_dir():
            continue
        for parent, _dirs, names in os.walk(root):  # followlinks=False: links to folders are not entered
            for name in names:
                path = Path(parent) / name
                if path.is_symlink() or not path.is_file():
                    continue
                if path.stat().st_mtime < cutoff.timestamp():
                    found.append(path)
    return cutoff, sorted(found)


def purge(home: Path, days: int, dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Remove (or with ``dry_run`` only list) the retained files older than ``days`` days; audited."""
    from rekam import audit
    from rekam.register.store import Store

    store = Store(home)
    if not home.is_dir():
        cutoff, _ = expired(home, days, now)
        return PurgeResult(days, dry_run, cutoff, (), 0)
    with store.lock():
        cutoff, found = expired(home, days, now)
        names = tuple(p.relative_to(home).as_posix() for p in found)
        size = sum(p.stat().st_size for p in found)
        if not dry_run:
            for path in found:
                path.unlink(missing_ok=True)
            _remove_empty_folders(home)
        audit.record(home, "purge", days=days, dry_run=dry_run, files=len(names), bytes=size, names=list(names))
    return PurgeResult(days, dry_run, cutoff, names, size)


def _remove_empty_folders(home: Path) -> None:
    """Sub-folders of the retained folders left empty (the retained folders themselves stay)."""
    for folder in RETAINED:
        root = home / folder
        if root.is_symlink() or not root.is_dir():
            continue
        for parent, dirs, _names in os.walk(root, topdown=False):
            for d in dirs:
                path = Path(parent) / d
                if not path.is_symlink():
                    try:
                        path.rmdir()
                    except OSError:
                        pass  # not empty
