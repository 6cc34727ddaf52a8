"""Jemput bola in the field (issue 20): users.team (a tim user's plan team), the field_devices
table (a team leader's phone, revocable) and the field_outcomes table (one row per outcome a
team logged, unique per device-made key).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=20), nullable=True))

    op.create_table(
        "field_devices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_devices")),
    )
    with op.batch_alter_table("field_devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_devices_username"), ["username"], unique=False)

    op.create_table(
        "field_outcomes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("team", sa.String(length=20), nullable=False),
        sa.Column("service_point_id", sa.String(length=32), nullable=False),
        sa.Column("stop_id", sa.String(length=80), nullable=False),
        sa.Column("plan", sa.String(length=200), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("followup_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["field_devices.id"], name=op.f("fk_field_outcomes_device_id_field_devices")
        ),
        sa.ForeignKeyConstraint(
            ["service_point_id"], ["service_points.id"], name=op.f("fk_field_outcomes_service_point_id_service_points")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["service_events.id"], name=op.f("fk_field_outcomes_event_id_service_events")
        ),
        sa.ForeignKeyConstraint(
            ["followup_id"], ["follow_ups.id"], name=op.f("fk_field_outcomes_followup_id_follow_ups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_outcomes")),
        sa.UniqueConstraint("key", name=op.f("uq_field_outcomes_key")),
    )
    with op.batch_alter_table("field_outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_outcomes_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_field_outcomes_team"), ["team"], unique=False)
        batch_op.create_index(batch_op.f("ix_field_outcomes_nik"), ["nik"], unique=False)
        batch_op.create_index(batch_op.f("ix_field_outcomes_occurred_at"), ["occurred_at"], unique=False)


def downgrade() -> None:
    op.drop_table("field_outcomes")
    op.drop_table("field_devices")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("team")
