"""Login throttling, for every front door that takes a password (the login form, the API's
token endpoint): failures are kept in the ops database (``login_failures``), so the count holds
across ``rekam serve --workers N`` and restarts.

Limits (``REKAM_LOGIN_LIMITS``, default 5,20,15):

- ``USER_LIMIT`` failures for one user name (known or not: an unknown name is counted the same,
  so the answer tells nothing about which names exist) within ``WINDOW`` lock that name;
- ``ADDRESS_LIMIT`` failures from one client address within ``WINDOW`` lock that address (one
  guesser trying many names).

A locked name or address is refused without checking the password (the right one too) until
enough of its failures are older than the window; the message says how many minutes that is.
Refused attempts are not counted, so the lock ends on time. A successful login clears the
name's failures but not the address's (else a guesser with one account of their own could clear
their address's count by logging in). Two workers checking at the same instant may each let
one more attempt through: the limits hold to within the number of workers.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from rekam.errors import LoginThrottled, NotAuthenticated
from rekam.ops import users
from rekam.ops.db import OpsDB
from rekam.ops.models import LoginFailure, User, utcnow

USER_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
KEEP = timedelta(days=1)  # failures older than this are deleted by the next failure

_NEVER = datetime.min.replace(tzinfo=UTC)


def _unlocked_at(times: list[datetime], limit: int, window: timedelta) -> datetime:
    """When the count within the window drops below ``limit`` again (times ascending)."""
    return times[len(times) - limit] + window if len(times) >= limit else _NEVER


def login(
    db: OpsDB,
    username: str,
    password: str,
    address: str | None,
    now: datetime | None = None,
    limits: tuple[int, int, int] | None = None,
) -> User:
    """The enabled user with this name and password; ``LoginThrottled`` while the name or the
    address is locked, ``NotAuthenticated`` (one message for a wrong name or password) otherwise.
    ``limits``: (failures per name, per address, window in minutes), default the module's."""
    per_name, per_addr, minutes = limits or (USER_LIMIT, ADDRESS_LIMIT, int(WINDOW.total_seconds() // 60))
    window = timedelta(minutes=minutes)
    name = username.strip().lower()[:64]
    addr = (address or "-")[:64]
    now = now or utcnow()
    since = now - window
    with db.read() as s:
        by_name = list(
            s.scalars(
                select(LoginFailure.at)
                .where(LoginFailure.username == name, LoginFailure.at > since)
                .order_by(LoginFailure.at)
            )
        )
        by_addr = list(
            s.scalars(
                select(LoginFailure.at)
                .where(LoginFailure.address == addr, LoginFailure.at > since)
                .order_by(LoginFailure.at)
            )
        )
    until = max(_unlocked_at(by_name, per_name, window), _unlocked_at(by_addr, per_addr, window))
    if until > now:
        raise LoginThrottled("auth_login_locked", minutes=max(1, math.ceil((until - now).total_seconds() / 60)))
    user = users.authenticate(db, name, password)
    if user is None:
        with db.write() as s:
            s.add(LoginFailure(username=name, address=addr, at=now))
            s.execute(delete(LoginFailure).where(LoginFailure.at < now - max(KEEP, window)))
        raise NotAuthenticated("web_login_failed")
    if by_name:
        with db.write() as s:
            s.execute(delete(LoginFailure).where(LoginFailure.username == name))
    return user
