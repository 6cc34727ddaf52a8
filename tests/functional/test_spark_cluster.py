"""A real Spark cluster (issue 23): a standalone master and two workers on 127.0.0.1, started by
the test with Spark's own launcher (``bin/spark-class`` of the pyspark package: the Master and
Worker classes that Spark's ``start-master.sh`` and ``start-worker.sh`` start), and rekam's
library run against it as a user's program runs it: ``REKAM_ENGINE=spark
REKAM_SPARK_MASTER=spark://...``.

The figures of every level, the belum-rekam list of a kota and a list matched there equal
DuckDB's on the same snapshot; the master's own status page shows that the work ran on the
cluster (one application named rekam, on both workers' cores). The cluster is stopped at the
end. The snapshot is read by the executors from its path (one machine here; on a real cluster a
shared path or object storage, docs/analytics.md).

The match is checked row by row: the list (70 rows from the demo register, scale 0.001) has
people as they are, with a title, a name typed wrong (the Jaro-Winkler and Damerau-Levenshtein
levels), day and month swapped, no birth date, a typo with only the year, and invented people;
each row's decision, register person and probabilities (within 1e-9) and the review rows'
candidates equal DuckDB's. The register has more than ``MIN_ROWS_U`` rows, so u is estimated
(on DuckDB, for both). Failures print list ids, columns, levels and digests, never a name or NIK.

All the cluster work is one process, ``python -m tests.support.spark_app`` (a Spark session is
per process, and this test's process may hold a local one already): one Spark application, where
a ``rekam`` command per figure used to start six (27-41 s each on 2 cores). DuckDB's side is
computed in this process meanwhile. 187 s in all (22 s the cluster's start and the demo home,
164 s the test, the Spark match most of it: scoring pairs on Spark is slow for now,
docs/linkage.md), where this file alone took 349 s and a separate local-mode match test 136 s
(measured on a shared 2-core machine); marked slow, still run by ``make test``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

import pytest
from tests.support import spark_app
from tests.support.register_people import draw_people
from tests.support.spark_cluster import Cluster, status

from rekam.api import Rekam
from rekam.config import Settings

pytestmark = pytest.mark.slow

AS_OF, ELECTION, REGION = date(2024, 11, 13), date(2024, 11, 27), "13.71"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if shutil.which("java") is None:
        pytest.fail("Spark's cluster needs Java (the java command); make test's install provides it")
    made = Cluster(tmp_path_factory.mktemp("spark-cluster"))
    try:
        made.start()
        yield made
    finally:
        made.stop()
    assert all(p.poll() is not None for p in made.procs)  # stopped: nothing left running


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


def _on_cluster(home: Path, master: str, listed: Path, out: Path, log: IO[bytes]) -> subprocess.Popen[bytes]:
    """``spark_app`` started in a new process against ``master``: one Spark application (its
    output to ``log``, a file: a pipe left unread while DuckDB works could fill and stop it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REKAM_")} | {
        "REKAM_HOME": str(home),
        "REKAM_ENGINE": "spark",
        "REKAM_SPARK_MASTER": master,
        "REKAM_LANG": "id",
        "SPARK_LOCAL_IP": "127.0.0.1",
        # a test's register is small: 4 shuffle partitions, as local mode has, not Spark's 200
        # (each an empty task per stage); a real cluster sets these in spark-defaults.conf
        "PYSPARK_SUBMIT_ARGS": "--conf spark.sql.shuffle.partitions=4 --conf spark.default.parallelism=4 pyspark-shell",
    }
    args = [str(listed), str(out), "--as-of", AS_OF.isoformat(), "--election-date", ELECTION.isoformat()]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.spark_app", *args, "--region", REGION],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _same(value: object, other: object) -> bool:
    if value is None or other is None:
        return value is None and other is None
    if isinstance(value, float) and isinstance(other, float):
        return math.isclose(value, other, rel_tol=0, abs_tol=1e-9)
    return value == other


def _digest(rows: object) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def test_figures_a_list_and_a_match_on_a_two_worker_cluster_equal_duckdb(
    cluster: Cluster, demo_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    listed = tmp_path / "sekolah.csv"
    _list(home, listed)
    log = tmp_path / "spark_app.log"
    with log.open("wb") as out:
        app = _on_cluster(home, cluster.url, listed, tmp_path / "spark", out)
        try:  # DuckDB's side meanwhile, in this process (the app's JVMs leave the cores idle at times)
            duckdb_side = Rekam(Settings(home=home, engine="duckdb"))
            spark_app.write(duckdb_side, listed, tmp_path / "duckdb", AS_OF, ELECTION, REGION)
            app.wait(timeout=900)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
    assert app.returncode == 0, log.read_bytes()[-2000:].decode("utf-8", "replace")
    on_spark, on_duckdb = spark_app.load(tmp_path / "spark"), spark_app.load(tmp_path / "duckdb")

    # the figures of every level (counts only)
    for level in spark_app.LEVELS:
        assert on_spark["coverage"][level] == on_duckdb["coverage"][level] and on_spark["coverage"][level], level
    # the list, compared as digests and counts: a failure prints no name or NIK (personal data)
    people, digests = len(on_spark["people"]), (_digest(on_spark["people"]), _digest(on_duckdb["people"]))
    assert people > 5 and digests[0] == digests[1]

    # the match, row by row: list ids and columns only in a failure
    spark_facts, duck_facts = on_spark["match_facts"], on_duckdb["match_facts"]
    assert (spark_facts["pairs"], spark_facts["register_rows"]) == (duck_facts["pairs"], duck_facts["register_rows"])
    spark_rows, duck_rows = on_spark["match"], on_duckdb["match"]
    assert [r["list_id"] for r in spark_rows] == [r["list_id"] for r in duck_rows]
    differ = [(d["list_id"], k) for d, s in zip(duck_rows, spark_rows, strict=True) for k in d if not _same(d[k], s[k])]
    assert not differ, differ[:20]
    assert {"match", "review", "no_match"} <= {r["decision"] for r in duck_rows}
    # the review rows' candidates (NIKs: only the list ids of rows that differ in a failure)
    spark_review, duck_review = spark_facts["review"], duck_facts["review"]
    assert [r[0] for r in spark_review] == [r[0] for r in duck_review] and spark_review
    assert not [s[0] for s, d in zip(spark_review, duck_review, strict=True) if s[1] != d[1]]
    assert not any((home / "tmp").glob("match-*"))  # the work folder (frames, pairs: personal data) is gone

    # The work ran on the cluster: one application named rekam, given both workers' cores.
    apps = status(cluster.ui)["completedapps"] + status(cluster.ui)["activeapps"]
    ours = [a for a in apps if a["name"] == "rekam"]
    assert len(ours) == 1 and all(a["cores"] == 2 for a in ours), [(a["name"], a["cores"]) for a in apps]
