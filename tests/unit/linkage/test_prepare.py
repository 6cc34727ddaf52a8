"""The derived columns both sides of a match are compared on."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from rekam.linkage.prepare import FRAME_COLUMNS, name_frequencies, prepare_list


def _frame(rows: list[tuple[object, ...]]) -> dict[str, dict[str, object]]:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE l (list_id VARCHAR, nik VARCHAR, name VARCHAR, birth_date VARCHAR, sex VARCHAR,"
        " birth_place VARCHAR, desa_code VARCHAR, rt VARCHAR, rw VARCHAR)"
    )
    con.executemany("INSERT INTO l VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    out = prepare_list(con, "l")
    rel = con.sql(f"SELECT * FROM {out}")
    assert tuple(rel.columns) == FRAME_COLUMNS
    return {r["unique_id"]: r for r in (dict(zip(rel.columns, t, strict=True)) for t in rel.fetchall())}


def test_list_rows_get_normalised_names_dates_and_places():
    rows = _frame(
        [
            (
                "1",
                "137101******0003",
                "H. Mhd. Rizky, S.Pd",
                "05/03/1990",
                "Laki-laki",
                "Kota Padang",
                "13.71.01.1001",
                "001",
                "RW 02",
            ),
            ("2", "1371010503900001", "Noer Hayati", "1970-12-31", "p", "KAB. SOLOK", "1371011001", "", None),
            ("3", None, None, "bukan tanggal", "X", "", None, None, None),
            ("4", None, "Efendi Als. Endi", "1985", None, None, None, None, None),  # lapas: alias, year only
        ]
    )
    one, two, three = rows["1"], rows["2"], rows["3"]
    assert one["nik"] is None  # a masked NIK is no NIK
    assert (one["name_norm"], one["name_key"], one["first_token"]) == ("MUHAMAD RIZKI", "MUHAMADRIZKI", "MUHAMAD")
    assert one["birth_date"] == dt.date(1990, 3, 5) and one["birth_swapped"] == dt.date(1990, 5, 3)
    assert (one["sex"], one["birth_place_norm"], one["desa_code"], one["kec_code"]) == (
        "L",
        "PADANG",
        "1371011001",
        "137101",
    )
    assert (one["rt"], one["rw"], one["birth_default"]) == (1, 2, False)
    assert (two["nik"], two["name_norm"], two["sex"], two["birth_place_norm"]) == (
        "1371010503900001",
        "NUR HAYATI",
        "P",
        "SOLOK",
    )
    assert two["birth_default"] is True and two["birth_swapped"] is None and two["rt"] is None
    assert (rows["4"]["name_norm"], rows["4"]["birth_year"], rows["4"]["birth_date"]) == ("EFENDI", 1985, None)
    assert three["name_key"] is None and three["birth_date"] is None and three["sex"] is None


def test_name_frequencies_are_counted_over_the_population_at_least():
    con = duckdb.connect()
    con.execute("CREATE TABLE f AS SELECT * FROM (VALUES ('ANDI'), ('ANDI'), ('BUDI'), (NULL)) t(name_key)")
    out = name_frequencies(con, "f", "name_key", population=100)
    assert dict(con.execute(f"SELECT * FROM {out} ORDER BY 1").fetchall()) == {"ANDI": 0.02, "BUDI": 0.01}
    out = name_frequencies(con, "f", "name_key")
    assert dict(con.execute(f"SELECT * FROM {out} ORDER BY 1").fetchall()) == pytest.approx(
        {"ANDI": 2 / 3, "BUDI": 1 / 3}
    )
