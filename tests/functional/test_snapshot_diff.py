"""The snapshot diff kept with each import (issue 16): per kab/kota and desa, NIKs new to the
register, gone from it, moved between desa, newly wajib KTP-el and newly recorded; counts kept
beside the snapshot, the same library call for the CLI and the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.conftest import person, write_register

from rekam.analytics.snapshot_diff import SnapshotDiff
from rekam.api import Rekam
from rekam.config import Settings
from rekam.register.store import Store

A, B = "13.71.01.1001", "13.71.01.1002"
OTHER = "13.72.01.1001"  # a desa of another kab/kota


def _first(tmp_path: Path) -> Path:
    rows = [person(i, "1990-01-01", desa=A) for i in range(1, 11)]
    rows.append(person(11, "2007-11-20", desa=A))  # 17 on 2024-11-20: wajib in the second snapshot only
    rows.append(person(12, "1940-01-01", desa=A))  # died before the second export
    rows.append(person(1, "1985-05-05", desa=OTHER))  # another kab/kota: not in the second import
    return write_register(tmp_path / "first.csv", rows)


def _second(tmp_path: Path) -> Path:
    rows = [person(i, "1990-01-01", desa=A) for i in (1, 2, 4, 6, 7, 8, 9, 10)]
    rows.append(person(3, "1990-01-01", desa=A, status="PRINT_READY_RECORD", recorded="2024-11-15"))  # recorded
    rows.append(person(5, "1990-01-01", desa=B))  # moved from desa A to desa B, the same NIK
    rows.append(person(11, "2007-11-20", desa=A))
    rows.append(person(13, "1992-03-03", desa=A))  # moved in from outside the register
    return write_register(tmp_path / "second.csv", rows)


@pytest.fixture
def two(tmp_path: Path) -> Rekam:
    rekam = Rekam(Settings.from_env())
    rekam.import_register([_first(tmp_path)], export_date=date(2024, 11, 13))
    rekam.import_register([_second(tmp_path)], export_date=date(2024, 11, 20))
    return rekam


def _row(diff: SnapshotDiff, level: str, code: str) -> dict[str, int]:
    [row] = [r for r in diff.rows if r["level"] == level and r["region_code"] == code]
    return {
        k: row[k] for k in ("before", "after", "new", "gone", "moved_in", "moved_out", "newly_wajib", "newly_recorded")
    }


def test_the_diff_per_kab_kota_and_desa_counts_each_kind_of_change(two: Rekam) -> None:
    diff = two.snapshot_diff()
    assert not diff.first and diff.kab_codes == ["13.71"]
    assert _row(diff, "kab", "13.71") == {
        "before": 12,
        "after": 12,
        "new": 1,
        "gone": 1,
        "moved_in": 0,  # a move between two desa of the kab/kota moves nobody in or out of it
        "moved_out": 0,
        "newly_wajib": 1,
        "newly_recorded": 1,
    }
    assert _row(diff, "desa", A) == {
        "before": 12,
        "after": 11,
        "new": 1,
        "gone": 1,
        "moved_in": 0,
        "moved_out": 1,
        "newly_wajib": 1,
        "newly_recorded": 1,
    }
    assert _row(diff, "desa", B) == {
        "before": 0,
        "after": 1,
        "new": 0,
        "gone": 0,
        "moved_in": 1,
        "moved_out": 0,
        "newly_wajib": 0,
        "newly_recorded": 0,
    }
    # The kab/kota the import left alone has no row (its diff is zero); every row adds up.
    assert not [r for r in diff.rows if r["region_code"].startswith("13.72")]
    for r in diff.rows:
        assert r["after"] == r["before"] + r["new"] - r["gone"] + r["moved_in"] - r["moved_out"]
    assert diff.level("desa", A) == [r for r in diff.rows if r["region_code"] == A]


def test_the_diff_is_kept_with_the_snapshot_and_in_the_import_result(tmp_path: Path) -> None:
    rekam = Rekam(Settings.from_env())
    first = rekam.import_register([_first(tmp_path)], export_date=date(2024, 11, 13))
    assert first.diff == {"parent": None, "rows": []}  # the first snapshot: nothing to compare
    assert rekam.snapshot_diff().first
    second = rekam.import_register([_second(tmp_path)], export_date=date(2024, 11, 20))
    assert second.diff is not None and second.diff["parent"] == first.snapshot
    assert [(r["region_code"], r["gone"], r["new"]) for r in second.diff["rows"]] == [("13.71", 1, 1)]
    store = Store(Settings.from_env().home)
    kept = store.read_diff(second.snapshot)
    assert kept is not None and {r["level"] for r in kept["rows"]} == {"kab", "desa"}
    assert store.load(second.snapshot).figures["diff"] == second.diff  # in the manifest: kab/kota rows only
    # Read back without recomputing: the kept file is what the library returns.
    kept["rows"][0]["gone"] = 99
    store.write_diff(second.snapshot, kept)
    assert rekam.snapshot_diff(second.snapshot).rows[0]["gone"] == 99
    # A snapshot whose diff was not kept (made before diffs were kept) has it computed, and kept.
    store.diff_path(second.snapshot).unlink()
    assert rekam.snapshot_diff(second.snapshot).rows[0]["gone"] == 1
    assert store.diff_path(second.snapshot).is_file()
    # A diff left by an import killed before its switch is removed by the next import.
    store.write_diff("0009-20241201", {"snapshot": "0009-20241201", "parent": second.snapshot, "rows": []})
    # A dry run keeps nothing.
    dry = rekam.import_register([_first(tmp_path)], export_date=date(2024, 11, 27), dry_run=True)
    assert dry.diff is None and len(store.all()) == 2
    assert not store.diff_path("0009-20241201").exists()


def test_a_recording_at_16_counts_as_newly_recorded_once_wajib(tmp_path: Path) -> None:
    rekam = Rekam(Settings.from_env())
    young = person(1, "2008-06-01", desa=A, status="PRINT_READY_RECORD", recorded="2024-07-01")  # recorded at 16
    rekam.import_register([write_register(tmp_path / "a.csv", [young])], export_date=date(2024, 11, 13))
    later = rekam.import_register([write_register(tmp_path / "b.csv", [young])], export_date=date(2025, 6, 2))
    diff = rekam.snapshot_diff(later.snapshot)
    # 17 on 2025-06-01: newly wajib, and newly sudah rekam by the coverage figures' definition.
    assert _row(diff, "kab", "13.71")["newly_wajib"] == 1 and _row(diff, "kab", "13.71")["newly_recorded"] == 1


def test_the_cli_prints_the_diff_at_import_and_shows_a_kept_one(cli, tmp_path: Path) -> None:  # noqa: ANN001
    first = cli("import", _first(tmp_path), "--date", "2024-11-13")
    assert first.code == 0 and "snapshot pertama" in first.out
    second = cli("import", _second(tmp_path), "--date", "2024-11-20")
    assert second.code == 0, second.err
    assert "Perubahan snapshot" in second.out and "13.71" in second.out and "hilang" in second.out
    shown = cli("snapshots", "diff", "--format", "json")
    assert shown.code == 0
    rows = shown.json()
    assert [(r["region_code"], r["diff_new"], r["diff_gone"]) for r in rows] == [("13.71", 1, 1)]
    desa = cli("snapshots", "diff", "--region", "13.71.01", "--format", "json").json()
    assert {r["region_code"]: r["diff_moved_in"] for r in desa} == {A: 0, B: 1}
    table = cli("snapshots", "diff")
    assert table.code == 0 and "baru wajib" in table.out
    snaps = Store(Settings.from_env().home).all()
    assert "snapshot pertama" in cli("snapshots", "diff", snaps[0].id).out
    unknown = cli("snapshots", "diff", "9999-20240101")
    assert unknown.code == 1 and "tidak ada" in unknown.err and "Traceback" not in unknown.err


def test_a_kab_kota_new_to_the_register_is_all_new_and_the_others_unchanged(tmp_path: Path) -> None:
    rekam = Rekam(Settings.from_env())
    rekam.import_register([_first(tmp_path)], export_date=date(2024, 11, 13))
    rows = [person(i, "1980-01-01", desa="13.73.01.1001") for i in range(1, 4)]
    result = rekam.import_register([write_register(tmp_path / "c.csv", rows)], export_date=date(2024, 11, 20))
    diff = rekam.snapshot_diff(result.snapshot)
    assert diff.kab_codes == ["13.73"] and {r["region_code"] for r in diff.level("kab")} == {"13.73"}
    assert _row(diff, "kab", "13.73") == {
        "before": 0,
        "after": 3,
        "new": 3,
        "gone": 0,
        "moved_in": 0,
        "moved_out": 0,
        "newly_wajib": 0,
        "newly_recorded": 0,
    }


def test_the_people_behind_a_count_are_written_masked_scoped_and_audited(cli, tmp_path: Path) -> None:  # noqa: ANN001
    from rekam import audit
    from rekam.ops import users
    from rekam.ops.db import close_all, open_db

    settings = Settings.from_env()
    db = open_db(settings=settings)
    users.add_user(db, "kadis-padang", "kata-sandi-yang-panjang-sekali-9", "dinas", "13.71")
    users.add_user(db, "kadis-agam", "kata-sandi-yang-panjang-sekali-9", "dinas", "13.06")
    close_all()
    assert cli("import", _first(tmp_path), "--date", "2024-11-13").code == 0
    assert cli("import", _second(tmp_path), "--date", "2024-11-20").code == 0
    gone = tmp_path / "hilang.csv"
    run = cli("snapshots", "diff", "--kind", "gone", "--region", "1371", "--out", gone, "--user", "kadis-padang")
    assert run.code == 0 and "1 orang" in run.out, run.err
    header, row = gone.read_text().splitlines()
    assert header.startswith("NIK;NO_KK;NAMA_LGKP")
    dead = person(12, "1940-01-01", desa=A).split(",")
    assert row.split(";")[:3] == [dead[0][:6] + "*" * 10, dead[1][:6] + "*" * 10, "ORANG 12"]
    assert row.endswith(f";{A};")  # gone: a desa before, none after
    moved = tmp_path / "pindah.csv"
    assert cli("snapshots", "diff", "--kind", "moved", "--region", B, "--out", moved).code == 0
    [line] = moved.read_text().splitlines()[1:]
    assert "ORANG 5" in line and line.endswith(f";{A};{B}")
    for kind, who in (("new", "ORANG 13"), ("newly-wajib", "ORANG 11"), ("newly-recorded", "ORANG 3")):
        target = tmp_path / f"{kind}.csv"
        assert cli("snapshots", "diff", "--kind", kind, "--out", target, "--unmasked").code == 0
        [line] = target.read_text().splitlines()[1:]
        assert f";{who};" in line and "*" not in line.split(";")[0]
    # Another kab/kota's Kadis may not see Padang's people; a bad kind is named.
    refused = cli("snapshots", "diff", "--kind", "gone", "--region", "13.71", "--out", gone, "--user", "kadis-agam")
    assert refused.code == 1 and "kadis-agam" in refused.err and "Traceback" not in refused.err
    bad = cli("snapshots", "diff", "--kind", "died", "--out", gone)
    assert bad.code == 1 and "new, gone, moved" in bad.err
    actions = [(e["action"], e.get("kind"), e.get("people")) for e in audit.entries(settings.home)]
    assert ("diff-list", "gone", 1) in actions and ("diff-list-refused", "gone", None) in actions
    assert sum(1 for a in actions if a[0] == "diff-list") == 5
