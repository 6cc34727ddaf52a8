"""Numbers and dates as a reader reads them, in the user's language, from Babel (CLDR data).

One place for the CLI, the pages and the files (workbooks, PDFs) wherever a number is text:

    =========  ==============  ==============
    what       id (default)    en
    =========  ==============  ==============
    integer    1.234.567       1,234,567
    decimal    97,74           97.74
    figure     12,5            12.5
    percent    99,40 %         99.40 %
    day        27-11-2024      27 Nov 2024
    month_day  27 Nov 2024     27 Nov 2024   (charts: Agu, Okt, Des in Indonesian)
    =========  ==============  ==============

Machine outputs (CSV and JSON figures, ISO dates in file names) are not formatted here: they
keep Python's own ``1234.5`` and ``2024-11-27``. ``lang`` is ``"id"`` or ``"en"``; ``None``
means the user's language (``rekam.messages.language()``, ``REKAM_LANG``). Rounding is that
of Python's ``f"{x:.2f}"`` (the float's exact value, ties to even), so a figure reads the same
in a table, on a page and in a workbook.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

#: rekam's language -> Babel locale.
LOCALES = {"id": "id_ID", "en": "en_US"}
#: How a day is written: SIAK's and Indonesian offices' own form; an unambiguous one in English.
DAY_PATTERNS = {"id": "dd-MM-yyyy", "en": "d MMM y"}


def _locale(lang: str | None) -> str:
    if lang is None:
        from rekam.messages import language

        lang = language()
    return LOCALES.get(lang, LOCALES["id"])


def _exact(value: int | float | Decimal) -> Decimal | int:
    """A float as its exact binary value, so Babel rounds it as Python's format does."""
    return Decimal(value) if isinstance(value, float) else value


def integer(value: int | float, lang: str | None = None) -> str:
    """1.234.567 (id) or 1,234,567 (en): a count, a float rounded to a whole number."""
    return format_decimal(_exact(value), format="#,##0", locale=_locale(lang))


def decimal(value: int | float | Decimal, lang: str | None = None, places: int = 2, grouped: bool = True) -> str:
    """97,74 (id) or 97.74 (en), with ``places`` decimals and thousands grouped (1.234,5)."""
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
    return format_decimal(_exact(value), format=pattern, locale=_locale(lang))


def number(value: int | float | None, lang: str | None = None) -> str:
    """An int as :func:`integer`, a float with 2 decimals; an empty string for None."""
    if value is None:
        return ""
    if isinstance(value, int):
        return integer(value, lang)
    return decimal(value, lang)


def figure(value: int | float, lang: str | None = None) -> str:
    """A figure with as many decimals as it has, up to 3: 12, 12,5 (id) or 12.5 (en)."""
    return format_decimal(_exact(value), format="#,##0.###", locale=_locale(lang))


def percent(value: int | float | Decimal | None, lang: str | None = None, places: int = 2) -> str:
    """A percentage given in percent (0-100): 99,40 % (id) or 99.40 % (en); a dash for None
    (no one to count)."""
    if value is None:
        return "–"
    return decimal(value, lang, places, grouped=False) + " %"


def day(value: date | None, lang: str | None = None) -> str:
    """27-11-2024 (id) or 27 Nov 2024 (en); an empty string for None."""
    if value is None:
        return ""
    locale = _locale(lang)
    return format_date(value, format=DAY_PATTERNS["en" if locale.startswith("en") else "id"], locale=locale)


def month_day(value: date, lang: str | None = None) -> str:
    """27 Nov 2024, with the month's short name in the language (Agu, Des in Indonesian): the
    charts' dates, where 27-11-2024 would crowd the axis."""
    return format_date(value, format="d MMM y", locale=_locale(lang))


#: Indonesia's three time zones by their usual names (a zone not listed shows its UTC offset).
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def local_time(value: datetime | None, zone: str = "Asia/Jakarta", lang: str | None = None) -> str:
    """An instant at a place: "27-11-2024 10.32 WIB" (id) or "27 Nov 2024 10:32 WIB" (en), in
    the place's time zone (``zone``, an IANA name); an empty string for None."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    here = value.astimezone(ZoneInfo(zone))
    clock = here.strftime("%H.%M" if not _locale(lang).startswith("en") else "%H:%M")
    return f"{day(here.date(), lang)} {clock} {ZONE_NAMES.get(zone) or here.strftime('UTC%z')}"
