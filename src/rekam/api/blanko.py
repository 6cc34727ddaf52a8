"""Blanko rationing (issue 17): a service point's daily print cap, its movements of the day,
and the priority list of the printable residents of its area.

``actor`` is the logged-in user; None is the local administrator at the command line. The
ledger itself (receive, transfer, return, spoiled, count) is ``Desk.blanko_record`` and
``Desk.blanko_count``; the rules are in docs/ops.md."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rekam.analytics import priority as _priority
from rekam.analytics.engines import open_engine
from rekam.api._base import Base
from rekam.api.options import require_out_folder
from rekam.domain.nik import mask_nik
from rekam.errors import InvalidArgument, PermissionDenied

if TYPE_CHECKING:
    from rekam.ops.blanko import EntryInfo
    from rekam.ops.models import User
    from rekam.ops.points import PointInfo

MAX_PRIORITY_ROWS = 1_000_000


@dataclass(frozen=True)
class PriorityList:
    """The first rows of a point's priority list (``rows``; none for an operator), how many are
    in each tier (``by_tier``), the snapshot it was read from and the election day that ranked
    first-time voters (None: no pemula tier)."""

    service_point: str
    region: str
    rows: list[_priority.Printable]
    by_tier: dict[str, int]
    snapshot: str
    as_of: date
    election_date: date | None
    unmasked: bool

    @property
    def total(self) -> int:
        return sum(self.by_tier.values())


class Blanko(Base):
    def set_print_cap(self, service_point: str, cap: int | None, actor: User | None = None) -> PointInfo:
        """Set the point's daily print cap (None: no cap). An admin or the Dinas of the point's
        region (not its operator); audited (``atur_batas_cetak``)."""
        from rekam.ops import points

        return points.set_print_cap(self.ops_db(), service_point, cap, actor)

    def service_point(self, service_point: str, actor: User | None = None) -> PointInfo:
        """One service point the actor may see (with its daily print cap)."""
        from rekam.ops import points

        return points.get_info(self.ops_db(), service_point, actor)

    def blanko_entries(self, service_point: str, day: date | None = None, actor: User | None = None) -> list[EntryInfo]:
        """The point's blanko movements (of its local day ``day``; every day when None), oldest first."""
        from rekam.ops import blanko

        return list(blanko.entries(self.ops_db(), service_point, day, actor))

    def blanko_transfer_targets(self, service_point: str, actor: User | None = None) -> list[PointInfo]:
        """The points a transfer from ``service_point`` may go to: the other points of its kab/kota."""
        from rekam.ops import blanko

        return blanko.counterparts(self.ops_db(), service_point, actor)

    def blanko_priority(
        self,
        service_point: str,
        actor: User | None = None,
        limit: int = 50,
        election_date: date | None = None,
        unmasked: bool = False,
        as_of: date | None = None,
    ) -> PriorityList:
        """The printable residents of the point's area in the order scarce blanko should go
        (``analytics.priority``: first-time voters before ``election_date`` (default: the
        settings' election day), the vulnerable, then the longest waiting), the first ``limit``,
        and the count of each tier. A by-name list of the area is for the admin and Dinas roles
        (as the region lists are): an operator gets the counts, no rows. NIK masked unless
        ``unmasked``; audited (``daftar_prioritas_blanko``, the NIKs shown)."""
        from rekam.api.figures import Figures
        from rekam.ops import audit as ops_audit
        from rekam.ops import points

        if not isinstance(limit, int) or not 1 <= limit <= MAX_PRIORITY_ROWS:
            raise InvalidArgument("bad_option", option="limit", value=limit, hint=f"1..{MAX_PRIORITY_ROWS}")
        from rekam.ops.scope import POINT_ROLES

        if unmasked and actor is not None and actor.role in POINT_ROLES:
            raise PermissionDenied("ops_forbidden_whole_nik")
        db = self.ops_db()
        point = points.get_info(db, service_point, actor)
        st = self.store()
        snap = st.require_current()
        as_of = as_of or date.today()
        election = election_date or self.settings.election_date
        overlay = Figures(self.settings).live_overlay(snap.export_date)
        with open_engine(
            self.settings.engine, st, snap, point.region, overlay, spark_master=self.settings.spark_master
        ) as eng:
            by_tier = _priority.tier_counts(eng, point.region, as_of, election)
            named = actor is None or actor.role not in POINT_ROLES
            rows = _priority.printable(eng, point.region, as_of, election, limit) if named else []
        ops_audit.record(
            db,
            actor,
            "daftar_prioritas_blanko",
            subject=",".join(p.nik for p in rows) or None,
            service_point=point.id,
            rows=len(rows),
            total=sum(by_tier.values()),
            unmasked=unmasked,
            snapshot=snap.id,
        )
        if not unmasked:
            rows = [replace(p, nik=mask_nik(p.nik)) for p in rows]
        return PriorityList(
            point.id,
            point.region,
            rows,
            by_tier,
            snap.id,
            as_of,
            election if _priority.pemula_counts(as_of, election) else None,
            unmasked,
        )

    def write_blanko_priority(
        self,
        service_point: str,
        out: str | Path,
        actor: User | None = None,
        limit: int = 1000,
        election_date: date | None = None,
        unmasked: bool = False,
    ) -> PriorityList:
        """``blanko_priority`` written to ``out`` (.csv, else xlsx)."""
        from rekam.reports import priority as report

        require_out_folder(out)
        found = self.blanko_priority(service_point, actor, limit, election_date, unmasked)
        path = Path(out)
        if path.suffix.lower() == ".csv":
            report.write_csv(found.rows, path)
        else:
            title = f"Prioritas blanko {found.service_point} ({found.region}), {found.as_of:%d-%m-%Y}"
            report.write_xlsx(found.rows, path, title)
        return found
