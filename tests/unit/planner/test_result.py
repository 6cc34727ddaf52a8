"""Plan against result and learned turnout (issue 20), on a small plan worked by hand.

The plan: 2 teams, 2 days, 5 stops at sites of 2 kinds (sekolah S1, S2; desa D1, D2). The
outcomes are built by hand (``Out``: the fields of ``rekam.ops.field.FieldOutcome``), so this
test does not need the field module. Every expected figure is worked out in the comments.

    stop                 site  kind     visit  expected (per cohort)                         listed
    2024-11-14/T01/1     S1    sekolah  1      pemula 9, lainnya 4.5          = 13.5         15
    2024-11-14/T01/2     D1    desa     1      pemula 1, rentan 2, lainnya 7  = 10           20
    2024-11-14/T02/1     D2    desa     1      rentan 2, lainnya 4 = 6; ikd 1.5 (activations) 12
    2024-11-15/T01/1     S1    sekolah  2      pemula 0.9, lainnya 0.45       = 1.35          5
    2024-11-15/T02/1     S2    sekolah  1      pemula 18                      = 18           20  (no outcome)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from rekam.planner.result import (
    MIN_TURNOUT,
    against,
    beside_defaults,
    learned_turnout,
    listed_at_stops,
    plan_stops,
    stop_id,
    usable_turnout,
)

WIB = dt.timezone(dt.timedelta(hours=7))
D14, D15 = dt.date(2024, 11, 14), dt.date(2024, 11, 15)


@dataclass(frozen=True)
class Out:
    """A field outcome as ``rekam.ops.field.FieldOutcome`` has it (the fields this module reads and more)."""

    key: str
    stop_id: str
    nik: str | None
    outcome: str
    occurred_at: dt.datetime
    team: str = ""
    plan: str = "rencana"
    device_id: str = "d1"
    username: str = "ketua1"
    service_point: str = "TIM-1"
    received_at: dt.datetime = dt.datetime(2024, 11, 16, 8, 0, tzinfo=WIB)
    event_id: int | None = None


def _stop(site: str, visit: int, people: dict[str, float]) -> dict[str, Any]:
    return {"site": site, "visit": visit, "arrive": "08:00", "start": "08:00", "leave": "09:00", "people": people}


PLAN: dict[str, Any] = {
    "format": "rekam-plan",
    "version": 1,
    "sites": {
        "S1": {"name": "SMAN 1", "kind": "sekolah", "desa_code": "1371011001"},
        "S2": {"name": "SMAN 2", "kind": "sekolah", "desa_code": "1371011002"},
        "D1": {"name": "Desa 1", "kind": "desa", "desa_code": "1371011001"},
        "D2": {"name": "Desa 2", "kind": "desa", "desa_code": "1371011002"},
    },
    "routes": [
        {
            "team": "T01",
            "date": "2024-11-14",
            "stops": [
                _stop("S1", 1, {"pemula": 9.0, "lainnya": 4.5}),
                _stop("D1", 1, {"pemula": 1.0, "rentan": 2.0, "lainnya": 7.0}),
            ],
        },
        {"team": "T02", "date": "2024-11-14", "stops": [_stop("D2", 1, {"rentan": 2.0, "lainnya": 4.0, "ikd": 1.5})]},
        {"team": "T01", "date": "2024-11-15", "stops": [_stop("S1", 2, {"pemula": 0.9, "lainnya": 0.45})]},
        {"team": "T02", "date": "2024-11-15", "stops": [_stop("S2", 1, {"pemula": 18.0})]},
    ],
}
S1_D14, D1_D14, D2_D14, S1_D15, S2_D15 = (
    "2024-11-14/T01/1",
    "2024-11-14/T01/2",
    "2024-11-14/T02/1",
    "2024-11-15/T01/1",
    "2024-11-15/T02/1",
)
LISTED = {S1_D14: 15, D1_D14: 20, D2_D14: 12, S1_D15: 5, S2_D15: 20}


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=WIB)


OUTCOMES = [
    # S1, 14 Nov: A, B recorded; C failed then recorded on a retry; D absent; E under 16.
    Out("o1", S1_D14, "A", "direkam", at(D14, 9)),
    Out("o2", S1_D14, "B", "direkam", at(D14, 9, 5)),
    Out("o3", S1_D14, "C", "gagal_rekam", at(D14, 9, 10)),
    Out("o4", S1_D14, "C", "direkam", at(D14, 9, 30)),
    Out("o5", S1_D14, "D", "tidak_hadir", at(D14, 9, 40)),
    Out("o6", S1_D14, "E", "belum_16", at(D14, 9, 45)),
    # D1, 14 Nov: F recorded, G failed, H absent, someone without a NIK already has a card.
    Out("o7", D1_D14, "F", "direkam", at(D14, 11)),
    Out("o8", D1_D14, "G", "gagal_rekam", at(D14, 11, 10)),
    Out("o9", D1_D14, "H", "tidak_hadir", at(D14, 11, 20)),
    Out("o10", D1_D14, None, "sudah_punya_ktp", at(D14, 11, 30)),
    # D2, 14 Nov (team 2): A again at 10:00, after their recording at S1 at 09:00: found, not
    # recorded twice; I activates IKD; J absent.
    Out("o11", D2_D14, "A", "direkam", at(D14, 10)),
    Out("o12", D2_D14, "I", "aktivasi_ikd", at(D14, 10, 15)),
    Out("o13", D2_D14, "J", "tidak_hadir", at(D14, 10, 30)),
    # S1, 15 Nov: D, absent the day before, comes and records; K has moved.
    Out("o14", S1_D15, "D", "direkam", at(D15, 9)),
    Out("o15", S1_D15, "K", "pindah", at(D15, 9, 20)),
    # Not a stop of this plan: left out.
    Out("o16", "2024-11-16/T01/1", "L", "direkam", at(dt.date(2024, 11, 16), 9)),
]


def test_stop_ids_are_date_team_and_order_within_the_day() -> None:
    assert [s.stop_id for s in plan_stops(PLAN)] == [S1_D14, D1_D14, D2_D14, S1_D15, S2_D15]
    assert stop_id(D14, "T01", 2) == D1_D14
    assert [(s.site, s.kind, s.visit) for s in plan_stops(PLAN)][3] == ("S1", "sekolah", 2)


def test_each_stop_expected_against_found_recorded_activated_failed() -> None:
    result = against(PLAN, OUTCOMES)
    got = {s.stop_id: (s.found, s.recorded, s.activated, s.failed, s.outcomes) for s in result.stops}
    assert got == {
        # found A, B, C, E (D absent) = 4; recorded A, B, C = 3; C's failure retried: 0 failed; 6 outcomes
        S1_D14: (4, 3, 0, 0, 6),
        # found F, G, the person without a NIK = 3 (H absent); recorded F; failed G; 4 outcomes
        D1_D14: (3, 1, 0, 1, 4),
        # found A, I = 2 (J absent); A's recording counts at S1 (earlier): 0; activated I
        D2_D14: (2, 0, 1, 0, 3),
        # found D, K = 2; recorded D
        S1_D15: (2, 1, 0, 0, 2),
        # no outcome: nothing found
        S2_D15: (0, 0, 0, 0, 0),
    }
    s1 = result.stop(S1_D14)
    assert s1 is not None and s1.expected_total == pytest.approx(13.5) and s1.kind == "sekolah"
    d2 = result.stop(D2_D14)
    assert d2 is not None and d2.expected_total == pytest.approx(6.0) and d2.expected_activations == pytest.approx(1.5)
    assert result.with_outcomes == 4


def test_totals_per_team_day_and_per_day() -> None:
    result = against(PLAN, OUTCOMES)
    t01 = result.team_days[("T01", D14)]
    # S1 + D1: expected 13.5 + 10 = 23.5; found 4 + 3 = 7; recorded 3 + 1 = 4; failed 0 + 1 = 1
    assert (t01.expected_total, t01.found, t01.recorded, t01.failed) == pytest.approx((23.5, 7, 4, 1))
    assert t01.expected == pytest.approx({"pemula": 10.0, "lainnya": 11.5, "rentan": 2.0})
    t02 = result.team_days[("T02", D15)]
    assert (t02.expected_total, t02.found, t02.recorded) == pytest.approx((18.0, 0, 0))
    day14, day15 = result.days[D14], result.days[D15]
    # 14 Nov: expected 23.5 + 6 = 29.5 recordings and 1.5 activations; found 7 + 2 = 9;
    # recorded 4 + 0; activated 1; failed 1; outcomes 6 + 4 + 3 = 13
    assert (day14.expected_total, day14.expected_activations) == pytest.approx((29.5, 1.5))
    assert (day14.found, day14.recorded, day14.activated, day14.failed, day14.outcomes) == (9, 4, 1, 1, 13)
    # 15 Nov: expected 1.35 + 18 = 19.35; found 2; recorded 1; outcomes 2
    assert (day15.expected_total, day15.found, day15.recorded, day15.outcomes) == pytest.approx((19.35, 2, 1, 2))
    # the plan: recorded 5 people (A, B, C, F, D) from 15 outcomes of its stops (o16 is not one)
    assert (result.total.recorded, result.total.found, result.total.outcomes) == (5, 11, 15)
    assert result.total.expected_total == pytest.approx(29.5 + 19.35)


def test_one_person_one_recording_the_earliest_wins_whatever_the_order_received() -> None:
    # The same two recordings of A, received in the other order: still counted at S1 (09:00).
    result = against(PLAN, list(reversed(OUTCOMES)))
    assert [result.stop(i).recorded for i in (S1_D14, D2_D14)] == [3, 0]  # type: ignore[union-attr]
    # Were A's recording at D2 the earlier one, it would count there, and not at S1.
    moved = [Out("o11", D2_D14, "A", "direkam", at(D14, 8, 30)) if o.key == "o11" else o for o in OUTCOMES]
    result = against(PLAN, moved)
    assert [result.stop(i).recorded for i in (S1_D14, D2_D14)] == [2, 1]  # type: ignore[union-attr]
    assert result.stop(S1_D14).found == 4  # type: ignore[union-attr]  # A was still found at S1


def test_outcomes_of_another_plan_are_left_out_by_name() -> None:
    other = [Out("x1", S2_D15, "Z", "direkam", at(D15, 9), plan="rencana-lama")]
    assert against(PLAN, OUTCOMES + other).stop(S2_D15).recorded == 1  # type: ignore[union-attr]
    assert against(PLAN, OUTCOMES + other, plan_name="rencana").stop(S2_D15).recorded == 0  # type: ignore[union-attr]


def test_learned_turnout_per_site_kind_over_the_stops_with_outcomes() -> None:
    learned = learned_turnout(PLAN, OUTCOMES, LISTED)
    # sekolah: S1 on 14 Nov (3 recorded of 15 listed) and on 15 Nov (1 of 5); S2 has no outcome,
    # so its 20 listed are not counted: 4 / 20 = 0.2
    assert learned["sekolah"] == {"turnout": pytest.approx(0.2), "stops": 2, "listed": 20, "recorded": 4}
    # desa: D1 (1 of 20) and D2 (0 of 12: A's recording counts at S1): 1 / 32
    assert learned["desa"] == {"turnout": pytest.approx(1 / 32), "stops": 2, "listed": 32, "recorded": 1}


def test_no_outcome_learns_nothing_and_the_defaults_apply() -> None:
    learned = learned_turnout(PLAN, [], LISTED)
    assert learned == {
        "sekolah": {"turnout": None, "stops": 0, "listed": 0, "recorded": 0},
        "desa": {"turnout": None, "stops": 0, "listed": 0, "recorded": 0},
    }
    rows = beside_defaults(learned, {"sekolah": 0.9, "kampus": 0.6, "desa": 0.5})
    assert [(r["kind"], r["default"], r["used"]) for r in rows] == [("sekolah", 0.9, 0.9), ("desa", 0.5, 0.5)]


def test_learned_turnout_shown_beside_the_default_and_used_where_learned() -> None:
    learned = learned_turnout(PLAN, OUTCOMES, {S1_D14: 15, S1_D15: 5})  # the desa lists unknown
    rows = beside_defaults(learned, {"sekolah": 0.9, "desa": 0.5})
    assert [(r["kind"], r["default"], r["turnout"], r["used"]) for r in rows] == [
        ("sekolah", 0.9, pytest.approx(0.2), pytest.approx(0.2)),
        ("desa", 0.5, None, 0.5),  # stops with outcomes but no known list: nothing learned
    ]


def test_a_second_visit_lists_who_is_left_and_a_site_without_a_list_is_left_out() -> None:
    # S1 lists 15 when the plan began; 3 recorded at its first stop, so its second stop lists 12.
    # D1 lists 20; D2 and S2 have no list (a site counted from a head count): not in the answer.
    listed = listed_at_stops(PLAN, OUTCOMES, {"S1": 15, "D1": 20})
    assert listed == {S1_D14: 15, S1_D15: 12, D1_D14: 20}
    # sekolah: (3 + 1) recorded of (15 + 12) listed
    assert learned_turnout(PLAN, OUTCOMES, listed)["sekolah"]["turnout"] == pytest.approx(4 / 27)


def test_a_learned_turnout_is_used_within_what_a_scenario_holds() -> None:
    assert usable_turnout(0.0) == MIN_TURNOUT and usable_turnout(1.3) == 1.0 and usable_turnout(0.42) == 0.42


def test_found_and_recorded_by_cohort() -> None:
    """With the register's cohorts (``cohort_of``): A, B, D pemula; C, G lainnya; F rentan; I
    ikd; E and K not counted by the register, and the person without a NIK, are
    ``tidak_terdata``. ``cohort_of`` is asked with the stop's site kind (the planner's cohort
    depends on it: a lapas resident is rentan)."""
    cohorts = {"A": "pemula", "B": "pemula", "C": "lainnya", "D": "pemula", "F": "rentan", "G": "lainnya", "I": "ikd"}
    seen: list[tuple[str, str | None]] = []

    def cohort_of(nik: str, kind: str | None) -> str | None:
        seen.append((nik, kind))
        return cohorts.get(nik)

    result = against(PLAN, OUTCOMES, cohort_of=cohort_of)
    s1, d1, d2, s1b = (result.stop(i) for i in (S1_D14, D1_D14, D2_D14, S1_D15))
    # S1 14 Nov: found A, B (pemula), C (lainnya), E (not counted: tidak_terdata); recorded A, B, C
    assert s1 is not None and s1.found_by == {"pemula": 2, "lainnya": 1, "tidak_terdata": 1}
    assert s1.recorded_by == {"pemula": 2, "lainnya": 1}
    # D1: found F (rentan), G (lainnya), the person without a NIK; recorded F
    assert d1 is not None and d1.found_by == {"rentan": 1, "lainnya": 1, "tidak_terdata": 1}
    assert d1.recorded_by == {"rentan": 1}
    # D2: found A (pemula; recorded at S1, not here), I (ikd)
    assert d2 is not None and d2.found_by == {"pemula": 1, "ikd": 1} and d2.recorded_by == {}
    # S1 15 Nov: D (pemula) recorded, K (not counted) found
    assert s1b is not None and s1b.found_by == {"pemula": 1, "tidak_terdata": 1}
    # the totals add the stops: 11 found, 5 recorded (A, B, C, F, D)
    assert sum(result.total.found_by.values()) == result.total.found == 11
    assert result.total.recorded_by == {"pemula": 3, "lainnya": 1, "rentan": 1}
    assert ("A", "sekolah") in seen and ("F", "desa") in seen  # asked with the stop's site kind
    assert result.total.as_json()["recorded_by_cohort"] == {"pemula": 3, "lainnya": 1, "rentan": 1}
    # Without cohort_of, no split (and nothing else changes).
    plain = against(PLAN, OUTCOMES)
    assert plain.total.found_by == {} and plain.total.found == 11
