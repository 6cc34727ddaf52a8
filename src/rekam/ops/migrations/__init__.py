"""Alembic migrations of the ops database (run by ``rekam.ops.db.upgrade``)."""
