"""An ops database per test (SQLite and PostgreSQL), a crafted register in memory, four
service points and a user of each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from argon2 import PasswordHasher
from tests.ops_fixtures import ops_url, pg_url  # noqa: F401

from rekam.ops import passwords, points, users
from rekam.ops.db import OpsDB, open_db
from rekam.ops.models import User
from rekam.ops.residents import MemoryDirectory, Resident

EXPORT = date(2024, 11, 13)


def nik(serial: int, birth: str = "1990-01-15", sex: str = "L", kec6: str = "137101") -> str:
    y, m, d = birth.split("-")
    return f"{kec6}{int(d) + (40 if sex == 'P' else 0):02d}{m}{y[2:]}{serial:04d}"


# One resident per status the rules care about.
BELUM, BIO, PRR, PRR2, PRR3, DUP, PRINTED, FAILED = (nik(i) for i in range(1, 9))
UNKNOWN = nik(99, "1988-07-20")
STATUSES = {
    BELUM: "UNREGISTERED",
    BIO: "BIO_CAPTURED",
    PRR: "PRINT_READY_RECORD",
    PRR2: "PRINT_READY_RECORD",
    PRR3: "PRINT_READY_RECORD",
    DUP: "DUPLICATE_RECORD",
    PRINTED: "CARD_PRINTED",
    FAILED: "ENROLL_FAILURE_AT_CENTRAL",
}
MANY_PRR = [nik(100 + i, "1995-02-10") for i in range(20)]


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small parameters: the tests make many users."""
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def db(ops_url: str) -> Iterator[OpsDB]:  # noqa: F811
    yield open_db(ops_url)


@pytest.fixture
def directory() -> MemoryDirectory:
    people = [
        Resident(n, f"ORANG {i}", date(1990, 1, 15), "L", "13.71.01.1001", s)
        for i, (n, s) in enumerate(STATUSES.items())
    ]
    people += [
        Resident(n, f"PEMILIH {i}", date(1995, 2, 10), "P", "13.71.01.1001", "PRINT_READY_RECORD")
        for i, n in enumerate(MANY_PRR)
    ]
    return MemoryDirectory(people, "0001-20241113", EXPORT)


@dataclass
class World:
    db: OpsDB
    pusat: User
    prov: User
    dinas: User
    op1: User  # operator at PDG-DINAS (13.71)
    op_kec: User  # operator at PDG-KEC1 (13.71.01)
    op_bkt: User  # operator at BKT-DINAS (13.75)
    op_off: User  # a disabled operator at PDG-DINAS


PASSWORD = "rahasia-123"


@pytest.fixture
def world(db: OpsDB) -> World:
    points.add_point(db, "PDG-DINAS", "Disdukcapil Kota Padang", "13.71", "dinas")
    points.add_point(db, "PDG-KEC1", "Kecamatan Padang Selatan", "13.71.01", "kecamatan")
    points.add_point(db, "BKT-DINAS", "Disdukcapil Kota Bukittinggi", "13.75", "dinas")
    points.add_point(db, "JKT-MPP", "MPP Jakarta Selatan", "31.71", "mpp")
    made = {}
    for name, role, region, point in (
        ("pusat", "admin-pusat", None, None),
        ("prov", "admin-provinsi", "13", None),
        ("dinas", "dinas", "13.71", None),
        ("op1", "operator", "13.71", "PDG-DINAS"),
        ("op_kec", "operator", "13.71", "PDG-KEC1"),
        ("op_bkt", "operator", "13.75", "BKT-DINAS"),
        ("op_off", "operator", "13.71", "PDG-DINAS"),
    ):
        users.add_user(db, name, PASSWORD, role, region, point)
        made[name] = users.load(db, name)
    users.set_disabled(db, "op_off")
    made["op_off"] = users.load(db, "op_off")
    return World(db, **made)
