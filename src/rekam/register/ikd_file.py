"""IKD activation files (issue 19): a second file keyed by NIK, read with a register import.

An IKD file has the columns NIK and STATUS_IKD (required), TGL_AKTIVASI_IKD and
KAB_AKTIVASI_IKD (optional), under the register's names and aliases (``register.schema``) and
read by the register's own parsers (``validate.ikd_status``, ``validate.kab_code``,
``values.parse_date``). Every row is accepted or quarantined (``rows_read = accepted +
quarantined`` per file), in the import's quarantine file:

- a bad NIK (the register's NIK reasons), a status empty or outside the list
  (IKD_STATUS_INVALID), a date or kab/kota code given but not one (IKD_DATE_INVALID,
  IKD_KAB_INVALID), a row that does not split into the header's fields;
- IKD_NIK_DUPLICATE: a later copy of a NIK already accepted from the IKD files (file order,
  files in the order given);
- IKD_NIK_UNKNOWN: a NIK that is none of this import's accepted register rows (perhaps a
  resident of a kab/kota not in this import).

The accepted rows (table ``ikd_file``) replace the export's own IKD values of their register
row when the parts are written (``validate.checked_sql(ikd=True)``): the file wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

from rekam.register.sources import Source
from rekam.register.validate import ikd_status, kab_code, nik_reasons_sql
from rekam.register.values import parse_date

#: The reasons an IKD file's row is quarantined besides the register's NIK and row-reading
#: reasons. Documented in docs/import.md.
IKD_REASONS: tuple[str, ...] = (
    "IKD_STATUS_INVALID",
    "IKD_DATE_INVALID",
    "IKD_KAB_INVALID",
    "IKD_NIK_DUPLICATE",
    "IKD_NIK_UNKNOWN",
)

_FIELDS = ("NIK", "STATUS_IKD", "TGL_AKTIVASI_IKD", "KAB_AKTIVASI_IKD")


def _raw_sql(sources: Iterable[Source]) -> str:
    parts = []
    for s in sources:
        cols = []
        for name in _FIELDS:
            src = s.column(name)
            cols.append(f"NULLIF(trim({src}), '') AS {name}" if src else f"NULL::VARCHAR AS {name}")
        parts.append(f"SELECT {s.index} AS file_idx, ord, fault, {', '.join(cols)} FROM read_parquet('{s.staging}')")
    return "\nUNION ALL\n".join(parts)


def check(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Check the IKD files' rows: table ``ikd_checked`` (file_idx, ord, nik, the three values,
    reasons, kept_key) and table ``ikd_file`` (the rows with no reason: one per NIK)."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW ikd_raw AS {_raw_sql(sources)}")
    [(statuses, dates, kabs)] = con.execute(
        "SELECT list(DISTINCT STATUS_IKD), list(DISTINCT TGL_AKTIVASI_IKD), list(DISTINCT KAB_AKTIVASI_IKD) FROM ikd_raw"
    ).fetchall()

    def table(name: str, v_type: pa.DataType, values: list[str] | None, fn: Any) -> None:
        raws = sorted(v for v in values or [] if v is not None)
        arrow = pa.table({"raw": pa.array(raws, pa.string()), "v": pa.array([fn(r) for r in raws], v_type)})
        con.register(f"{name}_arrow", arrow)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")

    table("ikd_lk_status", pa.string(), statuses, ikd_status)
    table("ikd_lk_date", pa.date32(), dates, parse_date)
    table("ikd_lk_kab", pa.string(), kabs, kab_code)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE ikd_checked AS
WITH n AS (
  SELECT r.file_idx, r.ord, r.fault, r.NIK AS nik,
    s.v AS ikd_status, d.v AS ikd_activated_on, k.v AS ikd_kab_code,
    r.TGL_AKTIVASI_IKD IS NOT NULL AS has_date, r.KAB_AKTIVASI_IKD IS NOT NULL AS has_kab,
    {nik_reasons_sql("r.NIK")} AS nik_reasons
  FROM ikd_raw r
  LEFT JOIN ikd_lk_status s ON s.raw = r.STATUS_IKD
  LEFT JOIN ikd_lk_date d ON d.raw = r.TGL_AKTIVASI_IKD
  LEFT JOIN ikd_lk_kab k ON k.raw = r.KAB_AKTIVASI_IKD
),
h AS (
  SELECT *, file_idx * 4294967296 + ord AS row_key,
    list_filter([CASE WHEN fault IN ('TOO_MANY_FIELDS', 'TOO_FEW_FIELDS', 'MALFORMED_ROW') THEN fault END]
      || nik_reasons || [
      CASE WHEN regexp_full_match(nik, '[0-9]([.,][0-9]+)?[eE][+]?[0-9]+')
             OR (fault = 'NIK_NUMERIC' AND len(nik_reasons) > 0) THEN 'NIK_EXCEL_NUMBER' END,
      CASE WHEN ikd_status IS NULL THEN 'IKD_STATUS_INVALID' END,
      CASE WHEN has_date AND ikd_activated_on IS NULL THEN 'IKD_DATE_INVALID' END,
      CASE WHEN has_kab AND ikd_kab_code IS NULL THEN 'IKD_KAB_INVALID' END
    ], lambda x: x IS NOT NULL) AS hard
  FROM n
),
k AS (
  SELECT *, min(CASE WHEN len(hard) = 0 THEN row_key END) OVER (PARTITION BY nik) AS first_key FROM h
)
SELECT file_idx, ord, nik, ikd_status, ikd_activated_on, ikd_kab_code,
  CASE WHEN len(hard) = 0 AND first_key < row_key THEN ['IKD_NIK_DUPLICATE'] ELSE hard END AS reasons,
  CASE WHEN len(hard) = 0 AND first_key < row_key THEN first_key END AS kept_key
FROM k"""
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ikd_file AS SELECT nik, ikd_status, ikd_activated_on, ikd_kab_code "
        "FROM ikd_checked WHERE len(reasons) = 0"
    )


def match(con: duckdb.DuckDBPyConnection, written: str) -> None:
    """After the parts are written (``written``: a relation of them): table ``ikd_final``, the
    IKD rows with IKD_NIK_UNKNOWN added where the NIK is none of the accepted register rows, and
    ``kab``, the kab/kota of the register row a NIK names (NULL: unknown)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE ikd_final AS
WITH known AS (
  SELECT nik, any_value(kab_code) AS kab_code FROM {written}
  WHERE accepted AND nik IN (SELECT nik FROM ikd_checked WHERE nik IS NOT NULL) GROUP BY nik
)
SELECT c.file_idx, c.ord, c.kept_key, known.kab_code AS kab,
  CASE WHEN len(c.reasons) = 0 AND known.nik IS NULL THEN ['IKD_NIK_UNKNOWN'] ELSE c.reasons END AS reasons
FROM ikd_checked c LEFT JOIN known ON known.nik = c.nik"""
    )


#: The quarantined IKD rows as ``quarantine.write`` reads them (after ``match``).
QUARANTINED_SQL = "SELECT file_idx, ord, reasons, kept_key, kab FROM ikd_final WHERE len(reasons) > 0"


def figures(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> list[dict[str, Any]]:
    """Per IKD file (after ``match``): rows read, accepted, quarantined, and the quarantined
    rows per reason (a row with two reasons counts under each)."""
    out = []
    for s in sources:
        [(accepted,)] = con.execute(
            f"SELECT count(*) FROM ikd_final WHERE file_idx = {s.index} AND len(reasons) = 0"
        ).fetchall()
        reasons: dict[str, int] = {
            str(r): int(n)
            for r, n in con.execute(
                f"SELECT r, count(*) FROM (SELECT unnest(reasons) AS r FROM ikd_final WHERE file_idx = {s.index}) "
                "GROUP BY r"
            ).fetchall()
        }
        for rejected in s.rejected:
            reasons[rejected.reason] = reasons.get(rejected.reason, 0) + 1
        out.append(
            {
                "file": s.path.name,
                "kind": s.kind,
                "rows_read": s.rows_read,
                "accepted": int(accepted),
                "quarantined": s.rows_read - int(accepted),
                "quarantine_reasons": dict(sorted(reasons.items())),
            }
        )
    return out
