"""Review rows a person can decide (issue 18): each ``review`` row of a match beside its best
candidates, and the decisions read back from the workbook.

A match run (``match.match_file``) gives, for every list row it sent to review, up to
``MAX_CANDIDATES`` candidates in the order of their match weight (candidate 1 is the row's
``match_id``): each with its match probability, its values of the compared fields, and per
comparison whether its weight counted for the match (1), against it (-1) or neither (0, a
value one side lacks). The values are as the two files give them, not normalised: a person
compares what was typed.

The *Periksa* sheet (``write_sheet``) shows each review row as a block: the list's row
(``baris`` = ``daftar``) with an empty ``keputusan`` cell whose drop-down offers ``cocok 1`` ...
``cocok N`` and ``bukan``, then one row per candidate (``kandidat 1`` ...), the fields aligned
in columns, each candidate cell green where the field agreed and red where it counted against.
Every row carries a hidden ``kunci``: the review row's number in the kept result with an HMAC
tag of the result's secret (``results.Kept.key``), never a NIK. ``read_sheet`` and ``check``
read the decisions back: every problem is collected with its row and column, then nothing is
applied unless there is none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from rekam.domain.cells import neutralise, shown_nik

if TYPE_CHECKING:
    import duckdb

#: The most candidates shown beside one review row.
MAX_CANDIDATES = 3

#: The sheet that holds the review rows, and the hidden sheet that names the kept result.
SHEET = "Periksa"
META_SHEET = "_rekam"
FORMAT = "rekam-match-review-1"

#: What the sheet shows of both sides, in order: (header, value, the comparison it belongs to).
SHOWN: tuple[tuple[str, str, str], ...] = (
    ("NIK", "nik", "nik"),
    ("Nama", "name", "nama"),
    ("Tgl lahir", "birth_date", "tgl_lahir"),
    ("JK", "sex", "jenis_kelamin"),
    ("Tempat lahir", "birth_place", "tempat_lahir"),
    ("Desa", "desa", "alamat"),
    ("RT/RW", "rt_rw", "alamat"),
    ("Alamat", "street", "jalan"),
    ("Dusun", "dusun", "dusun"),
    ("Kode pos", "postcode", "kode_pos"),
    ("No. lain", "person_no", "nomor_lain"),
)

#: The words of the ``keputusan`` column: ``cocok N`` (candidate N is the person) or ``bukan``
#: (none of them is). English (``match N``, ``no match``) is read too; case and spaces do not matter.
MATCH_WORDS = ("cocok", "match")
NO_MATCH_WORDS = ("bukan", "no match", "no_match")
LIST_ROW = "daftar"
CANDIDATE_ROW = "kandidat"


@dataclass(frozen=True)
class Candidate:
    """One candidate of a review row: its ID (a NIK whole, or the other list's own ID), match
    probability, values (``SHOWN``), and per comparison 1 (agreed), -1 (against) or 0."""

    id: str
    probability: float
    agreement: dict[str, int]
    values: dict[str, str]
    ktp_status: str | None = None
    recording_state: str | None = None

    @property
    def agreed(self) -> str:
        return ",".join(f for f, a in self.agreement.items() if a > 0)

    @property
    def disagreed(self) -> str:
        return ",".join(f for f, a in self.agreement.items() if a < 0)


@dataclass(frozen=True)
class ReviewRow:
    """A list row sent to review: its ID, its row in the list file (1 = first data row), its
    values, and its best candidates, best first."""

    list_id: str
    list_row: int
    values: dict[str, str]
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


def _agreement_sql() -> str:
    """SQL over Splink's predictions: one column ``a_<comparison>`` per comparison, the sign of
    its match weight (term frequency included), as ``match.agreed_sql`` reads it."""
    from rekam.linkage.model import FIELDS, TF_COMPARISON

    cols = []
    for name in FIELDS:
        weight = f"coalesce(mw_{name}, 0)" + (f" + coalesce(mw_tf_adj_{name}, 0)" if name == TF_COMPARISON else "")
        cols.append(f"CAST(sign({weight}) AS INTEGER) AS a_{name}")
    return ", ".join(cols)


def review_rows(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    predictions: str,
    list_dataset: str,
    list_source: str,
    other_source: str,
    *,
    against: bool,
) -> list[ReviewRow]:
    """The review rows of a match's result ``table`` with their best candidates, from its
    Splink predictions (``predictions``, a table of ``con``, the list's pairs named by their
    ``list_dataset``), the list's rows as read (``list_source``: ``lists.read_list``) and the
    other side's (``other_source``: the ``register`` view, or with ``against`` the other list)."""
    from rekam.linkage.model import FIELDS

    wanted = [
        (r["list_id"], r["match_nik"])
        for r in table.select(["list_id", "match_nik", "decision"]).to_pylist()
        if r["decision"] == "review"
    ]
    if not wanted or not predictions:
        return []
    ids = pa.table({"list_id": [w[0] for w in wanted]})
    con.register("rv_ids", ids)
    try:
        pairs = (
            con.sql(
                f"""
WITH p AS (
  SELECT
    CASE WHEN source_dataset_l = '{list_dataset}' THEN unique_id_l ELSE unique_id_r END AS list_id,
    CASE WHEN source_dataset_l = '{list_dataset}' THEN unique_id_r ELSE unique_id_l END AS id,
    match_probability, match_weight, {_agreement_sql()}
  FROM {predictions}
  WHERE source_dataset_l <> source_dataset_r
)
SELECT * FROM (
  SELECT *, row_number() OVER (PARTITION BY list_id ORDER BY match_weight DESC, id) AS rank
  FROM p WHERE list_id IN (SELECT list_id FROM rv_ids)
) WHERE rank <= {MAX_CANDIDATES}
ORDER BY list_id, rank"""
            )
            .to_arrow_table()
            .to_pylist()
        )
        listed = _rows_by(con, f"SELECT * FROM {list_source} WHERE list_id IN (SELECT list_id FROM rv_ids)", "list_id")
        found = sorted({p["id"] for p in pairs})
        con.register("rv_found", pa.table({"id": found}))
        key = "list_id" if against else "nik"
        others = _rows_by(con, f"SELECT * FROM {other_source} WHERE {key} IN (SELECT id FROM rv_found)", key)
        con.unregister("rv_found")
    finally:
        con.unregister("rv_ids")
    by_list: dict[str, list[dict[str, Any]]] = {}
    for p in pairs:
        by_list.setdefault(p["list_id"], []).append(p)
    out = []
    for list_id, best in wanted:
        found_pairs = by_list.get(list_id, [])
        # candidate 1 is the row's match_id (the decision's own ordering, kept here)
        found_pairs.sort(key=lambda p: (p["id"] != best, p["rank"]))
        row = listed[list_id]
        candidates = tuple(
            Candidate(
                id=p["id"],
                probability=float(p["match_probability"]),
                agreement={f: int(p[f"a_{f}"]) for f in FIELDS},
                values=_values(others.get(p["id"], {}), register=not against),
                ktp_status=None if against else others.get(p["id"], {}).get("ktp_status"),
                recording_state=None if against else others.get(p["id"], {}).get("recording_state"),
            )
            for p in found_pairs
        )
        out.append(ReviewRow(list_id, int(row.get("row_number") or 0), _values(row, register=False), candidates))
    return out


def _rows_by(con: duckdb.DuckDBPyConnection, sql: str, key: str) -> dict[str, dict[str, Any]]:
    return {str(r[key]): r for r in con.sql(sql).to_arrow_table().to_pylist()}


def _day(value: object) -> str:
    """A birth date as the files show dates (DD-MM-YYYY); text that is no ISO date as given."""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    text = "" if value is None else str(value).strip()
    try:
        return date.fromisoformat(text).strftime("%d-%m-%Y")
    except ValueError:
        return text


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _values(row: dict[str, Any], *, register: bool) -> dict[str, str]:
    """The ``SHOWN`` values of a register row (snapshot columns) or a list row (``read_list``'s)."""
    if not row:
        return {}
    rt, rw = _text(row.get("rt")), _text(row.get("rw"))
    if register:
        desa, street, postcode, person_no = row.get("desa_code"), row.get("address"), row.get("postal_code"), None
    else:
        desa = row.get("desa_code") or row.get("desa_name")
        street = " ".join(p for p in (_text(row.get("street")), _text(row.get("house_no"))) if p)
        postcode, person_no = row.get("postcode"), row.get("person_no")
    return {
        "nik": _text(row.get("nik")),
        "name": _text(row.get("name")),
        "birth_date": _day(row.get("birth_date")),
        "sex": _text(row.get("sex")),
        "birth_place": _text(row.get("birth_place")),
        "desa": _text(desa),
        "rt_rw": f"{rt}/{rw}" if rt or rw else "",
        "street": _text(street),
        "dusun": _text(row.get("dusun")),
        "postcode": _text(postcode),
        "person_no": _text(person_no),
    }


# --- the sheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """What a workbook's Periksa sheet is written from: the review rows, their keys (review row
    number, 1-based -> key: ``results.Kept.key``), whose IDs the candidates carry, and the facts
    of the hidden sheet (``result`` ...)."""

    rows: Sequence[ReviewRow]
    key: Callable[[int], str]
    ids_are_nik: bool
    facts: Sequence[tuple[str, str]]


def headers(ids_are_nik: bool) -> tuple[str, ...]:
    """The Periksa sheet's header: the key, the row's kind, the list's ID, the decision, the
    probability, the candidate's own ID (two lists only), the fields, what agreed, and the
    KTP-el status (against the register only)."""
    own = () if ids_are_nik else ("id",)
    status = ("status KTP-el",) if ids_are_nik else ()
    return (
        "kunci",
        "baris",
        "list_id",
        "keputusan",
        "peluang",
        *own,
        *(h for h, _v, _f in SHOWN),
        "sama",
        "beda",
        *status,
    )


#: The cells a returned sheet must still show as written (compared through their digests).
IDENTITY = ("list_id", "id", "NIK", "Nama")


def choices(candidates: int) -> list[str]:
    """The drop-down of a review row with ``candidates`` candidates."""
    return [f"cocok {k}" for k in range(1, candidates + 1)] + ["bukan"]


def _shown_id(value: str, ids_are_nik: bool, unmasked: bool) -> str:
    return shown_nik(value, unmasked) if ids_are_nik and value else value


def block(row: ReviewRow, key: str, ids_are_nik: bool, unmasked: bool) -> list[tuple[dict[str, Any], dict[str, int]]]:
    """The sheet rows of one review row as written (header -> cell; text neutralised, NIKs as
    shown), each with its cells' agreement (header -> 1/-1; the list's row has none)."""

    def fields(values: dict[str, str]) -> dict[str, Any]:
        cells = {h: neutralise(values.get(v, "")) for h, v, _f in SHOWN}
        cells["NIK"] = shown_nik(values["nik"], unmasked) if values.get("nik") else ""
        return cells

    rows: list[tuple[dict[str, Any], dict[str, int]]] = [
        (
            {"kunci": key, "baris": LIST_ROW, "list_id": neutralise(row.list_id), "keputusan": ""} | fields(row.values),
            {},
        )
    ]
    for k, c in enumerate(row.candidates, start=1):
        cells: dict[str, Any] = {
            "kunci": f"{key}.{k}",
            "baris": f"{CANDIDATE_ROW} {k}",
            "list_id": neutralise(row.list_id),
            "keputusan": "",
            "peluang": round(c.probability, 4),
        }
        if not ids_are_nik:
            cells["id"] = neutralise(c.id)
        values = dict(c.values)
        if ids_are_nik:
            values["nik"] = c.id  # the register's own NIK
        cells |= fields(values) | {"sama": c.agreed, "beda": c.disagreed}
        if ids_are_nik:
            cells["status KTP-el"] = c.recording_state or c.ktp_status or ""
        marks = {h: c.agreement.get(f, 0) for h, _v, f in SHOWN if c.agreement.get(f, 0)}
        rows.append((cells, marks))
    return rows


def write_sheet(
    book: Any,
    rows: Sequence[ReviewRow],
    key: Callable[[int], str],
    ids_are_nik: bool,
    unmasked: bool,
) -> None:
    """Add the Periksa sheet to ``book`` (xlsxwriter): a block per review row (``block``), the
    key column hidden, a drop-down of ``choices`` on each list row's ``keputusan`` cell."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    head = headers(ids_are_nik)
    col = {h: i for i, h in enumerate(head)}
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    text = {
        "plain": book.add_format({"num_format": "@", "valign": "top"}),
        "list": book.add_format({"num_format": "@", "valign": "top", "bold": True, "bg_color": "#F2F2F2", "top": 1}),
        1: book.add_format({"num_format": "@", "valign": "top", "bg_color": "#C6EFCE"}),
        -1: book.add_format({"num_format": "@", "valign": "top", "bg_color": "#FFC7CE"}),
    }
    decide = book.add_format({"num_format": "@", "valign": "top", "bold": True, "bg_color": "#FFF2CC", "top": 1})
    number = book.add_format({"num_format": "0.0000", "valign": "top"})
    ws = book.add_worksheet(SHEET)
    ws.write_row(0, 0, list(head), bold)
    ws.freeze_panes(1, 4)
    widths = {"kunci": 14, "baris": 11, "list_id": 12, "keputusan": 12, "peluang": 9, "Nama": 26, "Alamat": 24}
    for i, h in enumerate(head):
        ws.set_column(i, i, widths.get(h, 14 if h not in ("sama", "beda") else 22))
    ws.set_column(0, 0, None, None, {"hidden": True})
    r = 0
    dropdowns: dict[int, list[str]] = {}  # candidates -> the list rows' keputusan cells
    for n, row in enumerate(rows, start=1):
        for i, (cells, marks) in enumerate(block(row, key(n), ids_are_nik, unmasked)):
            r += 1
            for h in head:
                value = cells.get(h, "")
                if isinstance(value, float):
                    ws.write_number(r, col[h], value, number)
                elif h == "keputusan" and i == 0:
                    ws.write_blank(r, col[h], None, decide)
                elif value != "":
                    ws.write_string(
                        r, col[h], value, text[marks[h]] if h in marks else text["list" if i == 0 else "plain"]
                    )
                elif i == 0:
                    ws.write_blank(r, col[h], None, text["list"])
            if i == 0:
                dropdowns.setdefault(len(row.candidates), []).append(xl_rowcol_to_cell(r, col["keputusan"]))
    for count, cells in dropdowns.items():  # one drop-down per number of candidates, over its rows
        first = cells[0]
        ws.data_validation(
            first,
            {
                "validate": "list",
                "source": choices(count),
                "multi_range": " ".join(cells),
                "input_title": "keputusan",
                "input_message": "cocok N: kandidat N orang yang sama. bukan: tidak ada yang sama. Kosong: putuskan nanti.",
                "error_title": "keputusan",
                "error_message": "Pilih cocok 1, cocok 2 ... (kandidat yang sama orangnya) atau bukan.",
            },
        )
    ws.autofilter(0, 0, max(r, 1), len(head) - 1)


def write_meta(book: Any, facts: Sequence[tuple[str, str]]) -> None:
    """The hidden sheet that names the kept result (``format``, ``result``, ``list`` ...)."""
    meta = book.add_worksheet(META_SHEET)
    for r, (k, v) in enumerate([("format", FORMAT), *facts]):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, v)
    meta.hide()


# --- reading the decisions back ------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """A row of a returned Periksa sheet: its row number (1-based, as Excel shows it) and cells by header."""

    row: int
    cells: dict[str, str]


def read_sheet(path: Path) -> tuple[dict[str, str], list[SheetRow]] | None:
    """The hidden sheet's facts and the Periksa rows of a returned workbook (rows with no key
    and no decision skipped), or None when it is no rekam review workbook. Raises what openpyxl
    raises for a file that is no workbook."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if META_SHEET not in book.sheetnames or SHEET not in book.sheetnames:
            return None
        meta = {str(r[0]): _text(r[1]) for r in book[META_SHEET].iter_rows(values_only=True) if r and r[0]}
        if meta.get("format") != FORMAT or not meta.get("result"):
            return None
        it = book[SHEET].iter_rows(values_only=True)
        head = [_text(h) for h in next(it, ())]
        if "kunci" not in head or "keputusan" not in head:
            return None
        rows = []
        for r, values in enumerate(it, start=2):
            cells = {h: _cell(v) for h, v in zip(head, values, strict=False) if h}
            if cells.get("kunci") or cells.get("keputusan"):
                rows.append(SheetRow(r, cells))
        return meta, rows
    finally:
        book.close()


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def parse_decision(word: str, candidates: int) -> int | None:
    """The candidate chosen by a ``keputusan`` word (1 ... ``candidates``), 0 for ``bukan``, or
    None when the word is not one (``cocok`` alone is candidate 1 when there is only one)."""
    w = re.sub(r"\s+", " ", word.strip().lower())
    if w in NO_MATCH_WORDS:
        return 0
    m = re.fullmatch(r"(" + "|".join(MATCH_WORDS) + r")(?: ?([0-9]+))?", w)
    if m is None:
        return None
    if m.group(2) is None:
        return 1 if candidates == 1 else None
    return int(m.group(2))
