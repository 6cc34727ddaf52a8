"""All the cluster test's work on one engine, in one process (issue 23): coverage at every level,
the belum-rekam list of a region and the match of a list file, written to a folder.

    REKAM_HOME=... REKAM_ENGINE=spark REKAM_SPARK_MASTER=spark://... \\
        python -m tests.support.spark_app LIST OUT [--as-of D] [--election-date D] [--region R]

Run so (from the repo root), it is one Spark application: a Spark session is per process and
every call here shares it (``engines.spark_session``), where ``rekam`` run once per command
starts an application each (27-41 s of start on 2 cores). The settings are read from the
environment as the CLI reads them (``Settings.from_env``); the match's ``SparkTarget`` is built
as ``Rekam.match_list_file`` builds it (the master, ``REKAM_HOME/tmp``). The test calls
``write`` in its own process with DuckDB settings for the other side, so that both are written
and read back (``load``) the same way.

``OUT`` holds ``coverage.json`` (level -> ``CoverageRow.as_json()`` rows), ``people.json`` (the
list's ``Person`` rows), ``match.parquet`` (``MatchRun.table``) and ``match.json`` (pairs,
register rows, the review rows' candidates): personal data, in the test's temporary folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from rekam.api import Rekam
from rekam.config import Settings

LEVELS = ("prov", "kab", "kec", "desa")


def write(rekam: Rekam, listed: Path, out: Path, as_of: date, election_date: date, region: str) -> None:
    """The figures, the belum-rekam list of ``region`` and the match of ``listed`` on the
    engine of ``rekam``'s settings, written to ``out``."""
    from rekam.linkage.match import SparkTarget, match_file

    out.mkdir(parents=True, exist_ok=True)
    figures = rekam.coverage_levels(as_of, LEVELS, election_date=election_date)  # one engine query
    coverage = {level: [r.as_json() for r in rows] for level, rows in figures.items()}
    (out / "coverage.json").write_text(json.dumps(coverage, default=str), encoding="utf-8")
    people, _snap = rekam.list_people("belum-rekam", region, as_of=as_of)
    rows = [dataclasses.asdict(p) for p in people]
    (out / "people.json").write_text(json.dumps(rows, default=str), encoding="utf-8")
    settings = rekam.settings
    spark = SparkTarget(settings.spark_master, settings.home / "tmp") if settings.engine == "spark" else None
    store = rekam.store()
    run = match_file(
        store, store.require_current(), listed, review=True, memory_limit=settings.memory_limit, spark=spark
    )
    pq.write_table(run.table, out / "match.parquet")
    review = [(r.list_id, [c.id for c in r.candidates]) for r in run.review]
    facts = {"pairs": run.pairs, "register_rows": run.register_rows, "review": review}
    (out / "match.json").write_text(json.dumps(facts), encoding="utf-8")


def load(out: Path) -> dict[str, Any]:
    """What ``write`` wrote: coverage, people, match (the table's rows), match_facts."""
    return {
        "coverage": json.loads((out / "coverage.json").read_text(encoding="utf-8")),
        "people": json.loads((out / "people.json").read_text(encoding="utf-8")),
        "match": pq.read_table(out / "match.parquet").to_pylist(),
        "match_facts": json.loads((out / "match.json").read_text(encoding="utf-8")),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.support.spark_app")
    parser.add_argument("listed", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2024, 11, 13))
    parser.add_argument("--election-date", type=date.fromisoformat, default=date(2024, 11, 27))
    parser.add_argument("--region", default="13.71")
    args = parser.parse_args(argv)
    rekam = Rekam(Settings.from_env())
    write(rekam, args.listed, args.out, args.as_of, args.election_date, args.region)


if __name__ == "__main__":
    main()
