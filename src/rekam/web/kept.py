"""The figures the dashboard computed, kept on disk (issue #16): a restarted server, or another
worker of ``rekam serve --workers N``, reads them back instead of passing over the register again.

``FigureCache`` (``web/figures.py``) keeps each value it computes for a snapshot here too, under
``REKAM_HOME/cache/figures/`` (folder 0700, files 0600, written whole or not at all:
``files.write_atomic``), and looks here before computing. A file's name is the SHA-256 of its
key's ``repr``; the key is the in-memory key (snapshot id, as-of, election date, target, live,
desk stamp, ...) with the format (``CACHE_FORMAT``), rekam's version and a digest of rekam's
code (a value pickled by other code is never read back), the ops database (whose services the
desk stamp counts) and the list-verification batches (the quality figures count their
follow-ups). A snapshot's contents never change (a new import
is a new id), so a value kept is never stale.

The values are aggregates (counts per region; the by-name lists are never cached), pickled and
signed: HMAC-SHA256 over the bytes with a key derived from the server's own secret
(``REKAM_HOME/web-secret``, ``auth.secret_key``). A file whose signature does not verify, whose
key is not the one asked for, or that fails to load is removed, never trusted, and the value is
computed anew. At most ``LIMIT`` files are kept: at each write the least recently used beyond
that are removed. The workers of one server compute a value once: the others wait for it
(``Kept.computing``) and read it. ``REKAM_FIGURE_CACHE=0`` turns it off (nothing read, nothing
written, no lock).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import rekam
from rekam.files import private_dir, write_atomic

#: The layout of a kept file; a change makes every kept file another key (not read back).
CACHE_FORMAT: Final = 1
#: Files kept at most (a province's pages and API answers for a few snapshots and dates).
LIMIT: Final = 400
#: Lock files of the computations (a key's is one of these, by its hash): see ``Kept.computing``.
LOCKS: Final = 16
_MAGIC: Final = b"REKAM-FIGURES\n"
_MAC_BYTES: Final = 32


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: What ``Kept.get`` returns when nothing usable is kept for a key.
MISSING: Final = _Missing()

_code: str | None = None


def code_digest() -> str:
    """SHA-256 of rekam's Python sources (once per process): a value pickled by other code (a
    class with other fields, a figure computed otherwise) is another key."""
    global _code
    if _code is None:
        root = Path(rekam.__file__).parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
        _code = h.hexdigest()
    return _code


class Kept:
    """The kept values of one REKAM_HOME (``enabled`` False: none; every call does nothing)."""

    def __init__(self, home: Path, enabled: bool = True, limit: int = LIMIT, database_url: str | None = None) -> None:
        self.home = Path(home)
        # The desk stamps are the ops database's: another database is another key (hashed: a
        # URL may hold a password, and the key is written in the file).
        self.database = hashlib.sha256((database_url or "sqlite:ops.db").encode()).hexdigest()[:16]
        self.folder = self.home / "cache" / "figures"
        self.enabled = enabled
        self.limit = limit
        self._mac_key: bytes | None = None

    def _key_bytes(self, key: tuple[object, ...]) -> bytes:
        full = (CACHE_FORMAT, rekam.__version__, code_digest(), self.database, self._inputs(), *key)
        return repr(full).encode("utf-8")

    def _inputs(self) -> tuple[str, ...]:
        """The list-verification batches (their file names): the quality figures (and the
        ranking, from them) count their follow-ups, which change without a new snapshot."""
        try:
            return tuple(sorted(p.name for p in (self.home / "verifications").glob("*.json")))
        except OSError:
            return ()

    def _mac(self, data: bytes) -> bytes:
        if self._mac_key is None:
            from rekam.web.auth import secret_key

            secret = secret_key(self.home).encode("utf-8")
            self._mac_key = hmac.new(secret, b"rekam figure cache", hashlib.sha256).digest()
        return hmac.new(self._mac_key, data, hashlib.sha256).digest()

    def path(self, key: tuple[object, ...]) -> Path:
        return self.folder / (hashlib.sha256(self._key_bytes(key)).hexdigest() + ".pickle")

    def get(self, key: tuple[object, ...]) -> Any:
        """The value kept for ``key``, or ``MISSING`` (none, or none that can be trusted: such a
        file is removed)."""
        if not self.enabled:
            return MISSING
        try:
            path = self.path(key)
            data = path.read_bytes()
            self._mac(b"")  # the server's secret readable (else nothing is read, nothing removed)
        except OSError:
            return MISSING
        try:
            value = self._load(data, self._key_bytes(key))
        except Exception:  # noqa: BLE001 - a file that is not what was written: removed, never trusted
            path.unlink(missing_ok=True)
            return MISSING
        try:
            os.utime(path)  # recently used: the last to go when the folder is bounded
        except OSError:
            pass
        return value

    def _load(self, data: bytes, key: bytes) -> Any:
        head = len(_MAGIC)
        if data[:head] != _MAGIC or len(data) < head + _MAC_BYTES:
            raise ValueError("not a kept figures file")
        mac, body = data[head : head + _MAC_BYTES], data[head + _MAC_BYTES :]
        if not hmac.compare_digest(mac, self._mac(body)):
            raise ValueError("signature does not verify")
        kept_key, value = pickle.loads(body)  # noqa: S301 - signed by this server's own secret, verified above
        if kept_key != key:
            raise ValueError("another key")
        return value

    def put(self, key: tuple[object, ...], value: Any) -> None:
        """Keep ``value`` for ``key`` (quietly nothing when the folder cannot be written: the
        value is only not kept)."""
        if not self.enabled:
            return
        try:
            body = pickle.dumps((self._key_bytes(key), value), protocol=pickle.HIGHEST_PROTOCOL)
            private_dir(self.folder)
            write_atomic(self.path(key), _MAGIC + self._mac(body) + body)
            self._bound()
        except Exception:  # noqa: BLE001 - a full disk or a read-only home: the figures are only not kept
            return

    @contextmanager
    def computing(self, key: tuple[object, ...]) -> Iterator[None]:
        """Held while the value of ``key`` is computed: the workers of one server (processes)
        asking for the same value at once compute it once, the others wait and then read it
        (an exclusive ``flock`` on one of ``LOCKS`` files, chosen by the key; released when the
        process ends, however it ends). Without a writable folder: no lock."""
        if not self.enabled:
            yield
            return
        try:
            private_dir(self.folder)
            digest = hashlib.sha256(self._key_bytes(key)).digest()
            fd = os.open(self.folder / f".lock-{digest[0] % LOCKS}", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # the lock goes with the file descriptor

    def _bound(self) -> None:
        """Remove the least recently used files beyond ``limit``."""
        files = []
        for path in self.folder.glob("*.pickle"):
            try:
                files.append((path.stat().st_mtime, path))
            except OSError:  # removed by another worker meanwhile
                continue
        if len(files) <= self.limit:
            return
        files.sort()
        for _, path in files[: len(files) - self.limit]:
            path.unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove every kept file."""
        for path in self.folder.glob("*.pickle"):
            path.unlink(missing_ok=True)
