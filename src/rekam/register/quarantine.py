"""The quarantine file: every row of an import that was not accepted, with its reasons.

Written by DuckDB from the quarantined rows and the staged originals, so a file with a
million bad rows costs seconds, not minutes. Columns: file, row (the header is row 1),
reasons (codes joined by ';'), message (in the user's language), the rekam columns as
they were in the file, and raw_row (the original row as delimited text). It holds
personal data: it is kept inside REKAM_HOME and shown only to those who may see by-name data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from rekam.messages import text
from rekam.register.schema import COLUMNS
from rekam.register.sources import Source
from rekam.register.validate import HARD_REASONS

HEADER = ("file", "row", "reasons", "message", *COLUMNS, "raw_row")


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _message_sql(reasons: str, kept: str) -> str:
    """SQL turning a list of reason codes into one message in the user's language."""
    cases = " ".join(
        f"WHEN {_lit(code)} THEN {_lit(text(code, kept='{kept}', column='', detail=''))}" for code in HARD_REASONS
    )
    return (
        f"replace(array_to_string(list_transform({reasons}, lambda r: CASE r {cases} ELSE r END), '; '), "
        f"'{{kept}}', coalesce({kept}, ''))"
    )


def _raw_row_sql(width: int, delimiter: str) -> str:
    """SQL for the original row as delimited text, quoting fields that need it."""
    d = _lit(delimiter)
    fields = [
        f"CASE WHEN c{i} IS NULL THEN '' WHEN contains(c{i}, {d}) OR contains(c{i}, '\"') OR contains(c{i}, chr(10)) "
        f"OR contains(c{i}, chr(13)) THEN '\"' || replace(c{i}, '\"', '\"\"') || '\"' ELSE c{i} END"
        for i in range(width)
    ]
    return f"concat_ws({d}, {', '.join(fields)})"


def write(
    con: duckdb.DuckDBPyConnection, sources: list[Source], quarantined: str, out: Path, workdir: Path
) -> int:
    """Write the quarantine CSV from ``quarantined`` (a relation with file_idx, ord,
    reasons, kept_key) and the sources' rejected rows; return the number of rows."""
    names = {s.index: s.path.name for s in sources}
    con.execute(
        "CREATE OR REPLACE TEMP TABLE q_files AS SELECT * FROM (VALUES "
        + ", ".join(f"({i}, {_lit(n)})" for i, n in names.items())
        + ") t(file_idx, name)"
    )
    row_ref = _lit(text("row_ref", file="\x01", row="\x02"))
    kept = (
        f"(SELECT replace(replace({row_ref}, chr(1), k.name), chr(2), CAST(q.kept_key & 4294967295 AS VARCHAR)) "
        f"FROM q_files k WHERE k.file_idx = q.kept_key >> 32)"
    )
    parts: list[Path] = []
    total = 0
    for s in sources:
        canon = ", ".join(
            f"st.c{s.positions[c]} AS {c}" if c in s.positions else f"NULL::VARCHAR AS {c}" for c in COLUMNS
        )
        part = workdir / f"quarantine_{s.index}.csv"
        rejected = [(r.row, r.reason, text(r.reason, detail=r.detail), r.raw) for r in s.rejected]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE q_rejected (row BIGINT, reason VARCHAR, message VARCHAR, raw VARCHAR)"
        )
        if rejected:
            con.executemany("INSERT INTO q_rejected VALUES (?, ?, ?, ?)", rejected)
        empty = ", ".join(f"NULL::VARCHAR AS {c}" for c in COLUMNS)
        con.execute(
            f"""COPY (
              SELECT * FROM (
                SELECT {_lit(s.path.name)} AS file, q.ord AS row, array_to_string(q.reasons, ';') AS reasons,
                       {_message_sql("q.reasons", kept)} AS message, {canon},
                       {_raw_row_sql(len(s.header), s.delimiter)} AS raw_row
                FROM ({quarantined}) q JOIN read_parquet('{s.staging}') st ON st.ord = q.ord
                WHERE q.file_idx = {s.index}
                UNION ALL
                SELECT {_lit(s.path.name)}, row, reason, message, {empty}, raw FROM q_rejected
              ) ORDER BY row
            ) TO '{part}' (FORMAT csv, HEADER false)"""
        )
        [(n,)] = con.execute(f"SELECT count(*) FROM ({quarantined}) WHERE file_idx = {s.index}").fetchall()
        total += int(n) + len(rejected)
        parts.append(part)
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        for part in parts:
            with part.open(encoding="utf-8", newline="") as src:
                shutil.copyfileobj(src, f)
    return total
