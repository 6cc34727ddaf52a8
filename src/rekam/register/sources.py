"""Opening one export file: its kind, encoding, delimiter, header, and a staging copy.

Each source is staged as a Parquet file of text columns ``c0 .. cN`` (the file's own
columns, in order) plus ``ord`` (the row's number in the file, the header being row 1; for
Parquet the row's position from 1) and ``fault`` (a row-level read problem, such as a
spreadsheet row with cells beyond the header).

A CSV is read twice, both times in parallel: DuckDB finds the records that do not split
into the header's fields (its reject table numbers them and keeps their raw text; they are
quarantined), and Polars streams the others to the staging file with a row index. DuckDB
alone cannot do both at once without falling back to one thread (``WITH ORDINALITY``),
which measured 2x slower; Polars alone cannot tell a short row from one with empty last
fields. If the two readers disagree on the count, DuckDB alone reads the file again.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from rekam.errors import IngestError
from rekam.register.schema import REQUIRED, map_header
from rekam.register.values import cell_text
from rekam.xlsx import read_xlsx

Kind = Literal["csv", "xlsx", "parquet"]

_CHUNK = 1 << 23
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class RejectedRow:
    row: int  # line of the record in the file; the header is row 1
    reason: str  # TOO_FEW_FIELDS | TOO_MANY_FIELDS | MALFORMED_ROW
    raw: str
    detail: str = ""


@dataclass
class Source:
    path: Path
    index: int
    kind: Kind
    header: list[str]
    positions: dict[str, int]
    staging: Path
    digest: str
    rows_staged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    delimiter: str = ","
    numeric_nik: bool = False

    @property
    def rows_read(self) -> int:
        return self.rows_staged + len(self.rejected)

    def row_of(self, ordinal: int) -> int:
        """The row number (header = 1) of a staged row: its ``ord``."""
        return ordinal

    def column(self, name: str) -> str | None:
        """The staging column holding rekam column ``name``, or None when absent."""
        pos = self.positions.get(name)
        return None if pos is None else f"c{pos}"


def detect_kind(path: Path, head: bytes) -> Kind:
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in head:
        raise IngestError("file_binary", file=path.name)
    return "csv"


#: The xlsx checks' defaults (settings REKAM_XLSX_MAX_MB and REKAM_XLSX_MAX_RATIO): the sum of the
#: parts' uncompressed sizes, and one part's uncompressed / compressed size. A real SIAK sheet
#: compresses 5-30 times; a zip bomb 1000 times.
XLSX_LIMITS = (4096 * 1024 * 1024, 200)


def check_xlsx(path: Path, limits: tuple[int, int] = XLSX_LIMITS) -> None:
    """Refuse a workbook that would expand beyond ``limits`` (bytes, ratio) before it is opened:
    the zip's own directory gives every part's sizes without decompressing anything."""
    import zipfile

    max_bytes, max_ratio = limits
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError("file_unreadable", file=path.name, detail=type(exc).__name__) from None
    total = sum(i.file_size for i in infos)
    ratio = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0.0)
    if total > max_bytes or ratio > max_ratio:
        raise IngestError(
            "xlsx_too_large",
            file=path.name,
            size=f"{total / 1048576:,.0f}".replace(",", "."),
            ratio=f"{ratio:,.0f}".replace(",", "."),
            limit=max_bytes // 1048576,
            max_ratio=max_ratio,
        )


def open_source(
    path: Path,
    index: int,
    workdir: Path,
    con: duckdb.DuckDBPyConnection,
    xlsx_limits: tuple[int, int] = XLSX_LIMITS,
    required: tuple[str, ...] = REQUIRED,
) -> Source:
    """Check ``path`` and stage it; raise IngestError when it cannot be a register (or, with
    ``required`` = ``schema.IKD_REQUIRED``, an IKD activation file)."""
    if not path.is_file():
        raise IngestError("file_missing", file=path.name)
    if path.stat().st_size == 0:
        raise IngestError("file_empty", file=path.name)
    with path.open("rb") as f:
        head = f.read(8192)
    kind = detect_kind(path, head)
    staging = workdir / f"stage_{index}.parquet"
    if kind == "csv":
        return _stage_csv(path, index, staging, workdir, con, required)
    if kind == "xlsx":
        check_xlsx(path, xlsx_limits)
        return _stage_xlsx(path, index, staging, con, required)
    return _stage_parquet(path, index, staging, con, required)


# --- CSV -----------------------------------------------------------------------------


def _is_utf8(path: Path) -> bool:
    """Whether the whole file is valid UTF-8 (an ASCII chunk is checked at memory speed)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if not chunk.isascii():
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    return False
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _cp1252_or_latin1(err: UnicodeError) -> tuple[str, int]:
    # The five bytes cp1252 leaves undefined are read as Latin-1.
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("rekam_latin1", _cp1252_or_latin1)


def _transcode(path: Path, out: Path) -> None:
    """Copy a Windows-1252 (or Latin-1) file to UTF-8."""
    decoder = codecs.getincrementaldecoder("cp1252")(errors="rekam_latin1")
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))


def _first_line(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as f:
        return f.readline().rstrip("\r\n")


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _stage_csv(
    path: Path, index: int, staging: Path, workdir: Path, con: duckdb.DuckDBPyConnection, required: tuple[str, ...]
) -> Source:
    # The digest is computed while the file is read below (hashlib releases the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_digest, path)
        source = _stage_csv_read(path, index, staging, workdir, con, required)
        source.digest = digest.result()
    return source


def _stage_csv_read(
    path: Path, index: int, staging: Path, workdir: Path, con: duckdb.DuckDBPyConnection, required: tuple[str, ...]
) -> Source:
    readable = path
    if not _is_utf8(path):
        readable = workdir / f"utf8_{index}.csv"
        _transcode(path, readable)
    line = _first_line(readable)
    if not line.strip():
        raise IngestError("file_empty", file=path.name)
    delimiter = sniff_delimiter(line)
    header = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    positions, missing = map_header(header, required)
    if missing:
        raise IngestError("missing_columns", file=path.name, columns=", ".join(missing))
    rejected, parsed = _csv_rejects(con, readable, index, len(header), delimiter, path.name)
    staged = _stage_csv_polars(readable, staging, len(header), delimiter, {r.row for r in rejected})
    if staged != parsed:
        # The two readers disagree on where records end (a stray quote, say): read again
        # with DuckDB alone, single-threaded, which numbers the rows it keeps itself.
        staged = _stage_csv_duckdb(con, readable, staging, len(header), delimiter, rejected, path.name)
    return Source(
        path=path,
        index=index,
        kind="csv",
        header=header,
        positions=positions,
        staging=staging,
        digest="",
        rows_staged=staged,
        rejected=rejected,
        delimiter=delimiter,
    )


def _read_csv_sql(width: int, rejects: str) -> str:
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    return (
        f"read_csv($path, header = true, columns = {columns}, delim = $delim, quote = '\"', escape = '\"', "
        f"strict_mode = true, auto_detect = false, encoding = 'utf-8', store_rejects = true, "
        f"rejects_table = '{rejects}', rejects_scan = '{rejects}_scan')"
    )


def _csv_rejects(
    con: duckdb.DuckDBPyConnection, path: Path, index: int, width: int, delimiter: str, name: str
) -> tuple[list[RejectedRow], int]:
    """Rows that do not split into the header's fields, and the count of those that do.

    DuckDB's parallel reader numbers rejected records (the header is record 1); the rows
    themselves are read by Polars below, whose row index numbers records the same way.
    """
    table = f"rejects_{index}"
    try:
        # fetchall, not fetchone: the reject table is written when the result is complete.
        [(parsed,)] = con.execute(
            f"SELECT count(*) FROM {_read_csv_sql(width, table)}",
            {"path": str(path), "delim": delimiter},
        ).fetchall()
    except duckdb.Error as exc:
        raise IngestError("file_unreadable", file=name, detail=_short(exc)) from None
    rows = con.execute(
        f"SELECT line, first(error_type ORDER BY column_idx), first(csv_line) FROM {table} GROUP BY line ORDER BY line"
    ).fetchall()
    out = []
    for line, error_type, raw in rows:
        reason = _REJECT_REASON.get(str(error_type), "MALFORMED_ROW")
        detail = "" if reason != "MALFORMED_ROW" else str(error_type).lower()
        out.append(RejectedRow(row=int(line), reason=reason, raw=raw or "", detail=detail))
    return out, int(parsed)


def _stage_csv_polars(path: Path, staging: Path, width: int, delimiter: str, rejected: set[int]) -> int:
    """Stream the CSV to staging Parquet with Polars (parallel, row index = record number)."""
    import polars as pl

    frame = pl.scan_csv(
        path,
        has_header=False,
        skip_rows=1,
        separator=delimiter,
        quote_char='"',
        schema={f"c{i}": pl.String for i in range(width)},
        missing_columns="insert",
        truncate_ragged_lines=True,
        row_index_name="ord",
        row_index_offset=2,
        encoding="utf8",
    )
    if rejected:
        frame = frame.filter(~pl.col("ord").is_in(sorted(rejected)))
    frame = frame.select(pl.col("ord").cast(pl.Int64), pl.lit(None, pl.String).alias("fault"), pl.exclude("ord"))
    try:
        frame.sink_parquet(staging, compression="uncompressed", statistics=False)
    except pl.exceptions.PolarsError:
        return -1
    return int(pl.scan_parquet(staging).select(pl.len()).collect().item())


def _stage_csv_duckdb(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    staging: Path,
    width: int,
    delimiter: str,
    rejected: list[RejectedRow],
    name: str,
) -> int:
    keys = [r.row - j - 1 for j, r in enumerate(rejected, start=1)]
    try:
        con.execute(
            f"""COPY (SELECT ordinality AS k, NULL::VARCHAR AS fault, *
                      FROM {_read_csv_sql(width, "rejects_again_" + staging.stem)} WITH ORDINALITY)
                TO '{staging}.tmp' (FORMAT parquet)""",
            {"path": str(path), "delim": delimiter},
        )
    except duckdb.Error as exc:
        raise IngestError("file_unreadable", file=name, detail=_short(exc)) from None
    # The k-th kept record is record k + 1 + #{j : r_j - j - 1 < k}, with r_j the record
    # numbers of the rejected ones in order.
    con.execute("CREATE OR REPLACE TEMP TABLE reject_keys AS SELECT unnest(?::BIGINT[]) AS key", [keys])
    con.execute(
        f"""COPY (SELECT k + 1 + (SELECT count(*) FROM reject_keys WHERE key < k) AS ord, * EXCLUDE (k)
                 FROM read_parquet('{staging}.tmp')) TO '{staging}' (FORMAT parquet)"""
    )
    Path(f"{staging}.tmp").unlink()
    (count,) = con.execute(f"SELECT count(*) FROM '{staging}'").fetchall()[0]
    return int(count)


_REJECT_REASON = {
    "MISSING COLUMNS": "TOO_FEW_FIELDS",
    "TOO MANY COLUMNS": "TOO_MANY_FIELDS",
}


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]


# --- XLSX ----------------------------------------------------------------------------


def _xlsx_header(row: Sequence[object]) -> list[str] | None:
    """A row's texts when it is a register export's header (it names the NIK column)."""
    texts = [cell_text(v) or "" for v in row]
    return texts if "NIK" in map_header(texts)[0] else None


def _stage_xlsx(
    path: Path, index: int, staging: Path, con: duckdb.DuckDBPyConnection, required: tuple[str, ...]
) -> Source:
    import pyarrow as pa
    import pyarrow.parquet as pq

    digest = _digest(path)
    with read_xlsx(path, _xlsx_header) as table:
        if table is None:
            raise IngestError("no_header_sheet", file=path.name)
        header = table.header
        positions, missing = map_header(header, required)
        if missing:
            raise IngestError("missing_columns", file=path.name, columns=", ".join(missing))
        width = len(header)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        ords: list[int] = []
        faults: list[str | None] = []
        numeric_nik = False
        nik_pos = positions["NIK"]
        for row_no, cells, extra in table.rows:
            if isinstance(cells[nik_pos], (int, float)) and not isinstance(cells[nik_pos], bool):
                numeric_nik = True
                faults.append("NIK_NUMERIC")
            else:
                faults.append(None)
            if extra:
                faults[-1] = "TOO_MANY_FIELDS"
            for i, v in enumerate(cells):
                if i == nik_pos and isinstance(v, float) and v.is_integer():
                    columns[i].append(str(int(v)))
                else:
                    columns[i].append(cell_text(v))
            ords.append(row_no)
    staged = pa.table(
        {"ord": pa.array(ords, pa.int64()), "fault": pa.array(faults, pa.string())}
        | {f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)}
    )
    pq.write_table(staged, staging, compression="snappy")
    return Source(
        path=path,
        index=index,
        kind="xlsx",
        header=header,
        positions=positions,
        staging=staging,
        digest=digest,
        rows_staged=len(ords),
        numeric_nik=numeric_nik,
    )


# --- Parquet -------------------------------------------------------------------------


def _stage_parquet(
    path: Path, index: int, staging: Path, con: duckdb.DuckDBPyConnection, required: tuple[str, ...]
) -> Source:
    digest = _digest(path)
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise IngestError("file_unreadable", file=path.name, detail=_short(exc)) from None
    header = [str(r[0]) for r in described]
    types = [str(r[1]) for r in described]
    positions, missing = map_header(header, required)
    if missing:
        raise IngestError("missing_columns", file=path.name, columns=", ".join(missing))
    nik_numeric = types[positions["NIK"]] in {"BIGINT", "HUGEINT", "DOUBLE", "DECIMAL", "UBIGINT"}
    selects = []
    for i, (name, typ) in enumerate(zip(header, types, strict=True)):
        quoted = '"' + name.replace('"', '""') + '"'
        if typ == "DOUBLE" or typ.startswith("DECIMAL"):
            expr = f"CASE WHEN {quoted} = trunc({quoted}) THEN CAST(CAST({quoted} AS HUGEINT) AS VARCHAR) ELSE CAST({quoted} AS VARCHAR) END"
        elif typ.startswith("TIMESTAMP"):
            expr = f"CAST(CAST({quoted} AS DATE) AS VARCHAR)"
        else:
            expr = f"CAST({quoted} AS VARCHAR)"
        selects.append(f"{expr} AS c{i}")
    fault = "'NIK_NUMERIC'" if nik_numeric else "NULL::VARCHAR"
    try:
        con.execute(
            f"COPY (SELECT file_row_number + 1 AS ord, {fault} AS fault, {', '.join(selects)} "
            f"FROM read_parquet(?, file_row_number = true)) TO '{staging}' (FORMAT parquet, COMPRESSION snappy)",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise IngestError("file_unreadable", file=path.name, detail=_short(exc)) from None
    rows = con.execute(f"SELECT count(*) FROM '{staging}'").fetchone()[0]  # type: ignore[index]
    return Source(
        path=path,
        index=index,
        kind="parquet",
        header=header,
        positions=positions,
        staging=staging,
        digest=digest,
        rows_staged=rows,
        numeric_nik=nik_numeric,
    )


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
