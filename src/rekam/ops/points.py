"""Service points: the Dinas office, kecamatan offices, malls pelayanan publik (mpp) and
mobile teams (keliling). A point belongs to a kab/kota (its region is the kab/kota or a
kecamatan/desa in it) and has a time zone (default Asia/Jakarta, WIB) in which its days and
times are shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from rekam.errors import OpsInvalid, OpsNotFound, PermissionDenied
from rekam.ops import audit, fields, scope
from rekam.ops.db import OpsDB
from rekam.ops.models import ServicePoint, User
from rekam.ops.regions import known_region

KINDS = ("dinas", "kecamatan", "mpp", "keliling")
DEFAULT_TIMEZONE = "Asia/Jakarta"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


@dataclass(frozen=True)
class PointInfo:
    id: str
    name: str
    region: str
    kind: str
    timezone: str
    daily_print_cap: int | None = None

    def as_json(self) -> dict[str, str | int | None]:
        return {
            "id": self.id,
            "name": self.name,
            "region": self.region,
            "kind": self.kind,
            "timezone": self.timezone,
            "daily_print_cap": self.daily_print_cap,
        }


def info(p: ServicePoint) -> PointInfo:
    return PointInfo(p.id, p.name, p.region, p.kind, p.timezone, p.daily_print_cap)


def local_date(point: ServicePoint, at: datetime) -> date:
    """The day at the point (its time zone) of the aware time ``at``."""
    return at.astimezone(ZoneInfo(point.timezone)).date()


def get(session: Session, point_id: str, lock: bool = False) -> ServicePoint:
    """The point ``point_id``; with ``lock`` its row is locked until the transaction ends
    (PostgreSQL ``FOR UPDATE``; SQLite writers already hold the database's write lock).
    An id no point can have (a control character, a NUL) is unknown without asking the database."""
    if not isinstance(point_id, str) or not _ID.fullmatch(point_id):
        raise OpsNotFound("ops_unknown_point", point=shown_id(point_id))
    query = select(ServicePoint).where(ServicePoint.id == point_id)
    if lock:
        query = query.with_for_update(key_share=True)  # FOR NO KEY UPDATE: inserts referring to the point go on
    point = session.scalars(query).first()
    if point is None:
        raise OpsNotFound("ops_unknown_point", point=point_id)
    return point


def shown_id(point_id: object) -> str:
    """A point id fit for a message: printable ASCII only, at most 32 characters."""
    return "".join(ch if " " < ch < "\x7f" else "?" for ch in str(point_id))[:32]


def acting(session: Session, actor: User | None) -> User | None:
    """The actor as the database holds it now, read in the caller's transaction (None: the
    local administrator). A web token's user is cached for seconds; every write calls this in
    its own transaction, so a user disabled (or removed) meanwhile writes nothing."""
    if actor is None:
        return None
    user = session.get(User, actor.id)
    if user is None or user.disabled:
        raise PermissionDenied("ops_forbidden")
    return user


def visible(
    session: Session, actor: User | None, point_id: str, action: scope.Action = "read", lock: bool = False
) -> ServicePoint:
    """The point, when ``actor`` may ``action`` it; else PermissionDenied. For a write (or
    manage) the actor is re-read in the transaction first (``acting``)."""
    if action != "read":
        actor = acting(session, actor)
    point = get(session, point_id, lock=lock)
    scope.require(scope.may_point(actor, point, action))
    return point


def acting_at(
    session: Session, actor: User | None, point_id: str, action: scope.Action = "write", lock: bool = False
) -> tuple[User | None, ServicePoint]:
    """``(acting(actor), visible(point))`` in one statement: the actor's row and the point's
    (locked with ``lock``) read together, as a write does on every request. Any refusal (the
    actor disabled or gone, the point unknown) is found by the two reads one after the other,
    so the answer is the one ``visible`` gives."""
    if actor is not None and isinstance(point_id, str) and _ID.fullmatch(point_id):
        query = select(ServicePoint, User).join(User, User.id == actor.id).where(ServicePoint.id == point_id)
        if lock:
            query = query.with_for_update(key_share=True, of=ServicePoint)
        row = session.execute(query).first()
        if row is not None and not row[1].disabled:
            point, user = row
            scope.require(scope.may_point(user, point, action))
            return user, point
    operator = acting(session, actor)
    return operator, visible(session, operator, point_id, action, lock=lock)


def add_point(
    db: OpsDB,
    point_id: str,
    name: str,
    region: str,
    kind: str,
    timezone: str = DEFAULT_TIMEZONE,
    actor: User | None = None,
) -> PointInfo:
    if not _ID.fullmatch(point_id or ""):
        raise OpsInvalid("ops_bad_point_id", point=point_id)
    if not name or not name.strip() or len(name) > 200:
        raise OpsInvalid("ops_bad_name")
    fields.check_text(name, "name")
    if kind not in KINDS:
        raise OpsInvalid("bad_option", option="--kind", value=kind, hint=" | ".join(KINDS))
    code = known_region(region)
    if code.level == "prov":
        raise OpsInvalid("ops_point_region_level", code=code.dotted)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise OpsInvalid(
            "bad_option", option="--timezone", value=timezone, hint="Asia/Jakarta, Asia/Makassar, Asia/Jayapura"
        ) from None
    point = ServicePoint(id=point_id, name=name.strip(), region=code.dotted, kind=kind, timezone=timezone)
    with db.write() as s:
        scope.require(scope.may_point(actor, point, "manage"))
        if s.get(ServicePoint, point_id) is not None:
            raise OpsInvalid("ops_point_exists", point=point_id)
        s.add(point)
    return info(point)


def list_points(db: OpsDB, actor: User | None = None, region: str | None = None) -> list[PointInfo]:
    with db.read() as s:
        points = s.scalars(select(ServicePoint).order_by(ServicePoint.region, ServicePoint.id)).all()
        prefix = known_region(region).dotted if region else None
        return [
            info(p)
            for p in points
            if scope.may_point(actor, p, "read") and (prefix is None or scope.within(p.region, prefix))
        ]


MAX_PRINT_CAP = 100_000


def set_print_cap(db: OpsDB, point_id: str, cap: int | None, actor: User | None = None) -> PointInfo:
    """Set (or with None remove) the point's daily print cap: the most cards it may print on one
    local day. Managing the point is needed (an admin or the Dinas of its region, not its
    operator); the change is in the ops audit log (``atur_batas_cetak``, old and new cap)."""
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or not 0 <= cap <= MAX_PRINT_CAP):
        raise OpsInvalid("ops_bad_print_cap", value=cap, max=MAX_PRINT_CAP)
    with db.write() as s:
        actor = acting(s, actor)
        point = get(s, point_id, lock=True)
        scope.require(scope.may_point(actor, point, "manage"))
        before = point.daily_print_cap
        point.daily_print_cap = cap
        audit.add(s, actor, "atur_batas_cetak", service_point=point.id, before=before, cap=cap)
        s.flush()
        return info(point)


def get_info(db: OpsDB, point_id: str, actor: User | None = None) -> PointInfo:
    """The point, when ``actor`` may read it."""
    with db.read() as s:
        return info(visible(s, actor, point_id, "read"))
