"""The election-day view: per service point of a region, on one day, the recordings and the
prints per hour (in the point's time zone), blanko left and people waiting (issue #8); totals
per kab/kota and for the region, and the region's services per hour (issue 17); the IKD
activations beside them (issue 19).

Three grouped queries over the ops database, whatever the number of points: the day's
events by point, kind and hour; blanko balances by point; waiting tickets by point.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from rekam.domain.services import PRINTS, RECORDINGS, ServiceKind
from rekam.ops import scope
from rekam.ops.models import BlankoEntry, QueueTicket, ServiceEvent, ServicePoint
from rekam.register import gazetteer
from rekam.web.context import WebState

DEFAULT_TZ = "Asia/Jakarta"
#: The figures of a point, of a kab/kota and of the region: recorded, printed, surat keterangan,
#: blanko left, people waiting, IKD activated (in this order in the API).
FIGURES = ("recordings", "prints", "surat_keterangan", "blanko_left", "waiting", "aktivasi_ikd")
#: The services counted per hour: recorded, printed, surat keterangan, IKD activated.
HOUR_CELLS = ("rekam", "cetak", "suket", "ikd")


def _hour_cell() -> dict[str, int]:
    return dict.fromkeys(HOUR_CELLS, 0)


@dataclass
class PointDay:
    id: str
    name: str
    region: str
    kind: str
    recordings: int = 0
    prints: int = 0
    surat_keterangan: int = 0
    blanko_left: int = 0
    waiting: int = 0
    aktivasi_ikd: int = 0
    by_hour: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(_hour_cell))

    @property
    def kab_kota(self) -> str:
        return ".".join(self.region.split(".")[:2])

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "region": self.region,
            "kind": self.kind,
            "recordings": self.recordings,
            "prints": self.prints,
            "surat_keterangan": self.surat_keterangan,
            "blanko_left": self.blanko_left,
            "waiting": self.waiting,
            "aktivasi_ikd": self.aktivasi_ikd,
            "kab_kota": self.kab_kota,
            "by_hour": {f"{h:02d}": v for h, v in sorted(self.by_hour.items())},
        }


@dataclass
class DayView:
    region: str | None
    day: date
    points: list[PointDay]
    updated_at: datetime

    @property
    def totals(self) -> dict[str, int]:
        return _sum(self.points)

    @property
    def hours(self) -> list[int]:
        return sorted({h for p in self.points for h in p.by_hour})

    @property
    def by_hour(self) -> dict[int, dict[str, int]]:
        """The region's services per local hour (recorded, printed, surat keterangan, IKD activated)."""
        out: dict[int, dict[str, int]] = {}
        for h in self.hours:
            cells = [p.by_hour[h] for p in self.points if h in p.by_hour]
            out[h] = {k: sum(c[k] for c in cells) for k in HOUR_CELLS}
        return out

    @property
    def kab_kota(self) -> list[tuple[str, dict[str, int], list[PointDay]]]:
        """Per kab/kota (code order): its totals and its points."""
        groups: dict[str, list[PointDay]] = defaultdict(list)
        for p in self.points:
            groups[p.kab_kota].append(p)
        return [(code, _sum(ps), ps) for code, ps in sorted(groups.items())]

    def as_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "date": self.day.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "totals": self.totals,
            "by_hour": {f"{h:02d}": v for h, v in self.by_hour.items()},
            "region_name": gazetteer.name_of(self.region) if self.region else "Indonesia",
            "kab_kota": [
                {"code": code, "name": gazetteer.name_of(code), "totals": totals} for code, totals, _ in self.kab_kota
            ],
            "points": [p.as_json() for p in self.points],
        }


def _sum(points: list[PointDay]) -> dict[str, int]:
    return {k: sum(getattr(p, k) for p in points) for k in FIGURES}


def day_view(st: WebState, region: str | None, day: date | None = None) -> DayView:
    """The region's points on ``day`` (default: today in Western Indonesia Time)."""
    now = datetime.now(ZoneInfo(DEFAULT_TZ))
    day = day or now.date()
    with st.db.read() as s:
        found = [p for p in s.scalars(select(ServicePoint).order_by(ServicePoint.id)) if scope.within(p.region, region)]
        points = {p.id: PointDay(p.id, p.name, p.region, p.kind) for p in found}
        zones = {p.id: ZoneInfo(p.timezone or DEFAULT_TZ) for p in found}
        if points:
            ids = list(points)
            events = s.execute(
                select(ServiceEvent.service_point_id, ServiceEvent.kind, ServiceEvent.occurred_at).where(
                    ServiceEvent.service_date == day,
                    ServiceEvent.service_point_id.in_(ids),
                    ServiceEvent.outcome == "selesai",
                )
            ).all()
            for point_id, kind, at in events:
                p = points[point_id]
                hour = at.astimezone(zones[point_id]).hour
                if kind in RECORDINGS:
                    p.recordings += 1
                    p.by_hour[hour]["rekam"] += 1
                elif kind in PRINTS:
                    p.prints += 1
                    p.by_hour[hour]["cetak"] += 1
                elif kind == ServiceKind.AKTIVASI_IKD:
                    p.aktivasi_ikd += 1
                    p.by_hour[hour]["ikd"] += 1
                elif kind == ServiceKind.SURAT_KETERANGAN:
                    p.surat_keterangan += 1
                    p.by_hour[hour]["suket"] += 1
            balances = s.execute(
                select(BlankoEntry.service_point_id, func.sum(BlankoEntry.quantity))
                .where(BlankoEntry.service_point_id.in_(ids))
                .group_by(BlankoEntry.service_point_id)
            ).all()
            for point_id, left in balances:
                points[point_id].blanko_left = int(left or 0)
            waiting = s.execute(
                select(QueueTicket.service_point_id, func.count())
                .where(
                    QueueTicket.service_point_id.in_(ids),
                    QueueTicket.service_date == day,
                    QueueTicket.state == "waiting",
                )
                .group_by(QueueTicket.service_point_id)
            ).all()
            for point_id, n in waiting:
                points[point_id].waiting = int(n)
    return DayView(region, day, list(points.values()), now)
