"""The rakor ranking (issue 15): components, score, ties and the adjusted view, worked by hand;
the same ranking on every engine from a small register with snapshots; and through the CLI.

The properties that must hold for any input are in tests/unit/analytics/test_rank_properties.py.
"""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from tests.conftest import person, write_register

from rekam.analytics.coverage import percent, target_gap
from rekam.analytics.rank import WEIGHTS, Start, component_scores, formula, rank
from rekam.api.figures import Figures

TARGET = 9940  # 99.4 %, in hundredths

# Each kab/kota: 100 pemula of whom 10 not recorded (pemula 90.00), 900 printed and 100 printable
# not printed (printing 90.00), so only coverage and progress differ. Gaps: ceil(99.4 % x wajib)
# - sudah, by hand: ceil(994) = 994 for 1000 wajib, ceil(1003.94) = 1004 for 1010.
#
# code  | start wajib/sudah | end wajib/sudah | gap start | gap end | progress | share   | score | rank
# 13.01 | 1000 / 995        | 1000 / 996      | 0         | 0       | 100      | -       | 96.30 | 1=   A: 99.6 %, target met, +0.1 point
# 13.02 | 1000 / 890        | 1000 / 900      | 104       | 94      | 9.62     | 9.62    | 77.94 | 6    B: 90.0 %, +1.0 point
# 13.03 | 1000 / 1000       | 1000 / 1000     | 0         | 0       | 100      | -       | 96.50 | 1=   C: 100 % (before: progress 0)
# 13.04 | -                 | 1000 / 950      | -         | 44      | -        | -       | 92.94 | 3    D: no data at the start
# 13.05 | 1000 / 980        | 1010 / 985      | 14        | 19      | 0        | -35.71  | 80.26 | 5    E: gap grew, sudah rose
# 13.06 | 1000 / 994        | 1000 / 993      | 0         | 1       | 0        | -       | 81.15 | 4    F: met at the start, lost
#
# Scores (0.50 coverage + 0.20 x 90 + 0.15 progress + 0.15 x 90 = 0.50 coverage + 0.15 progress + 31.50):
#   A 49.80 + 15.00 + 31.50 = 96.30      B 45.00 + 1.443 + 31.50 = 77.943 -> 77.94
#   C 50.00 + 15.00 + 31.50 = 96.50      E 48.76 (97.52 %) + 0 + 31.50 = 80.26
#   F 49.65 + 0 + 31.50 = 81.15
#   D without progress: (0.50 x 95 + 0.20 x 90 + 0.15 x 90) / 0.85 = 79 / 0.85 = 92.941 -> 92.94
# Ties (margin 0.5): C 96.50 starts a group and takes A 96.30 (0.20 below): both 1, shown C
# then A (coverage); D 92.94 is 3 (competition ranking); F 81.15, E 80.26 (0.89 apart) 4 and 5.
SPEC = """
13.01 | 1000 | 995  | 1000 | 996  | 0   | 0  | 100  | -      | 96.30 | 1
13.02 | 1000 | 890  | 1000 | 900  | 104 | 94 | 9.62 | 9.62   | 77.94 | 6
13.03 | 1000 | 1000 | 1000 | 1000 | 0   | 0  | 100  | -      | 96.50 | 1
13.04 | -    | -    | 1000 | 950  | -   | 44 | -    | -      | 92.94 | 3
13.05 | 1000 | 980  | 1010 | 985  | 14  | 19 | 0    | -35.71 | 80.26 | 5
13.06 | 1000 | 994  | 1000 | 993  | 0   | 1  | 0    | -      | 81.15 | 4
"""


def _num(cell: str) -> float | None:
    return None if cell == "-" else float(cell)


def _figures(code: str, wajib: int, sudah: int) -> dict[str, object]:
    return {
        "region_code": code,
        "region_name": f"Kab {code}",
        "wajib": wajib,
        "belum_rekam": wajib - sudah,
        "coverage_pct": percent(sudah, wajib),
        "target_gap": target_gap(wajib, sudah, TARGET),
        "pemula": 100,
        "pemula_belum_rekam": 10,
        "sudah_cetak": 900,
        "belum_cetak": 100,
        "rentan_wajib": 0,
    }


def _spec_rows() -> list[tuple[list[str], object]]:
    out = []
    for line in SPEC.strip().splitlines():
        c = [x.strip() for x in line.split("|")]
        start = None
        if c[1] != "-":
            w0, s0 = int(c[1]), int(c[2])
            assert target_gap(w0, s0, TARGET) == int(c[5]), c[0]  # the gap at the start, by hand
            start = Start(target_gap(w0, s0, TARGET), w0, w0 - s0)
        figures = _figures(c[0], int(c[3]), int(c[4]))
        assert figures["target_gap"] == int(c[6]), c[0]  # the gap at the end, by hand
        out.append((c, component_scores(figures, start, flagged_desa=0)))
    return out


def test_the_issue_example_and_the_other_cases_by_hand():
    rows = _spec_rows()
    for c, row in rows:
        assert (row.pemula_pct, row.printing_pct) == (90.0, 90.0)
        assert row.progress == _num(c[7]), c[0]
        assert row.progress_share_pct == _num(c[8]), c[0]
        assert row.score == float(c[9]), c[0]
    ordered = rank(r for _, r in rows)
    assert {r.region_code: r.rank for r in ordered} == {c[0]: int(c[10]) for c, _ in rows}
    # B at 90.0 % with +1.0 point never outranks A at 99.6 % with the target met and +0.1.
    by_code = {r.region_code: r for r in ordered}
    assert by_code["13.01"].rank < by_code["13.02"].rank
    # A kab/kota at 100 % gets full progress (it got 0 before issue 15).
    assert by_code["13.03"].progress == 100.0
    # Shown group by group, inside the tie by coverage: C (100 %) then A (99.6 %).
    assert [r.region_code for r in ordered] == ["13.03", "13.01", "13.04", "13.06", "13.05", "13.02"]
    assert [r.tied for r in ordered] == [True, True, False, False, False, False]


def test_without_data_at_the_start_the_row_says_so_and_the_weights_are_rescaled():
    _, d = next((c, r) for c, r in _spec_rows() if c[0] == "13.04")
    assert (d.progress, d.no_progress_reason, d.weights_rescaled, d.gap_start) == (None, "no_data_at_start", True, None)
    # The reason progress gives (issue 15, part P) is kept as it is.
    e = component_scores(_figures("13.07", 1000, 950), Start(50, 1000, 50), 0, "no_dated_recordings")
    assert (e.progress, e.no_progress_reason, e.weights_rescaled) == (None, "no_dated_recordings", True)
    assert (e.gap_start, e.backlog_share_pct) == (None, 5.0)  # the start is not used at all: the end's 50 of 1000
    assert e.score == d.score == 92.94


def test_the_target_met_at_the_end_is_full_progress_whatever_the_start():
    # Even with no data at the start: nothing is left to close, and the weights stay as they are.
    row = component_scores(_figures("13.08", 1000, 1000), None, 0)
    assert (row.progress, row.weights_rescaled, row.no_progress_reason) == (100.0, False, "no_data_at_start")


def test_the_formula_is_generated_from_the_weights_in_both_languages():
    assert sum(w.value for w in WEIGHTS.values()) == 1
    assert formula("id").startswith("skor = 0,50 x cakupan + 0,20 x cakupan pemula + 0,15 x kemajuan + 0,15 x")
    assert formula("en").startswith("score = 0.50 x coverage + 0.20 x first-time voter coverage + 0.15 x progress")
    assert "0,50 poin" in formula("id") and "0.50 points" in formula("en")  # the tie margin


def test_the_adjusted_view_stands_beside_the_score():
    # Same figures; a kota (remoteness 0), a kabupaten (0.5), Kepulauan Mentawai (1).
    rows = [component_scores(_figures(code, 1000, 950), Start(44, 1000, 50), 0) for code in ("13.71", "13.01", "13.09")]
    ordered = {r.region_code: r for r in rank(rows)}
    assert {c: r.remoteness for c, r in ordered.items()} == {"13.71": 0.0, "13.01": 0.5, "13.09": 1.0}
    # The shares are equal, so each rescales to 0: difficulty = 100 x remoteness / 3.
    assert {c: r.difficulty for c, r in ordered.items()} == {"13.71": 0.0, "13.01": 16.67, "13.09": 33.33}
    score = ordered["13.71"].score
    assert all(r.score == score and r.rank == 1 for r in ordered.values())  # the main score is untouched
    # adjusted = score + 5 x difficulty / 100: +0, +0.83 (0.8335 rounded half up), +1.67
    assert ordered["13.09"].adjusted_score == round(score + 1.67, 2)
    assert ordered["13.01"].adjusted_score == round(score + 0.83, 2)
    # 0.84 and 0.83 apart, more than the margin: three ranks.
    assert [ordered[c].adjusted_rank for c in ("13.09", "13.01", "13.71")] == [1, 2, 3]


# ---- on every engine, from snapshots ----------------------------------------------------------

PADANG, MENTAWAI, BUKITTINGGI = "13.71.01.1001", "13.09.01.2001", "13.75.01.1001"
T0, T1, T2 = "2024-07-01", "2024-09-01", "2024-11-13"


def _register(upto: str) -> list[str]:
    """10 adults in each of Kota Padang and Mentawai, recorded by ``upto``; Bukittinggi (new in T2)."""
    recorded = {PADANG: [T0] * 8 + ["2024-08-01", "2024-10-01"], MENTAWAI: [T0] * 5 + ["2024-08-01", "2024-10-01"]}
    rows, serial = [], 0
    for desa, dates in recorded.items():
        for i in range(10):
            serial += 1
            on = dates[i] if i < len(dates) and dates[i] <= upto else ""
            rows.append(
                person(serial, "1990-01-01", desa=desa, status="CARD_ISSUED" if on else "UNREGISTERED", recorded=on)
            )
    if upto == T2:
        for i in range(10):
            serial += 1
            on = "2024-11-01" if i < 9 else ""
            rows.append(
                person(
                    serial, "1990-01-01", desa=BUKITTINGGI, status="CARD_ISSUED" if on else "UNREGISTERED", recorded=on
                )
            )
    return rows


def _import(cli, tmp_path, dates: list[str]) -> None:
    for day in dates:
        run = cli("import", write_register(tmp_path / f"r-{day}.csv", _register(day)), "--date", day)
        assert run.code == 0, run.err


@pytest.mark.parametrize("dates", [[T0, T2], [T0, T1, T2]], ids=["two-snapshots", "one-inside-the-period"])
def test_ranking_from_snapshots_by_hand(cli, tmp_path, engine, dates):
    # The same by hand whether or not a snapshot (T1) was taken inside the period.
    _import(cli, tmp_path, dates)
    got = {r.region_code: r for r in engine.rank(date(2024, 11, 13), date(2024, 7, 1))}
    # Padang: 8 -> 10 of 10, target met: 100, 100, 100, 100 = 100.
    # Mentawai: 5 -> 7 of 10; gap 10 - 5 = 5 -> 3: progress 40; 0.5 x 70 + 20 + 0.15 x 40 + 15 = 76.
    # Bukittinggi: new in the current snapshot, 9 of 10: (0.5 x 90 + 20 + 15) / 0.85 = 94.12.
    assert {c: (r.progress, r.score, r.rank) for c, r in got.items()} == {
        "13.71": (100.0, 100.0, 1),
        "13.09": (40.0, 76.0, 3),
        "13.75": (None, 94.12, 2),
    }
    assert (got["13.09"].gap_start, got["13.09"].target_gap, got["13.09"].progress_share_pct) == (5, 3, 40.0)
    assert got["13.75"].no_progress_reason == "no_data_at_start" and got["13.75"].weights_rescaled


def test_a_snapshot_inside_the_period_changes_nothing(cli, tmp_path, monkeypatch):
    two, three = tmp_path / "two", tmp_path / "three"
    for home, dates in ((two, [T0, T2]), (three, [T0, T1, T2])):
        monkeypatch.setenv("REKAM_HOME", str(home / "home"))
        home.mkdir()
        _import(cli, home, dates)
    rankings = []
    for home in (two, three):
        monkeypatch.setenv("REKAM_HOME", str(home / "home"))
        run = cli("rank", "--as-of", T2, "--since", T0, "--format", "json")
        assert run.code == 0, run.err
        rankings.append(run.json()["rows"])
    assert rankings[0] == rankings[1]
    assert [r["region_code"] for r in rankings[0]] == ["13.71", "13.75", "13.09"]


@pytest.mark.skipif(
    "period" not in inspect.signature(Figures.progress).parameters,
    reason="the default period (start of the semester, issue 15 part P) is not in Figures.progress yet",
)
def test_a_snapshot_inside_the_default_period_changes_nothing(cli, tmp_path, monkeypatch):
    # Before issue 15 the default start was the previous snapshot: T1 moved every score.
    rankings = []
    for name, dates in (("two", [T0, T2]), ("three", [T0, T1, T2])):
        monkeypatch.setenv("REKAM_HOME", str(tmp_path / name / "home"))
        (tmp_path / name).mkdir()
        _import(cli, tmp_path / name, dates)
        run = cli("rank", "--as-of", T2, "--format", "json")
        assert run.code == 0, run.err
        rankings.append(run.json()["rows"])
    assert rankings[0] == rankings[1]


@pytest.mark.skipif(
    "period" not in inspect.signature(Figures.progress).parameters,
    reason="named periods (issue 15 part P) are not in Figures.progress yet",
)
def test_a_named_period_is_passed_to_progress(cli, tmp_path):
    _import(cli, tmp_path, [T0, T2])
    named = cli("rank", "--as-of", T2, "--period", "2024-S2", "--format", "json")
    dated = cli("rank", "--as-of", T2, "--since", T0, "--format", "json")
    assert named.code == dated.code == 0, named.err + dated.err
    assert named.json()["rows"] == dated.json()["rows"]  # 2024-S2 starts on 1 Jul 2024 (T0)
    bad = cli("rank", "--as-of", T2, "--period", "kemarin")
    assert bad.code == 1 and "--period" in bad.err and "Traceback" not in bad.err


# ---- through the CLI ---------------------------------------------------------------------------


def test_rank_through_the_cli_prints_every_component_and_its_formula(cli, tmp_path):
    _import(cli, tmp_path, [T0, T2])
    run = cli("rank", "--as-of", T2, "--since", T0, "--election-date", "2024-11-27")
    assert run.code == 0, run.err
    assert run.out.startswith("skor = 0,50 x cakupan")  # the formula above the table
    # Mentawai's line: rank, score, coverage, pemula, progress, share closed, printing, gap, flagged,
    # and IKD % (issue 19: always shown, in the score only with a weight; no activation here).
    line = next(x for x in run.out.splitlines() if "Mentawai" in x)
    assert [c.strip() for c in line.strip("│ ").split("│")][3:] == [
        "76,00",
        "70,00",
        "100,00",
        "40,00",
        "40,00",
        "100,00",
        "3",
        "0",
        "0,00",
    ]
    adjusted = cli("rank", "--as-of", T2, "--since", T0, "--view", "adjusted").out
    assert "disesuaikan" in adjusted and "Tampilan disesuaikan" in adjusted
    line = next(x for x in adjusted.splitlines() if "Mentawai" in x)
    # remoteness 1; vulnerable 0 everywhere; backlog 50 % (the highest, 1 after rescaling):
    # difficulty = 100 x (1 + 0 + 1) / 3 = 66.67; adjusted = 76 + 5 x 0.6667 = 79.33
    assert [c.strip() for c in line.strip("│ ").split("│")][3:] == [
        "76,00",
        "1,00",
        "0,00",
        "50,00",
        "66,67",
        "79,33",
        "3",
    ]
    assert "13.75: kemajuan kosong (tidak ada data pada awal periode)" in run.out
    csv = cli("rank", "--as-of", T2, "--since", T0, "--format", "csv").out.splitlines()
    assert csv[0].startswith("# skor = 0,50 x cakupan") and csv[1].startswith("# Tampilan disesuaikan")
    assert csv[2].startswith("# 13.75: kemajuan kosong")
    header = csv[3].split(",")
    assert {"score", "coverage_pct", "pemula_pct", "progress", "printing_pct", "progress_share_pct"} <= set(header)
    data = cli("rank", "--as-of", T2, "--since", T0, "--format", "json").json()
    assert data["formula"] == formula("id") and data["tie_margin"] == 0.5
    assert data["weights"]["coverage"]["weight"] == 0.5 and data["weights"]["coverage"]["reason"]
    assert data["rows"][0]["rank"] == 1 and data["rows"][0]["region_code"] == "13.71"


def test_rank_takes_the_pemula_window_options(cli, tmp_path):
    # Born 1 Oct 2007, 17 on 1 Oct 2024: a pemula for 27 Nov 2024 when the window starts on
    # 14 Feb 2024 (the Pemilu), not with --pemula-window-days 30 (window from 28 Oct 2024).
    rows = _register(T2) + [person(99, "2007-10-01", desa=PADANG)]
    assert cli("import", write_register(tmp_path / "p.csv", rows), "--date", T2).code == 0
    base = ["rank", "--as-of", T2, "--since", T0, "--election-date", "2024-11-27", "--format", "json"]
    since = {r["region_code"]: r for r in cli(*base, "--since-election", "2024-02-14").json()["rows"]}
    days = {r["region_code"]: r for r in cli(*base, "--pemula-window-days", "30").json()["rows"]}
    assert since["13.71"]["pemula_pct"] == 0.0  # the one pemula has not recorded
    assert days["13.71"]["pemula_pct"] == 100.0  # no pemula in 30 days
    bad = cli(*base, "--pemula-window-days", "0")
    assert bad.code == 1 and "Traceback" not in bad.err
