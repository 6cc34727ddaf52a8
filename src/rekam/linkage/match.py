"""Matching an outside list to the register with Splink on DuckDB (issue #6).

``match_list(con, register, rows)`` returns one row per list row (none dropped), in the
list's order:
``list_id, match_nik, match_probability, match_weight, decision, candidates,
second_probability, ktp_status, recording_state, agreed, disagreed``. ``agreed`` names the
fields on which the list row and its best candidate agree (``nama``, ``tgl_lahir`` ...),
``disagreed`` those that count against them (a field a side lacks is in neither).
NIK is returned whole: masking belongs to the output the user asked for.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from rekam.linkage.model import (
    FIELDS,
    NAME_AGREES_BITS,
    PERSONAL_FIELDS,
    TF_COMPARISON,
    Thresholds,
    install,
    prior,
    settings,
)
from rekam.linkage.prepare import name_frequencies, prepare_list, prepare_register
from rekam.linkage.review import ReviewRow, review_rows
from rekam.register.store import Snapshot, Store

#: The columns of ``match_list``'s result, in order.
RESULT_COLUMNS: tuple[str, ...] = (
    "list_id",
    "match_nik",
    "match_probability",
    "match_weight",
    "decision",
    "candidates",
    "second_probability",
    "ktp_status",
    "recording_state",
    "agreed",
    "disagreed",
)

_LIST = "daftar"
#: u by random sampling needs this many rows on the register's (or other list's) side; below
#: it the priors of ``model`` stand (a test's register of 12 rows says nothing of strangers).
MIN_ROWS_U = 2_000
#: EM (``estimate_m``) needs this many list rows: on fewer it converges to "same household"
#: as easily as to "same person".
MIN_ROWS_EM = 1_000
_REGISTER = "register"
#: DuckDB's memory during a match when ``match_file`` is given none (``Settings.memory_limit``,
#: REKAM_MEMORY_LIMIT): beyond it DuckDB spills to a private folder. With Python, Splink and
#: the list beside it, 100 k rows against 5.8 M stay under 3 GB (benchmarks/README.md, issue 23).
MEMORY_LIMIT = "1500MB"


@dataclass
class MatchRun:
    """The result table and what it took (seconds per step, pairs scored)."""

    table: pa.Table
    seconds: dict[str, float] = field(default_factory=dict)
    pairs: int = 0
    register_rows: int = 0
    kind: str = "lainnya"
    #: Splink's scored pairs (a table of the connection the run was made on, while it is open)
    predictions: str = ""
    #: the review rows with their best candidates side by side (``review.review_rows``)
    review: list[ReviewRow] = field(default_factory=list)


def _splink():  # type: ignore[no-untyped-def]
    from splink import DuckDBAPI, Linker

    return DuckDBAPI, Linker


def match_list(con: duckdb.DuckDBPyConnection, register: str, rows: str, **options: Any) -> MatchRun:
    """Match the list in table/view ``rows`` to the register in table/view ``register``.

    ``register`` has the snapshot columns (the ``register`` view); ``rows`` has ``list_id``
    and any of ``prepare.LIST_COLUMNS``. ``options`` are ``link``'s.
    """
    t = time.perf_counter()
    reg = prepare_register(con, register, "lk_register")
    lst = prepare_list(con, rows, "lk_list")
    prepared = time.perf_counter() - t
    run = link(con, lst, reg, f"(SELECT nik, ktp_status, recording_state FROM {register})", **options)
    run.seconds["prepare"] += prepared
    return run


def match_lists(con: duckdb.DuckDBPyConnection, rows: str, other: str, **options: Any) -> MatchRun:
    """Match the list ``rows`` to another list ``other`` (both with ``list_id`` and any of
    ``prepare.LIST_COLUMNS``): ``match_nik`` is then the other list's ``list_id``, and the
    KTP-el columns are empty (a list has no KTP-el status). ``options`` are ``link``'s."""
    t = time.perf_counter()
    lst = prepare_list(con, rows, "lk_list")
    oth = prepare_list(con, other, "lk_other")
    prepared = time.perf_counter() - t
    no_status = (
        "(SELECT NULL::VARCHAR AS nik, NULL::VARCHAR AS ktp_status, NULL::VARCHAR AS recording_state WHERE false)"
    )
    run = link(con, lst, oth, no_status, **options)
    run.seconds["prepare"] += prepared
    return run


#: u by random sampling compares this many random pairs per row of the smaller side (the
#: list), and never fewer than ``U_PAIRS_MIN``: beyond 100,000 rows its cost grows with the
#: list, as the match's does (was a fixed 1e6 pairs whatever the list). Fewer pairs for small
#: lists changed decisions: 200,000 or 500,000 moved kampung seed 12 hard's not-in-register
#: precision 0.928 -> 0.926 and its review 4.6 -> 4.8 % (benchmarks/README.md, issue 23).
U_PAIRS_PER_ROW = 10
U_PAIRS_MIN = 1_000_000


def u_pairs(rows: int) -> int:
    """The random pairs u is estimated on for a list of ``rows`` rows."""
    return max(U_PAIRS_MIN, U_PAIRS_PER_ROW * rows)


def estimate_u(linker: Any, seed: int) -> None:
    """u by random sampling (m stays at its priors) on ``u_pairs`` of the smaller side's rows;
    Splink's advice to sample more pairs (a warning log) is muted: measured enough here."""
    rows = min(
        sdf.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0] for sdf in linker._input_tables_dict.values()
    )
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    splink_log.setLevel(logging.ERROR)
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs(rows), seed=seed)
    finally:
        splink_log.setLevel(level)


def estimate_m_by_em(linker: Any) -> None:
    """m by expectation maximisation on the pairs of two blocking rules (the birth date, the
    name), u fixed at its estimate, starting from the priors."""
    from splink import block_on

    splink_log = logging.getLogger("splink")
    level = splink_log.level
    splink_log.setLevel(logging.ERROR)
    try:
        for rule in (block_on("birth_date"), block_on("name_key")):
            linker.training.estimate_parameters_using_expectation_maximisation(rule, fix_u_probabilities=True)
    finally:
        splink_log.setLevel(level)


def agreed_sql(against: bool = False) -> str:
    """SQL over Splink's predictions: the comma-separated fields whose match weight (term
    frequency adjustment included) favours a match, or with ``against`` counts against it (a
    field neither side gives weighs 0 and is in neither). Splink 5 keeps the weights (mw_*),
    not the comparison levels (gamma_*)."""
    sign = "<" if against else ">"
    agreed = ", ".join(
        f"CASE WHEN mw_{name}{' + coalesce(mw_tf_adj_' + name + ', 0)' if name == TF_COMPARISON else ''} {sign} 0 "
        f"THEN '{name}' END"
        for name in FIELDS
    )
    return f"array_to_string(list_filter([{agreed}], lambda x: x IS NOT NULL), ',')"


def personal_weight_sql() -> str:
    """SQL over Splink's predictions: the weight of the fields that belong to one person only
    (``model.PERSONAL_FIELDS``: the name, the NIK, another personal number), term frequency
    included. Twins and a household's members share the rest."""
    return " + ".join(
        f"coalesce(mw_{f}, 0)" + (f" + coalesce(mw_tf_adj_{f}, 0)" if f == TF_COMPARISON else "")
        for f in PERSONAL_FIELDS
    )


@dataclass
class Trained:
    """A model trained on DuckDB frames (``train``): its Splink linker there, the register's
    rows, and the name frequencies' table."""

    linker: Any
    register_rows: int
    tf: str
    seconds: dict[str, float]


def train(
    con: duckdb.DuckDBPyConnection,
    lst: str,
    reg: str,
    *,
    population: int = 100_000,
    train_u: bool | None = None,
    seed: int = 1,
    match_rate: float = 0.9,
    estimate_m: bool = False,
) -> Trained:
    """The model for linking the prepared frames ``lst`` and ``reg`` (``prepare``), on DuckDB
    whatever engine then scores the pairs (``link``).

    u is estimated from ``reg`` by random sampling when it has ``MIN_ROWS_U`` rows or more
    (``train_u`` forces it on or off); with ``estimate_m`` and a list of ``MIN_ROWS_EM`` rows
    or more, m too, by EM from the priors (measured worse on every held-out set so far, so off
    by default: benchmarks/README.md, issue #18).
    """
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    n_register = con.execute(f"SELECT count(*) FROM {reg}").fetchall()[0][0]
    trained = train_u if train_u is not None else n_register >= MIN_ROWS_U
    # u from this register describes this register: its own size then sets the prior and the
    # names' frequencies; on a register too small to estimate from, ``population`` stands
    # for the kab/kota the priors describe
    population = n_register if trained else population
    tf = name_frequencies(con, reg, "name_key", population)
    seconds["prepare"] = time.perf_counter() - t

    t = time.perf_counter()
    DuckDBAPI, Linker = _splink()
    install(con)
    db_api = DuckDBAPI(con)
    sdf_list = db_api.register(lst, dataset_display_name=_LIST)
    sdf_reg = db_api.register(reg, dataset_display_name=_REGISTER)
    linker = Linker(
        [sdf_list, sdf_reg],
        settings(prior(n_register, match_rate=match_rate, population=population)),
        log_level=None,
    )
    linker.table_management.register_term_frequency_lookup(db_api.register(tf), "name_key")
    if trained:
        estimate_u(linker, seed)
    n_list = con.execute(f"SELECT count(*) FROM {lst}").fetchall()[0][0]
    if estimate_m and n_list >= MIN_ROWS_EM:
        estimate_m_by_em(linker)
    seconds["train"] = time.perf_counter() - t
    return Trained(linker=linker, register_rows=n_register, tf=tf, seconds=seconds)


@dataclass(frozen=True)
class OnSpark:
    """Score the pairs on Spark (``spark.score_pairs``): the session, and a private work
    folder on a path every node of the cluster shares."""

    session: Any
    work: Path


def link(
    con: duckdb.DuckDBPyConnection,
    lst: str,
    reg: str,
    status: str,
    *,
    thresholds: Thresholds | None = None,
    on_spark: OnSpark | None = None,
    **options: Any,
) -> MatchRun:
    """Link two prepared frames (``prepare``): each row of ``lst`` to its best row of ``reg``.

    ``status`` is SQL of a relation (nik, ktp_status, recording_state) joined to the best
    candidate's ``unique_id``. The model is ``train``'s (``options`` are its). The pairs are
    scored by Splink on DuckDB, or with ``on_spark`` on Spark with the same model; the
    decision is DuckDB's either way.
    """
    thresholds = thresholds or Thresholds()
    trained = train(con, lst, reg, **options)
    seconds = trained.seconds

    t = time.perf_counter()
    if on_spark is None:
        predicted = trained.linker.inference.predict(threshold_match_probability=1e-4, warning_mode="never")
        predictions = predicted.physical_name
    else:
        from rekam.errors import EngineError, RekamError
        from rekam.linkage.spark import score_pairs

        model = trained.linker.misc.save_model_to_json()
        try:
            predictions = score_pairs(
                con, model, lst, reg, trained.tf, (_LIST, _REGISTER), on_spark.session, on_spark.work
            )
        except RekamError:
            raise
        except Exception as exc:  # the engine's own error, named as the figures' are (no data)
            raise EngineError("spark", "match: score the pairs", exc) from exc
    pairs = con.execute(f"SELECT count(*) FROM {predictions}").fetchall()[0][0]
    seconds["predict"] = time.perf_counter() - t

    t = time.perf_counter()
    table = con.sql(_decide_sql(predictions, lst, status, thresholds)).to_arrow_table()
    seconds["decide"] = time.perf_counter() - t
    return MatchRun(
        table=table, seconds=seconds, pairs=pairs, register_rows=trained.register_rows, predictions=predictions
    )


def _decide_sql(predictions: str, lst: str, status: str, th: Thresholds) -> str:
    """One row per list row: the best candidate, the runner-up, and the decision. A row is
    for review (its best candidate shown) when the best candidate's probability, or the sum
    of all its candidates' (the chance that the person is in the register at all), reaches
    the review threshold."""
    shown = f"(b.match_probability >= {th.review} OR t.present_probability >= {th.review})"
    return f"""
WITH p AS (
  SELECT
    CASE WHEN source_dataset_l = '{_LIST}' THEN unique_id_l ELSE unique_id_r END AS list_id,
    CASE WHEN source_dataset_l = '{_LIST}' THEN unique_id_r ELSE unique_id_l END AS nik,
    match_probability, match_weight,
    {personal_weight_sql()} AS name_weight,
    {agreed_sql()} AS agreed,
    {agreed_sql(against=True)} AS disagreed
  FROM {predictions}
  WHERE source_dataset_l <> source_dataset_r
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY list_id ORDER BY match_weight DESC, nik) AS rank,
    count(*) OVER (PARTITION BY list_id) AS candidates
  FROM p
),
best AS (
  SELECT b.*, s.match_probability AS second_probability, s.match_weight AS second_weight
  FROM ranked b LEFT JOIN ranked s ON s.list_id = b.list_id AND s.rank = 2
  WHERE b.rank = 1
),
-- the chance that the row's person is in the register at all: at most one candidate is,
-- so the candidates' probabilities add up (a common name without a birth date, at another
-- address, has many candidates none of which is likely, and is present all the same)
present AS (
  SELECT list_id, least(sum(match_probability), 1.0) AS present_probability FROM p GROUP BY list_id
),
-- a register person who is the best candidate of a list row whose name agrees is no
-- candidate for another row whose name does not (an unregistered twin of a listed person)
claimed AS (
  SELECT b.list_id FROM best b JOIN best o ON o.nik = b.nik AND o.list_id <> b.list_id
  WHERE b.name_weight < {NAME_AGREES_BITS} AND o.name_weight >= {NAME_AGREES_BITS} AND o.match_weight > b.match_weight
)
SELECT
  l.unique_id AS list_id,
  CASE WHEN {shown} THEN b.nik END AS match_nik,
  coalesce(b.match_probability, 0.0) AS match_probability,
  b.match_weight,
  CASE
    WHEN b.match_probability >= {th.match} AND b.name_weight >= {NAME_AGREES_BITS}
         AND (b.second_weight IS NULL OR b.match_weight - b.second_weight >= {th.ambiguity_bits}
              OR b.second_probability < {th.review}) THEN 'match'
    WHEN {shown} THEN 'review'
    ELSE 'no_match'
  END AS decision,
  coalesce(b.candidates, 0) AS candidates,
  b.second_probability,
  CASE WHEN {shown} THEN r.ktp_status END AS ktp_status,
  CASE WHEN {shown} THEN r.recording_state END AS recording_state,
  CASE WHEN {shown} THEN b.agreed END AS agreed,
  CASE WHEN {shown} THEN b.disagreed END AS disagreed
FROM {lst} l
LEFT JOIN best b ON b.list_id = l.unique_id AND b.list_id NOT IN (SELECT list_id FROM claimed)
LEFT JOIN present t ON t.list_id = b.list_id
LEFT JOIN {status} r ON r.nik = b.nik
ORDER BY l.rowid  -- the list's own order
"""


def match_file(
    store: Store | None,
    snapshot: Snapshot | None,
    path: Path,
    *,
    against: Path | None = None,
    kind: str | None = None,
    thresholds: Thresholds | None = None,
    population: int = 100_000,
    estimate_m: bool = False,
    review: bool = False,
    memory_limit: str | None = None,
    spark: SparkTarget | None = None,
) -> MatchRun:
    """Match the list file ``path`` (CSV or XLSX, ``lists.read_list``) to a snapshot's
    register, or with ``against`` to another list file (then ``store`` and ``snapshot`` are
    not read). ``kind`` (``kinds.KINDS``) defaults to the one the list's headers show. With
    ``review``, ``run.review`` holds the review rows beside their candidates (``review.review_rows``).
    With ``spark``, the pairs are scored on Spark (``link``), the same model, the same decisions.

    DuckDB's memory is bounded by ``memory_limit`` (None: ``MEMORY_LIMIT``); beyond it, it
    spills to a private folder (``spill_folder``) removed at the end."""
    args = (store, snapshot, path, against, kind, thresholds, population, estimate_m, review, memory_limit)
    if spark is not None:
        with spark.open() as on_spark:
            return _match_file(*args, on_spark)
    return _match_file(*args, None)


@dataclass(frozen=True)
class SparkTarget:
    """Where to score a match's pairs on Spark: the master (``Settings.spark_master``) and the
    folder under which the run's private work folder is made (``REKAM_HOME/tmp``: on a
    cluster, a path every node shares, as the snapshot's)."""

    master: str
    work_root: Path

    @contextmanager
    def open(self) -> Iterator[OnSpark]:
        """The Spark session and a private (0700) work folder, removed at the end: it holds
        the frames and the pairs, personal data. Named ``match-<pid>-...`` so that an import's
        clean-up leaves it alone while this process runs (``Store.clean_abandoned``)."""
        from rekam.analytics.engines import spark_session

        self.work_root.mkdir(parents=True, exist_ok=True)
        session = spark_session(self.master)
        work = Path(tempfile.mkdtemp(prefix=f"match-{os.getpid()}-spark-", dir=self.work_root))
        try:
            yield OnSpark(session, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _match_file(
    store: Store | None,
    snapshot: Snapshot | None,
    path: Path,
    against: Path | None,
    kind: str | None,
    thresholds: Thresholds | None,
    population: int,
    estimate_m: bool,
    review: bool,
    memory_limit: str | None,
    on_spark: OnSpark | None,
) -> MatchRun:
    from rekam import duck
    from rekam.linkage.kinds import kind_of
    from rekam.linkage.lists import read_list

    options: dict[str, Any] = {
        "thresholds": thresholds,
        "population": population,
        "estimate_m": estimate_m,
        "on_spark": on_spark,
    }
    if against is not None:
        with spill_folder(None) as folder:
            con = duck.connect(spill_dir=folder, memory_limit=memory_limit or MEMORY_LIMIT)
            try:
                keys = read_list(con, path, "lk_input")
                read_list(con, against, "lk_against")
                list_kind = kind_of(kind, keys)
                run = match_lists(con, "lk_input", "lk_against", match_rate=list_kind.match_rate, **options)
                if review:
                    run.review = review_rows(
                        con, run.table, run.predictions, _LIST, "lk_input", "lk_against", against=True
                    )
            finally:
                con.close()
        run.kind = list_kind.name
        return run
    from rekam.analytics.engines import DuckDBEngine

    assert store is not None and snapshot is not None
    with spill_folder(store.home) as folder, DuckDBEngine(store, snapshot) as engine:
        con = engine.duckdb_connection("register")  # Splink needs DuckDB itself
        duck.bound(con, spill_dir=folder, memory_limit=memory_limit or MEMORY_LIMIT)
        keys = read_list(con, path, "lk_input")
        list_kind = kind_of(kind, keys)
        run = match_list(con, "register", "lk_input", match_rate=list_kind.match_rate, **options)
        if review:
            run.review = review_rows(con, run.table, run.predictions, _LIST, "lk_input", "register", against=False)
    run.kind = list_kind.name
    return run


@contextmanager
def spill_folder(home: Path | None) -> Iterator[Path]:
    """A folder of its own for a match's connection to spill to, 0700 (it will hold the
    register's personal data), removed afterwards: under REKAM_HOME's ``tmp/`` when ``home``
    is given (``match-<pid>-...``: an import's clean-up leaves a live match's folder alone),
    else a private temp folder."""
    from rekam.files import private_dir

    if home is not None:
        folder = private_dir(home / "tmp" / f"match-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    else:
        folder = Path(tempfile.mkdtemp(prefix="rekam-match-"))  # made 0700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
