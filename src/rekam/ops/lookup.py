"""Finding a resident at the desk, by NIK or by name and birth date: audited, every time.

Any enabled user may look anyone up: KTP-el services may be given outside the domicile
(a resident of Padang can record in Bukittinggi), so the desk cannot be limited to its own
region; the audit row (user, time, the NIKs shown) is the guard instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rekam.domain.recording import status_word
from rekam.domain.services import ServiceKind, offered
from rekam.errors import OpsInvalid, PermissionDenied, SnapshotError
from rekam.ops import audit, events, residents
from rekam.ops.db import OpsDB
from rekam.ops.models import User

MAX_RESULTS = 50


@dataclass(frozen=True)
class Found:
    nik: str
    resident: residents.Resident | None  # None: not in the register snapshot
    status: str | None  # at the desk now (snapshot + events since)
    snapshot: str | None
    events: list[dict[str, Any]]
    ikd_active: bool = False  # the IKD activated already (at a desk, or in the register)

    @property
    def status_word(self) -> str:
        """The status at the desk in words (``StatusWord`` value: belum_rekam, siap_cetak, ...)."""
        return status_word(self.status).value

    @property
    def offered(self) -> list[str]:
        """The services the desk's rules accept for this resident now (a surat keterangan always)."""
        return [k.value for k in offered(self.status_word, self.resident is not None, self.ikd_active)]

    def as_json(self) -> dict[str, Any]:
        return {
            "nik": self.nik,
            "in_register": self.resident is not None,
            "resident": self.resident.as_json() if self.resident else None,
            "status": self.status,
            "status_word": self.status_word,
            "offered": self.offered,
            "ikd_active": self.ikd_active,
            "snapshot": self.snapshot,
            "events": self.events,
        }


def _enabled(actor: User | None) -> None:
    if actor is not None and actor.disabled:
        raise PermissionDenied("ops_forbidden")


def by_nik(
    db: OpsDB, directory: residents.Directory, nik: str, actor: User | None = None, service_point: str | None = None
) -> Found:
    _enabled(actor)
    nik = events.check_nik(nik)
    if directory.snapshot_id is None:
        raise SnapshotError("no_snapshot")
    with db.write() as s:
        person, status = events.desk_status(s, directory, nik)
        history = events.events_since(s, nik, None)
        shown = [
            {
                "jenis": e.kind,
                "outcome": e.outcome,
                "occurred_at": e.occurred_at.isoformat(),
                "service_point": e.service_point_id,
            }
            for e in history
        ]
        audit.add(s, actor, "cari_nik", subject=nik, service_point=service_point, found=person is not None)
    ikd = events.register_ikd_active(directory, nik) or any(
        e.kind == ServiceKind.AKTIVASI_IKD and e.outcome == "selesai" for e in history
    )
    return Found(nik, person, status, directory.snapshot_id, shown, ikd)


def by_name(
    db: OpsDB,
    directory: residents.Directory,
    name: str,
    birth_date: date,
    actor: User | None = None,
    service_point: str | None = None,
) -> list[Found]:
    _enabled(actor)
    if len(" ".join((name or "").split())) < 3:
        raise OpsInvalid("ops_name_short")
    if directory.snapshot_id is None:
        raise SnapshotError("no_snapshot")
    people = directory.search(name, birth_date, MAX_RESULTS)
    with db.write() as s:
        found = []
        for person in people:
            _, status = events.desk_status(s, directory, person.nik)
            ikd = events.register_ikd_active(directory, person.nik) or events.ikd_activated(s, person.nik)
            found.append(Found(person.nik, person, status, directory.snapshot_id, [], ikd))
        audit.add(
            s,
            actor,
            "cari_nama",
            subject=",".join(p.nik for p in people) or None,
            service_point=service_point,
            results=len(people),
        )
    return found
