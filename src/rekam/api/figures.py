"""The figures: coverage, progress, the ranking, data quality, and the live overlay of the desk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from rekam.analytics import coverage as _coverage
from rekam.analytics import progress as _progress
from rekam.analytics import quality as _quality
from rekam.analytics import rank as _rank
from rekam.analytics.engines import open_engine
from rekam.api._base import Base
from rekam.api.options import Checks, ikd_weight, region_prefix, target_hundredths
from rekam.domain.eligibility import PemulaWindow
from rekam.domain.period import InvalidPeriod, parse_period, semester_of
from rekam.errors import InvalidArgument, UnknownRegion
from rekam.messages import text
from rekam.register.store import Snapshot, Store

if TYPE_CHECKING:
    import pyarrow as pa


class Figures(Base):
    def coverage(
        self,
        as_of: date,
        level: _coverage.Level = "kab",
        region: str | None = None,
        snapshot: str | None = None,
        election_date: date | None = None,
        target: float | str = 99.4,
        pemula_window: PemulaWindow = 1,
        engine: str | None = None,
        live: bool = False,
        ikd_target: float | str = 30,
        ikd_basis: _coverage.IkdBasis = "wajib",
    ) -> list[_coverage.CoverageRow]:
        """Coverage per region at ``level`` as of ``as_of``, within ``region`` if given; ``live``:
        with the desk's services since the snapshot (``analytics.live``); the IKD figures against
        ``ikd_target`` percent of ``ikd_basis`` (wajib or sudah_rekam)."""
        return self.coverage_levels(
            as_of,
            (level,),
            region,
            snapshot,
            election_date,
            target,
            pemula_window,
            engine,
            live,
            ikd_target=ikd_target,
            ikd_basis=ikd_basis,
        )[level]

    def coverage_levels(
        self,
        as_of: date,
        levels: tuple[_coverage.Level, ...] = _coverage.LEVELS,
        region: str | None = None,
        snapshot: str | None = None,
        election_date: date | None = None,
        target: float | str = 99.4,
        pemula_window: PemulaWindow = 1,
        engine: str | None = None,
        live: bool = False,
        live_up_to: int | None = None,
        ikd_target: float | str = 30,
        ikd_basis: _coverage.IkdBasis = "wajib",
    ) -> dict[_coverage.Level, list[_coverage.CoverageRow]]:
        """Coverage at several levels at once (one engine query; the roll-up is in Python).
        ``live``: the snapshot plus the services logged at the desks since its export date
        (``live_up_to``: only those with an event id up to it, the ones a caller has counted).
        IKD (docs/analytics.md): ``ikd_target`` percent (default 30, the national target) of
        ``ikd_basis`` (``wajib``, the default, or ``sudah_rekam``)."""
        st = self.store()
        snap = st.load(snapshot) if snapshot else st.require_current()
        prefix = region_prefix(region)
        for level in levels:
            if prefix is not None and _coverage.LEVELS.index(level) < len(prefix.split(".")) - 1:
                raise InvalidArgument("level_above_region", level=level, region=prefix)
        checks = Checks()
        if isinstance(pemula_window, date):
            ok = election_date is None or pemula_window < election_date
            checks.require(ok, "since_election", pemula_window, "< election_date")
        else:
            checks.require(pemula_window >= 1, "pemula_window", pemula_window, ">= 1")
        hundredths = target_hundredths(target, checks)
        ikd_hundredths = target_hundredths(ikd_target, checks)
        checks.require(ikd_basis in _coverage.IKD_BASES, "ikd_basis", ikd_basis, " | ".join(_coverage.IKD_BASES))
        checks.done()
        overlay = self.live_overlay(snap.export_date, live_up_to) if live else None
        result = self._count(st, snap, as_of, levels, prefix, election_date, hundredths, pemula_window, engine, overlay)
        for found in result.values():
            for row in found:
                row.ikd_target_hundredths, row.ikd_basis = ikd_hundredths, ikd_basis
        if prefix is not None and not any(result.values()):
            raise UnknownRegion("unknown_region", code=prefix)
        return result

    def _count(
        self,
        st: Store,
        snap: Snapshot,
        as_of: date,
        levels: tuple[_coverage.Level, ...],
        prefix: str | None,
        election_date: date | None,
        hundredths: int,
        pemula_window: PemulaWindow = 1,
        engine: str | None = None,
        overlay: pa.Table | None = None,
        undated_recorded_always: bool = False,
    ) -> dict[_coverage.Level, list[_coverage.CoverageRow]]:
        """``coverage.coverage_levels`` of ``snap`` on the engine, options already checked."""
        with open_engine(
            engine or self.settings.engine, st, snap, prefix, overlay, spark_master=self.settings.spark_master
        ) as eng:
            return _coverage.coverage_levels(
                eng, as_of, levels, prefix, election_date, hundredths, pemula_window, undated_recorded_always
            )

    def live_overlay(self, since: date, up_to: int | None = None) -> pa.Table:
        """The desk's completed services from ``since`` (a snapshot's export date) on (with an
        event id up to ``up_to`` if given), as the overlay of ``analytics.live``; empty when
        there is no ops database."""
        from rekam.analytics import live
        from rekam.ops.db import configured

        if not configured(self.settings):
            return live.overlay_table([])
        from sqlalchemy import select

        from rekam.ops.events import completed_since
        from rekam.ops.models import ServiceEvent, ServicePoint

        with self.ops_db().read() as s:
            rows = s.execute(
                select(
                    ServiceEvent.nik,
                    ServiceEvent.kind,
                    ServiceEvent.service_date,
                    ServiceEvent.duplicate_confirmed,
                    ServicePoint.region,
                )
                .join(ServicePoint, ServicePoint.id == ServiceEvent.service_point_id)
                .where(*completed_since(since), *(() if up_to is None else (ServiceEvent.id <= up_to,)))
            ).all()
        # the point's kab/kota: who activated an IKD (a point's region is its kab/kota or below)
        events = [
            (nik, kind, day, confirmed, ".".join(region.split(".")[:2])) for nik, kind, day, confirmed, region in rows
        ]
        return live.overlay_table(live.changes(events))

    def progress(
        self,
        as_of: date | None = None,
        since: date | None = None,
        deadline: date | None = None,
        level: _coverage.Level = "kab",
        region: str | None = None,
        target: float | str = 99.4,
        engine: str | None = None,
        period: str | None = None,
        holidays: tuple[date, ...] = (),
        live: bool = False,
    ) -> list[_progress.ProgressRow]:
        """Progress per region over the evaluation period, the pace at which the gap to target
        closes, and what the target needs by ``deadline`` (``analytics.progress``).

        The period starts on ``since``, else on the first day of the named ``period``
        (``2024-S2``, ``2024-Q4``, ``2024-11``, ``2024``), else on the first day of the semester
        holding ``as_of`` (DKB is published per semester). ``as_of`` defaults to today, or to the
        named period's last day when that is earlier. ``holidays``: public holidays (and cuti
        bersama) to leave out of the working days left to the deadline; none by default. ``live``:
        the state now (and at the start, when read from the current snapshot's dates) with the
        desk's services since the snapshot."""
        st = self.store()
        current = st.require_current()
        checks = Checks()
        named = None
        if period is not None:
            try:
                named = parse_period(period)
            except InvalidPeriod:
                checks.add("period", period, text("hint_period_name"))
        hundredths = target_hundredths(target, checks)
        prefix = region_prefix(region)
        if prefix is not None and _coverage.LEVELS.index(level) < len(prefix.split(".")) - 1:
            raise InvalidArgument("level_above_region", level=level, region=prefix)
        if as_of is None:
            as_of = min(date.today(), named.end) if named else date.today()
        start = since or (named.start if named else semester_of(as_of).start)
        if start > as_of:  # a start given, or a named period after as_of (the default never is)
            checks.add(*(("since", start.isoformat()) if since is not None else ("period", period)), "<= as_of")
        checks.done()
        base = _baseline(st, current, start)
        from_dates = base is None
        levels = (level,)
        election = _progress.akan_wajib_day(as_of, deadline)
        overlay = self.live_overlay(current.export_date) if live else None
        now = self._count(
            st,
            current,
            as_of,
            levels,
            prefix,
            election,
            hundredths,
            engine=engine,
            overlay=overlay,
            undated_recorded_always=from_dates,
        )[level]
        if prefix is not None and not now:
            raise UnknownRegion("unknown_region", code=prefix)
        then = self._count(
            st,
            base or current,
            start,
            levels,
            prefix,
            None,
            hundredths,
            engine=engine,
            overlay=overlay if base is None else None,
            undated_recorded_always=from_dates,
        )[level]
        missing = () if base is None else _progress.missing_at_start(current.parts, base.parts)
        return _progress.progress_rows(
            now, then, start, as_of, deadline, (base or current).id, from_dates, missing, holidays
        )

    def quality(
        self,
        level: _coverage.Level = "kab",
        region: str | None = None,
        as_of: date | None = None,
        engine: str | None = None,
        live: bool = False,
    ) -> list[_quality.QualityRow]:
        """Data-quality figures per region, with the number of implausible desa and of
        residents reported moved, dead or abroad (for SIAK follow-up); ``live``: the desa's
        coverage (one of the implausibility rules) with the desk's services since the snapshot."""
        from rekam import verifications

        st = self.store()
        snap = st.require_current()
        as_of = as_of or snap.export_date
        desa = self.coverage(as_of, "desa", region, engine=engine, live=live)
        by_desa = {r.region_code: (r.wajib, r.coverage_pct) for r in desa}
        with open_engine(
            engine or self.settings.engine, st, snap, region_prefix(region), spark_master=self.settings.spark_master
        ) as eng:
            rows = _quality.quality(eng, level, region_prefix(region), by_desa)
        _quality.add_follow_ups(rows, level, verifications.latest(self.settings.home))
        return rows

    def rank(
        self,
        as_of: date | None = None,
        since: date | None = None,
        election_date: date | None = None,
        region: str | None = None,
        target: float | str = 99.4,
        engine: str | None = None,
        pemula_window: PemulaWindow = 1,
        period: str | None = None,
        live: bool = False,
        ikd_weight: object = None,
        ikd_basis: _coverage.IkdBasis = "wajib",
    ) -> list[_rank.RankRow]:
        """The kab/kota ranked for the evaluation meeting (``analytics.rank``: the formula is
        ``rank.formula(lang, ikd_weight)``, the weights ``rank.weights(ikd_weight)``), from the
        states at the start of the period (``since`` or ``period``, as ``progress`` reads them)
        and at ``as_of``. Every row shows its ``ikd_pct`` on ``ikd_basis``; it counts in the score
        with ``ikd_weight`` (0 to 0.5; None: the settings' ``rank_ikd_weight``, default 0)."""
        weight = self.rank_ikd_weight(ikd_weight)
        as_of = as_of or date.today()
        figures = self.coverage(
            as_of,
            "kab",
            region,
            election_date=election_date,
            target=target,
            engine=engine,
            pemula_window=pemula_window,
            ikd_basis=ikd_basis,
        )
        progress = self.progress(as_of, since, level="kab", region=region, target=target, engine=engine, period=period)
        flagged = {q.region_code: q.desa_flagged for q in self.quality("kab", region, as_of, engine)}
        return _rank.ranked(figures, progress, flagged, weight)

    def rank_ikd_weight(self, value: object = None) -> Decimal:
        """The ranking's IKD weight: ``value`` checked (0 to 0.5, at most 2 decimals; refused
        with ``InvalidOptions`` otherwise), or the settings' ``rank_ikd_weight`` when None."""
        return self.settings.rank_ikd_weight if value is None else ikd_weight(value)


def _baseline(st: Store, current: Snapshot, since: date) -> Snapshot | None:
    """The latest snapshot exported on or before ``since``, other than the current one."""
    older = [s for s in st.all() if s.id != current.id and s.export_date <= since]
    return max(older, key=lambda s: (s.export_date, s.id)) if older else None
