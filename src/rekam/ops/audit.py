"""The ops audit log: every by-name access made through ops (a NIK lookup, a name search,
the follow-up export), one row each, written in the same database as the data it guards.

The command line's by-name outputs (lists, match results, itineraries) keep writing
``rekam.audit``'s JSON-lines file in REKAM_HOME: they run on a PC that may not reach the ops
server, and a list must not wait on it. ``rekam audit`` reads both, merged by time.

``subject`` holds the NIK(s) shown (the point of the log is who saw whom); it is personal
data, shown masked unless asked for. ``details`` is JSON without personal data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rekam.ops.db import OpsDB
from rekam.ops.models import AuditEntry, User, utcnow


@dataclass(frozen=True)
class AuditInfo:
    at: datetime
    user: str
    action: str
    subject: str | None
    service_point: str | None
    region: str | None
    details: dict[str, Any]


def add(
    session: Session,
    actor: User | None,
    action: str,
    subject: str | None = None,
    service_point: str | None = None,
    region: str | None = None,
    **details: Any,
) -> None:
    """Add an audit row in the caller's transaction (it commits with the access it records)."""
    from rekam.audit import current_user

    session.add(
        AuditEntry(
            at=utcnow(),
            username=actor.username if actor else f"cli:{current_user()}",
            action=action,
            subject=subject,
            service_point_id=service_point,
            region=region,
            details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
        )
    )


def record(
    db: OpsDB,
    actor: User | None,
    action: str,
    subject: str | None = None,
    service_point: str | None = None,
    region: str | None = None,
    **details: Any,
) -> None:
    with db.write() as s:
        add(s, actor, action, subject, service_point, region, **details)


def entries(db: OpsDB, since: datetime | None = None, user: str | None = None) -> list[AuditInfo]:
    with db.read() as s:
        query = select(AuditEntry)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        if user is not None:
            query = query.where(AuditEntry.username == user)
        rows = s.scalars(query.order_by(AuditEntry.at, AuditEntry.id)).all()
        return [
            AuditInfo(
                r.at,
                r.username,
                r.action,
                r.subject,
                r.service_point_id,
                r.region,
                json.loads(r.details) if r.details else {},
            )
            for r in rows
        ]
