"""The quarantine file: every row of an import that was not accepted, with its reasons.

Written by DuckDB from the quarantined rows and the staged originals, so a file with a
million bad rows costs seconds, not minutes. Columns: file, row (the header is row 1),
reasons (codes joined by ';'), message (in the user's language), kab_kota (the row's
kab/kota when NO_PROP and NO_KAB name one, else empty), the rekam columns as they were in the
file, and raw_row (the original row as delimited text). Every text cell is neutralised for
spreadsheets (``domain.cells``: a leading =, +, -, @, tab or CR gets an apostrophe).

It holds personal data: it is kept inside REKAM_HOME (0600) and shown by scope. Beside it,
``<import>.json`` (the owner record) holds the importing user's scope and the rows per
kab/kota; a user is shown the rows of the kab/kota within their scope, and the rows whose
kab/kota cannot be told when the importing user's scope lies within theirs. One file per
import (no copies per kab/kota): nothing to keep in step, one file for the retention rule.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from rekam.domain.cells import FORMULA_START
from rekam.domain.region import within
from rekam.messages import text
from rekam.register.ikd_file import IKD_REASONS
from rekam.register.schema import COLUMNS
from rekam.register.sources import Source
from rekam.register.validate import HARD_REASONS

HEADER = ("file", "row", "reasons", "message", "kab_kota", *COLUMNS, "raw_row")
UNKNOWN = ""  # the kab_kota of a row whose kab/kota cannot be told


@dataclass(frozen=True)
class Owner:
    """Whose a quarantine file's rows are: the import's scope (None: every region; the local
    administrator or admin-pusat imported), the importing user, the rows per kab/kota."""

    import_id: str
    scope: str | None
    username: str | None
    rows: dict[str, int]


def owner_path(csv_path: Path) -> Path:
    return csv_path.with_suffix(".json")


def write_owner(csv_path: Path, owner: Owner) -> None:
    from rekam.files import write_atomic

    data = {"import_id": owner.import_id, "scope": owner.scope, "username": owner.username, "rows": owner.rows}
    write_atomic(owner_path(csv_path), json.dumps(data))


def read_owner(csv_path: Path) -> Owner | None:
    try:
        data = json.loads(owner_path(csv_path).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return Owner(
        str(data.get("import_id", csv_path.stem)),
        data.get("scope"),
        data.get("username"),
        {str(k): int(v) for k, v in dict(data.get("rows", {})).items()},
    )


def _sees(user: Any, kab: str, owner: Owner) -> bool:
    """May ``user`` (None: the local administrator) see the quarantined rows of ``kab``?"""
    if user is None:
        return True
    if user.disabled or user.role not in ("admin-pusat", "admin-provinsi", "dinas"):
        return False
    scope = None if user.role == "admin-pusat" else user.region
    if kab == UNKNOWN:  # these rows belong to the importing user's scope
        return scope is None or (owner.scope is not None and within(owner.scope, scope))
    return within(kab, scope)


def visible_kabs(csv_path: Path, user: Any) -> tuple[set[str], int]:
    """The kab/kota codes (UNKNOWN included) of ``csv_path`` whose rows ``user`` may see, and
    how many rows that is. A file without an owner record (written before this rule) is seen
    whole ("*") by admin-pusat and the local administrator only."""
    owner = read_owner(csv_path)
    if owner is None:
        whole = user is None or (not user.disabled and user.role == "admin-pusat")
        return ({"*"}, 1) if whole else (set(), 0)
    kabs = {kab for kab in owner.rows if _sees(user, kab, owner)}
    return kabs, sum(owner.rows[k] for k in kabs)


def visible_files(folder: Path, user: Any) -> list[Path]:
    """The quarantine files in ``folder`` holding a row ``user`` may see, newest first."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob("*.csv") if visible_kabs(p, user)[1] > 0]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


def visible_lines(csv_path: Path, kabs: set[str]) -> Iterator[str]:
    """The header and the rows of ``csv_path`` whose kab_kota is in ``kabs`` ("*": every row), as CSV text."""
    with csv_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        at = header.index("kab_kota") if header and "kab_kota" in header else None
        if header is None or (at is None and "*" not in kabs):
            return
        out = _Lines()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in reader:
            if "*" in kabs or (at is not None and at < len(row) and row[at] in kabs):
                writer.writerow(row)
                if len(out.parts) >= 1000:
                    yield out.take()
        yield out.take()


class _Lines:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, s: str) -> None:
        self.parts.append(s)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def neutralise_sql(expr: str) -> str:
    """SQL applying ``domain.cells.neutralise`` to the text ``expr`` (NULL stays NULL)."""
    starts = ", ".join(_lit(c) for c in FORMULA_START)
    return f"(CASE WHEN list_contains([{starts}], left({expr}, 1)) THEN chr(39) || ({expr}) ELSE ({expr}) END)"


def _message_sql(reasons: str, kept: str) -> str:
    """SQL turning a list of reason codes into one message in the user's language."""
    cases = " ".join(
        f"WHEN {_lit(code)} THEN {_lit(text(code, kept='{kept}', column='', detail=''))}"
        for code in HARD_REASONS + IKD_REASONS
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
) -> dict[str, int]:
    """Write the quarantine CSV (0600) from ``quarantined`` (a relation with file_idx, ord,
    reasons, kept_key, kab) and the sources' rejected rows; return the rows per kab/kota
    (UNKNOWN: cannot be told)."""
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
    # once, not once per file: ``quarantined`` reads every file's parts (514 kab/kota files for
    # the whole country made that 514 x 514 reads); the quarantined rows are few
    con.execute(f"CREATE OR REPLACE TEMP TABLE q_all AS SELECT * FROM ({quarantined})")
    parts: list[Path] = []
    by_kab: dict[str, int] = {}
    for s in sources:
        canon = ", ".join(
            f"{neutralise_sql(f'st.c{s.positions[c]}')} AS {c}" if c in s.positions else f"NULL::VARCHAR AS {c}"
            for c in COLUMNS
        )
        part = workdir / f"quarantine_{s.index}.csv"
        rejected = [(r.row, r.reason, text(r.reason, detail=r.detail), r.raw) for r in s.rejected]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE q_rejected (row BIGINT, reason VARCHAR, message VARCHAR, raw VARCHAR)"
        )
        if rejected:
            con.executemany("INSERT INTO q_rejected VALUES (?, ?, ?, ?)", rejected)
        empty = ", ".join(f"NULL::VARCHAR AS {c}" for c in COLUMNS)
        file = neutralise_sql(_lit(s.path.name))
        con.execute(
            f"""COPY (
              SELECT * FROM (
                SELECT {file} AS file, q.ord AS row, array_to_string(q.reasons, ';') AS reasons,
                       {neutralise_sql(_message_sql("q.reasons", kept))} AS message,
                       coalesce(q.kab, '') AS kab_kota, {canon},
                       {neutralise_sql(_raw_row_sql(len(s.header), s.delimiter))} AS raw_row
                FROM q_all q JOIN read_parquet('{s.staging}') st ON st.ord = q.ord
                WHERE q.file_idx = {s.index}
                UNION ALL
                SELECT {file}, row, reason, {neutralise_sql("message")}, '', {empty}, {neutralise_sql("raw")}
                FROM q_rejected
              ) ORDER BY row
            ) TO '{part}' (FORMAT csv, HEADER false)"""
        )
        for kab, n in con.execute(
            f"SELECT coalesce(kab, ''), count(*) FROM q_all WHERE file_idx = {s.index} GROUP BY 1"
        ).fetchall():
            by_kab[str(kab)] = by_kab.get(str(kab), 0) + int(n)
        if rejected:
            by_kab[UNKNOWN] = by_kab.get(UNKNOWN, 0) + len(rejected)
        parts.append(part)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        for part in parts:
            with part.open(encoding="utf-8", newline="") as src:
                shutil.copyfileobj(src, f)
    return by_kab
