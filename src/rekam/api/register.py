"""The register and the other imported data: import, snapshots, rollback, sites, boundaries, purge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rekam import audit
from rekam.api._base import Base
from rekam.errors import RekamUserError
from rekam.register.importer import ImportResult, import_files
from rekam.register.store import Snapshot

if TYPE_CHECKING:
    from rekam.analytics.snapshot_diff import SnapshotDiff
    from rekam.ops.models import User
    from rekam.retention import PurgeResult
    from rekam.sites.boundaries import BoundaryImport
    from rekam.sites.importer import SitesImportResult


class Register(Base):
    def import_register(
        self,
        paths: Sequence[str | Path],
        export_date: date | None = None,
        force: bool = False,
        progress: Callable[[str], None] | None = None,
        user: User | str | None = None,
        max_rows: int | None = None,
        audit_details: dict[str, object] | None = None,
        dry_run: bool = False,
        ikd_files: Sequence[str | Path] = (),
    ) -> ImportResult:
        """Import SIAK export files (CSV, XLSX, Parquet) as one new snapshot.

        ``user``: the acting ops ``User`` or its username (None: the local administrator). The
        import is then limited to the user's scope (refused, with nothing written, when a row's
        kab/kota lies outside it; an operator or a disabled user imports nothing) and audited under
        the user's name, refusals included. ``max_rows`` bounds the rows read (None: no bound).
        A kab/kota that would lose more than ``importer.REPLACE_MAX_LOSS`` of its rows is not
        replaced unless ``force`` (``ImportShrinks``); ``dry_run`` writes nothing and returns the
        per-kab/kota comparison (``ImportResult.comparison``). The new snapshot's diff against the
        one it replaces (``analytics.snapshot_diff``) is computed once and kept beside it: its
        kab/kota rows in ``ImportResult.diff``, all of it from ``snapshot_diff``.

        ``ikd_files``: IKD activation files keyed by NIK (CSV, XLSX, Parquet; docs/import.md,
        "The IKD file"): their rows set the IKD values of this import's register rows (the file
        wins over the export's own columns), each row accepted or quarantined, counted per file in
        ``ImportResult.ikd_files``."""
        from rekam.analytics import snapshot_diff

        settings = self.settings
        if isinstance(user, str):
            from rekam.ops import users

            user = users.load(self.ops_db(), user)
        username = user.username if user is not None else None
        names = [Path(p).name for p in paths]
        ikd_names = {"ikd_files": [Path(p).name for p in ikd_files]} if ikd_files else {}
        limits = (settings.xlsx_max_mb * 1024 * 1024, settings.xlsx_max_ratio)
        try:
            result = import_files(
                self.store(),
                [Path(p) for p in paths],
                export_date or date.today(),
                force=force,
                progress=progress,
                memory_limit=settings.memory_limit,
                user=user,
                max_rows=max_rows,
                xlsx_limits=limits,
                dry_run=dry_run,
                ikd_paths=[Path(p) for p in ikd_files],
                diff=lambda parent, new: snapshot_diff.compute(
                    self.store(), parent, new, settings.memory_limit
                ).as_json(),
            )
        except RekamUserError as exc:
            if username is not None:
                audit.record(
                    settings.home,
                    "import-refused",
                    as_user=username,
                    files=names,
                    reason=exc.key,
                    **(audit_details or {}),
                )
            raise
        if not dry_run:
            self._prepare_desk()
        if username is not None and not dry_run:
            audit.record(
                settings.home,
                "import",
                as_user=username,
                files=names,
                **ikd_names,
                snapshot=result.snapshot,
                kab_codes=result.kab_codes,
                rows_read=result.rows_read,
                **(audit_details or {}),
            )
        return result

    def _prepare_desk(self) -> None:
        """Write the new snapshot's NIK-sorted copy for the counter now (``ops.residents``: a few
        seconds for Sumatera Barat), so that a server started later answers its first search
        in milliseconds rather than building it then. A failure here only leaves it to the first
        search."""
        from rekam.ops.residents import current_directory

        try:
            current_directory(self.settings.home)
        except Exception:  # noqa: BLE001 - the import itself succeeded; the counter builds it on need
            return

    def snapshots(self) -> tuple[list[Snapshot], str | None]:
        """Every snapshot of the register, and the current one's id."""
        st = self.store()
        return st.all(), st.current_id()

    def snapshot_diff(self, snapshot: str | None = None) -> SnapshotDiff:
        """The diff kept with ``snapshot`` (None: the current one) against the snapshot it
        replaced: per kab/kota and desa, NIKs new to the register, gone from it, moved between
        desa, newly wajib KTP-el and newly recorded (counts only; ``analytics.snapshot_diff``).
        The first snapshot has none (``SnapshotDiff.first``). A snapshot made before diffs were
        kept has its diff computed now, and kept."""
        from rekam.analytics import snapshot_diff

        st = self.store()
        snap = st.load(snapshot) if snapshot else st.require_current()
        kept = st.read_diff(snap.id)
        if kept is not None:
            return snapshot_diff.SnapshotDiff.from_json(kept)
        parent = st.load(snap.parent) if snap.parent else None
        found = snapshot_diff.compute(st, parent, snap, self.settings.memory_limit)
        if parent is not None:
            st.write_diff(snap.id, found.as_json())
        return found

    def write_diff_people(
        self,
        kind: str,
        out: str | Path,
        region: str | None = None,
        snapshot: str | None = None,
        user: User | str | None = None,
        unmasked: bool = False,
        audit_details: dict[str, object] | None = None,
    ) -> int:
        """The people behind one count of a snapshot diff, by name, as CSV at ``out``: ``kind``
        one of ``snapshot_diff.KINDS`` (new, gone, moved, newly-wajib, newly-recorded), in
        ``region`` (the desa or kab/kota they are counted in; a move: either end; None: the
        user's region). NIK and KK masked unless ``unmasked``. ``user`` (None: the local
        administrator): a role that may see names, in its own region only. Audited, refusals
        too; returns the number of people (0 for the first snapshot: no diff)."""
        import csv
        import io

        from rekam import duck
        from rekam.analytics import snapshot_diff
        from rekam.api.options import region_prefix, require_out_folder
        from rekam.domain.cells import neutralise, shown_kk, shown_nik
        from rekam.domain.region import within
        from rekam.errors import InvalidArgument, PermissionDenied
        from rekam.files import write_atomic
        from rekam.register.importer import IMPORT_ROLES

        if kind not in snapshot_diff.KINDS:
            raise InvalidArgument("diff_bad_kind", kind=kind, kinds=", ".join(snapshot_diff.KINDS))
        if isinstance(user, str):
            from rekam.ops import users

            user = users.load(self.ops_db(), user)
        prefix = region_prefix(region)
        if user is not None:
            own = None if user.role == "admin-pusat" else user.region
            prefix = prefix or own
            if (
                user.disabled
                or user.role not in IMPORT_ROLES
                or (own is not None and not (prefix and within(prefix, own)))
            ):
                audit.record(self.settings.home, "diff-list-refused", as_user=user.username, kind=kind, region=prefix)
                raise PermissionDenied("diff_forbidden", username=user.username, region=prefix or "Indonesia")
        require_out_folder(out)
        st = self.store()
        snap = st.load(snapshot) if snapshot else st.require_current()
        parent = st.load(snap.parent) if snap.parent else None
        kabs = sorted(snap.figures.get("kab_codes") or snapshot_diff.changed_kabs(parent, snap))
        if prefix:
            kabs = [k for k in kabs if within(k, prefix) or within(prefix, k)]
        rows: list[tuple[Any, ...]] = []
        if parent is not None and kabs:
            con = duck.connect(memory_limit=self.settings.memory_limit)
            try:
                rows = con.execute(snapshot_diff.changed_people_sql(st, parent, snap, kabs, kind, prefix)).fetchall()
            finally:
                con.close()
        audit.record(
            self.settings.home,
            "diff-list",
            as_user=user.username if user is not None else None,
            snapshot=snap.id,
            kind=kind,
            region=prefix,
            people=len(rows),
            unmasked=unmasked,
            out=str(out),
            **(audit_details or {}),
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(snapshot_diff.PEOPLE_COLUMNS)
        for nik, before, after, kk, name, sex, birth, address, rt, rw in rows:
            writer.writerow(
                [
                    shown_nik(str(nik), unmasked),
                    shown_kk(None if kk is None else str(kk), unmasked),
                    neutralise(None if name is None else str(name)),
                    sex or "",
                    birth.isoformat() if birth is not None else "",
                    neutralise(None if address is None else str(address)),
                    neutralise(None if rt is None else str(rt)),
                    neutralise(None if rw is None else str(rw)),
                    before or "",
                    after or "",
                ]
            )
        write_atomic(Path(out), buffer.getvalue())
        return len(rows)

    def rollback(self, user: User | str | None = None) -> Snapshot:
        """Make the previous snapshot current again; audited. ``user`` (None: the local
        administrator): the acting ops user, who may roll back only an import whose kab/kota all
        lie in the user's scope (an import of another region, or of a wider one, is not theirs
        to undo: ``PermissionDenied``, nothing changed)."""
        from rekam.domain.region import within
        from rekam.errors import PermissionDenied
        from rekam.register.importer import import_scope

        if isinstance(user, str):
            from rekam.ops import users

            user = users.load(self.ops_db(), user)
        store = self.store()
        current = store.require_current()
        scope = import_scope(user)
        kabs = list(current.figures.get("kab_codes") or current.parts)
        if scope is not None and not all(within(k, scope) for k in kabs):
            raise PermissionDenied("rollback_outside_scope", snapshot=current.id, region=scope)
        previous = store.rollback()
        audit.record(
            self.settings.home,
            "rollback",
            as_user=user.username if user is not None else None,
            snapshot=current.id,
            to=previous.id,
            kab_codes=kabs,
        )
        return previous

    def import_sites(self, paths: Sequence[str | Path]) -> SitesImportResult:
        """Import site lists, rosters and desa coordinates (CSV/XLSX) into REKAM_HOME/sites;
        bad rows are quarantined, never raised."""
        from rekam.sites.importer import import_sites

        return import_sites(self.settings.home, [Path(p) for p in paths])

    def import_boundaries(self, path: str | Path) -> BoundaryImport:
        """Keep desa boundaries (GeoJSON) for the dashboard's map."""
        from rekam.sites.boundaries import import_boundaries

        return import_boundaries(self.settings.home, Path(path))

    def purge(self, days: int | None = None, dry_run: bool = False) -> PurgeResult:
        """Remove the by-name and quarantine files under REKAM_HOME older than ``days`` days
        (REKAM_RETENTION_DAYS, 30, when None); ``dry_run`` lists them only; audited (``retention.py``)."""
        from rekam import retention

        return retention.purge(self.settings.home, self.settings.retention_days if days is None else days, dry_run)
