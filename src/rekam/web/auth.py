"""Who is asking: bearer tokens for the API, the same token in a cookie for the pages.

Users, roles and passwords are the ops database's (``rekam users add``; ``ops/users.py``).
A token is a JWT (PyJWT, HS256) naming the user, valid ``TOKEN_HOURS``; it is checked against
the database on every request, so a disabled user is out at once. The signing key is made
on first use and kept in ``REKAM_HOME/web-secret`` (mode 0600): tokens survive a restart.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from rekam.errors import NotAuthenticated, OpsNotFound
from rekam.ops import users
from rekam.ops.db import OpsDB
from rekam.ops.models import User

TOKEN_HOURS = 10  # a working day at the counter, election day included
COOKIE = "rekam_token"
_ALGORITHM = "HS256"


def secret_key(home: Path) -> str:
    """The signing key in ``home/web-secret``, made (0600) when missing."""
    path = home / "web-secret"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def issue(key: str, username: str) -> str:
    now = datetime.now(UTC)
    return jwt.encode({"sub": username, "iat": now, "exp": now + timedelta(hours=TOKEN_HOURS)}, key, _ALGORITHM)


def login(db: OpsDB, key: str, username: str, password: str) -> str:
    """A token for this user and password; ``NotAuthenticated`` otherwise (one message
    whether the name or the password is wrong)."""
    user = users.authenticate(db, username.strip(), password)
    if user is None:
        raise NotAuthenticated("web_login_failed")
    return issue(key, user.username)


def user_of(db: OpsDB, key: str, token: str | None) -> User:
    """The enabled user a token names; ``NotAuthenticated`` for a missing, bad or expired
    token, or a user since disabled or removed."""
    if not token:
        raise NotAuthenticated("web_login_needed")
    try:
        claims = jwt.decode(token, key, algorithms=[_ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        raise NotAuthenticated("web_login_needed") from None
    try:
        user = users.load(db, str(claims["sub"]))
    except OpsNotFound:
        raise NotAuthenticated("web_login_needed") from None
    if user.disabled:
        raise NotAuthenticated("web_login_needed")
    return user
