"""Named evaluation periods, the default period (the semester) and working days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekam.domain.period import InvalidPeriod, Period, parse_period, semester_of, working_days


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-S1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-S2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-Q2", date(2024, 4, 1), date(2024, 6, 30)),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-11", date(2024, 11, 1), date(2024, 11, 30)),
        ("2024-12", date(2024, 12, 1), date(2024, 12, 31)),
    ],
)
def test_a_named_period_is_its_first_and_last_day(name, start, end):
    assert parse_period(name) == Period(name, start, end)


def test_letters_in_either_case_and_spaces_around():
    assert parse_period(" 2024-s2 ") == parse_period("2024-S2")
    assert parse_period("2024-q4").name == "2024-Q4"


@pytest.mark.parametrize(
    "name",
    [
        "2024-S3",
        "2024-S0",
        "2024-Q5",
        "2024-Q0",
        "2024-13",
        "2024-00",
        "2024-1",
        "24",
        "0000",
        "2024-S",
        "2024-H2",
        "2024-11-01",
        "S2-2024",
        "abc",
        "",
        "2024 S2",
        "２０２４",
    ],
)
def test_anything_else_is_refused(name):
    with pytest.raises(InvalidPeriod) as caught:
        parse_period(name)
    assert caught.value.name == name and "2024-S2" in str(caught.value)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2024, 1, 1), "2024-S1"),
        (date(2024, 6, 30), "2024-S1"),
        (date(2024, 7, 1), "2024-S2"),
        (date(2024, 11, 13), "2024-S2"),
        (date(2024, 12, 31), "2024-S2"),
    ],
)
def test_the_default_period_is_the_semester_of_the_day(day, name):
    period = semester_of(day)
    assert period.name == name and period.start <= day <= period.end


@pytest.mark.parametrize(
    ("after", "through", "days"),
    [
        (date(2024, 11, 13), date(2024, 11, 27), 10),  # Wed to Wed: Thu 14 .. Wed 27
        (date(2024, 11, 13), date(2024, 11, 13), 0),
        (date(2024, 11, 13), date(2024, 11, 1), 0),
        (date(2024, 11, 15), date(2024, 11, 18), 1),  # Fri to Mon: Monday only
        (date(2024, 11, 16), date(2024, 11, 17), 0),  # Sat to Sun
        (date(2024, 11, 15), date(2024, 11, 17), 0),  # Fri to Sun: the weekend
        (date(2024, 11, 17), date(2024, 11, 22), 5),  # Sun to Fri: a working week
    ],
)
def test_working_days_are_monday_to_friday_after_the_first_day_through_the_last(after, through, days):
    assert working_days(after, through) == days


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 800))
def test_working_days_count_each_weekday_once(after, length):
    through = after + timedelta(days=length)
    by_day = sum(1 for i in range(1, length + 1) if (after + timedelta(days=i)).weekday() < 5)
    assert working_days(after, through) == by_day


def test_holidays_given_are_not_working_days():
    pilkada, saturday = date(2024, 11, 27), date(2024, 11, 23)
    assert working_days(date(2024, 11, 13), date(2024, 11, 27), [pilkada]) == 9
    assert working_days(date(2024, 11, 13), date(2024, 11, 27), [pilkada, pilkada, saturday]) == 9
    assert working_days(date(2024, 11, 13), date(2024, 11, 27), [date(2024, 11, 13), date(2024, 11, 28)]) == 10


@given(
    st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    st.integers(0, 400),
    st.lists(st.integers(-5, 405), max_size=20),
)
def test_working_days_less_holidays_count_each_working_day_once(after, length, offsets):
    through = after + timedelta(days=length)
    holidays = [after + timedelta(days=i) for i in offsets]
    by_day = sum(
        1
        for i in range(1, length + 1)
        if (after + timedelta(days=i)).weekday() < 5 and after + timedelta(days=i) not in holidays
    )
    assert working_days(after, through, holidays) == by_day
