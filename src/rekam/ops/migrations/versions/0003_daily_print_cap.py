"""Blanko rationing: service_points.daily_print_cap, the most cards a point may print on one
local day (NULL: no cap).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("service_points", schema=None) as batch_op:
        batch_op.add_column(sa.Column("daily_print_cap", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_points", schema=None) as batch_op:
        batch_op.drop_column("daily_print_cap")
