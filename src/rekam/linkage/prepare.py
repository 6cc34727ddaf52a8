"""Turning the register and an outside list into Splink input frames (issue #6).

Both sides get the same derived columns, so that every comparison reads like with like:

- names: ``name_norm``, ``name_key``, ``name_tokens`` (and ``name_sorted``, joined), ``first_token``, ``last_token``,
  ``sound_key``, ``sound_first`` (the sound key of the first token) and ``name_initials`` (the
  letters its words start with, as written and respelled: an initial K. is KHAIRUL's), from
  ``rekam.domain.names``. Normalising is Python, so it runs once per *distinct* name
  (a Python call per row over 5.8 M rows is what this avoids) and the result is joined back.
- the birth date (DATE), its parts, the day/month-swapped date (when it is a valid date and
  differs) and ``birth_default`` (1 Jan, 1 Jul, 31 Dec: dates SIAK fills in when the real one
  is unknown, so weak evidence);
- ``nik`` when it has 16 digits (a masked NIK, 137101******0003, is no NIK), ``sex`` (L/P),
  ``birth_place_norm`` (a key: KOTA/KAB. prefix off, common abbreviations expanded, no
  spaces: ``PLACE_ABBREVIATIONS``), ``desa_code`` and ``kec_code`` as plain digits, ``rt``
  and ``rw`` as integers;
- the address as lists write it: ``street`` (``ALAMAT``: the street without the JL./GANG word,
  the house number or RT/RW), ``house_no`` (its own column or ``NO. 12`` in the address),
  ``dusun`` (dusun/jorong/korong ..., without that word), ``postcode``, and ``locality``: the
  desa/kelurahan *name* (or FEBRL's suburb) when it could not be placed as a code; and
  ``person_no``, another personal number both lists may carry. A column a side lacks is NULL,
  and a NULL compares as neither agreement nor disagreement.

Everything but the names is SQL.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from rekam.domain.names import name_columns, sound_key

#: The columns a list may give (canonical names); missing ones are taken as NULL.
LIST_COLUMNS: tuple[str, ...] = (
    "list_id",
    "nik",
    "name",
    "birth_date",
    "sex",
    "birth_place",
    "desa_code",
    "rt",
    "rw",
    "street",
    "house_no",
    "dusun",
    "postcode",
    "person_no",
    "desa_name",
    "kec_name",
)

#: The derived columns of a Splink input frame, in order.
FRAME_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "nik",
    "name_norm",
    "name_key",
    "name_tokens",
    "name_sorted",
    "first_token",
    "last_token",
    "sound_key",
    "sound_first",
    "name_initials",
    "birth_date",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_swapped",
    "birth_default",
    "sex",
    "birth_place_norm",
    "desa_code",
    "kec_code",
    "rt",
    "rw",
    "street",
    "house_no",
    "dusun",
    "postcode",
    "person_no",
    "locality",
)

_NAME_SCHEMA = pa.schema(
    [
        ("name", pa.string()),
        ("name_norm", pa.string()),
        ("name_key", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
        ("name_sorted", pa.string()),
        ("first_token", pa.string()),
        ("last_token", pa.string()),
        ("sound_key", pa.string()),
        ("sound_first", pa.string()),
        ("name_initials", pa.string()),
    ]
)


#: A list's birth date: a DATE, ISO text, or the day-first forms lists use (DD-MM-YYYY,
#: DD/MM/YYYY, DD.MM.YYYY, and YYYYMMDD as FEBRL writes it). A year alone (lapas lists) gives
#: ``birth_year`` only; anything
#: else is NULL (no birth date to compare).
_DATE_SQL = (
    "coalesce(TRY_CAST({0} AS DATE), CAST(try_strptime(trim(CAST({0} AS VARCHAR)), "
    "['%d-%m-%Y', '%d/%m/%Y', '%d.%m.%Y', '%Y%m%d']) AS DATE)) AS {0}"
)


def name_table(con: duckdb.DuckDBPyConnection, table: str, out: str) -> None:
    """``out``: one row per distinct ``name`` of ``table`` with its normalised columns."""
    names = [r[0] for r in con.execute(f"SELECT DISTINCT name FROM {table} WHERE name IS NOT NULL").fetchall()]
    cols: dict[str, list[object]] = {f.name: [] for f in _NAME_SCHEMA}
    for name in names:
        nc = name_columns(name)  # an alias (ALS. ...) is taken off there
        values = (
            name,
            nc.name_norm or None,
            nc.name_key or None,
            nc.name_tokens or None,
            "".join(nc.name_tokens) or None,
            nc.first_token or None,
            nc.last_token or None,
            nc.sound_key or None,
            sound_key(nc.first_token) or None,
            nc.initials or None,
        )
        for field, value in zip(cols, values, strict=True):
            cols[field].append(value)
    arrow = pa.table(cols, schema=_NAME_SCHEMA)  # noqa: F841 - read by name in the SQL below
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT * FROM arrow")


#: Birthplaces as lists write them: common abbreviations of places in and around Sumatera Barat
#: (PDG for Padang, BKT for Bukittinggi, PESSEL for Pesisir Selatan ...: usage on school and
#: office forms) and ``LB``/``PD`` for Lubuk/Padang before a second word. Compared without
#: spaces (BUKIT TINGGI = BUKITTINGGI, LUBUKSIKAPING = LUBUK SIKAPING).
PLACE_ABBREVIATIONS: dict[str, str] = {
    "PDG": "PADANG",
    "BKT": "BUKITTINGGI",
    "BKTTINGGI": "BUKITTINGGI",
    "PYK": "PAYAKUMBUH",
    "PYKUMBUH": "PAYAKUMBUH",
    "SWL": "SAWAHLUNTO",
    "SLK": "SOLOK",
    "PRM": "PARIAMAN",
    "PPJ": "PADANG PANJANG",
    "PDGPANJANG": "PADANG PANJANG",
    "PDGPARIAMAN": "PADANG PARIAMAN",
    "PADANGPRM": "PADANG PARIAMAN",
    "PDPARIAMAN": "PADANG PARIAMAN",
    "PESSEL": "PESISIR SELATAN",
    "PASBAR": "PASAMAN BARAT",
    "SOLSEL": "SOLOK SELATAN",
    "TANDAT": "TANAH DATAR",
    "MENTAWAI": "KEPULAUAN MENTAWAI",
    "50KOTA": "LIMA PULUH KOTA",
    "LIMAPULUHKOTA": "LIMA PULUH KOTA",
    "DKIJAKARTA": "JAKARTA",
    "JAKARTAPUSAT": "JAKARTA",
    "JAKARTABARAT": "JAKARTA",
    "JAKARTATIMUR": "JAKARTA",
    "JAKARTASELATAN": "JAKARTA",
    "JAKARTAUTARA": "JAKARTA",
    "JKT": "JAKARTA",
    "PKU": "PEKANBARU",
    "MDN": "MEDAN",
    "BDG": "BANDUNG",
}


def _place_sql(column: str) -> str:
    """SQL: the birthplace key: letters and digits, no KOTA/KAB./KABUPATEN prefix, LB./PD.
    read as LUBUK/PADANG before another word, abbreviations expanded, spaces removed."""
    text = f"regexp_replace(upper(CAST({column} AS VARCHAR)), '[^A-Z0-9 ]', ' ', 'g')"
    text = f"trim(regexp_replace({text}, '\\s+', ' ', 'g'))"
    text = f"regexp_replace({text}, '^(KOTA|KABUPATEN|KAB) ', '')"
    text = f"regexp_replace(regexp_replace({text}, '^LB ', 'LUBUK '), '^PD ', 'PADANG ')"
    key = f"replace({text}, ' ', '')"
    cases = " ".join(
        f"WHEN '{abbr.replace(' ', '')}' THEN '{full.replace(' ', '')}'" for abbr, full in PLACE_ABBREVIATIONS.items()
    )
    return f"(CASE {key} {cases} ELSE {key} END)"


def _text_sql(column: str, drop: str = "") -> str:
    """SQL: upper-case letters and digits in single spaces, the leading words ``drop`` (a
    regex alternation) taken off; NULL when nothing is left."""
    text = f"regexp_replace(upper(CAST({column} AS VARCHAR)), '[^A-Z0-9]+', ' ', 'g')"
    text = f"trim({text})"
    if drop:
        text = f"trim(regexp_replace({text}, '^(({drop}) )+', ''))"
    return f"nullif({text}, '')"


#: Words before a street's name (jalan, gang, lorong) and a dusun's (dusun, jorong, korong ...).
_STREET_WORDS = "JL|JLN|JALAN|GG|GANG|LR|LORONG|KOMPLEK|KOMP|PERUM|PERUMAHAN"
_DUSUN_WORDS = "DUSUN|DSN|JORONG|JR|KORONG|DUKUH|BANJAR|LINGKUNGAN|LINGK|KAMPUNG|KP"
_REGION_WORDS = "KOTA|KABUPATEN|KAB|KECAMATAN|KEC|DESA|KELURAHAN|KEL|NAGARI"


def _street_sql(column: str) -> str:
    """SQL: the street of an address (``ALAMAT``): letters and digits, the house number
    (``NO. 12``) and ``RT/RW`` parts taken off, the street word (JL., GANG ...) too."""
    text = _text_sql(column, _STREET_WORDS)
    text = f"regexp_replace({text}, '\\b(NO|NOMOR) ?[0-9]+[A-Z]?\\b', ' ', 'g')"
    text = f"regexp_replace({text}, '\\b(RT|RW) ?[0-9]+\\b', ' ', 'g')"
    return f"nullif(trim(regexp_replace({text}, '\\s+', ' ', 'g')), '')"


def _house_sql(number: str, street: str) -> str:
    """SQL: the house number: the column's digits, else ``NO. 12`` in the address."""
    from_street = f"nullif(regexp_extract(upper(CAST({street} AS VARCHAR)), '\\b(NO|NOMOR)\\.? ?([0-9]+)', 2), '')"
    return f"coalesce(nullif(regexp_replace(CAST({number} AS VARCHAR), '[^0-9]', '', 'g'), ''), {from_street})"


def _frame_sql(source: str, names: str, uid: str, ordered: bool = True) -> str:
    """SQL of the derived frame over ``source`` (canonical columns) and its name table.

    Text rules (birthplace key, desa digits, RT/RW) run once per distinct value and are
    joined back: a register has a few thousand places and desa, not millions (measured at
    5.8 M rows: 24 s per row, 9 s this way). ``ordered`` keeps the source's row order."""
    bd = "s.birth_date"
    y, m, d = f"year({bd})", f"month({bd})", f"day({bd})"

    def digits(col: str) -> str:
        return f"regexp_replace(CAST({col} AS VARCHAR), '[^0-9]', '', 'g')"

    def lookup(alias: str, col: str, expr: str) -> str:
        return (
            f"LEFT JOIN (SELECT v, {expr} AS {alias} FROM (SELECT DISTINCT {col} AS v FROM {source})) {alias}_t "
            f"ON {alias}_t.v = s.{col}"
        )

    nik = digits("s.nik")
    return f"""
SELECT
  CAST({uid} AS VARCHAR) AS unique_id,
  CASE WHEN length(s.nik) = 16 AND regexp_full_match(s.nik, '[0-9]+') THEN s.nik
       WHEN length({nik}) = 16 THEN {nik} END AS nik,
  n.name_norm, n.name_key, n.name_tokens, n.name_sorted, n.first_token, n.last_token, n.sound_key, n.sound_first,
  n.name_initials,
  {bd} AS birth_date,
  coalesce({y}, s.birth_year_only) AS birth_year, {m} AS birth_month, {d} AS birth_day,
  CASE WHEN {d} <= 12 AND {d} <> {m} THEN make_date({y}, {d}, {m}) END AS birth_swapped,
  ({m} = 1 AND {d} = 1) OR ({m} = 7 AND {d} = 1) OR ({m} = 12 AND {d} = 31) AS birth_default,
  CASE upper(trim(CAST(s.sex AS VARCHAR)))
    WHEN 'L' THEN 'L' WHEN 'LAKI-LAKI' THEN 'L' WHEN 'LAKI LAKI' THEN 'L' WHEN '1' THEN 'L'
    WHEN 'P' THEN 'P' WHEN 'PEREMPUAN' THEN 'P' WHEN 'WANITA' THEN 'P' WHEN '2' THEN 'P' END AS sex,
  birth_place_norm_t.birth_place_norm, desa_code_t.desa_code, left(desa_code_t.desa_code, 6) AS kec_code,
  rt_t.rt, rw_t.rw,
  street_t.street, {_house_sql("s.house_no", "s.street")} AS house_no, dusun_t.dusun,
  nullif({digits("s.postcode")}, '') AS postcode,
  nullif(regexp_replace(upper(CAST(s.person_no AS VARCHAR)), '[^A-Z0-9]', '', 'g'), '') AS person_no,
  CASE WHEN desa_code_t.desa_code IS NULL THEN locality_t.locality END AS locality
FROM {source} s
LEFT JOIN {names} n ON n.name = s.name
{lookup("birth_place_norm", "birth_place", f"nullif({_place_sql('v')}, '')")}
{lookup("desa_code", "desa_code", f"nullif({digits('v')}, '')")}
{lookup("rt", "rt", f"TRY_CAST(nullif({digits('v')}, '') AS INTEGER)")}
{lookup("rw", "rw", f"TRY_CAST(nullif({digits('v')}, '') AS INTEGER)")}
{lookup("street", "street", _street_sql("v"))}
{lookup("dusun", "dusun", f"replace({_text_sql('v', _DUSUN_WORDS)}, ' ', '')")}
{lookup("locality", "desa_name", f"replace({_text_sql('v', _REGION_WORDS)}, ' ', '')")}
{"ORDER BY s.rowid" if ordered else ""}
"""


def prepare_register(con: duckdb.DuckDBPyConnection, register: str, out: str = "lk_register") -> str:
    """Create table ``out``: the register's Splink frame (``unique_id`` is the NIK).

    ``register`` names a table or view with the snapshot columns (``nik``, ``name``, ``sex``,
    ``birth_place``, ``birth_date``, ``desa_code``, ``rt``, ``rw``: docs/import.md).
    """
    have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {register}").fetchall()}
    optional = {"street": "address", "dusun": "dusun", "postcode": "postal_code"}
    parts = ", ".join(f"{col if col in have else 'NULL'} AS {name}" for name, col in optional.items())
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {out}_src AS
        SELECT nik, name, sex, birth_place, TRY_CAST(birth_date AS DATE) AS birth_date,
          CAST(NULL AS INTEGER) AS birth_year_only, desa_code, rt, rw, {parts},
          NULL AS house_no, NULL AS person_no, NULL AS desa_name
        FROM {register}"""
    )
    name_table(con, f"{out}_src", f"{out}_names")
    frame = _frame_sql(f"{out}_src", f"{out}_names", "s.nik", ordered=False)  # a register's order is no matter
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS {frame}")
    con.execute(f"DROP TABLE {out}_src")
    con.execute(f"DROP TABLE {out}_names")
    return out


def _null(column: str) -> str:
    """A column the list does not give: NULL of the type the frame expects."""
    return f"CAST(NULL AS {'DATE' if column == 'birth_date' else 'VARCHAR'}) AS {column}"


def prepare_list(con: duckdb.DuckDBPyConnection, rows: str, out: str = "lk_list") -> str:
    """Create table ``out``: an outside list's Splink frame (``unique_id`` is ``list_id``).

    ``rows`` names a table or view with ``list_id`` and any of ``LIST_COLUMNS``; a missing
    column is taken as NULL. ``birth_date`` may be a DATE or ISO text.
    """
    have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {rows}").fetchall()}
    if "list_id" not in have:
        raise ValueError("the list has no list_id column")
    select = ", ".join(
        (_DATE_SQL.format(c) if c == "birth_date" else c) if c in have else _null(c) for c in LIST_COLUMNS
    )
    year_only = (
        "CASE WHEN regexp_full_match(trim(CAST(birth_date AS VARCHAR)), '[0-9]{4}') "
        "THEN CAST(trim(CAST(birth_date AS VARCHAR)) AS INTEGER) END"
        if "birth_date" in have
        else "CAST(NULL AS INTEGER)"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {out}_src AS SELECT {select}, {year_only} AS birth_year_only FROM {rows}"
    )
    name_table(con, f"{out}_src", f"{out}_names")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS {_frame_sql(f'{out}_src', f'{out}_names', 's.list_id')}")
    con.execute(f"DROP TABLE {out}_src")
    con.execute(f"DROP TABLE {out}_names")
    return out


def name_frequencies(con: duckdb.DuckDBPyConnection, frame: str, column: str = "name_key", population: int = 0) -> str:
    """Create table ``<frame>_tf_<column>``: term frequencies of ``column`` in the register
    frame (columns ``<column>``, ``tf_<column>``), for Splink. Returns its name.

    The frequency is the count over the register's rows, or over ``population`` when that is
    larger: in a register of 12 rows a name seen once is not "1 in 12" common (the model's
    priors are for a register of a kab/kota or more, see ``model``).
    """
    out = f"{frame}_tf_{column}"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {out} AS
        SELECT {column}, count(*) / greatest(sum(count(*)) OVER (), {int(population)}) AS tf_{column}
        FROM {frame} WHERE {column} IS NOT NULL GROUP BY {column}"""
    )
    return out
