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


class _Quick:
    """A stand-in for ``Rekam.coverage_levels`` that answers at once and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, as_of, levels, region, snapshot, election_date, target, **kw):  # type: ignore[no-untyped-def]
        self.calls += 1
        return {level: [] for level in levels}


def _refreshers() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "rekam-live-figures")


def _cache(home: Path, monkeypatch: pytest.MonkeyPatch, desk: list[Desk]) -> tuple[FigureCache, _Quick]:
    cache = FigureCache(Rekam(Settings(home=home, live_refresh_seconds=3600)))
    compute = _Quick()
    monkeypatch.setattr(cache.rekam, "coverage_levels", compute)
    monkeypatch.setattr(cache, "desk", lambda snapshot: desk[0])
    return cache, compute


def _wait_for(condition: Any, seconds: float = 30) -> bool:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_services_logged_one_after_another_make_one_refresh_not_one_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: every logged service used to start its own background pass over the register;
    under an election day's desks they piled up (133 threads in one worker). Now one thread
    computes the newest state asked for, at most once in REKAM_LIVE_REFRESH_SECONDS."""
    import time

    day = date(2024, 11, 20)
    desk = [Desk(((day, 1, 1),))]
    cache, compute = _cache(tmp_path, monkeypatch, desk)
    assert cache.get(SNAP).desk_services == 1 and compute.calls == 1
    most = 0
    for n in range(2, 52):  # fifty services logged, a page asked after each
        desk[0] = Desk(((day, n, n),))
        assert cache.get(SNAP).desk_services < n  # the previous figures, at once
        most = max(most, _refreshers())
    assert most <= 1
    assert _wait_for(lambda: compute.calls == 2)  # the first refresh runs at once ...
    time.sleep(0.5)
    assert compute.calls == 2 and _refreshers() <= 1  # ... the next waits for the interval
    cache.settle()  # (tests: no pause) the newest state asked for, once, not the 49 between
    assert compute.calls == 3 and _refreshers() == 0
    assert cache.get(SNAP).desk_services == 51 and compute.calls == 3
    assert len(cache._cache) == 1  # one set of figures kept in memory, not one per service logged


def test_a_worker_takes_the_figures_another_worker_refreshed_within_the_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers of one server (two caches on one home): what one refreshed, the other reads
    rather than passing over the register again."""
    import time

    day = date(2024, 11, 20)
    desk = [Desk(((day, 1, 1),))]
    first, first_calls = _cache(tmp_path, monkeypatch, desk)
    second, second_calls = _cache(tmp_path, monkeypatch, desk)
    first.get(SNAP)
    assert second.get(SNAP).desk_services == 1 and second_calls.calls == 0  # read from the disk
    desk[0] = Desk(((day, 2, 2),))
    first.get(SNAP)
    first.settle()
    assert first_calls.calls == 2
    desk[0] = Desk(((day, 3, 3),))  # one more service: the second worker asks for it
    second.get(SNAP)
    second.settle()
    assert second_calls.calls == 0  # took the first worker's, refreshed within the interval
    assert second.get(SNAP).desk_services == 2  # labelled with its own count
    time.sleep(0.3)
    assert second_calls.calls == 0  # the third service waits for the interval ...
    second.settle()
    assert second_calls.calls == 1 and second.get(SNAP).desk_services == 3  # ... then is computed once
