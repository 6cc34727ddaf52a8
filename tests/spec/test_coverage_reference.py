"""Coverage in SQL equals the pure rules of rekam.domain, person by person, on the
synthetic register (scale 0.001): the rules are written once and the engine agrees.
The reference engine is tests/support/reference_engine.py (the one place it lives)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from tests.support.reference_engine import ReferenceEngine, register_rows

from rekam.api import Rekam
from rekam.config import Settings
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
    got = {
        r.region_code: (r.wajib, r.sudah_rekam, r.perlu_rekam_ulang)
        for r in Rekam(Settings.from_env()).coverage(as_of=as_of, level="desa")
    }
    got = {k: v for k, v in got.items() if v[0] > 0}
    assert got == expected
    assert sum(v[0] for v in got.values()) > 3000


@pytest.mark.parametrize("level", ["kab", "desa"])
def test_every_figure_on_every_engine_equals_the_reference(demo_home, engine, level):
    """All of coverage (cohorts, by sex and age band) and data quality, on the demo register."""
    reference = ReferenceEngine(Store(demo_home))
    kw = dict(as_of=date(2024, 11, 13), election_date=date(2024, 11, 27))
    expected = [r.as_json() for r in reference.coverage(level=level, **kw)]  # type: ignore[arg-type]
    assert [r.as_json() for r in engine.coverage(level=level, home=demo_home, **kw)] == expected
    assert sum(r["wajib"] for r in expected) > 3000
    if engine.name != "reference":
        quality = [r.as_json() for r in engine.quality(level=level, home=demo_home)]
        assert quality == [r.as_json() for r in reference.quality(level=level)]


GOLDEN = Path(__file__).parent / "golden" / "demo-coverage-kab-2024-11-13.json"


def test_the_demo_register_coverage_equals_the_golden_file(demo_home, engine):
    """Every kab/kota of the demo register (scale 0.001, seed 7), every figure, as kept in
    tests/spec/golden/. After a deliberate change of the rules or the demo generator,
    regenerate with ``REKAM_REGEN_GOLDEN=1 make test`` (or pytest on this file) and review the diff."""
    got = [
        r.as_json()
        for r in engine.coverage(
            as_of=date(2024, 11, 13), level="kab", home=demo_home, election_date=date(2024, 11, 27)
        )
    ]
    if os.environ.get("REKAM_REGEN_GOLDEN") and engine.name == "reference":
        lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in got)  # one kab/kota a line
        GOLDEN.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))
