"""The snapshot diff's roll-up: counts per (desa before, desa after) to each desa and kab/kota,
each with its own boundary."""

from __future__ import annotations

from typing import Any

from rekam.analytics.snapshot_diff import COUNTS, roll_up


def _by_code(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, int]]:
    return {(r["level"], r["region_code"]): {k: r[k] for k in COUNTS} for r in rows}


def test_a_move_between_kab_kota_moves_out_of_one_and_into_the_other() -> None:
    a, b, c = "13.71.01.1001", "13.71.02.1001", "13.72.01.1001"
    groups = [
        (a, a, 10, 1, 2),  # stayed: one became wajib, two recorded
        (a, b, 3, 0, 1),  # moved within Padang
        (a, c, 2, 1, 0),  # moved from Padang to Solok
        (None, c, 4, 0, 0),  # new to the register
        (b, None, 5, 0, 0),  # gone
    ]
    rows = _by_code(roll_up(groups, ["13.71", "13.72", "13.73"]))
    zero = dict.fromkeys(COUNTS, 0)
    assert rows[("kab", "13.73")] == zero  # a kab/kota compared with nobody in it: a row of zeros
    assert rows[("kab", "13.71")] == zero | {
        "before": 20,
        "after": 13,
        "gone": 5,
        "moved_out": 2,
        "newly_wajib": 1,
        "newly_recorded": 3,
    }
    assert rows[("kab", "13.72")] == zero | {"after": 6, "new": 4, "moved_in": 2, "newly_wajib": 1}
    assert rows[("desa", a)] == zero | {
        "before": 15,
        "after": 10,
        "moved_out": 5,
        "newly_wajib": 1,
        "newly_recorded": 2,
    }
    assert rows[("desa", b)] == zero | {"before": 5, "after": 3, "gone": 5, "moved_in": 3, "newly_recorded": 1}
    for r in rows.values():
        assert r["after"] == r["before"] + r["new"] - r["gone"] + r["moved_in"] - r["moved_out"]
    order = [(r["level"], r["region_code"]) for r in roll_up(groups, ["13.71"])]
    assert order[0] == ("kab", "13.71") and all(level == "desa" for level, _ in order[2:])
