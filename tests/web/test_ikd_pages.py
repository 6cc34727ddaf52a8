"""IKD on the dashboard (issue 19): the region page's IKD cards and the table per child agree
with the API and with ``Rekam.coverage`` on the demo register (scale 0.001)."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from tests.web.conftest import login, token

from rekam.api import Rekam
from rekam.config import Settings


def _cells(html: str, table: str) -> dict[str, list[str]]:
    body = re.search(rf'<table id="{table}">(.*?)</table>', html, re.S)
    assert body, table
    rows = re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', body.group(1), re.S)
    return {code: re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S) for code, cells in rows}


def test_the_province_page_shows_ikd_per_kab_kota_as_the_api_and_the_library_count(
    client: TestClient, web_home
) -> None:
    login(client, "sumbar")
    page = client.get("/wilayah/13")
    assert page.status_code == 200 and 'id="ikd"' in page.text
    api = client.get(
        "/api/v1/coverage", params={"region": "13", "level": "kab"}, headers=token(client, "sumbar")
    ).json()
    rows = {r["region_code"]: r for r in api["rows"]}
    table = _cells(page.text, "ikd-children")
    assert set(table) == set(rows) and len(table) == 19
    as_of = date.fromisoformat(api["as_of"])
    library = {r.region_code: r for r in Rekam(Settings(home=web_home)).coverage(as_of=as_of, level="kab")}
    for code, cells in table.items():
        ikd = int(cells[3].replace(".", ""))
        assert ikd == rows[code]["ikd_aktif"] == library[code].ikd_aktif, code
        assert cells[4].replace(",", ".").replace(" %", "") == f"{rows[code]['ikd_pct']:.2f}", code
    padang = rows["13.71"]
    assert padang["ikd_pct"] > max(r["ikd_pct"] for c, r in rows.items() if c not in ("13.71", "13.74"))
    card = re.search(r'data-figure="ikd_aktif" data-value="(\d+)"', page.text)
    assert card and int(card.group(1)) == sum(r["ikd_aktif"] for r in rows.values())


def test_the_map_has_an_ikd_layer(client: TestClient, web_home) -> None:
    from rekam.web import mapsvg

    login(client, "padang")
    page = client.get("/peta/13.71", params={"lapisan": "ikd"})
    assert page.status_code == 200 and 'data-layer="ikd"' in page.text
    assert re.search(r'<a href="/peta/13.71\?lapisan=ikd" aria-current="page"', page.text)
    header = re.search(r'data-layer="ikd">\s*<table id="map-table"><thead><tr>(.*?)</tr>', page.text, re.S)
    assert header and "IKD %" in header.group(1)
    api = client.get("/api/v1/coverage", params={"region": "13.71", "level": "desa"}, headers=token(client, "padang"))
    rows = {r["region_code"]: r for r in api.json()["rows"]}
    drawn = re.findall(r'fill="(#[0-9a-f]{6})"[^>]*data-code="([0-9.]+)"', page.text)
    assert drawn
    for fill, code in drawn:  # each desa coloured by its IKD band, not its recording band
        r = rows[code]
        assert fill == mapsvg.colour(r["ikd_pct"], r["ikd_gap"], r["ikd_target_pct"]), code
    recording = client.get("/peta/13.71").text
    assert 'data-layer="rekam"' in recording and recording != page.text
    assert client.get("/peta/13.71", params={"lapisan": "sulap"}).status_code in (400, 422)


def test_the_region_page_shows_ikd_by_sex_and_age_band(client: TestClient, web_home) -> None:
    """The groups table: each sex and age band's wajib, recorded and activated, as the library
    counts them; the sexes and the bands each add up to the region's own figures."""
    login(client, "padang")
    page = client.get("/wilayah/13.71")
    assert page.status_code == 200 and "Aktivasi IKD menurut jenis kelamin dan kelompok umur" in page.text
    body = re.search(r'<table id="ikd-groups">(.*?)</table>', page.text, re.S)
    assert body
    rows = dict(re.findall(r'<tr data-group="([^"]+)">(.*?)</tr>', body.group(1), re.S))
    assert set(rows) == {"sex:L", "sex:P"} | {f"age:{b}" for b in ("17-20", "21-29", "30-44", "45-59", "60+")}
    assert "Laki-laki" in rows["sex:L"] and "Umur 60+ tahun" in rows["age:60+"]
    api = client.get("/api/v1/coverage", params={"region": "13.71", "level": "kab"}, headers=token(client, "padang"))
    as_of = date.fromisoformat(api.json()["as_of"])
    [padang] = Rekam(Settings(home=web_home)).coverage(as_of=as_of, level="kab", region="13.71")
    for key, cells in rows.items():
        kind, group = key.split(":")
        want = (padang.by_sex if kind == "sex" else padang.by_age_band)[group]
        wajib, sudah, ikd, pct = (c for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S))
        assert [int(x.replace(".", "")) for x in (wajib, sudah, ikd)] == [
            want["wajib"],
            want["sudah_rekam"],
            want["ikd_aktif"],
        ], key
        expected = 100 * want["ikd_aktif"] / want["wajib"]
        assert abs(float(pct.replace(",", ".").replace(" %", "")) - expected) < 0.006, key
    for groups in (padang.by_sex, padang.by_age_band):
        assert sum(g["ikd_aktif"] for g in groups.values()) == padang.ikd_aktif
