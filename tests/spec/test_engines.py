"""Every coverage figure, at every level, is identical on DuckDB and on Spark (local mode),
for the synthetic register at scale 0.001; and the SQL is transpiled, not written twice."""

from __future__ import annotations

from datetime import date

import pytest

from rekam.analytics.coverage import figures_sql
from rekam.api import Rekam
from rekam.config import Settings

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("level", ["prov", "kab", "kec", "desa"])
def test_duckdb_and_spark_agree_at_every_level(demo_home, monkeypatch, level):
    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    kwargs = dict(as_of=date(2024, 11, 13), level=level, election_date=date(2024, 11, 27))
    duck = [r.as_json() for r in Rekam(Settings.from_env()).coverage(engine="duckdb", **kwargs)]
    spark = [r.as_json() for r in Rekam(Settings.from_env()).coverage(engine="spark", **kwargs)]
    assert duck == spark
    assert sum(r["wajib"] for r in duck) > 3000


def test_agree_with_a_region_filter_and_another_date(demo_home, monkeypatch):
    monkeypatch.setenv("REKAM_HOME", str(demo_home))
    kwargs = dict(as_of=date(2020, 2, 29), level="desa", region="13.09", election_date=date(2020, 12, 9))
    duck = [r.as_json() for r in Rekam(Settings.from_env()).coverage(engine="duckdb", **kwargs)]
    assert duck == [r.as_json() for r in Rekam(Settings.from_env()).coverage(engine="spark", **kwargs)]
    assert duck and all(r["region_code"].startswith("13.09.") for r in duck)


def test_the_spark_text_is_sqlglot_transpiled():
    import sqlglot

    sql = figures_sql(date(2024, 11, 13), date(2024, 11, 27), 1, "13.71")
    spark = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
    assert "DATE '2024-11-13'" in sql and "GROUP BY" in spark
    assert spark != sql
