"""`rekam plan make --remaining` (issue 20): the re-plan of a written plan's days left, from the
people still not recorded, visits no one already recorded at a desk (or by a team in the field:
the same desk events) since the snapshot; its by-name lists leave them out too."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from tests.functional.test_plan_make import ROWS, crafted, nik  # noqa: F401

from rekam.api import Rekam
from rekam.config import Settings
from rekam.planner.plan import plan_from_json
from rekam.planner.scenario import read_scenario

SECRET = "kata-sandi-yang-panjang-1"


@pytest.fixture
def planned(cli, crafted, monkeypatch) -> Path:  # noqa: F811
    """The crafted register and sites, a plan for Kota Padang (1 team, 14-26 Nov), and a counter
    (the ops database: the default SQLite file in REKAM_HOME)."""
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    scenario = crafted / "padang.json"
    made = cli("plan", "make", "--region", "13.71", "--from", "2024-11-14", "--to", "2024-11-26")
    assert made.code == 2  # --teams and --out are needed without --remaining
    made = cli(*"plan make --region 13.71 --from 2024-11-14 --to 2024-11-26 --teams 1".split(), "--out", scenario)
    assert made.code == 0, made.err
    solved = cli("plan", "solve", scenario, "--iterations", "200", "--out", crafted / "rencana.json")
    assert solved.code == 0, solved.err
    assert cli("service-points", "add", "PDG", "--name", "Padang", "--region", "13.71", "--kind", "dinas").code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    assert cli("users", "add", "op1", "--role", "operator", "--service-point", "PDG").code == 0
    return crafted


def people(scenario: dict) -> dict[str, dict[str, int]]:
    return {s["id"]: {c: n for c, n in s["people"].items() if n} for s in scenario["sites"]}


def test_the_re_plan_visits_no_one_recorded_at_a_desk_since_the_snapshot(cli, planned):
    plan = json.loads((planned / "rencana.json").read_text(encoding="utf-8"))
    last = max(r["date"] for r in plan["routes"])
    rekam = Rekam(Settings.from_env())
    op = rekam.authenticate("op1", SECRET)
    # 1 (desa A's only counted resident) and 3 (a pemula on school S1's roster) record at the counter;
    # 7 (desa B) only fails: a failed recording is not a recording.
    rekam.log_service(op, nik(1), "perekaman", "PDG", "k-1")
    rekam.log_service(op, nik(3), "perekaman", "PDG", "k-3")
    rekam.log_service(op, nik(7), "perekaman", "PDG", "k-7", outcome="gagal")

    out = planned / "sisa.json"
    run = cli("plan", "make", "--remaining", "--plan", planned / "rencana.json", "--from", "2024-11-20", "--out", out)
    assert run.code == 0, run.err
    assert "2 orang sudah direkam" in run.out and "turnout sekolah: bawaan 90,00 %" in run.out
    again = json.loads(out.read_text(encoding="utf-8"))
    got = people(again)
    # Before: S1 pemula 2 (3, 4) + lainnya 1 (5); desa A lainnya 1 (1). Now 3 and 1 are recorded.
    assert got["S1"] == {"pemula": 1, "lainnya": 1}
    assert "DESA-1371011001" not in got  # its only person is recorded: no site left
    assert got["DESA-1371011002"] == {"rentan": 1}  # 7 failed at the counter: still to visit
    assert again["period"]["from"] == "2024-11-20" and again["period"]["to"] == last
    assert len(again["teams"]) == 1 and again["region"] == "1371"
    remaining = again["source"]["remaining"]
    assert remaining["plan"] == "rencana" and remaining["recorded_at_desks"] == 2
    assert remaining["field_outcomes"] == 0  # no field outcome logged: the defaults
    assert all(r["turnout"] is None and r["used"] == r["default"] for r in remaining["turnout"])
    assert read_scenario(out).sites["S1"].turnout == 0.9

    # The re-plan solves with the same solver and bound, and its itinerary's lists hold none of them.
    assert cli("plan", "solve", out, "--iterations", "200", "--out", planned / "sisa-rencana.json").code == 0
    sc = read_scenario(out)
    solved = plan_from_json(json.loads((planned / "sisa-rencana.json").read_text(encoding="utf-8")))
    lists = rekam._itinerary_lists(solved, sc, planned / "x.xlsx", None, False)[0]
    assert lists is not None and lists.people
    listed = {p.nik for found in lists.people.values() for p in found}
    assert not listed & {nik(1), nik(3)}
    # A recording logged after the re-plan was made does not break its lists (the same events are read).
    rekam.log_service(op, nik(4), "perekaman", "PDG", "k-4")
    assert rekam._left_out(sc) == frozenset({nik(1), nik(3)})


def test_the_re_plan_needs_days_left_and_its_plan(cli, planned):
    run = cli("plan", "make", "--remaining", "--plan", planned / "rencana.json", "--from", "2024-12-30")
    assert run.code == 2  # --out missing
    run = cli(
        "plan", "make", "--remaining", "--plan", planned / "rencana.json", "--from", "2024-12-30", "--out", "x.json"
    )
    assert run.code == 1 and "Tidak ada hari tersisa" in run.err
    run = cli("plan", "make", "--remaining", "--out", planned / "x.json")
    assert run.code == 1 and "--plan wajib diisi" in run.err
