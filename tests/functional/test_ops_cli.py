"""`rekam users`, `rekam service-points` and `rekam audit` through the real entry point, on
SQLite and PostgreSQL (REKAM_DATABASE_URL); the desk's library calls on an imported register."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date

import pytest
from tests.conftest import person, write_register
from tests.ops_fixtures import ops_url, pg_url  # noqa: F401

from rekam.api import Rekam
from rekam.config import Settings
from rekam.errors import ConfirmationNeeded, OpsRefused

SECRET = "kata-sandi-rahasia-9"


@pytest.fixture
def ops_env(ops_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("REKAM_DATABASE_URL", ops_url)
    return ops_url


def stdin(monkeypatch, content: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(content))


def test_users_and_service_points_round_trip(cli, ops_env, monkeypatch):
    run = cli(
        "service-points", "add", "PDG-DINAS", "--name", "Disdukcapil Kota Padang", "--region", "1371", "--kind", "dinas"
    )
    assert run.code == 0, run.err
    assert "PDG-DINAS" in run.err
    assert (
        cli(
            "service-points",
            "add",
            "PDG-KEC1",
            "--name",
            "Kec. Padang Selatan",
            "--region",
            "13.71.01",
            "--kind",
            "kecamatan",
        ).code
        == 0
    )
    [first, second] = cli("service-points", "list", "--json").json()
    assert first == {
        "id": "PDG-DINAS",
        "name": "Disdukcapil Kota Padang",
        "region": "13.71",
        "kind": "dinas",
        "timezone": "Asia/Jakarta",
        "daily_print_cap": None,
    }
    assert second["region"] == "13.71.01"

    stdin(monkeypatch, SECRET + "\n")
    run = cli("users", "add", "op1", "--role", "operator", "--region", "13.71", "--service-point", "PDG-DINAS")
    assert run.code == 0, run.err
    assert SECRET not in run.out + run.err and "op1" in run.err
    stdin(monkeypatch, SECRET + "\n")
    assert cli("users", "add", "dinas1371", "--role", "dinas", "--region", "13.71").code == 0
    stdin(monkeypatch, SECRET + "\n")
    assert cli("users", "add", "pusat", "--role", "admin-pusat").code == 0
    listed = cli("users", "list", "--json").json()
    assert [(u["username"], u["role"], u["region"], u["service_point"], u["disabled"]) for u in listed] == [
        ("dinas1371", "dinas", "13.71", None, False),
        ("op1", "operator", "13.71", "PDG-DINAS", False),
        ("pusat", "admin-pusat", None, None, False),
    ]
    assert "password" not in cli("users", "list", "--json").out
    table = cli("users", "list")
    assert table.code == 0 and "op1" in table.out and SECRET not in table.out

    assert Rekam(Settings.from_env()).authenticate("op1", SECRET) is not None
    stdin(monkeypatch, "sandi-baru-12345\n")
    assert cli("users", "reset-password", "op1").code == 0
    assert (
        Rekam(Settings.from_env()).authenticate("op1", SECRET) is None
        and Rekam(Settings.from_env()).authenticate("op1", "sandi-baru-12345") is not None
    )
    run = cli("users", "disable", "op1")
    assert run.code == 0 and "op1" in run.err
    assert Rekam(Settings.from_env()).authenticate("op1", "sandi-baru-12345") is None
    assert [u["disabled"] for u in cli("users", "list", "--json").json() if u["username"] == "op1"] == [True]


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("users", "add", "op1", "--role", "operator", "--region", "13.71"), SECRET, "--service-point"),
        (("users", "add", "op1", "--role", "dinas", "--region", "13"), SECRET, "13.71"),
        (("users", "add", "op1", "--role", "dinas", "--region", "13.71"), "pendek", "minimal 10"),
        (("users", "add", "op1", "--role", "dinas", "--region", "13.71"), "Password2024!", "umum dipakai"),
        (("users", "add", "op1", "--role", "dinas", "--region", "13.71"), "op1-op1-op1-op1", "nama pengguna"),
        (("users", "add", "op1", "--role", "dinas", "--region", "99.99"), SECRET, "99.99"),
        (("users", "disable", "nobody"), "", "nobody"),
        (("users", "reset-password", "nobody"), SECRET, "nobody"),
        (("service-points", "add", "X1", "--name", "X", "--region", "13", "--kind", "dinas"), "", "kab/kota"),
        (("service-points", "add", "X 1", "--name", "X", "--region", "13.71", "--kind", "dinas"), "", "X 1"),
    ],
)
def test_bad_input_exits_1_with_a_message_and_changes_nothing(cli, ops_env, monkeypatch, args, password, message):
    stdin(monkeypatch, password + "\n")
    run = cli(*args)
    assert run.code == 1, run.err
    assert message in run.err and "Traceback" not in run.err
    assert cli("users", "list", "--json").json() == [] and cli("service-points", "list", "--json").json() == []


def test_wrong_usage_exits_2(cli, ops_env):
    assert cli("users", "add", "op1", "--role", "kepala", "--region", "13.71").code == 2
    assert cli("service-points", "add", "X1", "--name", "X", "--region", "13.71", "--kind", "kantor").code == 2


def test_english_messages(cli, ops_env, monkeypatch):
    monkeypatch.setenv("REKAM_LANG", "en")
    stdin(monkeypatch, "short\n")
    run = cli("users", "add", "op1", "--role", "dinas", "--region", "13.71")
    assert run.code == 1 and "at least 10 characters" in run.err


def test_the_default_database_is_a_sqlite_file_in_rekam_home(cli, rekam_home, monkeypatch):
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    assert cli("service-points", "add", "P1", "--name", "X", "--region", "13.71", "--kind", "mpp").code == 0
    assert (rekam_home / "ops.db").is_file()
    from rekam.ops.db import close_all

    close_all()


def test_the_installed_command_reads_the_password_from_stdin(tmp_path, ops_env):
    env = {**os.environ, "REKAM_HOME": str(tmp_path / "home"), "REKAM_DATABASE_URL": ops_env}
    rekam = [sys.executable, "-m", "rekam"]
    done = subprocess.run(
        [
            *rekam,
            "service-points",
            "add",
            "BKT",
            "--name",
            "Disdukcapil Bukittinggi",
            "--region",
            "13.75",
            "--kind",
            "dinas",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [*rekam, "users", "add", "op-bkt", "--role", "operator", "--service-point", "BKT"],
        input=SECRET + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stdout + done.stderr
    listed = subprocess.run([*rekam, "users", "list", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert '"op-bkt"' in listed.stdout and SECRET not in listed.stdout


def test_the_desk_on_an_imported_register(cli, ops_env, tmp_path, monkeypatch, rekam_home):
    rows = [
        person(1, "1990-01-01", status="UNREGISTERED"),
        person(2, "1991-02-02", status="PRINT_READY_RECORD"),
        person(3, "1992-03-03", status="DUPLICATE_RECORD"),
    ]
    assert cli("import", write_register(tmp_path / "r.csv", rows), "--date", "2024-11-13").code == 0
    belum, prr, dup = (r.split(",")[0] for r in rows)
    assert cli("service-points", "add", "PDG", "--name", "Padang", "--region", "13.71", "--kind", "dinas").code == 0
    stdin(monkeypatch, SECRET + "\n")
    assert cli("users", "add", "op1", "--role", "operator", "--service-point", "PDG").code == 0
    op = Rekam(Settings.from_env()).authenticate("op1", SECRET)

    event, created = Rekam(Settings.from_env()).log_service(op, belum, "perekaman", "PDG", "k-1")
    assert created and event.status_before == "UNREGISTERED" and event.nik_known  # type: ignore[attr-defined]
    with pytest.raises(ConfirmationNeeded):
        Rekam(Settings.from_env()).log_service(op, prr, "perekaman", "PDG", "k-2")
    with pytest.raises(OpsRefused) as refused:
        Rekam(Settings.from_env()).log_service(op, prr, "pencetakan", "PDG", "k-3")
    assert refused.value.reason == "ops_no_blanko"
    Rekam(Settings.from_env()).blanko_record("PDG", "received", 5, "terima-1", actor=op)
    assert Rekam(Settings.from_env()).log_service(op, prr, "pencetakan", "PDG", "k-3")[1]
    with pytest.raises(OpsRefused) as refused:
        Rekam(Settings.from_env()).log_service(op, dup, "pencetakan", "PDG", "k-4")
    assert refused.value.reason == "ops_print_duplicate"
    assert Rekam(Settings.from_env()).blanko_left("PDG", actor=op) == 4
    assert [p.name for p in (rekam_home / "index").iterdir()] == ["0001-20241113-nik2.parquet"]
    found = Rekam(Settings.from_env()).find_resident(prr, actor=op, service_point="PDG")
    assert found.status == "CARD_PRINTED" and found.resident.name == "ORANG 2"  # type: ignore[attr-defined]
    assert [r.nik for r in Rekam(Settings.from_env()).search_residents("orang 1", date(1990, 1, 1), actor=op)] == [
        belum
    ]  # type: ignore[attr-defined]
    report = Rekam(Settings.from_env()).reconcile_day("PDG", event.service_date, actor=op)  # type: ignore[attr-defined]
    assert report.cards_printed == 1 and report.blanko["used"] == 1 and report.ok  # type: ignore[attr-defined]
    assert [
        e.idempotency_key for e in Rekam(Settings.from_env()).list_services("PDG", event.service_date, actor=op)
    ] == ["k-1", "k-3"]  # type: ignore[attr-defined]

    newcomer = "1371015505000001"
    assert not Rekam(Settings.from_env()).log_service(op, newcomer, "surat_keterangan", "PDG", "k-5")[0].nik_known  # type: ignore[attr-defined]
    [case] = Rekam(Settings.from_env()).follow_up_rows(actor=op)
    assert case.as_row() | {"reported_at": None} == {
        "kind": "nik_tidak_dikenal",
        "nik": newcomer,
        "source": "loket",  # type: ignore[attr-defined]
        "service_point": "PDG",
        "region": "13.71",
        "reported_at": None,
        "note": None,
    }

    audit = cli("audit", "--json")
    assert audit.code == 0
    actions = [(r["user"], r["action"], r["subject"]) for r in audit.json()]
    assert ("op1", "cari_nik", prr[:6] + "*" * 10) in actions
    unmasked = cli("audit", "--json", "--unmasked").json()
    assert prr in [r["subject"] for r in unmasked]
    assert any(r["action"] == "audit" and r["source"] == "berkas" for r in cli("audit", "--json").json())
    assert "ekspor_tindak_lanjut" in [r["action"] for r in unmasked]
    assert cli("audit").code == 0
