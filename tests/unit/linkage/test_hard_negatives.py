"""Crafted hard negatives and lists unlike the register (issue #18): a parent and a child of
one name, a household, twins, a list lacking a column the register has, and list habits
(initials, a name in two columns, a date with the month's name or as YYYYMMDD)."""

from __future__ import annotations

import duckdb
import pytest

from rekam.linkage.lists import worded_date
from rekam.linkage.match import match_list

from .conftest import DESA, LIST_COLUMNS, OTHER_DESA, REGISTER, REGISTER_COLUMNS, table

# a father and his son of one name, at one address; the son's twin sister
FAMILY = [
    ("1371011506700021", "AHMAD YANI", "L", "PADANG", "1970-06-15", DESA, "007", "002", "RECORDED", "sudah rekam"),
    ("1371012003050022", "AHMAD YANI", "L", "PADANG", "2005-03-20", DESA, "007", "002", "UNREGISTERED", "belum rekam"),
    ("1371016003050023", "AISYAH YANI", "P", "PADANG", "2005-03-20", DESA, "007", "002", "UNREGISTERED", "belum rekam"),
]


def _match(
    rows: list[tuple[object, ...]], columns: list[str] = LIST_COLUMNS, extra: list[tuple[object, ...]] = ()
) -> dict[str, dict[str, object]]:
    con = duckdb.connect()
    reg = table(REGISTER_COLUMNS, REGISTER + FAMILY + list(extra))  # noqa: F841 - read by name below
    lst = table(columns, rows)  # noqa: F841
    con.execute("CREATE TABLE reg AS SELECT * REPLACE (CAST(birth_date AS DATE) AS birth_date) FROM reg")
    con.execute("CREATE TABLE lst AS SELECT * FROM lst")
    result = match_list(con, "reg", "lst").table.to_pylist()
    assert len(result) == len(rows)
    return {r["list_id"]: r for r in result}


HOME = (DESA, "7", "2")


def test_a_parent_and_a_child_of_one_name_are_told_apart_by_the_birth_date():
    out = _match(
        [
            ("son", None, "Ahmad Yani", "2005-03-20", "L", "PADANG", *HOME),
            ("father", None, "AHMAD YANI", "1970-06-15", "L", "PADANG", *HOME),
        ]
    )
    assert (out["son"]["decision"], out["son"]["match_nik"]) == ("match", "1371012003050022")
    assert (out["father"]["decision"], out["father"]["match_nik"]) == ("match", "1371011506700021")


def test_the_childs_twin_sister_is_not_taken_for_him():
    out = _match([("a", None, "Aisyah Yani", "2005-03-20", "P", "PADANG", *HOME)])
    assert (out["a"]["decision"], out["a"]["match_nik"]) == ("match", "1371016003050023")


def test_an_unregistered_sibling_at_the_address_is_never_matched():
    """Born on the twins' day, the household's address, a name of their family: only the name
    is the person's own, so at most review, never match."""
    out = _match([("x", None, "Rahmat Yani", "2005-03-20", "L", "PADANG", *HOME)])
    assert out["x"]["decision"] != "match"


def test_a_list_without_sex_or_address_columns_still_matches():
    """A column the list lacks counts neither for nor against (the register has them)."""
    columns = ["list_id", "name", "birth_date"]
    out = _match(
        [("a", "Siti Aminah", "1985-07-05"), ("b", "Andi Pratama", "2001-11-12"), ("c", "Rudi Hartono", "1988-02-02")],
        columns,
    )
    assert (out["a"]["decision"], out["a"]["match_nik"]) == ("match", "1371014507850002")
    assert (out["b"]["decision"], out["b"]["match_nik"]) == ("match", "1371011211010003")
    assert out["c"]["decision"] == "no_match"
    assert "jenis_kelamin" not in out["a"]["agreed"] and "alamat" not in out["a"]["agreed"]


def test_a_list_without_birth_dates_matches_by_name_and_address_or_asks():
    columns = ["list_id", "name", "sex", "desa_code", "rt", "rw"]
    out = _match([("a", "Siti Aminah", "P", DESA, "3", "1"), ("son", "Ahmad Yani", "L", *HOME)], columns)
    assert out["a"]["match_nik"] == "1371014507850002" and out["a"]["decision"] in ("match", "review")
    assert out["son"]["decision"] == "review"  # father or son: a person decides


def test_a_word_written_as_its_initial_is_the_same_name():
    out = _match([("a", None, "Siti A.", "1985-07-05", "P", "BUKITTINGGI", DESA, "3", "1")])
    assert (out["a"]["decision"], out["a"]["match_nik"]) == ("match", "1371014507850002")


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("14 Agustus 2006", "2006-08-14"),
        ("3-Mei-1990", "1990-05-03"),
        ("1 Jan. 2001", "2001-01-01"),
        ("14 Brumaire 2006", "14 Brumaire 2006"),  # not a month: left for prepare, which reads no date
        ("14-08-2006", "14-08-2006"),
        (None, None),
    ],
)
def test_dates_with_the_months_name(written, read):
    assert worded_date(written) == read


def test_dates_as_yyyymmdd_and_names_in_two_columns(tmp_path):
    from rekam.linkage.lists import read_list
    from rekam.linkage.prepare import prepare_list

    path = tmp_path / "febrl.csv"
    path.write_text(
        "rec_id, given_name, surname, date_of_birth, street_number, address_1, postcode\n"
        "rec-1-org, siti, aminah, 19850705, 12, jl. sudirman, 25111\n"
        "rec-2-org, , aminah, 1985, , gang mawar no. 3, \n",
        encoding="utf-8",
    )
    con = duckdb.connect()
    read_list(con, path, "l_in")
    prepare_list(con, "l_in", "l_frame")
    rows = con.execute(
        "SELECT unique_id, name_norm, CAST(birth_date AS VARCHAR), birth_year, street, house_no, postcode "
        "FROM l_frame ORDER BY unique_id"
    ).fetchall()
    assert rows == [
        ("rec-1-org", "SITI AMINAH", "1985-07-05", 1985, "SUDIRMAN", "12", "25111"),
        ("rec-2-org", "AMINAH", None, 1985, "MAWAR", "3", None),
    ]


def test_what_agreed_and_what_did_not_is_shown():
    """Moved to another desa, the birthplace abbreviated: the match shows the address against."""
    out = _match([("a", None, "Siti Aminah", "1985-07-05", "P", "BKT", OTHER_DESA, "1", "1")])
    assert (out["a"]["decision"], out["a"]["match_nik"]) == ("match", "1371014507850002")
    assert set(out["a"]["agreed"].split(",")) >= {"nama", "tgl_lahir", "jenis_kelamin", "tempat_lahir"}
    assert out["a"]["disagreed"] == "alamat"


# residents whose names lists abbreviate or cut short (issue #18)
NAMED = [
    ("1371011004840031", "NUR KHAIRUL", "L", "PADANG", "1984-04-10", DESA, "008", "002", "RECORDED", "sudah rekam"),
    ("1371010906890032", "ARIF ZULHENDRI", "L", "PADANG", "1989-06-09", DESA, "009", "002", "RECORDED", "sudah rekam"),
    ("1371011507730033", "MARULI PANJAITAN", "L", "MEDAN", "1973-07-15", DESA, "010", "001", "RECORDED", "sudah rekam"),
    (
        "1371011712730034",
        "PARLINDUNGAN HARAHAP",
        "L",
        "MEDAN",
        "1973-12-17",
        DESA,
        "011",
        "001",
        "RECORDED",
        "sudah rekam",
    ),
]


@pytest.mark.parametrize(
    ("written", "born", "nik"),
    [
        ("Nur K.", "1984-04-10", "1371011004840031"),  # K. for KHAIRUL, which the name rules respell HAIRUL
        ("Arif Z.", "1989-06-09", "1371010906890032"),  # Z. stays Z (HAFIZ is HAFIS, a letter alone is not)
        ("Marvlu P.", "1973-07-15", "1371011507730033"),  # an initial, and the other word mistyped
        ("Rnaruli Panjaitan", "1973-07-15", "1371011507730033"),  # two typing errors (M scanned as RN)
        ("Parlindungan Ha", "1973-12-17", "1371011712730034"),  # a form's field cut the name short
    ],
)
def test_names_cut_to_an_initial_or_short_are_the_persons(written, born, nik):
    out = _match([("a", None, written, born, "L", None, DESA, None, None)], extra=NAMED)
    assert (out["a"]["decision"], out["a"]["match_nik"]) == ("match", nik)


def test_an_initial_that_fits_both_twins_is_no_match():
    """AHMAD F. is AHMAD FAUZI's and AHMAD FAISAL's: a person decides."""
    out = _match([("a", None, "Ahmad F.", "2006-08-14", "L", "PADANG", DESA, "4", "3")])
    assert out["a"]["decision"] == "review"


def test_a_row_without_a_birth_date_at_another_address_is_still_compared():
    """Moved and no birth date: the name alone finds the candidate (for review at least)."""
    out = _match([("a", None, "Parlindungan Harahap", None, "L", None, OTHER_DESA, None, None)], extra=NAMED)
    assert out["a"]["candidates"] >= 1
