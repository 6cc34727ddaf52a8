"""Login throttling and token versions in the library (issue 13, findings 6 and 12), on SQLite
and PostgreSQL. The web tests (tests/web/test_auth_security.py) perform the attacks end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from tests.unit.ops.conftest import PASSWORD

from rekam.errors import LoginThrottled, NotAuthenticated
from rekam.ops import logins, users
from rekam.ops.models import LoginFailure, User, utcnow


def _fail(db, name: str, address: str, now) -> None:  # noqa: ANN001
    with pytest.raises(NotAuthenticated):
        logins.login(db, name, "salah-salah-salah", address, now=now)


def test_a_name_is_locked_for_the_window_after_five_failures_then_free_again(world):
    db, t0 = world.db, utcnow()
    for i in range(logins.USER_LIMIT):
        _fail(db, "op1", f"10.0.0.{i}", t0 + timedelta(minutes=i))  # from five addresses
    with pytest.raises(LoginThrottled) as caught:
        logins.login(db, "op1", PASSWORD, "10.0.1.1", now=t0 + timedelta(minutes=5))
    assert caught.value.params == {"minutes": 10}  # the first failure leaves the window at t0 + 15 min
    assert "10 menit" in str(caught.value)
    with pytest.raises(LoginThrottled):
        logins.login(db, "OP1 ", PASSWORD, "10.0.1.1", now=t0 + timedelta(minutes=14))  # the same name
    assert logins.login(db, "op1", PASSWORD, "10.0.1.1", now=t0 + timedelta(minutes=15, seconds=1)).username == "op1"
    with db.read() as s:  # success cleared the name's count
        assert s.scalar(select(func.count()).where(LoginFailure.username == "op1")) == 0


def test_an_address_is_locked_after_twenty_failures_over_any_names(world):
    db, t0 = world.db, utcnow()
    for i in range(logins.ADDRESS_LIMIT):
        _fail(db, f"nama{i % 7}", "198.51.100.9", t0)  # unknown names are counted too
    with pytest.raises(LoginThrottled):
        logins.login(db, "dinas", PASSWORD, "198.51.100.9", now=t0)
    assert logins.login(db, "dinas", PASSWORD, "192.0.2.1", now=t0).username == "dinas"
    with pytest.raises(LoginThrottled):  # the success elsewhere did not clear the address
        logins.login(db, "prov", PASSWORD, "198.51.100.9", now=t0)


def test_tokens_versions_advance_on_logout_reset_and_disable(world):
    db = world.db

    def version() -> int:
        with db.read() as s:
            return s.scalars(select(User.token_version).where(User.username == "op1")).one()

    start = version()
    users.end_sessions(db, "op1")
    users.reset_password(db, "op1", "kata-sandi-baru-77")
    users.set_disabled(db, "op1")
    users.set_disabled(db, "op1", False)
    assert version() == start + 4
    users.end_sessions(db, "nobody")  # an unknown name changes nothing


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_database_at_0001_upgrades_and_its_users_log_in(kind, tmp_path, request):
    """Migration 0002 on a database with users: they get version 0 and log in as before."""
    from sqlalchemy import text
    from tests.ops_fixtures import create_database, drop_database

    from rekam.ops import db as ops_db
    from rekam.ops.passwords import hash_password

    if kind == "postgresql":
        request.getfixturevalue("pg_url")  # skipped when no server answers
        url = create_database("rekam_0002")
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
    try:
        db = ops_db.open_db(url, migrate=False)
        ops_db.upgrade(db, "0001")
        with db.writer.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (username, password_hash, role, region, disabled, created_at, "
                    "password_changed_at) VALUES ('lama', :h, 'dinas', '13.71', false, :t, :t)"
                ),
                {"h": hash_password(PASSWORD), "t": utcnow().replace(tzinfo=None)},
            )
        ops_db.upgrade(db)
        assert ops_db.current_revision(db) == ops_db.head_revision()
        user = logins.login(db, "lama", PASSWORD, "10.0.0.1")
        assert user.token_version == 0
    finally:
        if kind == "postgresql":
            drop_database(url)
        else:
            ops_db.close_all()


def test_logins_at_once_hash_two_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A burst of logins (issue 21): each argon2 verification takes 64 MiB, so at most
    ``passwords.AT_ONCE`` run at once in a process and the others wait their turn; all answer."""
    import threading
    import time

    from rekam.ops import passwords

    stored = passwords.hash_password("kata-sandi-panjang-1")
    running, most = [0], [0]
    lock = threading.Lock()
    real = passwords._HASHER.verify

    class Slow:
        def verify(self, hash_: str, password: str) -> bool:
            return verify(hash_, password)

    def verify(hash_: str, password: str) -> bool:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        try:
            return real(hash_, password)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(passwords, "_HASHER", Slow())
    answers: list[bool] = []
    threads = [
        threading.Thread(target=lambda: answers.append(passwords.verify_password(stored, "kata-sandi-panjang-1")))
        for _ in range(12)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [True] * 12
    assert most[0] == passwords.AT_ONCE == 2
