"""The engines that run rekam's analytics SQL: DuckDB (embedded, default) and Apache Spark.

Every query is written once in DuckDB's SQL dialect. ``Engine.run`` is the one flow, final
(as Splink's): make sure the views the query names exist, transpile the text for the engine
with sqlglot, execute it, return plain rows; any error of the engine comes out as one
``EngineError`` naming the query (never its data). Engines differ only in small hooks: how
they open a snapshot as the ``register``, ``register_rows`` and ``quarantined`` views
(``_ensure_views``) and how they execute SQL (``_execute``). Callers never reach an
engine's connection: a temporary view of their own is ``create_temp_view``, and linkage
(Splink), which needs DuckDB itself, asks ``DuckDBEngine.duckdb_connection``. ``import
rekam`` works without pyspark: the Spark engine loads it lazily and names the package to
install when it is missing.

    Engine (run: ensure views -> transpile -> _execute -> EngineError on failure)
    ├── DuckDBEngine   in-process; reads the snapshot's Parquet files (rekam/duck.py)
    └── SparkEngine    local[N] in tests, any cluster by its master URL (Settings.spark_master)
"""

from __future__ import annotations

import re
import shutil
import sys
from abc import ABC, abstractmethod
from typing import Any, final

import duckdb
import pyarrow as pa
import sqlglot

from rekam import duck
from rekam.analytics import live
from rekam.config import default_pyspark_python, java_home
from rekam.errors import EngineError, EngineUnavailable, RekamError
from rekam.register.store import Snapshot, Store

#: Where DuckDB engines spill when a query outgrows memory (``duck.SPILL_DIR``).
SPILL_DIR = duck.SPILL_DIR

#: Spark's master when none is configured (``Settings.spark_master``, REKAM_SPARK_MASTER).
DEFAULT_SPARK_MASTER = "local[2]"

#: The views every engine offers over its snapshot.
VIEWS = ("register", "register_rows", "quarantined")

# Columns of a data file that are the import's bookkeeping, not the register.
BOOKKEEPING = ("import_id", "accepted", "reasons", "kept_key", "file_idx", "ord")


def snapshot_files(store: Store, snapshot: Snapshot) -> list[str]:
    return sorted({str(store.absolute(f)) for part in snapshot.parts.values() for f in part.files})


def register_union(
    store: Store, snapshot: Snapshot, accepted: bool, reader: str, region_prefix: str | None = None
) -> str:
    """SQL for the snapshot's rows, one branch per import: each import's files, filtered to
    the kab/kota it supplies (a plain IN on a column the Parquet reader can prune on).

    ``reader`` formats a list of quoted file paths into a table expression.
    """
    by_import: dict[str, list[str]] = {}
    files: dict[str, set[str]] = {}
    for kab, part in sorted(snapshot.parts.items()):
        if region_prefix and not (kab.startswith(region_prefix) or region_prefix.startswith(kab)):
            continue  # a query about one region reads only its kab/kota's files
        by_import.setdefault(part.import_id, []).append(kab)
        files.setdefault(part.import_id, set()).update(str(store.absolute(f)) for f in part.files)
    branches = []
    for import_id, kabs in sorted(by_import.items()):
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in sorted(files[import_id]))
        codes = ", ".join(f"'{k}'" for k in kabs)
        branches.append(
            f"SELECT * FROM {reader.format(listed)} WHERE {'' if accepted else 'NOT '}accepted AND kab_code IN ({codes})"
        )
    if not branches:  # no kab/kota of the region in this snapshot: an empty relation
        return f"SELECT * FROM ({register_union(store, snapshot, accepted, reader)}) WHERE false"
    # By name: an import made before a column existed (the IKD columns, issue 19) has no such
    # column in its files; it reads as NULL there.
    return "\nUNION ALL BY NAME\n".join(branches)


def current_filter(snapshot: Snapshot, accepted: bool = True) -> str:
    """SQL (portable) keeping the rows of the import that supplies each kab/kota: the
    accepted ones (the ``register`` view), or the quarantined ones (``quarantined``).

    A data file holds one source file's rows of one import, quarantined ones included
    (``accepted = false``).
    """
    current = ", ".join(f"'{p.import_id}|{kab}'" for kab, p in sorted(snapshot.parts.items()))
    return f"{'' if accepted else 'NOT '}accepted AND concat(import_id, '|', kab_code) IN ({current})"


def query_label(sql: str, name: str | None = None) -> str:
    """What an error says of a query: its ``name``, or its SQL's first non-blank line
    (shortened): never the parameters or rows it worked on."""
    if name:
        return name
    first = next((line.strip() for line in sql.splitlines() if line.strip()), "")
    return first if len(first) <= 100 else first[:97] + "..."


class Engine(ABC):
    """Runs analytics SQL (DuckDB dialect) against a snapshot's ``register`` view."""

    dialect: str = "duckdb"
    name: str = "duckdb"

    @final
    def run(self, sql: str, name: str | None = None) -> list[tuple[Any, ...]]:
        """Make sure the views ``sql`` names exist, transpile it from DuckDB's dialect to
        this engine's, execute it and return its rows. A failure of the engine is raised as
        ``EngineError`` naming ``name`` (or the SQL's first line), the engine's error as cause."""
        try:
            self._ensure_views(sql)
            if self.dialect != "duckdb":
                sql = sqlglot.transpile(sql, read="duckdb", write=self.dialect)[0]
            return self._execute(sql)
        except RekamError:
            raise
        except Exception as exc:
            raise EngineError(self.name, query_label(sql, name), exc) from exc

    @final
    def create_temp_view(self, view: str, sql: str) -> None:
        """A temporary view ``view`` (a plain name) over ``sql`` (a SELECT in DuckDB's
        dialect, on the engine's views), for the queries that follow on this engine."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", view):
            raise ValueError(f"not a view name: {view!r}")
        self.run(f"CREATE OR REPLACE TEMP VIEW {view} AS {sql}", name=f"create view {view}")

    def _ensure_views(self, sql: str) -> None:  # noqa: B027 - optional hook
        """Create the engine's views that ``sql`` names and that do not exist yet."""

    @abstractmethod
    def _execute(self, sql: str) -> list[tuple[Any, ...]]: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBEngine(Engine):
    def __init__(
        self, store: Store, snapshot: Snapshot, region_prefix: str | None = None, overlay: pa.Table | None = None
    ) -> None:
        self._con = duck.connect()
        self.overlay = overlay if overlay is not None and overlay.num_rows else None
        reader = "read_parquet([{}], union_by_name = true)"
        # Views are created when a query first names them: binding one reads the Parquet
        # footers of every file, which is most of a by-name list's time.
        self._views = {
            "register_rows": register_union(store, snapshot, True, reader, region_prefix),
            "register": f"SELECT * EXCLUDE ({', '.join(BOOKKEEPING)}) FROM register_rows",
            "quarantined": register_union(store, snapshot, False, reader, region_prefix),
        }
        self._created: set[str] = set()

    def _ensure_views(self, sql: str) -> None:
        for name, body in self._views.items():
            if name not in self._created and re.search(rf"\b{name}\b", sql):
                if name == "register":
                    self._ensure_views("register_rows")
                if name == "register" and self.overlay is not None:  # live: the snapshot + desk events
                    self._con.register("live_overlay", self.overlay)
                    self._con.execute(f"CREATE VIEW register_snapshot AS {body}")
                    columns = [r[0] for r in self._con.execute("DESCRIBE register_snapshot").fetchall()]
                    body = live.register_sql(columns, "register_snapshot", "live_overlay")
                self._con.execute(f"CREATE VIEW {name} AS {body}")
                self._created.add(name)

    def _execute(self, sql: str) -> list[tuple[Any, ...]]:
        return self._con.execute(sql).fetchall()

    def duckdb_connection(self, *views: str) -> duckdb.DuckDBPyConnection:
        """The engine's DuckDB connection, for code that needs DuckDB itself (Splink's
        linkage, reading a list file into a table), with ``views`` (default: ``register``)
        already created on it. The engine still owns it: it is closed with the engine."""
        wanted = views or ("register",)
        for view in wanted:
            if view not in VIEWS:
                raise ValueError(f"not an engine view: {view!r}")
        try:
            self._ensure_views(" ".join(wanted))
        except Exception as exc:
            raise EngineError(self.name, f"open views {', '.join(wanted)}", exc) from exc
        return self._con

    def close(self) -> None:
        self._con.close()


_SPARK_SESSION: Any = None


def spark_session(master: str = DEFAULT_SPARK_MASTER) -> Any:
    """The process's Spark session at ``master`` (``Settings.spark_master``), started once;
    later calls return it whatever their ``master``."""
    global _SPARK_SESSION
    if _SPARK_SESSION is not None:
        return _SPARK_SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineUnavailable("engine_missing", engine="spark", package="pyspark") from None
    if shutil.which("java") is None and not java_home():
        raise EngineUnavailable("engine_needs_java")
    builder = SparkSession.builder.master(master).appName("rekam")
    if master.startswith("local"):  # one machine: the driver on the loopback address, no web UI
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
        )
    jar = _similarity_jar()
    if jar:  # Splink's string functions (damerau_levenshtein), for matching on Spark
        builder = builder.config("spark.jars", jar)
    default_pyspark_python(sys.executable)  # matching's Python functions run in this Python
    # size(NULL) is NULL, as DuckDB's array_length (the matching model's SQL reads it so)
    builder = builder.config("spark.sql.legacy.sizeOfNull", "false")
    _SPARK_SESSION = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    _SPARK_SESSION.sparkContext.setLogLevel("ERROR")
    return _SPARK_SESSION


def _similarity_jar() -> str | None:
    """The path of Splink's jar of string functions for this Spark, or None without splink."""
    try:
        from splink.backends.spark import similarity_jar_location
    except ImportError:
        return None
    return str(similarity_jar_location())


class SparkEngine(Engine):
    dialect = "spark"
    name = "spark"

    def __init__(
        self,
        store: Store,
        snapshot: Snapshot,
        region_prefix: str | None = None,
        overlay: pa.Table | None = None,
        master: str = DEFAULT_SPARK_MASTER,
    ) -> None:
        self.spark = spark_session(master)
        try:
            self._open_views(store, snapshot, overlay)
        except RekamError:
            raise
        except Exception as exc:
            raise EngineError(self.name, "open the snapshot's views", exc) from exc

    def _open_views(self, store: Store, snapshot: Snapshot, overlay: pa.Table | None) -> None:
        """The views, made on open: Spark binds a view lazily, so they cost nothing until read."""
        # mergeSchema: files of an import made before a column existed read it as NULL.
        frame = self.spark.read.option("mergeSchema", "true").parquet(*snapshot_files(store, snapshot))
        frame.createOrReplaceTempView("register_files")
        live_rows = overlay is not None and overlay.num_rows > 0
        for view, accepted in (("register", True), ("quarantined", False), ("register_rows", True)):
            where = sqlglot.transpile(current_filter(snapshot, accepted), read="duckdb", write="spark")[0]
            name = "register_snapshot" if view == "register" and live_rows else view
            self._execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM register_files WHERE {where}")
        if live_rows:  # live: the snapshot + desk events
            assert overlay is not None
            rows = [tuple(r.values()) for r in overlay.to_pylist()]
            self.spark.createDataFrame(rows, live.OVERLAY_SPARK_SCHEMA).createOrReplaceTempView("live_overlay")
            sql = live.register_sql(frame.columns, "register_snapshot", "live_overlay")
            self._execute(f"CREATE OR REPLACE TEMP VIEW register AS {sql}")

    def _execute(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]


ENGINES: dict[str, type[Engine]] = {"duckdb": DuckDBEngine, "spark": SparkEngine}


def open_engine(
    name: str,
    store: Store,
    snapshot: Snapshot,
    region_prefix: str | None = None,
    overlay: pa.Table | None = None,
    *,
    spark_master: str = DEFAULT_SPARK_MASTER,
) -> Engine:
    """An engine over the snapshot; with ``region_prefix`` it may read only that region's files;
    with ``overlay`` (``live.overlay_table``) the register has the desk's services since applied.
    ``spark_master`` (``Settings.spark_master``) is where the Spark engine runs."""
    if name == "duckdb":
        return DuckDBEngine(store, snapshot, region_prefix, overlay)
    if name == "spark":
        return SparkEngine(store, snapshot, region_prefix, overlay, master=spark_master)
    raise EngineUnavailable("engine_unknown", engine=name)
