"""Issue 13, findings 6, 7, 12 (tokens), 13 and 15 (/docs): each test performs the attack.

Most tests run on a home of their own (an ops database with a few users, no register): failed
logins are counted per user and per client address in the ops database, and the session's
shared web home must not be locked by them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rekam.config import Settings

PASSWORD = "rahasia-demo-123"
EVIL = "http://evil.example"


@pytest.fixture(scope="module")
def made_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rekam.ops import points, users
    from rekam.ops.db import close_all, open_db

    home = tmp_path_factory.mktemp("auth") / "home"
    db = open_db(settings=Settings(home=home))
    points.add_point(db, "SP-PDG", "Disdukcapil Kota Padang", "13.71", "dinas")
    for name in ("kunci", "lain", "ketiga"):
        users.add_user(db, name, PASSWORD, "dinas", "13.71")
    users.add_user(db, "loket1", PASSWORD, "operator", None, "SP-PDG")
    close_all()
    return home


@pytest.fixture
def fresh_home(made_home: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of ``made_home`` of the test's own (its ops database, failures and all)."""
    from rekam.ops.db import close_all

    home = tmp_path / "home"
    shutil.copytree(made_home, home)
    yield home
    close_all()


def app_client(home: Path, address: str = "203.0.113.7", **settings: object) -> TestClient:
    from rekam.web.app import create_app

    return TestClient(create_app(Settings(home=home, **settings)), client=(address, 50000))  # type: ignore[arg-type]


@pytest.fixture
def fresh(fresh_home: Path) -> Iterator[TestClient]:
    with app_client(fresh_home) as c:
        yield c


def page_login(client: TestClient, username: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": username, "password": password, **extra}, follow_redirects=False)


def api_login(client: TestClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


# -- 6. login throttling ---------------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_and_the_right_one_is_then_refused_on_the_form_and_the_api(fresh):
    for _ in range(5):
        assert page_login(fresh, "kunci", "salah-salah-salah").status_code == 401
    right = page_login(fresh, "kunci")
    assert right.status_code == 429, "the right password during the lock must be refused"
    assert "rekam_token" not in right.headers.get("set-cookie", "")
    assert re.search(r"\d+ menit", right.text)
    api = api_login(fresh, "kunci")
    assert api.status_code == 429 and int(api.headers["Retry-After"]) > 0
    assert "menit" in api.json()["detail"]
    assert page_login(fresh, "lain").status_code == 303, "another user from the same address is not locked"


def test_the_lock_holds_across_app_instances_and_ends_when_the_window_passes(fresh_home):
    from rekam.ops.db import open_db
    from rekam.ops.models import LoginFailure

    with app_client(fresh_home) as one:
        for _ in range(5):
            assert api_login(one, "kunci", "salah-salah-salah").status_code == 401
    with app_client(fresh_home) as two:  # another worker, or the server restarted
        assert api_login(two, "kunci").status_code == 429
        with open_db(settings=Settings(home=fresh_home)).write() as s:
            for failure in s.scalars(select(LoginFailure)):
                failure.at -= timedelta(minutes=16)
        assert api_login(two, "kunci").status_code == 200


def test_twenty_failures_from_one_address_lock_that_address_only(fresh_home):
    with app_client(fresh_home, "198.51.100.9") as attacker:
        for i in range(20):
            name = ("kunci", "lain", "ketiga", "nobody")[i % 4]
            assert api_login(attacker, name, f"tebakan-{i:04d}").status_code == 401
        assert api_login(attacker, "loket1").status_code == 429
    with app_client(fresh_home, "192.0.2.44") as office:
        assert api_login(office, "loket1").status_code == 200


def test_the_limits_are_a_setting(fresh_home):
    from rekam.errors import InvalidArgument

    assert Settings.from_env({}).login_limits == (5, 20, 15)
    assert Settings.from_env({"REKAM_LOGIN_LIMITS": "2, 50, 30"}).login_limits == (2, 50, 30)
    for bad in ("5,20", "5,0,15", "lima,20,15"):
        with pytest.raises(InvalidArgument):
            Settings.from_env({"REKAM_LOGIN_LIMITS": bad})
    with app_client(fresh_home, login_limits=(2, 50, 30)) as c:
        for _ in range(2):
            assert api_login(c, "kunci", "salah-salah-salah").status_code == 401
        locked = api_login(c, "kunci")
        assert locked.status_code == 429 and locked.headers["Retry-After"] == str(30 * 60)


@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "password",
        "aaaaaaaa",
        "aaaaaaaaaaaa",
        "1234567890",
        "password123",
        "qwertyuiop",
        "Password2024!",
        "kunci-baru-kunci",
    ],
)
def test_weak_passwords_are_refused_when_a_user_is_made_or_reset(fresh_home, password):
    from rekam.errors import OpsInvalid
    from rekam.ops import users
    from rekam.ops.db import open_db

    db = open_db(settings=Settings(home=fresh_home))
    with pytest.raises(OpsInvalid):
        users.add_user(db, "baru", password, "dinas", "13.71")
    with pytest.raises(OpsInvalid):
        users.reset_password(db, "kunci", password)
    assert users.authenticate(db, "kunci", PASSWORD) is not None


# -- 7. open redirect ------------------------------------------------------------------------------------------------

OFF_SITE = [
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "https:/evil.example",
    "https://evil.example",
    "http:evil.example",
    "/\t/evil.example",
    "/ /evil.example",
    "//evil.example%2F",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "\\/evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(fresh, target):
    form = fresh.get("/login", params={"next": target})
    assert re.search(r'name="next" value="/"', form.text), "the form must carry / instead"
    done = page_login(fresh, "kunci", next=target)
    assert done.status_code == 303 and done.headers["location"] == "/"


def test_login_follows_a_same_site_path(fresh):
    done = page_login(fresh, "kunci", next="/wilayah/13.71?as_of=2024-11-27")
    assert done.headers["location"] == "/wilayah/13.71?as_of=2024-11-27"


# -- 12. tokens end with logout, password reset and disable --------------------------------------------------------


def test_logout_ends_the_cookie_and_every_api_token_of_the_user_at_once(fresh):
    bearer = {"Authorization": f"Bearer {api_login(fresh, 'kunci').json()['access_token']}"}
    assert page_login(fresh, "kunci").status_code == 303
    cookie = fresh.cookies.get("rekam_token")
    assert fresh.get("/api/v1/me", headers=bearer).status_code == 200  # the user is now cached on this worker
    out = fresh.post("/logout", follow_redirects=False)
    assert out.status_code == 303
    assert fresh.get("/api/v1/me", headers=bearer).status_code == 401
    fresh.cookies.clear()
    assert fresh.get("/api/v1/me", headers={"Authorization": f"Bearer {cookie}"}).status_code == 401


@pytest.mark.parametrize("change", ["reset", "disable"])
def test_password_reset_and_disable_end_the_users_tokens(fresh, fresh_home, monkeypatch, change):
    from rekam.ops import users
    from rekam.ops.db import open_db
    from rekam.web import auth

    bearer = {"Authorization": f"Bearer {api_login(fresh, 'kunci').json()['access_token']}"}
    assert fresh.get("/api/v1/me", headers=bearer).status_code == 200
    db = open_db(settings=Settings(home=fresh_home))
    if change == "reset":
        users.reset_password(db, "kunci", "kata-sandi-baru-77")
    else:
        users.set_disabled(db, "kunci")
        users.set_disabled(db, "kunci", False)  # enabled again: the old token stays dead
    monkeypatch.setattr(auth, "USER_SECONDS", 0.0)  # another worker, or the 5 s cache expired (the CLI changed it)
    assert fresh.get("/api/v1/me", headers=bearer).status_code == 401


# -- 13. headers, cookies, cross-site requests ----------------------------------------------------------------------


def test_every_response_has_the_security_headers_and_personal_pages_are_not_cached(fresh):
    page_login(fresh, "loket1")
    for path in ("/login", "/loket", "/api/v1/me", "/docs"):
        r = fresh.get(path)
        assert r.status_code == 200, path
        csp = r.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
        assert r.headers["Cache-Control"] == "no-store", path
    assert "no-store" not in fresh.get("/static/rekam.css").headers.get("Cache-Control", "")


def test_downloads_are_not_cached(client):
    from tests.web.conftest import login

    login(client, "padang")
    r = client.get("/unduh/13.71.01.1001", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"


def test_the_cookie_is_secure_when_the_setting_says_so(fresh_home):
    assert Settings.from_env({"REKAM_COOKIE_SECURE": "1"}).cookie_secure is True
    assert Settings.from_env({}).cookie_secure is False
    with app_client(fresh_home, cookie_secure=True) as c:
        assert "secure" in page_login(c, "kunci").headers["set-cookie"].lower()
    with app_client(fresh_home) as c:
        assert "secure" not in page_login(c, "kunci").headers["set-cookie"].lower()


def test_login_csrf_from_another_site_is_refused(fresh):
    r = fresh.post(
        "/login", data={"username": "kunci", "password": PASSWORD}, headers={"Origin": EVIL}, follow_redirects=False
    )
    assert r.status_code == 403 and "rekam_token" not in r.headers.get("set-cookie", "")
    r = fresh.post(
        "/login",
        data={"username": "kunci", "password": PASSWORD},
        follow_redirects=False,
        headers={"Referer": f"{EVIL}/page"},
    )
    assert r.status_code == 403
    r = fresh.post(
        "/login", data={"username": "kunci", "password": PASSWORD}, follow_redirects=False, headers={"Origin": "null"}
    )
    assert r.status_code == 403
    ok = fresh.post(
        "/login",
        data={"username": "kunci", "password": PASSWORD},
        follow_redirects=False,
        headers={"Origin": "http://testserver"},
    )
    assert ok.status_code == 303


def test_a_cross_site_post_with_the_cookie_is_refused_and_changes_nothing(fresh):
    page_login(fresh, "loket1")
    r = fresh.post("/loket/antrian/ambil", data={"sp": "SP-PDG", "key": "csrf-1"}, headers={"Origin": EVIL})
    assert r.status_code == 403
    assert "SP-PDG" not in r.text
    r = fresh.post(
        "/api/v1/antrian", json={"service_point": "SP-PDG", "idempotency_key": "csrf-2"}, headers={"Origin": EVIL}
    )
    assert r.status_code == 403
    queue = fresh.get("/api/v1/antrian", params={"service_point": "SP-PDG"}).json()
    assert "csrf" not in str(queue)
    same = fresh.post(
        "/loket/antrian/ambil", data={"sp": "SP-PDG", "key": "ok-1"}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200


def test_bearer_clients_without_the_cookie_are_not_origin_checked(fresh):
    bearer = {"Authorization": f"Bearer {api_login(fresh, 'loket1').json()['access_token']}", "Origin": EVIL}
    r = fresh.post("/api/v1/antrian", json={"service_point": "SP-PDG", "idempotency_key": "api-1"}, headers=bearer)
    assert r.status_code == 201, r.text


# -- 15. /docs from rekam itself ------------------------------------------------------------------------------------


def test_docs_load_swagger_ui_from_rekam_not_a_cdn(fresh):
    page = fresh.get("/docs").text
    assert "cdn" not in page.lower() and "https://" not in page
    for src in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert src.startswith("/static/"), src
        assert fresh.get(src).status_code == 200
    source = Path(__file__).parents[2] / "src" / "rekam"
    for path in source.rglob("*.py"):
        assert "cdn.jsdelivr" not in path.read_text() and "unpkg.com" not in path.read_text(), path


def test_templates_need_no_inline_script_or_style():
    """The CSP allows no inline script or style: the templates use none (the browser tests run them)."""
    folder = Path(__file__).parents[2] / "src" / "rekam" / "web" / "templates"
    for path in folder.glob("*.html"):
        html = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:|hx-on", html), path.name
