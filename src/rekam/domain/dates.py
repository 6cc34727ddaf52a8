"""Calendar arithmetic for ages: completed years, with 29 February births on 1 March.

The rule (DESIGN.md "Domain rules"): age is counted in completed years, and a
29 February birthday falls on 1 March in common years. The three functions agree::

    age_on(b, on) >= n  <=>  add_years(b, n) <= on  <=>  b <= birth_cutoff(on, n)
"""

from __future__ import annotations

from datetime import date


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def add_years(d: date, years: int) -> date:
    """The same month and day ``years`` later (or earlier).

    29 February becomes 1 March when the target year is common.
    """
    year = d.year + years
    if d.month == 2 and d.day == 29 and not _is_leap(year):
        return date(year, 3, 1)
    return d.replace(year=year)


def age_on(birth: date, on: date) -> int:
    """Completed years of age on ``on`` (negative when born after ``on``)."""
    years = on.year - birth.year
    if add_years(birth, years) > on:
        years -= 1
    return years


def birth_cutoff(on: date, years: int) -> date:
    """The latest birth date of someone at least ``years`` old on ``on``.

    ``birth <= birth_cutoff(on, n)`` exactly when ``age_on(birth, on) >= n``. When
    ``on`` is 29 February and the birth year is common, the cutoff is 28 February (a
    person born 1 March of that year has their birthday on 1 March, after ``on``).
    """
    year = on.year - years
    if on.month == 2 and on.day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return on.replace(year=year)
