"""`rekam users add --role tim --team` and `rekam devices list|revoke` through the real entry
point, on SQLite and PostgreSQL (REKAM_DATABASE_URL)."""

from __future__ import annotations

import io
import sys

import pytest
from tests.ops_fixtures import ops_url, pg_url  # noqa: F401

from rekam.api import Rekam
from rekam.config import Settings

SECRET = "kata-sandi-rahasia-9"


@pytest.fixture
def ops_env(ops_url, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("REKAM_DATABASE_URL", ops_url)
    monkeypatch.setenv("REKAM_HOME", str(tmp_path / "home"))
    return Rekam(Settings(home=tmp_path / "home", database_url=ops_url))


def test_a_team_leader_and_its_devices(cli, ops_env, monkeypatch):
    args = ("--name", "Tim Padang 1", "--region", "13.71", "--kind", "keliling")
    assert cli("service-points", "add", "TIM-PDG-1", *args).code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    run = cli("users", "add", "ketua1", "--role", "tim", "--service-point", "TIM-PDG-1", "--team", "T01")
    assert run.code == 0, run.err
    assert "ketua1" in run.err and "T01" in run.err
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    refused = cli("users", "add", "ketua2", "--role", "tim", "--service-point", "TIM-PDG-1")
    assert refused.code == 1 and "--team" in refused.err
    [ketua] = cli("users", "list", "--json").json()
    assert (ketua["role"], ketua["team"], ketua["service_point"], ketua["region"]) == (
        "tim",
        "T01",
        "TIM-PDG-1",
        "13.71",
    )
    assert "T01" in cli("users", "list").out

    assert cli("devices", "list", "--json").json() == []
    assert "Belum ada perangkat" in cli("devices", "list").err
    user = ops_env.authenticate("ketua1", SECRET)
    phone = ops_env.register_device(user, "HP ketua")
    [listed] = cli("devices", "list", "--json").json()
    assert (listed["id"], listed["username"], listed["team"], listed["revoked_at"]) == (phone.id, "ketua1", "T01", None)
    run = cli("devices", "revoke", phone.id)
    assert run.code == 0 and phone.id in run.err
    [listed] = cli("devices", "list", "--json").json()
    assert listed["revoked_at"] and listed["revoked_by"].startswith("cli:")
    unknown = cli("devices", "revoke", "f" * 32)
    assert unknown.code == 1 and "rekam devices list" in unknown.err
    assert any(e["action"] == "cabut_perangkat" for e in cli("audit", "--json").json())
