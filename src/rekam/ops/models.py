"""The ops tables (SQLAlchemy 2 declarative). Migrations in ``ops/migrations`` create exactly
these (a test compares them); change both together.

Times are kept in UTC (``UTCDateTime``: aware datetimes in and out on SQLite and PostgreSQL);
``service_date`` is the local date at the service point (its time zone), kept beside the time
so that "the day at a point" is a plain equality on both databases.

Idempotency keys are unique per service point: ``UNIQUE (service_point_id, idempotency_key)``
on every table a client writes through (events, tickets, blanko entries and counts,
follow-up reports). ``request_hash`` is the SHA-256 of the request body (idempotency.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations can name what they change.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A 64-bit id on PostgreSQL; SQLite's rowid (INTEGER PRIMARY KEY) is already 64-bit.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC: ``timestamptz`` on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: ops times must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ServicePoint(Base):
    """A place where residents are served: the Dinas office, a kecamatan, a mall pelayanan
    publik (mpp), or a mobile team (keliling)."""

    __tablename__ = "service_points"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(13), index=True)  # dotted, kab/kota level or below
    kind: Mapped[str] = mapped_column(String(12))  # dinas | kecamatan | mpp | keliling
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The most cards the point may print on one local day (failed prints count: they use a
    # card too); None: no cap, only the stock limits printing (ops/events.py).
    daily_print_cap: Mapped[int | None] = mapped_column(Integer, nullable=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # admin-pusat | admin-provinsi | dinas | operator | tim
    region: Mapped[str | None] = mapped_column(String(13))  # dotted; None for admin-pusat
    service_point_id: Mapped[str | None] = mapped_column(ForeignKey("service_points.id"))
    team: Mapped[str | None] = mapped_column(String(20))  # a tim user's plan team id (T01); else None
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Tokens name the version they were issued under; logout, disable and a password reset
    # advance it, and a token of an older version is refused (web/auth.py).
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LoginFailure(Base):
    """A failed login: the name tried (lower case; unknown names too) and the client address.
    Counted per name and per address within a window (``ops/logins.py``); a user's rows are
    removed by a successful login, rows older than a day by the next failure."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ServiceEvent(Base):
    """One service given at a point: perekaman, rekam_ulang, pencetakan, pencetakan_ulang,
    surat_keterangan, aktivasi_ikd (``rekam.domain.services.ServiceKind``)."""

    __tablename__ = "service_events"
    __table_args__ = (
        UniqueConstraint("service_point_id", "idempotency_key"),
        Index("ix_service_events_point_date", "service_point_id", "service_date"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_points.id"))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    nik: Mapped[str] = mapped_column(String(16), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    service_date: Mapped[date] = mapped_column(Date)
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(12))  # selesai | gagal
    status_before: Mapped[str | None] = mapped_column(String(40))  # effective status when logged
    nik_known: Mapped[bool] = mapped_column(Boolean)
    siak_follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QueueTicket(Base):
    __tablename__ = "queue_tickets"
    __table_args__ = (
        UniqueConstraint("service_point_id", "service_date", "number", name="uq_queue_tickets_point_date_number"),
        UniqueConstraint("service_point_id", "idempotency_key"),
        UniqueConstraint("service_point_id", "call_key"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_points.id"))
    service_date: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    service_kind: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default="waiting")  # waiting | called | served | no_show
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    call_key: Mapped[str | None] = mapped_column(String(100))
    called_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BlankoEntry(Base):
    """One movement of blank cards at a point; ``quantity`` is signed (+ in, - out)."""

    __tablename__ = "blanko_entries"
    __table_args__ = (UniqueConstraint("service_point_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_points.id"), index=True)
    # received | used | spoiled | returned | transfer_out | transfer_in | adjustment
    kind: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    service_date: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("service_events.id"), index=True)
    count_id: Mapped[int | None] = mapped_column(ForeignKey("blanko_counts.id"))
    counterpart_point_id: Mapped[str | None] = mapped_column(ForeignKey("service_points.id"))
    transfer_of: Mapped[int | None] = mapped_column(ForeignKey("blanko_entries.id"))  # transfer_in -> its out
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))


class BlankoCount(Base):
    """A physical count of the blanko at a point: the book balance then, and the difference."""

    __tablename__ = "blanko_counts"
    __table_args__ = (UniqueConstraint("service_point_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_points.id"), index=True)
    counted: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int] = mapped_column(Integer)
    difference: Mapped[int] = mapped_column(Integer)  # counted - expected
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    service_date: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))


class FollowUp(Base):
    """A case for SIAK: a NIK not in the register, or a resident reported moved, dead or abroad."""

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("service_point_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # nik_tidak_dikenal | pindah | meninggal | luar_negeri
    nik: Mapped[str] = mapped_column(String(16), index=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_points.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("service_events.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))


class AuditEntry(Base):
    """One by-name access through ops (a NIK lookup, a name search, a follow-up export)."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(Text)  # the NIK(s) shown; personal data
    service_point_id: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(13))
    details: Mapped[str | None] = mapped_column(Text)  # JSON, no personal data


class FieldDevice(Base):
    """A team leader's phone (role tim), registered when the team logs in on the field page.
    Its id (32 random hex) is the ``dev`` claim of the device's token; a revoked device
    (``revoked_at``) syncs nothing (``ops/field.py``). Never deleted: outcomes name it."""

    __tablename__ = "field_devices"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(64))


class FieldOutcomeRow(Base):
    """One outcome a field team logged for one person at a stop (``ops/field.py``), stored once
    per device-made key (``key`` unique; ``request_hash`` as in idempotency.py). ``result`` is
    what the device was told: stored, or already (the person was recorded before: ``event_id``
    names that recording). A person not on the list may come with a name and birth date instead
    of a NIK (personal data, like the NIK)."""

    __tablename__ = "field_outcomes"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(ForeignKey("field_devices.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    team: Mapped[str] = mapped_column(String(20), index=True)
    service_point_id: Mapped[str] = mapped_column(ForeignKey("service_points.id"))
    stop_id: Mapped[str] = mapped_column(String(80))
    plan: Mapped[str | None] = mapped_column(String(200))
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(10))  # stored | already
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("service_events.id"))
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("follow_ups.id"))
    note: Mapped[str | None] = mapped_column(String(500))
