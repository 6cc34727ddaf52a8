"""Residents drawn from a home's current snapshot, to build outside lists (school, voter) from in
the matching tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

from rekam.analytics.engines import snapshot_files
from rekam.register.store import Store

#: nik, name, birth (DD-MM-YYYY), sex, rt, rw
Person = tuple[str, str, str, str, str, str]


def draw_people(home: Path, n: int) -> list[Person]:
    """``n`` accepted residents with a name and a birth date, in a fixed order (by the NIK's hash)."""
    store = Store(home)
    files = ", ".join(f"'{f}'" for f in snapshot_files(store, store.require_current()))
    return duckdb.sql(
        f"""SELECT nik, name, strftime(birth_date, '%d-%m-%Y'), sex, coalesce(rt, ''), coalesce(rw, '')
        FROM read_parquet([{files}]) WHERE accepted AND name IS NOT NULL AND birth_date IS NOT NULL
        ORDER BY hash(nik) LIMIT {n}"""
    ).fetchall()
