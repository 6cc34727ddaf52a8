"""Cases for SIAK follow-up, as rows for an export: NIKs served at a desk but not in the
register (a newcomer, or a NIK SIAK lost), and residents reported moved, dead or abroad,
at a desk (``report``) or by a field team (``rekam verify``'s outcomes).

SIAK stays the source of truth: these are reported, never applied to the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from rekam.errors import OpsInvalid
from rekam.ops import events, fields, idempotency, points, scope
from rekam.ops.db import OpsDB
from rekam.ops.models import FollowUp, ServicePoint, User, utcnow

KINDS = ("nik_tidak_dikenal", "pindah", "meninggal", "luar_negeri")
REPORTED = ("pindah", "meninggal", "luar_negeri")
# rekam verify's outcomes (analytics/quality.py FOLLOW_UP) -> follow-up kinds
FIELD_OUTCOMES = {"pindah domisili": "pindah", "meninggal": "meninggal", "di luar negeri": "luar_negeri"}
COLUMNS = ("kind", "nik", "source", "service_point", "region", "reported_at", "note")
DEFAULT_TZ = "Asia/Jakarta"


@dataclass(frozen=True)
class FollowUpRow:
    kind: str
    nik: str
    source: str  # loket (a desk) | lapangan (a field team)
    service_point: str | None
    region: str | None  # the point's region, or the desa of a field report
    reported_at: str
    note: str | None
    timezone: str = DEFAULT_TZ  # the point's (a field report: Western Indonesia Time)
    service_point_name: str | None = None

    def as_row(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


def report(
    db: OpsDB,
    actor: User | None,
    nik: str,
    kind: str,
    service_point: str,
    idempotency_key: str,
    note: str | None = None,
) -> tuple[int, bool]:
    """A resident reported moved, dead or abroad at a desk; ``(id, created)``."""
    key = idempotency.check_key(idempotency_key)
    if kind not in REPORTED:
        raise OpsInvalid("bad_option", option="kind", value=kind, hint=" | ".join(REPORTED))
    nik = events.check_nik(nik)
    note = fields.note(note)
    digest = idempotency.body_hash({"nik": nik, "kind": kind, "service_point": service_point, "note": note})

    def guard(s: Session) -> ServicePoint:
        return points.visible(s, actor, service_point, "write")

    def create(s: Session, point: ServicePoint) -> FollowUp:
        row = FollowUp(
            kind=kind,
            nik=nik,
            service_point_id=point.id,
            reported_at=utcnow(),
            reported_by=actor.id if actor else None,
            idempotency_key=key,
            request_hash=digest,
            note=note,
        )
        s.add(row)
        return row

    row, created = idempotency.run(db, FollowUp, service_point, key, digest, guard, create)
    return row.id, created


def rows(
    db: OpsDB,
    actor: User | None = None,
    region: str | None = None,
    since: datetime | None = None,
    field: dict[str, dict[str, Any]] | None = None,
) -> list[FollowUpRow]:
    """One row per (kind, NIK): the first report of it, at the desks in the caller's scope
    (within ``region``) and, from ``field`` (verifications.latest), the field teams'."""
    scope.require(actor is None or actor.role not in scope.POINT_ROLES or region is None)
    out: dict[tuple[str, str], FollowUpRow] = {}
    with db.read() as s:
        query = select(FollowUp, ServicePoint).join(ServicePoint, ServicePoint.id == FollowUp.service_point_id)
        if since is not None:
            query = query.where(FollowUp.reported_at >= since)
        for f, p in s.execute(query.order_by(FollowUp.reported_at, FollowUp.id)):
            if not scope.may_point(actor, p, "read") or (region and not scope.within(p.region, region)):
                continue
            out.setdefault(
                (f.kind, f.nik),
                FollowUpRow(
                    f.kind,
                    f.nik,
                    "loket",
                    p.id,
                    p.region,
                    f.reported_at.isoformat(timespec="seconds"),
                    f.note,
                    p.timezone or DEFAULT_TZ,
                    p.name,
                ),
            )
    for nik, v in sorted((field or {}).items()):
        kind = FIELD_OUTCOMES.get(v.get("outcome", ""))
        desa = v.get("desa_code")
        if kind is None or (region and not (desa and scope.within(desa, region))):
            continue
        if actor is not None and not scope.may_region(actor, desa):
            continue
        out.setdefault(
            (kind, nik), FollowUpRow(kind, nik, "lapangan", None, desa, v.get("verified_at", ""), v.get("note") or None)
        )
    return sorted(out.values(), key=lambda r: (r.kind, r.region or "", r.nik))


def reported_time(row: FollowUpRow) -> datetime | None:
    """When the case was reported, as an aware datetime (None when the report has no time)."""
    try:
        at = datetime.fromisoformat(str(row.reported_at))
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def within(
    found: list[FollowUpRow], kind: str | None = None, since: date | None = None, until: date | None = None
) -> list[FollowUpRow]:
    """The rows of one ``kind`` (None: every kind) reported from day ``since`` to day ``until``
    (both included; the local day at the place of the report)."""
    if kind is not None and kind not in KINDS:
        raise OpsInvalid("bad_option", option="jenis", value=kind, hint=" | ".join(KINDS))
    out = []
    for r in found:
        if kind and r.kind != kind:
            continue
        if since or until:
            at = reported_time(r)
            day = at.astimezone(ZoneInfo(r.timezone)).date() if at else None
            if day is None or (since and day < since) or (until and day > until):
                continue
        out.append(r)
    return out
