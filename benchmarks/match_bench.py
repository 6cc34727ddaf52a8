"""Benchmark: `rekam match` (issue #6) against generated outside lists with ground truth.

    .venv/bin/python benchmarks/match_bench.py --scale 0.1 --rows 5000 --seed 2
    .venv/bin/python benchmarks/match_bench.py --scale 1.0 --rows 100000 --kinds dpt --levels medium \\
        --variants rekam,exact

Set-up (reused when present, in benchmarks/.work/, gitignored): the synthetic Sumatera Barat
register at ``--scale`` (``rekam demo generate``), imported (``rekam import``, REKAM_HOME
``home-<scale>``), and outside lists with their truth files (``rekam demo outside-lists``,
``--seed``; tune on one seed, report on another).

Each (list kind, level, variant) runs in a fresh process (wall time includes process start
and reading the snapshot; peak RSS of the process tree, sampled 50 ms):
  rekam    rekam.linkage.match.match_file: the library's model and decision
  exact    what a user would write: one DuckDB join of the list to the register on the name
           (upper case, letters and single spaces) and the birth date; one candidate is a
           match, several are review, none is no_match
  splink   Splink 5 with its standard comparisons (NameComparison, DateOfBirthComparison,
           ExactMatch on sex, desa and birthplace), blocking on birth date or name, the
           prior from a deterministic rule, u by random sampling and m by EM; the list read by
           rekam's reader (same columns); best candidate >= 0.9 match, >= 0.5 review

Scoring (``score``), per list: the ``match`` decision's precision, recall and F1 (a match to
the right NIK is a true positive; a match to a wrong NIK, or of a person absent from the
register, a false positive; a present person not matched to their NIK, including one sent to
review, a false negative), the precision of ``no_match`` as "not in register" (rows really
absent / all no_match rows), and the share of rows sent to review. Only counts and corruption
labels are written (``results/match.jsonl``), never a NIK or a name.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from _measure import measure  # noqa: E402

PY = sys.executable
WORK = HERE / ".work"
GOALS = {"medium": {"f1": 0.995, "nir_precision": 0.97}, "hard": {"f1": 0.985, "nir_precision": 0.93}}
REVIEW_GOAL = 0.05
_NOT_LETTER = r"'[^A-Z ]+'"


# --- the variants, each run in a child process ---------------------------------------------


def _engine(home: Path):  # type: ignore[no-untyped-def]
    from rekam.analytics.engines import DuckDBEngine
    from rekam.register.store import Store

    store = Store(home)
    engine = DuckDBEngine(store, store.require_current())
    return store, engine


def run_rekam(home: Path, path: Path, out: Path, spark: bool = False) -> dict[str, object]:
    from rekam.config import Settings
    from rekam.linkage.match import SparkTarget, match_file
    from rekam.register.store import Store

    store = Store(home)
    target = SparkTarget(Settings.from_env().spark_master, home / "tmp") if spark else None
    run = match_file(store, store.require_current(), path, spark=target)
    import pyarrow.parquet as pq

    pq.write_table(run.table.select(["list_id", "match_nik", "decision"]), out)
    return {"seconds": {k: round(v, 2) for k, v in run.seconds.items()}, "pairs": run.pairs}


def _norm_name(col: str) -> str:
    return f"trim(regexp_replace(regexp_replace(upper({col}), {_NOT_LETTER}, ' ', 'g'), '\\s+', ' ', 'g'))"


def run_exact(home: Path, path: Path, out: Path) -> dict[str, object]:
    """Exact join on the normalised name and the birth date, in one DuckDB query."""
    _, engine = _engine(home)
    con = engine.duckdb_connection()  # with the register view
    t = time.perf_counter()
    dates = ", ".join(
        f"CAST(try_strptime(TGL_LHR, '{f}') AS DATE)" for f in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
    )
    id_col = con.execute(f"SELECT * FROM read_csv('{path}', all_varchar = true) LIMIT 0").description[0][0]
    con.execute(
        f"""COPY (
        WITH l AS (
          SELECT "{id_col}" AS list_id, {_norm_name("NAMA")} AS name, coalesce({dates}) AS birth_date
          FROM read_csv('{path}', all_varchar = true)
        ),
        r AS (SELECT nik, {_norm_name("name")} AS name, CAST(birth_date AS DATE) AS birth_date FROM register),
        j AS (
          SELECT l.list_id, count(r.nik) AS n, min(r.nik) AS nik
          FROM l LEFT JOIN r ON r.name = l.name AND r.birth_date = l.birth_date
          GROUP BY l.list_id
        )
        SELECT list_id, CASE WHEN n = 1 THEN nik END AS match_nik,
          CASE WHEN n = 1 THEN 'match' WHEN n > 1 THEN 'review' ELSE 'no_match' END AS decision
        FROM j) TO '{out}' (FORMAT parquet)"""
    )
    return {"seconds": {"join": round(time.perf_counter() - t, 2)}}


def run_splink(home: Path, path: Path, out: Path) -> dict[str, object]:
    """Splink's standard comparisons, trained as its tutorials do (prior, u sampling, EM)."""
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from rekam.linkage.lists import read_list

    logging.getLogger("splink").setLevel(logging.ERROR)
    _, engine = _engine(home)
    con = engine.duckdb_connection()  # with the register view
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    read_list(con, path, "lst_in")
    cols = (
        "{uid} AS unique_id, {name} AS name, CAST(birth_date AS DATE) AS birth_date, "
        "CASE WHEN upper(sex) IN ('L', 'LAKI-LAKI') THEN 'L' WHEN upper(sex) IN ('P', 'PEREMPUAN') THEN 'P' END "
        "AS sex, regexp_replace(CAST(desa_code AS VARCHAR), '[^0-9]', '', 'g') AS desa_code, "
        "upper(trim(birth_place)) AS birth_place"
    )
    dates = "coalesce(TRY_CAST(birth_date AS DATE), CAST(try_strptime(birth_date, ['%d-%m-%Y', '%d/%m/%Y']) AS DATE))"
    con.execute(
        f"CREATE TABLE sp_list AS SELECT {cols.format(uid='list_id', name=_norm_name('name'))} "
        f"FROM (SELECT * REPLACE ({dates} AS birth_date) FROM lst_in)"
    )
    con.execute(f"CREATE TABLE sp_reg AS SELECT {cols.format(uid='nik', name=_norm_name('name'))} FROM register")
    seconds["prepare"] = time.perf_counter() - t
    t = time.perf_counter()
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("sex"),
            cl.ExactMatch("desa_code"),
            cl.ExactMatch("birth_place"),
        ],
        blocking_rules_to_generate_predictions=[block_on("birth_date"), block_on("name")],
    )
    api = DuckDBAPI(con)
    linker = Linker(
        [
            api.register("sp_list", dataset_display_name="sp_list"),
            api.register("sp_reg", dataset_display_name="sp_reg"),
        ],
        settings,
        log_level=None,
    )
    linker.training.estimate_probability_two_random_records_match([block_on("name", "birth_date")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    seconds["train"] = time.perf_counter() - t
    t = time.perf_counter()
    pred = linker.inference.predict(threshold_match_probability=0.5).physical_name
    seconds["predict"] = time.perf_counter() - t
    con.execute(
        f"""COPY (
        WITH p AS (
          SELECT CASE WHEN source_dataset_l = 'sp_list' THEN unique_id_l ELSE unique_id_r END AS list_id,
            CASE WHEN source_dataset_l = 'sp_list' THEN unique_id_r ELSE unique_id_l END AS nik, match_probability
          FROM {pred}
        ),
        best AS (SELECT list_id, arg_max(nik, match_probability) AS nik, max(match_probability) AS p
                 FROM p GROUP BY list_id)
        SELECT l.unique_id AS list_id, CASE WHEN b.p >= 0.5 THEN b.nik END AS match_nik,
          CASE WHEN b.p >= 0.9 THEN 'match' WHEN b.p >= 0.5 THEN 'review' ELSE 'no_match' END AS decision
        FROM sp_list l LEFT JOIN best b ON b.list_id = l.unique_id) TO '{out}' (FORMAT parquet)"""
    )
    return {"seconds": {k: round(v, 2) for k, v in seconds.items()}}


def run_rekam_spark(home: Path, path: Path, out: Path) -> dict[str, object]:
    """rekam's match with the pairs scored on Spark (REKAM_SPARK_MASTER; ``--engine spark``)."""
    return run_rekam(home, path, out, spark=True)


VARIANTS = {"rekam": run_rekam, "rekam_spark": run_rekam_spark, "exact": run_exact, "splink": run_splink}


# --- scoring --------------------------------------------------------------------------------


def score(truth: Path, result: Path, errors: bool = False) -> dict[str, object]:
    """Precision/recall/F1 of ``match``, precision of ``no_match``, review share (module doc)."""
    import pyarrow.parquet as pq

    found = {r["list_id"]: r for r in pq.read_table(result).to_pylist()}
    tp = fp = fn = rows = absent = 0
    decisions: Counter[str] = Counter()
    nm_absent = 0
    kinds: Counter[str] = Counter()  # error kind x corruption label (counts only)
    with truth.open(encoding="utf-8") as f:
        for t in csv.DictReader(f):
            rows += 1
            r = found.get(t["list_id"], {"match_nik": None, "decision": "missing"})
            decision, true_nik = r["decision"], t["true_nik"] or None
            decisions[decision] += 1
            absent += true_nik is None
            if decision == "match" and r["match_nik"] == true_nik:
                tp += 1
                continue
            error = None
            if decision == "match":
                fp += 1
                error = "fp_absent" if true_nik is None else "fp_wrong_nik"
            if true_nik is not None:
                fn += 1
                error = error or f"fn_{decision}"
            if decision == "no_match" and true_nik is None:
                nm_absent += 1
            if errors and error:
                labels = [c for c in t["corruption"].split("|") if c] or ["none"]
                for label in labels + ([f"hn:{t['hard_negative']}"] if t["hard_negative"] else []):
                    kinds[f"{error} {label}"] += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    out: dict[str, object] = {
        "rows": rows,
        "absent": absent,
        "match": decisions["match"],
        "review": decisions["review"],
        "no_match": decisions["no_match"],
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "nir_precision": round(nm_absent / decisions["no_match"], 4) if decisions["no_match"] else None,
        "nir_recall": round(nm_absent / absent, 4) if absent else None,
        "review_share": round(decisions["review"] / rows, 4),
    }
    if errors:
        out["errors"] = dict(kinds.most_common())
    return out


# --- set-up ---------------------------------------------------------------------------------


def ensure_register(scale: float) -> Path:
    data, home = WORK / f"demo-{scale}", WORK / f"home-{scale}"
    if not (data / "siak").is_dir():
        from rekam import api

        t = time.perf_counter()
        api.generate_demo(data, scale=scale)
        print(f"generated scale {scale} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if not (home / "CURRENT").exists():
        files = sorted(str(p) for p in (data / "siak").glob("*.csv"))
        env = dict(os.environ, REKAM_HOME=str(home))
        subprocess.run(
            [PY, "-m", "rekam", "import", *files, "--date", "2024-11-13", "--json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return home


def ensure_lists(scale: float, level: str, rows: int, seed: int, kinds: list[str]) -> Path:
    out = WORK / f"outside-{scale}-{level}-{rows}-s{seed}"
    missing = [k for k in kinds if not (out / f"{k}_truth.csv").exists()]
    if missing:
        from rekam import api

        api.generate_outside_lists(
            WORK / f"demo-{scale}" / "siak", out, level=level, rows=rows, seed=seed, kinds=missing
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=2, help="outside-list seed (tune on 1, report on 2)")
    ap.add_argument("--kinds", default="sekolah,dpt,lapas")
    ap.add_argument("--levels", default="medium,hard")
    ap.add_argument("--variants", default="rekam,exact,splink")
    ap.add_argument("--errors", action="store_true", help="count errors by corruption label")
    ap.add_argument("--no-save", action="store_true", help="do not append to results/match.jsonl")
    ap.add_argument("--run", choices=list(VARIANTS), help=argparse.SUPPRESS)
    ap.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--list", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        print(json.dumps(VARIANTS[args.run](args.home, args.list, args.out)))
        return

    kinds, levels, variants = args.kinds.split(","), args.levels.split(","), args.variants.split(",")
    home = ensure_register(args.scale)
    from rekam.register.store import Store

    register_rows = Store(home).require_current().rows
    summary: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "scale": args.scale,
        "register_rows": register_rows,
        "list_rows": args.rows,
        "seed": args.seed,
        "cores": os.cpu_count(),
        "results": [],
    }
    for level in levels:
        lists = ensure_lists(args.scale, level, args.rows, args.seed, kinds)
        for kind in kinds:
            for variant in variants:
                with tempfile.TemporaryDirectory(prefix="rekam-match-") as tmp:
                    out = Path(tmp) / "result.parquet"
                    cmd = [
                        PY,
                        __file__,
                        "--run",
                        variant,
                        "--home",
                        str(home),
                        "--list",
                        str(lists / f"{kind}.csv"),
                        "--out",
                        str(out),
                    ]
                    m = measure(cmd)
                    child = json.loads(str(m["stdout"]).splitlines()[-1])
                    result = {
                        "kind": kind,
                        "level": level,
                        "variant": variant,
                        "wall_s": m["wall_s"],
                        "peak_rss_mb": m["peak_rss_mb"],
                        **child,
                        **score(lists / f"{kind}_truth.csv", out, errors=args.errors),
                    }
                summary["results"].append(result)  # type: ignore[union-attr]
                brief = {
                    k: result[k]
                    for k in (
                        "kind",
                        "level",
                        "variant",
                        "precision",
                        "recall",
                        "f1",
                        "nir_precision",
                        "review_share",
                        "wall_s",
                    )
                }
                print(json.dumps(brief), file=sys.stderr)
                if args.errors:
                    print(json.dumps(result["errors"]), file=sys.stderr)
    if not args.no_save:
        (HERE / "results").mkdir(exist_ok=True)
        with (HERE / "results" / "match.jsonl").open("a") as f:
            f.write(json.dumps(summary) + "\n")
    print(table(summary))


def table(summary: dict[str, object]) -> str:
    """The README's table: one row per (level, kind, variant), goals marked."""
    lines = ["| level | list | variant | P | R | F1 | not-in-register P | review | s | goals |", "|" + "---|" * 10]
    for r in summary["results"]:  # type: ignore[union-attr]
        goal = GOALS.get(r["level"])
        met = ""
        if goal and r["kind"] in ("sekolah", "dpt"):
            nir = r["nir_precision"] if r["nir_precision"] is not None else 1.0
            ok = r["f1"] >= goal["f1"] and nir >= goal["nir_precision"] and r["review_share"] <= REVIEW_GOAL
            met = "met" if ok else "missed"
        nir = "" if r["nir_precision"] is None else f"{r['nir_precision']:.3f}"
        lines.append(
            f"| {r['level']} | {r['kind']} | {r['variant']} | {r['precision']:.4f} | {r['recall']:.4f} | "
            f"{r['f1']:.4f} | {nir} | {100 * r['review_share']:.1f} % | {r['wall_s']} | {met} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
