"""Roles and their scope: what a user may read, write and manage.

    admin-pusat      the whole country
    admin-provinsi   one province (region code 13)
    dinas            one kabupaten/kota (13.71)
    operator         one service point (its region is the point's kab/kota or below)
    tim              a jemput-bola team leader: like an operator of the team's mobile point
                     (kind keliling), plus the team's days of the plan (``users.team``; issue 20)

Reading and writing ops data of a service point (events, queue, blanko) is allowed within the
scope; aggregate views of a region (the election-day page) to the admin and dinas roles whose
scope holds the region. Managing users and service points needs an admin or dinas role, and
a user may only create users of a role below or equal to their own, inside their scope.
A disabled user may do nothing. ``actor=None`` is the local administrator at the command
line (the machine's own user, who could open the database file anyway): everything.
"""

from __future__ import annotations

from typing import Literal

from rekam.domain.region import within as within  # the one containment rule (domain)
from rekam.errors import PermissionDenied
from rekam.ops.models import ServicePoint, User

ROLES = ("admin-pusat", "admin-provinsi", "dinas", "operator", "tim")
# The region level a role's region code must have (admin-pusat has none: the country).
ROLE_LEVEL = {"admin-provinsi": "prov", "dinas": "kab", "operator": "kab", "tim": "kab"}
#: The roles bound to one service point: they see no aggregates, no whole NIK, manage nothing.
POINT_ROLES = ("operator", "tim")

Action = Literal["read", "write", "manage"]


def may_point(user: User | None, point: ServicePoint, action: Action = "read") -> bool:
    """May ``user`` read/write the ops data of service point ``point`` (or manage it)?"""
    if user is None:
        return True
    if user.disabled:
        return False
    if user.role in POINT_ROLES:
        return action != "manage" and user.service_point_id == point.id
    if user.role == "admin-pusat":
        return True
    return within(point.region, user.region)


def may_region(user: User | None, region: str | None, action: Action = "read") -> bool:
    """May ``user`` see (or manage) the aggregate of ``region`` (None: the country)?"""
    if user is None:
        return True
    if user.disabled or user.role in POINT_ROLES:
        return False
    if user.role == "admin-pusat":
        return True
    return region is not None and within(region, user.region)


def may_manage_user(actor: User | None, role: str, region: str | None, point: ServicePoint | None) -> bool:
    """May ``actor`` create or change a user with this role, region and service point?"""
    if actor is None:
        return True
    if actor.disabled or actor.role in POINT_ROLES:
        return False
    if ROLES.index(role) < ROLES.index(actor.role):
        return False
    if point is not None and not may_point(actor, point, "manage"):
        return False
    return actor.role == "admin-pusat" or (region is not None and within(region, actor.region))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("ops_forbidden")
