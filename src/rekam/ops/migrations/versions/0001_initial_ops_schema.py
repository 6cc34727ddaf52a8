"""Initial ops schema: service points, users, service events, queue tickets, blanko ledger and
counts, SIAK follow-ups, audit entries.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("service_point_id", sa.String(length=32), nullable=True),
        sa.Column("region", sa.String(length=13), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_at"), ["at"], unique=False)

    op.create_table(
        "service_points",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=13), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_points")),
    )
    with op.batch_alter_table("service_points", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_points_region"), ["region"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=13), nullable=True),
        sa.Column("service_point_id", sa.String(length=32), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_point_id"], ["service_points.id"], name=op.f("fk_users_service_point_id_service_points")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "blanko_counts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("service_point_id", sa.String(length=32), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("difference", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_blanko_counts_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["service_point_id"], ["service_points.id"], name=op.f("fk_blanko_counts_service_point_id_service_points")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blanko_counts")),
        sa.UniqueConstraint(
            "service_point_id", "idempotency_key", name=op.f("uq_blanko_counts_service_point_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("blanko_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_blanko_counts_service_point_id"), ["service_point_id"], unique=False)

    op.create_table(
        "queue_tickets",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("service_point_id", sa.String(length=32), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("service_kind", sa.String(length=20), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("call_key", sa.String(length=100), nullable=True),
        sa.Column("called_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["called_by"], ["users.id"], name=op.f("fk_queue_tickets_called_by_users")),
        sa.ForeignKeyConstraint(
            ["service_point_id"], ["service_points.id"], name=op.f("fk_queue_tickets_service_point_id_service_points")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_tickets")),
        sa.UniqueConstraint("service_point_id", "call_key", name=op.f("uq_queue_tickets_service_point_id_call_key")),
        sa.UniqueConstraint(
            "service_point_id", "idempotency_key", name=op.f("uq_queue_tickets_service_point_id_idempotency_key")
        ),
        sa.UniqueConstraint("service_point_id", "service_date", "number", name="uq_queue_tickets_point_date_number"),
    )
    op.create_table(
        "service_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("service_point_id", sa.String(length=32), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("operator_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("status_before", sa.String(length=40), nullable=True),
        sa.Column("nik_known", sa.Boolean(), nullable=False),
        sa.Column("siak_follow_up", sa.Boolean(), nullable=False),
        sa.Column("duplicate_confirmed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["users.id"], name=op.f("fk_service_events_operator_id_users")),
        sa.ForeignKeyConstraint(
            ["service_point_id"], ["service_points.id"], name=op.f("fk_service_events_service_point_id_service_points")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_events")),
        sa.UniqueConstraint(
            "service_point_id", "idempotency_key", name=op.f("uq_service_events_service_point_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("service_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_events_nik"), ["nik"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_events_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index("ix_service_events_point_date", ["service_point_id", "service_date"], unique=False)

    op.create_table(
        "blanko_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("service_point_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("count_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("counterpart_point_id", sa.String(length=32), nullable=True),
        sa.Column("transfer_of", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_blanko_entries_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["count_id"], ["blanko_counts.id"], name=op.f("fk_blanko_entries_count_id_blanko_counts")
        ),
        sa.ForeignKeyConstraint(
            ["counterpart_point_id"],
            ["service_points.id"],
            name=op.f("fk_blanko_entries_counterpart_point_id_service_points"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["service_events.id"], name=op.f("fk_blanko_entries_event_id_service_events")
        ),
        sa.ForeignKeyConstraint(
            ["service_point_id"], ["service_points.id"], name=op.f("fk_blanko_entries_service_point_id_service_points")
        ),
        sa.ForeignKeyConstraint(
            ["transfer_of"], ["blanko_entries.id"], name=op.f("fk_blanko_entries_transfer_of_blanko_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blanko_entries")),
        sa.UniqueConstraint(
            "service_point_id", "idempotency_key", name=op.f("uq_blanko_entries_service_point_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("blanko_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_blanko_entries_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_blanko_entries_service_point_id"), ["service_point_id"], unique=False)

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("service_point_id", sa.String(length=32), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["service_events.id"], name=op.f("fk_follow_ups_event_id_service_events")
        ),
        sa.ForeignKeyConstraint(["reported_by"], ["users.id"], name=op.f("fk_follow_ups_reported_by_users")),
        sa.ForeignKeyConstraint(
            ["service_point_id"], ["service_points.id"], name=op.f("fk_follow_ups_service_point_id_service_points")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint(
            "service_point_id", "idempotency_key", name=op.f("uq_follow_ups_service_point_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_ups_nik"), ["nik"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_nik"))

    op.drop_table("follow_ups")
    with op.batch_alter_table("blanko_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_blanko_entries_service_point_id"))
        batch_op.drop_index(batch_op.f("ix_blanko_entries_event_id"))

    op.drop_table("blanko_entries")
    with op.batch_alter_table("service_events", schema=None) as batch_op:
        batch_op.drop_index("ix_service_events_point_date")
        batch_op.drop_index(batch_op.f("ix_service_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_service_events_nik"))

    op.drop_table("service_events")
    op.drop_table("queue_tickets")
    with op.batch_alter_table("blanko_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_blanko_counts_service_point_id"))

    op.drop_table("blanko_counts")
    op.drop_table("users")
    with op.batch_alter_table("service_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_points_region"))

    op.drop_table("service_points")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_at"))

    op.drop_table("audit_entries")
