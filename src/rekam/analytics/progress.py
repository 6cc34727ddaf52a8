"""Progress between two dates, the pace, and what the target needs by a deadline.

The baseline is the latest snapshot exported on or before ``since`` (snapshots over time are
the history); when there is none, the current snapshot is read as of ``since`` (its
recording dates). Per region:

- recorded_since = sudah_rekam now - sudah_rekam at the baseline; change_pp = the change in
  coverage, in percentage points;
- per_week = recorded_since / weeks between the two dates;
- needed_per_day = ceil(target_gap / days left to the deadline);
- projected_date = as_of + ceil(target_gap * days / recorded_since) days at the current pace (null
  when the pace is not positive; the as-of date when the target is already met).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rekam.analytics.coverage import CoverageRow


@dataclass
class ProgressRow:
    now: CoverageRow
    then: CoverageRow | None
    since: date
    as_of: date
    deadline: date | None

    @property
    def recorded_since(self) -> int:
        return self.now.sudah_rekam - (self.then.sudah_rekam if self.then else 0)

    @property
    def weeks(self) -> float:
        return (self.as_of - self.since).days / 7

    @property
    def per_week(self) -> float | None:
        return round(self.recorded_since / self.weeks, 1) if self.weeks > 0 else None

    def as_json(self) -> dict[str, Any]:
        now, then = self.now, self.then
        gap = now.target_gap
        change = None
        if then is not None and now.coverage_pct is not None and then.coverage_pct is not None:
            change = round(now.coverage_pct - then.coverage_pct, 2)
        days_left = (self.deadline - self.as_of).days if self.deadline else None
        needed = None if days_left is None else (-(-gap // days_left) if days_left > 0 else gap)
        projected: date | None = None
        if gap == 0:
            projected = self.as_of
        elif self.recorded_since > 0 and (days := (self.as_of - self.since).days) > 0:
            projected = self.as_of + timedelta(days=-(-(gap * days) // self.recorded_since))
        return {
            "region_code": now.region_code,
            "region_name": now.region_name,
            "level": now.level,
            "since": self.since.isoformat(),
            "as_of": self.as_of.isoformat(),
            "wajib": now.wajib,
            "sudah_rekam": now.sudah_rekam,
            "sudah_rekam_since": then.sudah_rekam if then else 0,
            "coverage_pct": now.coverage_pct,
            "coverage_pct_since": then.coverage_pct if then else None,
            "change_pp": change,
            "recorded_since": self.recorded_since,
            "weeks": round(self.weeks, 2),
            "per_week": self.per_week,
            "target_gap": gap,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": days_left,
            "needed_per_day": needed,
            "projected_date": projected.isoformat() if projected else None,
        }
