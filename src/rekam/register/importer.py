"""Import SIAK exports into a new snapshot: read, validate, quarantine, switch.

Every row read is either accepted into the snapshot or written to the quarantine file
with its reasons: ``rows_read == accepted + quarantined`` always. The work happens in a
temporary folder; only when the parts, the quarantine file and the manifest are
complete does CURRENT move to the new snapshot.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from rekam import duck
from rekam.domain.region import InvalidRegionCode, parse_region, within
from rekam.errors import ImportShrinks, ImportTooLarge, IngestError, NothingAccepted, PermissionDenied, StaleImport
from rekam.files import private_dir
from rekam.messages import text
from rekam.register import ikd_file, quarantine
from rekam.register.schema import IKD_REQUIRED
from rekam.register.sources import XLSX_LIMITS, Source, open_source
from rekam.register.store import Part, Snapshot, Store, now_iso
from rekam.register.validate import SNAPSHOT_COLUMNS, checked_sql, find_duplicates, register_lookups, union_sql
from rekam.register.values import region_part

#: DuckDB's memory during an import when ``Settings.memory_limit`` (REKAM_MEMORY_LIMIT) is unset; it spills beyond.
MEMORY_LIMIT = "1500MB"

Progress = Callable[[str], None]
#: Computes a new snapshot's diff against the one it replaces (``analytics.snapshot_diff.compute``,
#: passed in by the library: the register does not import analytics), as JSON to keep beside it.
DiffHook = Callable[[Snapshot, Snapshot], dict[str, Any]]

#: The largest share of its rows a kab/kota may lose in one import without ``force``: a
#: correction file of a few rows taken for a whole export would otherwise replace the kab/kota
#: (issue 16: 7 rows replaced Kota Solok's 6,138 wajib). Real weekly exports change by well
#: under 1 %; moves and deaths of 10 % in one go mean a wrong or partial file.
REPLACE_MAX_LOSS = 0.10

#: Roles that may import; an operator imports nothing.
IMPORT_ROLES = ("admin-pusat", "admin-provinsi", "dinas")


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
    #: Per kab/kota in the import: rows before (None: new) and after (``compare_parts``).
    comparison: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False
    #: Quarantined rows per reason code (a row with two reasons counts under each).
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    #: The snapshot diff's kab/kota rows (``analytics.snapshot_diff``; the desa rows are kept
    #: beside the snapshot) and its parent; None: not computed (a dry run, an unchanged import).
    diff: dict[str, Any] | None = None
    #: Per IKD activation file (``ikd_file.figures``): file, kind, rows_read, accepted,
    #: quarantined, quarantine_reasons. Its rows are not in the register's counts above.
    ikd_files: list[dict[str, Any]] = field(default_factory=list)

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
            "comparison": self.comparison,
            "dry_run": self.dry_run,
            "quarantine_reasons": self.quarantine_reasons,
            "diff": self.diff,
            "ikd_files": self.ikd_files,
        }


def import_files(
    store: Store,
    paths: Sequence[Path],
    export_date: date,
    force: bool = False,
    progress: Progress | None = None,
    memory_limit: str | None = None,
    user: Any = None,
    max_rows: int | None = None,
    xlsx_limits: tuple[int, int] = XLSX_LIMITS,
    dry_run: bool = False,
    diff: DiffHook | None = None,
    ikd_paths: Sequence[Path] = (),
) -> ImportResult:
    """Import ``paths`` (one call = one snapshot) dated ``export_date``.

    A kab/kota that would lose more than ``REPLACE_MAX_LOSS`` of its rows is not replaced
    unless ``force`` (``ImportShrinks``, nothing written); ``dry_run`` checks everything and
    returns the result with its per-kab/kota comparison, writing nothing.

    ``user`` is the acting ops ``User`` (None: the local administrator at the command line,
    who may import everything). The import is refused, before anything is written, when a
    row's kab/kota lies outside the user's scope; ``max_rows`` (None: no limit) bounds the
    rows read. ``diff`` (None: no diff kept) computes the new snapshot's diff against the current
    one, kept beside it (``Store.write_diff``) before CURRENT moves; the first snapshot has none.

    ``ikd_paths`` are IKD activation files (``register.ikd_file``): their accepted rows set the
    IKD values of this import's register rows with their NIK; their other rows are quarantined
    in the same quarantine file. Their rows are counted apart (``ImportResult.ikd_files``).
    """
    say = progress or (lambda _msg: None)
    memory_limit = memory_limit or MEMORY_LIMIT
    scope = import_scope(user)
    started = time.perf_counter()
    with store.lock():
        store.clean_abandoned()
        current = store.current()
        import_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        work = private_dir(store.tmp_dir(import_id))
        try:
            con = duck.connect(spill_dir=work / "spill", memory_limit=memory_limit, preserve_insertion_order=False)
            sources: list[Source] = []
            for i, path in enumerate(paths):
                say(text("import_reading", file=Path(path).name))
                sources.append(open_source(Path(path), i, work, con, xlsx_limits))
                if max_rows is not None and sum(s.rows_read for s in sources) > max_rows:
                    raise ImportTooLarge(
                        "import_too_many_rows",
                        limit=f"{max_rows:,}".replace(",", "."),
                        files=", ".join(s.path.name for s in sources),
                    )
            ikd_sources: list[Source] = []
            for j, path in enumerate(ikd_paths):
                say(text("import_reading", file=Path(path).name))
                ikd_sources.append(open_source(Path(path), len(paths) + j, work, con, xlsx_limits, IKD_REQUIRED))
                if max_rows is not None and sum(s.rows_read for s in [*sources, *ikd_sources]) > max_rows:
                    raise ImportTooLarge(
                        "import_too_many_rows",
                        limit=f"{max_rows:,}".replace(",", "."),
                        files=", ".join(s.path.name for s in [*sources, *ikd_sources]),
                    )
            digest = _digest(sources, export_date, ikd_sources)
            if current is not None and current.source_digest == digest and not force:
                return _unchanged(current, sources, started)
            rows_read = sum(s.rows_read for s in sources)
            if rows_read == 0:
                raise IngestError("no_data_rows", files=", ".join(s.path.name for s in sources))
            say(text("import_checking"))
            register_lookups(con, sources)
            _refuse_outside_scope(_row_kabs(con), scope, user)
            find_duplicates(con, sources, export_date)
            if ikd_sources:
                ikd_file.check(con, ikd_sources)
            say(text("import_writing"))
            parts, warnings = _write_parts(con, store, import_id, export_date, sources, ikd=bool(ikd_sources))
            written = f"read_parquet('{work / 'parts'}/*.parquet')"
            ikd_figures: list[dict[str, Any]] = []
            if ikd_sources:
                ikd_file.match(con, written)
                ikd_figures = ikd_file.figures(con, ikd_sources)
            quarantine_tmp = work / "quarantine.csv"
            by_kab = quarantine.write(
                con,
                [*sources, *ikd_sources],
                "SELECT q.file_idx, q.ord, q.reasons, q.kept_key, coalesce(q.kab_code, k.kab) AS kab "
                f"FROM {written} q "
                "LEFT JOIN raw_rows r ON r.file_idx = q.file_idx AND r.ord = q.ord "
                "LEFT JOIN lk_row_kab k ON k.p IS NOT DISTINCT FROM r.NO_PROP AND k.k IS NOT DISTINCT FROM r.NO_KAB "
                "WHERE NOT q.accepted" + (f" UNION ALL {ikd_file.QUARANTINED_SQL}" if ikd_sources else ""),
                quarantine_tmp,
                work,
            )
            quarantined = sum(by_kab.values()) - sum(f["quarantined"] for f in ikd_figures)
            reasons = dict(
                con.execute(
                    "SELECT reason, count(*) FROM (SELECT unnest(reasons) AS reason "
                    f"FROM read_parquet('{work / 'parts'}/*.parquet') WHERE NOT accepted) GROUP BY reason"
                ).fetchall()
            )
            for rejected in (r for source in sources for r in source.rejected):  # rows that could not be read
                reasons[rejected.reason] = reasons.get(rejected.reason, 0) + 1
            reasons = dict(sorted(reasons.items()))
            owner = quarantine.Owner(import_id, scope, getattr(user, "username", None), by_kab)
            con.close()
            accepted = sum(p.rows for p in parts.values())
            assert rows_read == accepted + quarantined, (rows_read, accepted, quarantined)
            if accepted == 0:
                kept = _keep_quarantine(store, import_id, quarantine_tmp, owner)
                raise NothingAccepted(
                    "no_rows_accepted",
                    rows_read=rows_read,
                    quarantine_file=str(kept),
                    result=ImportResult(
                        rows_read,
                        0,
                        quarantined,
                        {},
                        str(kept),
                        "",
                        export_date,
                        [],
                        quarantine_reasons=reasons,
                        ikd_files=ikd_figures,
                    ),
                )
            kab_codes = sorted(parts)
            comparison = compare_parts(current, parts)
            if dry_run:
                return ImportResult(
                    rows_read=rows_read,
                    accepted=accepted,
                    quarantined=quarantined,
                    warnings=warnings,
                    quarantine_file=None,
                    snapshot="",
                    export_date=export_date,
                    kab_codes=kab_codes,
                    seconds=time.perf_counter() - started,
                    files=[_file_figures(s) for s in sources],
                    comparison=comparison,
                    dry_run=True,
                    quarantine_reasons=reasons,
                    ikd_files=ikd_figures,
                )
            _refuse_stale(current, kab_codes, export_date, force)
            _refuse_shrinking(comparison, force)
            private_dir(store.parts_dir(import_id).parent)
            os.replace(work / "parts", store.parts_dir(import_id))
            qfile = _keep_quarantine(store, import_id, quarantine_tmp, owner) if sum(by_kab.values()) else None
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
                comparison=comparison,
                quarantine_reasons=reasons,
                ikd_files=ikd_figures,
            )
            snapshot = Snapshot(
                id=snapshot_id,
                created_at=now_iso(),
                export_date=export_date,
                parent=current.id if current else None,
                parts=merged,
                source_digest=digest,
                figures={"kab_codes": kab_codes},
            )
            store.diff_path(snapshot_id).unlink(missing_ok=True)  # left by an import killed before its switch
            if diff is not None:
                diff_json = _keep_diff(store, current, snapshot, diff, say)
                result.diff = {
                    "parent": diff_json.get("parent"),
                    "rows": [r for r in diff_json.get("rows", []) if r.get("level") == "kab"],
                }
            store.commit(replace(snapshot, figures=result.as_json()))
            result.seconds = time.perf_counter() - started
            return result
        except duckdb.OutOfMemoryException:
            raise ImportTooLarge("out_of_memory", limit=memory_limit) from None
        finally:
            shutil.rmtree(store.tmp_dir(import_id), ignore_errors=True)


def _keep_diff(
    store: Store, current: Snapshot | None, snapshot: Snapshot, diff: DiffHook, say: Progress
) -> dict[str, Any]:
    """The new snapshot's diff against ``current``, written beside it (the first snapshot: no diff)."""
    if current is None:
        return {"snapshot": snapshot.id, "parent": None, "kab_codes": snapshot.figures["kab_codes"], "rows": []}
    say(text("import_diffing"))
    kept = diff(current, snapshot)
    store.write_diff(snapshot.id, kept)
    return kept


def _digest(sources: list[Source], export_date: date, ikd_sources: Sequence[Source] = ()) -> str:
    h = hashlib.sha256(export_date.isoformat().encode())
    for s in sources:
        h.update(s.path.name.encode() + b"\0" + s.digest.encode())
    for s in ikd_sources:  # none: the digest of an import without IKD files, as before them
        h.update(b"\0ikd\0" + s.path.name.encode() + b"\0" + s.digest.encode())
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
        ikd_files=f.get("ikd_files", []),
    )


def _file_figures(s: Source) -> dict[str, Any]:
    return {"file": s.path.name, "kind": s.kind, "rows_read": s.rows_read}


def _refuse_stale(current: Snapshot | None, kab_codes: list[str], export_date: date, force: bool) -> None:
    if current is None or force:
        return
    for kab in kab_codes:
        part = current.parts.get(kab)
        if part is not None and part.export_date > export_date:
            raise StaleImport(
                "stale_import", kab=kab, current=part.export_date.isoformat(), date=export_date.isoformat()
            )


def compare_parts(current: Snapshot | None, parts: dict[str, Part]) -> list[dict[str, Any]]:
    """Per kab/kota of an import: its accepted rows now (None: new to the register) and in it,
    the change in percent, and whether it loses more than ``REPLACE_MAX_LOSS``."""
    out = []
    for kab in sorted(parts):
        old = current.parts.get(kab) if current else None
        before, after = (old.rows if old else None), parts[kab].rows
        change = None if not before else round(100.0 * (after - before) / before, 2)
        shrinks = before is not None and after < (1 - REPLACE_MAX_LOSS) * before
        out.append(
            {"kab_code": kab, "rows_before": before, "rows_after": after, "change_pct": change, "shrinks": shrinks}
        )
    return out


def _refuse_shrinking(comparison: list[dict[str, Any]], force: bool) -> None:
    shrinking = [c for c in comparison if c["shrinks"]]
    if shrinking and not force:
        listed = "; ".join(f"{c['kab_code']}: {c['rows_before']:,} -> {c['rows_after']:,}" for c in shrinking)
        raise ImportShrinks(
            "import_shrinks",
            comparison=comparison,
            kabs=listed.replace(",", "."),
            limit=f"{round(REPLACE_MAX_LOSS * 100)}",
        )


def _write_parts(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    import_id: str,
    export_date: date,
    sources: list[Source],
    ikd: bool = False,
) -> tuple[dict[str, Part], dict[str, int]]:
    """Write every checked row in one pass per source file, sorted by kab/kota and desa.

    Quarantined rows stay in the data file with ``accepted = false`` (the snapshot's
    ``register`` view leaves them out) so that no second pass is needed to split them off.
    One pass per source file keeps the sort's memory bounded by the largest file (usually
    one kab/kota's export); DuckDB's PARTITION_BY writer measured 2.5x slower here. With
    ``ikd`` the IKD files' accepted rows (table ``ikd_file``) set the rows' IKD values.
    """
    out = private_dir(store.tmp_dir(import_id) / "parts")
    cols = ", ".join(SNAPSHOT_COLUMNS)
    files: list[Path] = []
    for s in sources:
        name = s.path.name.replace("'", "''")
        # the file's own staged rows, not all files' filtered: a filter on the union still opened
        # every staged file, so an import of the country's 514 kab/kota files read 514 x 514
        checked = checked_sql(export_date, ikd=ikd, rows=f"({union_sql([s])})")
        target = out / f"file_{s.index}.parquet"
        con.execute(
            f"""COPY (SELECT {cols}, '{name}' AS source_file, ord AS source_row, '{import_id}' AS import_id,
                             len(reasons) = 0 AS accepted, reasons, kept_key, file_idx, ord
                      FROM ({checked}) ORDER BY desa_id)
                TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE 122880)"""
        )
        target.chmod(0o600)
        files.append(target)
    written = "read_parquet([" + ", ".join(f"'{f}'" for f in files) + "], filename = true)"
    final = store.parts_dir(import_id)
    by_kab: dict[str, tuple[list[str], int]] = {}
    for kab, filename, n in con.execute(
        f"SELECT kab_code, filename, count(*) FROM {written} WHERE accepted GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall():
        names, rows = by_kab.get(kab, ([], 0))
        by_kab[kab] = ([*names, str((final / Path(filename).name).relative_to(store.home))], rows + int(n))
    warnings = {
        str(w): int(n)
        for w, n in con.execute(
            f"SELECT w, count(*) FROM (SELECT unnest(warnings) AS w FROM {written} WHERE accepted) GROUP BY 1 ORDER BY 1"
        ).fetchall()
    }
    parts = {
        kab: Part(kab_code=kab, files=tuple(names), export_date=export_date, import_id=import_id, rows=rows)
        for kab, (names, rows) in by_kab.items()
    }
    return parts, warnings


def _keep_quarantine(store: Store, import_id: str, tmp: Path, owner: quarantine.Owner) -> Path:
    """Move the quarantine file in place (0600), its owner record (scope, rows per kab/kota) beside it."""
    final = store.quarantine_path(import_id)
    private_dir(final.parent)
    quarantine.write_owner(final, owner)
    os.chmod(tmp, 0o600)
    os.replace(tmp, final)
    return final


def import_scope(user: Any) -> str | None:
    """The region an import by ``user`` may replace (None: every region). An operator, a
    disabled user or an unknown role imports nothing."""
    if user is None:
        return None
    if user.disabled:
        raise PermissionDenied("import_user_disabled", username=user.username)
    if user.role not in IMPORT_ROLES:
        raise PermissionDenied("import_forbidden_role", username=user.username, role=user.role)
    return None if user.role == "admin-pusat" else user.region


def _row_kabs(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The kab/kota of every row whose NO_PROP and NO_KAB name a real one (table ``lk_row_kab``:
    raw NO_PROP, raw NO_KAB -> dotted kab/kota). Rows whose kab/kota cannot be told are left out:
    they belong to the importing user's scope."""
    pairs = con.execute("SELECT DISTINCT p, k FROM lk_region").fetchall()
    rows: list[tuple[Any, Any, str]] = []
    for p, k in pairs:
        prov, kab = region_part(p), region_part(k)
        if prov is None or kab is None or not (11 <= prov <= 99 and 1 <= kab <= 99):
            continue
        try:
            rows.append((p, k, parse_region(f"{prov:02d}.{kab:02d}").dotted))
        except InvalidRegionCode:
            continue
    con.execute("CREATE OR REPLACE TEMP TABLE lk_row_kab (p VARCHAR, k VARCHAR, kab VARCHAR)")
    if rows:
        con.executemany("INSERT INTO lk_row_kab VALUES (?, ?, ?)", rows)
    return {kab for _, _, kab in rows}


def _refuse_outside_scope(kabs: set[str], scope: str | None, user: Any) -> None:
    if user is None or scope is None:
        return
    outside = sorted(k for k in kabs if not within(k, scope))
    if outside:
        raise PermissionDenied("import_outside_scope", kabs=", ".join(outside), username=user.username, region=scope)
