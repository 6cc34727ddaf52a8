"""Who must hold a KTP-el (wajib KTP-el), who votes for the first time, who may record.

Rules (UU 24/2013 Pasal 63(1); UU 1/2015 Pasal 56(1); Permendagri 95/2019 Pasal 96;
see FACTS.md section 1 and DESIGN.md "Domain rules"):

- wajib KTP-el: a WNI, or a WNA with ITAP, who is 17 or older or is or has been married.
- voter on election day E: a WNI who is 17 on E or is or has been married by E.
- pemilih pemula for E: a WNI whose 17th birthday falls in (E - window, E].
- recording is allowed from 16 (and for anyone already wajib, e.g. married younger).
- a NIK not recorded by 22 is deactivated.

Being alive and resident is the register's business, not checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from rekam.domain.codes import EVER_MARRIED
from rekam.domain.dates import add_years, age_on

Citizenship = Literal["WNI", "WNA"]

WAJIB_AGE = 17
RECORDING_AGE = 16
NIK_DEACTIVATION_AGE = 22


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


def is_pemilih_pemula(p: Person, election_day: date, window_years: int = 1) -> bool:
    """A WNI whose 17th birthday is in (election_day - window_years, election_day]."""
    if window_years < 1:
        raise ValueError("window_years must be at least 1")
    seventeenth = add_years(p.birth, WAJIB_AGE)
    start = add_years(election_day, -window_years)
    return p.citizenship == "WNI" and start < seventeenth <= election_day


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


def nik_deactivation_date(birth: date) -> date:
    """The 22nd birthday: a NIK still not recorded then is deactivated."""
    return add_years(birth, NIK_DEACTIVATION_AGE)
