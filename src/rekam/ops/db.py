"""Opening the ops database: its URL, engines with durable settings, and migrations.

- URL: ``REKAM_DATABASE_URL``; default ``sqlite:///REKAM_HOME/ops.db``. ``postgresql://``
  and ``postgres://`` URLs are read as ``postgresql+psycopg://`` (psycopg 3).
- SQLite: WAL journal, ``synchronous=FULL`` (a commit is on disk when it returns: an
  acknowledged event survives a kill -9 or a power cut), foreign keys on, a 30 s busy
  timeout, and write transactions opened with ``BEGIN IMMEDIATE`` (the write lock is taken
  first, so two writers queue instead of failing on a lock upgrade). Reads use a second
  engine with plain deferred transactions, which WAL lets run beside a writer.
- PostgreSQL: the server's own durability (``synchronous_commit`` on, its default);
  READ COMMITTED, with ``SELECT ... FOR UPDATE`` on the service point row where a rule reads
  then writes (blanko left, queue numbers).
- Migrations: Alembic's command API runs ``upgrade head`` when a database is first opened in
  a process, inside one transaction holding a lock (PostgreSQL: an advisory lock; SQLite:
  the write lock), so two processes opening a new database at once migrate it once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rekam.config import Settings
from rekam.errors import OpsUnavailable

MIGRATION_LOCK = 7_301_371  # the advisory lock id of rekam's migrations on PostgreSQL


def database_url(settings: Settings | None = None) -> str:
    """The ops database URL: REKAM_DATABASE_URL, else SQLite ``ops.db`` in REKAM_HOME."""
    settings = settings or Settings.from_env()
    raw = (settings.database_url or "").strip()
    if not raw:
        return f"sqlite:///{Path(settings.home).absolute() / 'ops.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def configured(settings: Settings | None = None) -> bool:
    """Is there an ops database to read: REKAM_DATABASE_URL set, or ``ops.db`` in REKAM_HOME?
    (Readers that only look, such as live figures and the audit log, make none.)"""
    settings = settings or Settings.from_env()
    return bool(settings.database_url) or (Path(settings.home) / "ops.db").exists()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event issues BEGIN itself
    cur = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000"):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _make_engine(url: str, immediate: bool) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
        return engine
    # pool_size: the connections kept open. FastAPI runs the API's routes in up to 40 threads; with
    # 10 kept and 20 more opened on demand, 32 busy clients made SQLAlchemy open and close a
    # PostgreSQL connection (a server process each) about 50 times a second (564 sessions in a
    # 10 s benchmark run; 35-39 with 30 kept). 30 + 10 keeps two server workers within PostgreSQL's
    # default max_connections (100).
    # No pool_pre_ping: its SELECT 1 on every checkout cost 17 % of the throughput (176 -> 212
    # events/s at 8 clients, benchmarks/README.md). After a PostgreSQL restart the first request
    # on a stale connection fails (SQLAlchemy then drops the pool's old connections) and the
    # client's retry, with its idempotency key, is stored once; pool_recycle bounds the age.
    # hide_parameters: an error's message never carries a NIK or a name into a log.
    return create_engine(
        url, pool_pre_ping=False, pool_recycle=1800, pool_size=30, max_overflow=10, hide_parameters=True
    )


@dataclass
class OpsDB:
    """The ops database of one URL: a write engine, a read engine, sessions."""

    url: str
    writer: Engine
    reader: Engine
    _write_sessions: sessionmaker[Session] = field(init=False)
    _read_sessions: sessionmaker[Session] = field(init=False)
    _write_gate: AbstractContextManager[Any] = field(init=False)

    def __post_init__(self) -> None:
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False)
        # SQLite: the writers of this process queue on a lock of their own before BEGIN IMMEDIATE.
        # Waiting in SQLite's busy handler instead means sleeping and polling (up to 100 ms a
        # sleep), which left a writer waiting a second or more behind others under load
        # (benchmarks/desk_bench.py). Other processes (the CLI) still meet the busy timeout.
        self._write_gate = threading.RLock() if self.dialect == "sqlite" else nullcontext()

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on leaving, rolled back on an error."""
        with self._write_gate, self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


_OPEN: dict[str, OpsDB] = {}
_OPEN_LOCK = threading.Lock()


def open_db(url: str | None = None, settings: Settings | None = None, migrate: bool = True) -> OpsDB:
    """The ops database at ``url`` (default: from the environment), migrated to the latest
    revision; one ``OpsDB`` per URL per process."""
    url = url or database_url(settings)
    with _OPEN_LOCK:
        db = _OPEN.get(url)
        if db is not None:
            return db
        try:
            make_url(url)
        except ArgumentError:
            raise OpsUnavailable("ops_bad_url") from None
        if url.startswith("sqlite:///"):
            _private_sqlite(Path(url.removeprefix("sqlite:///")))
        writer = _make_engine(url, immediate=True)
        reader = _make_engine(url, immediate=False) if url.startswith("sqlite") else writer
        db = OpsDB(url, writer, reader)
        if migrate:
            try:
                upgrade(db)
            except OperationalError as exc:
                db.dispose()
                raise OpsUnavailable("ops_unreachable", detail=type(exc.orig).__name__) from None
        _OPEN[url] = db
        return db


def _private_sqlite(path: Path) -> None:
    """The SQLite file (personal data: users, NIKs of services) made 0600 before SQLite opens it
    (its -wal and -shm files follow the file's mode); a folder made for it is 0700."""
    import os

    if path.name in ("", ":memory:"):
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def close_all() -> None:
    """Dispose every open database (tests; a server shutting down)."""
    with _OPEN_LOCK:
        for db in _OPEN.values():
            db.dispose()
        _OPEN.clear()


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("rekam.ops") / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()  # type: ignore[return-value]


def current_revision(db: OpsDB) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: OpsDB, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in one locked transaction."""
    from alembic import command

    if revision == "head" and current_revision(db) == head_revision():
        return
    with db.writer.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        command.upgrade(alembic_config(conn), revision)
