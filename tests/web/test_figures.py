"""The figure cache: a cached value never waits behind a computation, a value being computed is
computed once, and the trend reuses the current figures (benchmarks/README.md, Dashboard)."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from rekam.api import Rekam
from rekam.config import Settings
from rekam.web.figures import FigureCache


def test_a_cached_value_does_not_wait_for_another_computation(tmp_path: Path) -> None:
    cache = FigureCache(Rekam(Settings(home=tmp_path)))
    assert cache.memo(("a",), lambda: 1) == 1
    started, release = threading.Event(), threading.Event()

    def slow() -> int:
        started.set()
        release.wait(10)
        return 2

    first = threading.Thread(target=lambda: cache.memo(("b",), slow))
    first.start()
    assert started.wait(5)
    t = time.perf_counter()
    assert cache.memo(("a",), lambda: 99) == 1  # cached: answered while "b" is being computed
    assert time.perf_counter() - t < 1
    got: list[int] = []
    second = threading.Thread(target=lambda: got.append(cache.memo(("b",), lambda: 3)))
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert got == [2]  # waited for the running computation instead of computing again


def test_the_trend_reuses_the_figures_the_page_computed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[date, date | None]] = []

    def coverage_levels(as_of, levels, region, snapshot, election_date, target, **kw):  # type: ignore[no-untyped-def]
        calls.append((as_of, election_date))
        return {level: [] for level in levels}

    cache = FigureCache(Rekam(Settings(home=tmp_path)))
    monkeypatch.setattr(cache.rekam, "coverage_levels", coverage_levels)
    snap = SimpleNamespace(id="0001-20241113", export_date=date(2024, 11, 13))
    cache.get(snap, snap.export_date, date(2024, 11, 27))  # type: ignore[arg-type]
    cache.trend("13", [snap])  # type: ignore[list-item]
    assert calls == [(date(2024, 11, 13), date(2024, 11, 27))]  # one pass over the register, not two
