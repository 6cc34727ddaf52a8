"""The one ``engine`` fixture: every spec table runs on DuckDB, on Spark (local mode) and on
the pure-Python reference engine (tests/support/reference_engine.py), and must agree.

Spark starts once per test run (``engines.spark_session`` keeps the process's session; the
first Spark case pays ~10 s) and its cases are marked ``slow``; ``make test`` runs them all.
A test asks the fixture for figures (``engine.coverage(...)``, ``engine.progress(...)``,
``engine.quality(...)``, ``engine.rank(...)``) of the store in ``REKAM_HOME``; the reference engine answers from
the domain's rules, the others through ``rekam.api`` on their engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.support.reference_engine import ReferenceEngine

from rekam import api
from rekam.analytics.coverage import CoverageRow
from rekam.analytics.progress import ProgressRow
from rekam.analytics.quality import QualityRow
from rekam.analytics.rank import RankRow, ranked
from rekam.api import Rekam
from rekam.config import Settings
from rekam.register.store import Store

ENGINE_NAMES = ["duckdb", pytest.param("spark", marks=pytest.mark.slow), "reference"]


@dataclass(frozen=True)
class SpecEngine:
    """One engine as the spec tables see it."""

    name: str

    def _settings(self, home: Path | None) -> Settings:
        return Settings(home=home) if home is not None else Settings.from_env()

    def coverage(self, as_of: date, level: Any = "kab", home: Path | None = None, **kw: Any) -> list[CoverageRow]:
        settings = self._settings(home)
        if self.name == "reference":
            target = api.target_hundredths(kw.pop("target", 99.4))
            ikd_target = api.target_hundredths(kw.pop("ikd_target", 30))
            ikd_basis = kw.pop("ikd_basis", "wajib")
            rows = ReferenceEngine(Store(settings.home)).coverage(as_of, level, target_hundredths=target, **kw)
            for row in rows:
                row.ikd_target_hundredths, row.ikd_basis = ikd_target, ikd_basis
            return rows
        return Rekam(settings).coverage(as_of=as_of, level=level, engine=self.name, **kw)

    def progress(
        self, as_of: date, since: date, deadline: date | None = None, home: Path | None = None, **kw: Any
    ) -> list[ProgressRow]:
        settings = self._settings(home)
        if self.name == "reference":
            target = api.target_hundredths(kw.pop("target", 99.4))
            return ReferenceEngine(Store(settings.home)).progress(
                as_of, since, deadline, target_hundredths=target, **kw
            )
        return Rekam(settings).progress(as_of=as_of, since=since, deadline=deadline, engine=self.name, **kw)

    def quality(self, level: Any = "kab", home: Path | None = None, **kw: Any) -> list[QualityRow]:
        settings = self._settings(home)
        if self.name == "reference":
            return ReferenceEngine(Store(settings.home)).quality(level, **kw)
        return Rekam(settings).quality(level=level, engine=self.name, **kw)

    def rank(self, as_of: date, since: date, **kw: Any) -> list[RankRow]:
        """The ranking; the reference engine's from its own coverage, progress and quality."""
        settings = self._settings(None)
        if self.name == "reference":
            ref = ReferenceEngine(Store(settings.home))
            flagged = {q.region_code: q.desa_flagged for q in ref.quality("kab", as_of=as_of)}
            return ranked(ref.coverage(as_of, "kab", **kw), ref.progress(as_of, since), flagged)
        return Rekam(settings).rank(as_of=as_of, since=since, engine=self.name, **kw)


@pytest.fixture(params=ENGINE_NAMES)
def engine(request: pytest.FixtureRequest) -> SpecEngine:
    """DuckDB, Spark (local, one session per run) and the reference engine, in turn."""
    assert "REKAM_HOME" in os.environ  # tests/conftest.py: an isolated home per test
    return SpecEngine(request.param)
