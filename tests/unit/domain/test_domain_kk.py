"""KK numbers: only format and province are hard errors; date and serial are warnings."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekam.domain.kk import KkError, kk_warnings, make_kk, mask_kk, validate_kk
from rekam.domain.nik import mask_nik
from rekam.domain.region import PROVINCE_CODES


def test_valid_kk() -> None:
    # perlancar/perl-Business-ID-NKK t/01-basic.t: "32 7300 010101 0001" -> 2001-01-01
    assert validate_kk("3273000101010001") == ()
    assert kk_warnings("3273000101010001") == ()


@pytest.mark.parametrize("bad", ["", "327300010101000", "32730001010100011", "3273-00010101001"])
def test_format_is_an_error(bad: str) -> None:
    assert validate_kk(bad) == (KkError.FORMAT,)
    assert kk_warnings(bad) == ()


def test_province_is_an_error() -> None:
    assert validate_kk("9973000101010001") == (KkError.PROVINCE,)
    assert validate_kk("0973000101010001") == (KkError.PROVINCE,)


def test_issue_date_and_serial_are_warnings_only() -> None:
    # perl-Business-ID-NKK: "...320180..." is an invalid date
    kk = "3273003201800000"
    assert validate_kk(kk) == ()
    assert kk_warnings(kk) == (KkError.ISSUE_DATE, KkError.SERIAL)
    assert kk_warnings("3273002902010001") == (KkError.ISSUE_DATE,)  # no 29 Feb 1901/2001
    assert kk_warnings("3273002902040001") == ()


def test_reason_codes() -> None:
    assert [e.value for e in KkError] == ["KK_FORMAT", "KK_PROVINCE", "KK_ISSUE_DATE", "KK_SERIAL"]


def test_make_kk() -> None:
    assert make_kk("137101", date(2019, 12, 3), 42) == "1371010312190042"
    with pytest.raises(ValueError):
        make_kk("1371", date(2019, 12, 3), 1)
    with pytest.raises(ValueError):
        make_kk("137101", date(2019, 12, 3), 0)


@given(
    prov=st.sampled_from(sorted(PROVINCE_CODES)),
    rest=st.integers(min_value=101, max_value=9999).map(lambda n: f"{n:04d}"),
    issued=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_made_kk_is_clean(prov: str, rest: str, issued: date, serial: int) -> None:
    kk = make_kk(prov + rest, issued, serial)
    assert validate_kk(kk) == ()
    assert kk_warnings(kk) == ()
    assert kk[6:12] == issued.strftime("%d%m%y")


def test_the_kk_is_masked_under_the_nik_rule() -> None:
    """One masking rule for NIK and KK (issue #13): the region stays, the rest is hidden."""
    assert mask_kk("1371010101090001") == "137101**********" == mask_nik("1371010101900001")
    assert mask_kk("1371-0101") == "*" * 9 and mask_kk("") == ""
