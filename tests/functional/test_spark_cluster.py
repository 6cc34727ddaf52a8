"""A real Spark cluster (issue 23): a standalone master and two workers on 127.0.0.1, started by
the test with Spark's own launcher (``bin/spark-class`` of the pyspark package: the Master and
Worker classes that Spark's ``start-master.sh`` and ``start-worker.sh`` start), and ``rekam`` run
as a user runs it against a cluster: ``REKAM_ENGINE=spark REKAM_SPARK_MASTER=spark://...``.

The figures of every level, a by-name list and a list match (``rekam match --engine spark``)
computed there equal DuckDB's on the same snapshot; the master's own status page shows that the work ran on the cluster (an application
named rekam, on both workers' cores). The cluster is stopped at the end. The snapshot is read by
the executors from its path (one machine here; on a real cluster a shared path or object
storage, docs/analytics.md).

Each ``rekam`` call is a new process (a Spark session is per process) and a new application on
the cluster, about 10-20 s each on 2 cores, the match several minutes (9 min 20 s in all,
measured on a shared 2-core machine); marked slow, still run by ``make test``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.spark_cluster import Cluster, status

pytestmark = pytest.mark.slow

AS_OF = "2024-11-13"


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


def _rekam(home: Path, *args: str, engine: str, master: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REKAM_")} | {
        "REKAM_HOME": str(home),
        "REKAM_ENGINE": engine,
        "REKAM_LANG": "id",
    }
    if master:
        # a test's register is small: 4 shuffle partitions, as local mode has, not Spark's 200
        # (each an empty task per stage); a real cluster sets these in spark-defaults.conf
        submit = "--conf spark.sql.shuffle.partitions=4 --conf spark.default.parallelism=4 pyspark-shell"
        env |= {"REKAM_SPARK_MASTER": master, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_SUBMIT_ARGS": submit}
    done = subprocess.run(
        [sys.executable, "-m", "rekam", *args], env=env, capture_output=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:].decode("utf-8", "replace")
    return done.stdout.decode("utf-8")


def test_figures_and_a_list_on_a_two_worker_cluster_equal_duckdb(
    cluster: Cluster, demo_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    for level in ("prov", "kab", "kec", "desa"):
        args = ("coverage", "--as-of", AS_OF, "--level", level, "--election-date", "2024-11-27", "--format", "json")
        on_cluster = json.loads(_rekam(home, *args, engine="spark", master=cluster.url))
        on_duckdb = json.loads(_rekam(home, *args, engine="duckdb"))
        assert on_cluster == on_duckdb and on_cluster, level
    region = "13.71"
    files = {}
    for engine, master in (("spark", cluster.url), ("duckdb", None)):
        out = tmp_path / f"belum-rekam-{engine}.csv"
        args = ("list", "belum-rekam", "--region", region, "--as-of", AS_OF, "--format", "csv", "--out", str(out))
        _rekam(home, *args, engine=engine, master=master)
        with out.open(encoding="utf-8-sig") as f:
            files[engine] = list(csv.reader(f, delimiter=";"))
    # Compared as digests and counts: a failure prints no name or NIK (the rows are personal data).
    rows = len(files["spark"]) - 1
    digests = {e: hashlib.sha256(repr(r).encode()).hexdigest() for e, r in files.items()}
    assert rows > 5 and digests["spark"] == digests["duckdb"]
    # A list matched there: the same decisions and probabilities as on DuckDB (the result files
    # compared by digest: they hold masked NIKs and the list's IDs, still nothing to print)
    listed = _match_list(home, tmp_path / "dpt.csv", 30)
    results, summaries = {}, {}
    for engine, master in (("spark", cluster.url), ("duckdb", None)):
        out = tmp_path / f"hasil-{engine}.csv"
        args = ("match", str(listed), "--engine", engine, "--out", str(out), "--json")
        summaries[engine] = json.loads(_rekam(home, *args, engine="duckdb", master=master))
        results[engine] = hashlib.sha256(out.read_bytes()).hexdigest()
    assert summaries["spark"] == summaries["duckdb"] and summaries["spark"]["match"] >= 20
    assert results["spark"] == results["duckdb"]
    assert not any((home / "tmp").glob("match-*"))  # the work folder (personal data) is gone
    # The work ran on the cluster: rekam's applications are the master's, each given both workers' cores.
    apps = status(cluster.ui)["completedapps"] + status(cluster.ui)["activeapps"]
    ours = [a for a in apps if a["name"] == "rekam"]
    assert len(ours) == 6 and all(a["cores"] == 2 for a in ours)


def _match_list(home: Path, path: Path, rows: int) -> Path:
    """A list of ``rows`` register people (every third with a title) and one invented person."""
    import duckdb

    from rekam.analytics.engines import snapshot_files
    from rekam.register.store import Store

    store = Store(home)
    files = ", ".join(f"'{f}'" for f in snapshot_files(store, store.require_current()))
    people = duckdb.sql(
        f"""SELECT name, strftime(birth_date, '%d-%m-%Y'), sex FROM read_parquet([{files}])
        WHERE accepted AND name IS NOT NULL AND birth_date IS NOT NULL ORDER BY hash(nik) LIMIT {rows}"""
    ).fetchall()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["NO", "NAMA", "TGL_LHR", "JENIS_KLMIN"])
        for i, (name, birth, sex) in enumerate(people):
            w.writerow([i, f"H. {name}" if i % 3 == 1 else name, birth, sex])
        w.writerow([rows, "ZULKARNAEN XAVERIUS TIADA", "01-01-1960", "1"])
    return path
