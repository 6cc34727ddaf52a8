"""By-name, by-address lists: who needs action, per desa, in household order.

Each list is a condition over the same per-person flags as the coverage figures
(``coverage.definitions``), so a list and the figure it explains always agree:

    belum-rekam      wajib, not recorded by D (includes those who must record again)
    rekam-ulang      wajib whose enrolment failed
    pemula           pemula (a voter on E, not a voter on the window's start) not recorded by D
    akan-wajib       not wajib on D, wajib on E, not recorded by D
    rentan           wajib, vulnerable (disabled, Permendagri 96/2019 group, 60+), not recorded
    belum-cetak      wajib, recorded, printable (PRINT_READY_RECORD), card not printed; those
                     still waiting at the centre (menunggu pusat) are not on it
    risiko-nonaktif  wajib, not recorded, deactivation date (5 years after becoming wajib:
                     the 22nd birthday, or TGL_KWN + 5 when married before 17) in (D, D + 12 months]
    nonaktif         wajib, not recorded, deactivation date on or before D (a SIAK follow-up)
    belum-ikd        wajib, recorded by D, IKD (the digital ID) not activated by D (``ikd``, the
                     coverage flag): the people an activation drive goes after (issue 19); its
                     length per desa is sudah_rekam - ikd_aktif

Rows are sorted by desa, dusun/jorong, RW, RT, address, KK and name, so a household stands
together. Every row carries ``row_key``: the import, source file and row the person came
from, stable within a snapshot and not the NIK; the verification loop ties answers back by it.
On the risiko-nonaktif and nonaktif lists ``deactivation_date`` (``domain.eligibility.deactivation_date``) is a
column and ends the reason (the workbook's Alasan column), e.g. "... pada tanggal (14-11-2024)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from rekam.analytics.coverage import definitions
from rekam.analytics.engines import Engine
from rekam.domain.dates import age_on
from rekam.domain.eligibility import PemulaWindow, deactivation_date
from rekam.domain.eligibility import Person as Eligible

ListKind = Literal[
    "belum-rekam",
    "rekam-ulang",
    "pemula",
    "akan-wajib",
    "rentan",
    "belum-cetak",
    "risiko-nonaktif",
    "nonaktif",
    "belum-ikd",
]
KINDS: tuple[ListKind, ...] = get_args(ListKind)  # in the Literal's order

_CONDITION: dict[str, str] = {
    "belum-rekam": "w AND NOT r",
    "rekam-ulang": "w AND u",
    "pemula": "pem AND NOT r",
    "akan-wajib": "NOT w AND we AND NOT r",
    "rentan": "w AND ren AND NOT r",
    "belum-cetak": "w AND r AND pr AND NOT c",
    "risiko-nonaktif": "w AND NOT r AND dw AND NOT dn",
    "nonaktif": "w AND NOT r AND dn",
    "belum-ikd": "w AND r AND NOT ikd",
}

# Why a person is on the list, in the user's words (Bahasa Indonesia; the CLI translates).
REASONS: dict[str, str] = {
    "belum-rekam": "wajib KTP-el, belum rekam",
    "rekam-ulang": "perekaman gagal, perlu rekam ulang",
    "pemula": "pemilih pemula, belum rekam",
    "akan-wajib": "wajib KTP-el sebelum hari pemungutan suara, belum rekam",
    "rentan": "kelompok rentan, belum rekam",
    "belum-cetak": "siap cetak (PRR), KTP-el belum dicetak",
    "risiko-nonaktif": "belum rekam: NIK dinonaktifkan 5 tahun setelah wajib KTP-el, dalam 12 bulan, pada tanggal",
    "nonaktif": "belum rekam, lewat 5 tahun setelah wajib KTP-el: NIK mungkin sudah dinonaktifkan (cek SIAK) sejak",
    "belum-ikd": "sudah rekam KTP-el, IKD belum diaktifkan",
}

COLUMNS: tuple[str, ...] = (
    "row_key",
    "desa_code",
    "nik",
    "kk",
    "name",
    "sex",
    "birth_date",
    "age",
    "address",
    "rt",
    "rw",
    "dusun",
    "ktp_status",
    "recording_state",
    "reason",
    "deactivation_date",
)


@dataclass(frozen=True)
class Person:
    row_key: str
    desa_code: str
    nik: str
    kk: str | None
    name: str | None
    sex: str
    birth_date: date
    age: int
    address: str | None
    rt: str | None
    rw: str | None
    dusun: str | None
    ktp_status: str
    recording_state: str
    reason: str
    deactivation_date: date | None = None

    def as_row(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


def condition(kind: ListKind) -> str:
    """The condition (over the ``coverage.definitions`` flags) that puts a person on list ``kind``."""
    return _CONDITION[kind]


def list_sql(
    kind: ListKind, as_of: date, election_day: date | None, pemula_window: PemulaWindow, region_prefix: str
) -> str:
    lo, hi = desa_id_range(region_prefix)
    return _people_sql(as_of, election_day, pemula_window, f"desa_id BETWEEN {lo} AND {hi}", (kind,))


def _people_sql(
    as_of: date, election_day: date | None, pemula_window: PemulaWindow, rows: str, kinds: tuple[ListKind, ...]
) -> str:
    """The people of ``rows`` (a filter on the register's rows) on any of lists ``kinds``, in
    household order; with several kinds, a last column names the first list each person is on."""
    flags, _ = definitions(as_of, election_day, pemula_window)
    cols = ",\n    ".join(f"coalesce({cond}, false) AS {name}" for name, cond in flags.items())
    which = ""
    if len(kinds) > 1:
        which = ", CASE " + " ".join(f"WHEN {_CONDITION[k]} THEN '{k}'" for k in kinds) + " END AS list_kind"
    return f"""
WITH p AS (
  SELECT concat(import_id, ':', source_file, ':', CAST(source_row AS VARCHAR)) AS row_key,
    desa_code, nik, kk, name, sex, birth_date, address, rt, rw, dusun, ktp_status, recording_state,
    marital_status, married_on,
    {cols}
  FROM register_rows
  WHERE {rows}
)
SELECT row_key, desa_code, nik, kk, name, sex, birth_date, address, rt, rw, dusun, ktp_status, recording_state,
  marital_status, married_on{which}
FROM p WHERE {" OR ".join(f"({_CONDITION[k]})" for k in kinds)}
ORDER BY desa_code, dusun NULLS FIRST, rw NULLS FIRST, rt NULLS FIRST, address NULLS FIRST, kk, name, nik
"""


def desa_id_range(prefix: str) -> tuple[int, int]:
    """The desa ids under a dotted region code: a range scan the sorted files can prune on."""
    digits = prefix.replace(".", "")
    width = 10 - len(digits)
    base = int(digits) * 10**width
    return base, base + 10**width - 1


def people(
    engine: Engine,
    kind: ListKind,
    region_prefix: str,
    as_of: date,
    election_day: date | None = None,
    pemula_window: PemulaWindow = 1,
) -> list[Person]:
    """The people on list ``kind`` in the region, in household order."""
    rows = engine.run(list_sql(kind, as_of, election_day, pemula_window, region_prefix))
    return [_person(row, kind, as_of, election_day) for row in rows]


def people_in_desa(
    engine: Engine,
    kinds: tuple[ListKind, ...],
    desa_codes: list[str],
    as_of: date,
    election_day: date | None = None,
    pemula_window: PemulaWindow = 1,
) -> list[Person]:
    """The people of the desa ``desa_codes`` (dotted) on any of lists ``kinds``, in household
    order; each person's reason and age are those of the first list of ``kinds`` they are on."""
    if not desa_codes:
        return []
    codes = ", ".join("'" + c.replace("'", "''") + "'" for c in sorted(set(desa_codes)))
    rows = engine.run(_people_sql(as_of, election_day, pemula_window, f"desa_code IN ({codes})", kinds))
    return [_person(row[:15], row[15] if len(kinds) > 1 else kinds[0], as_of, election_day) for row in rows]


def _person(row: tuple[Any, ...], kind: ListKind, as_of: date, election_day: date | None) -> Person:
    row_key, desa, nik, kk, name, sex, birth, address, rt, rw, dusun, status, state, marital, married_on = row
    deactivation = None
    if kind in ("risiko-nonaktif", "nonaktif"):
        deactivation = deactivation_date(Eligible(birth, marital=marital or 1, married_on=married_on))
    ref = election_day if kind in ("pemula", "akan-wajib") and election_day else as_of
    return Person(
        row_key,
        desa,
        nik,
        kk,
        name,
        sex,
        birth,
        age_on(birth, ref),
        address,
        rt,
        rw,
        dusun,
        status,
        state,
        REASONS[kind] if deactivation is None else f"{REASONS[kind]} ({deactivation:%d-%m-%Y})",
        deactivation,
    )


_ROW_KEY = re.compile(r"^[^:'\x00-\x1f]{1,100}:[^'\x00-\x1f]{1,300}:\d{1,10}$")


def niks_of(engine: Engine, row_keys: Iterable[str]) -> dict[str, str]:
    """The NIK of each list ``row_key`` found in the engine's register rows (a field team names
    a person by the row key of the list it was given: ``rekam.ops.field``); keys that are not
    row keys, or not found, are left out."""
    wanted = sorted({k for k in row_keys if isinstance(k, str) and _ROW_KEY.fullmatch(k)})
    if not wanted:
        return {}
    key = "concat(import_id, ':', source_file, ':', CAST(source_row AS VARCHAR))"
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        listed = ", ".join(f"'{k}'" for k in wanted[i : i + 500])  # no quote can be in a key (_ROW_KEY)
        rows = engine.run(f"SELECT {key} AS row_key, nik FROM register_rows WHERE {key} IN ({listed})", "row-key-nik")
        found.update({str(k): str(nik) for k, nik in rows})
    return found
