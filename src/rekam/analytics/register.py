"""Opening a snapshot's parts as the ``register`` view on an engine connection."""

from __future__ import annotations

import duckdb

from rekam.register.store import Snapshot, Store


def connect(store: Store, snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the view ``register`` over the snapshot's parts."""
    files = [str(store.absolute(f)) for part in snapshot.parts.values() for f in part.files]
    con = duckdb.connect()
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    con.execute(f"CREATE VIEW register AS SELECT * FROM read_parquet([{listed}], hive_partitioning = false)")
    return con
