"""Matching crafted lists to a crafted register: found, not confused, none dropped."""

from __future__ import annotations

import pytest

from rekam.linkage.model import Thresholds

from .conftest import DESA, OTHER_DESA


def test_exact_person_is_matched_with_register_status(match):
    out = match([("1", None, "MUHAMMAD RIZKY", "1990-03-05", "L", "PADANG", DESA, "001", "002")])
    row = out["1"]
    assert (row["match_nik"], row["decision"]) == ("1371010503900001", "match")
    assert row["match_probability"] > 0.99
    assert (row["ktp_status"], row["recording_state"]) == ("RECORDED", "sudah rekam")
    assert set(row["agreed"].split(",")) >= {"nama", "tgl_lahir", "jenis_kelamin", "alamat", "tempat_lahir"}


@pytest.mark.parametrize(
    ("written", "birth", "nik"),
    [
        ("H. Mhd. Rizki, S.Pd", "1990-03-05", "1371010503900001"),  # title, abbreviation, spelling
        ("Noer Hajati", "1999-01-03", "1371024301990011"),  # old spelling, no address
        ("Rizky Muhammad", "1990-03-05", "1371010503900001"),  # words in another order
    ],
)
def test_name_variants_are_matched(match, written, birth, nik):
    sex = "P" if nik == "1371024301990011" else "L"
    out = match([("v", None, written, birth, sex, None, None, None, None)])
    assert (out["v"]["match_nik"], out["v"]["decision"]) == (nik, "match")


def test_day_and_month_swapped_is_matched(match):
    out = match([("s", None, "Siti Aminah", "1985-05-07", "P", None, DESA, None, None)])
    assert (out["s"]["match_nik"], out["s"]["decision"]) == ("1371014507850002", "match")


def test_nik_one_digit_wrong_with_the_name_is_matched(match):
    out = match([("n", "1371022506030013", "Rina Putri", None, None, None, None, None, None)])
    assert (out["n"]["match_nik"], out["n"]["decision"]) == ("1371022506030012", "match")


def test_twins_are_each_matched_to_their_own_record(match):
    twin = ("2006-08-14", "L", "PADANG", DESA, "4", "3")
    out = match([("a", None, "Ahmad Fauzi", *twin), ("b", None, "Ahmad Faisal", *twin)])
    assert (out["a"]["match_nik"], out["a"]["decision"]) == ("1371011408060004", "match")
    assert (out["b"]["match_nik"], out["b"]["decision"]) == ("1371011408060005", "match")


def test_a_third_twin_missing_from_the_register_is_never_matched_to_a_sibling(match):
    out = match([("c", None, "Ahmad Fahmi", "2006-08-14", "L", "PADANG", DESA, "4", "3")])
    assert out["c"]["decision"] != "match"


def test_a_family_sharing_an_address_is_not_confused(match):
    home = ("PADANG", DESA, "5", "1")
    out = match(
        [
            ("dedi", None, "Dedi Santoso", "1995-09-10", "L", *home),
            ("dewi", None, "Dewi Santoso", "1998-03-17", "P", *home),
            ("dina", None, "Dina Santoso", "2000-10-02", "P", *home),  # a sister not in the register
            ("hendra", None, "Hendra Gunawan", "1993-04-21", "L", *home),  # a lodger
        ]
    )
    assert (out["dedi"]["match_nik"], out["dedi"]["decision"]) == ("1371011009950008", "match")
    assert (out["dewi"]["match_nik"], out["dewi"]["decision"]) == ("1371015703980009", "match")
    assert out["dina"]["decision"] != "match"
    assert out["hendra"]["decision"] == "no_match"


def test_a_person_absent_from_the_register_is_no_match(match):
    out = match([("x", None, "Yohanes Silalahi", "1988-12-12", "L", "MEDAN", OTHER_DESA, "1", "1")])
    assert out["x"] == out["x"] | {"match_nik": None, "decision": "no_match", "ktp_status": None}


def test_every_list_row_gives_one_row(match):
    rows = [
        ("1", None, "MUHAMMAD RIZKY", "1990-03-05", "L", None, None, None, None),
        ("2", None, "MUHAMMAD RIZKY", "1990-03-05", "L", None, None, None, None),  # listed twice
        ("3", None, None, None, None, None, None, None, None),  # an empty row
        ("4", None, "", "bukan tanggal", "X", None, "??", "-", None),  # garbage
        ("0", None, "Rina Putri", "2003-06-25", "P", None, None, None, None),
    ]
    out = match(rows)
    assert list(out) == ["1", "2", "3", "4", "0"]  # in the list's order
    assert out["1"]["match_nik"] == out["2"]["match_nik"] == "1371010503900001"
    assert out["3"]["decision"] == out["4"]["decision"] == "no_match"


def test_thresholds_decide_between_match_and_review(match):
    row = ("s", None, "Siti Aminah", "1985-05-07", "P", None, DESA, None, None)
    strict = match([row], thresholds=Thresholds(match=1.0, review=0.5))
    assert strict["s"]["decision"] == "review"
    assert strict["s"]["match_nik"] == "1371014507850002"


def test_thresholds_are_checked():
    with pytest.raises(ValueError):
        Thresholds(match=0.5, review=0.9)


def test_a_row_with_many_weak_candidates_is_for_review_not_absent():
    """Three residents of one common name, none likely alone (0.1 each), are together likely
    enough that the person is in the register: review, the best candidate shown. One such
    candidate alone is no_match."""
    import duckdb

    from rekam.linkage.match import _decide_sql
    from rekam.linkage.model import FIELDS

    con = duckdb.connect()
    con.execute("CREATE TABLE lst (unique_id VARCHAR)")
    con.execute("INSERT INTO lst VALUES ('common'), ('alone')")
    weights = ", ".join(f"{2.0 if f == 'nama' else 0.0} AS mw_{f}" for f in FIELDS)
    con.execute(
        f"""CREATE TABLE pred AS SELECT 'daftar' AS source_dataset_l, 'register' AS source_dataset_r,
        list_id AS unique_id_l, nik AS unique_id_r, p AS match_probability, w AS match_weight,
        {weights}, 0.0 AS mw_tf_adj_nama
        FROM (VALUES ('common', 'A', 0.10, -3.1), ('common', 'B', 0.09, -3.2), ('common', 'C', 0.08, -3.3),
                     ('alone', 'D', 0.10, -3.1)) v(list_id, nik, p, w)"""
    )
    con.execute("CREATE TABLE st (nik VARCHAR, ktp_status VARCHAR, recording_state VARCHAR)")
    out = {
        r[0]: r[1:]
        for r in con.execute(
            f"SELECT list_id, decision, match_nik FROM ({_decide_sql('pred', 'lst', 'st', Thresholds())})"
        ).fetchall()
    }
    assert out == {"common": ("review", "A"), "alone": ("no_match", None)}
