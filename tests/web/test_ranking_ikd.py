"""IKD in the province's ranking on the page and in the API (issue 19): the column always, the
weight the installation chose (``REKAM_RANK_IKD_WEIGHT``, default 0) or the API's ``ikd_weight``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import login, token

from rekam.analytics.rank import formula
from rekam.config import Settings


def _table(page: str) -> str:
    return page.split('<table id="ranking">')[1].split("</table>")[0]


def test_the_page_shows_the_ikd_column_not_counted_by_default(client: TestClient) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13").text
    table = _table(page)
    head = table.split("</thead>")[0]
    assert re.search(r'>Aktivasi IKD <span class="help" title="[^"]+">\?</span></th>', head)
    api = client.get("/api/v1/regions", params={"code": "13"}, headers=token(client, "sumbar")).json()
    expected = {r["region_code"]: r["ikd_pct"] for r in api["ranking"]}
    assert len(expected) == 19 and all(v is not None for v in expected.values())
    for code, cells in re.findall(r'<tr data-code="([\d.]+)" data-rank="\d+" data-score="[\d.]+">(.*?)</tr>', table):
        shown = f"{expected[code]:.2f}".replace(".", ",") + " %"
        assert f'<td class="n">{shown}</td><td class="n">' in cells, code  # after the flagged desa
    assert "aktivasi IKD" not in page.split('id="rank-formula"')[1].split("</p>")[0]  # weight 0: not in the score
    assert api["ranking_explained"]["ikd_weight"] == 0.0 and "ikd" not in api["ranking_explained"]["weights"]


def test_the_api_takes_an_ikd_weight_and_refuses_a_bad_one(
    client: TestClient, cli, web_home: Path, monkeypatch
) -> None:  # noqa: ANN001
    headers = token(client, "sumbar")
    plain = client.get("/api/v1/regions", params={"code": "13"}, headers=headers).json()
    weighted = client.get("/api/v1/regions", params={"code": "13", "ikd_weight": "0.2"}, headers=headers)
    assert weighted.status_code == 200, weighted.text
    data = weighted.json()
    assert data["ranking_explained"]["formula"] == formula("id", Decimal("0.2"))
    assert data["ranking_explained"]["weights"]["ikd"]["weight"] == 0.2
    # The same IKD column, other scores; the rows are those of ``rekam rank --ikd-weight 0.2``.
    assert {r["region_code"]: r["ikd_pct"] for r in data["ranking"]} == {
        r["region_code"]: r["ikd_pct"] for r in plain["ranking"]
    }
    assert [r["score"] for r in data["ranking"]] != [r["score"] for r in plain["ranking"]]
    monkeypatch.setenv("REKAM_HOME", str(web_home))
    args = ("rank", "--region", "13", "--as-of", "2024-11-13", "--election-date", "2024-11-27", "--format", "json")
    run = cli(*args, "--ikd-weight", "0.2")
    assert run.code == 0, run.err
    assert data["ranking"] == json.loads(run.out)["rows"]
    bad = client.get("/api/v1/regions", params={"code": "13", "ikd_weight": "0.9"}, headers=headers)
    assert bad.status_code == 400, bad.text
    assert "ikd_weight" in bad.json()["detail"] and "0 sampai 0.5" in bad.json()["detail"]


@pytest.fixture
def weighted_client(web_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app of a province that counts IKD with weight 0.1 (``REKAM_RANK_IKD_WEIGHT``)."""
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    monkeypatch.setenv("REKAM_HOME", str(web_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    settings = Settings(
        home=web_home, election_date=date(2024, 11, 27), figure_cache=False, rank_ikd_weight=Decimal("0.1")
    )
    with TestClient(create_app(settings)) as c:
        yield c
    close_all()


def test_the_page_follows_the_installation_s_weight(weighted_client: TestClient) -> None:
    login(weighted_client, "sumbar")
    page = weighted_client.get("/wilayah/13").text
    assert "skor = 0,45 x cakupan + 0,18 x cakupan pemula + 0,135 x kemajuan + 0,135 x pencetakan + 0,10 x " in page
    assert "Aktivasi IKD 0,10:" in page  # the weights' list, with the IKD weight's reason
    data = weighted_client.get(
        "/api/v1/regions", params={"code": "13"}, headers=token(weighted_client, "sumbar")
    ).json()
    assert data["ranking_explained"]["ikd_weight"] == 0.1
    assert data["ranking_explained"]["formula"] == formula("id", Decimal("0.1"))
