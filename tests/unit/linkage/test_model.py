"""What the model adds for the ways lists write people (issue #6): typing errors, a dropped
name, words in another order, default dates, birthplace abbreviations, twins."""

from __future__ import annotations

import duckdb
import pytest

from rekam.linkage.model import BLOCKING_RULES, COMPARISONS, NAMES_OVERLAP
from rekam.linkage.prepare import PLACE_ABBREVIATIONS, prepare_list

from .conftest import DESA


@pytest.mark.parametrize(
    ("written", "birth", "sex", "nik"),
    [
        ("Rina Putir", "2003-06-25", "P", "1371022506030012"),  # one typing error
        ("Dedi", "1995-09-10", "L", "1371011009950008"),  # the second name dropped
        ("Santoso Dedy", "1995-09-10", "L", "1371011009950008"),  # words reordered, a variant
        ("Aminah Sitti", "1985-07-05", "P", "1371014507850002"),  # reordered, a letter doubled
    ],
)
def test_names_as_lists_write_them_are_matched(match, written, birth, sex, nik):
    out = match([("x", None, written, birth, sex, None, DESA, None, None)])
    assert (out["x"]["match_nik"], out["x"]["decision"]) == (nik, "match")


def test_a_default_date_still_finds_the_person_by_name_and_year(match):
    out = match([("d", None, "Andi Pratama", "2001-07-01", "L", "PADANG", DESA, None, None)])
    assert out["d"]["match_nik"] == "1371011211010003"
    assert out["d"]["decision"] in ("match", "review")


def test_an_unregistered_twin_listed_beside_the_sibling_is_not_matched(match):
    twin = ("2006-08-14", "L", "PADANG", DESA, "4", "3")
    out = match([("a", None, "Ahmad Fauzi", *twin), ("b", None, "Ahmad Faisal", *twin), ("c", None, "Rudi", *twin)])
    assert out["a"]["decision"] == out["b"]["decision"] == "match"
    assert out["c"]["decision"] != "match"


def test_birthplace_abbreviations_and_spaces_give_one_key():
    con = duckdb.connect()
    con.execute("CREATE TABLE l (list_id VARCHAR, birth_place VARCHAR)")
    places = [
        "PDG",
        "Kota Padang",
        "BUKIT TINGGI",
        "Bukittinggi",
        "Kab. Pesisir Selatan",
        "PESSEL",
        "LB. SIKAPING",
        "Lubuk Sikaping",
        "50 KOTA",
        "Lima Puluh Kota",
        None,
        "",
    ]
    con.executemany("INSERT INTO l VALUES (?, ?)", [(str(i), p) for i, p in enumerate(places)])
    out = prepare_list(con, "l")
    keys = [r[0] for r in con.execute(f"SELECT birth_place_norm FROM {out} ORDER BY CAST(unique_id AS INT)").fetchall()]
    assert keys[0] == keys[1] == "PADANG"
    assert keys[2] == keys[3] == "BUKITTINGGI"
    assert keys[4] == keys[5] and keys[6] == keys[7] and keys[8] == keys[9]
    assert keys[10] is None and keys[11] is None
    assert all(" " not in v for v in PLACE_ABBREVIATIONS)  # looked up without spaces


def test_levels_are_well_formed():
    for comparison in COMPARISONS:
        levels = comparison["levels"]
        assert levels[-1][0] == "ELSE"
        assert all(0 < level[2] <= 1 and 0 < level[3] <= 1 for level in levels)
    # every rule on the birth date that compares no name keeps only pairs whose names overlap,
    # or whose postcode also agrees (a few residents share a birth date within one postcode)
    for rule in BLOCKING_RULES:
        if isinstance(rule, str) and "birth_date = r.birth_date" in rule.replace("l.birth_swapped", "l.birth_date"):
            assert NAMES_OVERLAP in rule or "l.postcode = r.postcode" in rule


def test_the_cli_and_api_defaults_are_the_models():
    """`rekam match` without threshold options decides as the benchmark measured."""
    import inspect

    from rekam.api import Rekam
    from rekam.cli import match
    from rekam.linkage.model import Thresholds

    sig = inspect.signature(Rekam.match_list_file).parameters
    assert (sig["match_threshold"].default, sig["review_threshold"].default) == (
        Thresholds().match,
        Thresholds().review,
    )
    cli_sig = inspect.signature(match).parameters
    assert (cli_sig["match_threshold"].default, cli_sig["review_threshold"].default) == (
        Thresholds().match,
        Thresholds().review,
    )


WORD_PAIRS = [
    ("RAFI", "TAFI"),  # one typing error
    ("ROSMAN", "ROSRNAN"),  # two, in words of six letters
    ("ANI", "ANO"),
    ("YUNITA", "YUNITA"),
    ("AHMAD", "HAMDA"),
    ("", "A"),
    (None, "BUDI"),
    ("FAUZI", "FAISAL"),
]


def test_the_word_macro_is_the_written_out_expression_on_duckdb_and_on_spark():
    """The name levels call ``WORD_CLOSE`` (short SQL for Splink to parse); DuckDB's answer is
    the written-out expression's on every pair, and Spark gets the written-out expression."""
    from rekam.linkage.model import WORD_CLOSE, install, word_close_sql
    from rekam.linkage.spark import spark_sql

    con = duckdb.connect()
    install(con)
    con.execute("CREATE TABLE w (x VARCHAR, y VARCHAR)")
    con.executemany("INSERT INTO w VALUES (?, ?)", WORD_PAIRS)
    macro, inline = con.execute(f"SELECT list({WORD_CLOSE}(x, y)), list({word_close_sql('x', 'y')}) FROM w").fetchone()
    assert macro == inline and True in macro and False in macro
    called = f"{WORD_CLOSE}(name_tokens_l[2], name_tokens_r[1]) AND x"
    written = f"{word_close_sql('name_tokens_l[2]', 'name_tokens_r[1]')} AND x"
    assert spark_sql(called) == spark_sql(written) and WORD_CLOSE not in spark_sql(called).lower()
    # the name levels are short now (they were 30,000-41,000 characters each, parsed per match)
    from rekam.linkage.model import settings

    levels = settings(0.01).get_settings("duckdb").as_dict()["comparisons"]
    assert max(len(lvl["sql_condition"]) for c in levels for lvl in c["comparison_levels"]) < 8000
