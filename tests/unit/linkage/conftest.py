"""A crafted register of one desa and helpers to match lists against it."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa
import pytest

from rekam.linkage.match import match_list

DESA = "13.71.01.1001"
OTHER_DESA = "13.71.02.2005"

# fmt: off
# nik, name, sex, birth_place, birth_date, desa_code, rt, rw, ktp_status, recording_state
REGISTER = [
    ("1371010503900001", "MUHAMMAD RIZKY", "L", "PADANG", "1990-03-05", DESA, "001", "002", "RECORDED", "sudah rekam"),
    ("1371014507850002", "SITI AMINAH", "P", "BUKITTINGGI", "1985-07-05", DESA, "003", "001", "UNREGISTERED", "belum rekam"),
    ("1371011211010003", "ANDI PRATAMA", "L", "PADANG", "2001-11-12", DESA, "002", "002", "UNREGISTERED", "belum rekam"),
    # twins: one birth date, one address, one surname
    ("1371011408060004", "AHMAD FAUZI", "L", "PADANG", "2006-08-14", DESA, "004", "003", "UNREGISTERED", "belum rekam"),
    ("1371011408060005", "AHMAD FAISAL", "L", "PADANG", "2006-08-14", DESA, "004", "003", "RECORDED", "sudah rekam"),
    # a family at one address
    ("1371010102700006", "BUDI SANTOSO", "L", "SOLOK", "1970-02-01", DESA, "005", "001", "RECORDED", "sudah rekam"),
    ("1371014405720007", "SRI WAHYUNI", "P", "SOLOK", "1972-05-04", DESA, "005", "001", "RECORDED", "sudah rekam"),
    ("1371011009950008", "DEDI SANTOSO", "L", "PADANG", "1995-09-10", DESA, "005", "001", "UNREGISTERED", "belum rekam"),
    ("1371015703980009", "DEWI SANTOSO", "P", "PADANG", "1998-03-17", DESA, "005", "001", "UNREGISTERED", "belum rekam"),
    ("1371020101600010", "YUSUF HASAN", "L", "PARIAMAN", "1960-01-01", OTHER_DESA, "001", "001", "RECORDED", "sudah rekam"),
    ("1371024301990011", "NUR HAYATI", "P", "PADANG", "1999-01-03", OTHER_DESA, "002", "001", "UNREGISTERED", "belum rekam"),
    ("1371022506030012", "RINA PUTRI", "P", "PADANG", "2003-06-25", OTHER_DESA, "003", "002", "UNREGISTERED", "belum rekam"),
]
# fmt: on
REGISTER_COLUMNS = [
    "nik",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "desa_code",
    "rt",
    "rw",
    "ktp_status",
    "recording_state",
]
LIST_COLUMNS = ["list_id", "nik", "name", "birth_date", "sex", "birth_place", "desa_code", "rt", "rw"]


def table(columns: list[str], rows: list[tuple[object, ...]]) -> pa.Table:
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})


@pytest.fixture
def match() -> Callable[..., dict[str, dict[str, object]]]:
    """Match list rows (LIST_COLUMNS tuples) against REGISTER; the result by list_id."""

    def run(rows: list[tuple[object, ...]], **kwargs: object) -> dict[str, dict[str, object]]:
        con = duckdb.connect()
        reg = table(REGISTER_COLUMNS, REGISTER)  # noqa: F841 - read by name below
        lst = table(LIST_COLUMNS, rows)  # noqa: F841
        con.execute("CREATE TABLE reg AS SELECT * REPLACE (CAST(birth_date AS DATE) AS birth_date) FROM reg")
        con.execute("CREATE TABLE lst AS SELECT * FROM lst")
        result = match_list(con, "reg", "lst", **kwargs).table.to_pylist()
        assert len(result) == len(rows)
        return {r["list_id"]: r for r in result}

    return run
