"""Writing a match result: CSV whose columns begin ``list_id, match_id, match_probability,
decision`` (DESIGN.md), NIK masked unless asked for, text neutralised for spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from rekam.reports.cells import neutralise, shown_nik

#: The CSV header, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "list_id", "match_id", "match_probability", "decision", "ktp_status", "recording_state", "agreed",
    "candidates", "second_probability",
)  # fmt: skip


def rows(table: pa.Table, unmasked: bool = False) -> list[dict[str, object]]:
    """The result as plain rows (CSV_COLUMNS), NIK masked unless ``unmasked``."""
    out = []
    for r in table.to_pylist():
        nik = r["match_nik"]
        out.append(
            {
                "list_id": r["list_id"],
                "match_id": shown_nik(nik, unmasked) if nik else None,
                "match_probability": round(r["match_probability"], 4),
                "decision": r["decision"],
                "ktp_status": r["ktp_status"],
                "recording_state": r["recording_state"],
                "agreed": r["agreed"] or None,
                "candidates": r["candidates"],
                "second_probability": None if r["second_probability"] is None else round(r["second_probability"], 4),
            }
        )
    return out


def write_csv(table: pa.Table, path: Path, unmasked: bool = False, sep: str = ",") -> int:
    """Write the result to ``path``; returns the number of rows written."""
    found = rows(table, unmasked)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=sep)
        writer.writerow(CSV_COLUMNS)
        for r in found:
            writer.writerow(
                ["" if r[c] is None else neutralise(r[c]) if isinstance(r[c], str) else r[c] for c in CSV_COLUMNS]
            )
    return len(found)
