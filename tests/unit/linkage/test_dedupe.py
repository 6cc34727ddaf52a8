"""Pairs within the register that look like one resident (``rekam match --dedupe``).

The crafted register of ``conftest`` holds twins and a family at one address (hard
negatives); here it gets second records of three residents: a name variant with another
NIK, a name with a title and the day and month swapped, and a NIK one digit off in another
desa.
"""

from __future__ import annotations

import duckdb
import pytest
from tests.unit.linkage.conftest import DESA, OTHER_DESA, REGISTER, REGISTER_COLUMNS, table

from rekam.linkage.dedupe import RESULT_COLUMNS, dedupe

# fmt: off
SECOND_RECORDS = [
    # MUHAMMAD RIZKY again: old spelling of the name, a new NIK from another kecamatan
    ("1371020503900101", "MUHAMAD RIZKI", "L", "PADANG", "1990-03-05", OTHER_DESA, "007", "001", "UNREGISTERED", "belum rekam"),
    # SITI AMINAH again: a title, day and month swapped
    ("1371014705850102", "HJ. SITI AMINAH", "P", "BUKITTINGGI", "1985-05-07", DESA, "003", "001", "RECORDED", "sudah rekam"),
    # YUSUF HASAN again: NIK one digit off, moved desa
    ("1371010101600010", "YUSUF HASAN", "L", "PARIAMAN", "1960-01-01", DESA, "009", "004", "UNREGISTERED", "belum rekam"),
]
# fmt: on


def _run(rows: list[tuple[object, ...]], **kwargs: object) -> list[dict[str, object]]:
    con = duckdb.connect()
    reg = table(REGISTER_COLUMNS, rows)  # noqa: F841 - read by name below
    con.execute("CREATE TABLE reg AS SELECT * REPLACE (CAST(birth_date AS DATE) AS birth_date) FROM reg")
    run = dedupe(con, "reg", **kwargs)
    assert run.records == len(rows)
    assert tuple(run.table.column_names) == RESULT_COLUMNS
    return run.table.to_pylist()


def test_second_records_are_paired_and_clustered():
    pairs = _run(REGISTER + SECOND_RECORDS, threshold=0.8)
    found = {(p["nik_a"], p["nik_b"]) for p in pairs}
    assert found == {
        ("1371010503900001", "1371020503900101"),
        ("1371014507850002", "1371014705850102"),
        ("1371010101600010", "1371020101600010"),
    }
    assert len({p["cluster_id"] for p in pairs}) == 3
    assert all(str(p["cluster_id"]).startswith("K") for p in pairs)  # no NIK in a cluster id
    assert all("nama" in str(p["agreed"]) and "tgl_lahir" in str(p["agreed"]) for p in pairs)


def test_a_default_birth_date_is_weaker_evidence():
    """YUSUF HASAN's records share 1 January (a date SIAK fills in when the real one is
    unknown): found for review at 0.8, not among the sure pairs at the default 0.9."""
    sure = {(p["nik_a"], p["nik_b"]) for p in _run(REGISTER + SECOND_RECORDS)}
    assert ("1371010101600010", "1371020101600010") not in sure and len(sure) == 2


def test_nik_one_digit_apart_is_no_evidence_of_its_own():
    """Two people born days apart in one kecamatan get NIKs one digit apart (serial 0001 each):
    with a common name and nothing else in common they are not a pair."""
    a = (
        "1371011108070001",
        "RINA PUTRI",
        "P",
        "PADANG",
        "2007-08-11",
        DESA,
        "001",
        "001",
        "CARD_ISSUED",
        "sudah rekam",
    )
    b = (
        "1371011109070001",
        "RINA PUTRI",
        "P",
        "PADANG",
        "2007-09-11",
        OTHER_DESA,
        "003",
        "002",
        "CARD_ISSUED",
        "sudah rekam",
    )
    assert _run([a, b]) == []


def test_twins_and_a_family_are_not_duplicates():
    assert _run(REGISTER) == []


def test_three_records_of_one_person_form_one_cluster():
    third = (
        "1371030503900202",
        "M. RIZKY",
        "L",
        "PADANG",
        "1990-03-05",
        DESA,
        "001",
        "002",
        "UNREGISTERED",
        "belum rekam",
    )
    pairs = _run(REGISTER + SECOND_RECORDS[:1] + [third])
    niks = {"1371010503900001", "1371020503900101", "1371030503900202"}
    assert {p["nik_a"] for p in pairs} | {p["nik_b"] for p in pairs} == niks
    assert len({p["cluster_id"] for p in pairs}) == 1


@pytest.mark.parametrize("threshold", [0.9, 0.99, 0.9999])
def test_a_higher_threshold_never_adds_pairs(threshold: float):
    low = {(p["nik_a"], p["nik_b"]) for p in _run(REGISTER + SECOND_RECORDS, threshold=0.5)}
    high = {(p["nik_a"], p["nik_b"]) for p in _run(REGISTER + SECOND_RECORDS, threshold=threshold)}
    assert high <= low
