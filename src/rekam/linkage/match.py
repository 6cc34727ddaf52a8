"""Matching an outside list to the register with Splink on DuckDB (issue #6).

``match_list(con, register, rows)`` returns one row per list row (none dropped), in the
list's order:
``list_id, match_nik, match_probability, match_weight, decision, candidates,
second_probability, ktp_status, recording_state, agreed``. ``agreed`` names the fields
on which the list row and its best candidate agree (``nama``, ``tgl_lahir`` ...).
NIK is returned whole: masking belongs to the output the user asked for.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from rekam.linkage.model import FIELDS, NAME_AGREES_BITS, TF_COMPARISON, Thresholds, prior, settings
from rekam.linkage.prepare import name_frequencies, prepare_list, prepare_register
from rekam.register.store import Snapshot, Store

#: The columns of ``match_list``'s result, in order.
RESULT_COLUMNS: tuple[str, ...] = (
    "list_id", "match_nik", "match_probability", "match_weight", "decision", "candidates",
    "second_probability", "ktp_status", "recording_state", "agreed",
)  # fmt: skip

_LIST = "daftar"
_REGISTER = "register"


@dataclass
class MatchRun:
    """The result table and what it took (seconds per step, pairs scored)."""

    table: pa.Table
    seconds: dict[str, float] = field(default_factory=dict)
    pairs: int = 0
    register_rows: int = 0


def _splink():  # type: ignore[no-untyped-def]
    from splink import DuckDBAPI, Linker

    return DuckDBAPI, Linker


def match_list(
    con: duckdb.DuckDBPyConnection,
    register: str,
    rows: str,
    *,
    thresholds: Thresholds | None = None,
    population: int = 100_000,
    train_u: bool | None = None,
    seed: int = 1,
) -> MatchRun:
    """Match the list in table/view ``rows`` to the register in table/view ``register``.

    ``register`` has the snapshot columns (the ``register`` view); ``rows`` has ``list_id``
    and any of ``prepare.LIST_COLUMNS``. ``train_u`` estimates u by random sampling
    (default: when the register has 10 000 rows or more); m stays at its priors.
    """
    thresholds = thresholds or Thresholds()
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    reg = prepare_register(con, register, "lk_register")
    lst = prepare_list(con, rows, "lk_list")
    tf = name_frequencies(con, reg, "name_key", population)
    n_register = con.execute(f"SELECT count(*) FROM {reg}").fetchall()[0][0]
    seconds["prepare"] = time.perf_counter() - t

    t = time.perf_counter()
    DuckDBAPI, Linker = _splink()
    db_api = DuckDBAPI(con)
    sdf_list = db_api.register(lst, dataset_display_name=_LIST)
    sdf_reg = db_api.register(reg, dataset_display_name=_REGISTER)
    linker = Linker([sdf_list, sdf_reg], settings(prior(n_register, population=population)), log_level=None)
    linker.table_management.register_term_frequency_lookup(db_api.register(tf), "name_key")
    if train_u if train_u is not None else n_register >= 10_000:
        # Splink advises more pairs through a warning log; 1e6 pairs measured enough here.
        splink_log = logging.getLogger("splink")
        level = splink_log.level
        splink_log.setLevel(logging.ERROR)
        try:
            linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
        finally:
            splink_log.setLevel(level)
    seconds["train"] = time.perf_counter() - t

    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=1e-4, warning_mode="never")
    pairs = con.execute(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0]
    seconds["predict"] = time.perf_counter() - t

    t = time.perf_counter()
    table = con.sql(_decide_sql(predictions.physical_name, lst, register, thresholds)).to_arrow_table()
    seconds["decide"] = time.perf_counter() - t
    return MatchRun(table=table, seconds=seconds, pairs=pairs, register_rows=n_register)


def _decide_sql(predictions: str, lst: str, register: str, th: Thresholds) -> str:
    """One row per list row: the best candidate, the runner-up, and the decision."""
    # A field "agreed" when its match weight (term-frequency adjustment included) favours a
    # match. Splink 5 keeps the weights (mw_*), not the comparison levels (gamma_*).
    agreed = ", ".join(
        f"CASE WHEN mw_{name}{' + coalesce(mw_tf_adj_' + name + ', 0)' if name == TF_COMPARISON else ''} > 0 "
        f"THEN '{name}' END"
        for name in FIELDS
    )
    return f"""
WITH p AS (
  SELECT
    CASE WHEN source_dataset_l = '{_LIST}' THEN unique_id_l ELSE unique_id_r END AS list_id,
    CASE WHEN source_dataset_l = '{_LIST}' THEN unique_id_r ELSE unique_id_l END AS nik,
    match_probability, match_weight,
    coalesce(mw_{TF_COMPARISON}, 0) + coalesce(mw_tf_adj_{TF_COMPARISON}, 0) AS name_weight,
    array_to_string(list_filter([{agreed}], lambda x: x IS NOT NULL), ',') AS agreed
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
)
SELECT
  l.unique_id AS list_id,
  CASE WHEN b.match_probability >= {th.review} THEN b.nik END AS match_nik,
  coalesce(b.match_probability, 0.0) AS match_probability,
  b.match_weight,
  CASE
    WHEN b.match_probability >= {th.match} AND b.name_weight >= {NAME_AGREES_BITS}
         AND (b.second_weight IS NULL OR b.match_weight - b.second_weight >= {th.ambiguity_bits}
              OR b.second_probability < {th.review}) THEN 'match'
    WHEN b.match_probability >= {th.review} THEN 'review'
    ELSE 'no_match'
  END AS decision,
  coalesce(b.candidates, 0) AS candidates,
  b.second_probability,
  CASE WHEN b.match_probability >= {th.review} THEN r.ktp_status END AS ktp_status,
  CASE WHEN b.match_probability >= {th.review} THEN r.recording_state END AS recording_state,
  CASE WHEN b.match_probability >= {th.review} THEN b.agreed END AS agreed
FROM {lst} l
LEFT JOIN best b ON b.list_id = l.unique_id
LEFT JOIN (SELECT nik, ktp_status, recording_state FROM {register}) r ON r.nik = b.nik
ORDER BY l.rowid  -- the list's own order
"""


def match_file(
    store: Store,
    snapshot: Snapshot,
    path: Path,
    *,
    thresholds: Thresholds | None = None,
    population: int = 100_000,
) -> MatchRun:
    """Match the list file ``path`` (CSV or XLSX, ``lists.read_list``) to a snapshot's register."""
    from rekam.analytics.engines import DuckDBEngine
    from rekam.linkage.lists import read_list

    with DuckDBEngine(store, snapshot) as engine:
        engine.run("SELECT 1 FROM register LIMIT 0")  # creates the register view
        read_list(engine.con, path, "lk_input")
        return match_list(engine.con, "register", "lk_input", thresholds=thresholds, population=population)
