"""NIK (Nomor Induk Kependudukan): structure, validation, construction and masking.

16 digits = province(2) kab/kota(2) kecamatan(2) + birth date DDMMYY (day + 40 for
women) + serial(4, not 0000). The region part is where the NIK was first issued; it may
be an old (pre-pemekaran) code, so an unknown kab/kec prefix is not an error here (the
gazetteer lookup elsewhere only warns). Do not take age from the NIK: the year has two
digits and the date can differ from TGL_LHR. Sources: shared/domain/FACTS.md section 2
(Dukcapil Klaten; PyPI lokal-id 0.7.2 lokal/nik.py; PyPI idnumbers 1.22.0).

Reason codes (``NikError`` values, the keys used in quarantine files): NIK_FORMAT,
NIK_PROVINCE, NIK_KABKOTA_ZERO, NIK_KECAMATAN_ZERO, NIK_BIRTH_DATE, NIK_SERIAL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from rekam.domain.region import PROVINCE_CODES

Sex = Literal["L", "P"]

_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")
_SIX_DIGITS = re.compile(r"[0-9]{6}")
FEMALE_DAY_OFFSET = 40


class NikError(StrEnum):
    """Why a NIK is invalid. A ``str``: the value is the reason code."""

    FORMAT = "NIK_FORMAT"  # not exactly 16 ASCII digits
    PROVINCE = "NIK_PROVINCE"  # not one of the 38 province codes
    KABKOTA_ZERO = "NIK_KABKOTA_ZERO"  # kab/kota part 00
    KECAMATAN_ZERO = "NIK_KECAMATAN_ZERO"  # kecamatan part 00
    BIRTH_DATE = "NIK_BIRTH_DATE"  # DD/MM not a real date in 19yy or 20yy
    SERIAL = "NIK_SERIAL"  # serial 0000


class InvalidNik(ValueError):
    """A NIK that fails validation; ``reasons`` lists every failed check.

    The message names the reasons only, never the NIK (personal data).
    """

    def __init__(self, reasons: tuple[NikError, ...]) -> None:
        self.reasons = reasons
        super().__init__("invalid NIK: " + ", ".join(r.value for r in reasons))


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _candidates(day: int, month: int, yy: int) -> tuple[date, ...]:
    found = (_date_or_none(century + yy, month, day) for century in (1900, 2000))
    return tuple(d for d in found if d is not None)


@dataclass(frozen=True)
class NikInfo:
    """The parts of a valid NIK. ``birth_day`` is the real day (women's +40 removed)."""

    nik: str
    province: str
    kabkota: str
    kecamatan: str
    sex: Sex
    birth_day: int
    birth_month: int
    birth_yy: int
    serial: int

    def birth_date_candidates(self) -> tuple[date, ...]:
        """The real dates among 19yy and 20yy, earliest first."""
        return _candidates(self.birth_day, self.birth_month, self.birth_yy)

    def matches_birth_date(self, d: date) -> bool:
        """True when ``d`` (e.g. TGL_LHR) agrees with the NIK's day, month and yy."""
        return d in self.birth_date_candidates()


def validate_nik(s: str) -> tuple[NikError, ...]:
    """Every reason ``s`` is not a valid NIK (empty tuple = valid)."""
    if not isinstance(s, str) or not _SIXTEEN_DIGITS.fullmatch(s):
        return (NikError.FORMAT,)
    reasons: list[NikError] = []
    if s[0:2] not in PROVINCE_CODES:
        reasons.append(NikError.PROVINCE)
    if s[2:4] == "00":
        reasons.append(NikError.KABKOTA_ZERO)
    if s[4:6] == "00":
        reasons.append(NikError.KECAMATAN_ZERO)
    raw_day, month, yy = int(s[6:8]), int(s[8:10]), int(s[10:12])
    day = raw_day - FEMALE_DAY_OFFSET if raw_day > FEMALE_DAY_OFFSET else raw_day
    day_in_range = 1 <= raw_day <= 31 or 41 <= raw_day <= 71
    if not day_in_range or not _candidates(day, month, yy):
        reasons.append(NikError.BIRTH_DATE)
    if s[12:16] == "0000":
        reasons.append(NikError.SERIAL)
    return tuple(reasons)


def parse_nik(s: str) -> NikInfo:
    """Split a valid NIK into its parts; else raise ``InvalidNik`` with all reasons."""
    reasons = validate_nik(s)
    if reasons:
        raise InvalidNik(reasons)
    raw_day = int(s[6:8])
    female = raw_day > FEMALE_DAY_OFFSET
    return NikInfo(
        nik=s,
        province=s[0:2],
        kabkota=s[0:4],
        kecamatan=s[0:6],
        sex="P" if female else "L",
        birth_day=raw_day - FEMALE_DAY_OFFSET if female else raw_day,
        birth_month=int(s[8:10]),
        birth_yy=int(s[10:12]),
        serial=int(s[12:16]),
    )


def make_nik(kecamatan6: str, birth: date, sex: Sex, serial: int) -> str:
    """Build a NIK as SIAK does: kecamatan code + DDMMYY (day + 40 for women) + serial.

    ``kecamatan6`` is the plain 6-digit code ("137101"; dots are ignored). Raises
    ``ValueError`` for a bad code, sex, serial (1-9999) or a birth year outside
    1900-2099.
    """
    code = kecamatan6.replace(".", "")
    if not _SIX_DIGITS.fullmatch(code):
        raise ValueError("kecamatan code must be 6 digits")
    if sex not in ("L", "P"):
        raise ValueError("sex must be 'L' or 'P'")
    if isinstance(serial, bool) or not 1 <= serial <= 9999:
        raise ValueError("serial must be 1-9999")
    if not 1900 <= birth.year <= 2099:
        raise ValueError("birth year must be 1900-2099")
    day = birth.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


#: The digits a masked NIK or KK number keeps: the region (province, kab/kota, kecamatan),
#: which the address beside it shows anyway.
MASK_KEEP = 6


def mask_number(value: str) -> str:
    """The one masking rule for NIK and KK: ``137101**********``.

    The first 6 digits (the region) stay; the other 10 (the date part and the serial) are
    hidden. The date part follows from the birth date and sex a by-name row shows, so hiding
    it alone hides nothing; the serial is the only part that cannot be derived, and it is
    never shown. Anything that is not 16 digits is starred whole (same length).
    """
    if not _SIXTEEN_DIGITS.fullmatch(value):
        return "*" * len(value)
    return value[:MASK_KEEP] + "*" * (16 - MASK_KEEP)


def mask_nik(nik: str) -> str:
    """A NIK under the masking rule (``mask_number``): ``137101**********``."""
    return mask_number(nik)


def shows_part_of(shown: str, nik: str) -> bool:
    """True when ``shown`` is ``nik`` whole or with some of its last 10 digits starred (under
    ``mask_number``, or the mask of an earlier rekam that hid the date part only): how a
    returned workbook's NIK cell is checked."""
    return (
        len(shown) == len(nik) == 16
        and shown[:MASK_KEEP] == nik[:MASK_KEEP]
        and all(a in ("*", b) for a, b in zip(shown, nik, strict=True))
    )
