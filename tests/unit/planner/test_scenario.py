"""Reading a scenario: every bad field is named by its JSON path; visits' yields follow the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from tests.planner_factory import scenario, site

from rekam.errors import ScenarioError
from rekam.planner.scenario import parse_scenario, read_scenario


def base() -> dict:
    return scenario([site("A", -0.90, 100.36), site("B", -0.93, 100.40)], teams=2, date_to="2024-11-24")


def test_working_dates_follow_weekdays_exclusions_and_dated_hours() -> None:
    raw = base()
    raw["period"]["excluded_dates"] = ["2024-11-20"]
    raw["period"]["hours_by_date"] = {"2024-11-23": {"start": "09:00", "end": "12:00"}}
    sc = parse_scenario(raw)
    assert [d.isoformat() for d in sc.dates] == ["2024-11-18", "2024-11-19", "2024-11-21", "2024-11-22", "2024-11-23"]
    assert sc.hours[sc.dates[-1]] == (540, 720)  # a Saturday worked because it has its own hours
    assert sc.hours[sc.dates[0]] == (480, 960)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda r: r.update(format="x"), "$.format"),
        (lambda r: r["period"].update({"to": "2024-11-01"}), "$.period.to"),
        (lambda r: r["period"].update({"weekdays": [0]}), "$.period.weekdays"),
        (lambda r: r["teams"][1].update({"start_depot": "nowhere"}), "$.teams[1].start_depot"),
        (lambda r: r["teams"][0].update({"kits": 0}), "$.teams[0].kits"),
        (lambda r: r["teams"][0].update({"day_start": "25:00"}), "$.teams[0].day_start"),
        (lambda r: r["sites"][1].update({"kind": "pasar"}), "$.sites[1].kind"),
        (lambda r: r["sites"][0].update({"turnout": 1.5}), "$.sites[0].turnout"),
        (lambda r: r["sites"][0]["people"].update({"pemula": -1}), "$.sites[0].people.pemula"),
        (lambda r: r["sites"][1].update({"id": "A"}), "$.sites[1].id"),
        (lambda r: r["sites"][0].update({"close": "07:00"}), "$.sites[0].close"),
        (lambda r: r["sites"][0].update({"lat": None}), "$.sites[0]"),
        (lambda r: r["sites"][0].update({"max_visits": "dua"}), "$.sites[0].max_visits"),
        (
            lambda r: r.update(travel={"mode": "matrix", "ids": ["dinas", "A"], "minutes": [[0, 1], [1, 0]]}),
            "$.travel.ids",
        ),
    ],
)
def test_a_bad_field_is_named_by_its_path(change, path: str) -> None:  # noqa: ANN001
    raw = copy.deepcopy(base())
    change(raw)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(raw)
    assert path in str(caught.value)


def test_not_json_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "s.json"
    bad.write_text('{\n "format": "rekam-scenario",\n oops\n}')
    with pytest.raises(ScenarioError, match="baris 3"):
        read_scenario(bad)


def test_travel_from_a_matrix() -> None:
    raw = base()
    raw["travel"] = {"mode": "matrix", "ids": ["dinas", "A", "B"], "minutes": [[0, 10, 20], [11, 0, 5], [21, 6, 0]]}
    sc = parse_scenario(raw)
    assert sc.minutes("A", "B") == 5 and sc.minutes("B", "dinas") == 21


def test_travel_from_coordinates_uses_road_factor_and_speed() -> None:
    raw = base()
    raw["sites"] = [site("A", -0.95, 100.35 + 0.09)]  # about 10.0 km due east of the depot
    raw["travel"] = {"mode": "coordinates", "road_factor": 1.5, "speed_kmh": 30}
    minutes = parse_scenario(raw).minutes("dinas", "A")
    assert 29.5 < minutes < 30.5  # 10 km x 1.5 / 30 km/h = 30 min


def test_repeat_visits_yield_remaining_times_turnout_capped_by_a_day() -> None:
    raw = scenario([site("A", -0.9, 100.3, {"pemula": 100, "lainnya": 300}, turnout=0.5, max_visits=4)])
    raw["teams"][0].update(kits=2, per_kit_per_day=50)
    sc = parse_scenario(raw)
    visits = sc.visits(sc.sites["A"])
    # 400 people: the first visit could draw 200 but two kits record 100 a day; then 150, 75, 37.5

    totals = [v.total for v in visits]
    assert totals[0] == pytest.approx(100)  # capped by the kits
    assert totals[1] == pytest.approx(100)  # 300 left x 0.5 = 150, capped again
    assert totals[2] == pytest.approx(100)  # 200 x 0.5
    assert totals[3] == pytest.approx(50)  # 100 x 0.5
    assert visits[0].people["pemula"] == pytest.approx(25)  # cohorts in proportion
    assert visits[0].value == pytest.approx(25 * 3 + 75 * 1)  # default weights pemula 3, lainnya 1


def test_what_if_adds_teams_and_working_days() -> None:
    sc = parse_scenario(base())
    bigger = sc.with_extra(add_teams=3, extra_days=2)
    assert len(bigger.teams) == 5 and len({t.id for t in bigger.teams}) == 5
    assert len(bigger.dates) == len(sc.dates) + 2
    assert bigger.dates[-1].isoformat() == "2024-11-26"  # Mon 25 and Tue 26 after Fri 22
    json.dumps(bigger.raw)


SCHEMA = Path(__file__).parents[3] / "docs" / "scenario.schema.json"


def test_the_documented_json_schema_accepts_what_the_reader_accepts() -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    raw = base()
    raw["period"]["hours_by_date"] = {"2024-11-23": {"start": "09:00", "end": "12:00"}}
    raw["teams"][0].update(region="1371", dates=["2024-11-18"], day_start="07:30", day_end="15:00")
    jsonschema.validate(raw, schema)
    parse_scenario(raw)
    matrix = base()
    matrix["travel"] = {"mode": "matrix", "ids": ["dinas", "A", "B"], "minutes": [[0, 10, 20], [11, 0, 5], [21, 6, 0]]}
    jsonschema.validate(matrix, schema)
    parse_scenario(matrix)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.update(format="x"),
        lambda r: r["sites"][0].update(kind="pasar"),
        lambda r: r["sites"][0].update(turnout=1.5),
        lambda r: r["teams"][0].update(kits=0),
        lambda r: r["period"].update(weekdays=[8]),
        lambda r: r["sites"][0].update(open="8 pagi"),
    ],
)
def test_the_schema_and_the_reader_refuse_the_same_bad_fields(change) -> None:  # noqa: ANN001
    import jsonschema

    raw = copy.deepcopy(base())
    change(raw)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, json.loads(SCHEMA.read_text()))
    with pytest.raises(ScenarioError):
        parse_scenario(raw)
