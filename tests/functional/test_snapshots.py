"""Snapshots: per-kab/kota replacement, stale imports, repeats, rollback, and kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import person, write_register

from rekam.api import Rekam
from rekam.config import Settings

D = date(2024, 11, 13)


def kab_rows(kab: str, n: int, status: str = "CARD_ISSUED", first: int = 1) -> list[str]:
    desa = {"13.71": "13.71.01.1001", "13.72": "13.72.01.1001", "13.01": "13.01.01.2001"}[kab]
    return [person(first + i, "1990-01-01", desa=desa, status=status, recorded="2015-01-01") for i in range(n)]


def wajib_by_kab() -> dict[str, tuple[int, int]]:
    return {r.region_code: (r.wajib, r.sudah_rekam) for r in Rekam(Settings.from_env()).coverage(as_of=D, level="kab")}


def test_an_import_replaces_only_the_kab_kota_it_contains(cli, tmp_path):
    a = write_register(tmp_path / "a.csv", kab_rows("13.71", 3) + kab_rows("13.72", 2, first=100))
    cli("import", a, "--date", "2024-11-01")
    assert wajib_by_kab() == {"13.71": (3, 3), "13.72": (2, 2)}
    b = write_register(tmp_path / "b.csv", kab_rows("13.71", 5, status="UNREGISTERED"))
    result = cli("import", b, "--date", "2024-11-13", "--json").json()
    assert result["kab_codes"] == ["13.71"]
    assert wajib_by_kab() == {"13.71": (5, 0), "13.72": (2, 2)}
    snaps, current = Rekam(Settings.from_env()).snapshots()
    assert len(snaps) == 2 and current == result["snapshot"]
    assert snaps[1].parts["13.72"].export_date == date(2024, 11, 1)
    assert snaps[1].parts["13.71"].export_date == date(2024, 11, 13)


def test_an_older_export_is_refused_unless_forced(cli, tmp_path):
    cli("import", write_register(tmp_path / "new.csv", kab_rows("13.71", 3)), "--date", "2024-11-13")
    old = write_register(tmp_path / "old.csv", kab_rows("13.71", 1))
    run = cli("import", old, "--date", "2024-10-01")
    assert run.code == 1 and "--force" in run.err and "13.71" in run.err
    assert wajib_by_kab() == {"13.71": (3, 3)}
    assert len(Rekam(Settings.from_env()).snapshots()[0]) == 1
    assert cli("import", old, "--date", "2024-10-01", "--force").code == 0
    assert wajib_by_kab() == {"13.71": (1, 1)}


def test_importing_the_same_file_twice_gives_the_same_state(cli, tmp_path):
    f = write_register(tmp_path / "a.csv", kab_rows("13.71", 3))
    first = cli("import", f, "--date", "2024-11-13", "--json").json()
    second = cli("import", f, "--date", "2024-11-13", "--json").json()
    assert second["unchanged"] is True
    assert second["snapshot"] == first["snapshot"]
    assert {k: first[k] for k in ("rows_read", "accepted", "quarantined", "warnings")} == {
        k: second[k] for k in ("rows_read", "accepted", "quarantined", "warnings")
    }
    assert len(Rekam(Settings.from_env()).snapshots()[0]) == 1


def test_rollback_returns_to_the_previous_snapshot(cli, tmp_path):
    cli("import", write_register(tmp_path / "a.csv", kab_rows("13.71", 3)), "--date", "2024-11-01")
    cli("import", write_register(tmp_path / "b.csv", kab_rows("13.71", 7)), "--date", "2024-11-13")
    assert wajib_by_kab() == {"13.71": (7, 7)}
    run = cli("snapshots", "rollback")
    assert run.code == 0 and "0001-20241101" in run.out
    assert wajib_by_kab() == {"13.71": (3, 3)}
    run = cli("snapshots", "rollback")
    assert run.code == 1 and "sebelumnya" in run.err
    listing = cli("snapshots")
    assert "0002-20241113" in listing.out and "0001-20241101" in listing.out


def test_an_import_with_no_accepted_row_replaces_nothing(cli, tmp_path):
    cli("import", write_register(tmp_path / "a.csv", kab_rows("13.71", 3)), "--date", "2024-11-01")
    bad = write_register(tmp_path / "bad.csv", [r.replace(",L,", ",X,") for r in kab_rows("13.71", 4)])
    run = cli("import", bad, "--date", "2024-11-13", "--json")
    assert run.code == 1
    result = run.json()
    assert (result["rows_read"], result["accepted"], result["quarantined"]) == (4, 0, 4)
    assert Path(result["quarantine_file"]).is_file()
    assert wajib_by_kab() == {"13.71": (3, 3)}
    assert len(Rekam(Settings.from_env()).snapshots()[0]) == 1


def test_coverage_of_an_older_snapshot(cli, tmp_path):
    first = cli("import", write_register(tmp_path / "a.csv", kab_rows("13.71", 3)), "--date", "2024-11-01", "--json")
    cli("import", write_register(tmp_path / "b.csv", kab_rows("13.71", 7)), "--date", "2024-11-13")
    rows = Rekam(Settings.from_env()).coverage(as_of=D, level="kab", snapshot=first.json()["snapshot"])
    assert [(r.wajib, r.sudah_rekam) for r in rows] == [(3, 3)]
    run = cli("coverage", "--as-of", "2024-11-13", "--snapshot", "9999-20240101")
    assert run.code == 1 and "9999-20240101" in run.err


@pytest.mark.slow
def test_kill_9_during_import_leaves_the_previous_state_intact(tmp_path, rekam_home):
    """Kill the import at several moments; each time the previous snapshot stays current and usable."""
    small = write_register(tmp_path / "small.csv", kab_rows("13.71", 3))
    env = dict(os.environ, REKAM_HOME=str(rekam_home))
    subprocess.run(
        [sys.executable, "-m", "rekam", "import", str(small), "--date", "2024-11-01"],
        env=env,
        check=True,
        capture_output=True,
    )
    before = Rekam(Settings.from_env()).snapshots()[1]
    # A bigger file, so the import takes a while: 60,000 residents in 13.71 and 13.72.
    rows = [
        person(
            i % 9000 + 1,
            f"{1950 + i // 9000}-01-01",
            desa=("13.71.01.1001", "13.72.01.1001")[i % 2],
            status="CARD_ISSUED",
            recorded="2015-01-01",
        )
        for i in range(60_000)
    ]
    big = write_register(tmp_path / "big.csv", rows)
    killed_at = []
    for delay in (0.3, 0.8, 1.5, 2.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "rekam", "import", str(big), "--date", "2024-11-13"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at.append(delay)
        proc.wait()
        snaps, current = Rekam(Settings.from_env()).snapshots()
        if current == before:
            assert wajib_by_kab() == {"13.71": (3, 3)}
        else:  # the import finished before the kill: the new state is whole
            assert sum(w for w, _ in wajib_by_kab().values()) == 60_000
            Rekam(Settings.from_env()).rollback()
    assert killed_at, "the import always finished before it could be killed"
    # After the kills, a new import works and cleans what the killed ones left.
    done = subprocess.run(
        [sys.executable, "-m", "rekam", "import", str(big), "--date", "2024-11-13", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"accepted": 60000' in done.stdout
    assert not (rekam_home / "tmp").exists() or not any((rekam_home / "tmp").iterdir())
    referenced = {p.import_id for s in Rekam(Settings.from_env()).snapshots()[0] for p in s.parts.values()}
    assert {d.name for d in (rekam_home / "parts").iterdir()} == referenced
