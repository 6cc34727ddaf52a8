"""Jemput bola in the field (issue 20): a team leader's devices and the outcomes they send.

Devices. A ``tim`` user (a team leader: ``scope.py``) registers a phone when logging in on the
field page (``register_device``); the device's id is the ``dev`` claim of its token
(``web/auth.py``), and every request with such a token checks the device (``check``): a
device an admin or dinas revoked (``revoke``, audited) is refused with ``DeviceRevoked``
before anything is read or written.

Outcomes. A device sends what happened to each person at a stop (``record``), in batches of
at most ``MAX_BATCH``, each with a key the device made (a UUID). Each outcome is judged and
stored on its own (one outcome's refusal does not stop the others), exactly once per key:

    key unseen                      -> judged; stored (status stored, or already: see below)
    key seen with the same body     -> status already, nothing written
    key seen with another body      -> status refused, code idempotency_conflict

What each outcome does, through the desk's own rules (``events.log_event``,
``followup.report``) at the team's service point, with the device's key as the event's key:

    direkam          a perekaman (selesai)
    gagal_rekam      a perekaman (gagal)
    aktivasi_ikd     an aktivasi_ikd (refused like the desk's: not recorded, active already)
    pindah           a follow-up case (tindak lanjut) for SIAK
    meninggal        the same
    tidak_hadir, menolak, sudah_punya_ktp, belum_16      the field outcome only

One person, one recording: a direkam (or gagal_rekam) for someone already recorded (by the
register's snapshot, at a counter, or by another device of any team) records nothing more: the
outcome is stored linked to the earliest recording since the snapshot (``event_id``; None when
the snapshot itself says recorded) and answered ``already`` with code ``sudah_direkam``. The
events of one NIK are serialised (``events.lock_nik``): of two devices recording one person at
once, the first to commit wins.

An outcome names its person by ``ref`` (the by-name list's ``row_key``, resolved to the NIK by
the caller: ``refs``), by ``nik`` (checked as at the counter: the message names the wrong part),
or, for someone not on the list who has no NIK at hand, by name and birth date: then only the
outcomes that need no NIK (tidak_hadir, menolak, sudah_punya_ktp, belum_16) are accepted.

The event (or follow-up) and the field outcome are two transactions: a crash between them
leaves the event, and the device's retry (same key) finds it (``idempotency``) and stores the
outcome then. Every stored outcome writes an audit line (no NIK in it: the row holds it).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rekam.domain.services import ServiceKind
from rekam.errors import (
    ConfirmationNeeded,
    DeviceRevoked,
    IdempotencyConflict,
    NotAuthenticated,
    OpsInvalid,
    OpsNotFound,
    PermissionDenied,
    RekamUserError,
)
from rekam.ops import audit, events, fields, followup, idempotency, points, residents, scope
from rekam.ops.db import OpsDB
from rekam.ops.models import FieldDevice, FieldOutcomeRow, ServiceEvent, ServicePoint, User, utcnow

#: What a team can log for a person, in the order the field page offers them.
OUTCOMES = (
    "direkam",
    "gagal_rekam",
    "tidak_hadir",
    "menolak",
    "sudah_punya_ktp",
    "belum_16",
    "aktivasi_ikd",
    "pindah",
    "meninggal",
)
#: The outcomes that are a service event (kind, outcome) at the team's point.
EVENT_OUTCOMES = {
    "direkam": (ServiceKind.PEREKAMAN, "selesai"),
    "gagal_rekam": (ServiceKind.PEREKAMAN, "gagal"),
    "aktivasi_ikd": (ServiceKind.AKTIVASI_IKD, "selesai"),
}
#: The outcomes that are a case for SIAK follow-up (tindak lanjut).
FOLLOW_UP_OUTCOMES = ("pindah", "meninggal")
#: Outcomes a person without a NIK may have (nothing is logged at a desk for them).
WITHOUT_NIK = ("tidak_hadir", "menolak", "sudah_punya_ktp", "belum_16")
MAX_BATCH = 200
_STOP = re.compile(r"^(\d{4}-\d{2}-\d{2})/([A-Za-z0-9][A-Za-z0-9._-]{0,19})/([1-9]\d{0,3})$")
_LABEL_MAX = 100
_NAME_MAX = 200


@dataclass(frozen=True)
class Device:
    id: str
    username: str
    label: str
    created_at: datetime
    last_sync_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None
    team: str | None = None
    service_point: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def as_json(self) -> dict[str, object]:
        def iso(at: datetime | None) -> str | None:
            return at.isoformat(timespec="seconds") if at else None

        return {
            "id": self.id,
            "username": self.username,
            "label": self.label,
            "team": self.team,
            "service_point": self.service_point,
            "created_at": iso(self.created_at),
            "last_sync_at": iso(self.last_sync_at),
            "revoked_at": iso(self.revoked_at),
            "revoked_by": self.revoked_by,
        }


@dataclass(frozen=True)
class FieldOutcome:
    """One stored field outcome (``outcomes``); ``status`` is what the device was told
    (stored, or already: the person had been recorded before)."""

    key: str
    device_id: str
    username: str
    team: str
    service_point: str
    stop_id: str
    plan: str | None
    nik: str | None
    outcome: str
    occurred_at: datetime
    received_at: datetime
    event_id: int | None
    status: str = "stored"


@dataclass(frozen=True)
class Result:
    """The answer for one outcome of a batch: stored, already, or refused (with why)."""

    key: str
    status: str  # stored | already | refused
    message: str | None = None
    code: str | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"key": self.key, "status": self.status}
        if self.message is not None:
            out["message"] = self.message
        if self.code is not None:
            out["code"] = self.code
        return out


def _device(d: FieldDevice, user: User | None = None) -> Device:
    return Device(
        d.id,
        d.username,
        d.label,
        d.created_at,
        d.last_sync_at,
        d.revoked_at,
        d.revoked_by,
        user.team if user else None,
        user.service_point_id if user else None,
    )


def _actor_name(actor: User | None) -> str:
    from rekam.audit import current_user

    return actor.username if actor else f"cli:{current_user()}"


# -- devices ------------------------------------------------------------------------------------


def register_device(db: OpsDB, user: User, label: str | None) -> Device:
    """A new device of the ``tim`` user ``user`` (already authenticated), audited."""
    label = " ".join((fields.check_text(label, "label") or "").split())[:_LABEL_MAX] or "perangkat"
    with db.write() as s:
        acting = points.acting(s, user)
        if acting is None or acting.role != "tim" or not acting.team or not acting.service_point_id:
            raise PermissionDenied("field_tim_only")
        row = FieldDevice(id=secrets.token_hex(16), username=acting.username, label=label, created_at=utcnow())
        s.add(row)
        s.flush()
        audit.add(s, acting, "daftar_perangkat", service_point=acting.service_point_id, device=row.id, label=label)
        return _device(row, acting)


def check(db: OpsDB, device_id: str, username: str) -> Device:
    """The device ``device_id`` of ``username``, when it may still sync; ``DeviceRevoked`` when
    an admin revoked it, ``NotAuthenticated`` when it is not this user's (or unknown)."""
    with db.read() as s:
        row = s.get(FieldDevice, device_id) if isinstance(device_id, str) else None
        if row is None or row.username != username:
            raise NotAuthenticated("web_login_needed")
        if row.revoked_at is not None:
            raise DeviceRevoked("field_device_revoked")
        return _device(row)


def _devices_in_scope(s: Session, actor: User | None, action: scope.Action) -> list[tuple[FieldDevice, User | None]]:
    users = {u.username: u for u in s.scalars(select(User))}
    pts = {p.id: p for p in s.scalars(select(ServicePoint))}
    out = []
    for d in s.scalars(select(FieldDevice).order_by(FieldDevice.created_at, FieldDevice.id)):
        owner = users.get(d.username)
        point = pts.get(owner.service_point_id or "") if owner else None
        if actor is None or (point is not None and _may_revoke(actor, point, action)):
            out.append((d, owner))
    return out


def _may_revoke(actor: User, point: ServicePoint, action: scope.Action) -> bool:
    """Admins and dinas whose scope holds the device's point; a team leader reads its own."""
    if action == "read" and actor.role == "tim":
        return scope.may_point(actor, point, "read")
    return actor.role not in scope.POINT_ROLES and scope.may_point(actor, point, "manage")


def list_devices(db: OpsDB, actor: User | None = None) -> list[Device]:
    """The devices the actor may see (admin and dinas: of the points in their scope), oldest first."""
    with db.read() as s:
        return [_device(d, u) for d, u in _devices_in_scope(s, actor, "read")]


def revoke(db: OpsDB, device_id: str, actor: User | None = None) -> Device:
    """Revoke a device: from now on it syncs nothing (its unsent outcomes stay on it, for an admin
    to export). Audited. Revoking a revoked device changes nothing."""
    with db.write() as s:
        acting = points.acting(s, actor)
        row = s.get(FieldDevice, device_id) if isinstance(device_id, str) else None
        if row is None:
            raise OpsNotFound("field_unknown_device", device=points.shown_id(device_id))
        owner = s.scalars(select(User).where(User.username == row.username)).first()
        point = s.get(ServicePoint, owner.service_point_id) if owner and owner.service_point_id else None
        if acting is not None and (point is None or not _may_revoke(acting, point, "manage")):
            raise PermissionDenied("ops_forbidden")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            row.revoked_by = _actor_name(acting)
            audit.add(s, acting, "cabut_perangkat", service_point=point.id if point else None, device=row.id)
        return _device(row, owner)


# -- outcomes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    key: str
    stop_id: str
    ref: str | None
    nik: str | None
    name: str | None
    birth_date: date | None
    outcome: str
    occurred_at: datetime
    note: str | None

    def body(self) -> dict[str, Any]:
        """What is hashed for the key (the person as the device named them, not as resolved)."""
        return {
            "stop_id": self.stop_id,
            "ref": self.ref,
            "nik": self.nik,
            "name": self.name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "outcome": self.outcome,
            "occurred_at": self.occurred_at.isoformat(),
            "note": self.note,
        }


def _text(raw: Mapping[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise OpsInvalid("field_bad_value", field=name)
    return value


def _parse(raw: Mapping[str, Any], team: str) -> _Item:
    """One outcome as the device sent it, checked (``OpsInvalid`` naming the field)."""
    key = idempotency.check_key(_text(raw, "key"))
    outcome = _text(raw, "outcome")
    if outcome not in OUTCOMES:
        raise OpsInvalid("bad_option", option="outcome", value=str(outcome)[:30], hint=" | ".join(OUTCOMES))
    stop_id = _text(raw, "stop_id") or ""
    stop = _STOP.fullmatch(stop_id)
    if stop is None:
        raise OpsInvalid("field_bad_stop")
    if stop.group(2) != team:
        raise PermissionDenied("field_stop_other_team")
    at_text = _text(raw, "occurred_at")
    try:
        occurred_at = datetime.fromisoformat(at_text or "")
    except ValueError:
        raise OpsInvalid("field_bad_value", field="occurred_at") from None
    if occurred_at.tzinfo is None:
        raise OpsInvalid("ops_time_zone_needed")
    if occurred_at > utcnow() + events.FUTURE_TOLERANCE:
        raise OpsInvalid("ops_time_future")
    ref, nik_text = _text(raw, "ref"), _text(raw, "nik")
    nik = events.check_nik(nik_text) if nik_text is not None else None
    name = " ".join((fields.check_text(_text(raw, "name"), "name") or "").split())[:_NAME_MAX] or None
    born_text = _text(raw, "birth_date")
    try:
        born = date.fromisoformat(born_text) if born_text else None
    except ValueError:
        raise OpsInvalid("field_bad_value", field="birth_date") from None
    if ref is None and nik is None and (name is None or born is None):
        raise OpsInvalid("field_person_needed")
    return _Item(key, stop_id, ref, nik, name, born, outcome, occurred_at, fields.note(_text(raw, "note")))


def _refused(key: str, exc: RekamUserError) -> Result:
    code = "idempotency_conflict" if isinstance(exc, IdempotencyConflict) else exc.key
    return Result(key, "refused", str(exc), code)


def _key_of(raw: Any) -> str:
    value = raw.get("key") if isinstance(raw, Mapping) else None
    return value if isinstance(value, str) else ""


def _earliest_recording(s: Session, nik: str, since: date | None) -> int | None:
    """The first completed recording of the NIK since the snapshot's export (None: none)."""
    query = select(ServiceEvent.id).where(
        ServiceEvent.nik == nik,
        ServiceEvent.kind.in_([ServiceKind.PEREKAMAN, ServiceKind.REKAM_ULANG]),
        ServiceEvent.outcome == "selesai",
    )
    if since is not None:
        query = query.where(ServiceEvent.service_date >= since)
    return s.scalars(query.order_by(ServiceEvent.occurred_at, ServiceEvent.id).limit(1)).first()


def served_since(db: OpsDB, niks: Sequence[str], since: date) -> tuple[dict[str, date], dict[str, date]]:
    """Of these NIKs, those with a completed recording (perekaman or rekam ulang) and those with
    a completed IKD activation logged since ``since`` (a snapshot's export date), at a counter
    or in the field (a team's outcome is a service event at its point): each with the (local)
    day of its first such service. The team's day package marks them (``recorded_since``,
    ``ikd_since``) so that a team does not serve them again."""
    recorded: dict[str, date] = {}
    activated: dict[str, date] = {}
    wanted = sorted(set(niks))
    kinds = [str(k) for k in (ServiceKind.PEREKAMAN, ServiceKind.REKAM_ULANG, ServiceKind.AKTIVASI_IKD)]
    with db.read() as s:
        for i in range(0, len(wanted), 500):
            query = select(ServiceEvent.nik, ServiceEvent.kind, ServiceEvent.service_date).where(
                ServiceEvent.nik.in_(wanted[i : i + 500]), ServiceEvent.kind.in_(kinds), *events.completed_since(since)
            )
            for nik, kind, day in s.execute(query):
                into = activated if kind == ServiceKind.AKTIVASI_IKD else recorded
                if nik not in into or day < into[nik]:
                    into[nik] = day
    return recorded, activated


def record(
    db: OpsDB,
    directory: residents.Directory,
    actor: User,
    device_id: str,
    items: Sequence[Mapping[str, Any]],
    plan: str | None = None,
    refs: Mapping[str, str] | None = None,
) -> list[Result]:
    """Judge and store a device's outcomes (module docstring), one transaction each; the results
    in the order given. ``refs`` maps the lists' row keys to NIKs (the caller reads the register);
    ``plan`` names the plan the stops are of. ``DeviceRevoked`` (nothing stored) when the device
    was revoked; ``OpsInvalid`` for a batch over ``MAX_BATCH``."""
    if len(items) > MAX_BATCH:
        raise OpsInvalid("field_batch_too_large", limit=MAX_BATCH, count=len(items))
    check(db, device_id, actor.username)
    if actor.role != "tim" or not actor.team or not actor.service_point_id:
        raise PermissionDenied("field_tim_only")
    team, point_id = actor.team, actor.service_point_id
    out: list[Result] = []
    for raw in items:
        try:
            item = _parse(raw, team) if isinstance(raw, Mapping) else _parse({}, team)
            out.append(_one(db, directory, actor, device_id, team, point_id, plan, refs or {}, item))
        except DeviceRevoked:
            raise
        except RekamUserError as exc:
            out.append(_refused(_key_of(raw), exc))
    with db.write() as s:
        row = s.get(FieldDevice, device_id)
        if row is not None:
            row.last_sync_at = utcnow()
    return out


def _one(
    db: OpsDB,
    directory: residents.Directory,
    actor: User,
    device_id: str,
    team: str,
    point_id: str,
    plan: str | None,
    refs: Mapping[str, str],
    item: _Item,
) -> Result:
    digest = idempotency.body_hash(item.body())
    with db.read() as s:
        seen = s.scalars(select(FieldOutcomeRow).where(FieldOutcomeRow.key == item.key)).first()
        if seen is not None:
            return _seen(seen, digest)
    nik = item.nik
    if nik is None and item.ref is not None:
        nik = refs.get(item.ref)
        if nik is None:
            raise OpsInvalid("field_unknown_ref")
    if nik is None and item.outcome not in WITHOUT_NIK:
        raise OpsInvalid("field_nik_needed")
    event_id: int | None = None
    followup_id: int | None = None
    result, code, message = "stored", None, None
    if nik is not None and item.outcome in EVENT_OUTCOMES:
        kind, outcome = EVENT_OUTCOMES[item.outcome]
        try:
            event, _ = events.log_event(
                db, directory, actor, nik, kind, point_id, item.key, outcome, False, item.note, item.occurred_at
            )
            event_id = event.id
        except ConfirmationNeeded:  # recorded already: one person, one recording
            with db.read() as s:
                known = directory.status(nik)[0]
                event_id = _earliest_recording(s, nik, directory.export_date if known else None)
            result, code = "already", "sudah_direkam"
            from rekam.messages import text

            message = text("field_already_recorded")
    elif nik is not None and item.outcome in FOLLOW_UP_OUTCOMES:
        followup_id, _ = followup.report(db, actor, nik, item.outcome, point_id, item.key, item.note)
    row_id = _store(db, actor, device_id, team, point_id, plan, item, nik, digest, result, event_id, followup_id)
    if row_id is None:  # another request stored this key meanwhile
        with db.read() as s:
            seen = s.scalars(select(FieldOutcomeRow).where(FieldOutcomeRow.key == item.key)).first()
        if seen is None:  # pragma: no cover - the unique key's race ends with a row
            raise OpsInvalid("ops_bad_key")
        return _seen(seen, digest)
    return Result(item.key, result, message, code)


def _seen(row: FieldOutcomeRow, digest: str) -> Result:
    if row.request_hash != digest:
        return _refused(row.key, IdempotencyConflict("ops_key_conflict", idempotency_key=row.key))
    return Result(row.key, "already", None, "sudah_diterima")


def _store(
    db: OpsDB,
    actor: User,
    device_id: str,
    team: str,
    point_id: str,
    plan: str | None,
    item: _Item,
    nik: str | None,
    digest: str,
    result: str,
    event_id: int | None,
    followup_id: int | None,
) -> int | None:
    """The outcome's row and its audit line, in one transaction (None: the key was stored meanwhile)."""
    try:
        with db.write() as s:
            acting = points.acting(s, actor)
            device = s.get(FieldDevice, device_id)
            if device is None or device.revoked_at is not None:  # revoked while the batch ran
                raise DeviceRevoked("field_device_revoked")
            row = FieldOutcomeRow(
                key=item.key,
                request_hash=digest,
                device_id=device_id,
                username=actor.username,
                team=team,
                service_point_id=point_id,
                stop_id=item.stop_id,
                plan=plan,
                nik=nik,
                name=item.name if nik is None else None,
                birth_date=item.birth_date if nik is None else None,
                outcome=item.outcome,
                result=result,
                occurred_at=item.occurred_at,
                received_at=utcnow(),
                event_id=event_id,
                followup_id=followup_id,
                note=item.note,
            )
            s.add(row)
            s.flush()
            audit.add(
                s,
                acting,
                "hasil_lapangan",
                service_point=point_id,
                device=device_id,
                stop_id=item.stop_id,
                outcome=item.outcome,
                result=result,
                key=item.key,
            )
            return row.id
    except IntegrityError:
        return None


def outcomes(
    db: OpsDB, since: date | None = None, until: date | None = None, team: str | None = None
) -> list[FieldOutcome]:
    """The stored field outcomes, oldest first: of one ``team`` if given, that happened from day
    ``since`` to day ``until`` (both included; the local day at the team's point)."""
    with db.read() as s:
        query = select(FieldOutcomeRow, ServicePoint.timezone).join(
            ServicePoint, ServicePoint.id == FieldOutcomeRow.service_point_id
        )
        if team is not None:
            query = query.where(FieldOutcomeRow.team == team)
        if since is not None:  # a day's margin for the time zones; the exact day is checked below
            query = query.where(
                FieldOutcomeRow.occurred_at >= datetime.combine(since, datetime.min.time(), UTC) - timedelta(days=1)
            )
        if until is not None:
            query = query.where(
                FieldOutcomeRow.occurred_at < datetime.combine(until, datetime.min.time(), UTC) + timedelta(days=2)
            )
        found = []
        for r, tz in s.execute(query.order_by(FieldOutcomeRow.occurred_at, FieldOutcomeRow.id)):
            day = r.occurred_at.astimezone(ZoneInfo(tz or "Asia/Jakarta")).date()
            if (since and day < since) or (until and day > until):
                continue
            found.append(
                FieldOutcome(
                    r.key,
                    r.device_id,
                    r.username,
                    r.team,
                    r.service_point_id,
                    r.stop_id,
                    r.plan,
                    r.nik,
                    r.outcome,
                    r.occurred_at,
                    r.received_at,
                    r.event_id,
                    r.result,
                )
            )
        return found
