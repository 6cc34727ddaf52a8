"""A REKAM_HOME for the web app: the demo register (scale 0.001), its sites and desa
coordinates, and one user per role; and an HTTP client on the real app."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rekam.config import Settings

PASSWORD = "rahasia-demo-123"
#: username -> (role, region)
USERS = {
    "pusat": ("admin-pusat", None),
    "sumbar": ("admin-provinsi", "13"),
    "padang": ("dinas", "13.71"),
    "agam": ("dinas", "13.06"),
}

#: Service points: id, name, region, kind; and their operators (username -> point).
POINTS = [
    ("SP-PDG", "Disdukcapil Kota Padang", "13.71", "dinas"),
    ("SP-AGM", "Kecamatan Lubuk Basung", "13.06", "kecamatan"),
]
OPERATORS = {"loket1": "SP-PDG", "loket2": "SP-AGM"}
#: For the scope tests (tests/web/test_scope.py): another province (14, Riau, with no register
#: rows) with its admin, a dinas, a point and its operator; a second point in Kota Padang.
OTHER_USERS = {"riau": ("admin-provinsi", "14"), "pekanbaru": ("dinas", "14.71")}
OTHER_POINTS = [
    ("SP-PKU", "Disdukcapil Kota Pekanbaru", "14.71", "dinas"),
    ("SP-PDG2", "Kecamatan Padang Barat", "13.71", "kecamatan"),
]
OTHER_OPERATORS = {"loket3": "SP-PKU"}


@pytest.fixture(scope="session")
def web_home(tmp_path_factory: pytest.TempPathFactory, demo_home: Path, demo_data: Path) -> Path:
    from rekam.api import Rekam
    from rekam.ops import points, users
    from rekam.ops.db import close_all, open_db

    home = tmp_path_factory.mktemp("web-home") / "home"
    shutil.copytree(demo_home, home)
    settings = Settings(home=home)
    Rekam(settings).import_sites(sorted((demo_data / "sites").glob("*.csv")) + [demo_data / "wilayah" / "desa.csv"])
    db = open_db(settings=settings)
    for point_id, name, region, kind in POINTS + OTHER_POINTS:
        points.add_point(db, point_id, name, region, kind)
    for name, (role, region) in (USERS | OTHER_USERS).items():
        users.add_user(db, name, PASSWORD, role, region)
    for name, point_id in (OPERATORS | OTHER_OPERATORS).items():
        users.add_user(db, name, PASSWORD, "operator", None, point_id)
    close_all()
    return home


@pytest.fixture
def client(web_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    monkeypatch.setenv("REKAM_HOME", str(web_home))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    monkeypatch.setenv("REKAM_ELECTION_DATE", "2024-11-27")
    # The figures are not kept on disk here: the tests share this home, and one that counts the
    # computations (or replaces one) would see another's (tests/web/test_figure_disk_cache.py).
    # One user here asks for many new dates in seconds: the per-user limit on new figures is
    # tested on its own (tests/web/test_limits.py).
    settings = Settings(home=web_home, election_date=date(2024, 11, 27), figure_cache=False, expensive_per_minute=1000)
    with TestClient(create_app(settings)) as c:
        yield c
    close_all()


def token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def login(client: TestClient, username: str) -> None:
    r = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303, r.text


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser), one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()
