"""Migrations: an empty database is brought to the latest revision, matching the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from tests.ops_fixtures import create_database, drop_database

from rekam.config import Settings
from rekam.ops import db as ops_db
from rekam.ops.models import Base


def _check_fresh(url: str) -> None:
    db = ops_db.open_db(url)
    assert ops_db.current_revision(db) == ops_db.head_revision()
    with db.reader.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], "the migrations and the models disagree"
    ops_db.upgrade(db)  # opening again is a no-op
    assert ops_db.current_revision(db) == ops_db.head_revision()


def test_sqlite_upgrades_from_empty_with_durable_settings(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'ops.db'}"
    try:
        _check_fresh(url)
        db = ops_db.open_db(url)
        with db.writer.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        ops_db.close_all()


def test_postgresql_upgrades_from_empty(pg_url):
    url = create_database("rekam_migrate")
    try:
        _check_fresh(url)
    finally:
        drop_database(url)


def test_default_url_is_sqlite_in_home_and_postgres_urls_use_psycopg(tmp_path):
    assert ops_db.database_url(Settings(home=tmp_path)) == f"sqlite:///{tmp_path.absolute() / 'ops.db'}"
    pg = Settings(home=tmp_path, database_url="postgresql://u@h:5432/d")
    assert ops_db.database_url(pg) == "postgresql+psycopg://u@h:5432/d"
    assert Settings.from_env({"REKAM_DATABASE_URL": "postgres://x/y"}).database_url == "postgres://x/y"


def test_unreachable_server_is_a_clear_error():
    from rekam.errors import OpsUnavailable

    with pytest.raises(OpsUnavailable) as caught:
        ops_db.open_db("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "REKAM_DATABASE_URL" in str(caught.value)
