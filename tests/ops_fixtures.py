"""Fixtures for the ops database tests: each test runs on SQLite (a file of its own) and on the
real PostgreSQL at 127.0.0.1:5432 (REKAM_TEST_DATABASE_URL to point elsewhere), in a
throwaway database made for the test session and dropped after it.

Import the fixtures where they are used: ``from tests.ops_fixtures import ops_url, pg_url  # noqa: F401``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ADMIN_URL = os.environ.get("REKAM_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TABLES = (
    "audit_entries",
    "field_outcomes",
    "field_devices",
    "follow_ups",
    "blanko_entries",
    "blanko_counts",
    "queue_tickets",
    "service_events",
    "users",
    "service_points",
)


def _admin_connect():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)


def create_database(prefix: str = "rekam_test") -> str:
    """A new empty database on the server; its SQLAlchemy URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    from rekam.ops import db as ops_db

    with ops_db._OPEN_LOCK:
        found = ops_db._OPEN.pop(url, None)
    if found is not None:
        found.dispose()
    name = url.rsplit("/", 1)[1]
    with _admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _server_answers() -> str | None:
    try:
        with _admin_connect():
            return None
    except Exception as exc:  # psycopg.OperationalError, or psycopg missing
        return f"no PostgreSQL answers at {ADMIN_URL} ({type(exc).__name__}); run scripts/ensure-services.sh"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for the test session (skipped when no server answers)."""
    reason = _server_answers()
    if reason:
        pytest.skip(reason)
    url = create_database()
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def ops_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated ops database: SQLite, then PostgreSQL."""
    from rekam.ops import db as ops_db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ops-test.db'}"
        yield url
        with ops_db._OPEN_LOCK:
            found = ops_db._OPEN.pop(url, None)
        if found is not None:
            found.dispose()
        return
    url = request.getfixturevalue("pg_url")
    db = ops_db.open_db(url)
    with db.writer.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    yield url
