"""`rekam purge`: quarantine and by-name files under REKAM_HOME older than N days are removed
(UU PDP: kept no longer than needed); the register, the ops database and the audit log never."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

OLD = {  # retained files, 40 days old: removed
    "quarantine/0002-import.csv",
    "quarantine/13.71/0003-import.csv",  # per kab/kota sub-folders are walked
    "sites/quarantine/0001.csv",
    "tmp/20241101T000000-1-abc/file_0.parquet",  # a killed import's work area
    "matches/0123456789abcdef/result.parquet",  # a match result kept for its review decisions
}
NEW = {"quarantine/0009-import.csv", "sites/quarantine/0002.csv"}  # 1 day old: kept
KEPT = {  # 40 days old too, and never removed
    "CURRENT",
    "snapshots/0001-20241113.json",
    "parts/imp/kab_code=13.71/file_0.parquet",
    "index/0001-nik.parquet",
    "sites/0001/rosters.parquet",
    "verifications/abc.json",
    "plans/p.json",
    "ops.db",
    "audit.log",
    "web-secret",
}


@pytest.fixture
def home(rekam_home: Path, tmp_path: Path) -> Path:
    now = time.time()
    for name, age in [*((n, 40) for n in OLD | KEPT), *((n, 1) for n in NEW)]:
        path = rekam_home / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("NIK,NAMA\n" if name != "audit.log" else "", encoding="utf-8")
        os.utime(path, (now - age * 86400, now - age * 86400))
    outside = tmp_path / "outside.csv"  # a link in quarantine: the link is not followed, its target stays
    outside.write_text("x", encoding="utf-8")
    os.utime(outside, (now - 90 * 86400, now - 90 * 86400))
    (rekam_home / "quarantine" / "link.csv").symlink_to(outside)
    (rekam_home / "quarantine" / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    return rekam_home


def files(home: Path) -> set[str]:
    """The files under ``home`` (the store's lock file aside: purge takes the lock)."""
    return {p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file() and not p.is_symlink()} - {".lock"}


def purges(home: Path) -> list[dict]:
    lines = (home / "audit.log").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["action"] == "purge"]


def test_a_dry_run_lists_old_files_and_removes_nothing(cli, home: Path) -> None:
    before = files(home)
    run = cli("purge", "--dry-run")
    assert run.code == 0, run.err
    assert set(run.out.split()) == OLD
    assert "5 berkas" in run.err and "--dry-run" in run.err
    assert files(home) == before
    [entry] = purges(home)
    assert entry["dry_run"] is True and entry["files"] == 5 and entry["days"] == 30


def test_old_retained_files_are_removed_new_and_other_files_kept_and_audited(cli, home: Path, tmp_path: Path) -> None:
    run = cli("purge", "--json")
    assert run.code == 0, run.err
    summary = run.json()
    assert summary["removed"] == 5 and set(summary["files"]) == OLD and summary["days"] == 30
    left = files(home)
    assert not OLD & left and NEW | KEPT <= left
    assert not (home / "quarantine" / "13.71").exists() and not (home / "tmp" / "20241101T000000-1-abc").exists()
    assert (home / "quarantine").is_dir() and (tmp_path / "outside.csv").exists()
    [entry] = purges(home)
    assert entry["dry_run"] is False and entry["files"] == 5 and set(entry["names"]) == OLD
    assert "NIK,NAMA" not in json.dumps(entry)
    again = cli("purge", "--json")
    assert again.json()["removed"] == 0 and len(purges(home)) == 2


def test_the_retention_days_come_from_the_option_or_the_setting(cli, home: Path, monkeypatch) -> None:  # noqa: ANN001
    assert cli("purge", "--days", "41", "--json").json()["removed"] == 0
    monkeypatch.setenv("REKAM_RETENTION_DAYS", "60")
    assert cli("purge", "--json").json()["files"] == []
    monkeypatch.setenv("REKAM_RETENTION_DAYS", "abc")
    bad = cli("purge")
    assert bad.code == 1 and "REKAM_RETENTION_DAYS" in bad.err
    monkeypatch.delenv("REKAM_RETENTION_DAYS")
    zero = cli("purge", "--days", "0")
    assert zero.code == 1 and "--days" in zero.err
    assert OLD <= files(home)
