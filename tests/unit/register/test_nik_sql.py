"""The import's SQL check of a NIK agrees with the pure rule in rekam.domain.nik."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekam.domain.nik import make_nik, validate_nik
from rekam.register.validate import nik_reasons_sql

_CON = duckdb.connect()


def sql_reasons(niks: list[str]) -> list[tuple[str, ...]]:
    rows = _CON.execute(
        f"SELECT i, {nik_reasons_sql('nik')} FROM (SELECT unnest(?::VARCHAR[]) AS nik, "
        f"generate_subscripts(?::VARCHAR[], 1) AS i) ORDER BY i",
        [niks, niks],
    ).fetchall()
    return [tuple(r[1]) for r in rows]


digit_strings = st.text(alphabet="0123456789", min_size=16, max_size=16)
near_niks = st.builds(
    lambda prov, kab, kec, dd, mm, yy, serial: f"{prov:02d}{kab:02d}{kec:02d}{dd:02d}{mm:02d}{yy:02d}{serial:04d}",
    st.sampled_from([11, 13, 31, 94, 96, 97, 99, 0]),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 79),
    st.integers(0, 14),
    st.integers(0, 99),
    st.integers(0, 9999),
)
anything = st.one_of(digit_strings, near_niks, st.text(min_size=0, max_size=18))


@settings(max_examples=400, deadline=None)
@given(st.lists(anything, min_size=1, max_size=40))
def test_sql_and_domain_agree(niks: list[str]) -> None:
    expected = [tuple(str(r) for r in validate_nik(n)) for n in niks]
    assert sql_reasons(niks) == expected


@pytest.mark.parametrize(
    "nik",
    ["3171012902001234", "7105102902040439", "7105102902020439", "3171013002001234", "1371017102000001"],
)
def test_29_february_and_month_ends(nik: str) -> None:
    assert sql_reasons([nik]) == [tuple(str(r) for r in validate_nik(nik))]


def test_generated_niks_are_valid_in_sql() -> None:
    niks = [make_nik("137101", date(2000 + i % 25, 1 + i % 12, 1 + i % 28), "LP"[i % 2], i + 1) for i in range(300)]  # type: ignore[arg-type]
    assert set(sql_reasons(niks)) == {()}


def test_missing_nik_has_its_own_reason() -> None:
    rows = _CON.execute(f"SELECT {nik_reasons_sql('NULL::VARCHAR')}").fetchall()
    assert rows == [(["NIK_MISSING"],)]
