"""End-of-day reconciliation of one service point: what was done, what the blanko ledger
says, what the queue saw, and every disagreement, as one data structure (printing it is a
front end's job).

Spoiled cards count as used: ``cards_used`` = cards printed + blanko spoiled (a failed print's
card, and cards found damaged in stock), the cards that left the shelf; the ledger keeps them
apart (``used``, ``spoiled``) so the checks below can match each print to its entry.

Checks (each failure is a ``Problem`` with a message key and its figures):

- ``cards_vs_blanko``: cards printed (print events done) = blanko ``used`` entries, and
  failed prints = blanko ``spoiled`` by an event; each print event has exactly one entry.
- ``count_difference``: a physical count of the day differed from the book.
- ``recordings_vs_served``: recordings done (perekaman + rekam_ulang) exceed the tickets
  served (someone recorded without a ticket), when the point ran a queue that day.
- ``services_vs_served``: tickets served without any service logged (served exceeds all
  services done), when the point ran a queue.
- ``tickets_open``: tickets still waiting or called at the end of the day.
- ``balance_negative``: the closing balance is below zero.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from rekam.domain.services import PRINTS, RECORDINGS, ServiceKind
from rekam.ops import blanko, points
from rekam.ops.db import OpsDB
from rekam.ops.models import BlankoCount, BlankoEntry, QueueTicket, ServiceEvent, User


@dataclass(frozen=True)
class Problem:
    check: str
    key: str
    figures: dict[str, Any]


@dataclass
class DayReport:
    service_point: str
    name: str
    region: str
    day: date
    timezone: str
    services: dict[str, dict[str, int]]  # kind -> {selesai, gagal}
    recordings: int
    cards_printed: int
    prints_failed: int
    cards_used: int  # blanko gone: cards printed + spoiled (failed prints and damaged in stock)
    surat_keterangan: int
    aktivasi_ikd: int  # IKD activations done (issue 19): no blanko, a service like the others
    unknown_nik: int
    duplicates_confirmed: int
    blanko: dict[str, int]  # opening, received, used, ..., closing
    counts: list[dict[str, Any]]
    queue: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["ok"] = self.ok
        return data


def end_of_day(db: OpsDB, service_point: str, day: date, actor: User | None = None) -> DayReport:
    with db.read() as s:
        point = points.visible(s, actor, service_point, "read")
        evs = list(
            s.scalars(
                select(ServiceEvent).where(ServiceEvent.service_point_id == point.id, ServiceEvent.service_date == day)
            )
        )
        entries = list(
            s.scalars(
                select(BlankoEntry).where(BlankoEntry.service_point_id == point.id, BlankoEntry.service_date == day)
            )
        )
        opening = blanko.balance(s, point.id, before=day)
        counts = list(
            s.scalars(
                select(BlankoCount)
                .where(BlankoCount.service_point_id == point.id, BlankoCount.service_date == day)
                .order_by(BlankoCount.id)
            )
        )
        tickets = list(
            s.scalars(
                select(QueueTicket).where(QueueTicket.service_point_id == point.id, QueueTicket.service_date == day)
            )
        )
        # Print events of the day and the entries linked to them (an entry may fall on another
        # local day only if the clock was given by the client; match by event, not by day).
        print_ids = [e.id for e in evs if e.kind in PRINTS]
        linked: Counter[int] = Counter()
        linked_kind: dict[int, str] = {}
        if print_ids:
            for event_id, kind, n in s.execute(
                select(BlankoEntry.event_id, BlankoEntry.kind, func.count())
                .where(BlankoEntry.event_id.in_(print_ids))
                .group_by(BlankoEntry.event_id, BlankoEntry.kind)
            ):
                linked[event_id] += n
                linked_kind[event_id] = kind

    services: dict[str, dict[str, int]] = {}
    for e in evs:
        services.setdefault(e.kind, {"selesai": 0, "gagal": 0})[e.outcome] += 1
    done = Counter(e.kind for e in evs if e.outcome == "selesai")
    prints = [e for e in evs if e.kind in PRINTS]
    cards = sum(1 for e in prints if e.outcome == "selesai")
    failed = len(prints) - cards
    moves: Counter[str] = Counter()
    for entry in entries:
        moves[entry.kind] += abs(entry.quantity) if entry.kind != "adjustment" else entry.quantity
    ledger = {"opening": opening, **{k: moves.get(k, 0) for k in blanko.KINDS}}
    ledger["closing"] = opening + sum(entry.quantity for entry in entries)

    served = sum(1 for t in tickets if t.state == "served")
    waits = [(t.called_at - t.taken_at).total_seconds() / 60 for t in tickets if t.called_at is not None]
    queue = {
        "tickets": len(tickets),
        "served": served,
        "no_show": sum(1 for t in tickets if t.state == "no_show"),
        "open": sum(1 for t in tickets if t.state in ("waiting", "called")),
        "mean_wait_minutes": round(sum(waits) / len(waits), 1) if waits else None,
        "max_wait_minutes": round(max(waits), 1) if waits else None,
    }
    recordings = sum(done[k] for k in RECORDINGS)
    report = DayReport(
        service_point=point.id,
        name=point.name,
        region=point.region,
        day=day,
        timezone=point.timezone,
        services=services,
        recordings=recordings,
        cards_printed=cards,
        prints_failed=failed,
        cards_used=cards + ledger["spoiled"],
        surat_keterangan=done[ServiceKind.SURAT_KETERANGAN],
        aktivasi_ikd=done[ServiceKind.AKTIVASI_IKD],
        unknown_nik=sum(1 for e in evs if e.siak_follow_up),
        duplicates_confirmed=sum(1 for e in evs if e.duplicate_confirmed),
        blanko=ledger,
        counts=[
            {"counted": c.counted, "expected": c.expected, "difference": c.difference, "at": c.occurred_at.isoformat()}
            for c in counts
        ],
        queue=queue,
    )

    used_by_events = sum(1 for e in prints if e.outcome == "selesai" and linked_kind.get(e.id) == "used")
    spoiled_by_events = sum(1 for e in prints if e.outcome == "gagal" and linked_kind.get(e.id) == "spoiled")
    used_entries = sum(1 for entry in entries if entry.kind == "used")
    unlinked = [e.id for e in prints if linked[e.id] != 1]
    if cards != used_entries or cards != used_by_events or failed != spoiled_by_events or unlinked:
        report.problems.append(
            Problem(
                "cards_vs_blanko",
                "ops_rec_cards_vs_blanko",
                {
                    "cards_printed": cards,
                    "blanko_used": used_entries,
                    "prints_failed": failed,
                    "spoiled_by_prints": spoiled_by_events,
                    "events_without_one_entry": len(unlinked),
                },
            )
        )
    for c in counts:
        if c.difference:
            report.problems.append(
                Problem(
                    "count_difference",
                    "ops_rec_count_difference",
                    {"counted": c.counted, "expected": c.expected, "difference": c.difference},
                )
            )
    if tickets:
        if recordings > served:
            report.problems.append(
                Problem(
                    "recordings_vs_served", "ops_rec_recordings_vs_served", {"recordings": recordings, "served": served}
                )
            )
        if served > sum(done.values()):
            report.problems.append(
                Problem(
                    "services_vs_served",
                    "ops_rec_services_vs_served",
                    {"services": sum(done.values()), "served": served},
                )
            )
        if queue["open"]:
            report.problems.append(Problem("tickets_open", "ops_rec_tickets_open", {"open": queue["open"]}))
    if ledger["closing"] < 0:
        report.problems.append(Problem("balance_negative", "ops_rec_balance_negative", {"closing": ledger["closing"]}))
    return report
