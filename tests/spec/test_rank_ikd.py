"""IKD in the rakor ranking (issue 19): ``ikd_pct`` shown on every row whatever the weight, and
counted in the score only with the weight the province chooses (0 to 0.5, default 0), the four
other weights scaled by (1 - w). Worked by hand; with w = 0 everything is as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.conftest import IKD_COLUMNS, person, write_register

from rekam.analytics.coverage import percent, target_gap
from rekam.analytics.rank import WEIGHTS, Start, component_scores, explain, formula, rank, weights
from rekam.config import Settings
from rekam.domain.weights import ikd_weight_of
from rekam.errors import InvalidArgument, InvalidOptions

TARGET = 9940  # 99.4 %, in hundredths

# code  | wajib/sudah | coverage | pemula | gap start/end | progress | printing | ikd % | w = 0        | w = 0.2
# 13.01 | 1000 / 990  | 99.00    | 100    | 8 / 4         | 50       | 100      | 10    | 92.00 (2)    | 75.60 (3)   A
# 13.02 | 1000 / 970  | 97.00    | 100    | 48 / 24       | 50       | 100      | 40    | 91.00 (3)    | 80.80 (1)   B
# 13.03 | 1000 / 980  | 98.00    | 90     | - / 14        | -        | 80       | 30    | 92.94 (1)    | 78.64 (2)   C
#
# Gaps at the end: ceil(99.4 % x 1000) = 994 - sudah: 4, 24, 14.
# w = 0 (0.50, 0.20, 0.15, 0.15; IKD shown, not counted):
#   A 49.50 + 20 + 7.50 + 15 = 92.00      B 48.50 + 20 + 7.50 + 15 = 91.00
#   C without progress: (49.00 + 18.00 + 12.00) / 0.85 = 79 / 0.85 = 92.941 -> 92.94
#   C 92.94 > A 92.00 (0.94 apart) > B 91.00 (1.00 apart): ranks 1, 2, 3, no tie.
# w = 0.2 (0.50 x 0.8 = 0.40, 0.16, 0.12, 0.12, IKD 0.20; sum 1):
#   A 39.60 + 16 + 6 + 12 + 2 = 75.60     B 38.80 + 16 + 6 + 12 + 8 = 80.80
#   C (39.20 + 14.40 + 9.60 + 6.00) / 0.88 = 69.2 / 0.88 = 78.636 -> 78.64
#   B 80.80 > C 78.64 (2.16) > A 75.60 (3.04): B goes from last to first, A from 2nd to last.
SPEC = """
13.01 | 1000 | 990 | 100 | 8  | 50 | 100 | 10 | 92.00 | 2 | 75.60 | 3
13.02 | 1000 | 970 | 100 | 48 | 50 | 100 | 40 | 91.00 | 3 | 80.80 | 1
13.03 | 1000 | 980 | 90  | -  | -  | 80  | 30 | 92.94 | 1 | 78.64 | 2
"""


def _figures(code: str, wajib: int, sudah: int, pemula_pct: int, printing_pct: int, ikd: float | None) -> dict:
    return {
        "region_code": code,
        "region_name": f"Kab {code}",
        "wajib": wajib,
        "belum_rekam": wajib - sudah,
        "coverage_pct": percent(sudah, wajib),
        "target_gap": target_gap(wajib, sudah, TARGET),
        "pemula": 100,
        "pemula_belum_rekam": 100 - pemula_pct,
        "sudah_cetak": 10 * printing_pct,
        "belum_cetak": 1000 - 10 * printing_pct,
        "rentan_wajib": 0,
        "ikd_pct": ikd,
    }


def _rows(weight: Decimal) -> list[tuple[list[str], object]]:
    out = []
    for line in SPEC.strip().splitlines():
        c = [x.strip() for x in line.split("|")]
        figures = _figures(c[0], int(c[1]), int(c[2]), int(c[3]), int(c[6]), float(c[7]))
        start = None if c[4] == "-" else Start(int(c[4]), int(c[1]), 0)
        out.append((c, component_scores(figures, start, 0, ikd_weight=weight)))
    return out


@pytest.mark.parametrize(("weight", "score_at", "rank_at"), [("0", 8, 9), ("0.2", 10, 11)])
def test_the_order_flips_with_an_ikd_weight_of_0_2_by_hand(weight, score_at, rank_at):
    rows = _rows(Decimal(weight))
    for c, row in rows:
        assert row.coverage_pct == float(int(c[2]) / 10), c[0]
        assert row.progress == (None if c[5] == "-" else float(c[5])), c[0]
        assert (row.pemula_pct, row.printing_pct, row.ikd_pct) == (float(c[3]), float(c[6]), float(c[7])), c[0]
        assert row.score == float(c[score_at]), c[0]
        assert row.weights_rescaled == (c[5] == "-"), c[0]  # only C's progress is missing
    ordered = rank(r for _, r in rows)
    assert {r.region_code: r.rank for r in ordered} == {c[0]: int(c[rank_at]) for c, _ in rows}
    assert not any(r.tied for r in ordered)
    assert all(r.as_json()["ikd_pct"] is not None for r in ordered)  # shown whatever the weight


def test_with_weight_0_the_score_and_formula_are_those_of_the_four_components():
    rows = _rows(Decimal(0))
    for _, row in rows:  # the same as with no ikd_weight given at all (before issue 19's column)
        assert component_scores(_as_figures(row), _start_of(row), 0).score == row.score
    assert weights() == {name: w.value for name, w in WEIGHTS.items()}
    assert formula("id", Decimal(0)) == formula("id") and formula("en", Decimal("0.00")) == formula("en")
    assert "IKD" not in formula("id") and "IKD" not in formula("en")
    about = explain("id")
    assert set(about["weights"]) == set(WEIGHTS) and about["ikd_weight"] == 0.0
    assert about["ikd_weight_reason"].startswith("aktivasi Identitas Kependudukan Digital")


def _as_figures(row) -> dict:  # the end figures a row was computed from (SPEC's rows)
    line = next(x for x in SPEC.strip().splitlines() if x.startswith(row.region_code))
    c = [x.strip() for x in line.split("|")]
    return _figures(c[0], int(c[1]), int(c[2]), int(c[3]), int(c[6]), float(c[7]))


def _start_of(row) -> Start | None:
    return None if row.gap_start is None else Start(row.gap_start, 1000, 0)


def test_the_weights_are_scaled_exactly_and_the_formula_shows_the_ones_used():
    used = weights(Decimal("0.2"))
    assert used == {
        "coverage": Decimal("0.40"),
        "pemula": Decimal("0.16"),
        "progress": Decimal("0.12"),
        "printing": Decimal("0.12"),
        "ikd": Decimal("0.2"),
    }
    assert sum(used.values()) == 1 and sum(weights(Decimal("0.1")).values()) == 1
    assert formula("id", Decimal("0.2")).startswith(
        "skor = 0,40 x cakupan + 0,16 x cakupan pemula + 0,12 x kemajuan + 0,12 x pencetakan + 0,20 x aktivasi IKD."
    )
    assert formula("en", Decimal("0.2")).startswith(
        "score = 0.40 x coverage + 0.16 x first-time voter coverage + 0.12 x progress + 0.12 x printing"
        " + 0.20 x IKD activation."
    )
    # 0.15 x 0.9 = 0.135: shown whole, never rounded to 0,14.
    assert "0,135 x kemajuan + 0,135 x pencetakan + 0,10 x aktivasi IKD" in formula("id", Decimal("0.1"))
    assert "0.50 points" in formula("en", Decimal("0.2"))  # the tie margin is still half a point of score
    about = explain("en", Decimal("0.2"))
    assert about["weights"]["ikd"] == {"weight": 0.2, "reason": about["ikd_weight_reason"]}
    assert "national performance measure since 2023" in about["weights"]["ikd"]["reason"]
    assert about["weights"]["coverage"]["weight"] == 0.4 and about["ikd_weight"] == 0.2


def test_an_ikd_with_a_basis_of_0_is_left_out_and_the_weights_rescaled():
    # A with its IKD basis 0 (ikd_pct null): (39.60 + 16 + 6 + 12) / 0.80 = 73.6 / 0.8 = 92.00.
    figures = _figures("13.04", 1000, 990, 100, 100, None)
    counted = component_scores(figures, Start(8, 1000, 0), 0, ikd_weight=Decimal("0.2"))
    assert (counted.ikd_pct, counted.score, counted.weights_rescaled) == (None, 92.0, True)
    unweighted = component_scores(figures, Start(8, 1000, 0), 0)
    assert (unweighted.score, unweighted.weights_rescaled) == (92.0, False)


@pytest.mark.parametrize("bad", ["-0.1", "0.51", "1", "abc", "", "nan", "inf", "0.125"])
def test_a_bad_weight_is_refused_in_indonesian(at_home_settings, bad):
    from rekam.api import Rekam

    assert ikd_weight_of(bad) is None
    with pytest.raises(InvalidOptions) as refused:
        Rekam(at_home_settings).rank_ikd_weight(bad)
    assert str(refused.value).startswith(f"Nilai tidak valid untuk ikd_weight: {bad}. Gunakan angka 0 sampai 0.5")
    with pytest.raises(InvalidArgument) as env:
        Settings.from_env({"REKAM_RANK_IKD_WEIGHT": bad or " x"})
    assert "REKAM_RANK_IKD_WEIGHT" in str(env.value) and "0 sampai 0.5" in str(env.value)


def test_the_setting_is_read_from_the_environment(tmp_path):
    assert Settings.from_env({}).rank_ikd_weight == 0
    assert Settings.from_env({"REKAM_RANK_IKD_WEIGHT": "0,15"}).rank_ikd_weight == Decimal("0.15")
    assert ikd_weight_of("0.5") == Decimal("0.5") and ikd_weight_of(0) == 0


@pytest.fixture
def at_home_settings(tmp_path) -> Settings:
    return Settings(home=tmp_path)


# ---- through the CLI, from a register with IKD ------------------------------------------------

PADANG, MENTAWAI = "13.71.01.1001", "13.09.01.2001"


def _import(cli, tmp_path) -> None:
    """Kota Padang: 10 of 10 recorded (target met: progress 100), no IKD; Mentawai: 9 of 10
    recorded, 9 with IKD (90 % of wajib, 100 % of those recorded). One snapshot, so the start is
    read from its recording dates (2020): Mentawai is 1 short at both dates, progress 0."""
    rows = []
    for i in range(10):
        rows.append(f"{person(i + 1, '1990-01-01', desa=PADANG, status='CARD_ISSUED', recorded='2020-01-01')},,,")
        on = i < 9
        line = person(
            i + 11,
            "1990-01-01",
            desa=MENTAWAI,
            status="CARD_ISSUED" if on else "UNREGISTERED",
            recorded="2020-01-01" if on else "",
        )
        rows.append(f"{line},AKTIF,2024-10-01,13.09" if on else f"{line},,,")
    run = cli("import", write_register(tmp_path / "r.csv", rows, IKD_COLUMNS), "--date", "2024-11-13")
    assert run.code == 0, run.err


RANK = ("rank", "--as-of", "2024-11-13", "--since", "2024-07-01", "--format", "json")


def test_the_cli_option_flips_the_order_and_the_json_carries_the_column(cli, tmp_path, monkeypatch):
    _import(cli, tmp_path)
    # w = 0: Padang 100 (every component 100); Mentawai 0.5 x 90 + 20 + 0.15 x 0 + 15 = 80.
    plain = cli(*RANK)
    assert plain.code == 0, plain.err
    rows = {r["region_code"]: r for r in plain.json()["rows"]}
    assert {c: (r["score"], r["rank"], r["ikd_pct"]) for c, r in rows.items()} == {
        "13.71": (100.0, 1, 0.0),
        "13.09": (80.0, 2, 90.0),
    }
    assert plain.json()["formula"] == formula("id") and "ikd" not in plain.json()["weights"]
    # w = 0.2: Padang 0.4 x 100 + 16 + 12 + 12 + 0.2 x 0 = 80;
    # Mentawai 0.4 x 90 + 16 + 0.12 x 0 + 12 + 0.2 x 90 = 82: 2 points above, first.
    weighted = cli(*RANK, "--ikd-weight", "0.2")
    assert weighted.code == 0, weighted.err
    data = weighted.json()
    got = {r["region_code"]: (r["score"], r["rank"], r["ikd_pct"]) for r in data["rows"]}
    assert got == {"13.71": (80.0, 2, 0.0), "13.09": (82.0, 1, 90.0)}
    assert data["formula"] == formula("id", Decimal("0.2")) and data["weights"]["ikd"]["weight"] == 0.2
    # The basis chosen: of those recorded, Mentawai's 9 of 9 = 100 %.
    basis = cli(*RANK, "--ikd-basis", "sudah_rekam")
    assert {r["region_code"]: r["ikd_pct"] for r in basis.json()["rows"]} == {"13.71": 0.0, "13.09": 100.0}
    # The province's setting, and the option over it.
    monkeypatch.setenv("REKAM_RANK_IKD_WEIGHT", "0.2")
    assert cli(*RANK).json()["rows"] == data["rows"]
    assert cli(*RANK, "--ikd-weight", "0").json()["rows"] == plain.json()["rows"]


def test_the_cli_table_shows_the_ikd_column_and_the_formula_used(cli, tmp_path):
    _import(cli, tmp_path)
    run = cli("rank", "--as-of", "2024-11-13", "--since", "2024-07-01", "--ikd-weight", "0,2")
    assert run.code == 0, run.err
    assert run.out.startswith("skor = 0,40 x cakupan") and "0,20 x aktivasi IKD" in run.out
    assert "IKD %" in run.out
    line = next(x for x in run.out.splitlines() if "Mentawai" in x)
    assert [c.strip() for c in line.strip("│ ").split("│")][-1] == "90,00"


@pytest.mark.parametrize("bad", ["0.6", "-0.1", "banyak"])
def test_the_cli_refuses_a_bad_weight_naming_the_flag(cli, tmp_path, bad):
    _import(cli, tmp_path)
    run = cli(*RANK, "--ikd-weight", bad)
    assert run.code == 1 and run.out == "" and "Traceback" not in run.err
    assert f"--ikd-weight: {bad}" in run.err and "0 sampai 0.5" in run.err


def test_rakor_refuses_a_bad_weight_before_any_work(cli, tmp_path):
    _import(cli, tmp_path)
    run = cli("rakor", "--as-of", "2024-11-13", "--out", tmp_path / "r.xlsx", "--ikd-weight", "0.9")
    assert run.code == 1 and "--ikd-weight: 0.9" in run.err
    assert not (tmp_path / "r.xlsx").exists()
