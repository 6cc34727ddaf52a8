"""The live figure cache (issue #16): the as-of of live figures, and a service logged at a desk
never makes a page wait for a new computation once figures for that date exist: the previous
figures are served (with their own count) while the new ones compute in the background."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from rekam.api import Rekam
from rekam.config import Settings
from rekam.web.figures import Desk, FigureCache, live_as_of

SNAP: Any = SimpleNamespace(id="0001-20241113", export_date=date(2024, 11, 13))


def test_the_live_as_of_is_the_latest_service_day_within_the_export_date_and_today() -> None:
    assert live_as_of(SNAP, Desk()) == SNAP.export_date
    desk = Desk(((date(2024, 11, 20), 3, 7), (date(2024, 11, 27), 2, 9)))
    assert live_as_of(SNAP, desk, today=date(2024, 12, 1)) == date(2024, 11, 27)
    assert live_as_of(SNAP, desk, today=date(2024, 11, 25)) == date(2024, 11, 25)  # never after today
    assert desk.until(date(2024, 11, 20)).stamp == (3, 7) and desk.stamp == (5, 9)


class _Counting:
    """A stand-in for ``Rekam.coverage_levels``: counts its calls; the second and later wait for ``release``."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = threading.Event()
        self.started = threading.Event()

    def __call__(self, as_of, levels, region, snapshot, election_date, target, **kw):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls > 1:
            self.started.set()
            assert self.release.wait(30)
        return {level: [] for level in levels}


def test_a_new_service_serves_the_previous_figures_while_the_new_ones_compute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = FigureCache(Rekam(Settings(home=tmp_path)))
    compute = _Counting()
    monkeypatch.setattr(cache.rekam, "coverage_levels", compute)
    day = date(2024, 11, 20)
    desk = [Desk(((day, 1, 1),))]
    monkeypatch.setattr(cache, "desk", lambda snapshot: desk[0])

    first = cache.get(SNAP)
    assert first.as_of == day and first.desk_services == 1 and compute.calls == 1

    desk[0] = Desk(((day, 2, 2),))  # a second service logged the same day
    served = cache.get(SNAP)  # answered although the new computation waits for ``release``
    assert served is first and served.desk_services == 1  # labelled with its own count
    assert compute.started.wait(30) and not compute.release.is_set()
    compute.release.set()
    cache.settle()
    fresh = cache.get(SNAP)
    assert fresh.desk_services == 2 and compute.calls == 2

    alone = cache.get(SNAP, live=False)  # the snapshot alone never borrows live figures
    assert alone.as_of == SNAP.export_date and not alone.live and alone.desk_services == 0
    assert compute.calls == 3


def test_figures_for_a_new_date_are_computed_in_the_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = FigureCache(Rekam(Settings(home=tmp_path)))
    compute = _Counting()
    compute.release.set()
    monkeypatch.setattr(cache.rekam, "coverage_levels", compute)
    desk = [Desk(((date(2024, 11, 20), 1, 1),))]
    monkeypatch.setattr(cache, "desk", lambda snapshot: desk[0])
    assert cache.get(SNAP).as_of == date(2024, 11, 20)
    desk[0] = Desk(((date(2024, 11, 20), 1, 1), (date(2024, 11, 21), 1, 2)))
    got = cache.get(SNAP)  # nothing computed for the 21st yet: no older figures to show
    assert got.as_of == date(2024, 11, 21) and got.desk_services == 2 and compute.calls == 2
