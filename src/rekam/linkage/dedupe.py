"""Residents registered twice: pairs within the register that look like one person (issue #6).

SIAK holds people with two NIKs (recorded twice, moved and registered again, a NIK typed
wrong at an earlier issue). ``dedupe`` compares register rows with each other, with the
model of ``model`` (the same name, birth date, sex, address and birthplace comparisons; the
NIK weighs nothing: see ``_NIK``),
and returns the pairs at or above the threshold whose names agree (``NAME_AGREES_BITS``:
twins and a household's members share everything but the name), grouped into clusters
(connected components, Splink's clustering): one cluster = one person, for review.

Blocking (``BLOCKING_RULES``) needs the birth date or the name to agree with something of
the place, so it stays linear in the register's size: the whole of Sumatera Barat is possible,
one kab/kota (``--region``) is the usual job.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
from splink import SettingsCreator, block_on

from rekam.linkage.match import agreed_sql, estimate_u
from rekam.linkage.model import COMPARISONS, NAME_AGREES_BITS, TF_COMPARISON, _comparison, install
from rekam.linkage.prepare import name_frequencies, prepare_register

#: A duplicate pair needs to agree on one of these.
BLOCKING_RULES = [
    block_on("birth_date", "sound_first"),
    "l.birth_swapped = r.birth_date AND l.sound_first = r.sound_first",
    block_on("name_key", "birth_year"),
    block_on("name_key", "desa_code"),
    block_on("birth_date", "desa_code"),
    block_on("sound_key", "birth_year", "birth_month"),
]

#: Two NIKs of one resident: never equal (an equal NIK is quarantined at import).
_NIK = {
    "name": "nik",
    "null": "nik_l IS NULL OR nik_r IS NULL",
    "levels": [
        # Shown (``agreed``), weighed nothing: two NIKs one digit apart are as common among
        # different people born days apart in one kecamatan (serial 0001 each) as for one
        # person, so as evidence the level would count the birth date and place twice.
        ("levenshtein(nik_l, nik_r) = 1", "NIK beda satu angka", 0.5, 0.5),
        ("ELSE", "NIK lain", 0.5, 0.5),
    ],
}

#: The share of register rows expected to have a second record (for the prior).
DUPLICATE_RATE = 0.002

#: The columns of ``DedupeRun.table``, in order.
RESULT_COLUMNS: tuple[str, ...] = (
    "nik_a",
    "nik_b",
    "match_probability",
    "cluster_id",
    "agreed",
    "desa_a",
    "desa_b",
    "ktp_status_a",
    "ktp_status_b",
)


@dataclass
class DedupeRun:
    """The pairs (``RESULT_COLUMNS``), and what it took."""

    table: pa.Table
    records: int = 0
    clusters: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def settings(prior: float) -> SettingsCreator:
    comparisons = [_comparison(_NIK if c["name"] == "nik" else c) for c in COMPARISONS]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


def dedupe(
    con: duckdb.DuckDBPyConnection,
    register: str,
    *,
    threshold: float = 0.9,
    population: int = 100_000,
    train_u: bool | None = None,
    seed: int = 1,
) -> DedupeRun:
    """Pairs of rows of ``register`` (a table/view with the snapshot columns) that look like
    one resident, at ``threshold`` or above, clustered; NIKs whole (masking is the output's)."""
    from splink import DuckDBAPI, Linker
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    seconds: dict[str, float] = {}
    t = time.perf_counter()
    reg = prepare_register(con, register, "dd_register")
    tf = name_frequencies(con, reg, "name_key", population)
    n = con.execute(f"SELECT count(*) FROM {reg}").fetchall()[0][0]
    seconds["prepare"] = time.perf_counter() - t

    t = time.perf_counter()
    install(con)
    db_api = DuckDBAPI(con)
    sdf = db_api.register(reg, dataset_display_name="register")
    prior = min(2 * DUPLICATE_RATE / max(n, population, 1), 0.5)
    linker = Linker(sdf, settings(prior), log_level=None)
    linker.table_management.register_term_frequency_lookup(db_api.register(tf), "name_key")
    if train_u if train_u is not None else n >= 10_000:
        estimate_u(linker, seed)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    seconds["predict"] = time.perf_counter() - t

    t = time.perf_counter()
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE dd_pairs AS
        SELECT least(unique_id_l, unique_id_r) AS unique_id_l, greatest(unique_id_l, unique_id_r) AS unique_id_r,
          match_probability,
          {agreed_sql()} AS agreed
        FROM {predictions.physical_name}
        WHERE coalesce(mw_{TF_COMPARISON}, 0) + coalesce(mw_tf_adj_{TF_COMPARISON}, 0) >= {NAME_AGREES_BITS}"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE dd_nodes AS
        SELECT unique_id_l AS unique_id FROM dd_pairs UNION SELECT unique_id_r FROM dd_pairs"""
    )
    clusters = cluster_pairwise_predictions_at_threshold(
        "dd_nodes", "dd_pairs", db_api, node_id_column_name="unique_id"
    )
    # Clusters are numbered 1, 2 ... in order of their smallest NIK: no NIK in the cluster id.
    table = con.sql(
        f"""WITH c AS (
          SELECT unique_id, dense_rank() OVER (ORDER BY cluster_id) AS k
          FROM {clusters.physical_name}
        )
        SELECT p.unique_id_l AS nik_a, p.unique_id_r AS nik_b, p.match_probability,
          printf('K%05d', c.k) AS cluster_id, p.agreed,
          a.desa_code AS desa_a, b.desa_code AS desa_b, a.ktp_status AS ktp_status_a, b.ktp_status AS ktp_status_b
        FROM dd_pairs p JOIN c ON c.unique_id = p.unique_id_l
        JOIN {register} a ON a.nik = p.unique_id_l
        JOIN {register} b ON b.nik = p.unique_id_r
        ORDER BY c.k, p.match_probability DESC, nik_a, nik_b"""
    ).to_arrow_table()
    n_clusters = len(set(table.column("cluster_id").to_pylist()))
    seconds["cluster"] = time.perf_counter() - t
    return DedupeRun(table=table, records=n, clusters=n_clusters, seconds=seconds)
