"""Queue tickets per service point and day: take a number, call the next, served or no-show.

Numbers start at 1 each local day at the point. ``take`` is idempotent on its key (a retried
tap prints the same number); ``call_next`` on its optional key (a retried call does not skip
a person); finishing a ticket twice the same way is a no-op, a different way is refused.
Waiting time = called_at - taken_at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rekam.domain.services import SERVICE_KINDS
from rekam.errors import OpsInvalid, OpsNotFound, OpsRefused
from rekam.ops import idempotency, points
from rekam.ops.db import OpsDB
from rekam.ops.models import QueueTicket, ServicePoint, User, utcnow

STATES = ("waiting", "called", "served", "no_show")


@dataclass(frozen=True)
class TicketInfo:
    id: int
    service_point: str
    service_date: date
    number: int
    state: str
    service_kind: str | None
    taken_at: datetime
    called_at: datetime | None
    finished_at: datetime | None

    @property
    def waiting_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return round((self.called_at - self.taken_at).total_seconds() / 60, 1)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "service_point": self.service_point,
            "service_date": self.service_date.isoformat(),
            "number": self.number,
            "state": self.state,
            "service_kind": self.service_kind,
            "taken_at": self.taken_at.isoformat(),
            "called_at": self.called_at.isoformat() if self.called_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "waiting_minutes": self.waiting_minutes,
        }


def ticket_info(t: QueueTicket) -> TicketInfo:
    return TicketInfo(
        t.id,
        t.service_point_id,
        t.service_date,
        t.number,
        t.state,
        t.service_kind,
        t.taken_at,
        t.called_at,
        t.finished_at,
    )


def take(
    db: OpsDB, service_point: str, idempotency_key: str, actor: User | None = None, service_kind: str | None = None
) -> tuple[TicketInfo, bool]:
    key = idempotency.check_key(idempotency_key)
    if service_kind is not None and service_kind not in SERVICE_KINDS:
        raise OpsInvalid("bad_option", option="jenis", value=service_kind, hint=" | ".join(SERVICE_KINDS))
    digest = idempotency.body_hash({"service_point": service_point, "service_kind": service_kind})

    def guard(s: Session) -> ServicePoint:
        return points.visible(s, actor, service_point, "write", lock=True)

    def create(s: Session, point: ServicePoint) -> QueueTicket:
        at = utcnow()
        day = points.local_date(point, at)
        last = s.scalar(
            select(func.max(QueueTicket.number)).where(
                QueueTicket.service_point_id == point.id, QueueTicket.service_date == day
            )
        )
        ticket = QueueTicket(
            service_point_id=point.id,
            service_date=day,
            number=(last or 0) + 1,
            idempotency_key=key,
            request_hash=digest,
            service_kind=service_kind,
            state="waiting",
            taken_at=at,
        )
        s.add(ticket)
        return ticket

    row, created = idempotency.run(db, QueueTicket, service_point, key, digest, guard, create)
    return ticket_info(row), created


def call_next(
    db: OpsDB, service_point: str, actor: User | None = None, idempotency_key: str | None = None
) -> TicketInfo:
    """Call the longest-waiting ticket of today; OpsRefused ``ops_queue_empty`` when none waits."""
    key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
    with db.write() as s:
        point = points.visible(s, actor, service_point, "write", lock=True)
        if key is not None:
            done = s.scalars(
                select(QueueTicket).where(QueueTicket.service_point_id == point.id, QueueTicket.call_key == key)
            ).first()
            if done is not None:
                return ticket_info(done)
        at = utcnow()
        ticket = s.scalars(
            select(QueueTicket)
            .where(
                QueueTicket.service_point_id == point.id,
                QueueTicket.service_date == points.local_date(point, at),
                QueueTicket.state == "waiting",
            )
            .order_by(QueueTicket.number)
            .limit(1)
            .with_for_update()
        ).first()
        if ticket is None:
            raise OpsRefused("ops_queue_empty", point=point.id)
        ticket.state, ticket.called_at, ticket.call_key = "called", at, key
        ticket.called_by = actor.id if actor else None
        return ticket_info(ticket)


def finish(
    db: OpsDB, service_point: str, number: int, state: str, day: date | None = None, actor: User | None = None
) -> TicketInfo:
    """Mark a called ticket ``served`` or ``no_show`` (today's, unless ``day`` is given)."""
    if state not in ("served", "no_show"):
        raise OpsInvalid("bad_option", option="state", value=state, hint="served | no_show")
    with db.write() as s:
        point = points.visible(s, actor, service_point, "write")
        day = day or points.local_date(point, utcnow())
        ticket = s.scalars(
            select(QueueTicket)
            .where(
                QueueTicket.service_point_id == point.id, QueueTicket.service_date == day, QueueTicket.number == number
            )
            .with_for_update()
        ).first()
        if ticket is None:
            raise OpsNotFound("ops_unknown_ticket", number=number, day=day.isoformat())
        if ticket.state == state:
            return ticket_info(ticket)
        if ticket.state != "called":
            raise OpsRefused("ops_ticket_state", number=number, state=ticket.state)
        ticket.state, ticket.finished_at = state, utcnow()
        return ticket_info(ticket)


def tickets(db: OpsDB, service_point: str, day: date | None = None, actor: User | None = None) -> list[TicketInfo]:
    with db.read() as s:
        point = points.visible(s, actor, service_point, "read")
        day = day or points.local_date(point, utcnow())
        rows = s.scalars(
            select(QueueTicket)
            .where(QueueTicket.service_point_id == point.id, QueueTicket.service_date == day)
            .order_by(QueueTicket.number)
        )
        return [ticket_info(t) for t in rows]
