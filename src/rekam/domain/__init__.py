"""rekam's domain rules, pure: dates and ages, NIK, KK, region codes, SIAK code lists,
KTP-el recording statuses, eligibility (wajib KTP-el, pemilih pemula) and evaluation periods.

Standard library only: no I/O, no engine, no imports from other rekam packages.
"""

from rekam.domain.codes import lookup, normalise_label
from rekam.domain.dates import add_years, age_on, birth_cutoff
from rekam.domain.eligibility import (
    NIK_DEACTIVATION_AGE,
    Person,
    ever_married_on,
    is_akan_wajib,
    is_pemilih_pemula,
    is_voter,
    is_wajib_ktp,
    may_record,
)
from rekam.domain.kk import KkError, kk_warnings, make_kk, mask_kk, validate_kk
from rekam.domain.nik import (
    InvalidNik,
    NikError,
    NikInfo,
    make_nik,
    mask_nik,
    mask_number,
    parse_nik,
    validate_nik,
)
from rekam.domain.period import InvalidPeriod, Period, parse_period, semester_of, working_days
from rekam.domain.recording import (
    RecordingState,
    StatusInfo,
    classify_status,
    is_recorded,
)
from rekam.domain.region import InvalidRegionCode, RegionCode, parse_region, region_int

__all__ = [
    "NIK_DEACTIVATION_AGE",
    "InvalidNik",
    "InvalidPeriod",
    "InvalidRegionCode",
    "KkError",
    "NikError",
    "NikInfo",
    "Period",
    "Person",
    "RecordingState",
    "RegionCode",
    "StatusInfo",
    "add_years",
    "age_on",
    "birth_cutoff",
    "classify_status",
    "ever_married_on",
    "is_akan_wajib",
    "is_pemilih_pemula",
    "is_recorded",
    "is_voter",
    "is_wajib_ktp",
    "kk_warnings",
    "lookup",
    "make_kk",
    "make_nik",
    "mask_kk",
    "mask_nik",
    "mask_number",
    "may_record",
    "normalise_label",
    "parse_nik",
    "parse_period",
    "parse_region",
    "region_int",
    "semester_of",
    "validate_kk",
    "validate_nik",
    "working_days",
]
