"""KK number (Nomor Kartu Keluarga): region(6) + issue date DDMMYY + serial(4).

The structure is from secondary sources only (FACTS.md section 2.1, marked ⚠️: a
Dukcapil paraphrase on agibalaja.blogspot.com; perlancar/perl-Business-ID-NKK
t/01-basic.t; PyPI nomiden 0.0.7 nomiden/kk.py). So only the format (16 digits) and the
province code are hard errors (``validate_kk``); an odd issue date or a 0000 serial is a
warning (``kk_warnings``).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from rekam.domain.nik import mask_number
from rekam.domain.region import PROVINCE_CODES

_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")
_SIX_DIGITS = re.compile(r"[0-9]{6}")


class KkError(StrEnum):
    """Why a KK number is invalid (FORMAT, PROVINCE) or doubtful (the others)."""

    FORMAT = "KK_FORMAT"  # not exactly 16 ASCII digits
    PROVINCE = "KK_PROVINCE"  # not one of the 38 province codes
    ISSUE_DATE = "KK_ISSUE_DATE"  # DDMMYY not a real date in 19yy or 20yy
    SERIAL = "KK_SERIAL"  # serial 0000


def _real_date(day: int, month: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + yy, month, day)
        except ValueError:
            continue
        return True
    return False


def validate_kk(s: str) -> tuple[KkError, ...]:
    """Hard errors only: FORMAT, or PROVINCE (empty tuple = acceptable)."""
    if not isinstance(s, str) or not _SIXTEEN_DIGITS.fullmatch(s):
        return (KkError.FORMAT,)
    if s[0:2] not in PROVINCE_CODES:
        return (KkError.PROVINCE,)
    return ()


def kk_warnings(s: str) -> tuple[KkError, ...]:
    """Soft checks: ISSUE_DATE and SERIAL (nothing to say if not 16 digits)."""
    if not isinstance(s, str) or not _SIXTEEN_DIGITS.fullmatch(s):
        return ()
    warnings: list[KkError] = []
    if not _real_date(int(s[6:8]), int(s[8:10]), int(s[10:12])):
        warnings.append(KkError.ISSUE_DATE)
    if s[12:16] == "0000":
        warnings.append(KkError.SERIAL)
    return tuple(warnings)


def make_kk(kecamatan6: str, issued: date, serial: int) -> str:
    """Build a KK number: kecamatan code + issue date DDMMYY + serial (1-9999)."""
    code = kecamatan6.replace(".", "")
    if not _SIX_DIGITS.fullmatch(code):
        raise ValueError("kecamatan code must be 6 digits")
    if isinstance(serial, bool) or not 1 <= serial <= 9999:
        raise ValueError("serial must be 1-9999")
    if not 1900 <= issued.year <= 2099:
        raise ValueError("issue year must be 1900-2099")
    return f"{code}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{serial:04d}"


def mask_kk(kk: str) -> str:
    """A KK number under the NIK's masking rule (``domain.nik.mask_number``): ``137101**********``."""
    return mask_number(kk)
