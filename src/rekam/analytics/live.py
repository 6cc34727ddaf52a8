"""Live figures: the latest snapshot plus the services logged at the desks since (issue #8).

A perekaman or rekam ulang logged after the snapshot's export date makes a resident "sudah
rekam" from that day; a print makes the card printed; a perekaman the operator confirmed for
someone already recorded makes a DUPLICATE_RECORD; an IKD activation (issue 19) makes the IKD
active from that day, activated by the point's kab/kota. These are the rules of
``ops.residents.apply_event``, applied to the register view as an overlay: one row per
resident with a change (``OVERLAY_COLUMNS``), joined by NIK. The SQL is plain (no DuckDB
extensions), so the same view is built on Spark. Residents the snapshot does not know (a NIK
not in the register) cannot enter a coverage figure: they are SIAK follow-up cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from rekam.domain.services import PRINTS, RECORDINGS, ServiceKind

#: One row per resident with a change since the snapshot.
OVERLAY_SCHEMA = pa.schema(
    [
        ("nik", pa.string()),
        ("recorded_on", pa.date32()),
        ("printed_on", pa.date32()),
        ("duplicate", pa.bool_()),
        ("ikd_on", pa.date32()),
        ("ikd_kab_code", pa.string()),
    ]
)
#: The same, as Spark's schema string.
OVERLAY_SPARK_SCHEMA = (
    "nik string, recorded_on date, printed_on date, duplicate boolean, ikd_on date, ikd_kab_code string"
)


@dataclass(frozen=True)
class Change:
    nik: str
    recorded_on: date | None = None
    printed_on: date | None = None
    duplicate: bool = False
    ikd_on: date | None = None  # an IKD activation at a desk (issue 19)
    ikd_kab_code: str | None = None  # the kab/kota of the point that activated it


def changes(events: Iterable[tuple[str, str, date, bool] | tuple[str, str, date, bool, str | None]]) -> list[Change]:
    """Per NIK, from events (nik, kind, service date, duplicate confirmed[, the point's kab/kota])
    that were completed: the first recording day, the first print day, whether a duplicate was
    made, and the first IKD activation with the kab/kota of its point."""
    found: dict[str, dict[str, object]] = {}
    for event in sorted(events, key=lambda e: (e[0], e[2])):
        nik, kind, day, duplicate = event[:4]
        c = found.setdefault(
            nik, {"recorded_on": None, "printed_on": None, "duplicate": False, "ikd_on": None, "ikd_kab_code": None}
        )
        if kind in RECORDINGS and c["recorded_on"] is None:
            c["recorded_on"] = day
        if kind in PRINTS and c["printed_on"] is None:
            c["printed_on"] = day
        if kind == ServiceKind.PEREKAMAN and duplicate:
            c["duplicate"] = True
        if kind == ServiceKind.AKTIVASI_IKD and c["ikd_on"] is None:
            c["ikd_on"] = day
            c["ikd_kab_code"] = event[4] if len(event) > 4 else None
    return [Change(nik, **v) for nik, v in sorted(found.items())]  # type: ignore[arg-type]


@dataclass(frozen=True)
class DeskMark:
    """The mark of a person on a by-name list served at a desk since the snapshot: the latest
    completed service (its day and kind)."""

    day: date
    kind: str


def marks(events: Iterable[tuple[str, str, date, int]]) -> dict[str, DeskMark]:
    """Per NIK, from completed events (nik, kind, service date, id): the latest (by day, then id)."""
    latest: dict[str, tuple[date, int, str]] = {}
    for nik, kind, day, event_id in events:
        if nik not in latest or (day, event_id) > latest[nik][:2]:
            latest[nik] = (day, event_id, kind)
    return {nik: DeskMark(day, kind) for nik, (day, _, kind) in latest.items()}


def overlay_table(found: Sequence[Change]) -> pa.Table:
    return pa.table(
        {
            "nik": [c.nik for c in found],
            "recorded_on": [c.recorded_on for c in found],
            "printed_on": [c.printed_on for c in found],
            "duplicate": [c.duplicate for c in found],
            "ikd_on": [c.ikd_on for c in found],
            "ikd_kab_code": [c.ikd_kab_code for c in found],
        },
        schema=OVERLAY_SCHEMA,
    )


def register_sql(columns: Sequence[str], rows: str, overlay: str) -> str:
    """SQL of the register with the overlay applied; ``columns`` are the register's, in order."""
    upgraded = "(l.recorded_on IS NOT NULL AND r.recording_state <> 'SUDAH_REKAM')"
    replaced = {
        "recording_state": f"CASE WHEN {upgraded} THEN 'SUDAH_REKAM' ELSE r.recording_state END",
        "recorded_on": f"CASE WHEN {upgraded} THEN l.recorded_on ELSE r.recorded_on END",
        "ktp_status": "CASE WHEN l.printed_on IS NOT NULL THEN 'CARD_PRINTED' "
        "WHEN l.duplicate THEN 'DUPLICATE_RECORD' "
        f"WHEN {upgraded} THEN 'BIO_CAPTURED' ELSE r.ktp_status END",
        "printed": "(r.printed OR l.printed_on IS NOT NULL)",
        "printed_on": "CASE WHEN l.printed_on IS NOT NULL AND NOT r.printed THEN l.printed_on ELSE r.printed_on END",
        "printable": "CASE WHEN l.printed_on IS NOT NULL THEN TRUE WHEN l.duplicate THEN FALSE "
        f"WHEN {upgraded} THEN TRUE ELSE r.printable END",
    }
    # An IKD activation at a desk (issue 19), where the snapshot has none: active from that day,
    # by the point's kab/kota. A snapshot read without the IKD columns gains none.
    activated = "(l.ikd_on IS NOT NULL AND coalesce(r.ikd_status, 'BELUM') <> 'AKTIF')"
    replaced |= {
        "ikd_status": f"CASE WHEN {activated} THEN 'AKTIF' ELSE r.ikd_status END",
        "ikd_activated_on": f"CASE WHEN {activated} THEN l.ikd_on ELSE r.ikd_activated_on END",
        "ikd_kab_code": f"CASE WHEN {activated} THEN l.ikd_kab_code ELSE r.ikd_kab_code END",
    }
    select = ", ".join(f"{replaced[c]} AS {c}" if c in replaced else f"r.{c}" for c in columns)
    return f"SELECT {select} FROM {rows} r LEFT JOIN {overlay} l ON l.nik = r.nik"
