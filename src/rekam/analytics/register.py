"""Opening a snapshot's parts as the ``register`` view on an engine connection."""

from __future__ import annotations

import duckdb

from rekam.register.store import Snapshot, Store

# Columns of a data file that are the import's bookkeeping, not the register.
_BOOKKEEPING = ("import_id", "accepted", "reasons", "kept_key", "file_idx", "ord")


def register_sql(store: Store, snapshot: Snapshot) -> str:
    """SQL for the snapshot's accepted rows.

    A data file holds one source file's rows of one import, quarantined ones included
    (``accepted = false``); a kab/kota's rows are those of the import that supplies it
    in this snapshot.
    """
    files = sorted({str(store.absolute(f)) for part in snapshot.parts.values() for f in part.files})
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    current = ", ".join(f"'{p.import_id}|{kab}'" for kab, p in sorted(snapshot.parts.items()))
    return (
        f"SELECT * EXCLUDE ({', '.join(_BOOKKEEPING)}) FROM read_parquet([{listed}]) "
        f"WHERE accepted AND import_id || '|' || kab_code IN ({current})"
    )


def connect(store: Store, snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the view ``register`` over the snapshot's parts."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"CREATE VIEW register AS {register_sql(store, snapshot)}")
    return con
