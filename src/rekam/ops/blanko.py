"""The blanko (blank KTP-el card) ledger of each service point.

Every movement is one signed row; the balance is their sum:

    received      +n   cards arrived (from the Dinas, the province, the Ditjen warehouse)
    used          -1   a card printed (written by the print event, in its transaction)
    spoiled       -n   a card damaged: a failed print (-1, by its event) or found damaged in stock
    returned      -n   sent back (to the Dinas or the province)
    transfer_out  -n   moved to another point of the same kab/kota; the same transaction
                       writes its transfer_in there
    transfer_in   +n   (only through a transfer_out)

A transfer names its counterpart, which must be a point of the sending point's own kab/kota
(both books are then kept under one Dinas, which answers for both, and the receiving point's
transfer_in may be written by the sender). Any other counterpart (another kab/kota or province,
an unknown id) is refused with one message (``ops_transfer_counterpart_outside``, HTTP 422),
so the answer tells nothing about points elsewhere; nothing is stored. Blanko that leave the
kab/kota are ``returned`` here and ``received`` at the other end, by someone who may write there.
    adjustment    +/-  the difference a physical count found (see ``count``)

A physical count stores the book balance at that moment (``expected``), the cards counted
and the difference, and writes an ``adjustment`` of that difference, so the book agrees
with the shelf afterwards; the difference stays reported in the count and the day's
reconciliation. Outflows larger than the balance are refused. Balance checks lock the point
row (PostgreSQL ``FOR UPDATE``; SQLite writers hold the write lock), so two prints cannot
both take the last card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rekam.domain.region import parse_region
from rekam.errors import OpsInvalid, OpsNotFound, OpsRefused
from rekam.ops import fields, idempotency, points
from rekam.ops.db import OpsDB
from rekam.ops.models import BlankoCount, BlankoEntry, ServicePoint, User, utcnow

KINDS = ("received", "used", "spoiled", "returned", "transfer_out", "transfer_in", "adjustment")
MANUAL = ("received", "spoiled", "returned", "transfer_out")
OUTFLOWS = ("spoiled", "returned", "transfer_out")
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class EntryInfo:
    id: int
    service_point: str
    kind: str
    quantity: int
    occurred_at: datetime
    service_date: date
    counterpart: str | None
    event_id: int | None
    idempotency_key: str | None
    note: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "service_point": self.service_point,
            "kind": self.kind,
            "quantity": self.quantity,
            "occurred_at": self.occurred_at.isoformat(),
            "service_date": self.service_date.isoformat(),
            "counterpart": self.counterpart,
            "event_id": self.event_id,
            "idempotency_key": self.idempotency_key,
            "note": self.note,
        }


def entry_info(e: BlankoEntry) -> EntryInfo:
    return EntryInfo(
        e.id,
        e.service_point_id,
        e.kind,
        e.quantity,
        e.occurred_at,
        e.service_date,
        e.counterpart_point_id,
        e.event_id,
        e.idempotency_key,
        e.note,
    )


@dataclass(frozen=True)
class CountInfo:
    id: int
    service_point: str
    counted: int
    expected: int
    difference: int
    occurred_at: datetime
    service_date: date
    idempotency_key: str
    note: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "service_point": self.service_point,
            "counted": self.counted,
            "expected": self.expected,
            "difference": self.difference,
            "occurred_at": self.occurred_at.isoformat(),
            "service_date": self.service_date.isoformat(),
            "idempotency_key": self.idempotency_key,
            "note": self.note,
        }


def count_info(c: BlankoCount) -> CountInfo:
    return CountInfo(
        c.id,
        c.service_point_id,
        c.counted,
        c.expected,
        c.difference,
        c.occurred_at,
        c.service_date,
        c.idempotency_key,
        c.note,
    )


def balance(session: Session, point_id: str, before: date | None = None) -> int:
    """Cards at the point now (or at the start of day ``before``)."""
    query = select(func.coalesce(func.sum(BlankoEntry.quantity), 0)).where(BlankoEntry.service_point_id == point_id)
    if before is not None:
        query = query.where(BlankoEntry.service_date < before)
    return int(session.scalar(query) or 0)


def kab_kota(region: str) -> str:
    """The kab/kota (dotted) a point's region lies in."""
    return parse_region(region).at_level("kab").dotted


def _counterpart(session: Session, point: ServicePoint, counterpart: str) -> ServicePoint:
    """The receiving point of a transfer from ``point``: a point of the same kab/kota. Unknown
    and elsewhere are one refusal (nothing about other regions' points is told)."""
    where = kab_kota(point.region)
    try:
        other = points.get(session, counterpart)
    except OpsNotFound:
        other = None
    if other is None or other.id == point.id or kab_kota(other.region) != where:
        raise OpsRefused(
            "ops_transfer_counterpart_outside", point=point.id, counterpart=points.shown_id(counterpart), region=where
        )
    return other


def take_one(
    session: Session, point: ServicePoint, kind: str, event_id: int, at: datetime, day: date, actor_id: int
) -> BlankoEntry:
    """One card out for a print event (``used``, or ``spoiled`` for a failed print); the caller
    holds the point's lock and has checked the balance."""
    entry = BlankoEntry(
        service_point_id=point.id,
        kind=kind,
        quantity=-1,
        occurred_at=at,
        service_date=day,
        actor_id=actor_id,
        event_id=event_id,
    )
    session.add(entry)
    return entry


def record(
    db: OpsDB,
    point_id: str,
    kind: str,
    quantity: int,
    idempotency_key: str,
    actor: User | None = None,
    counterpart: str | None = None,
    note: str | None = None,
) -> tuple[EntryInfo, bool]:
    """A manual movement (received, spoiled, returned, transfer_out to ``counterpart``)."""
    key = idempotency.check_key(idempotency_key)
    if kind not in MANUAL:
        raise OpsInvalid("bad_option", option="kind", value=kind, hint=" | ".join(MANUAL))
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise OpsInvalid("ops_bad_quantity", value=quantity, max=MAX_QUANTITY)
    if (kind == "transfer_out") != (counterpart is not None):
        raise OpsInvalid("ops_transfer_counterpart")
    if counterpart == point_id:
        raise OpsInvalid("ops_transfer_same_point", point=point_id)
    note = fields.note(note)
    digest = idempotency.body_hash(
        {"service_point": point_id, "kind": kind, "quantity": quantity, "counterpart": counterpart, "note": note}
    )

    def guard(s: Session) -> ServicePoint:
        return points.visible(s, actor, point_id, "write", lock=True)

    def create(s: Session, point: ServicePoint) -> BlankoEntry:
        other = _counterpart(s, point, counterpart) if counterpart is not None else None
        if kind in OUTFLOWS and balance(s, point.id) < quantity:
            raise OpsRefused("ops_blanko_not_enough", point=point.id, left=balance(s, point.id), asked=quantity)
        at = utcnow()
        sign = -1 if kind in OUTFLOWS else 1
        entry = BlankoEntry(
            service_point_id=point.id,
            kind=kind,
            quantity=sign * quantity,
            occurred_at=at,
            service_date=points.local_date(point, at),
            actor_id=actor.id if actor else None,
            counterpart_point_id=counterpart,
            idempotency_key=key,
            request_hash=digest,
            note=note,
        )
        s.add(entry)
        if other is not None:
            s.flush()
            s.add(
                BlankoEntry(
                    service_point_id=other.id,
                    kind="transfer_in",
                    quantity=quantity,
                    occurred_at=at,
                    service_date=points.local_date(other, at),
                    actor_id=actor.id if actor else None,
                    counterpart_point_id=point.id,
                    transfer_of=entry.id,
                    note=note,
                )
            )
        return entry

    row, created = idempotency.run(db, BlankoEntry, point_id, key, digest, guard, create)
    return entry_info(row), created


def count(
    db: OpsDB, point_id: str, counted: int, idempotency_key: str, actor: User | None = None, note: str | None = None
) -> tuple[CountInfo, bool]:
    """A physical count: stores the book balance and the difference, and adjusts the book."""
    key = idempotency.check_key(idempotency_key)
    if not isinstance(counted, int) or isinstance(counted, bool) or not 0 <= counted <= MAX_QUANTITY:
        raise OpsInvalid("ops_bad_count", value=counted, max=MAX_QUANTITY)
    note = fields.note(note)
    digest = idempotency.body_hash({"service_point": point_id, "counted": counted, "note": note})

    def guard(s: Session) -> ServicePoint:
        return points.visible(s, actor, point_id, "write", lock=True)

    def create(s: Session, point: ServicePoint) -> BlankoCount:
        expected = balance(s, point.id)
        at = utcnow()
        day = points.local_date(point, at)
        row = BlankoCount(
            service_point_id=point.id,
            counted=counted,
            expected=expected,
            difference=counted - expected,
            occurred_at=at,
            service_date=day,
            actor_id=actor.id if actor else None,
            idempotency_key=key,
            request_hash=digest,
            note=note,
        )
        s.add(row)
        if counted != expected:
            s.flush()
            s.add(
                BlankoEntry(
                    service_point_id=point.id,
                    kind="adjustment",
                    quantity=counted - expected,
                    occurred_at=at,
                    service_date=day,
                    actor_id=actor.id if actor else None,
                    count_id=row.id,
                    note=note,
                )
            )
        return row

    row, created = idempotency.run(db, BlankoCount, point_id, key, digest, guard, create)
    return count_info(row), created


def current(db: OpsDB, point_id: str, actor: User | None = None) -> int:
    """The blanko left at the point."""
    with db.read() as s:
        point = points.visible(s, actor, point_id, "read")
        return balance(s, point.id)


def entries(db: OpsDB, point_id: str, day: date | None = None, actor: User | None = None) -> list[EntryInfo]:
    with db.read() as s:
        point = points.visible(s, actor, point_id, "read")
        query = select(BlankoEntry).where(BlankoEntry.service_point_id == point.id)
        if day is not None:
            query = query.where(BlankoEntry.service_date == day)
        return [entry_info(e) for e in s.scalars(query.order_by(BlankoEntry.id))]


def counterparts(db: OpsDB, point_id: str, actor: User | None = None) -> list[points.PointInfo]:
    """The points a transfer from ``point_id`` may go to (the other points of its kab/kota), for
    whoever may write at the point: an operator chooses among them without seeing them otherwise."""
    with db.read() as s:
        point = points.visible(s, actor, point_id, "write")
        where = kab_kota(point.region)
        found = s.scalars(select(ServicePoint).order_by(ServicePoint.name, ServicePoint.id)).all()
        return [points.info(p) for p in found if p.id != point.id and kab_kota(p.region) == where]
