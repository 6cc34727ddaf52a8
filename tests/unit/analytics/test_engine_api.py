"""The engine API: views made by the engine, temporary views, DuckDB's connection only where
asked for, one error (naming the query, never the data), and one DuckDB connection factory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.conftest import person, write_register

from rekam import duck
from rekam.analytics.engines import DuckDBEngine, open_engine, query_label
from rekam.api import Rekam
from rekam.config import Settings
from rekam.errors import EngineError, EngineUnavailable, RekamError
from rekam.register.store import Store

SECRET_NIK = "1371014101080001"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    rows = [person(1, "1990-01-01", status="CARD_ISSUED", recorded="2015-01-01"), person(2, "2001-05-05")]
    settings = Settings(home=tmp_path / "home")
    Rekam(settings).import_register([write_register(tmp_path / "r.csv", rows)], export_date=date(2024, 11, 13))
    return Store(settings.home)


def test_views_are_made_by_the_engine(store: Store):
    with DuckDBEngine(store, store.require_current()) as engine:
        assert engine.run("SELECT count(*) FROM register") == [(2,)]
        assert engine.run("SELECT count(*) FROM quarantined") == [(0,)]
        assert not hasattr(engine, "con")


def test_a_temporary_view_of_the_callers_own(store: Store):
    with DuckDBEngine(store, store.require_current()) as engine:
        engine.create_temp_view("recorded", "SELECT * FROM register WHERE recording_state = 'SUDAH_REKAM'")
        assert engine.run("SELECT count(*) FROM recorded") == [(1,)]
        engine.create_temp_view("recorded", "SELECT * FROM register")  # replaced
        assert engine.run("SELECT count(*) FROM recorded") == [(2,)]
        with pytest.raises(ValueError):
            engine.create_temp_view("x; DROP VIEW register", "SELECT 1")


def test_the_duckdb_connection_has_the_views_it_names(store: Store):
    with DuckDBEngine(store, store.require_current()) as engine:
        con = engine.duckdb_connection()
        assert con.execute("SELECT count(*) FROM register").fetchall() == [(2,)]
        engine.duckdb_connection("quarantined")
        assert con.execute("SELECT count(*) FROM quarantined").fetchall() == [(0,)]
        with pytest.raises(ValueError):
            engine.duckdb_connection("people")


def test_an_engine_error_names_the_query_not_the_data(store: Store):
    with DuckDBEngine(store, store.require_current()) as engine:
        with pytest.raises(EngineError) as caught:
            engine.run(f"SELECT nik FROM register\nWHERE nik = CAST('{SECRET_NIK}' AS DATE)")
        assert isinstance(caught.value, RekamError) and caught.value.engine == "duckdb"
        assert caught.value.query == "SELECT nik FROM register"
        assert SECRET_NIK not in str(caught.value) and "duckdb" in str(caught.value)
        assert caught.value.__cause__ is not None  # the engine's own error, for the traceback
        with pytest.raises(EngineError, match="coverage per desa"):
            engine.run("SELECT no_such_column FROM register", name="coverage per desa")


def test_query_label():
    assert query_label("\n  WITH a AS (\n SELECT 1)") == "WITH a AS ("
    assert query_label("SELECT " + "x, " * 100).endswith("...")
    assert len(query_label("SELECT " + "x, " * 100)) == 100
    assert query_label("SELECT 1", name="one") == "one"


def test_an_unknown_engine(store: Store):
    with pytest.raises(EngineUnavailable):
        open_engine("postgres", store, store.require_current())


def test_the_connection_factory(tmp_path: Path):
    con = duck.connect(spill_dir=tmp_path / "spill", memory_limit="1GB", preserve_insertion_order=False)
    try:
        setting = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('enable_progress_bar', 'temp_directory', 'memory_limit', 'preserve_insertion_order')"
            ).fetchall()
        )
    finally:
        con.close()
    assert setting["enable_progress_bar"] == "false"
    assert setting["temp_directory"] == str(tmp_path / "spill")
    assert setting["preserve_insertion_order"] == "false"
    assert setting["memory_limit"] in ("1.0 GiB", "953.6 MiB", "1.0 GB")
    con = duck.connect()
    try:
        assert con.execute("SELECT current_setting('temp_directory')").fetchone() == (str(duck.SPILL_DIR),)
    finally:
        con.close()


def test_the_spark_master_is_a_setting():
    assert Settings.from_env({}).spark_master == "local[2]"
    assert Settings.from_env({"REKAM_SPARK_MASTER": "spark://head:7077"}).spark_master == "spark://head:7077"


@pytest.mark.slow
def test_a_spark_error_is_the_same_error(store: Store):
    with open_engine("spark", store, store.require_current()) as engine:
        assert engine.run("SELECT count(*) FROM register") == [(2,)]
        with pytest.raises(EngineError) as caught:
            engine.run("SELECT no_such_column\nFROM register", name="a query by name")
        assert caught.value.engine == "spark" and caught.value.query == "a query by name"
