"""Where a region is heading (issue 16): per child region "perlu per hari kerja" and the
projected date (``rekam progress``'s figures), a kab/kota's own rank among its province's,
bars that separate 94 % from 99 % with a colour legend, every column explained, and the map's
legend, outlines and table. HTML asserts through the app's TestClient (tests/web/conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from tests.web.conftest import login, token

from rekam.analytics.coverage import CoverageRow
from rekam.api import Rekam
from rekam.web import mapsvg, text
from rekam.web.views import bar_axis


def _rows(page: str, table: str) -> dict[str, str]:
    """The rows of ``<table id=TABLE>`` by their data-code."""
    body = page.split(f'<table id="{table}">')[1].split("</table>")[0]
    return dict(re.findall(r'<tr data-code="([^"]+)"[^>]*>(.*?)</tr>', body, re.S))


def _headers(page: str, table: str) -> list[str]:
    head = page.split(f'<table id="{table}">')[1].split("</thead>")[0]
    return re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)


def test_each_kab_kota_shows_what_it_needs_per_working_day_and_its_projected_date(
    client: TestClient,
    cli,
    web_home: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13").text
    monkeypatch.setenv("REKAM_HOME", str(web_home))
    options = {"--region": "13", "--level": "kab", "--as-of": "2024-11-13", "--deadline": "2024-11-27"}
    run = cli("progress", *[x for pair in options.items() for x in pair], "--format", "json")
    assert run.code == 0, run.err
    expected = {r["region_code"]: r for r in json.loads(run.out)}
    rows = _rows(page, "children")
    assert len(rows) == 19 and set(rows) == set(expected)
    needed_seen = set()
    for code, row in rows.items():
        want = expected[code]
        [needed] = re.findall(r'data-figure="needed_per_day" data-value="([^"]*)"', row)
        assert needed == str(want["needed_per_working_day"]), code
        needed_seen.add(needed)
        [(note, words)] = re.findall(r'<td class="projection" data-note="([^"]*)">([^<]*)</td>', row)
        assert note == want["projection_note"]
        if note == "met":
            assert words == "target tercapai"
        elif want["projected_date"]:  # 2024-12-03 -> 03-12-2024, ", setelah tenggat" when after election day
            y, m, d = want["projected_date"].split("-")
            assert words.startswith(f"{d}-{m}-{y}")
            assert words.endswith("setelah tenggat") == bool(want["after_deadline"])
        else:
            assert words and not re.search(r"\d{2}-\d{2}-\d{4}", words)  # why, in words
    assert len(needed_seen) > 1  # not one number for all
    assert "Perlu per hari kerja" in page and "Proyeksi tercapai" in page
    # The API carries the same figures.
    api = client.get("/api/v1/regions", params={"code": "13"}, headers=token(client, "sumbar")).json()
    assert {c: p["needed_per_working_day"] for c, p in api["children_progress"].items()} == {
        c: r["needed_per_working_day"] for c, r in expected.items()
    }


def test_a_region_without_a_date_to_project_says_why_in_words() -> None:
    """The note where no date can be projected: the ``projection_<note>`` messages."""
    from rekam.reports.rakor import progress_words

    assert progress_words("id", {"projection_note": "growing", "projected_date": None}) == (
        "tidak tercapai pada laju ini: kekurangan bertambah"
    )
    assert "tidak ada data pada awal periode" in progress_words(
        "id", {"projection_note": "no_data_at_start", "projected_date": None}
    )


def test_progress_is_one_call_per_page_then_cached(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str | None, str]] = []
    original = Rekam.progress

    def counted(self: Rekam, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: ANN002, ANN003, ANN202
        calls.append((kwargs.get("region"), kwargs.get("level", "kab")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Rekam, "progress", counted)
    login(client, "pusat")
    assert client.get("/wilayah/13.71").status_code == 200
    # One call for every kecamatan of the page, one for the kab/kota of its province (its own
    # projection: the province page's children, shared with it) and the province's ranking's own
    # (for the rank card: ``Rekam.rank`` calls ``progress`` without a deadline).
    assert calls.count(("13.71", "kec")) == 1 and calls.count(("13", "kab")) == 2
    before = len(calls)
    assert client.get("/wilayah/13.71").status_code == 200
    assert client.get("/wilayah/13").status_code == 200  # its children's progress: already computed
    assert calls[before:] == [(None, "prov")]  # only the province's own projection (the national page's)


def test_a_kab_kota_page_shows_its_own_rank_among_its_provinces(client: TestClient) -> None:
    ranking = client.get("/api/v1/regions", params={"code": "13"}, headers=token(client, "sumbar")).json()["ranking"]
    own = next(r for r in ranking if r["region_code"] == "13.71")
    login(client, "padang")
    page = client.get("/wilayah/13.71").text
    assert f'id="own-rank" data-rank="{own["rank"]}" data-of="19"' in page
    card = page.split('id="own-rank"')[1].split("</div></div></div>")[0]
    assert "Peringkat di provinsi" in card and "dari 19" in card
    assert f"{own['score']:.2f}".replace(".", ",") in card
    assert 'href="/wilayah/13#ranking"' not in page  # Padang's dinas may not open the province page
    client.cookies.clear()
    login(client, "sumbar")
    page = client.get("/wilayah/13.71").text
    assert 'href="/wilayah/13#ranking"' in page.split('id="own-rank"')[1].split("</div></div></div>")[0]
    assert 'id="own-rank"' not in client.get("/wilayah/13").text  # a province has its ranking instead
    assert 'id="own-rank"' not in client.get("/wilayah/13.71.01").text  # a kecamatan is not ranked


def test_bars_start_where_the_data_starts_and_the_colours_follow_the_bands(client: TestClient) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13").text
    api = client.get("/api/v1/regions", params={"code": "13"}, headers=token(client, "sumbar")).json()
    coverage = {c["region_code"]: c["coverage_pct"] for c in api["children"]}
    gaps = {c["region_code"]: c["target_gap"] for c in api["children"]}
    axis = bar_axis(list(coverage.values()))
    assert 0 < axis <= min(coverage.values())
    assert f"{int(axis)}–100 %" in page  # the axis is named above the bars
    widths, fills = {}, {}
    for code, row in _rows(page, "children").items():
        [(width, fill)] = re.findall(r'<rect width="([\d.]+)" height="10" fill="(#[0-9a-f]{6})"/><rect x=', row)
        widths[code], fills[code] = float(width), fill
        assert float(width) == pytest.approx((coverage[code] - axis) / (100 - axis) * 100, abs=0.06)
        assert fill == mapsvg.colour(coverage[code], gaps[code])
    lowest, highest = min(coverage, key=coverage.get), max(coverage, key=coverage.get)  # type: ignore[arg-type]
    assert widths[highest] - widths[lowest] > (coverage[highest] - coverage[lowest]) * 5  # far apart, not both full
    assert len(set(fills.values())) >= 2  # not all 19 the same colour
    legend = page.split('<p class="legend muted">')[1].split("</p>")[0]
    assert all(text.label("id", key) in legend for _, _, key in mapsvg.BANDS)


def test_the_axis_and_the_bands() -> None:
    assert bar_axis([94.21, 99.17]) == 90.0
    assert bar_axis([99.8, 99.9]) == 95.0  # never above 95: the target line stays on the bar
    assert bar_axis([61.0, None]) == 60.0
    assert bar_axis([None]) == 0.0
    assert [mapsvg.band(c, 5) for c in (93.0, 94.4, 98.39, 98.4, 99.39)] == [0, 1, 1, 2, 2]
    assert mapsvg.band(99.4, 0) == 3 and mapsvg.band(None, 0) == -1
    assert mapsvg.band(99.39, 1, target=99.0) == 2  # read against the target given


def test_every_column_is_explained_where_it_is_shown(client: TestClient) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13").text
    for table, unexplained in (("children", 3), ("ranking", 1)):  # code, name, the bars' axis; the name
        heads = _headers(page, table)
        explained = [h for h in heads if re.search(r'<span class="help" title="[^"]{10,}">\?</span>', h)]
        assert len(heads) - len(explained) == unexplained, (table, heads)
    for key in ("hint_wajib", "hint_sudah", "hint_coverage", "hint_gap", "hint_needed_per_day", "hint_pemula_belum"):
        assert escape(text.label("id", key)) in page.split('id="children-notes"')[1].split("</details>")[0]
    cards = page.split('<div class="cards">')[1].split("</div>\n</div>")[0]
    assert cards.count('<span class="help" title=') == 5  # wajib, sudah rekam, cakupan, kekurangan, pemula
    notes = page.split('id="ranking-notes"')[1].split("</details>")[0]
    for key in ("flagged_hint", "hint_difficulty", "hint_c_coverage", "hint_c_pemula", "hint_c_progress"):
        assert escape(text.label("id", key)) in notes
    assert "lebih dari 5 % penduduknya bermasalah" in notes  # what flags a desa
    english = client.get("/wilayah/13?lang=en").text
    assert "Needed per working day" in english and escape(text.label("en", "hint_difficulty")) in english


def test_the_map_has_a_legend_for_colour_and_size_names_on_hover_and_a_table(client: TestClient) -> None:
    login(client, "padang")
    page = client.get("/peta/13.71").text
    api = client.get("/api/v1/map/13.71", headers=token(client, "padang")).json()["desa"]
    legend = page.split('id="map-legend"')[1].split("</p>")[0]
    assert all(text.label("id", key) in legend for _, _, key in mapsvg.BANDS)
    assert 'id="size-legend"' in page and "Ukuran titik" in page
    for d in api[:5]:  # names on hover
        assert f"<title>{escape(d['region_name'])} ({d['region_code']})" in page
    rows = _rows(page, "map-table")
    assert set(rows) == {d["region_code"] for d in api}  # every desa of the kota, beside the map
    figures = client.get(
        "/api/v1/coverage", params={"region": "13.71", "level": "desa"}, headers=token(client, "padang")
    ).json()["rows"]
    gap = {c["region_code"]: c["target_gap"] for c in figures}
    gap_order = [gap[c] for c in rows]
    assert gap_order == sorted(gap_order, reverse=True)  # the largest gap first


def test_kab_kota_outlines_leave_out_the_edges_their_desa_share() -> None:
    def row(code: str) -> CoverageRow:
        return CoverageRow(code, code, "desa", {"wajib": 10, "sudah_rekam": 9}, 9940, False)

    def square(x: float, y: float) -> list[list[list[float]]]:
        return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]

    rings = {"13.01.01.2001": square(0, 0), "13.01.01.2002": square(1, 0), "13.02.01.2001": square(2, 0)}
    rows = [row(c) for c in rings]
    [one, two] = mapsvg.outlines(rows, rings, {"13.01": "Satu"})
    assert (one.code, one.name, two.code, two.name) == ("13.01", "Satu", "13.02", "13.02")
    # Kab 13.01: two squares side by side, their shared edge left out: one line of 6 edges.
    assert one.path.count("M") == 1 and one.path.count(" L") == 6
    assert two.path.count("M") == 1 and two.path.count(" L") == 4
    assert mapsvg.outlines(rows, {}, {}) == []


def test_the_trend_chart_projects_as_rekam_progress_does(
    client: TestClient,
    cli,
    web_home: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    """A kab/kota page's trend chart carries the projection of ``rekam progress`` for it (the
    row of its province's page), and says it in words under the chart."""
    login(client, "sumbar")
    monkeypatch.setenv("REKAM_HOME", str(web_home))
    options = {"--region": "13", "--level": "kab", "--as-of": "2024-11-13", "--deadline": "2024-11-27"}
    run = cli("progress", *[x for pair in options.items() for x in pair], "--format", "json")
    assert run.code == 0, run.err
    for code, want in {r["region_code"]: r for r in json.loads(run.out)}.items():
        page = client.get(f"/wilayah/{code}").text
        chart = re.search(r'<figure class="chart" id="trend-chart">(.*?)</figure>', page, re.S)
        words = re.search(r'<p id="own-projection">(.*?)</p>', page, re.S)
        assert chart is not None and words is not None, code
        if want["projected_date"] and want["projection_note"] != "met":
            y, m, d = want["projected_date"].split("-")
            assert f"{d}-{m}-{y}" in words.group(1), code
            assert "Proyeksi pada laju ini" in chart.group(1), code
        elif want["projection_note"] != "met":
            assert "Proyeksi: tidak tercapai" in chart.group(1) or "Proyeksi pada laju ini" in chart.group(1), code
            assert not re.search(r"\d{2}-\d{2}-\d{4}", words.group(1)), code
        if code >= "13.05":  # six kab/kota are enough to show it
            break
