"""Service events: what a service point did for whom, and the rules that guard it.

Kinds: perekaman (first recording), rekam_ulang (recording again after a failure),
pencetakan (first card), pencetakan_ulang (a replacement card), surat_keterangan (a
certificate instead of a card), aktivasi_ikd (the digital ID activated by an officer).
Outcome: ``selesai`` (done) or ``gagal`` (failed: the recording did not take, the printer
spoiled the card).

Rules, against the resident's status at the desk (``residents.effective_status``: the
snapshot plus the events logged after it):

- The NIK must be 16 well-formed digits. A NIK not in the snapshot is still logged (a
  newcomer to the region) and flagged for SIAK follow-up (``siak_follow_up``; a follow-up row).
- perekaman for someone already recorded: ConfirmationNeeded (it would make a
  DUPLICATE_RECORD); with ``confirm`` it is logged with ``duplicate_confirmed``.
- rekam_ulang for a registered resident who never recorded: refused (log perekaman); for one
  whose recording did not fail (not PERLU_REKAM_ULANG): refused too. The counter offers only
  what these rules accept (``rekam.domain.services.offered``), with one exception: perekaman for
  a resident whose recording failed at the centre is accepted (it is a recording again, and
  counts as one), though the counter offers rekam_ulang.
- pencetakan needs PRINT_READY_RECORD; a DUPLICATE_RECORD, an unknown NIK, a card already
  printed (use pencetakan_ulang) or a status short of PRR is refused with the reason.
  pencetakan_ulang needs a printed card. Both need a blanko at the point: the print uses one
  (``used``; a failed print ``spoiled``) in the event's own transaction. A point with a daily
  print cap (``ServicePoint.daily_print_cap``, blanko rationing) refuses a print once its prints
  of the local day (done and failed alike: both use a card) reach the cap
  (``ops_print_cap_reached``); the check runs under the point's row lock, so concurrent prints
  cannot pass it. The operator can log surat_keterangan instead of a refused print.
- aktivasi_ikd only for someone recorded (the status at the desk is a recorded one; a NIK the
  register does not know that was recorded at a desk since counts): else
  ``ops_ikd_not_recorded``. Once a person: a completed activation of the NIK at any desk (or
  the register's own IKD column, ``register_ikd_active``) refuses another
  (``ops_ikd_already_active``); a failed one does not count. No blanko, no status change.
- The operator must be allowed to write at the point (scope.py), checked in the event's own
  transaction (``points.acting``), before the idempotency key is looked up.
- The events of one NIK are serialised (``lock_nik``), so the checks above hold across points.

The request body (hashed for idempotency) is {nik, kind, service_point, outcome, note,
occurred_at (when the client gives it)}; ``confirm`` is an acknowledgement, not part of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from rekam.domain.nik import NikError, validate_nik
from rekam.domain.services import PRINTS, SERVICE_KINDS, ServiceKind
from rekam.errors import ConfirmationNeeded, OpsInvalid, OpsRefused, PermissionDenied, SnapshotError
from rekam.ops import blanko, fields, idempotency, points, residents
from rekam.ops.db import OpsDB
from rekam.ops.models import FollowUp, ServiceEvent, ServicePoint, User, utcnow

OUTCOMES = ("selesai", "gagal")
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class EventInfo:
    id: int
    service_point: str
    idempotency_key: str
    kind: str
    nik: str
    occurred_at: datetime
    service_date: date
    operator: str
    outcome: str
    status_before: str | None
    status_after: str | None
    nik_known: bool
    siak_follow_up: bool
    duplicate_confirmed: bool
    note: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "service_point": self.service_point,
            "idempotency_key": self.idempotency_key,
            "jenis": self.kind,
            "nik": self.nik,
            "occurred_at": self.occurred_at.isoformat(),
            "service_date": self.service_date.isoformat(),
            "operator": self.operator,
            "outcome": self.outcome,
            "status_before": self.status_before,
            "status_after": self.status_after,
            "nik_known": self.nik_known,
            "siak_follow_up": self.siak_follow_up,
            "duplicate_confirmed": self.duplicate_confirmed,
            "note": self.note,
        }


def completed_since(day: date) -> tuple[Any, ...]:
    """The conditions of the services that count in live figures: completed, on or after
    ``day`` (a snapshot's export date), for a NIK the register knows."""
    return (ServiceEvent.service_date >= day, ServiceEvent.outcome == "selesai", ServiceEvent.nik_known)


def event_info(e: ServiceEvent, operator: str) -> EventInfo:
    after = residents.apply_event(e.status_before, e.kind, e.outcome, e.duplicate_confirmed)
    return EventInfo(
        e.id,
        e.service_point_id,
        e.idempotency_key,
        e.kind,
        e.nik,
        e.occurred_at,
        e.service_date,
        operator,
        e.outcome,
        e.status_before,
        after,
        e.nik_known,
        e.siak_follow_up,
        e.duplicate_confirmed,
        e.note,
    )


def events_since(session: Session, nik: str, since: date | None) -> list[ServiceEvent]:
    """The NIK's events from day ``since`` on (every event when None), in time order."""
    query = select(ServiceEvent).where(ServiceEvent.nik == nik)
    if since is not None:
        query = query.where(ServiceEvent.service_date >= since)
    return list(session.scalars(query.order_by(ServiceEvent.occurred_at, ServiceEvent.id)))


def ikd_activated(session: Session, nik: str) -> bool:
    """Whether a desk activated the NIK's IKD already (a completed aktivasi_ikd, any day, any point)."""
    query = select(ServiceEvent.id).where(
        ServiceEvent.nik == nik, ServiceEvent.kind == ServiceKind.AKTIVASI_IKD, ServiceEvent.outcome == "selesai"
    )
    return session.scalars(query.limit(1)).first() is not None


def register_ikd_active(directory: residents.Directory, nik: str) -> bool:
    """Whether the register snapshot marks the NIK's IKD active already.

    The snapshot's directory answers from the register's STATUS_IKD (``ikd_active``); a
    directory that cannot (no register) says no, and only the desks' own activations count."""
    ask = getattr(directory, "ikd_active", None)
    return bool(ask(nik)) if callable(ask) else False


def desk_status(
    session: Session, directory: residents.Directory, nik: str
) -> tuple[residents.Resident | None, str | None]:
    """The resident (None: not in the snapshot) and their status at the desk now."""
    person = directory.find(nik)
    return person, status_at_desk(session, directory, nik, person is not None, person.ktp_status if person else None)


def status_at_desk(
    session: Session, directory: residents.Directory, nik: str, known: bool, snapshot_status: str | None
) -> str | None:
    """The status at the desk now of the NIK (``known``: in the snapshot, with ``snapshot_status``
    there): the snapshot's status moved on by the events logged since its export."""
    history = events_since(session, nik, directory.export_date if known else None)
    return residents.effective_status(snapshot_status, ((e.kind, e.outcome, e.duplicate_confirmed) for e in history))


#: The message key naming the part of a NIK that is wrong, by reason (in reading order).
NIK_PART_MESSAGES = {
    NikError.PROVINCE: "ops_nik_province",
    NikError.KABKOTA_ZERO: "ops_nik_kabkota",
    NikError.KECAMATAN_ZERO: "ops_nik_kecamatan",
    NikError.BIRTH_DATE: "ops_nik_birth_date",
    NikError.SERIAL: "ops_nik_serial",
}
_SEPARATORS = re.compile(r"[\s.\-]+")


def check_nik(nik: str) -> str:
    """The NIK as 16 digits; spaces, dots and dashes that a paste or a scan brings are dropped.
    An invalid one is refused with a message naming the part that is wrong (the first, reading
    left to right: length, then province, kab/kota, kecamatan, the birth date, the serial);
    the message never repeats the NIK."""
    nik = _SEPARATORS.sub("", nik or "")
    reasons = validate_nik(nik)
    if not reasons:
        return nik
    if NikError.FORMAT in reasons:
        if len(nik) == 16 or not nik.isascii() or not nik.isdigit():
            raise OpsInvalid("ops_nik_digits", length=len(nik))
        raise OpsInvalid("ops_nik_length", length=len(nik))
    raise OpsInvalid(NIK_PART_MESSAGES[reasons[0]])


def _print_refusal(kind: str, known: bool, status: str | None) -> str | None:
    """The message key refusing a print, or None when the print may go ahead."""
    if not known and status is None:
        return "ops_print_unknown_nik"
    if status == residents.DUPLICATE:
        return "ops_print_duplicate"
    if kind == ServiceKind.PENCETAKAN:
        if status in residents.PRINTED:
            return "ops_print_already_printed"
        return None if status == residents.PRINT_READY else "ops_print_not_ready"
    return None if status in residents.PRINTED else "ops_reprint_not_printed"


def prints_on(session: Session, point_id: str, day: date) -> int:
    """The print events (done or failed: each used a card) of the point on its local ``day``:
    what its daily print cap counts."""
    query = select(func.count()).where(
        ServiceEvent.service_point_id == point_id,
        ServiceEvent.service_date == day,
        ServiceEvent.kind.in_(list(PRINTS)),
    )
    return int(session.scalar(query) or 0)


def lock_nik(session: Session, nik: str) -> None:
    """Serialise the events of one NIK (PostgreSQL: a transaction advisory lock keyed by the
    NIK's digits), so two points cannot both print the same person's card or both miss the
    other's recording. SQLite writers are serialised already by the database's write lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(nik)})


def log_event(
    db: OpsDB,
    directory: residents.Directory,
    actor: User,
    nik: str,
    kind: str,
    service_point: str,
    idempotency_key: str,
    outcome: str = "selesai",
    confirm: bool = False,
    note: str | None = None,
    occurred_at: datetime | None = None,
) -> tuple[EventInfo, bool]:
    """Log a service; ``(event, True)`` when stored now, ``(stored event, False)`` for a retry."""
    key = idempotency.check_key(idempotency_key)
    if kind not in SERVICE_KINDS:
        raise OpsInvalid("bad_option", option="jenis", value=kind, hint=" | ".join(SERVICE_KINDS))
    if outcome not in OUTCOMES:
        raise OpsInvalid("bad_option", option="outcome", value=outcome, hint=" | ".join(OUTCOMES))
    nik = check_nik(nik)
    now = utcnow()
    if occurred_at is not None:
        if occurred_at.tzinfo is None:
            raise OpsInvalid("ops_time_zone_needed")
        if occurred_at > now + FUTURE_TOLERANCE:
            raise OpsInvalid("ops_time_future")
    if directory.snapshot_id is None:
        raise SnapshotError("no_snapshot")
    note = fields.note(note)
    body = {
        "nik": nik,
        "jenis": kind,
        "service_point": service_point,
        "outcome": outcome,
        "note": note,
        "occurred_at": occurred_at.isoformat() if occurred_at else None,
    }
    digest = idempotency.body_hash(body)
    # The register snapshot is read before the write transaction, not inside it: it does not
    # change, and a lookup (milliseconds) must not hold the write lock (SQLite) or the NIK's
    # and the point's locks (PostgreSQL). Only the events since are read in the transaction.
    known, snapshot_status = directory.status(nik)
    ikd_in_register = kind == ServiceKind.AKTIVASI_IKD and register_ikd_active(directory, nik)

    def guard(s: Session) -> tuple[User, ServicePoint]:
        # The NIK's lock first (one order everywhere: the NIK, then the point): an identical
        # request still running is waited for, so the key look-up after this finds its event.
        lock_nik(s, nik)
        if actor is None:  # an event always names its operator
            raise PermissionDenied("ops_forbidden")
        operator, point = points.acting_at(s, actor, service_point, "write", lock=kind in PRINTS)
        assert operator is not None  # acting() returns the actor given, or refuses
        return operator, point

    since = directory.export_date if known else None
    history: list[ServiceEvent] = []

    def lookup(s: Session, guarded: tuple[User, ServicePoint]) -> ServiceEvent | None:
        # One statement, after the locks: the key's row at the point and the NIK's events since
        # the snapshot (what the rules judge), instead of one statement each.
        query = select(ServiceEvent).where(
            ((ServiceEvent.service_point_id == service_point) & (ServiceEvent.idempotency_key == key))
            | (
                (ServiceEvent.nik == nik)
                if since is None
                else ((ServiceEvent.nik == nik) & (ServiceEvent.service_date >= since))
            )
        )
        found = None
        history.clear()
        for e in s.scalars(query.order_by(ServiceEvent.occurred_at, ServiceEvent.id)):
            if e.service_point_id == service_point and e.idempotency_key == key:
                found = e
            if e.nik == nik and (since is None or e.service_date >= since):
                history.append(e)
        return idempotency.same_body(found, key, digest)

    def create(s: Session, guarded: tuple[User, ServicePoint]) -> ServiceEvent:
        operator, point = guarded
        status = residents.effective_status(
            snapshot_status, ((e.kind, e.outcome, e.duplicate_confirmed) for e in history)
        )
        duplicate = False
        if kind == ServiceKind.PEREKAMAN and residents.is_recorded(status):
            if not confirm:
                raise ConfirmationNeeded("ops_confirm_duplicate", status=status)
            duplicate = True
        if kind == ServiceKind.REKAM_ULANG:
            state = residents.state_of(status)
            if state is None or state is residents.RecordingState.BELUM_REKAM:
                raise OpsRefused("ops_rekam_ulang_not_recorded", status=status or "-")
            if state is not residents.RecordingState.PERLU_REKAM_ULANG:
                raise OpsRefused("ops_rekam_ulang_not_failed", status=status)
        if kind == ServiceKind.AKTIVASI_IKD:
            if not residents.is_recorded(status):
                raise OpsRefused("ops_ikd_not_recorded", status=status or "-")
            if ikd_in_register or ikd_activated(s, nik):
                raise OpsRefused("ops_ikd_already_active")
        if kind in PRINTS:
            refusal = _print_refusal(kind, known, status)
            if refusal:
                raise OpsRefused(refusal, status=status or "-")
            if blanko.balance(s, point.id) < 1:
                raise OpsRefused("ops_no_blanko", point=point.id)
        at = occurred_at or now
        day = points.local_date(point, at)
        if kind in PRINTS and point.daily_print_cap is not None:
            printed = prints_on(s, point.id, day)
            if printed >= point.daily_print_cap:
                raise OpsRefused(
                    "ops_print_cap_reached", point=point.id, cap=point.daily_print_cap, day=day.strftime("%d-%m-%Y")
                )
        event = ServiceEvent(
            service_point_id=point.id,
            idempotency_key=key,
            request_hash=digest,
            kind=kind,
            nik=nik,
            occurred_at=at,
            service_date=day,
            operator_id=operator.id,
            outcome=outcome,
            status_before=status,
            nik_known=known,
            siak_follow_up=not known,
            duplicate_confirmed=duplicate,
            note=note,
        )
        s.add(event)
        s.flush()
        if kind in PRINTS:
            blanko.take_one(s, point, "used" if outcome == "selesai" else "spoiled", event.id, at, day, operator.id)
        if (
            not known
            and s.scalars(select(FollowUp.id).where(FollowUp.nik == nik, FollowUp.kind == "nik_tidak_dikenal")).first()
            is None
        ):
            s.add(
                FollowUp(
                    kind="nik_tidak_dikenal",
                    nik=nik,
                    service_point_id=point.id,
                    reported_at=at,
                    reported_by=operator.id,
                    event_id=event.id,
                )
            )
        return event

    event, created = idempotency.run(db, ServiceEvent, service_point, key, digest, guard, create, lookup=lookup)
    if created:  # logged now, by the actor (checked in the transaction)
        return event_info(event, actor.username), True
    with db.read() as s:  # a retry (the guard checked the caller first): the stored event's operator
        name = s.get(User, event.operator_id).username  # type: ignore[union-attr]
    return event_info(event, name), False


def list_events(
    db: OpsDB,
    service_point: str,
    day: date | None = None,
    actor: User | None = None,
    kinds: Sequence[str] | None = None,
) -> list[EventInfo]:
    """The events of a point (on its local day ``day``), oldest first."""
    with db.read() as s:
        point = points.visible(s, actor, service_point, "read")
        query = select(ServiceEvent, User.username).join(User, User.id == ServiceEvent.operator_id)
        query = query.where(ServiceEvent.service_point_id == point.id)
        if day is not None:
            query = query.where(ServiceEvent.service_date == day)
        if kinds:
            query = query.where(ServiceEvent.kind.in_(list(kinds)))
        rows = s.execute(query.order_by(ServiceEvent.occurred_at, ServiceEvent.id)).all()
        return [event_info(e, name) for e, name in rows]
