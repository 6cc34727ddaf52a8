"""Wajib KTP-el, voters, pemilih pemula, akan wajib and recording age, at every boundary."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekam.domain.codes import EVER_MARRIED
from rekam.domain.dates import add_years, age_on, birth_cutoff
from rekam.domain.eligibility import (
    NIK_DEACTIVATION_AGE,
    Person,
    add_months,
    deactivated_by_cutoffs,
    deactivation_date,
    ever_married_on,
    is_akan_wajib,
    is_nonaktif,
    is_pemilih_pemula,
    is_risiko_nonaktif,
    is_voter,
    is_wajib_ktp,
    may_record,
    nik_deactivation_date,
    nonaktif_window_end,
    pemula_start,
    wajib_since,
    window_days,
)

DAY = timedelta(days=1)
AS_OF = date(2024, 6, 30)
E = date(2024, 11, 27)  # Pilkada 2024 voting day


def wni(birth: date, marital: int = 1, married_on: date | None = None) -> Person:
    return Person(birth=birth, citizenship="WNI", marital=marital, married_on=married_on)


# --- wajib KTP-el -------------------------------------------------------------------


def test_17th_birthday_on_the_as_of_date_and_the_day_after() -> None:
    birth = add_years(AS_OF, -17)
    assert is_wajib_ktp(wni(birth), AS_OF)
    assert not is_wajib_ktp(wni(birth + DAY), AS_OF)
    assert is_wajib_ktp(wni(birth + DAY), AS_OF + DAY)


def test_29_february_birth_in_a_common_year() -> None:
    p = wni(date(2008, 2, 29))
    assert not is_wajib_ktp(p, date(2025, 2, 28))
    assert is_wajib_ktp(p, date(2025, 3, 1))


def test_married_under_17() -> None:
    birth = date(2009, 1, 1)  # 15 on AS_OF
    assert is_wajib_ktp(wni(birth, marital=2), AS_OF)  # TGL_KWN unknown
    assert is_wajib_ktp(wni(birth, marital=2, married_on=AS_OF), AS_OF)
    assert is_wajib_ktp(wni(birth, marital=2, married_on=AS_OF - DAY), AS_OF)
    assert not is_wajib_ktp(wni(birth, marital=2, married_on=AS_OF + DAY), AS_OF)


@pytest.mark.parametrize("marital", [3, 4])
def test_divorced_or_widowed_under_17(marital: int) -> None:
    birth = date(2009, 1, 1)
    assert is_wajib_ktp(wni(birth, marital=marital), AS_OF)
    late = wni(birth, marital=marital, married_on=date(2025, 1, 1))
    assert not is_wajib_ktp(late, AS_OF)
    assert is_wajib_ktp(late, date(2025, 1, 1))


def test_never_married_under_17_ignores_married_on() -> None:
    assert not is_wajib_ktp(wni(date(2009, 1, 1), marital=1, married_on=date(2020, 1, 1)), AS_OF)


def test_ever_married_on() -> None:
    assert ever_married_on(wni(date(2000, 1, 1), marital=2), date(1900, 1, 1))  # no TGL_KWN
    assert not ever_married_on(wni(date(2000, 1, 1), marital=1), AS_OF)
    p = wni(date(2000, 1, 1), marital=3, married_on=date(2020, 5, 5))
    assert ever_married_on(p, date(2020, 5, 5))
    assert not ever_married_on(p, date(2020, 5, 4))


@pytest.mark.parametrize(
    ("citizenship", "permit", "wajib"),
    [
        ("WNI", None, True),
        ("WNI", "ITAS", True),
        ("WNA", "ITAP", True),
        ("WNA", "ITAS", False),
        ("WNA", None, False),
    ],
)
def test_citizenship_and_stay_permit(citizenship: str, permit: str | None, wajib: bool) -> None:
    adult = Person(date(1990, 1, 1), citizenship, permit)  # type: ignore[arg-type]
    assert is_wajib_ktp(adult, AS_OF) == wajib
    assert may_record(adult, AS_OF) == wajib
    married_child = Person(date(2010, 1, 1), citizenship, permit, 2)  # type: ignore[arg-type]
    assert is_wajib_ktp(married_child, AS_OF) == wajib


def test_born_after_the_as_of_date() -> None:
    unborn = wni(AS_OF + DAY, marital=2)  # nonsense data: married and not yet born
    assert not is_wajib_ktp(unborn, AS_OF)
    assert not may_record(unborn, AS_OF)
    assert not is_voter(unborn, AS_OF)


def test_person_validates() -> None:
    with pytest.raises(ValueError):
        Person(date(2000, 1, 1), marital=5)
    with pytest.raises(ValueError):
        Person(date(2000, 1, 1), citizenship="XX")  # type: ignore[arg-type]


# --- voters and pemilih pemula --------------------------------------------------------


def test_voter() -> None:
    assert is_voter(wni(date(2007, 11, 27)), E)
    assert not is_voter(wni(date(2007, 11, 28)), E)
    assert is_voter(wni(date(2008, 6, 1), marital=2), E)
    assert not is_voter(wni(date(2008, 6, 1), marital=2, married_on=E + DAY), E)
    assert not is_voter(Person(date(1990, 1, 1), "WNA", "ITAP"), E)


def test_pemilih_pemula_window_ends() -> None:
    e_minus_17 = add_years(E, -17)
    e_minus_18 = add_years(E, -18)
    assert e_minus_17 == date(2007, 11, 27)  # Pilkada 2024: born on or before 27 Nov 2007
    assert is_pemilih_pemula(wni(e_minus_17), E)
    assert not is_pemilih_pemula(wni(e_minus_17 + DAY), E)
    assert not is_pemilih_pemula(wni(e_minus_18), E)
    assert is_pemilih_pemula(wni(e_minus_18 + DAY), E)


def test_pemilih_pemula_window_of_5_years() -> None:
    e_minus_22 = add_years(E, -22)
    assert is_pemilih_pemula(wni(e_minus_22 + DAY), E, window=5)
    assert not is_pemilih_pemula(wni(e_minus_22), E, window=5)
    assert is_pemilih_pemula(wni(add_years(E, -19)), E, window=5)
    assert not is_pemilih_pemula(wni(add_years(E, -19)), E)


def test_pemilih_pemula_only_wni_and_window_positive() -> None:
    assert not is_pemilih_pemula(Person(add_years(E, -17), "WNA", "ITAP"), E)
    with pytest.raises(ValueError):
        is_pemilih_pemula(wni(add_years(E, -17)), E, window=0)


def test_pemilih_pemula_election_on_29_february() -> None:
    e = date(2024, 2, 29)
    assert is_pemilih_pemula(wni(date(2007, 2, 28)), e)
    assert not is_pemilih_pemula(wni(date(2007, 3, 1)), e)  # 17 on 1 March
    assert is_pemilih_pemula(wni(date(2007, 3, 1)), date(2024, 3, 1))


# --- akan wajib, recording age, deactivation ------------------------------------------


def test_akan_wajib() -> None:
    assert is_akan_wajib(wni(date(2007, 11, 27)), AS_OF, E)
    assert not is_akan_wajib(wni(date(2007, 11, 28)), AS_OF, E)
    assert not is_akan_wajib(wni(add_years(AS_OF, -17)), AS_OF, E)  # already wajib
    late_marriage = wni(date(2009, 1, 1), marital=2, married_on=date(2024, 9, 1))
    assert is_akan_wajib(late_marriage, AS_OF, E)


def test_may_record_from_16() -> None:
    birth = add_years(AS_OF, -16)
    assert may_record(wni(birth), AS_OF)
    assert not may_record(wni(birth + DAY), AS_OF)
    assert may_record(wni(birth + DAY, marital=2), AS_OF)  # married: already wajib
    assert not may_record(Person(birth, "WNA", "ITAS"), AS_OF)


def test_nik_deactivation() -> None:
    assert NIK_DEACTIVATION_AGE == 22
    assert nik_deactivation_date(date(2002, 5, 1)) == date(2024, 5, 1)
    assert nik_deactivation_date(date(2004, 2, 29)) == date(2026, 3, 1)


# --- properties -----------------------------------------------------------------------

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
people = st.builds(
    Person,
    birth=dates,
    citizenship=st.sampled_from(["WNI", "WNA"]),
    stay_permit=st.sampled_from([None, "ITAP", "ITAS"]),
    marital=st.integers(1, 4),
    married_on=st.none() | dates,
)


@given(p=people, on=dates)
def test_wajib_definition(p: Person, on: date) -> None:
    holder = p.citizenship == "WNI" or p.stay_permit == "ITAP"
    expected = (
        holder
        and p.birth <= on
        and (p.birth <= birth_cutoff(on, 17) or (p.marital != 1 and (p.married_on is None or p.married_on <= on)))
    )
    assert is_wajib_ktp(p, on) == expected


@given(p=people, on=dates, later=st.integers(0, 30000))
def test_wajib_never_ends(p: Person, on: date, later: int) -> None:
    if is_wajib_ktp(p, on) and on + timedelta(days=later) <= date(2100, 12, 31):
        assert is_wajib_ktp(p, on + timedelta(days=later))


@given(p=people, on=dates)
def test_wajib_implies_may_record(p: Person, on: date) -> None:
    if is_wajib_ktp(p, on):
        assert may_record(p, on)


@given(p=people, e=dates, window=st.integers(1, 10))
def test_pemula_is_a_voter_on_e_not_on_the_window_start(p: Person, e: date, window: int) -> None:
    pemula = is_pemilih_pemula(p, e, window)
    start = add_years(e, -window)
    dated = p.birth <= start and p.marital in EVER_MARRIED and p.married_on is not None and p.married_on <= start
    if pemula:
        assert p.citizenship == "WNI"
        assert is_voter(p, e)
        assert age_on(p.birth, start) < 17 and not dated
    elif is_voter(p, e):
        # a voter on E but not a pemula: already a voter at the window start
        assert age_on(p.birth, start) >= 17 or dated


def test_married_under_17_is_pemula_and_a_window_may_be_a_date() -> None:
    # FACTS section 1: born 1 May 2008, married 1 Jun 2024 votes on 27 Nov 2024 for the first time.
    married = Person(date(2008, 5, 1), marital=2, married_on=date(2024, 6, 1))
    assert is_voter(married, date(2024, 11, 27)) and is_pemilih_pemula(married, date(2024, 11, 27))
    # Pemilu 14 Feb 2024 -> Pilkada 27 Nov 2024: 17 on 14 Feb voted then; 17 on the 15th did not.
    pilkada, pemilu = date(2024, 11, 27), date(2024, 2, 14)
    assert not is_pemilih_pemula(wni(date(2007, 2, 14)), pilkada, pemilu)
    assert is_pemilih_pemula(wni(date(2007, 2, 15)), pilkada, pemilu)
    assert not is_pemilih_pemula(Person(date(2008, 5, 1), marital=2, married_on=date(2024, 1, 1)), pilkada, pemilu)
    # an undated marriage never makes anyone a voter at the window's start
    assert is_pemilih_pemula(Person(date(2008, 5, 1), marital=2), pilkada, pemilu)
    assert pemula_start(pilkada, 1) == date(2023, 11, 27)
    assert window_days(10, pilkada) == date(2024, 11, 17)
    with pytest.raises(ValueError):
        pemula_start(pilkada, pilkada)


def test_deactivation_five_years_after_becoming_wajib() -> None:
    assert deactivation_date(wni(date(2002, 5, 1))) == date(2024, 5, 1)
    married15 = Person(date(2009, 3, 1), marital=2, married_on=date(2024, 6, 1))
    assert wajib_since(married15) == date(2024, 6, 1)
    assert deactivation_date(married15) == date(2029, 6, 1)
    assert wajib_since(Person(date(2009, 3, 1), marital=2)) == date(2026, 3, 1)  # undated: 17th birthday
    assert wajib_since(Person(date(2000, 3, 1), marital=2, married_on=date(2020, 1, 1))) == date(2017, 3, 1)
    as_of = date(2024, 11, 13)
    assert is_risiko_nonaktif(wni(date(2002, 11, 14)), as_of)  # 21, 22 tomorrow
    assert is_risiko_nonaktif(wni(date(2003, 11, 13)), as_of)  # 22 on the window's last day
    assert not is_risiko_nonaktif(wni(date(2003, 11, 14)), as_of)
    assert is_nonaktif(wni(date(2002, 11, 13)), as_of) and not is_risiko_nonaktif(wni(date(2002, 11, 13)), as_of)
    assert is_nonaktif(wni(date(1964, 1, 1)), as_of)  # 60: long past, a SIAK follow-up
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert nonaktif_window_end(as_of) == date(2025, 11, 13)


@given(p=people, on=dates)
def test_deactivation_cutoffs_agree(p: Person, on: date) -> None:
    born, married = deactivated_by_cutoffs(on)
    dated = p.marital in EVER_MARRIED and p.married_on is not None and p.married_on <= married
    assert (deactivation_date(p) <= on) == (p.birth <= born or dated)


@given(p=people, as_of=dates, e=dates)
def test_akan_wajib_definition(p: Person, as_of: date, e: date) -> None:
    akan = is_akan_wajib(p, as_of, e)
    assert akan == (not is_wajib_ktp(p, as_of) and is_wajib_ktp(p, e))
    if akan:
        assert as_of < e


def test_recorded_under_age_allows_marriage_and_leaves_before_birth_apart() -> None:
    from rekam.domain.eligibility import recorded_under_age

    born = date(2008, 5, 1)
    assert recorded_under_age(Person(born), date(2024, 4, 30))
    assert not recorded_under_age(Person(born), date(2024, 5, 1))  # 16th birthday
    assert not recorded_under_age(Person(born), date(2008, 4, 30))  # before birth: its own case
    assert not recorded_under_age(Person(born, marital=2, married_on=date(2023, 6, 1)), date(2023, 7, 1))
    assert not recorded_under_age(Person(born, marital=2), date(2023, 7, 1))  # TGL_KWN unknown
    assert recorded_under_age(Person(born, marital=2, married_on=date(2023, 8, 1)), date(2023, 7, 1))
