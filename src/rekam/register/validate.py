"""The validation of staged rows, written once as DuckDB SQL over small lookup tables.

Values with few distinct forms (codes, labels, dates, region parts) are read by the pure
rules in ``rekam.domain`` and ``rekam.register.values``, once per *distinct* raw value,
into lookup tables that the row query joins. Only the NIK, which is unique per row, is
checked in SQL; ``tests/unit/register/test_nik_sql.py`` proves the SQL agrees with
``rekam.domain.nik`` on generated NIKs.

Hard reasons put a row in quarantine; warnings keep it, counted by code. Both lists are
documented in docs/import.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from rekam.domain import codes, recording
from rekam.domain.region import PROVINCE_CODES, RegionCode
from rekam.register import gazetteer
from rekam.register.schema import COLUMNS
from rekam.register.sources import Source
from rekam.register.values import parse_date, region_part

HARD_REASONS: tuple[str, ...] = (
    "NIK_MISSING",
    "NIK_FORMAT",
    "NIK_EXCEL_NUMBER",
    "NIK_PROVINCE",
    "NIK_KABKOTA_ZERO",
    "NIK_KECAMATAN_ZERO",
    "NIK_BIRTH_DATE",
    "NIK_SERIAL",
    "BIRTH_DATE_MISSING",
    "BIRTH_DATE_INVALID",
    "BIRTH_DATE_FUTURE",
    "SEX_INVALID",
    "MARITAL_INVALID",
    "KTP_STATUS_INVALID",
    "REGION_INVALID",
    "TOO_FEW_FIELDS",
    "TOO_MANY_FIELDS",
    "MALFORMED_ROW",
    "NIK_DUPLICATE",
)

_CODED_REQUIRED = ("JENIS_KLMIN", "STAT_KWN", "STATUS_KTP_EL", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")

# Optional coded columns: a value outside the list is blanked with warning INVALID_<COLUMN>.
_CODED_OPTIONAL: dict[str, tuple[str, Callable[[str], Any], str]] = {
    "AGAMA": ("religion", lambda raw: codes.lookup(codes.RELIGION, raw), "SMALLINT"),
    "STAT_HBKEL": ("family_relation", lambda raw: codes.lookup(codes.FAMILY_RELATION, raw), "SMALLINT"),
    "PDDK_AKH": ("education", lambda raw: codes.lookup(codes.EDUCATION, raw), "SMALLINT"),
    "JENIS_PKRJN": ("occupation", lambda raw: codes.lookup(codes.OCCUPATION, raw), "SMALLINT"),
    "PNYDNG_CCT": ("disability", lambda raw: _disability(raw), "SMALLINT"),
    "KEWARGANEGARAAN": ("citizenship", lambda raw: codes.lookup(codes.CITIZENSHIP, raw), "VARCHAR"),
    "IZIN_TINGGAL": ("stay_permit", lambda raw: codes.lookup(codes.STAY_PERMIT, raw), "VARCHAR"),
    "KELOMPOK_RENTAN": ("vulnerable_group", lambda raw: codes.lookup(codes.VULNERABLE_GROUPS, raw), "VARCHAR"),
    "STATUS_IKD": ("ikd_status", lambda raw: ikd_status(raw), "VARCHAR"),
    "KAB_AKTIVASI_IKD": ("ikd_kab_code", lambda raw: kab_code(raw), "VARCHAR"),
}
_DATES: dict[str, str] = {
    "TGL_LHR": "birth_date",
    "TGL_KWN": "married_on",
    "TGL_REKAM": "recorded_on",
    "TGL_CETAK": "printed_on",
    "TGL_AKTIVASI_IKD": "ikd_activated_on",
}
# The text columns carried as they are (trimmed).
_TEXT: dict[str, str] = {
    "NO_KK": "kk",
    "NAMA_LGKP": "name",
    "TMPT_LHR": "birth_place",
    "ALAMAT": "address",
    "NO_RT": "rt",
    "NO_RW": "rw",
    "DUSUN": "dusun",
    "KODE_POS": "postal_code",
}

# The columns of a snapshot part, in order. Documented in docs/import.md.
SNAPSHOT_COLUMNS: tuple[str, ...] = (
    "nik",
    "kk",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "religion",
    "marital_status",
    "married_on",
    "ever_married_since",
    "family_relation",
    "disability",
    "education",
    "occupation",
    "citizenship",
    "stay_permit",
    "vulnerable_group",
    "address",
    "rt",
    "rw",
    "dusun",
    "postal_code",
    "prov_code",
    "kab_code",
    "kec_code",
    "desa_code",
    "desa_id",
    "ktp_status",
    "recording_state",
    "printed",
    "printable",
    "recorded_on",
    "printed_on",
    "ikd_status",
    "ikd_activated_on",
    "ikd_kab_code",
    "export_date",
    "warnings",
)


def ikd_status(raw: str) -> str | None:
    """STATUS_IKD's value (``codes.IKD_STATUS``: AKTIF or BELUM), None when it is not one; the
    register's column and the IKD file (``register.ikd_file``) read it so."""
    return codes.lookup(codes.IKD_STATUS, raw)


def kab_code(raw: str) -> str | None:
    """A kab/kota code ("13.71", "1371", or a longer code of a place in it) as dotted "13.71";
    None when it is not one."""
    digits = "".join(ch for ch in str(raw) if ch.isdigit())
    if len(digits) < 4 or digits[:2] not in PROVINCE_CODES or digits[2:4] == "00":
        return None
    return f"{digits[:2]}.{digits[2:4]}"


def _disability(raw: str) -> int | None:
    if codes.is_no_disability(raw):
        return 0
    return codes.lookup(codes.DISABILITY, raw)


def union_sql(sources: Iterable[Source]) -> str:
    """All staged rows under rekam's column names (NULL where a file lacks a column)."""
    parts = []
    for s in sources:
        cols = []
        for name in COLUMNS:
            src = s.column(name)
            if src is None:
                cols.append(f"NULL::VARCHAR AS {name}")
            elif name in _CODED_OPTIONAL or name in _DATES or name in _CODED_REQUIRED:
                # Lookups see the raw value: the domain rules ignore surrounding spaces.
                cols.append(f"NULLIF({src}, '') AS {name}")
            else:
                cols.append(f"NULLIF(trim({src}), '') AS {name}")
        parts.append(f"SELECT {s.index} AS file_idx, ord, fault, {', '.join(cols)} FROM read_parquet('{s.staging}')")
    return "\nUNION ALL\n".join(parts)


def register_lookups(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Build one lookup table per coded column from its distinct raw values."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_rows AS {union_sql(sources)}")
    coded = ["JENIS_KLMIN", "STAT_KWN", "STATUS_KTP_EL", *_CODED_OPTIONAL, *_DATES]
    values: dict[str, set[str]] = {c: set() for c in coded}
    regions: set[tuple[Any, ...]] = set()
    # One scan per file for every column's distinct values;
    # file by file, so memory does not grow with the number of files.
    for s in sources:
        [found] = con.execute(
            "SELECT "
            + ", ".join(f"list(DISTINCT {c})" for c in coded)
            + ", list(DISTINCT {'p': NO_PROP, 'k': NO_KAB, 'c': NO_KEC, 'd': NO_KEL}) "
            + f"FROM ({union_sql([s])})"
        ).fetchall()
        for c, found_values in zip(coded, found[:-1], strict=True):
            values[c].update(v for v in found_values or [] if v is not None)
        regions.update((r["p"], r["k"], r["c"], r["d"]) for r in found[-1] or [])

    def distinct(col: str) -> list[str]:
        return sorted(values[col])

    def table(name: str, schema: list[tuple[str, pa.DataType]], rows: list[tuple[Any, ...]]) -> None:
        arrays = [pa.array([r[i] for r in rows], t) for i, (_, t) in enumerate(schema)]
        con.register(f"{name}_arrow", pa.Table.from_arrays(arrays, names=[n for n, _ in schema]))
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")

    table(
        "lk_sex",
        [("raw", pa.string()), ("v", pa.string())],
        [(r, codes.lookup(codes.SEX, r)) for r in distinct("JENIS_KLMIN")],
    )
    table(
        "lk_marital",
        [("raw", pa.string()), ("v", pa.int16())],
        [(r, codes.lookup(codes.MARITAL, r)) for r in distinct("STAT_KWN")],
    )
    status_rows = []
    for r in distinct("STATUS_KTP_EL"):
        info = recording.classify_status(r)
        status_rows.append(
            (r, info.canonical, info.state.value, info.printed, info.printable) if info else (r, None, None, None, None)
        )
    table(
        "lk_status",
        [
            ("raw", pa.string()),
            ("canonical", pa.string()),
            ("state", pa.string()),
            ("printed", pa.bool_()),
            ("printable", pa.bool_()),
        ],
        status_rows,
    )
    for col, (_, fn, sqltype) in _CODED_OPTIONAL.items():
        pa_type = pa.int16() if sqltype == "SMALLINT" else pa.string()
        table(f"lk_{col.lower()}", [("raw", pa.string()), ("v", pa_type)], [(r, fn(r)) for r in distinct(col)])
    for col in _DATES:
        table(
            f"lk_{col.lower()}", [("raw", pa.string()), ("v", pa.date32())], [(r, parse_date(r)) for r in distinct(col)]
        )
    region_rows = []
    for prov, kab, kec, kel in regions:
        region_rows.append((prov, kab, kec, kel, *_region(prov, kab, kec, kel)))
    table(
        "lk_region",
        [
            ("p", pa.string()),
            ("k", pa.string()),
            ("c", pa.string()),
            ("d", pa.string()),
            ("prov_code", pa.string()),
            ("kab_code", pa.string()),
            ("kec_code", pa.string()),
            ("desa_code", pa.string()),
            ("desa_id", pa.int64()),
            ("known", pa.bool_()),
        ],
        region_rows,
    )
    table("lk_kec_prefix", [("prefix", pa.string())], [(p,) for p in sorted(gazetteer.kecamatan_prefixes())])


def _region(prov: str | None, kab: str | None, kec: str | None, kel: str | None) -> tuple[Any, ...]:
    parts = [region_part(x) for x in (prov, kab, kec, kel)]
    if any(p is None for p in parts):
        return (None, None, None, None, None, None)
    p, k, c, d = parts
    assert p is not None and k is not None and c is not None and d is not None
    if not (11 <= p <= 99 and 1 <= k <= 99 and 1 <= c <= 99 and 1001 <= d <= 9999):
        return (None, None, None, None, None, None)
    try:
        code = RegionCode.from_parts(p, k, c, d)
    except ValueError:
        return (None, None, None, None, None, None)
    desa = code.dotted
    kec_code, kab_code, prov_code = desa[:8], desa[:5], desa[:2]
    return (prov_code, kab_code, kec_code, desa, int(code.plain), gazetteer.is_known(desa))


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def _codes_sql(pairs: list[tuple[str, str]]) -> str:
    """SQL for the list of codes whose condition holds, in order.

    ``pairs`` are (code expression, condition). Most rows have no code at all, and building
    a list per row is what costs: the list is built only when some condition holds.
    """
    items = ", ".join(f"CASE WHEN {cond} THEN {code} END" for code, cond in pairs)
    any_true = " OR ".join(f"coalesce({cond}, false)" for _, cond in pairs)
    return f"(CASE WHEN {any_true} THEN list_filter([{items}], lambda x: x IS NOT NULL) ELSE []::VARCHAR[] END)"


def find_duplicates(con: duckdb.DuckDBPyConnection, sources: list[Source], export_date: date) -> None:
    """Build ``dup_first``: for each NIK seen more than once, its first valid row in file
    order (files in the order given).

    Candidates are found on a 64-bit hash of the NIK (8 bytes a row, so 50 M rows fit in
    memory); a hash collision only makes a NIK a candidate, and the exact NIKs decide.
    """
    con.execute("CREATE OR REPLACE TEMP TABLE nik_hashes (h UBIGINT)")
    for s in sources:
        con.execute(f"INSERT INTO nik_hashes SELECT hash(NIK) FROM ({union_sql([s])}) WHERE NIK IS NOT NULL")
    con.execute("CREATE OR REPLACE TEMP TABLE dup_hashes AS SELECT h FROM nik_hashes GROUP BY h HAVING count(*) > 1")
    con.execute("DROP TABLE nik_hashes")
    candidates = checked_sql(export_date, duplicates=False, where="WHERE hash(NIK) IN (SELECT h FROM dup_hashes)")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE dup_first AS SELECT nik, min(row_key) AS first_key "
        f"FROM ({candidates}) WHERE len(reasons) = 0 GROUP BY nik"
    )


def nik_reasons_sql(nik: str, parts: tuple[str, str, str, str] | None = None) -> str:
    """SQL for the list of reasons a NIK is invalid, as ``rekam.domain.nik.validate_nik``.

    NIK_MISSING (NULL) comes first; the other codes are the domain's ``NikError`` values.
    ``parts`` names columns already holding (is 16 digits, DD, MM, YY), to compute them once.
    """
    digits, dd, mm, yy = parts or (
        f"regexp_full_match({nik}, '[0-9]{{16}}')",
        f"TRY_CAST(substr({nik}, 7, 2) AS INTEGER)",
        f"TRY_CAST(substr({nik}, 9, 2) AS INTEGER)",
        f"TRY_CAST(substr({nik}, 11, 2) AS INTEGER)",
    )
    day = f"(CASE WHEN {dd} > 40 THEN {dd} - 40 ELSE {dd} END)"
    # The longest month in 19yy or 20yy: February has 29 days when either year is a leap
    # year, i.e. when yy is a multiple of 4 (1900 is common, 2000 is leap).
    month_days = (
        f"(CASE WHEN {mm} = 2 THEN (CASE WHEN {yy} % 4 = 0 THEN 29 ELSE 28 END) "
        f"WHEN {mm} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)"
    )
    real_date = f"{mm} BETWEEN 1 AND 12 AND ({dd} BETWEEN 1 AND 31 OR {dd} BETWEEN 41 AND 71) AND {day} <= {month_days}"
    return _codes_sql(
        [
            ("'NIK_MISSING'", f"{nik} IS NULL"),
            ("'NIK_FORMAT'", f"{nik} IS NOT NULL AND NOT {digits}"),
            ("'NIK_PROVINCE'", f"{digits} AND substr({nik}, 1, 2) NOT IN ({_sql_list(PROVINCE_CODES)})"),
            ("'NIK_KABKOTA_ZERO'", f"{digits} AND substr({nik}, 3, 2) = '00'"),
            ("'NIK_KECAMATAN_ZERO'", f"{digits} AND substr({nik}, 5, 2) = '00'"),
            ("'NIK_BIRTH_DATE'", f"{digits} AND NOT ({real_date})"),
            ("'NIK_SERIAL'", f"{digits} AND substr({nik}, 13, 4) = '0000'"),
        ]
    )


def checked_sql(
    export_date: date, duplicates: bool = True, where: str = "", ikd: bool = False, rows: str = "raw_rows"
) -> str:
    """Every staged row (of ``rows``: all files' ``raw_rows``, or one file's ``union_sql``) with
    its normalised values, hard reasons and warnings.

    With ``duplicates`` a row whose NIK already has an earlier valid row (table
    ``dup_first``, built by ``find_duplicates``) gets the reason NIK_DUPLICATE and
    ``kept_key``, the key (file_idx << 32 | ord) of the kept row.

    With ``ikd`` the accepted rows of the import's IKD files (table ``ikd_file``: nik,
    ikd_status, ikd_activated_on, ikd_kab_code; ``register.ikd_file``) replace the export's own
    three IKD values for their NIK, all three together (the file wins), before the IKD warnings;
    a row whose own values say otherwise gets the warning IKD_FILE_DIFFERS.
    """
    d = f"DATE '{export_date.isoformat()}'"
    opt_joins = "\n".join(
        f"LEFT JOIN lk_{c.lower()} ON lk_{c.lower()}.raw = r.{c}" for c in list(_CODED_OPTIONAL) + list(_DATES)
    )
    opt_cols = ",\n".join(f"lk_{c.lower()}.v AS {name}" for c, (name, _, _) in _CODED_OPTIONAL.items())
    date_cols = ",\n".join(f"lk_{c.lower()}.v AS {name}" for c, name in _DATES.items())
    text_cols = ",\n".join(f"r.{c} AS {name}" for c, name in _TEXT.items())
    opt_warnings = _codes_sql(
        [
            (f"'INVALID_{c}'", f"r.{c} IS NOT NULL AND lk_{c.lower()}.v IS NULL")
            for c in list(_CODED_OPTIONAL) + [c for c in _DATES if c != "TGL_LHR"]
        ]
    )

    warnings = _codes_sql(
        [
            (
                "'NIK_BIRTHDATE_MISMATCH'",
                "nik_digits AND birth_date IS NOT NULL AND NOT (day(birth_date) = nik_day "
                "AND month(birth_date) = nik_mm AND year(birth_date) % 100 = nik_yy)",
            ),
            ("'NIK_SEX_MISMATCH'", "nik_digits AND sex IS NOT NULL AND (nik_dd > 40) <> (sex = 'P')"),
            ("'NIK_REGION_UNKNOWN'", "nik_digits AND NOT nik_prefix_known"),
            ("'DOMICILE_UNKNOWN'", "desa_code IS NOT NULL AND NOT desa_known"),
            ("'KK_INVALID'", "kk IS NULL OR NOT regexp_full_match(kk, '[0-9]{16}')"),
            ("'NAME_EMPTY'", "name IS NULL"),
            ("'REKAM_DATE_MISSING'", "recording_state = 'SUDAH_REKAM' AND recorded_on IS NULL"),
            (
                "'REKAM_BEFORE_16'",
                # eligibility.recorded_under_age: after birth, before 16, not married by then
                "recorded_on IS NOT NULL AND birth_date IS NOT NULL AND recorded_on >= birth_date "
                "AND recorded_on < birth_date + INTERVAL 16 YEAR "
                "AND NOT (marital_status IN (2, 3, 4) AND coalesce(married_on <= recorded_on, true))",
            ),
            ("'REKAM_AFTER_SNAPSHOT'", f"recorded_on > {d}"),
            # IKD (issue 19): an activation needs a recording; either case is a data-quality case.
            ("'IKD_WITHOUT_RECORDING'", "ikd_status = 'AKTIF' AND recording_state IS DISTINCT FROM 'SUDAH_REKAM'"),
            ("'IKD_AFTER_SNAPSHOT'", f"ikd_activated_on > {d}"),
            ("'NIK_FROM_NUMBER'", "fault = 'NIK_NUMERIC'"),
            *([("'IKD_FILE_DIFFERS'", "ikd_file_differs")] if ikd else []),
        ]
    )
    if ikd:
        own = "(n.ikd_status IS NOT NULL OR n.ikd_activated_on IS NOT NULL OR n.ikd_kab_code IS NOT NULL)"
        theirs = "ikd_file.nik IS NOT NULL"
        file_cte = f"""f AS (
  SELECT n.* REPLACE (
      CASE WHEN {theirs} THEN ikd_file.ikd_status ELSE n.ikd_status END AS ikd_status,
      CASE WHEN {theirs} THEN ikd_file.ikd_activated_on ELSE n.ikd_activated_on END AS ikd_activated_on,
      CASE WHEN {theirs} THEN ikd_file.ikd_kab_code ELSE n.ikd_kab_code END AS ikd_kab_code),
    {theirs} AND {own} AND (n.ikd_status IS DISTINCT FROM ikd_file.ikd_status
      OR n.ikd_activated_on IS DISTINCT FROM ikd_file.ikd_activated_on
      OR n.ikd_kab_code IS DISTINCT FROM ikd_file.ikd_kab_code) AS ikd_file_differs
  FROM n LEFT JOIN ikd_file ON ikd_file.nik = n.nik
),"""
    else:
        file_cte = "f AS (SELECT * FROM n),"
    first_key = "dup_first.first_key" if duplicates else "NULL::BIGINT"
    dup_join = "LEFT JOIN dup_first ON dup_first.nik = v.nik" if duplicates else ""
    return f"""
WITH n AS (
  SELECT r.file_idx, r.ord, r.fault, r.NIK AS nik_raw,
    regexp_full_match(r.NIK, '[0-9]{{16}}') AS nik_digits,
    TRY_CAST(substr(r.NIK, 7, 2) AS INTEGER) AS nik_dd,
    TRY_CAST(substr(r.NIK, 9, 2) AS INTEGER) AS nik_mm,
    TRY_CAST(substr(r.NIK, 11, 2) AS INTEGER) AS nik_yy,
    r.NIK AS nik,
    {text_cols},
    lk_sex.v AS sex,
    lk_marital.v AS marital_status,
    lk_status.canonical AS ktp_status, lk_status.state AS recording_state,
    lk_status.printed AS printed, lk_status.printable AS printable,
    {opt_cols},
    {date_cols},
    lk_region.prov_code, lk_region.kab_code, lk_region.kec_code, lk_region.desa_code,
    lk_region.desa_id, lk_region.known AS desa_known,
    lk_kec_prefix.prefix IS NOT NULL AS nik_prefix_known,
    r.JENIS_KLMIN IS NOT NULL AS has_sex, r.STAT_KWN IS NOT NULL AS has_marital,
    r.TGL_LHR IS NOT NULL AS has_birth,
    {opt_warnings} AS opt_warnings
  FROM (SELECT * FROM {rows} {where}) r
  LEFT JOIN lk_kec_prefix ON lk_kec_prefix.prefix = substr(r.NIK, 1, 6)
  LEFT JOIN lk_sex ON lk_sex.raw = r.JENIS_KLMIN
  LEFT JOIN lk_marital ON lk_marital.raw = r.STAT_KWN
  LEFT JOIN lk_status ON lk_status.raw = r.STATUS_KTP_EL
  LEFT JOIN lk_region ON lk_region.p IS NOT DISTINCT FROM r.NO_PROP AND lk_region.k IS NOT DISTINCT FROM r.NO_KAB
       AND lk_region.c IS NOT DISTINCT FROM r.NO_KEC AND lk_region.d IS NOT DISTINCT FROM r.NO_KEL
  {opt_joins}
),
{file_cte}
v0 AS (
  SELECT *,
    CASE WHEN nik_dd > 40 THEN nik_dd - 40 ELSE nik_dd END AS nik_day,
    {nik_reasons_sql("nik", ("nik_digits", "nik_dd", "nik_mm", "nik_yy"))} AS nik_reasons
  FROM f
),
v AS (
  SELECT *,
    CASE WHEN len(nik_reasons) = 0 AND fault IS NULL AND has_birth AND birth_date <= {d}
              AND sex IS NOT NULL AND marital_status IS NOT NULL AND recording_state IS NOT NULL
              AND desa_code IS NOT NULL
         THEN []::VARCHAR[]
         ELSE list_filter([
      CASE WHEN fault IN ('TOO_MANY_FIELDS', 'TOO_FEW_FIELDS', 'MALFORMED_ROW') THEN fault END
    ] || nik_reasons || [
      CASE WHEN regexp_full_match(nik, '[0-9]([.,][0-9]+)?[eE][+]?[0-9]+')
             OR (fault = 'NIK_NUMERIC' AND len(nik_reasons) > 0) THEN 'NIK_EXCEL_NUMBER' END,
      CASE WHEN NOT has_birth THEN 'BIRTH_DATE_MISSING' END,
      CASE WHEN has_birth AND birth_date IS NULL THEN 'BIRTH_DATE_INVALID' END,
      CASE WHEN birth_date > {d} THEN 'BIRTH_DATE_FUTURE' END,
      CASE WHEN sex IS NULL THEN 'SEX_INVALID' END,
      CASE WHEN marital_status IS NULL THEN 'MARITAL_INVALID' END,
      CASE WHEN recording_state IS NULL THEN 'KTP_STATUS_INVALID' END,
      CASE WHEN desa_code IS NULL THEN 'REGION_INVALID' END
    ], lambda x: x IS NOT NULL) END AS hard
  FROM v0
),
w AS (
  SELECT v.*, {first_key} AS first_key, file_idx * 4294967296 + ord AS row_key
  FROM v {dup_join}
)
SELECT
  file_idx, ord, fault, row_key,
  CASE WHEN len(hard) = 0 AND first_key < row_key THEN ['NIK_DUPLICATE'] ELSE hard END AS reasons,
  CASE WHEN len(hard) = 0 AND first_key < row_key THEN first_key END AS kept_key,
  nik, kk, name, sex, birth_place, birth_date, religion, marital_status, married_on,
  CASE WHEN marital_status IN (2, 3, 4) THEN coalesce(married_on, DATE '0001-01-01') END AS ever_married_since,
  family_relation, disability, education, occupation,
  coalesce(citizenship, 'WNI') AS citizenship,
  stay_permit, vulnerable_group, address, rt, rw, dusun, postal_code,
  prov_code, kab_code, kec_code, desa_code, desa_id,
  ktp_status, recording_state, printed, printable, recorded_on, printed_on,
  ikd_status, ikd_activated_on, ikd_kab_code,
  {d} AS export_date,
  opt_warnings || {warnings} AS warnings
FROM w
"""
