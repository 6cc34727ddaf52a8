"""Reading an outside list (school, DPT, lapas, panti ...) into the columns a match compares.

A list is a CSV (any of , ; tab |, UTF-8 with or without BOM) or an XLSX (first sheet).
Headers are recognised as the register's are (case, spaces, underscores and hyphens
ignored) through ``ALIASES``; the list's own row identifier (NISN, NO_DPT, NO_REGISTER ...)
becomes ``list_id``, or the row number (1 = first data row) when there is none or it repeats.
Desa names (``NAMA_KEL`` with ``NAMA_KEC`` or ``NAMA_KAB``) become desa codes through the
gazetteer; a name that cannot be placed keeps its text, compared as text. A name may come in
two columns (``NAMA_DEPAN`` + ``NAMA_BELAKANG``, FEBRL's ``given_name`` + ``surname``): they
are joined. The address parts (``ALAMAT``/jalan, house number, dusun/jorong, kode pos) and
another personal number (``NO_IDENTITAS``, FEBRL's ``soc_sec_id``) are read when present; a
column the list lacks counts neither for nor against a match.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from rekam.register.gazetteer import _wilayah
from rekam.register.schema import header_key
from rekam.register.sources import sniff_delimiter
from rekam.xlsx import read_xlsx

#: Header (normalised by ``header_key``) -> the column a match reads.
ALIASES: dict[str, str] = {
    "NIK": "nik",
    "NOMORINDUKKEPENDUDUKAN": "nik",
    "NAMA": "name",
    "NAMALGKP": "name",
    "NAMALENGKAP": "name",
    "NAMASISWA": "name",
    "NAMAPEMILIH": "name",
    "NAMAWARGABINAAN": "name",
    "NAMAPENERIMA": "name",
    "NAMADEPAN": "given_name",
    "GIVENNAME": "given_name",
    "FIRSTNAME": "given_name",
    "NAMABELAKANG": "surname",
    "SURNAME": "surname",
    "LASTNAME": "surname",
    "FAMILYNAME": "surname",
    "TGLLHR": "birth_date",
    "TANGGALLAHIR": "birth_date",
    "TGLLAHIR": "birth_date",
    "DATEOFBIRTH": "birth_date",
    "BIRTHDATE": "birth_date",
    "DOB": "birth_date",
    "JENISKLMIN": "sex",
    "JENISKELAMIN": "sex",
    "JK": "sex",
    "LP": "sex",
    "SEX": "sex",
    "GENDER": "sex",
    "TMPTLHR": "birth_place",
    "TEMPATLAHIR": "birth_place",
    "TMPLAHIR": "birth_place",
    "PLACEOFBIRTH": "birth_place",
    "BIRTHPLACE": "birth_place",
    "ALAMAT": "street",
    "JALAN": "street",
    "ADDRESS": "street",
    "ADDRESS1": "street",
    "STREET": "street",
    "NORUMAH": "house_no",
    "NOMORRUMAH": "house_no",
    "STREETNUMBER": "house_no",
    "DUSUN": "dusun",
    "JORONG": "dusun",
    "DUKUH": "dusun",
    "BANJAR": "dusun",
    "LINGKUNGAN": "dusun",
    "KORONG": "dusun",
    "ADDRESS2": "dusun",
    "KODEPOS": "postcode",
    "POSTCODE": "postcode",
    "ZIP": "postcode",
    "SUBURB": "desa_name",
    "NOIDENTITAS": "person_no",
    "SOCSECID": "person_no",
    "NORT": "rt",
    "RT": "rt",
    "NORW": "rw",
    "RW": "rw",
    "NAMAKEL": "desa_name",
    "KELURAHAN": "desa_name",
    "DESA": "desa_name",
    "DESAKELURAHAN": "desa_name",
    "NAMAKEC": "kec_name",
    "KECAMATAN": "kec_name",
    "NAMAKAB": "kab_name",
    "KABUPATEN": "kab_name",
    "KABKOTA": "kab_name",
    "KABUPATENKOTA": "kab_name",
    "KODEDESA": "desa_code",
    "KODEWILAYAH": "desa_code",
    "DESACODE": "desa_code",
    "KODEKEL": "desa_code",
}
#: Columns read as they are (the address parts are normalised in ``prepare``).
_PLAIN = ("nik", "birth_date", "sex", "birth_place", "rt", "rw", "street", "house_no", "dusun", "postcode", "person_no")
#: Headers of a list's own row identifier, in order of preference.
ID_HEADERS: tuple[str, ...] = (
    "LISTID",
    "NISN",
    "NODPT",
    "NOREGISTER",
    "NOREG",
    "RECID",
    "ID",
    "NO",
    "NOMOR",
    "NOURUT",
)

_WORDS = re.compile(r"[^A-Z0-9]+")
#: A date written with the month's Indonesian (or English) name: 14 Agustus 2006, 3-Mei-1990.
_WORDED_DATE = re.compile(r"^\s*(\d{1,2})[\s./-]+([A-Za-z]+)\.?[\s./-]+(\d{4})\s*$")
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("JANUARI", "JAN", "JANUARY"),
            ("FEBRUARI", "FEB", "PEBRUARI", "FEBRUARY"),
            ("MARET", "MAR", "MARCH"),
            ("APRIL", "APR"),
            ("MEI", "MAY"),
            ("JUNI", "JUN", "JUNE"),
            ("JULI", "JUL", "JULY"),
            ("AGUSTUS", "AGU", "AGS", "AGT", "AUG", "AUGUST"),
            ("SEPTEMBER", "SEP", "SEPT"),
            ("OKTOBER", "OKT", "OCT", "OCTOBER"),
            ("NOVEMBER", "NOV", "NOPEMBER", "NOP"),
            ("DESEMBER", "DES", "DEC", "DECEMBER"),
        ),
        start=1,
    )
    for name in names
}


def worded_date(text: str | None) -> str | None:
    """``14 Agustus 2006`` as ``2006-08-14``; any other text unchanged (``prepare`` reads the
    numeric forms)."""
    found = _WORDED_DATE.match(text) if text else None
    month = _MONTHS.get(found.group(2).upper()) if found else None
    if not found or not month:
        return text
    return f"{found.group(3)}-{month:02d}-{int(found.group(1)):02d}"


_REGION_WORDS = re.compile(r"^(KOTA|KABUPATEN|KAB|KEC|KECAMATAN|DESA|KELURAHAN|KEL|NAGARI) ")


def _place_key(name: object) -> str:
    text = _WORDS.sub(" ", str(name or "").upper()).strip()
    return _REGION_WORDS.sub("", text).replace(" ", "")


@cache
def _desa_index() -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], set[str]], dict[str, set[str]]]:
    """Desa codes by (desa, kecamatan), by (desa, kab/kota) and by desa name alone."""
    base = _wilayah._base()
    by_kec: dict[tuple[str, str], set[str]] = {}
    by_kab: dict[tuple[str, str], set[str]] = {}
    alone: dict[str, set[str]] = {}
    for code, name in _wilayah._desa().items():
        key = _place_key(name)
        by_kec.setdefault((key, _place_key(base.get(code[:8]))), set()).add(code)
        by_kab.setdefault((key, _place_key(base.get(code[:5]))), set()).add(code)
        alone.setdefault(key, set()).add(code)
    return by_kec, by_kab, alone


@cache
def _desa_by_kec() -> dict[str, list[tuple[str, str]]]:
    """(desa name key, code) of every desa, by its kecamatan's name key."""
    out: dict[str, list[tuple[str, str]]] = {}
    for (key, kec), codes in _desa_index()[0].items():
        out.setdefault(kec, []).extend((key, c) for c in codes)
    return out


def _one_typo(a: str, b: str) -> bool:
    """``a`` and ``b`` one typing error apart (a letter replaced, added, dropped, or two
    neighbours swapped), not equal."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]])
    short, long = sorted((a, b), key=len)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


@cache
def desa_code(desa: object, kec: object = None, kab: object = None) -> str | None:
    """The dotted desa code of a desa name, placed by its kecamatan or kab/kota; None when
    the name is unknown or names more than one desa. A name one typing error from exactly
    one desa of the named kecamatan is that desa (KUBANG PUTITH in Tilatang Kamang: KUBANG
    PUTIAH); names of five letters or fewer must be whole."""
    if not desa:
        return None
    by_kec, by_kab, alone = _desa_index()
    key = _place_key(desa)
    for found in (
        by_kec.get((key, _place_key(kec))) if kec else None,
        by_kab.get((key, _place_key(kab))) if kab else None,
        alone.get(key),
    ):
        if found and len(found) == 1:
            return next(iter(found))
    if kec and len(key) > 5:
        near = {c for k, c in _desa_by_kec().get(_place_key(kec), []) if _one_typo(key, k)}
        if len(near) == 1:
            return near.pop()
    return None


def _read_rows(path: Path) -> tuple[list[str], list[list[str | None]]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        with read_xlsx(path, lambda row: [str(h or "").strip() for h in row]) as table:  # the first row
            if table is None:
                return [], []
            rows = [([None if v is None else str(v).strip() for v in cells], extra) for _, cells, extra in table.rows]
        return table.header, [r for r, extra in rows if extra or any(v not in (None, "") for v in r)]
    import csv

    text = path.read_text(encoding="utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    reader = csv.reader(text.splitlines(), delimiter=sniff_delimiter(first))
    header = [h.strip() for h in next(reader, [])]
    rows = [[v.strip() or None for v in row] for row in reader if any(v.strip() for v in row)]
    return header, rows


def read_list(con: duckdb.DuckDBPyConnection, path: Path, out: str = "lk_input") -> list[str]:
    """Create table ``out`` (``list_id``, ``prepare.LIST_COLUMNS`` and ``row_number``) from a
    list file; returns the file's header keys (``kinds.kind_of`` reads the kind from them).

    A file that cannot be read, has no data rows, or has no name column is refused
    (``IngestError``, naming the file): nothing could be matched.
    """
    from rekam.errors import IngestError

    try:
        header, rows = _read_rows(path)
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        raise IngestError("file_unreadable", file=path.name, detail=type(exc).__name__) from None
    keys = [header_key(h) for h in header]
    if not any(ALIASES.get(k) in ("name", "given_name", "surname") for k in keys):
        raise IngestError("list_no_name", file=path.name)
    if not rows:
        raise IngestError("no_data_rows", files=path.name)
    position: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k in ALIASES and ALIASES[k] not in position:
            position[ALIASES[k]] = i

    def column(name: str) -> list[str | None]:
        i = position.get(name)
        return [r[i] if i is not None and i < len(r) else None for r in rows]

    ids: list[str | None] = []
    for candidate in ID_HEADERS:
        if candidate in keys:
            i = keys.index(candidate)
            ids = [r[i] if i < len(r) else None for r in rows]
            break
    if not ids or None in ids or len(set(ids)) != len(ids):
        ids = [str(n) for n in range(1, len(rows) + 1)]
    codes = column("desa_code")
    named = zip(column("desa_name"), column("kec_name"), column("kab_name"), strict=True)
    desa = [c or desa_code(d, k, b) for c, (d, k, b) in zip(codes, named, strict=True)]
    names = column("name")
    if "name" not in position:  # given name and surname in two columns (FEBRL, NAMA_DEPAN + NAMA_BELAKANG)
        parts = zip(column("given_name"), column("surname"), strict=True)
        names = [" ".join(p for p in pair if p) or None for pair in parts]
    data = {"list_id": ids, "name": names} | {c: column(c) for c in _PLAIN}
    data["birth_date"] = [worded_date(d) for d in data["birth_date"]]
    data |= {"desa_code": desa, "desa_name": column("desa_name"), "kec_name": column("kec_name")}
    arrow = pa.table(data | {"row_number": list(range(1, len(rows) + 1))})  # noqa: F841
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT * FROM arrow")
    return keys
