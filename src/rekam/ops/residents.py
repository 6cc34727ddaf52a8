"""A resident's KTP-el status at the desk: the current register snapshot, plus the service
events logged since the snapshot's export date.

The snapshot is SIAK's word as of its export; the desk's own events move a person on until
the next export says otherwise (``effective_status``):

    perekaman (done)          not recorded -> BIO_CAPTURED; confirmed over a recording -> DUPLICATE_RECORD
    rekam_ulang (done)        not recorded / failed -> BIO_CAPTURED
    pencetakan(_ulang) (done) -> CARD_PRINTED
    failed services, surat_keterangan, aktivasi_ikd: no change

A recording does not make a person printable the same day: PRINT_READY_RECORD comes from the
centre's deduplication (minutes to months, FACTS.md 3.3), so only a later snapshot brings it.
Events count from the snapshot's export date on (in the point's local date): an event of the
export day may already be in the export, and every transition above leaves a status that
already reflects it unchanged (a recording over BIO_CAPTURED or later stays; a print over a
printed card stays printed).

``SnapshotDirectory`` reads a NIK-sorted copy of the snapshot's accepted rows with DuckDB
(one parameterised query per NIK); ``MemoryDirectory`` is for tests and for a front end that
keeps its own index.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from rekam.domain.recording import DUPLICATE, PRINTED_STATUSES, RecordingState, classify_status
from rekam.domain.recording import PRINT_READY as PRINT_READY
from rekam.domain.services import PRINTS, ServiceKind

# The printing rule of rekam.domain.recording (FACTS.md section 3.3): only PRINT_READY_RECORD
# may be printed at the desk; the rest of a recorded person's statuses wait at the centre.
PRINTED = PRINTED_STATUSES


@dataclass(frozen=True)
class Resident:
    """A resident as the snapshot has them (personal data: never in a message)."""

    nik: str
    name: str | None
    birth_date: date | None
    sex: str | None
    desa_code: str | None
    ktp_status: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "nik": self.nik,
            "name": self.name,
            "sex": self.sex,
            "desa_code": self.desa_code,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "ktp_status": self.ktp_status,
        }


class Directory(Protocol):
    """Where the desk finds residents: ``snapshot_id`` None means no register at all."""

    snapshot_id: str | None
    export_date: date | None

    def find(self, nik: str) -> Resident | None: ...

    def status(self, nik: str) -> tuple[bool, str | None]:
        """(in the snapshot, the KTP-el status there): what logging a service needs, and only that."""
        ...

    def search(self, name: str, birth_date: date, limit: int = 50) -> list[Resident]: ...


def state_of(status: str | None) -> RecordingState | None:
    info = classify_status(status) if status else None
    return info.state if info else None


def is_recorded(status: str | None) -> bool:
    return state_of(status) is RecordingState.SUDAH_REKAM


def apply_event(status: str | None, kind: str, outcome: str, duplicate_confirmed: bool) -> str | None:
    """The status after one logged service (see the module docstring)."""
    if outcome != "selesai":
        return status
    if kind == ServiceKind.PEREKAMAN:
        if duplicate_confirmed:
            return DUPLICATE
        return status if is_recorded(status) else "BIO_CAPTURED"
    if kind == ServiceKind.REKAM_ULANG:
        return status if is_recorded(status) else "BIO_CAPTURED"
    if kind in PRINTS:
        return "CARD_PRINTED"
    return status


def effective_status(snapshot_status: str | None, events: Iterable[tuple[str, str, bool]]) -> str | None:
    """The snapshot's status moved on by ``events`` ((kind, outcome, duplicate_confirmed) in time order)."""
    status = snapshot_status
    for kind, outcome, confirmed in events:
        status = apply_event(status, kind, outcome, confirmed)
    return status


class MemoryDirectory:
    """Residents held in memory (tests; an index a front end keeps)."""

    def __init__(
        self,
        residents: Iterable[Resident],
        snapshot_id: str | None = "memory",
        export_date: date | None = None,
        ikd_active: Iterable[str] = (),
    ) -> None:
        self.by_nik = {r.nik: r for r in residents}
        self.snapshot_id = snapshot_id
        self.export_date = export_date
        self.ikd = frozenset(ikd_active)

    def ikd_active(self, nik: str) -> bool:
        """Whether the register marks the NIK's IKD active (``ops.events.register_ikd_active``)."""
        return nik in self.ikd

    def find(self, nik: str) -> Resident | None:
        return self.by_nik.get(nik)

    def status(self, nik: str) -> tuple[bool, str | None]:
        person = self.by_nik.get(nik)
        return person is not None, person.ktp_status if person else None

    def search(self, name: str, birth_date: date, limit: int = 50) -> list[Resident]:
        key = " ".join(name.upper().split())
        found = [r for r in self.by_nik.values() if r.birth_date == birth_date and key in (r.name or "").upper()]
        return sorted(found, key=lambda r: (r.name or "", r.nik))[:limit]


_COLUMNS = "nik, name, birth_date, sex, desa_code, ktp_status"
#: Kept in the NIK-sorted copy beside the desk's columns: the register's IKD status (issue 19).
_INDEX_COLUMNS = _COLUMNS + ", ikd_status"


class SnapshotDirectory:
    """The residents of a register snapshot, read with DuckDB from a NIK-sorted copy of the
    snapshot's accepted rows (``REKAM_HOME/index/<snapshot>-nik2.parquet``, the desk's columns
    only), written once per snapshot with an atomic rename: Parquet row-group statistics then
    let a NIK lookup read one small row group instead of every file's NIK column."""

    ROW_GROUP = 20_000

    def __init__(self, store: Any, snapshot: Any) -> None:
        from rekam import duck

        self.snapshot_id = snapshot.id
        self.export_date = snapshot.export_date
        self._con = duck.connect()
        index = self._index(store, snapshot)
        path = str(index).replace("'", "''")
        self._con.execute(f"CREATE VIEW residents AS SELECT {_INDEX_COLUMNS} FROM read_parquet('{path}')")
        self._local = threading.local()
        self._status_arrays: tuple[Any, Any, list[str | None]] | None = None
        self._status_lock = threading.Lock()

    def _index(self, store: Any, snapshot: Any) -> Any:
        from rekam.analytics.engines import register_union
        from rekam.files import atomic_path, private_dir

        # "-nik2": the copy with the IKD status (a copy made before it is left, and made anew).
        index = store.home / "index" / f"{snapshot.id}-nik2.parquet"
        if not index.exists():
            private_dir(index.parent)
            rows = register_union(store, snapshot, True, "read_parquet([{}], union_by_name = true)")
            present = {r[0] for r in self._con.execute(f"DESCRIBE SELECT * FROM ({rows})").fetchall()}
            ikd = "ikd_status" if "ikd_status" in present else "NULL::VARCHAR AS ikd_status"  # imports before issue 19
            with atomic_path(index) as tmp:
                target = str(tmp).replace("'", "''")
                self._con.execute(
                    f"COPY (SELECT {_COLUMNS}, {ikd} FROM ({rows}) ORDER BY nik) TO '{target}' "
                    f"(FORMAT parquet, ROW_GROUP_SIZE {self.ROW_GROUP})"
                )
        return index

    def _cursor(self) -> Any:
        cur = getattr(self._local, "cursor", None)
        if cur is None:  # a DuckDB connection is not shared between threads; cursors are cheap
            cur = self._local.cursor = self._con.cursor()
        return cur

    def find(self, nik: str) -> Resident | None:
        row = self._cursor().execute(f"SELECT {_COLUMNS} FROM residents WHERE nik = ? LIMIT 1", [nik]).fetchone()
        return Resident(*row) if row else None

    def ikd_active(self, nik: str) -> bool:
        """Whether the snapshot marks the NIK's IKD active (STATUS_IKD AKTIF; issue 19)."""
        row = self._cursor().execute("SELECT ikd_status FROM residents WHERE nik = ? LIMIT 1", [nik]).fetchone()
        return bool(row and row[0] == "AKTIF")

    def status(self, nik: str) -> tuple[bool, str | None]:
        """From two arrays in memory (NIKs as sorted 64-bit integers, a status code each: 10 bytes
        a resident, 58 MB for Sumatera Barat), loaded on first use: a binary search takes
        microseconds where a DuckDB query on the sorted copy takes about 2 ms of CPU, the largest
        part of logging a service (benchmarks/desk_bench.py)."""
        import numpy as np

        niks, codes, labels = self._statuses()
        if len(nik) != 16 or not nik.isdigit():
            return False, None
        key = int(nik)
        i = int(np.searchsorted(niks, key))
        if i < len(niks) and int(niks[i]) == key:
            return True, labels[int(codes[i])]
        return False, None

    def _statuses(self) -> tuple[Any, Any, list[str | None]]:
        found = self._status_arrays
        if found is None:
            with self._status_lock:
                found = self._status_arrays
                if found is None:
                    found = self._status_arrays = self._load_statuses()
        return found

    def _load_statuses(self) -> tuple[Any, Any, list[str | None]]:
        import numpy as np

        cur = self._con.cursor()
        labels = [
            r[0] for r in cur.execute("SELECT DISTINCT ktp_status FROM residents ORDER BY 1 NULLS FIRST").fetchall()
        ]
        codes = {label: i for i, label in enumerate(labels)}
        cases = " ".join(f"WHEN ? THEN {i}" for label, i in codes.items() if label is not None)
        null_code = codes.get(None, -1)
        arrays = cur.execute(
            f"SELECT CAST(nik AS BIGINT) AS k, CAST(CASE ktp_status {cases} ELSE {null_code} END AS SMALLINT) AS c "
            "FROM residents WHERE regexp_full_match(nik, '[0-9]{16}') ORDER BY k",
            [label for label in labels if label is not None],
        ).fetchnumpy()
        cur.close()
        return np.ascontiguousarray(arrays["k"]), np.ascontiguousarray(arrays["c"]), labels

    def search(self, name: str, birth_date: date, limit: int = 50) -> list[Resident]:
        key = " ".join(name.upper().split())
        rows = (
            self._cursor()
            .execute(
                f"SELECT {_COLUMNS} FROM residents WHERE birth_date = ? AND strpos(upper(name), ?) > 0 "
                "ORDER BY name, nik LIMIT ?",
                [birth_date, key, limit],
            )
            .fetchall()
        )
        return [Resident(*r) for r in rows]


class NoRegister:
    """No snapshot imported yet: the desk cannot tell anyone's status."""

    snapshot_id = None
    export_date = None

    def find(self, nik: str) -> Resident | None:
        return None

    def status(self, nik: str) -> tuple[bool, str | None]:
        return False, None

    def search(self, name: str, birth_date: date, limit: int = 50) -> list[Resident]:
        return []


_DIRECTORIES: dict[tuple[str, str], SnapshotDirectory] = {}
_LOCK = threading.Lock()


def current_directory(home: Any) -> Directory:
    """The directory of the current snapshot in ``home`` (one per snapshot per process). Each
    call reads the CURRENT pointer only: a snapshot's manifest never changes, so it is read
    once, when its directory is made."""
    from rekam.register.store import Store

    store = Store(home)
    snapshot_id = store.current_id()
    if snapshot_id is None:
        return NoRegister()
    key = (str(store.home.absolute()), snapshot_id)
    with _LOCK:
        found = _DIRECTORIES.get(key)
        if found is None:
            for old in [k for k in _DIRECTORIES if k[0] == key[0]]:  # an older snapshot of this home
                del _DIRECTORIES[old]
            found = _DIRECTORIES[key] = SnapshotDirectory(store, store.load(snapshot_id))
        return found
