"""`rekam plan solve` and `rekam plan check` through the real entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.planner_factory import random_sites, scenario


def write(tmp_path: Path, raw: dict, name: str = "skenario.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(raw))
    return path


def test_json_summary_has_score_bound_gap_and_routes(tmp_path: Path, cli) -> None:  # noqa: ANN001
    path = write(tmp_path, scenario(random_sites(12, 21), teams=2, date_to="2024-11-19"))
    run = cli("plan", "solve", path, "--iterations", "200", "--bound-time-limit", "10", "--json")
    assert run.code == 0, run.err
    data = run.json()
    assert data["score"] > 0 and data["bound"] >= data["score"]
    assert abs(data["gap_pct"] - 100 * (data["bound"] - data["score"]) / data["bound"]) < 0.01
    assert {r["team"] for r in data["routes"]} <= {"T1", "T2"}
    assert all(r["date"] in ("2024-11-18", "2024-11-19") and r["stops"] for r in data["routes"])
    sites = [s for r in data["routes"] for s in r["stops"]]
    assert set(sites) <= {f"S{i:02d}" for i in range(12)}


def test_written_plan_passes_the_checker_and_a_tampered_one_does_not(tmp_path: Path, cli) -> None:  # noqa: ANN001
    path = write(tmp_path, scenario(random_sites(10, 22), teams=1, date_to="2024-11-20"))
    out = tmp_path / "rencana.json"
    assert cli("plan", "solve", path, "--iterations", "200", "--out", out).code == 0
    plan = json.loads(out.read_text())
    assert plan["format"] == "rekam-plan" and plan["routes"][0]["stops"][0]["arrive"]
    run = cli("plan", "check", path, out)
    assert run.code == 0 and "layak" in run.err
    plan["routes"][0]["back"] = "23:00"
    out.write_text(json.dumps(plan))
    run = cli("plan", "check", path, out)
    assert run.code == 1 and "after_day_end" in run.err and "Traceback" not in run.err


def test_what_if_reports_the_gain_of_one_more_team(tmp_path: Path, cli) -> None:  # noqa: ANN001
    path = write(tmp_path, scenario(random_sites(25, 23), teams=1, date_to="2024-11-19"))
    run = cli("plan", "solve", path, "--iterations", "200", "--bound-time-limit", "5", "--add-teams", "1", "--json")
    assert run.code == 0, run.err
    data = run.json()
    w = data["what_if"]
    assert w["add_teams"] == 1 and w["extra_days"] == 0
    assert abs(w["gain"] - (w["score"] - data["score"])) < 0.01
    assert w["gain"] > 0  # one team cannot cover 25 sites in two days; a second one adds visits


def test_a_bad_scenario_names_the_field_without_traceback(tmp_path: Path, cli) -> None:  # noqa: ANN001
    raw = scenario(random_sites(3, 24))
    raw["sites"][2]["turnout"] = 2
    run = cli("plan", "solve", write(tmp_path, raw), "--iterations", "10")
    assert run.code == 1
    assert "$.sites[2].turnout" in run.err and "Traceback" not in run.err


def test_stdout_is_clean_json_in_a_real_process(tmp_path: Path) -> None:
    """HiGHS prints a banner from C++ on file descriptor 1; --json output must stay parseable."""
    path = write(tmp_path, scenario(random_sites(6, 25), teams=1))
    done = subprocess.run(
        [sys.executable, "-m", "rekam", "plan", "solve", str(path), "--iterations", "50", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["bound"] is not None
    assert "HiGHS" not in done.stdout
