"""The one way rekam opens a DuckDB connection.

Every connection (the analytics engine, an import, a list match, the desk's resident
directory) is opened here, so that each has the same settings: no progress bar on the
terminal, spilling to a private temp folder (never DuckDB's default ``./.tmp`` in the
user's working directory: a spilled register holds personal data), and the limits the
caller asks for. A leaf module (like ``config`` and ``errors``): it imports nothing of rekam,
so every layer (register, analytics, ops, linkage) may use it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

#: Where connections spill when a query outgrows memory (removed by DuckDB when it closes).
SPILL_DIR = Path(tempfile.gettempdir()) / "rekam-spill"


def connect(
    *,
    spill_dir: Path | None = SPILL_DIR,
    memory_limit: str | None = None,
    preserve_insertion_order: bool = True,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with rekam's settings.

    ``spill_dir`` is where it spills (None: DuckDB's default, for a connection that never
    sees personal data); ``memory_limit`` (e.g. ``"1500MB"``) bounds its memory;
    ``preserve_insertion_order=False`` lets big writes stream (the import)."""
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        bound(con, spill_dir=spill_dir, memory_limit=memory_limit)
        if not preserve_insertion_order:
            con.execute("SET preserve_insertion_order = false")
    except BaseException:
        con.close()
        raise
    return con


def bound(con: duckdb.DuckDBPyConnection, *, spill_dir: Path | None, memory_limit: str | None) -> None:
    """Bound an open connection's memory: beyond ``memory_limit`` DuckDB writes to
    ``spill_dir`` (a folder the caller made private: it will hold personal data). Set before
    the connection has spilled anything (DuckDB refuses to move a temp folder in use).
    ``None`` leaves a setting as it is."""
    if spill_dir is not None:
        con.execute(f"SET temp_directory = '{_quoted(str(spill_dir))}'")
    if memory_limit is not None:
        con.execute(f"SET memory_limit = '{_quoted(memory_limit)}'")


def _quoted(value: str) -> str:
    return value.replace("'", "''")
