"""Plan against result on the plan pages (issue 20): where the teams logged field outcomes, the
calendar and a team's day show "hasil" beside "perkiraan" per stop and per day; nowhere else.

The outcomes are given by hand (``Rekam.field_outcomes`` replaced), so the pages are tested
without the field module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import login
from tests.web.test_teamday import _plan, app, plan_home  # noqa: F401

from rekam.api import Rekam

WIB = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Out:
    key: str
    stop_id: str
    nik: str | None
    outcome: str
    occurred_at: dt.datetime
    team: str = "T01"
    plan: str = "padang-20241113-080000"
    received_at: dt.datetime = dt.datetime(2024, 11, 14, 16, tzinfo=WIB)


@pytest.fixture
def outcomes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    given: list[Any] = []
    monkeypatch.setattr(Rekam, "field_outcomes", lambda self, since=None, until=None, team=None: list(given))
    yield given


def test_result_beside_expected_where_outcomes_were_logged(
    app: TestClient,  # noqa: F811
    plan_home: Path,  # noqa: F811
    outcomes: list[Any],
) -> None:
    login(app, "padang")
    assert "hasil:" not in app.get("/rencana").text  # no outcome yet: the page as before
    routes = _plan(plan_home)["routes"]
    team, day_ = routes[0]["team"], routes[0]["date"]
    first = f"{day_}/{team}/1"
    at = dt.datetime.fromisoformat(day_).replace(hour=9, tzinfo=WIB)
    outcomes += [
        Out("a", first, "1371010101900001", "direkam", at),
        Out("b", first, "1371010101900002", "tidak_hadir", at),
        Out("c", first, "1371010101900003", "belum_16", at),
        Out("d", first, "1371010101900004", "direkam", at, plan="rencana-lain"),  # another plan's: left out
    ]
    # the view the moment they are logged answers at once with the result it had (a pass over
    # the register is not made in the request: issue 21), while the new one is computed
    assert "hasil:" not in app.get("/rencana").text
    app.app.state.rekam.figures.settle()  # type: ignore[attr-defined]
    page = app.get("/rencana").text
    # the stop and its team's day, 1 recorded of 2 found (the absent one is not found), each in the
    # calendar's table and in its list by day (the page shows both, one per screen width)
    assert page.count("hasil: 1 direkam dari 2 ditemui") == 4
    day = app.get(f"/rencana/tim/{team}/{day_}").text
    assert 'id="day-result">hasil: 1 direkam dari 2 ditemui' in day
    assert day.count("hasil: 1 direkam dari 2 ditemui") == 2  # the day and its first stop
    quiet = next(r for r in routes if (r["team"], r["date"]) != (team, day_))
    assert "hasil:" not in app.get(f"/rencana/tim/{quiet['team']}/{quiet['date']}").text  # nothing logged there
