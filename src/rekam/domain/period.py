"""Evaluation periods: a named period as its first and last day, the default period, and the
working days left to a deadline.

A period is named as the offices name it: ``2024`` (a year), ``2024-S2`` (a semester:
S1 = 1 January - 30 June, S2 = 1 July - 31 December), ``2024-Q4`` (a quarter) or ``2024-11``
(a month). Dukcapil publishes its population data (Data Kependudukan Bersih, DKB) per
semester, so when the user names no period the evaluation period is the semester that holds
the as-of date (``semester_of``).

>>> parse_period("2024-S2")
Period(name='2024-S2', start=datetime.date(2024, 7, 1), end=datetime.date(2024, 12, 31))
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

_NAME = re.compile(r"(\d{4})(?:-(?:([SQ])(\d)|(\d{2})))?", re.ASCII)


class InvalidPeriod(ValueError):
    """A period name that is not a year, semester, quarter or month (``2024-S3``, ``2024-13``)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"not a period: {name!r} (use 2024, 2024-S2, 2024-Q4 or 2024-11)")
        self.name = name


@dataclass(frozen=True)
class Period:
    """A named period from ``start`` to ``end``, both days included."""

    name: str
    start: date
    end: date


def _months(name: str, year: int, first: int, count: int) -> Period:
    """The period of ``count`` months from month ``first`` of ``year``."""
    after = first + count
    next_start = date(year + 1, 1, 1) if after > 12 else date(year, after, 1)
    return Period(name, date(year, first, 1), next_start - timedelta(days=1))


def parse_period(name: str) -> Period:
    """``2024``, ``2024-S1``/``2024-S2``, ``2024-Q1`` .. ``2024-Q4`` or ``2024-01`` .. ``2024-12``
    (the letters in either case) as a ``Period``; anything else raises ``InvalidPeriod``."""
    match = _NAME.fullmatch(name.strip().upper())
    if match is None:
        raise InvalidPeriod(name)
    year_text, kind, number, month = match.groups()
    year = int(year_text)
    if year < 1 or year > 9998:
        raise InvalidPeriod(name)
    if kind == "S" and number in ("1", "2"):
        return _months(f"{year:04d}-S{number}", year, 1 + 6 * (int(number) - 1), 6)
    if kind == "Q" and number in ("1", "2", "3", "4"):
        return _months(f"{year:04d}-Q{number}", year, 1 + 3 * (int(number) - 1), 3)
    if month is not None and 1 <= int(month) <= 12:
        return _months(f"{year:04d}-{month}", year, int(month), 1)
    if kind is None and month is None:
        return _months(f"{year:04d}", year, 1, 12)
    raise InvalidPeriod(name)


def semester_of(day: date) -> Period:
    """The semester (DKB's period) that holds ``day``: the default evaluation period."""
    return parse_period(f"{day.year:04d}-S{1 if day.month <= 6 else 2}")


def working_days(after: date, through: date, holidays: Collection[date] = ()) -> int:
    """The days Monday to Friday in (``after``, ``through``], less the ``holidays`` among them:
    the working days left after the as-of date up to the deadline, the deadline included. Public
    holidays are only those given (no calendar is built in)."""
    if through <= after:
        return 0
    weeks, rest = divmod((through - after).days, 7)
    first = after.weekday() + 1  # the weekday of the day after ``after``
    weekdays = 5 * weeks + sum(1 for i in range(rest) if (first + i) % 7 < 5)
    return weekdays - sum(1 for day in set(holidays) if after < day <= through and day.weekday() < 5)
