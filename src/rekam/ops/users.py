"""Users of ops: a username, an argon2id password hash, a role scoped by region (and, for
an operator, one service point; for a team leader, role tim, the team's mobile point of kind
keliling and the plan's team id), and a disabled flag. Users are never deleted: events
name their operator. Passwords never appear in a message, a log or the audit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rekam.errors import OpsInvalid, OpsNotFound
from rekam.ops import passwords, points, scope
from rekam.ops.db import OpsDB
from rekam.ops.models import ServicePoint, User, utcnow
from rekam.ops.regions import known_region

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_TEAM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")  # a plan's team id (T01)


@dataclass(frozen=True)
class UserInfo:
    username: str
    role: str
    region: str | None
    service_point: str | None
    disabled: bool
    created_at: datetime
    team: str | None = None  # role tim: the plan's team id

    def as_json(self) -> dict[str, object]:
        return {
            "username": self.username,
            "role": self.role,
            "region": self.region,
            "service_point": self.service_point,
            "team": self.team,
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


def info(u: User) -> UserInfo:
    return UserInfo(u.username, u.role, u.region, u.service_point_id, u.disabled, u.created_at, u.team)


def _check_team(role: str, team: str | None, point: ServicePoint | None) -> str | None:
    """The team id of a ``tim`` user (a plan's team id, at a ``keliling`` point); None for the others."""
    if role != "tim":
        if team:
            raise OpsInvalid("ops_team_only_tim")
        return None
    if point is None:
        raise OpsInvalid("ops_tim_needs_point")
    if point.kind != "keliling":
        raise OpsInvalid("ops_tim_point_keliling", point=point.id, kind=point.kind)
    if not team:
        raise OpsInvalid("ops_tim_needs_team")
    if not _TEAM.fullmatch(team):
        raise OpsInvalid("ops_bad_team", team=points.shown_id(team)[:20])
    return team


def _check_password(password: str, username: str) -> None:
    """The password policy (``passwords.problem``); ``OpsInvalid`` naming the rule broken."""
    found = passwords.problem(password, username)
    if found is not None:
        raise OpsInvalid(found[0], **found[1])


def _region_for(role: str, region: str | None, point: ServicePoint | None) -> str | None:
    """The dotted region a user of ``role`` is scoped to; refused when it does not fit."""
    if role not in scope.ROLES:
        raise OpsInvalid("bad_option", option="--role", value=role, hint=" | ".join(scope.ROLES))
    if role == "operator" and point is None:
        raise OpsInvalid("ops_operator_needs_point")
    if not region:
        if role == "admin-pusat":
            return None
        if role in scope.POINT_ROLES and point is not None:
            return point.region
        raise OpsInvalid("ops_role_needs_region", role=role)
    code = known_region(region)
    level = scope.ROLE_LEVEL.get(role)
    if level == "prov" and code.level != "prov":
        raise OpsInvalid("ops_role_region_level", role=role, code=code.dotted, level="13")
    if level == "kab" and role == "dinas" and code.level != "kab":
        raise OpsInvalid("ops_role_region_level", role=role, code=code.dotted, level="13.71")
    if point is not None and not scope.within(point.region, code.dotted):
        raise OpsInvalid("ops_point_outside_region", point=point.id, code=code.dotted)
    return code.dotted


def get(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise OpsNotFound("ops_unknown_user", username=username)
    return user


def add_user(
    db: OpsDB,
    username: str,
    password: str,
    role: str,
    region: str | None,
    service_point: str | None = None,
    actor: User | None = None,
    team: str | None = None,
) -> UserInfo:
    """A new user; ``team`` (with a ``keliling`` point) for role tim only."""
    if not _USERNAME.fullmatch(username or ""):
        raise OpsInvalid("ops_bad_username", username=username)
    _check_password(password, username)
    with db.write() as s:
        point = points.get(s, service_point) if service_point else None
        team = _check_team(role, team, point)
        code = _region_for(role, region, point)
        scope.require(scope.may_manage_user(actor, role, code, point))
        if s.scalars(select(User.id).where(User.username == username)).first() is not None:
            raise OpsInvalid("ops_user_exists", username=username)
        user = User(
            username=username,
            password_hash=passwords.hash_password(password),
            role=role,
            region=code,
            service_point_id=service_point,
            team=team,
            disabled=False,
        )
        s.add(user)
    return info(user)


def list_users(db: OpsDB, actor: User | None = None) -> list[UserInfo]:
    with db.read() as s:
        users = s.scalars(select(User).order_by(User.username)).all()
        pts = {p.id: p for p in s.scalars(select(ServicePoint)).all()}
        return [
            info(u)
            for u in users
            if actor is None
            or u.id == actor.id
            or scope.may_manage_user(actor, u.role, u.region, pts.get(u.service_point_id or ""))
        ]


def _change(db: OpsDB, username: str, actor: User | None, **values: object) -> UserInfo:
    with db.write() as s:
        user = get(s, username)
        point = points.get(s, user.service_point_id) if user.service_point_id else None
        scope.require(scope.may_manage_user(actor, user.role, user.region, point))
        for key, value in values.items():
            setattr(user, key, value)
    return info(user)


def set_disabled(db: OpsDB, username: str, disabled: bool = True, actor: User | None = None) -> UserInfo:
    """Disable (or enable again) a user; either way the user's tokens end (``token_version``)."""
    return _change(db, username, actor, disabled=disabled, token_version=User.token_version + 1)


def reset_password(db: OpsDB, username: str, password: str, actor: User | None = None) -> UserInfo:
    """A new password; the user's tokens (every browser, every API client) end."""
    _check_password(password, username)
    return _change(
        db,
        username,
        actor,
        password_hash=passwords.hash_password(password),
        password_changed_at=utcnow(),
        token_version=User.token_version + 1,
    )


def end_sessions(db: OpsDB, username: str) -> None:
    """Log the user out everywhere: every token issued so far is refused from now on (logout).
    The user's own act: no scope check. An unknown name changes nothing."""
    with db.write() as s:
        s.execute(update(User).where(User.username == username).values(token_version=User.token_version + 1))


def authenticate(db: OpsDB, username: str, password: str) -> User | None:
    """The enabled user with this name and password, or None (the same time either way)."""
    with db.read() as s:
        user = s.scalars(select(User).where(User.username == username)).first()
    if user is None:
        passwords.verify_password(passwords.DUMMY_HASH, password)
        return None
    if not passwords.verify_password(user.password_hash, password) or user.disabled:
        return None
    if passwords.needs_rehash(user.password_hash):
        with db.write() as s:
            get(s, username).password_hash = passwords.hash_password(password)
    return user


def load(db: OpsDB, username: str) -> User:
    """The user ``username`` (detached), e.g. the operator behind a request."""
    with db.read() as s:
        return get(s, username)
