"""The province's ranking on the page and in the API (issue 15): every component, the score,
the rank with ties, the formula, the weights and the tie margin; the same rows as ``rekam rank``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import login, token

from rekam.analytics.rank import WEIGHTS, formula

COMPONENTS = ("coverage_pct", "pemula_pct", "progress", "printing_pct")


def _cli_rows(cli, web_home: Path, monkeypatch) -> list[dict]:  # noqa: ANN001
    monkeypatch.setenv("REKAM_HOME", str(web_home))
    run = cli("rank", "--region", "13", "--as-of", "2024-11-13", "--election-date", "2024-11-27", "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)["rows"]


def test_the_api_gives_every_component_the_weights_and_the_formula(
    client: TestClient,
    cli,
    web_home: Path,
    monkeypatch,  # noqa: ANN001
) -> None:
    r = client.get("/api/v1/regions", params={"code": "13"}, headers=token(client, "sumbar"))
    assert r.status_code == 200, r.text
    data = r.json()
    rows = data["ranking"]
    assert len(rows) == 19
    for row in rows:
        assert all(key in row for key in (*COMPONENTS, "score", "rank", "tied", "adjusted_score", "adjusted_rank"))
    explained = data["ranking_explained"]
    assert explained["formula"] == formula("id") and explained["tie_margin"] == 0.5
    assert {k: v["weight"] for k, v in explained["weights"].items()} == {k: float(w.value) for k, w in WEIGHTS.items()}
    english = client.get(
        "/api/v1/regions", params={"code": "13"}, headers=token(client, "sumbar") | {"Accept-Language": "en"}
    )
    assert english.json()["ranking_explained"]["formula"] == formula("en")
    # The same rows as the CLI's.
    assert rows == _cli_rows(cli, web_home, monkeypatch)
    # A kab/kota page has no ranking.
    kota = client.get("/api/v1/regions", params={"code": "13.71"}, headers=token(client, "sumbar")).json()
    assert kota["ranking"] == [] and kota["ranking_explained"] is None


def test_the_province_page_shows_every_component_the_formula_and_the_tie_margin(
    client: TestClient,
    cli,
    web_home: Path,
    monkeypatch,  # noqa: ANN001
) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13").text
    table = page.split('<table id="ranking">')[1].split("</table>")[0]
    head = table.split("</thead>")[0]
    for label in ("Peringkat", "Skor", "Cakupan", "Cakupan pemula", "Kemajuan", "Pencetakan", "Skor disesuaikan"):
        assert re.search(rf'>{label}( <span class="help" title="[^"]+">\?</span>)?</th>', head), label  # "?": issue 16
    assert "skor = 0,50 x cakupan + 0,20 x cakupan pemula + 0,15 x kemajuan + 0,15 x pencetakan" in page
    assert "Batas seri: skor paling banyak 0,50 poin" in page
    assert 'id="rank-weights"' in page and "Cakupan 0,50:" in page
    expected = {r["region_code"]: r for r in _cli_rows(cli, web_home, monkeypatch)}
    shown = re.findall(r'<tr data-code="([\d.]+)" data-rank="(\d+)" data-score="([\d.]+)">(.*?)</tr>', table)
    assert len(shown) == 19
    for code, rank, score, cells in shown:
        row = expected[code]
        assert (int(rank), float(score)) == (row["rank"], row["score"])
        first = re.search(r'<td class="n">(\d+)(=?)</td>', cells)
        assert first and first.group(2) == ("=" if row["tied"] else "")  # a tie is shown
        shown_coverage = f"{row['coverage_pct']:.2f}".replace(".", ",") + " %"
        assert shown_coverage in cells
    english = client.get("/wilayah/13?lang=en").text
    assert "score = 0.50 x coverage" in english and '>Progress <span class="help"' in english
