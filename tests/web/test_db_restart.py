"""When PostgreSQL drops the server's connections (a restart), the next request gets a 503 in
FastAPI's shape naming no data, nothing is stored, and the client's retry is stored once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import OPERATORS, PASSWORD, POINTS

from rekam.config import Settings


def test_a_dropped_connection_is_a_503_and_the_retry_is_stored_once(
    web_home: Path, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001, E501
    from tests.ops_fixtures import _admin_connect, _server_answers, create_database, drop_database

    reason = _server_answers()
    if reason:
        pytest.skip(reason)
    from rekam.ops import points, users
    from rekam.ops.db import open_db
    from rekam.web import auth
    from rekam.web.app import create_app

    home = tmp_path / "home"
    shutil.copytree(web_home, home)
    url = create_database("rekam_restart")
    try:
        db = open_db(url)
        for point_id, name, region, kind in POINTS:
            points.add_point(db, point_id, name, region, kind)
        for name, point_id in OPERATORS.items():
            users.add_user(db, name, PASSWORD, "operator", None, point_id)
        monkeypatch.setenv("REKAM_HOME", str(home))
        monkeypatch.setenv("REKAM_DATABASE_URL", url)
        with TestClient(create_app(Settings(home=home, database_url=url))) as client:
            r = client.post("/api/v1/auth/token", data={"username": "loket1", "password": PASSWORD})
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
            nik = "1371011212120777"
            body = {"nik": nik, "jenis": "perekaman", "service_point": "SP-PDG", "idempotency_key": "after-restart"}
            assert client.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=headers).status_code == 200
            with _admin_connect() as conn:  # what a restart does to the pooled connections
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (url.rsplit("/", 1)[1],),
                )
            first = client.post("/api/v1/layanan", json=body, headers=headers)
            assert first.status_code == 503 and nik not in first.json()["detail"]
            assert first.headers["retry-after"] == "1"
            retry = client.post("/api/v1/layanan", json=body, headers=headers)
            assert retry.status_code == 201, retry.text
            again = client.post("/api/v1/layanan", json=body, headers=headers)
            assert again.status_code == 200 and again.json()["id"] == retry.json()["id"]
            items = client.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=headers).json()["items"]
            assert [e["idempotency_key"] for e in items] == ["after-restart"]
    finally:
        auth.forget()
        drop_database(url)
