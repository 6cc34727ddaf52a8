"""Import SIAK exports into a new snapshot: read, validate, quarantine, switch.

Every row read is either accepted into the snapshot or written to the quarantine file
with its reasons: ``rows_read == accepted + quarantined`` always. The work happens in a
temporary folder; only when the parts, the quarantine file and the manifest are
complete does CURRENT move to the new snapshot.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from rekam.errors import IngestError, NothingAccepted, StaleImport
from rekam.messages import text
from rekam.register.schema import COLUMNS
from rekam.register.sources import Source, open_source
from rekam.register.store import Part, Snapshot, Store, now_iso
from rekam.register.validate import SNAPSHOT_COLUMNS, checked_sql, register_lookups

Progress = Callable[[str], None]

QUARANTINE_HEADER = ("file", "row", "reasons", "message", *COLUMNS, "raw_row")


@dataclass
class ImportResult:
    rows_read: int
    accepted: int
    quarantined: int
    warnings: dict[str, int]
    quarantine_file: str | None
    snapshot: str
    export_date: date
    kab_codes: list[str]
    unchanged: bool = False
    seconds: float = 0.0
    files: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "quarantined": self.quarantined,
            "warnings": dict(sorted(self.warnings.items())),
            "quarantine_file": self.quarantine_file,
            "snapshot": self.snapshot,
            "export_date": self.export_date.isoformat(),
            "kab_codes": self.kab_codes,
            "unchanged": self.unchanged,
            "files": self.files,
        }


def import_files(
    store: Store,
    paths: Sequence[Path],
    export_date: date,
    force: bool = False,
    progress: Progress | None = None,
    memory_limit: str = "1500MB",
) -> ImportResult:
    """Import ``paths`` (one call = one snapshot) dated ``export_date``."""
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    with store.lock():
        store.clean_abandoned()
        current = store.current()
        import_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        work = store.tmp_dir(import_id)
        work.mkdir(parents=True)
        try:
            con = duckdb.connect()
            con.execute(f"SET memory_limit = '{memory_limit}'")
            con.execute(f"SET temp_directory = '{work / 'spill'}'")
            con.execute("SET preserve_insertion_order = false")
            sources: list[Source] = []
            for i, path in enumerate(paths):
                say(f"membaca {Path(path).name}")
                sources.append(open_source(Path(path), i, work, con))
            digest = _digest(sources, export_date)
            if current is not None and current.source_digest == digest and not force:
                return _unchanged(current, sources, started)
            say("memeriksa baris")
            register_lookups(con, sources)
            con.execute(
                f"CREATE TEMP TABLE verdict AS SELECT file_idx, ord, reasons, kept_key "
                f"FROM ({checked_sql(export_date)}) WHERE len(reasons) > 0"
            )
            rows_read = sum(s.rows_read for s in sources)
            if rows_read == 0:
                raise IngestError("no_data_rows", files=", ".join(s.path.name for s in sources))
            quarantine_tmp = work / "quarantine.csv"
            quarantined = _write_quarantine(con, sources, quarantine_tmp)
            accepted = rows_read - quarantined
            if accepted == 0:
                qfile = _keep_quarantine(store, import_id, quarantine_tmp)
                raise NothingAccepted(
                    "no_rows_accepted",
                    rows_read=rows_read,
                    quarantine_file=str(qfile),
                    result=ImportResult(rows_read, 0, quarantined, {}, str(qfile), "", export_date, []),
                )
            say("menulis snapshot")
            parts, warnings = _write_parts(con, store, import_id, export_date)
            con.close()
            kab_codes = sorted(parts)
            assert sum(p.rows for p in parts.values()) == accepted, (accepted, parts)
            _refuse_stale(current, kab_codes, export_date, force)
            os.replace(work / "parts", store.parts_dir(import_id))
            qfile = _keep_quarantine(store, import_id, quarantine_tmp) if quarantined else None
            snapshot_id = store.next_id(export_date)
            merged = dict(current.parts) if current else {}
            merged.update(parts)
            result = ImportResult(
                rows_read=rows_read,
                accepted=accepted,
                quarantined=quarantined,
                warnings=warnings,
                quarantine_file=str(qfile) if qfile else None,
                snapshot=snapshot_id,
                export_date=export_date,
                kab_codes=kab_codes,
                files=[_file_figures(s) for s in sources],
            )
            store.commit(
                Snapshot(
                    id=snapshot_id,
                    created_at=now_iso(),
                    export_date=export_date,
                    parent=current.id if current else None,
                    parts=merged,
                    source_digest=digest,
                    figures=result.as_json(),
                )
            )
            result.seconds = time.perf_counter() - started
            return result
        finally:
            shutil.rmtree(store.tmp_dir(import_id), ignore_errors=True)


def _digest(sources: list[Source], export_date: date) -> str:
    h = hashlib.sha256(export_date.isoformat().encode())
    for s in sources:
        h.update(s.path.name.encode() + b"\0" + s.digest.encode())
    return h.hexdigest()


def _unchanged(current: Snapshot, sources: list[Source], started: float) -> ImportResult:
    f = current.figures
    return ImportResult(
        rows_read=f["rows_read"],
        accepted=f["accepted"],
        quarantined=f["quarantined"],
        warnings=f["warnings"],
        quarantine_file=f.get("quarantine_file"),
        snapshot=current.id,
        export_date=current.export_date,
        kab_codes=f.get("kab_codes", []),
        unchanged=True,
        seconds=time.perf_counter() - started,
        files=[_file_figures(s) for s in sources],
    )


def _file_figures(s: Source) -> dict[str, Any]:
    return {"file": s.path.name, "kind": s.kind, "rows_read": s.rows_read}


def _refuse_stale(current: Snapshot | None, kab_codes: list[str], export_date: date, force: bool) -> None:
    if current is None or force:
        return
    for kab in kab_codes:
        part = current.parts.get(kab)
        if part is not None and part.export_date > export_date:
            raise StaleImport("stale_import", kab=kab, current=part.export_date.isoformat(), date=export_date.isoformat())


def _write_parts(
    con: duckdb.DuckDBPyConnection, store: Store, import_id: str, export_date: date
) -> tuple[dict[str, Part], dict[str, int]]:
    """Write the accepted rows sorted by desa, one folder per kab/kota."""
    store.parts_dir(import_id).parent.mkdir(parents=True, exist_ok=True)
    staging_out = store.tmp_dir(import_id) / "parts"
    cols = ", ".join(SNAPSHOT_COLUMNS)
    con.execute("SET preserve_insertion_order = true")
    con.execute(
        f"""COPY (SELECT {cols} FROM ({checked_sql(export_date, duplicates=False)}) c
                 ANTI JOIN verdict v ON v.file_idx = c.file_idx AND v.ord = c.ord
                 ORDER BY desa_id, rw, rt, kk, nik)
            TO '{staging_out}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (kab_code),
                                WRITE_PARTITION_COLUMNS true, ROW_GROUP_SIZE 122880)"""
    )
    written = f"read_parquet('{staging_out}/*/*.parquet', hive_partitioning = false)"
    counts = dict(con.execute(f"SELECT kab_code, count(*) FROM {written} GROUP BY 1").fetchall())
    warnings = con.execute(
        f"SELECT w, count(*) FROM (SELECT unnest(warnings) AS w FROM {written}) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    final = store.parts_dir(import_id)
    parts: dict[str, Part] = {}
    for kab_dir in sorted(staging_out.iterdir()):
        kab = kab_dir.name.split("=", 1)[1]
        files = tuple(
            str((final / kab_dir.name / p.name).relative_to(store.home)) for p in sorted(kab_dir.glob("*.parquet"))
        )
        parts[kab] = Part(kab_code=kab, files=files, export_date=export_date, import_id=import_id, rows=int(counts[kab]))
    return parts, {str(w): int(n) for w, n in warnings}


def _write_quarantine(con: duckdb.DuckDBPyConnection, sources: list[Source], out: Path) -> int:
    by_index = {s.index: s for s in sources}
    written = 0
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(QUARANTINE_HEADER)
        for s in sources:
            for r in s.rejected:
                w.writerow([s.path.name, r.row, r.reason, _message([r.reason], detail=r.detail), *[""] * len(COLUMNS), r.raw])
                written += 1
        rows = con.execute(
            "SELECT v.file_idx, v.ord, v.reasons, v.kept_key FROM verdict v WHERE len(v.reasons) > 0 "
            "ORDER BY v.file_idx, v.ord"
        ).fetchall()
        for file_idx, rows_of_file in _group(rows):
            s = by_index[file_idx]
            ords = [r[1] for r in rows_of_file]
            raw = _raw_rows(con, s, ords)
            for _, ord_, reasons, kept_key in rows_of_file:
                kept = None
                if kept_key is not None:
                    ks = by_index[int(kept_key) >> 32]
                    kept = text("row_ref", file=ks.path.name, row=ks.row_of(int(kept_key) & 0xFFFFFFFF))
                fields = raw[ord_]
                canonical = [fields[p] if (p := s.positions.get(c)) is not None and p < len(fields) else "" for c in COLUMNS]
                w.writerow(
                    [s.path.name, s.row_of(ord_), ";".join(reasons), _message(reasons, kept=kept), *canonical,
                     _join(fields, s.delimiter)]
                )  # fmt: skip
                written += 1
    return written


def _group(rows: list[tuple[Any, ...]]) -> list[tuple[int, list[tuple[Any, ...]]]]:
    groups: dict[int, list[tuple[Any, ...]]] = {}
    for r in rows:
        groups.setdefault(int(r[0]), []).append(r)
    return sorted(groups.items())


def _raw_rows(con: duckdb.DuckDBPyConnection, s: Source, ords: list[int]) -> dict[int, list[str]]:
    con.execute("CREATE OR REPLACE TEMP TABLE want AS SELECT unnest(?::BIGINT[]) AS ord", [ords])
    width = len(s.header)
    cols = ", ".join(f"c{i}" for i in range(width))
    result = con.execute(
        f"SELECT st.ord, {cols} FROM read_parquet('{s.staging}') st SEMI JOIN want USING (ord)"
    ).fetchall()
    return {int(r[0]): ["" if v is None else str(v) for v in r[1:]] for r in result}


def _join(fields: list[str], delimiter: str) -> str:
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(fields)
    return buf.getvalue()


def _message(reasons: list[str], kept: str | None = None, detail: str = "") -> str:
    return "; ".join(text(r, kept=kept or "", detail=detail) for r in reasons)


def _keep_quarantine(store: Store, import_id: str, tmp: Path) -> Path:
    final = store.quarantine_path(import_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)
    return final
