"""Kemendagri region codes: dotted and plain forms, levels, hierarchy."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekam.domain.region import (
    PROVINCE_CODES,
    InvalidRegionCode,
    RegionCode,
    parse_region,
    region_int,
)


@pytest.mark.parametrize(
    ("text", "level", "dotted", "plain"),
    [
        ("13", "prov", "13", "13"),
        ("13.71", "kab", "13.71", "1371"),
        ("1371", "kab", "13.71", "1371"),
        ("13.71.01", "kec", "13.71.01", "137101"),
        ("137101", "kec", "13.71.01", "137101"),
        ("13.71.01.1001", "desa", "13.71.01.1001", "1371011001"),
        ("1371011001", "desa", "13.71.01.1001", "1371011001"),
        (" 13.71 ", "kab", "13.71", "1371"),
        ("13.1.2", "kec", "13.01.02", "130102"),
    ],
)
def test_parse(text: str, level: str, dotted: str, plain: str) -> None:
    code = parse_region(text)
    assert code.level == level
    assert code.dotted == dotted == str(code)
    assert code.plain == plain


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "1",
        "137",
        "13710",
        "1371011",
        "13710110011",
        "13.71.01.1001.1",
        "13..01",
        "13.71.",
        "99.01",
        "97",
        "00",
        "13.00",
        "1300",
        "13.71.00",
        "13.71.01.0000",
        "13.71.01.0101",
        "13.711",
        "13.71.01.10011",
        "ab",
        "13-71",
        "13.7a",
    ],
)
def test_parse_rejects(bad: str) -> None:
    with pytest.raises(InvalidRegionCode):
        parse_region(bad)
    assert issubclass(InvalidRegionCode, ValueError)


def test_from_parts_pads_and_accepts_ints() -> None:
    expected = parse_region("13.71.01.2001")
    assert RegionCode.from_parts(13, 71, 1, 2001) == expected
    assert RegionCode.from_parts("13", "71", "1", "2001") == expected
    assert RegionCode.from_parts("13", "71", "01", "2001") == expected
    assert RegionCode.from_parts("13", "1") == parse_region("13.01")
    assert RegionCode.from_parts(13, None) == parse_region("13")
    assert RegionCode.from_parts("13", "71", "", None) == parse_region("13.71")


@pytest.mark.parametrize(
    "parts",
    [("13", None, "01"), ("", "71"), ("13", "7100"), (13, -1), (13, True), ("13", 0), ("13", "71", "01", "12345")],
)
def test_from_parts_rejects(parts: tuple[object, ...]) -> None:
    with pytest.raises(InvalidRegionCode):
        RegionCode.from_parts(*parts)  # type: ignore[arg-type]


def test_constructor_rejects_skipped_levels_and_unpadded_parts() -> None:
    with pytest.raises(InvalidRegionCode):
        RegionCode("13", None, "01")
    with pytest.raises(InvalidRegionCode):
        RegionCode("13", "1")


def test_kota_and_village_kind() -> None:
    assert parse_region("13.71").is_kota
    assert parse_region("13.71.01.1001").is_kota
    assert not parse_region("13.70").is_kota
    assert not parse_region("13.01").is_kota
    assert not parse_region("13").is_kota
    assert parse_region("13.71.01.1001").village_kind == "kelurahan"
    assert parse_region("13.06.01.2001").village_kind == "desa"
    assert parse_region("13.06.01.3001").village_kind == "desa_adat"
    assert parse_region("13.06.01.5001").village_kind is None
    assert parse_region("13.06.01").village_kind is None


def test_parent_contains_and_at_level() -> None:
    desa = parse_region("13.71.01.1001")
    assert desa.parent == parse_region("13.71.01")
    assert desa.parent.parent == parse_region("13.71")
    assert parse_region("13").parent is None
    assert parse_region("13.71").contains(desa)
    assert parse_region("13").contains(desa)
    assert desa.contains(desa)
    assert not desa.contains(parse_region("13.71"))
    assert not parse_region("13.72").contains(desa)
    assert not parse_region("13.71.02").contains(desa)
    assert desa.at_level("kab") == parse_region("1371")
    with pytest.raises(ValueError):
        parse_region("13.71").at_level("kec")


def test_region_int() -> None:
    assert region_int("13.71.01.1001") == 1371011001
    assert region_int(parse_region("1371")) == 1371


def test_38_provinces() -> None:
    assert len(PROVINCE_CODES) == 38
    for p in PROVINCE_CODES:
        assert parse_region(p).prov == p


codes = st.builds(
    RegionCode.from_parts,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(1, 99),
    st.integers(1, 99),
    st.integers(1000, 9999),
)


@given(codes)
def test_dotted_and_plain_round_trip(code: RegionCode) -> None:
    assert parse_region(code.dotted) == code
    assert parse_region(code.plain) == code
    assert region_int(code) == int(code.plain)
    node: RegionCode | None = code
    while node is not None:
        assert node.contains(code)
        node = node.parent
