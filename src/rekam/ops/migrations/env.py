"""Alembic environment: run on the connection that ``rekam.ops.db.upgrade`` passes in."""

from __future__ import annotations

from alembic import context

from rekam.ops.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - rekam always passes its connection
    raise RuntimeError("rekam's migrations run through rekam.ops.db.upgrade")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
