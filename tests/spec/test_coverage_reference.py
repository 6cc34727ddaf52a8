"""Coverage in SQL equals the pure rules of rekam.domain, person by person, on the
synthetic register (scale 0.001): the rules are written once and the engine agrees.
The reference engine is tests/support/reference_engine.py (the one place it lives)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.support.reference_engine import ReferenceEngine, register_rows

from rekam import api
from rekam.register.store import Store

AS_OF_DATES = [date(2024, 11, 13), date(2024, 11, 27), date(2025, 3, 1), date(2020, 6, 30)]


@pytest.fixture(scope="module")
def demo_register(demo_home: Path) -> tuple[Path, list[dict]]:
    st = Store(demo_home)
    return demo_home, register_rows(st, st.require_current())


def reference(rows: list[dict], as_of: date) -> dict[str, tuple[int, int, int]]:
    """(wajib, sudah_rekam, perlu_rekam_ulang) per desa with anyone wajib, by the domain's rules."""
    by_desa = ReferenceEngine.coverage_of(rows, as_of, "desa")
    return {r.region_code: (r.wajib, r.sudah_rekam, r.perlu_rekam_ulang) for r in by_desa if r.wajib}


@pytest.mark.parametrize("as_of", AS_OF_DATES, ids=str)
def test_sql_coverage_equals_the_domain_rules(demo_register, as_of, monkeypatch):
    home, rows = demo_register
    monkeypatch.setenv("REKAM_HOME", str(home))
    expected = reference(rows, as_of)
    got = {r.region_code: (r.wajib, r.sudah_rekam, r.perlu_rekam_ulang) for r in api.coverage(as_of=as_of, level="desa")}
    got = {k: v for k, v in got.items() if v[0] > 0}
    assert got == expected
    assert sum(v[0] for v in got.values()) > 3000
