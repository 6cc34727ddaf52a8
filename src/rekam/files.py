"""Files and folders that hold personal data: written whole or not at all, private to the owner.

Every store and every writer of rekam goes through here:

- ``write_atomic(path, data)``: text (UTF-8) or bytes at ``path``, whole or not at all.
- ``atomic_path(path)``: for a writer that takes a path (openpyxl, a CSV writer, DuckDB's
  ``COPY ... TO``): it writes a temporary file beside ``path``, which replaces ``path`` only
  when the writer finished; on an error the temporary file is removed and ``path`` is left as
  it was.
- ``private_dir(path)``: a folder made (with its missing parents) and kept 0700.
- ``Pointer``: the ``CURRENT`` file of a versioned folder (the register's snapshots, the
  sites' versions): the id of the current version, switched by an atomic rename, so a process
  killed at any moment leaves the previous version current.

A file is written in a temporary file with a unique name in the same folder (server workers
may write the same file at once), flushed to disk, made 0600, then renamed over ``path``; the
folder is flushed too, so the rename survives a power cut.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def write_atomic(path: Path, data: str | bytes) -> None:
    """``data`` (text as UTF-8, or bytes) at ``path``, whole or not at all, 0600."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(payload)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; it replaces ``path`` (0600) when the block
    ends without an error, and is removed otherwise.

    ``with atomic_path(out) as tmp: workbook.save(tmp)``
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))  # private before a byte is written
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fchmod(fd, FILE_MODE)  # a writer may have made the file anew (DuckDB does)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_dir(path: Path) -> Path:
    """``path`` made (with its missing parents) and kept 0700: it holds personal data."""
    path = Path(path)
    missing = [d for d in (path, *path.parents) if not d.exists()]
    for d in reversed(missing):  # each folder rekam makes is 0700, parents included
        d.mkdir(mode=DIR_MODE, exist_ok=True)
        d.chmod(DIR_MODE)
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(DIR_MODE)
    except PermissionError:  # pragma: no cover - a folder of another owner: left as it is
        pass
    return path


class Pointer:
    """The ``CURRENT`` file of a versioned folder: the current version's id, or None."""

    def __init__(self, folder: Path, name: str = "CURRENT") -> None:
        self.path = Path(folder) / name

    def read(self) -> str | None:
        try:
            return self.path.read_text().strip() or None
        except FileNotFoundError:
            return None

    def set(self, version: str) -> None:
        """Make ``version`` current with an atomic rename."""
        write_atomic(self.path, version + "\n")
