"""The by-name lists: who is on them, writing them, and reading the returned workbooks back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from rekam import audit, verifications
from rekam.analytics import lists as _lists
from rekam.analytics import live as _live
from rekam.analytics.engines import open_engine
from rekam.api._base import Base
from rekam.api.options import region_prefix, require_out_folder
from rekam.domain.eligibility import PemulaWindow
from rekam.errors import IngestError, InvalidArgument, SnapshotError, VerificationFailed
from rekam.messages import text
from rekam.register.store import Snapshot


class Lists(Base):
    def list_people(
        self,
        kind: _lists.ListKind,
        region: str,
        as_of: date | None = None,
        election_date: date | None = None,
        pemula_window: PemulaWindow = 1,
        snapshot: str | None = None,
        engine: str | None = None,
    ) -> tuple[list[_lists.Person], Snapshot]:
        """The people on a by-name list in ``region`` (a desa, or larger), in household order."""
        st = self.store()
        snap = st.load(snapshot) if snapshot else st.require_current()
        prefix = region_prefix(region)
        if prefix is None:
            raise InvalidArgument("bad_region", code=region)
        if kind in ("pemula", "akan-wajib") and election_date is None:
            raise InvalidArgument("election_date_needed", kind=kind)
        with open_engine(
            engine or self.settings.engine, st, snap, prefix, spark_master=self.settings.spark_master
        ) as eng:
            found = _lists.people(eng, kind, prefix, as_of or date.today(), election_date, pemula_window)
        return found, snap

    def view_list(
        self,
        kind: _lists.ListKind,
        region: str,
        as_of: date,
        election_date: date | None,
        action: str,
        **details: Any,
    ) -> tuple[list[_lists.Person], Snapshot]:
        """``list_people`` for a user's eyes (a page, the API): the by-name access is recorded in
        the audit log (``action``, who in ``details``), NIK masked by the caller."""
        found, snap = self.list_people(kind, region, as_of, election_date)
        audit.record(
            self.settings.home,
            action,
            list=kind,
            region=region or None,
            people=len(found),
            unmasked=False,
            snapshot=snap.id,
            **details,
        )
        return found, snap

    def desk_marks(self, snapshot: Snapshot, niks: Iterable[str]) -> dict[str, _live.DeskMark]:
        """Who of ``niks`` was served at a desk since ``snapshot``'s export date (a completed
        service, ``ops.events.completed_since``), with the latest such service; empty without
        an ops database."""
        from rekam.ops.db import configured

        wanted = sorted(set(niks))
        if not wanted or not configured(self.settings):
            return {}
        from sqlalchemy import select

        from rekam.ops.events import completed_since
        from rekam.ops.models import ServiceEvent

        found: list[tuple[str, str, date, int]] = []
        with self.ops_db().read() as s:
            for i in range(0, len(wanted), _NIK_BATCH):
                rows = s.execute(
                    select(ServiceEvent.nik, ServiceEvent.kind, ServiceEvent.service_date, ServiceEvent.id).where(
                        *completed_since(snapshot.export_date), ServiceEvent.nik.in_(wanted[i : i + _NIK_BATCH])
                    )
                ).all()
                found.extend((nik, kind, day, event_id) for nik, kind, day, event_id in rows)
        return _live.marks(found)

    def write_list(
        self,
        kind: _lists.ListKind,
        region: str,
        out: str | Path,
        fmt: str = "xlsx",
        as_of: date | None = None,
        election_date: date | None = None,
        unmasked: bool = False,
        pemula_window: PemulaWindow = 1,
        csv_sep: str = ";",
        audit_details: dict[str, Any] | None = None,
    ) -> int:
        """Write a by-name list to ``out`` (xlsx, csv or pdf); audited (with ``audit_details``,
        e.g. the web user who asked); returns the number of people."""
        from rekam.reports import by_name

        home = self.settings.home
        as_of = as_of or date.today()
        require_out_folder(out)
        found, snap = self.list_people(kind, region, as_of, election_date, pemula_window)
        prefix = region_prefix(region) or region
        audit.record(
            home,
            "list",
            list=kind,
            region=prefix,
            people=len(found),
            unmasked=unmasked,
            snapshot=snap.id,
            out=str(out),
            **(audit_details or {}),
        )
        info = by_name.ListInfo(
            kind=kind,
            title=text(f"list_{kind}"),
            region_code=prefix,
            as_of=as_of,
            snapshot=snap.id,
            unmasked=unmasked,
            election_date=election_date,
        )
        previous = {nik: v["outcome"] for nik, v in verifications.latest(home).items()}
        desk = {nik: desk_mark_text(m) for nik, m in self.desk_marks(snap, (p.nik for p in found)).items()}
        if fmt == "csv":
            by_name.write_csv(found, info, Path(out), sep=csv_sep, previous=previous, desk=desk)
        elif fmt == "pdf":
            from rekam.reports.pdf import write_pdf

            write_pdf(found, info, Path(out), desk=desk)
        else:
            by_name.write_xlsx(found, info, Path(out), previous=previous, desk=desk)
        return len(found)

    def verify(self, path: str | Path) -> int:
        """Read a returned by-name workbook back; store its outcomes, or refuse with every problem."""
        from rekam.reports import verify as _verify

        path = Path(path)
        if not path.is_file():
            raise IngestError("file_missing", file=path.name)
        try:
            book, info = _verify.read_info(path)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise IngestError("file_unreadable", file=path.name, detail="xlsx") from None
        if info is None:
            raise IngestError("verify_not_rekam", file=path.name)
        try:
            self.store().load(info.snapshot)
        except SnapshotError:
            raise IngestError("verify_other_snapshot", file=path.name, snapshot=info.snapshot) from None
        kind: _lists.ListKind = info.kind  # type: ignore[assignment]  # read back from a workbook rekam wrote
        expected, _ = self.list_people(kind, info.region, info.as_of, info.election_date, snapshot=info.snapshot)
        outcomes, problems = _verify.check(book, expected, info.kind)
        if problems:
            messages = [
                text("verify_where", sheet=p.sheet, row=p.row, problem=text(p.key, **p.params))
                if p.row is not None
                else text("verify_where_sheet", sheet=p.sheet, problem=text(p.key, **p.params))
                for p in problems
            ]
            raise VerificationFailed("verify_failed", messages, file=path.name)
        verifications.store(self.settings.home, path, info.snapshot, info.kind, outcomes)
        return len(outcomes)


#: NIKs per query of ``desk_marks`` (SQLite allows 999 parameters).
_NIK_BATCH = 900


def desk_mark_text(mark: _live.DeskMark, lang: str | None = None) -> str:
    """ "dilayani di loket 27-11-2024 (perekaman)": in ``lang``, else the process's language."""
    from rekam import numbers
    from rekam.messages import language, text_in

    lang = lang or language()
    # In lower case, but an acronym stays one: "aktivasi IKD", "IKD activation".
    kind = " ".join(w if w.isupper() else w.lower() for w in text_in(lang, f"rakor_service_{mark.kind}").split(" "))
    return text_in(lang, "desk_served", date=numbers.day(mark.day, lang), kind=kind)
