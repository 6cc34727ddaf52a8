"""Progress over an evaluation period, the pace at which the gap to target closes, and what
the target needs by a deadline (docs/analytics.md, "Progress"; issue 15).

The state at the start of the period (``since``) is read from the baseline: the latest
snapshot exported on or before ``since`` other than the current one (snapshots over time are
the history), else the current snapshot read as of ``since`` from its recording dates, a
recorded person without TGL_REKAM counted as recorded at the start too (an undated recording
is never counted as made during the period). The state at the end is the current snapshot as
of ``as_of``. Per region:

- no_progress_reason: ``no_data_at_start`` when the region (or any kab/kota in it) is missing
  from the baseline snapshot or has no wajib at the start; ``no_dated_recordings`` when the
  baseline is the current snapshot and every recorded person of the region lacks TGL_REKAM.
  Then every figure of the period (change, pace, projection from the pace) is null: never
  progress from zero.
- target_gap_since: the gap to target at the start (same target); gap_closed =
  target_gap_since - target_gap; gap_closed_share = gap_closed / target_gap_since;
  pace_per_day = gap_closed / days. The gap, not ``sudah_rekam``, so that residents who become
  wajib during the period count (a new 17-year-old not recorded widens it; a 16-year-old who
  recorded early and turns 17 closes it without anyone recording).
- change_pp, recorded_since, per_week: for display.
- gap_at_deadline = max(0, ceil(target x (wajib + akan_wajib)) - (sudah_rekam + akan_wajib -
  akan_wajib_belum_rekam)), akan_wajib read with the deadline as election day: everyone wajib
  by the deadline; needed_per_working_day = ceil(gap_at_deadline / working_days_left) (Monday
  to Friday after as_of up to the deadline, less the public holidays given).
- projected_date = as_of + ceil(target_gap x days / gap_closed) days, only while the gap
  shrinks; ``projection_note`` says why there is none (``PROJECTION_NOTES``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from rekam.analytics.coverage import CoverageRow, target_gap
from rekam.domain.period import working_days

NoProgressReason = Literal["no_data_at_start", "no_dated_recordings"]
ProjectionNote = Literal[
    "met",
    "shrinking",
    "growing",
    "unchanged",
    "no_data_at_start",
    "no_dated_recordings",
    "deadline_passed",
    "empty_period",
]
#: Every ``projection_note``, in the order they are decided; the text of each is the message
#: ``projection_<note>`` (``rekam.messages``), of a reason ``no_progress_<reason>``.
PROJECTION_NOTES: tuple[ProjectionNote, ...] = (
    "met",  # target_gap is 0: projected_date = as_of
    "no_data_at_start",  # no progress (no_progress_reason)
    "no_dated_recordings",  # no progress (no_progress_reason)
    "deadline_passed",  # as_of is after the deadline (projected_date still shown while the gap shrinks)
    "empty_period",  # since = as_of: no pace
    "shrinking",  # gap_closed > 0: projected_date at this pace
    "growing",  # gap_closed < 0: not reached at this pace
    "unchanged",  # gap_closed = 0: not reached at this pace
)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass
class ProgressRow:
    """One region over the period.

    ``now``: the current snapshot as of ``as_of``, read with the deadline as election day when
    the deadline is not past (``akan_wajib_day``), so that it holds ``akan_wajib``; ``then``: the
    baseline as of ``since`` (None when the region is not in it). ``baseline_snapshot`` is the
    baseline's id; ``from_recording_dates``: the baseline is the current snapshot itself;
    ``complete_at_start``: every kab/kota of the region is in the baseline snapshot;
    ``holidays``: public holidays not counted as working days.
    """

    now: CoverageRow
    then: CoverageRow | None
    since: date
    as_of: date
    deadline: date | None
    baseline_snapshot: str
    from_recording_dates: bool
    complete_at_start: bool = True
    holidays: tuple[date, ...] = ()

    @property
    def no_progress_reason(self) -> NoProgressReason | None:
        if self.then is None or self.then.wajib == 0 or not self.complete_at_start:
            return "no_data_at_start"
        recorded = self.now.sudah_rekam
        if self.from_recording_dates and recorded > 0 and self.now.sudah_rekam_tanpa_tanggal == recorded:
            return "no_dated_recordings"
        return None

    @property
    def _start(self) -> CoverageRow | None:
        """The state at the start when the region has progress, else None."""
        return self.then if self.no_progress_reason is None else None

    @property
    def days(self) -> int:
        return (self.as_of - self.since).days

    @property
    def weeks(self) -> float:
        return self.days / 7

    @property
    def recorded_since(self) -> int | None:
        start = self._start
        return None if start is None else self.now.sudah_rekam - start.sudah_rekam

    @property
    def per_week(self) -> float | None:
        recorded = self.recorded_since
        return round(recorded / self.weeks, 1) if recorded is not None and self.days > 0 else None

    @property
    def change_pp(self) -> float | None:
        start = self._start
        if start is None or self.now.coverage_pct is None or start.coverage_pct is None:
            return None
        return round(self.now.coverage_pct - start.coverage_pct, 2)

    @property
    def target_gap_since(self) -> int | None:
        start = self._start
        return None if start is None else start.target_gap

    @property
    def gap_closed(self) -> int | None:
        before = self.target_gap_since
        return None if before is None else before - self.now.target_gap

    @property
    def gap_closed_share(self) -> float | None:
        before, closed = self.target_gap_since, self.gap_closed
        return None if not before or closed is None else round(closed / before, 4)

    @property
    def pace_per_day(self) -> float | None:
        closed = self.gap_closed
        return None if closed is None or self.days <= 0 else round(closed / self.days, 2)

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.as_of > self.deadline

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.as_of).days

    @property
    def working_days_left(self) -> int | None:
        if self.deadline is None or self.deadline_passed:
            return None
        return working_days(self.as_of, self.deadline, self.holidays)

    @property
    def akan_wajib(self) -> tuple[int, int] | None:
        """(akan_wajib, akan_wajib_belum_rekam) by the deadline, when the deadline is ahead."""
        if self.deadline is None or self.deadline_passed or not self.now.election:
            return None
        return self.now.counts["akan_wajib"], self.now.counts["akan_wajib_belum_rekam"]

    @property
    def gap_at_deadline(self) -> int | None:
        akan = self.akan_wajib
        if akan is None:
            return None
        total, not_recorded = akan
        now = self.now
        return target_gap(now.wajib + total, now.sudah_rekam + total - not_recorded, now.target_hundredths)

    @property
    def needed_per_working_day(self) -> int | None:
        gap, days = self.gap_at_deadline, self.working_days_left
        if gap is None or days is None:
            return None
        if gap == 0:
            return 0
        return _ceil_div(gap, days) if days > 0 else None

    @property
    def projection_note(self) -> ProjectionNote:
        if self.now.target_gap == 0:
            return "met"
        reason = self.no_progress_reason
        if reason is not None:
            return reason
        if self.deadline_passed:
            return "deadline_passed"
        if self.days <= 0:
            return "empty_period"
        closed = self.gap_closed or 0
        return "shrinking" if closed > 0 else "growing" if closed < 0 else "unchanged"

    @property
    def projected_date(self) -> date | None:
        gap = self.now.target_gap
        if gap == 0:
            return self.as_of
        closed = self.gap_closed
        if closed is None or closed <= 0 or self.days <= 0:
            return None
        return self.as_of + timedelta(days=_ceil_div(gap * self.days, closed))

    @property
    def after_deadline(self) -> bool | None:
        projected = self.projected_date
        if self.deadline is None or projected is None:
            return None
        return self.now.target_gap > 0 and projected > self.deadline

    # -- IKD (issue 19): the same period, for the activations -----------------------------------

    @property
    def ikd_activated_since(self) -> int | None:
        """Activations (of wajib who had recorded) over the period; an activation without a date
        counts as made on the export date of its snapshot (docs/analytics.md, "IKD")."""
        start = self._start
        return None if start is None else self.now.ikd_aktif - start.ikd_aktif

    @property
    def ikd_gap_closed(self) -> int | None:
        start = self._start
        return None if start is None else start.ikd_gap - self.now.ikd_gap

    @property
    def ikd_needed_per_working_day(self) -> int | None:
        """The IKD gap now over the working days to the deadline (those who turn wajib by then
        are not added: the IKD target follows the recorded, who are not known ahead)."""
        days, gap = self.working_days_left, self.now.ikd_gap
        if days is None:
            return None
        if gap == 0:
            return 0
        return _ceil_div(gap, days) if days > 0 else None

    @property
    def ikd_projected_date(self) -> date | None:
        """When the IKD gap closes at the period's pace of closing it (None: it does not close)."""
        gap = self.now.ikd_gap
        if gap == 0:
            return self.as_of
        closed = self.ikd_gap_closed
        if closed is None or closed <= 0 or self.days <= 0:
            return None
        return self.as_of + timedelta(days=_ceil_div(gap * self.days, closed))

    def as_json(self) -> dict[str, Any]:
        now, start = self.now, self._start
        akan = self.akan_wajib
        projected = self.projected_date
        ikd_projected = self.ikd_projected_date
        return {
            "region_code": now.region_code,
            "region_name": now.region_name,
            "level": now.level,
            "since": self.since.isoformat(),
            "as_of": self.as_of.isoformat(),
            "days": self.days,
            "weeks": round(self.weeks, 2),
            "baseline_snapshot": self.baseline_snapshot,
            "baseline_from_recording_dates": self.from_recording_dates,
            "no_progress_reason": self.no_progress_reason,
            "wajib": now.wajib,
            "sudah_rekam": now.sudah_rekam,
            "coverage_pct": now.coverage_pct,
            "target_gap": now.target_gap,
            "recorded_undated": now.sudah_rekam_tanpa_tanggal,
            "wajib_since": start.wajib if start else None,
            "sudah_rekam_since": start.sudah_rekam if start else None,
            "coverage_pct_since": start.coverage_pct if start else None,
            "target_gap_since": self.target_gap_since,
            "change_pp": self.change_pp,
            "recorded_since": self.recorded_since,
            "per_week": self.per_week,
            "gap_closed": self.gap_closed,
            "gap_closed_share": self.gap_closed_share,
            "pace_per_day": self.pace_per_day,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": self.days_left,
            "working_days_left": self.working_days_left,
            "akan_wajib": akan[0] if akan else None,
            "akan_wajib_belum_rekam": akan[1] if akan else None,
            "gap_at_deadline": self.gap_at_deadline,
            "needed_per_working_day": self.needed_per_working_day,
            "projected_date": projected.isoformat() if projected else None,
            "projection_note": self.projection_note,
            "after_deadline": self.after_deadline,
            "ikd_aktif": now.ikd_aktif,
            "ikd_pct": now.ikd_pct,
            "ikd_gap": now.ikd_gap,
            "ikd_aktif_since": start.ikd_aktif if start else None,
            "ikd_activated_since": self.ikd_activated_since,
            "ikd_gap_closed": self.ikd_gap_closed,
            "ikd_needed_per_working_day": self.ikd_needed_per_working_day,
            "ikd_projected_date": ikd_projected.isoformat() if ikd_projected else None,
        }


def akan_wajib_day(as_of: date, deadline: date | None) -> date | None:
    """The election day to read ``now`` with (its ``akan_wajib``): the deadline, unless past."""
    return deadline if deadline is not None and deadline >= as_of else None


def missing_at_start(current_kabs: Iterable[str], baseline_kabs: Iterable[str]) -> set[str]:
    """The kab/kota of the current snapshot that the baseline snapshot does not hold."""
    return set(current_kabs) - set(baseline_kabs)


def _overlaps(region: str, kab: str) -> bool:
    """``kab`` is ``region``, inside it (a province) or holds it (a kecamatan, a desa)."""
    return region == kab or kab.startswith(region + ".") or region.startswith(kab + ".")


def progress_rows(
    now: list[CoverageRow],
    then: list[CoverageRow],
    since: date,
    as_of: date,
    deadline: date | None,
    baseline_snapshot: str,
    from_recording_dates: bool,
    missing: Iterable[str] = (),
    holidays: Iterable[date] = (),
) -> list[ProgressRow]:
    """Each region now beside itself at the start; ``missing``: the kab/kota absent from the
    baseline snapshot (``missing_at_start``), which leave every region holding them without data
    at the start; ``holidays``: public holidays, not working days."""
    days_off = tuple(sorted(set(holidays)))
    before = {r.region_code: r for r in then}
    gone = tuple(missing)
    return [
        ProgressRow(
            r,
            before.get(r.region_code),
            since,
            as_of,
            deadline,
            baseline_snapshot,
            from_recording_dates,
            complete_at_start=not any(_overlaps(r.region_code, kab) for kab in gone),
            holidays=days_off,
        )
        for r in now
    ]
