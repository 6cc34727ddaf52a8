"""Who must hold a KTP-el (wajib KTP-el), who votes for the first time, who may record.

Rules (UU 24/2013 Pasal 63(1); UU 1/2015 Pasal 56(1); Permendagri 95/2019 Pasal 96;
see FACTS.md section 1 and DESIGN.md "Domain rules"):

- wajib KTP-el: a WNI, or a WNA with ITAP, who is 17 or older or is or has been married.
- voter on election day E: a WNI who is 17 on E or is or has been married by E.
- pemilih pemula for E with a window starting on S: a voter on E who was not a voter on S
  (the 17th birthday or a dated marriage after S); S is a date (e.g. the previous election) or
  E minus a length in years or days. An undated marriage never makes someone a voter on S.
- recording is allowed from 16 (and for anyone already wajib, e.g. married younger).
- wajib since: the 17th birthday, or the marriage date when married younger (an undated
  marriage gives no date: the 17th birthday is used). Permendagri 95/2019 Pasal 96: a NIK not
  recorded 5 years after becoming wajib is (temporarily) deactivated: the deactivation date.

Being alive and resident is the register's business, not checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from rekam.domain.codes import EVER_MARRIED
from rekam.domain.dates import add_years, age_on, birth_cutoff

Citizenship = Literal["WNI", "WNA"]

WAJIB_AGE = 17
RECORDING_AGE = 16
NIK_DEACTIVATION_AGE = 22
NIK_DEACTIVATION_YEARS = 5
NONAKTIF_WINDOW_MONTHS = 12


@dataclass(frozen=True)
class Person:
    """The facts eligibility depends on.

    ``marital`` is the STAT_KWN code (1 belum kawin, 2 kawin, 3 cerai hidup,
    4 cerai mati); ``married_on`` is TGL_KWN when known. ``stay_permit`` is "ITAP",
    "ITAS" or None.
    """

    birth: date
    citizenship: Citizenship = "WNI"
    stay_permit: str | None = None
    marital: int = 1
    married_on: date | None = None

    def __post_init__(self) -> None:
        if self.citizenship not in ("WNI", "WNA"):
            raise ValueError("citizenship must be 'WNI' or 'WNA'")
        if self.marital not in (1, 2, 3, 4):
            raise ValueError("marital must be a STAT_KWN code 1-4")


def may_hold_ktp(p: Person) -> bool:
    """A WNI, or a WNA with a permanent stay permit (ITAP)."""
    return p.citizenship == "WNI" or p.stay_permit == "ITAP"


def ever_married_on(p: Person, on: date) -> bool:
    """Married, divorced or widowed by ``on``.

    Without TGL_KWN the current marital status is taken to hold on every date.
    """
    return p.marital in EVER_MARRIED and (p.married_on is None or p.married_on <= on)


def is_wajib_ktp(p: Person, on: date) -> bool:
    """Must hold a KTP-el on ``on``: WNI or ITAP, born, and 17+ or ever married."""
    return may_hold_ktp(p) and p.birth <= on and (age_on(p.birth, on) >= WAJIB_AGE or ever_married_on(p, on))


def is_voter(p: Person, election_day: date) -> bool:
    """May vote on ``election_day``: a WNI aged 17 then, or ever married by then."""
    return (
        p.citizenship == "WNI"
        and p.birth <= election_day
        and (age_on(p.birth, election_day) >= WAJIB_AGE or ever_married_on(p, election_day))
    )


PemulaWindow = int | date
"""The pemula window: a length in whole years (int) or its start date (e.g. the previous election)."""


def pemula_start(election_day: date, window: PemulaWindow) -> date:
    """The start S of the pemula window: ``window`` itself when a date, else E - window years."""
    if isinstance(window, date):
        if window >= election_day:
            raise ValueError("the pemula window must start before election day")
        return window
    if window < 1:
        raise ValueError("window_years must be at least 1")
    return add_years(election_day, -window)


def window_days(days: int, election_day: date) -> date:
    """The start of a pemula window ``days`` long ending on ``election_day``."""
    if days < 1:
        raise ValueError("the pemula window must be at least 1 day")
    return date.fromordinal(election_day.toordinal() - days)


def _voter_on_start(p: Person, start: date) -> bool:
    """A voter on the window's start: 17 then, or married on a known date by then."""
    dated_marriage = p.marital in EVER_MARRIED and p.married_on is not None and p.married_on <= start
    return p.birth <= start and (age_on(p.birth, start) >= WAJIB_AGE or dated_marriage)


def is_pemilih_pemula(p: Person, election_day: date, window: PemulaWindow = 1) -> bool:
    """A voter on ``election_day`` who was not a voter on the window's start S (17th birthday
    or a dated marriage in (S, E]); an undated marriage does not make anyone a voter on S."""
    start = pemula_start(election_day, window)
    return is_voter(p, election_day) and not _voter_on_start(p, start)


def is_akan_wajib(p: Person, as_of: date, election_day: date) -> bool:
    """Not wajib KTP-el on ``as_of`` but wajib by ``election_day``."""
    return not is_wajib_ktp(p, as_of) and is_wajib_ktp(p, election_day)


def may_record(p: Person, on: date) -> bool:
    """May record biometrics on ``on``: WNI or ITAP, and 16+ or already wajib."""
    return is_wajib_ktp(p, on) or (may_hold_ktp(p) and p.birth <= on and age_on(p.birth, on) >= RECORDING_AGE)


def recorded_under_age(p: Person, recorded_on: date) -> bool:
    """A recording on ``recorded_on`` made before it was allowed: after birth (recorded before
    birth is its own data-quality case), before the 16th birthday and not married by then (a
    married 15-year-old is wajib and records lawfully). Import warning REKAM_BEFORE_16."""
    return (
        p.birth <= recorded_on and age_on(p.birth, recorded_on) < RECORDING_AGE and not ever_married_on(p, recorded_on)
    )


def wajib_since(p: Person) -> date:
    """The day ``p`` became (or becomes) wajib by age or marriage: the 17th birthday, or the
    marriage date when earlier. An undated marriage gives no date: the 17th birthday is used.
    Citizenship is not checked (see ``is_wajib_ktp``)."""
    seventeenth = add_years(p.birth, WAJIB_AGE)
    if p.marital in EVER_MARRIED and p.married_on is not None and p.married_on < seventeenth:
        return p.married_on
    return seventeenth


def deactivation_date(p: Person) -> date:
    """Five years after becoming wajib (Permendagri 95/2019 Pasal 96): a NIK not recorded by
    then is (temporarily) deactivated. The 22nd birthday unless married younger."""
    return add_years(wajib_since(p), NIK_DEACTIVATION_YEARS)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def nonaktif_window_end(as_of: date, months: int = NONAKTIF_WINDOW_MONTHS) -> date:
    """The last day of the risiko-nonaktif window after ``as_of``."""
    return add_months(as_of, months)


def is_nonaktif(p: Person, as_of: date) -> bool:
    """Wajib on ``as_of`` and its deactivation date is on or before it (recording not checked)."""
    return is_wajib_ktp(p, as_of) and deactivation_date(p) <= as_of


def is_risiko_nonaktif(p: Person, as_of: date, months: int = NONAKTIF_WINDOW_MONTHS) -> bool:
    """Wajib on ``as_of``, deactivation date in (as_of, as_of + months] (recording not checked)."""
    return is_wajib_ktp(p, as_of) and as_of < deactivation_date(p) <= nonaktif_window_end(as_of, months)


def deactivated_by_cutoffs(on: date) -> tuple[date, date]:
    """``deactivation_date(p) <= on`` exactly when ``birth <= first`` or a dated marriage
    ``married_on <= second`` (for SQL: cutoffs, never date arithmetic per row)."""
    return birth_cutoff(on, NIK_DEACTIVATION_AGE), birth_cutoff(on, NIK_DEACTIVATION_YEARS)


def nik_deactivation_date(birth: date) -> date:
    """The 22nd birthday: the deactivation date of someone not married before 17."""
    return add_years(birth, NIK_DEACTIVATION_AGE)
