"""Coverage in SQL equals the pure rules of rekam.domain, person by person, on the
synthetic register (scale 0.001): the rules are written once and the engine agrees."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from rekam.analytics.engines import DuckDBEngine
from rekam.api import Rekam
from rekam.config import Settings
from rekam.domain.eligibility import Person, is_wajib_ktp
from rekam.register.store import Store

AS_OF_DATES = [date(2024, 11, 13), date(2024, 11, 27), date(2025, 3, 1), date(2020, 6, 30)]


@pytest.fixture(scope="module")
def demo_register(demo_home: Path) -> tuple[Path, list[tuple]]:
    st = Store(demo_home)
    with DuckDBEngine(st, st.require_current()) as engine:
        rows = engine.run(
            "SELECT desa_code, birth_date, citizenship, stay_permit, marital_status, married_on, "
            "recording_state, recorded_on, export_date FROM register"
        )
    return demo_home, rows


def reference(rows: list[tuple], as_of: date) -> dict[str, tuple[int, int, int]]:
    wajib: Counter[str] = Counter()
    sudah: Counter[str] = Counter()
    ulang: Counter[str] = Counter()
    for desa, birth, cit, permit, marital, married_on, state, recorded_on, export_date in rows:
        p = Person(birth=birth, citizenship=cit, stay_permit=permit, marital=marital, married_on=married_on)
        if not is_wajib_ktp(p, as_of):
            continue
        wajib[desa] += 1
        recorded = state == "SUDAH_REKAM" and (
            (recorded_on is not None and recorded_on <= as_of) or (recorded_on is None and export_date <= as_of)
        )
        sudah[desa] += recorded
        ulang[desa] += state == "PERLU_REKAM_ULANG"
    return {d: (wajib[d], sudah[d], ulang[d]) for d in wajib}


@pytest.mark.parametrize("as_of", AS_OF_DATES, ids=str)
def test_sql_coverage_equals_the_domain_rules(demo_register, as_of, monkeypatch):
    home, rows = demo_register
    monkeypatch.setenv("REKAM_HOME", str(home))
    expected = reference(rows, as_of)
    got = {r.region_code: (r.wajib, r.sudah_rekam, r.perlu_rekam_ulang) for r in Rekam(Settings.from_env()).coverage(as_of=as_of, level="desa")}
    got = {k: v for k, v in got.items() if v[0] > 0}
    assert got == expected
    assert sum(v[0] for v in got.values()) > 3000
