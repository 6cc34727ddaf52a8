"""The engines that run rekam's analytics SQL: DuckDB (embedded, default) and Apache Spark.

Every query is written once in DuckDB's SQL dialect. ``Engine.run`` is the one flow:
transpile the text for the engine with sqlglot (as Splink does), execute it, return plain
rows. Engines differ only in how they open a snapshot as the ``register`` view and execute
SQL (two small hooks). ``import rekam`` works without pyspark: the Spark engine loads it
lazily and names the package to install when it is missing.

    Engine (run: transpile -> _execute)
    ├── DuckDBEngine   in-process; reads the snapshot's Parquet files
    └── SparkEngine    local[N] in tests, any cluster by its master URL (REKAM_SPARK_MASTER)
"""

from __future__ import annotations

import os
import re
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, final

import duckdb
import pyarrow as pa
import sqlglot

from rekam.analytics import live
from rekam.errors import EngineUnavailable
from rekam.register.store import Snapshot, Store

#: Where DuckDB engines spill when a query outgrows memory (removed by DuckDB when it closes).
SPILL_DIR = Path(tempfile.gettempdir()) / "rekam-spill"

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
    return "\nUNION ALL\n".join(branches)


def current_filter(snapshot: Snapshot, accepted: bool = True) -> str:
    """SQL (portable) keeping the rows of the import that supplies each kab/kota: the
    accepted ones (the ``register`` view), or the quarantined ones (``quarantined``).

    A data file holds one source file's rows of one import, quarantined ones included
    (``accepted = false``).
    """
    current = ", ".join(f"'{p.import_id}|{kab}'" for kab, p in sorted(snapshot.parts.items()))
    return f"{'' if accepted else 'NOT '}accepted AND concat(import_id, '|', kab_code) IN ({current})"


class Engine(ABC):
    """Runs analytics SQL (DuckDB dialect) against a snapshot's ``register`` view."""

    dialect: str = "duckdb"
    name: str = "duckdb"

    @final
    def run(self, sql: str) -> list[tuple[Any, ...]]:
        """Transpile ``sql`` from DuckDB's dialect to this engine's, execute, return rows."""
        if self.dialect != "duckdb":
            sql = sqlglot.transpile(sql, read="duckdb", write=self.dialect)[0]
        return self._execute(sql)

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
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false")
        # Spill (a big linkage, a national query) to the system's temp folder, never to a
        # ".tmp" folder in the user's working directory (DuckDB's default): it holds personal data.
        self.con.execute(f"SET temp_directory = '{SPILL_DIR}'")
        self.overlay = overlay if overlay is not None and overlay.num_rows else None
        reader = "read_parquet([{}])"
        # Views are created when a query first names them: binding one reads the Parquet
        # footers of every file, which is most of a by-name list's time.
        self._views = {
            "register_rows": register_union(store, snapshot, True, reader, region_prefix),
            "register": f"SELECT * EXCLUDE ({', '.join(BOOKKEEPING)}) FROM register_rows",
            "quarantined": register_union(store, snapshot, False, reader, region_prefix),
        }
        self._created: set[str] = set()

    def _ensure(self, sql: str) -> None:
        for name, body in self._views.items():
            if name not in self._created and re.search(rf"\b{name}\b", sql):
                if name == "register":
                    self._ensure("register_rows")
                if name == "register" and self.overlay is not None:  # live: the snapshot + desk events
                    self.con.register("live_overlay", self.overlay)
                    self.con.execute(f"CREATE VIEW register_snapshot AS {body}")
                    columns = [r[0] for r in self.con.execute("DESCRIBE register_snapshot").fetchall()]
                    body = live.register_sql(columns, "register_snapshot", "live_overlay")
                self.con.execute(f"CREATE VIEW {name} AS {body}")
                self._created.add(name)

    def _execute(self, sql: str) -> list[tuple[Any, ...]]:
        self._ensure(sql)
        return self.con.execute(sql).fetchall()

    def close(self) -> None:
        self.con.close()


_SPARK_SESSION: Any = None


def spark_session() -> Any:
    """The process's Spark session: REKAM_SPARK_MASTER (default local[2]), started once."""
    global _SPARK_SESSION
    if _SPARK_SESSION is not None:
        return _SPARK_SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineUnavailable("engine_missing", engine="spark", package="pyspark") from None
    master = os.environ.get("REKAM_SPARK_MASTER", "local[2]")
    builder = SparkSession.builder.master(master).appName("rekam")
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
        )
    _SPARK_SESSION = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    _SPARK_SESSION.sparkContext.setLogLevel("ERROR")
    return _SPARK_SESSION


class SparkEngine(Engine):
    dialect = "spark"
    name = "spark"

    def __init__(
        self, store: Store, snapshot: Snapshot, region_prefix: str | None = None, overlay: pa.Table | None = None
    ) -> None:
        self.spark = spark_session()
        frame = self.spark.read.parquet(*snapshot_files(store, snapshot))
        frame.createOrReplaceTempView("register_files")
        live_rows = overlay is not None and overlay.num_rows > 0
        for view, accepted in (("register", True), ("quarantined", False), ("register_rows", True)):
            where = sqlglot.transpile(current_filter(snapshot, accepted), read="duckdb", write="spark")[0]
            name = "register_snapshot" if view == "register" and live_rows else view
            self._execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM register_files WHERE {where}")
        if live_rows:  # live: the snapshot + desk events
            assert overlay is not None
            rows = [tuple(r.values()) for r in overlay.to_pylist()]
            schema = "nik string, recorded_on date, printed_on date, duplicate boolean"  # live.OVERLAY_SCHEMA
            self.spark.createDataFrame(rows, schema).createOrReplaceTempView("live_overlay")
            sql = live.register_sql(frame.columns, "register_snapshot", "live_overlay")
            self._execute(f"CREATE OR REPLACE TEMP VIEW register AS {sql}")

    def _execute(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]


ENGINES: dict[str, type[Engine]] = {"duckdb": DuckDBEngine, "spark": SparkEngine}


def open_engine(
    name: str, store: Store, snapshot: Snapshot, region_prefix: str | None = None, overlay: pa.Table | None = None
) -> Engine:
    """An engine over the snapshot; with ``region_prefix`` it may read only that region's files;
    with ``overlay`` (``live.overlay_table``) the register has the desk's services since applied."""
    try:
        cls = ENGINES[name]
    except KeyError:
        raise EngineUnavailable("engine_unknown", engine=name) from None
    return cls(store, snapshot, region_prefix, overlay)
