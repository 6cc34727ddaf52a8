"""The latest saved plan as a calendar: per team, per day, the sites and expected recordings.

Plans are what ``rekam plan solve SCENARIO --out REKAM_HOME/plans/NAME.json`` writes; the
newest file there is "the latest plan". A file that is not a rekam plan is skipped, and so is a
plan the viewer may not see: a plan names its region (the scenario's ``region``, kept as the
plan's ``region``), and a user sees the newest plan whose region lies in their scope; a plan
naming no region (made before plans named one, or from a scenario without one) is for
admin-pusat only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rekam.planner.plan import PLAN_FORMAT


@dataclass
class Calendar:
    name: str
    dates: list[str]
    teams: list[str]
    cells: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    score: float | None = None
    region: str | None = None
    bound: float | None = None
    gap_pct: float | None = None


def latest_plan(home: Path, may_see: Callable[[str | None], bool]) -> Calendar | None:
    """The newest plan in ``home/plans`` whose region (None: the plan names none) ``may_see`` allows."""
    folder = home / "plans"
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
            continue
        region = data.get("region")
        if may_see(region if isinstance(region, str) and region else None):
            return calendar(path.name, data)
    return None


def calendar(name: str, data: dict[str, Any]) -> Calendar:
    routes = data.get("routes") or []
    cal = Calendar(
        name,
        sorted({r["date"] for r in routes}),
        sorted({r["team"] for r in routes}),
        score=data.get("score"),
        bound=data.get("bound"),
        gap_pct=data.get("gap_pct"),
        region=data.get("region") if isinstance(data.get("region"), str) else None,
    )
    for r in routes:
        stops = r.get("stops") or []
        cal.cells[(r["team"], r["date"])] = {
            "sites": [s["site"] for s in stops],
            "value": round(sum(float(s.get("value") or 0) for s in stops), 1),
            "depart": r.get("depart"),
            "back": r.get("back"),
        }
    return cal
