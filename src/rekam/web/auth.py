"""Who is asking: bearer tokens for the API, the same token in a cookie for the pages.

Users, roles and passwords are the ops database's (``rekam users add``; ``ops/users.py``).
A token is a JWT (PyJWT, HS256) naming the user and the user's ``token_version``, valid
``TOKEN_HOURS``; logout, disabling the user and a password reset advance the version, and a
token of an older version is refused. A field team's device gets a token naming the device
too (claim ``dev``): once an admin revokes the device, its token is refused (``DeviceRevoked``)
at every route, checked on every request. The user a token names is read from the database at most
every ``USER_SECONDS``: a logout forgets the cached user on the worker that served it (at once
there), other workers and changes made by the CLI are seen within ``USER_SECONDS``. Logins are
throttled per user name and client address (``ops/logins.py``). The signing key is made on
first use and kept in ``REKAM_HOME/web-secret`` (mode 0600): tokens survive a restart.
"""

from __future__ import annotations

import os
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jwt

from rekam.errors import NotAuthenticated, OpsNotFound
from rekam.ops import field, logins, users
from rekam.ops.db import OpsDB
from rekam.ops.models import User
from rekam.web import limits

TOKEN_HOURS = 10  # a working day at the counter, election day included
COOKIE = "rekam_token"
_ALGORITHM = "HS256"


def secret_key(home: Path) -> str:
    """The signing key in ``home/web-secret``, made (0600) when missing. Made whole in a
    temporary file and linked into place, so server workers starting together agree on one."""
    path = home / "web-secret"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        tmp = home / f".web-secret.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails when another process was first: its key is used
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def issue(key: str, username: str, version: int = 0, device: str | None = None) -> str:
    """A token for ``username``; ``device``: a field device's id (claim ``dev``, ``ops/field.py``)."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {"sub": username, "ver": version, "iat": now, "exp": now + timedelta(hours=TOKEN_HOURS)}
    if device is not None:
        claims["dev"] = device
    return jwt.encode(claims, key, _ALGORITHM)


def device_of(key: str, token: str | None) -> str | None:
    """The field device a valid token names (claim ``dev``), or None (no device, or a bad token:
    ``user_of`` refuses that one)."""
    try:
        claims = jwt.decode(token or "", key, algorithms=[_ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        return None
    device = claims.get("dev")
    return device if isinstance(device, str) else None


def login(
    db: OpsDB, key: str, username: str, password: str, address: str | None, limits: tuple[int, int, int] | None = None
) -> str:
    """A token for this user and password; ``NotAuthenticated`` otherwise (one message
    whether the name or the password is wrong), ``LoginThrottled`` while the name or the client
    ``address`` has too many recent failures (``limits``: REKAM_LOGIN_LIMITS)."""
    user = logins.login(db, username, password, address, limits=limits)
    return issue(key, user.username, user.token_version)


def logout(db: OpsDB, key: str, token: str | None) -> None:
    """End every token of the user this token names (all browsers, all API clients), at once on
    this worker. A missing or bad token changes nothing."""
    try:
        claims = jwt.decode(token or "", key, algorithms=[_ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        return
    users.end_sessions(db, str(claims["sub"]))
    forget(str(claims["sub"]))


def user_of(db: OpsDB, key: str, token: str | None) -> User:
    """The enabled user a token names; ``NotAuthenticated`` for a missing, bad or expired
    token, or a user since disabled or removed."""
    if not token:
        raise NotAuthenticated("web_login_needed")
    try:
        claims = jwt.decode(token, key, algorithms=[_ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        raise NotAuthenticated("web_login_needed") from None
    username = str(claims["sub"])
    now = time.monotonic()
    cached = _USERS.get((db.url, username))
    if cached is not None and now - cached[1] < USER_SECONDS:
        user = cached[0]
    else:
        try:
            user = users.load(db, username)
        except OpsNotFound:
            raise NotAuthenticated("web_login_needed") from None
        _USERS[(db.url, username)] = (user, now)
    if user.disabled or claims.get("ver") != user.token_version:
        raise NotAuthenticated("web_login_needed")
    device = claims.get("dev")
    if device is not None:  # a field device's token: refused everywhere once it is revoked
        field.check(db, str(device), username)
    limits.note_user(username)  # whose request this is, for the limits on new figures
    return user


#: A token's user is read from the database at most every USER_SECONDS (a request at the
#: counter then needs no extra transaction for it; benchmarks/README.md, "Service desk"). A user
#: disabled meanwhile can read for at most that long; every write checks the operator in its
#: own transaction (``ops.events``), so nothing is written for a disabled user.
USER_SECONDS = 5.0
_USERS: dict[tuple[str, str], tuple[User, float]] = {}


def forget(username: str | None = None) -> None:
    """Drop cached users (all, or one: after disabling it or changing its password here)."""
    for key in [k for k in _USERS if username is None or k[1] == username]:
        _USERS.pop(key, None)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else ``/``: no scheme or host, no ``//`` or
    backslash (browsers read ``/\\host`` as ``//host``), no control characters or spaces
    (browsers drop tabs and newlines from URLs), also after one round of %-decoding."""
    if not target:
        return "/"
    for value in (target, unquote(target)):
        if not value.startswith("/") or value.startswith("//") or "\\" in value:
            return "/"
        if any(ord(c) < 33 or ord(c) == 127 for c in value):
            return "/"
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            return "/"
    return target
