"""Verification outcomes reported back from the field (``rekam verify``), kept in REKAM_HOME.

One JSON file per returned workbook, named by the workbook's SHA-256 and written with an
atomic rename: a killed process leaves nothing half-written, and returning the same
workbook twice stores it once. Outcomes are keyed by NIK (row keys belong to one snapshot),
so later lists show the latest outcome per person. Residents reported moved or dead stay in
the register's figures (SIAK is the source of truth) and are flagged for SIAK follow-up.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rekam.files import private_dir, write_atomic


@dataclass(frozen=True)
class Outcome:
    """One resident's outcome on a returned workbook (the row key belongs to one snapshot)."""

    row_key: str
    nik: str
    desa_code: str
    outcome: str
    note: str


def _dir(home: Path) -> Path:
    return home / "verifications"


def store(home: Path, workbook: Path, snapshot: str, kind: str, outcomes: list[Outcome]) -> Path:
    digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
    folder = _dir(home)
    private_dir(folder)
    target = folder / f"{digest}.json"
    payload = {
        "workbook": workbook.name,
        "snapshot": snapshot,
        "list": kind,
        "verified_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "outcomes": [asdict(o) for o in outcomes],
    }
    write_atomic(target, json.dumps(payload, ensure_ascii=False))
    return target


def latest(home: Path) -> dict[str, dict[str, Any]]:
    """The latest outcome per NIK: {nik: {outcome, note, verified_at, desa_code}}."""
    found: dict[str, dict[str, Any]] = {}
    folder = _dir(home)
    if not folder.is_dir():
        return found
    batches = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")]
    for batch in sorted(batches, key=lambda b: b["verified_at"]):
        for o in batch["outcomes"]:
            found[o["nik"]] = {
                "outcome": o["outcome"],
                "note": o["note"],
                "verified_at": batch["verified_at"],
                "desa_code": o["desa_code"],
            }
    return found
