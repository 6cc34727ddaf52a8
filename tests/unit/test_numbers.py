"""Numbers and days read as their reader reads them: Indonesian by default, English on request,
the same in the CLI, the pages and the files (one module, Babel's CLDR data)."""

from __future__ import annotations

from datetime import date

import pytest

from rekam import numbers


@pytest.mark.parametrize(
    ("lang", "integer", "decimal", "percent", "day"),
    [
        ("id", "1.234.567", "1.234,57", "99,40 %", "27-11-2024"),
        ("en", "1,234,567", "1,234.57", "99.40 %", "27 Nov 2024"),
    ],
)
def test_each_language_writes_numbers_its_own_way(lang, integer, decimal, percent, day):
    assert numbers.integer(1234567, lang) == numbers.number(1234567, lang) == integer
    assert numbers.decimal(1234.567, lang) == numbers.number(1234.567, lang) == decimal
    assert numbers.percent(99.4, lang) == percent
    assert numbers.day(date(2024, 11, 27), lang) == day


def test_no_value_is_an_empty_cell_or_a_dash():
    assert numbers.number(None) == "" and numbers.day(None) == "" and numbers.percent(None) == "–"


def test_rounding_is_pythons_own():
    """The float's exact value decides, as in f"{x:.2f}": a figure reads the same everywhere."""
    for value in (0.125, 0.375, 97.745, 2.675, -3.335, 99.995, 1234.565, 0.005):
        assert numbers.decimal(value, "en", grouped=False) == f"{value:.2f}"
    assert numbers.integer(2.5, "en") == "2" and numbers.integer(3.5, "en") == "4"


def test_the_users_language_is_the_default(monkeypatch):
    monkeypatch.setattr("rekam.messages.language", lambda: "en")
    assert numbers.integer(58271) == "58,271"
    monkeypatch.setattr("rekam.messages.language", lambda: "id")
    assert numbers.integer(58271) == "58.271" and numbers.percent(97.7412) == "97,74 %"


def test_a_figure_keeps_only_the_decimals_it_has():
    assert numbers.figure(12.0, "id") == "12" and numbers.figure(12.5, "id") == "12,5"
    assert numbers.figure(1234.25, "en") == "1,234.25"


def test_a_charts_day_has_the_months_short_name_in_the_language():
    from datetime import date

    assert numbers.month_day(date(2024, 8, 1), "id") == "1 Agu 2024"
    assert numbers.month_day(date(2024, 12, 27), "id") == "27 Des 2024"
    assert numbers.month_day(date(2024, 8, 1), "en") == "1 Aug 2024"
