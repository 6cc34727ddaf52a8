"""The figures: coverage, progress, the ranking, data quality, and the live overlay of the desk."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rekam.analytics import coverage as _coverage
from rekam.analytics import progress as _progress
from rekam.analytics import quality as _quality
from rekam.analytics import rank as _rank
from rekam.analytics.engines import open_engine
from rekam.api._base import Base
from rekam.api.options import Checks, region_prefix, target_hundredths
from rekam.domain.eligibility import PemulaWindow
from rekam.errors import InvalidArgument, UnknownRegion
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
    ) -> list[_coverage.CoverageRow]:
        """Coverage per region at ``level`` as of ``as_of``, within ``region`` if given; ``live``:
        with the desk's services since the snapshot (``analytics.live``)."""
        return self.coverage_levels(
            as_of, (level,), region, snapshot, election_date, target, pemula_window, engine, live
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
    ) -> dict[_coverage.Level, list[_coverage.CoverageRow]]:
        """Coverage at several levels at once (one engine query; the roll-up is in Python).
        ``live``: the snapshot plus the services logged at the desks since its export date."""
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
        checks.done()
        overlay = self.live_overlay(snap.export_date) if live else None
        with open_engine(
            engine or self.settings.engine, st, snap, prefix, overlay, spark_master=self.settings.spark_master
        ) as eng:
            result = _coverage.coverage_levels(eng, as_of, levels, prefix, election_date, hundredths, pemula_window)
        if prefix is not None and not any(result.values()):
            raise UnknownRegion("unknown_region", code=prefix)
        return result

    def live_overlay(self, since: date) -> pa.Table:
        """The desk's completed services from ``since`` (a snapshot's export date) on, as the
        overlay of ``analytics.live``; empty when there is no ops database."""
        from rekam.analytics import live
        from rekam.ops.db import configured

        if not configured(self.settings):
            return live.overlay_table([])
        from sqlalchemy import select

        from rekam.ops.events import completed_since
        from rekam.ops.models import ServiceEvent

        with self.ops_db().read() as s:
            rows = s.execute(
                select(
                    ServiceEvent.nik, ServiceEvent.kind, ServiceEvent.service_date, ServiceEvent.duplicate_confirmed
                ).where(*completed_since(since))
            ).all()
        return live.overlay_table(live.changes([(nik, kind, day, confirmed) for nik, kind, day, confirmed in rows]))

    def progress(
        self,
        as_of: date | None = None,
        since: date | None = None,
        deadline: date | None = None,
        level: _coverage.Level = "kab",
        region: str | None = None,
        target: float | str = 99.4,
        engine: str | None = None,
    ) -> list[_progress.ProgressRow]:
        """Change since ``since`` (default: the previous snapshot's date, or a week), pace, and
        what reaching the target by ``deadline`` needs, per region."""
        st = self.store()
        current = st.require_current()
        as_of = as_of or date.today()
        if since is None:
            parent = st.load(current.parent) if current.parent else None
            since = parent.export_date if parent else as_of - timedelta(days=7)
        if since > as_of:
            checks = Checks()
            checks.add("since", since.isoformat(), "<= as_of")
            checks.done()
        base = _baseline(st, current, since)
        now = self.coverage(as_of, level, region, current.id, target=target, engine=engine)
        then = self.coverage(since, level, region, (base or current).id, target=target, engine=engine)
        before = {r.region_code: r for r in then}
        return [_progress.ProgressRow(r, before.get(r.region_code), since, as_of, deadline) for r in now]

    def quality(
        self,
        level: _coverage.Level = "kab",
        region: str | None = None,
        as_of: date | None = None,
        engine: str | None = None,
    ) -> list[_quality.QualityRow]:
        """Data-quality figures per region, with the number of implausible desa and of
        residents reported moved, dead or abroad (for SIAK follow-up)."""
        from rekam import verifications

        st = self.store()
        snap = st.require_current()
        as_of = as_of or snap.export_date
        desa = self.coverage(as_of, "desa", region, engine=engine)
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
    ) -> list[_rank.RankRow]:
        """The kab/kota ranked for the evaluation meeting (``analytics.rank``: the formula is
        ``rank.formula()``, the weights ``rank.WEIGHTS``), from the states at the start of the
        period (``since`` or ``period``, as ``progress`` reads them) and at ``as_of``."""
        as_of = as_of or date.today()
        figures = self.coverage(
            as_of, "kab", region, election_date=election_date, target=target, engine=engine, pemula_window=pemula_window
        )
        period_arg: dict[str, Any] = {"period": period} if period is not None else {}
        progress = self.progress(as_of, since, level="kab", region=region, target=target, engine=engine, **period_arg)
        flagged = {q.region_code: q.desa_flagged for q in self.quality("kab", region, as_of, engine)}
        return _rank.ranked(figures, progress, flagged)


def _baseline(st: Store, current: Snapshot, since: date) -> Snapshot | None:
    """The latest snapshot exported on or before ``since``, other than the current one."""
    older = [s for s in st.all() if s.id != current.id and s.export_date <= since]
    return max(older, key=lambda s: (s.export_date, s.id)) if older else None
