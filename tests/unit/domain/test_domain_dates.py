"""Ages in completed years, with 29 February birthdays on 1 March in common years."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekam.domain.dates import add_years, age_on, birth_cutoff

dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31))
years = st.integers(min_value=-120, max_value=120)


def test_add_years_keeps_month_and_day() -> None:
    assert add_years(date(2007, 11, 27), 17) == date(2024, 11, 27)
    assert add_years(date(2024, 11, 27), -17) == date(2007, 11, 27)


def test_add_years_29_february_to_common_year_is_1_march() -> None:
    assert add_years(date(2008, 2, 29), 17) == date(2025, 3, 1)
    assert add_years(date(2008, 2, 29), -1) == date(2007, 3, 1)
    assert add_years(date(2008, 2, 29), 16) == date(2024, 2, 29)
    assert add_years(date(2000, 2, 29), 100) == date(2100, 3, 1)  # 2100 is common


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2007, 11, 27), date(2024, 11, 26), 16),
        (date(2007, 11, 27), date(2024, 11, 27), 17),
        (date(2008, 2, 29), date(2025, 2, 28), 16),
        (date(2008, 2, 29), date(2025, 3, 1), 17),
        (date(2008, 2, 29), date(2024, 2, 29), 16),
        (date(2008, 2, 29), date(2024, 2, 28), 15),
        (date(2000, 1, 1), date(2000, 1, 1), 0),
        (date(2000, 1, 2), date(2000, 1, 1), -1),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("on", "n", "cutoff"),
    [
        (date(2024, 11, 27), 17, date(2007, 11, 27)),
        (date(2025, 2, 28), 17, date(2008, 2, 28)),  # 2008-02-29 is still 16
        (date(2025, 3, 1), 17, date(2008, 3, 1)),
        (date(2024, 2, 29), 17, date(2007, 2, 28)),  # 2007-03-01 turns 17 on 1 March
        (date(2024, 2, 29), 16, date(2008, 2, 29)),
    ],
)
def test_birth_cutoff(on: date, n: int, cutoff: date) -> None:
    assert birth_cutoff(on, n) == cutoff


@given(birth=dates, on=dates, n=years)
def test_age_and_add_years_agree(birth: date, on: date, n: int) -> None:
    assert (age_on(birth, on) >= n) == (add_years(birth, n) <= on)


@given(birth=dates, on=dates, n=st.integers(min_value=0, max_value=120))
def test_birth_cutoff_iff_age(birth: date, on: date, n: int) -> None:
    assert (birth <= birth_cutoff(on, n)) == (age_on(birth, on) >= n)


@given(on=dates, n=st.integers(min_value=0, max_value=120))
def test_birth_cutoff_is_the_latest(on: date, n: int) -> None:
    cutoff = birth_cutoff(on, n)
    assert age_on(cutoff, on) >= n
    assert age_on(cutoff + timedelta(days=1), on) < n


@given(birth=dates, on=dates)
def test_age_grows_by_one_on_each_birthday(birth: date, on: date) -> None:
    age = age_on(birth, on)
    assert add_years(birth, age) <= on < add_years(birth, age + 1)


@given(d=dates, n=years)
def test_add_years_round_trip_except_29_february(d: date, n: int) -> None:
    back = add_years(add_years(d, n), -n)
    if (d.month, d.day) == (2, 29):
        assert back in (d, d + timedelta(days=1))
    else:
        assert back == d
