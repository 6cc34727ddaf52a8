"""The reference engine: rekam's figures computed person by person in plain Python from the
rules of ``rekam.domain``, with no SQL (ehrQL's reference engine, STYLE.md rule 6).

It reads a snapshot's accepted rows with pyarrow (the files of the import that supplies each
kab/kota, as the engines' ``register`` view does) and decides every flag with the domain's
functions: ``is_wajib_ktp``, ``is_pemilih_pemula``, ``is_risiko_nonaktif``, ``is_nonaktif``, ``age_on``,
``classify_status``. The spec
tables (tests/spec) run on it beside DuckDB and Spark, through the one ``engine`` fixture;
agreeing with it is how an engine shows it implements the rules, not just another engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from rekam.analytics.coverage import AGE_BANDS, COUNTS, LEVELS, CoverageRow, Level
from rekam.analytics.progress import ProgressRow, akan_wajib_day, missing_at_start, progress_rows
from rekam.analytics.quality import FIGURES, QualityRow, add_follow_ups, implausible
from rekam.domain.dates import age_on
from rekam.domain.eligibility import (
    PemulaWindow,
    Person,
    is_nonaktif,
    is_pemilih_pemula,
    is_risiko_nonaktif,
    is_wajib_ktp,
    recorded_under_age,
)
from rekam.domain.nik import FEMALE_DAY_OFFSET
from rekam.domain.recording import PrintStage, classify_status, print_stage
from rekam.register import gazetteer
from rekam.register.store import Snapshot, Store

_COLUMNS = (
    "nik",
    "desa_code",
    "sex",
    "birth_date",
    "citizenship",
    "stay_permit",
    "marital_status",
    "married_on",
    "ktp_status",
    "recording_state",
    "recorded_on",
    "printed_on",
    "export_date",
    "disability",
    "vulnerable_group",
    "kab_code",
    "ikd_status",
    "ikd_activated_on",
    "ikd_kab_code",
)


def register_rows(store: Store, snapshot: Snapshot, accepted: bool = True) -> list[dict[str, Any]]:
    """The snapshot's ``register``: each kab/kota's accepted rows from the import that supplies
    it (with ``accepted=False``: its quarantined rows, the ``quarantined`` view, with ``reasons``)."""
    rows: list[dict[str, Any]] = []
    columns = list(_COLUMNS) if accepted else ["desa_code", "reasons"]
    for kab, part in sorted(snapshot.parts.items()):
        for relative in part.files:
            table = pq.read_table(store.absolute(relative))
            state = table["accepted"] if accepted else pc.invert(table["accepted"])
            keep = pc.and_(state, pc.equal(table["kab_code"], kab))
            keep = pc.and_(keep, pc.equal(table["import_id"], part.import_id))
            present = [c for c in columns if c in table.column_names]  # an older import lacks the IKD columns
            for row in table.filter(keep).select(present).to_pylist():
                rows.append({c: row.get(c) for c in columns})
    return rows


def person(row: dict[str, Any]) -> Person:
    return Person(
        birth=row["birth_date"],
        citizenship=row["citizenship"],
        stay_permit=row["stay_permit"],
        marital=row["marital_status"],
        married_on=row["married_on"],
    )


def is_recorded_by(row: dict[str, Any], on: date, undated_always: bool = False) -> bool:
    """Recorded on or before ``on``; a recorded person without TGL_REKAM counts from the export
    date, or on every date with ``undated_always`` (the start of a period read from recording dates)."""
    if row["recording_state"] != "SUDAH_REKAM":
        return False
    if row["recorded_on"] is None:
        return undated_always or bool(row["export_date"] <= on)
    return bool(row["recorded_on"] <= on)


def flags(
    row: dict[str, Any],
    as_of: date,
    election_day: date | None,
    pemula_window: PemulaWindow,
    undated_always: bool = False,
) -> dict[str, bool]:
    """Every count of ``coverage.COUNTS`` for one person, 1 or 0, by the domain's rules."""
    p = person(row)
    e = election_day or as_of
    age = age_on(p.birth, as_of) if p.birth <= as_of else -1
    status = classify_status(row["ktp_status"])
    w = is_wajib_ktp(p, as_of)
    r = is_recorded_by(row, as_of, undated_always)
    printed = status is not None and status.printed and (row["printed_on"] is None or row["printed_on"] <= as_of)
    printable = status is not None and status.printable
    stage = print_stage(status)
    vulnerable = (row["disability"] or 0) > 0 or row["vulnerable_group"] is not None or age >= 60
    pemula = is_pemilih_pemula(p, e, pemula_window if election_day else 1)
    akan = not w and is_wajib_ktp(p, e)
    # IKD: activated by the as-of date (an undated activation from the export date on), by
    # anyone; "elsewhere" when another kab/kota than the domicile's activated it.
    activated_on = row["ikd_activated_on"]
    ikd = row["ikd_status"] == "AKTIF" and (
        activated_on <= as_of if activated_on is not None else row["export_date"] <= as_of
    )
    ikd_elsewhere = row["ikd_kab_code"] is not None and row["ikd_kab_code"] != row["kab_code"]
    return {
        "wajib": w,
        "sudah_rekam": w and r,
        "perlu_rekam_ulang": w and row["recording_state"] == "PERLU_REKAM_ULANG",
        "belum_cetak": w and r and printable and not printed,
        "prr": w and r and row["ktp_status"] == "PRINT_READY_RECORD",
        "duplikat": w and row["ktp_status"] == "DUPLICATE_RECORD",
        "sudah_cetak": w and r and printed,
        "menunggu_pusat": w and r and stage is PrintStage.MENUNGGU_PUSAT,
        "pemula": pemula,
        "pemula_belum_rekam": pemula and not r,
        "akan_wajib": akan,
        "akan_wajib_belum_rekam": akan and not r,
        "rentan_wajib": w and vulnerable,
        "rentan_belum_rekam": w and vulnerable and not r,
        "risiko_nonaktif": not r and is_risiko_nonaktif(p, as_of),
        "nonaktif": not r and is_nonaktif(p, as_of),
        "sudah_rekam_tanpa_tanggal": w and r and row["recorded_on"] is None,
        "ikd_aktif": w and r and ikd,
        "ikd_aktif_luar": w and r and ikd and ikd_elsewhere,
        "ikd_tanpa_rekam": ikd and not r,
    }


def quality_flags(row: dict[str, Any]) -> dict[str, bool]:
    """The data-quality issues of one resident (``quality.FIGURES`` but the quarantine count)."""
    birth, recorded_on, nik = row["birth_date"], row["recorded_on"], row["nik"] or ""
    nik_mismatch = False
    if len(nik) == 16 and nik.isascii() and nik.isdigit() and birth is not None:
        day = int(nik[6:8])
        day = day - FEMALE_DAY_OFFSET if day > FEMALE_DAY_OFFSET else day
        nik_mismatch = (birth.day, birth.month, birth.year % 100) != (day, int(nik[8:10]), int(nik[10:12]))
    flags = {
        "rekam_sebelum_16": recorded_on is not None
        and birth is not None
        and recorded_under_age(Person(birth, marital=row["marital_status"], married_on=row["married_on"]), recorded_on),
        "rekam_sebelum_lahir": recorded_on is not None and birth is not None and recorded_on < birth,
        "nik_tgl_lahir_beda": nik_mismatch,
        "rekam_tanpa_tanggal": row["recording_state"] == "SUDAH_REKAM" and recorded_on is None,
    }
    return {"penduduk": True, "penduduk_bermasalah": any(flags.values()), **flags}


def age_band(birth: date, as_of: date) -> str:
    """17-20, 21-29, 30-44, 45-59 or 60+ on ``as_of`` (anyone younger, e.g. married, is in 17-20)."""
    age = age_on(birth, as_of) if birth <= as_of else 0
    for band, upper in zip(AGE_BANDS, (21, 30, 45, 60), strict=False):
        if age < upper:
            return band
    return AGE_BANDS[-1]


def region_of(desa: str, level: Level) -> str:
    return ".".join(desa.split(".")[: LEVELS.index(level) + 1])


@dataclass
class ReferenceEngine:
    """Coverage of a store's snapshot, person by person."""

    store: Store
    name: str = "reference"

    def coverage(
        self,
        as_of: date,
        level: Level = "kab",
        region: str | None = None,
        election_date: date | None = None,
        pemula_window: PemulaWindow = 1,
        target_hundredths: int = 9940,
        snapshot: Snapshot | None = None,
        undated_always: bool = False,
    ) -> list[CoverageRow]:
        snap = snapshot or self.store.require_current()
        rows = [r for r in register_rows(self.store, snap) if _within(r["desa_code"], region)]
        return self.coverage_of(rows, as_of, level, election_date, pemula_window, target_hundredths, undated_always)

    def progress(
        self,
        as_of: date,
        since: date,
        deadline: date | None = None,
        level: Level = "kab",
        region: str | None = None,
        target_hundredths: int = 9940,
        holidays: tuple[date, ...] = (),
    ) -> list[ProgressRow]:
        """Coverage now (current snapshot as of ``as_of``, akan wajib by the deadline) against
        coverage on ``since``: the latest other snapshot exported by then, else the current one
        read as of ``since`` with every undated recording counted as made by then."""
        current = self.store.require_current()
        older = [s for s in self.store.all() if s.id != current.id and s.export_date <= since]
        base = max(older, key=lambda s: (s.export_date, s.id)) if older else None
        from_dates = base is None
        election = akan_wajib_day(as_of, deadline)
        now = self.coverage(as_of, level, region, election, 1, target_hundredths, current, from_dates)
        then = self.coverage(since, level, region, None, 1, target_hundredths, base or current, from_dates)
        missing = set() if base is None else missing_at_start(current.parts, base.parts)
        return progress_rows(now, then, since, as_of, deadline, (base or current).id, from_dates, missing, holidays)

    def quality(
        self, level: Level = "kab", region: str | None = None, as_of: date | None = None, home: Any = None
    ) -> list[QualityRow]:
        """Data-quality figures at ``level``, a desa flagged by ``quality.implausible`` on its
        reference coverage, follow-ups from the verifications (``rekam verify``)."""
        from rekam import verifications

        snap = self.store.require_current()
        as_of = as_of or snap.export_date
        people = [r for r in register_rows(self.store, snap) if _within(r["desa_code"], region)]
        per_desa: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
        for row in people:
            for key, value in quality_flags(row).items():
                per_desa[row["desa_code"]][key] += value
        for row in register_rows(self.store, snap, accepted=False):
            if row["desa_code"] is not None and _within(row["desa_code"], region):
                if "NIK_DUPLICATE" in (row["reasons"] or []):
                    per_desa[row["desa_code"]]["duplikat_dikarantina"] += 1
        by_desa = {r.region_code: (r.wajib, r.coverage_pct) for r in self.coverage_of(people, as_of, "desa")}
        totals: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
        flagged: dict[str, int] = defaultdict(int)
        for desa, figures in per_desa.items():
            code = region_of(desa, level)
            for key, value in figures.items():
                totals[code][key] += value
            wajib, pct = by_desa.get(desa, (0, None))
            flagged[code] += implausible(figures, wajib, pct)
        rows = [
            QualityRow(code, gazetteer.name_of(code), level, totals[code], flagged[code]) for code in sorted(totals)
        ]
        add_follow_ups(rows, level, verifications.latest(self.store.home))
        return rows

    @staticmethod
    def coverage_of(
        rows: Iterable[dict[str, Any]],
        as_of: date,
        level: Level,
        election_date: date | None = None,
        pemula_window: PemulaWindow = 1,
        target_hundredths: int = 9940,
        undated_always: bool = False,
    ) -> list[CoverageRow]:
        counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
        by_sex: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: {s: {"wajib": 0, "sudah_rekam": 0, "ikd_aktif": 0} for s in ("L", "P")}
        )
        by_band: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: {b: {"wajib": 0, "sudah_rekam": 0, "ikd_aktif": 0} for b in AGE_BANDS}
        )
        for row in rows:
            code = region_of(row["desa_code"], level)
            f = flags(row, as_of, election_date, pemula_window, undated_always)
            for key, value in f.items():
                counts[code][key] += value
            for group in (
                by_sex[code]["P" if row["sex"] == "P" else "L"],
                by_band[code][age_band(row["birth_date"], as_of)],
            ):
                group["wajib"] += f["wajib"]
                group["sudah_rekam"] += f["sudah_rekam"]
                group["ikd_aktif"] += f["ikd_aktif"]
        return [
            CoverageRow(
                region_code=code,
                region_name=gazetteer.name_of(code),
                level=level,
                counts=counts[code],
                target_hundredths=target_hundredths,
                election=election_date is not None,
                by_sex=by_sex[code],
                by_age_band=by_band[code],
            )
            for code in sorted(counts)
        ]


def _within(desa: str, region: str | None) -> bool:
    return region is None or desa == region or desa.startswith(region + ".")
