"""The service desk (issue 8): users, service points, service events, queue, blanko,
reconciliation, follow-up and the audit log.

``actor`` is the logged-in user (a ``rekam.ops.models.User``, from ``authenticate``); None is
the local administrator at the command line. Rules: docs/ops.md. The ops modules (and
SQLAlchemy) are imported when a desk call is made, not with ``rekam.api``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from rekam import audit
from rekam.api._base import Base
from rekam.api.options import region_prefix
from rekam.errors import PermissionDenied

if TYPE_CHECKING:
    from rekam.ops.blanko import CountInfo, EntryInfo
    from rekam.ops.events import EventInfo
    from rekam.ops.followup import FollowUpRow
    from rekam.ops.lookup import Found
    from rekam.ops.models import User
    from rekam.ops.points import PointInfo
    from rekam.ops.queue import TicketInfo
    from rekam.ops.reconcile import DayReport
    from rekam.ops.residents import Directory
    from rekam.ops.users import UserInfo


class Desk(Base):
    # -- users and service points ---------------------------------------------------------------

    def add_user(
        self,
        username: str,
        password: str,
        role: str,
        region: str | None = None,
        service_point: str | None = None,
        actor: User | None = None,
        team: str | None = None,
    ) -> UserInfo:
        """Create a user (role admin-pusat | admin-provinsi | dinas | operator | tim; a tim user
        needs a keliling ``service_point`` and the plan's ``team`` id)."""
        from rekam.ops import users

        return users.add_user(self.ops_db(), username, password, role, region, service_point, actor, team)

    def list_users(self, actor: User | None = None) -> list[UserInfo]:
        from rekam.ops import users

        return list(users.list_users(self.ops_db(), actor))

    def disable_user(self, username: str, actor: User | None = None) -> UserInfo:
        from rekam.ops import users

        return users.set_disabled(self.ops_db(), username, True, actor)

    def reset_password(self, username: str, password: str, actor: User | None = None) -> UserInfo:
        from rekam.ops import users

        return users.reset_password(self.ops_db(), username, password, actor)

    def authenticate(self, username: str, password: str) -> User | None:
        """The enabled user with this username and password, or None."""
        from rekam.ops import users

        return users.authenticate(self.ops_db(), username, password)

    def add_service_point(
        self,
        point_id: str,
        name: str,
        region: str,
        kind: str,
        timezone: str = "Asia/Jakarta",
        actor: User | None = None,
    ) -> PointInfo:
        """Create a service point (kind dinas | kecamatan | mpp | keliling)."""
        from rekam.ops import points

        return points.add_point(self.ops_db(), point_id, name, region, kind, timezone, actor)

    def list_service_points(self, actor: User | None = None, region: str | None = None) -> list[PointInfo]:
        from rekam.ops import points

        return list(points.list_points(self.ops_db(), actor, region))

    # -- residents and services -----------------------------------------------------------------

    def ops_directory(self) -> Directory:
        """Where the desk finds residents: the current register snapshot."""
        from rekam.ops.residents import current_directory

        return current_directory(self.settings.home)

    def log_service(
        self,
        actor: User,
        nik: str,
        kind: str,
        service_point: str,
        idempotency_key: str,
        outcome: str = "selesai",
        confirm: bool = False,
        note: str | None = None,
        occurred_at: datetime | None = None,
    ) -> tuple[EventInfo, bool]:
        """Log a service event; ``(EventInfo, created)``: created False for a retry with the same key
        and body. Raises ConfirmationNeeded, OpsRefused (with the reason), IdempotencyConflict."""
        from rekam.ops import events

        return events.log_event(
            self.ops_db(),
            self.ops_directory(),
            actor,
            nik,
            kind,
            service_point,
            idempotency_key,
            outcome,
            confirm,
            note,
            occurred_at,
        )

    def list_services(
        self, service_point: str, day: date | None = None, actor: User | None = None, unmasked: bool = False
    ) -> list[EventInfo]:
        """The events of a service point on its local day ``day`` (every day when None), NIK
        masked unless ``unmasked`` (not for the counter operator: the roles that may see by-name
        data); audited: who, the point, the day, how many, masked or not."""
        from rekam.domain.nik import mask_nik
        from rekam.ops import audit as ops_audit
        from rekam.ops import events

        db = self.ops_db()
        from rekam.ops.scope import POINT_ROLES

        if unmasked and actor is not None and actor.role in POINT_ROLES:
            raise PermissionDenied("ops_forbidden_whole_nik")
        found = events.list_events(db, service_point, day, actor)
        ops_audit.record(
            db,
            actor,
            "daftar_layanan",
            subject=",".join(e.nik for e in found) if unmasked and found else None,
            service_point=service_point,
            date=day.isoformat() if day else None,
            rows=len(found),
            unmasked=unmasked,
        )
        return list(found) if unmasked else [replace(e, nik=mask_nik(e.nik)) for e in found]

    def find_resident(self, nik: str, actor: User | None = None, service_point: str | None = None) -> Found:
        """A resident by NIK with their status at the desk and their events (audited)."""
        from rekam.ops import lookup

        return lookup.by_nik(self.ops_db(), self.ops_directory(), nik, actor, service_point)

    def search_residents(
        self, name: str, birth_date: date, actor: User | None = None, service_point: str | None = None
    ) -> list[Found]:
        """Residents by name and birth date (at most 50; audited)."""
        from rekam.ops import lookup

        return list(lookup.by_name(self.ops_db(), self.ops_directory(), name, birth_date, actor, service_point))

    # -- queue ----------------------------------------------------------------------------------

    def queue_take(
        self, service_point: str, idempotency_key: str, service_kind: str | None = None, actor: User | None = None
    ) -> tuple[TicketInfo, bool]:
        from rekam.ops import queue

        return queue.take(self.ops_db(), service_point, idempotency_key, actor, service_kind)

    def queue_call_next(
        self, service_point: str, idempotency_key: str | None = None, actor: User | None = None
    ) -> TicketInfo:
        from rekam.ops import queue

        return queue.call_next(self.ops_db(), service_point, actor, idempotency_key)

    def queue_finish(
        self, service_point: str, number: int, state: str, day: date | None = None, actor: User | None = None
    ) -> TicketInfo:
        """Mark a called ticket ``served`` or ``no_show``."""
        from rekam.ops import queue

        return queue.finish(self.ops_db(), service_point, number, state, day, actor)

    def queue_tickets(self, service_point: str, day: date | None = None, actor: User | None = None) -> list[TicketInfo]:
        from rekam.ops import queue

        return list(queue.tickets(self.ops_db(), service_point, day, actor))

    # -- blanko, reconciliation, follow-up ------------------------------------------------------

    def blanko_record(
        self,
        service_point: str,
        kind: str,
        quantity: int,
        idempotency_key: str,
        counterpart: str | None = None,
        note: str | None = None,
        actor: User | None = None,
    ) -> tuple[EntryInfo, bool]:
        """A blanko movement: received, spoiled, returned, or transfer_out to ``counterpart``."""
        from rekam.ops import blanko

        return blanko.record(self.ops_db(), service_point, kind, quantity, idempotency_key, actor, counterpart, note)

    def blanko_count(
        self, service_point: str, counted: int, idempotency_key: str, note: str | None = None, actor: User | None = None
    ) -> tuple[CountInfo, bool]:
        """A physical count: the difference to the book is stored, reported and adjusted."""
        from rekam.ops import blanko

        return blanko.count(self.ops_db(), service_point, counted, idempotency_key, actor, note)

    def blanko_left(self, service_point: str, actor: User | None = None) -> int:
        from rekam.ops import blanko

        return blanko.current(self.ops_db(), service_point, actor)

    def reconcile_day(self, service_point: str, day: date, actor: User | None = None) -> DayReport:
        """End-of-day reconciliation of a service point (``.problems`` lists every check that failed)."""
        from rekam.ops import reconcile

        return reconcile.end_of_day(self.ops_db(), service_point, day, actor)

    def report_follow_up(
        self,
        nik: str,
        kind: str,
        service_point: str,
        idempotency_key: str,
        note: str | None = None,
        actor: User | None = None,
    ) -> tuple[int, bool]:
        """A resident reported moved (pindah), dead (meninggal) or abroad (luar_negeri) at a desk."""
        from rekam.ops import followup

        return followup.report(self.ops_db(), actor, nik, kind, service_point, idempotency_key, note)

    def follow_up_rows(
        self,
        region: str | None = None,
        actor: User | None = None,
        unmasked: bool = False,
        kind: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[FollowUpRow]:
        """The cases for SIAK follow-up (desk and field), one row per kind and NIK, of one
        ``kind`` and reported from ``since`` to ``until`` (local days) when given; audited, with
        ``unmasked`` (the output the caller makes shows whole NIKs: not for the counter
        operator) in the entry's details."""
        from rekam import verifications
        from rekam.ops import audit as ops_audit
        from rekam.ops import followup

        db = self.ops_db()
        from rekam.ops.scope import POINT_ROLES

        if unmasked and actor is not None and actor.role in POINT_ROLES:
            raise PermissionDenied("ops_forbidden_whole_nik")
        prefix = region_prefix(region)
        found = followup.rows(db, actor, prefix, field=verifications.latest(self.settings.home))
        found = followup.within(found, kind, since, until)
        ops_audit.record(
            db,
            actor,
            "ekspor_tindak_lanjut",
            subject=",".join(r.nik for r in found) or None,
            region=prefix,
            rows=len(found),
            unmasked=unmasked,
            kind=kind,
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
        )
        return list(found)

    # -- the audit log ----------------------------------------------------------------------------

    def audit_log(self, since: date | None = None, user: str | None = None) -> list[dict[str, object]]:
        """The by-name access log: the file log of the command line (``source`` berkas) and the
        ops database's (``source`` ops), merged by time. The ops database is read only when it
        exists (REKAM_DATABASE_URL set, or ops.db in REKAM_HOME)."""
        from rekam.ops.db import configured

        out: list[tuple[datetime, dict[str, object]]] = []
        floor = datetime.combine(since, datetime.min.time()).astimezone() if since else None
        for entry in audit.entries(self.settings.home):
            entry = dict(entry)
            at = datetime.fromisoformat(str(entry.pop("time")))
            who = entry.pop("user", None)
            if (floor and at < floor) or (user and who != user):
                continue
            out.append(
                (
                    at,
                    {
                        "time": at.isoformat(timespec="seconds"),
                        "user": who,
                        "action": entry.pop("action", None),
                        "source": "berkas",
                        "subject": None,
                        "details": entry,
                    },
                )
            )
        if configured(self.settings):
            from rekam.ops import audit as ops_audit

            for e in ops_audit.entries(self.ops_db(), since=floor.astimezone(UTC) if floor else None, user=user):
                where = {"service_point": e.service_point, "region": e.region}
                details = dict(e.details, **{k: v for k, v in where.items() if v})
                out.append(
                    (
                        e.at,
                        {
                            "time": e.at.astimezone().isoformat(timespec="seconds"),
                            "user": e.user,
                            "action": e.action,
                            "source": "ops",
                            "subject": e.subject,
                            "details": details,
                        },
                    )
                )
        return [row for _, row in sorted(out, key=lambda pair: pair[0])]
