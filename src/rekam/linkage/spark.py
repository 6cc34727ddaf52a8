"""Scoring a match's pairs on Spark (issue 23): the same model, the same decisions as DuckDB.

``match.link`` prepares both frames and trains the model on DuckDB as always (same seed, same
sample: ``match.train``); with a Spark session it hands the trained model (Splink's settings,
m and u included) to a Splink linker on Spark, which blocks and scores the pairs there:

    DuckDB: prepare the frames, train ──► Parquet in a private work folder (0700)
    Spark:  read them, block, score (Splink SparkAPI) ──► the pairs' Parquet
    DuckDB: read the pairs, decide (``match._decide_sql``: the very same decision code)

The work folder must be a path every node of the cluster reads and writes (as the snapshot's,
docs/analytics.md); it holds personal data and is removed after the run.

The model's SQL is DuckDB's dialect; ``spark_sql`` translates it with sqlglot, and the few
things sqlglot cannot know: a 1-based list index that may fall off the end (NULL on DuckDB,
an error on Spark: ``try_element_at``), ``list_has_all`` (no Spark function: an
``array_except`` that leaves nothing), and Jaro-Winkler, which is DuckDB's own, bit for bit
(``jaro.jaro_winkler`` as a vectorised Python function; Splink's jar has another). Damerau-
Levenshtein comes from Splink's jar (equal to DuckDB's on 200,000 name pairs).
"""

from __future__ import annotations

import copy
import functools
import uuid
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from rekam.linkage.model import WORD_CLOSE, WORD_CLOSE_PARAMS, word_close_sql

#: The Spark SQL name of ``jaro.jaro_winkler``.
JARO_WINKLER = "rekam_jaro_winkler"

#: The columns of Splink's scored pairs that the decision and the review sheet read.
_PAIR_COLUMNS = (
    "source_dataset_l",
    "source_dataset_r",
    "unique_id_l",
    "unique_id_r",
    "match_probability",
    "match_weight",
)


@functools.cache
def _word_close() -> exp.Expression:
    """The body of the model's word macro (``model.WORD_CLOSE``), parsed once."""
    a, b = WORD_CLOSE_PARAMS
    return sqlglot.parse_one(word_close_sql(a, b), read="duckdb")


def _expand_word_close(args: list[exp.Expression]) -> exp.Expression:
    """The word macro written out for these two arguments (Spark SQL has no macros): the very
    expression DuckDB expands it to."""
    given = dict(zip(WORD_CLOSE_PARAMS, args, strict=True))

    def put(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in given:
            return given[node.name].copy()
        return node

    return _word_close().copy().transform(put)


def _rewrite(node: exp.Expression) -> exp.Expression:
    """One node in Spark's terms. sqlglot's ``transform`` does not descend into a node it has
    replaced, so a replacement is built from its arguments rewritten first."""
    if isinstance(node, exp.Anonymous) and node.name.lower() == WORD_CLOSE:
        return _expand_word_close(list(node.expressions)).transform(_rewrite)
    if isinstance(node, exp.JarowinklerSimilarity):
        args = [node.this.transform(_rewrite), node.expression.transform(_rewrite)]
        return exp.Anonymous(this=JARO_WINKLER, expressions=args)
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        # DuckDB's x[i] is 1-based and NULL past the end; Spark's try_element_at is both
        index = node.expressions[0].transform(_rewrite)
        if int(node.args.get("offset") or 0) != 1:  # sqlglot normalises to 0-based: back to 1
            one_more = exp.Add(this=index, expression=exp.Literal.number(1))
            index = exp.Literal.number(int(index.name) + 1) if index.is_int else one_more
        return exp.Anonymous(this="TRY_ELEMENT_AT", expressions=[node.this.transform(_rewrite), index])
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_has_all":
        # every element of the second list is in the first (NULL when a list is NULL)
        whole, part = (e.transform(_rewrite) for e in node.expressions)
        return exp.EQ(
            this=exp.ArraySize(this=exp.ArrayExcept(this=part, expression=whole)), expression=exp.Literal.number(0)
        )
    return node


def spark_sql(sql: str) -> str:
    """The model's SQL (DuckDB's dialect: a comparison level or a blocking rule) as Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb").transform(_rewrite)
    return tree.sql(dialect="spark")


def model_for_spark(model: dict[str, Any]) -> dict[str, Any]:
    """A trained model (Splink's settings dict, ``save_model_to_json``) with its SQL in Spark's
    dialect; m, u and the prior unchanged."""
    out = copy.deepcopy(model)
    out["sql_dialect"] = "spark"
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"].strip().upper() != "ELSE":
                level["sql_condition"] = spark_sql(level["sql_condition"])
    rules = []
    for rule in out["blocking_rules_to_generate_predictions"]:
        text = rule["blocking_rule"] if isinstance(rule, dict) else rule
        rules.append({"blocking_rule": spark_sql(text), "sql_dialect": "spark"})
    out["blocking_rules_to_generate_predictions"] = rules
    return out


def register_functions(spark: Any) -> None:
    """``rekam_jaro_winkler`` on ``spark`` (``jaro.jaro_winkler``, vectorised with Arrow),
    shipped to the executors by value."""
    import pandas as pd
    from pyspark import cloudpickle
    from pyspark.sql.functions import pandas_udf  # type: ignore[attr-defined]

    from rekam.linkage import jaro

    cloudpickle.register_pickle_by_value(jaro)  # type: ignore[no-untyped-call]

    def similarity(a: pd.Series, b: pd.Series) -> pd.Series:
        return pd.Series([jaro.jaro_winkler(x, y) for x, y in zip(a, b, strict=True)], dtype="float64")

    # the types themselves, not this module's postponed (string) annotations: Spark reads them
    similarity.__annotations__ = {"a": pd.Series, "b": pd.Series, "return": pd.Series}
    spark.udf.register(JARO_WINKLER, pandas_udf(similarity, "double"))


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def score_pairs(
    con: Any, model: dict[str, Any], lst: str, reg: str, tf: str, names: tuple[str, str], spark: Any, work: Path
) -> str:
    """Score the pairs of DuckDB frames ``lst`` and ``reg`` (``prepare``) with the trained
    ``model`` on ``spark``, ``tf`` the name frequencies; ``names`` are the datasets' display
    names (list, other side). Returns a DuckDB table of the pairs (``_PAIR_COLUMNS`` and the
    match weights ``mw_*``), as ``match.link`` decides on. ``work`` is the private work folder,
    on a path the cluster shares."""
    from splink import Linker, SparkAPI

    for table in (lst, reg, tf):
        con.execute(f"COPY (SELECT * FROM {table}) TO {_quoted(work / f'{table}.parquet')} (FORMAT parquet)")
    register_functions(spark)
    db_api = SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
    # the session is the process's: this run's views get names of their own (a second match,
    # or two at once in the web app, would otherwise meet the first one's)
    tag = uuid.uuid4().hex[:12]
    views = [f"rk_{n}_{tag}" for n in names]
    frames = [spark.read.parquet(str(work / f"{t}.parquet")) for t in (lst, reg)]
    sdf = [
        db_api.register(f, dataset_display_name=n, table_name=v) for f, n, v in zip(frames, names, views, strict=True)
    ]
    try:
        linker = Linker(sdf, model_for_spark(model), log_level=None)
        tf_frame = db_api.register(spark.read.parquet(str(work / f"{tf}.parquet")), table_name=f"rk_tf_{tag}")
        linker.table_management.register_term_frequency_lookup(tf_frame, "name_key")
        predictions = linker.inference.predict(threshold_match_probability=1e-4, warning_mode="never")
        scored = predictions.as_spark_dataframe()
        weights = [c for c in scored.columns if c.startswith("mw_")]
        out = work / "pairs"
        scored.select(*_PAIR_COLUMNS, *weights).write.mode("overwrite").parquet(str(out))
    finally:
        for view in (*views, f"rk_tf_{tag}"):
            spark.catalog.dropTempView(view)
        spark.catalog.clearCache()  # Splink's persisted tables of this run (the engine caches nothing)
    con.execute(f"CREATE OR REPLACE TEMP TABLE lk_pairs AS SELECT * FROM read_parquet({_quoted(out / '*.parquet')})")
    return "lk_pairs"
