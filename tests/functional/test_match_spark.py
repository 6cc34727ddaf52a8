"""Matching on Spark (issue 23): the same list matched on DuckDB and on Spark (local mode) gives
the same decision, the same register person and the same probabilities, row by row.

The list is made from the demo register (scale 0.001), so that every kind of row occurs: people
as they are, with a title, a name typed wrong (the Jaro-Winkler and Damerau-Levenshtein levels),
day and month swapped, no birth date, and invented people. The register has more than
``MIN_ROWS_U`` rows, so u is estimated (on DuckDB, for both). Failures print list ids and
counts, never a name or NIK.

Slow: it starts Spark in local mode (a JVM, ~30-60 s on 2 cores); one session for the test
process, as the Spark engine's other tests share.
"""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pytest
from tests.support.register_people import draw_people

from rekam.linkage.match import SparkTarget, match_file
from rekam.register.store import Store

pytestmark = pytest.mark.slow


def _typo(name: str, i: int) -> str:
    """One typing error: two letters swapped, or one replaced."""
    k = 1 + i % max(len(name) - 2, 1)
    if i % 2:
        return name[:k] + name[k + 1] + name[k] + name[k + 2 :]
    return name[:k] + ("A" if name[k] != "A" else "E") + name[k + 1 :]


def _list(home: Path, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["NISN", "NAMA", "TGL_LHR", "JENIS_KLMIN", "NO_RT", "NO_RW"])
        for i, (_nik, name, birth, sex, rt, rw) in enumerate(draw_people(home, 70)):
            if i % 7 == 1:
                name = f"H. {name}"
            elif i % 7 == 2:
                name = _typo(name, i)
            elif i % 7 == 3:  # day and month swapped
                birth = f"{birth[3:5]}-{birth[:2]}-{birth[6:]}"
            elif i % 7 == 4:
                birth = ""
            elif i % 7 == 5:  # not in the register
                name, birth = f"ZULKARNAEN XAVERIUS {i}", f"{birth[:6]}19{i % 40 + 10}"
            elif i % 7 == 6:  # a typo and only the year
                name, birth = _typo(name, i + 1), birth[6:]
            w.writerow([f"{i:04d}", name, birth, sex, rt, rw])


def test_spark_scores_and_decides_as_duckdb(demo_home: Path, tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java (the java command); make test's install provides it")
    listed = tmp_path / "sekolah.csv"
    _list(demo_home, listed)
    store = Store(demo_home)
    snap = store.require_current()
    work = tmp_path / "home-tmp"
    on_duckdb = match_file(store, snap, listed, review=True)
    on_spark = match_file(store, snap, listed, review=True, spark=SparkTarget("local[2]", work))

    assert on_spark.pairs == on_duckdb.pairs and on_spark.register_rows == on_duckdb.register_rows
    duck_rows, spark_rows = on_duckdb.table.to_pylist(), on_spark.table.to_pylist()
    assert [r["list_id"] for r in spark_rows] == [r["list_id"] for r in duck_rows]
    differ = []
    for d, s in zip(duck_rows, spark_rows, strict=True):
        for key, value in d.items():
            other = s[key]
            same = (
                value is None
                and other is None
                or isinstance(value, float)
                and other is not None
                and math.isclose(value, other, rel_tol=0, abs_tol=1e-9)
                or value == other
            )
            if not same:
                differ.append((d["list_id"], key))
    assert not differ, differ[:20]  # list ids and columns only: no personal data
    decisions = [r["decision"] for r in duck_rows]
    assert {"match", "review", "no_match"} <= set(decisions)
    # the review sheet's candidates too, and the work folder (frames, pairs: personal data) is gone
    assert [(r.list_id, [c.id for c in r.candidates]) for r in on_spark.review] == [
        (r.list_id, [c.id for c in r.candidates]) for r in on_duckdb.review
    ]
    assert work.is_dir() and not any(work.iterdir())
