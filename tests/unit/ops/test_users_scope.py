"""Users and roles: what each role may read, write and manage; passwords hashed, never shown."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rekam.errors import OpsInvalid, OpsNotFound, PermissionDenied, UnknownRegion
from rekam.ops import points, scope, users
from rekam.ops.models import ServicePoint, User

from .conftest import PASSWORD


def _points(world) -> dict[str, ServicePoint]:  # type: ignore[no-untyped-def]
    with world.db.read() as s:
        return {p.id: p for p in s.scalars(select(ServicePoint))}


# Which service points each user may read and write (manage: service points and users).
EXPECTED = {
    "pusat": {"PDG-DINAS", "PDG-KEC1", "BKT-DINAS", "JKT-MPP"},
    "prov": {"PDG-DINAS", "PDG-KEC1", "BKT-DINAS"},
    "dinas": {"PDG-DINAS", "PDG-KEC1"},
    "op1": {"PDG-DINAS"},
    "op_kec": {"PDG-KEC1"},
    "op_bkt": {"BKT-DINAS"},
    "op_off": set(),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_reaches_exactly_its_service_points(world, who):
    user = getattr(world, who)
    pts = _points(world)
    for action in ("read", "write"):
        assert {p for p, point in pts.items() if scope.may_point(user, point, action)} == EXPECTED[who], action
    managed = {p for p, point in pts.items() if scope.may_point(user, point, "manage")}
    assert managed == (set() if user.role == "operator" else EXPECTED[who])
    # The points a user is shown are the ones in scope.
    assert {p.id for p in points.list_points(world.db, user)} == EXPECTED[who]


@pytest.mark.parametrize(
    ("who", "region", "allowed"),
    [
        ("pusat", None, True),
        ("pusat", "31.71", True),
        ("prov", "13", True),
        ("prov", "13.75.01", True),
        ("prov", "31.71", False),
        ("prov", None, False),
        ("dinas", "13.71", True),
        ("dinas", "13.71.01.1001", True),
        ("dinas", "13.75", False),
        ("dinas", "13", False),
        ("op1", "13.71", False),
        ("op_off", "13.71", False),
    ],
)
def test_region_views_by_role(world, who, region, allowed):
    assert scope.may_region(getattr(world, who), region) is allowed


def test_user_management_is_limited_to_lower_roles_in_scope(world):
    db = world.db
    users.add_user(db, "op2", PASSWORD, "operator", "13.71", "PDG-KEC1", actor=world.dinas)
    with pytest.raises(PermissionDenied):  # another kab/kota's point
        users.add_user(db, "op3", PASSWORD, "operator", "13.75", "BKT-DINAS", actor=world.dinas)
    with pytest.raises(PermissionDenied):  # a role above one's own
        users.add_user(db, "prov2", PASSWORD, "admin-provinsi", "13", actor=world.dinas)
    with pytest.raises(PermissionDenied):  # operators manage nobody
        users.add_user(db, "op4", PASSWORD, "operator", "13.71", "PDG-DINAS", actor=world.op1)
    users.add_user(db, "dinas2", PASSWORD, "dinas", "13.75", actor=world.prov)
    with pytest.raises(PermissionDenied):
        users.set_disabled(db, "op_bkt", actor=world.dinas)
    with pytest.raises(PermissionDenied):
        points.add_point(db, "BKT-KEC", "Kecamatan", "13.75.01", "kecamatan", actor=world.dinas)
    points.add_point(db, "PDG-MPP", "MPP Padang", "13.71", "mpp", actor=world.dinas)
    assert {u.username for u in users.list_users(db, world.dinas)} == {"dinas", "op1", "op_kec", "op_off", "op2"}
    assert {u.username for u in users.list_users(db, world.op1)} == {"op1"}
    assert len(users.list_users(db, world.pusat)) == 9


@pytest.mark.parametrize(
    ("args", "error", "key"),
    [
        (("x", PASSWORD, "dinas", "13.71"), OpsInvalid, "ops_bad_username"),
        (("Budi", PASSWORD, "dinas", "13.71"), OpsInvalid, "ops_bad_username"),
        (("budi", "short", "dinas", "13.71"), OpsInvalid, "ops_password_short"),
        (("budi", PASSWORD, "kepala", "13.71"), OpsInvalid, "bad_option"),
        (("budi", PASSWORD, "dinas", "13"), OpsInvalid, "ops_role_region_level"),
        (("budi", PASSWORD, "dinas", None), OpsInvalid, "ops_role_needs_region"),
        (("budi", PASSWORD, "admin-provinsi", "13.71"), OpsInvalid, "ops_role_region_level"),
        (("budi", PASSWORD, "dinas", "13.99"), UnknownRegion, "ops_unknown_region"),
        (("budi", PASSWORD, "dinas", "13.7x"), OpsInvalid, "bad_region"),
        (("budi", PASSWORD, "operator", "13.71"), OpsInvalid, "ops_operator_needs_point"),
        (("budi", PASSWORD, "operator", "13.71", "BKT-DINAS"), OpsInvalid, "ops_point_outside_region"),
        (("budi", PASSWORD, "operator", "13.71", "NOWHERE"), OpsNotFound, "ops_unknown_point"),
        (("op1", PASSWORD, "dinas", "13.71"), OpsInvalid, "ops_user_exists"),
    ],
)
def test_bad_users_are_refused_and_nothing_is_stored(world, args, error, key):
    with pytest.raises(error) as caught:
        users.add_user(world.db, *args)
    assert caught.value.key == key
    assert len(users.list_users(world.db)) == 7


def test_passwords_are_hashed_checked_and_reset(world):
    db = world.db
    with db.read() as s:
        stored = s.scalars(select(User.password_hash).where(User.username == "op1")).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert users.authenticate(db, "op1", PASSWORD).username == "op1"
    assert users.authenticate(db, "op1", "wrong-password") is None
    assert users.authenticate(db, "nobody", PASSWORD) is None
    assert users.authenticate(db, "op_off", PASSWORD) is None, "a disabled user cannot log in"
    users.reset_password(db, "op1", "another-secret")
    assert users.authenticate(db, "op1", PASSWORD) is None
    assert users.authenticate(db, "op1", "another-secret") is not None
    assert "hash" not in str(users.list_users(db)[0].as_json())


def test_admin_pusat_needs_no_region_and_operators_take_their_points_region(world):
    pusat = users.add_user(world.db, "pusat2", PASSWORD, "admin-pusat", None)
    assert pusat.region is None
    op = users.add_user(world.db, "op9", PASSWORD, "operator", None, "PDG-KEC1")
    assert op.region == "13.71.01" and op.service_point == "PDG-KEC1"


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("bad id!", "X", "13.71", "dinas"), "ops_bad_point_id"),
        (("P1", " ", "13.71", "dinas"), "ops_bad_name"),
        (("P1", "X", "13", "dinas"), "ops_point_region_level"),
        (("P1", "X", "13.71", "kantor"), "bad_option"),
        (("PDG-DINAS", "X", "13.71", "dinas"), "ops_point_exists"),
    ],
)
def test_bad_service_points_are_refused(world, args, key):
    with pytest.raises(OpsInvalid) as caught:
        points.add_point(world.db, *args)
    assert caught.value.key == key


def test_bad_time_zone_is_refused(world):
    with pytest.raises(OpsInvalid):
        points.add_point(world.db, "P1", "X", "13.71", "dinas", timezone="Mars/Olympus")
    assert (
        points.add_point(world.db, "P2", "X", "13.71", "keliling", timezone="Asia/Makassar").timezone == "Asia/Makassar"
    )
