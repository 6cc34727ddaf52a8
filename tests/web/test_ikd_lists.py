"""The belum-ikd list (recorded, IKD not activated: issue 19) on the web: the list page and
``/api/v1/lists/belum-ikd/{code}`` give as many people as the desa's figure, masked."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.web.conftest import login, token


def test_the_api_and_the_page_list_the_recorded_not_activated(client: TestClient) -> None:
    auth = token(client, "padang")
    rows = client.get(
        "/api/v1/coverage", params={"level": "desa", "region": "13.71", "as_of": "2024-11-13"}, headers=auth
    ).json()["rows"]
    desa = max(rows, key=lambda r: r["sudah_rekam"] - r["ikd_aktif"])
    expected = desa["sudah_rekam"] - desa["ikd_aktif"]
    assert expected > 0 and desa["ikd_aktif"] > 0
    got = client.get(f"/api/v1/lists/belum-ikd/{desa['region_code']}", params={"as_of": "2024-11-13"}, headers=auth)
    assert got.status_code == 200, got.text
    people = got.json()["people"]
    assert len(people) == expected
    assert all(p["nik"].endswith("*" * 10) for p in people)
    assert {p["reason"] for p in people} == {"sudah rekam KTP-el, IKD belum diaktifkan"}
    login(client, "padang")
    page = client.get(f"/daftar/{desa['region_code']}", params={"jenis": "belum-ikd", "as_of": "2024-11-13"})
    assert page.status_code == 200
    assert re.search(r'<strong id="count">(\d+)</strong>', page.text)[1] == str(expected)  # type: ignore[index]
    assert '<option value="belum-ikd" selected' in page.text
    assert "belum rekam" not in re.findall(r"<td>([^<]+) <small", page.text)
