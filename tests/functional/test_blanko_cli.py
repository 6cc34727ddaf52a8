"""`rekam blanko ...` and `rekam service-points cap` through the real entry point, and the
priority list (``Rekam.blanko_priority``) on a small imported register: its order (pemula,
rentan, then the longest waiting), masking, the operator's limits and the audit log."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date

import pytest
from tests.conftest import person, write_register
from tests.ops_fixtures import ops_url, pg_url  # noqa: F401

from rekam.api import Rekam
from rekam.config import Settings
from rekam.errors import OpsRefused, PermissionDenied

SECRET = "kata-sandi-rahasia-9"
ELECTION = date(2027, 4, 1)  # pemula: 17 by then, not 17 on 2026-04-01 (a one-year window)
AS_OF = date(2026, 12, 7)


@pytest.fixture
def ops_env(ops_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("REKAM_DATABASE_URL", ops_url)
    return ops_url


def _nik(row: str) -> str:
    return row.split(",")[0]


@pytest.fixture
def register(cli, ops_env, tmp_path, rekam_home):
    prr = "PRINT_READY_RECORD"
    rows = {
        "lainnya_no_date": person(1, "1980-01-01", status=prr),
        "pemula": person(2, "2009-10-01", status=prr, recorded="2026-10-05"),
        "lainnya_2022": person(3, "1970-01-01", status=prr, recorded="2022-02-02"),
        "rentan": person(4, "1950-03-03", status=prr, recorded="2023-05-01"),
        "lainnya_2020": person(5, "1985-01-01", status=prr, recorded="2020-02-02"),
        "elsewhere": person(6, "1960-01-01", status=prr, recorded="2019-01-01", desa="13.75.01.1001"),
        "not_recorded": person(7, "1990-01-01", status="UNREGISTERED"),
        "printed_at_desk": person(8, "1975-01-01", status=prr, recorded="2018-01-01"),
    }
    assert cli("import", write_register(tmp_path / "r.csv", list(rows.values())), "--date", "2026-12-01").code == 0
    assert cli("service-points", "add", "PDG", "--name", "Padang", "--region", "13.71", "--kind", "dinas").code == 0
    assert (
        cli("service-points", "add", "PDG2", "--name", "Kec", "--region", "13.71.01", "--kind", "kecamatan").code == 0
    )
    assert (
        cli("service-points", "add", "BKT", "--name", "Bukittinggi", "--region", "13.75", "--kind", "dinas").code == 0
    )
    return {k: _nik(v) for k, v in rows.items()}


def _add_user(cli, monkeypatch, *args: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    assert cli("users", "add", *args).code == 0


def test_blanko_commands_move_count_and_retry(cli, register):
    run = cli("blanko", "receive", "--service-point", "PDG", "--quantity", "100", "--note", "kiriman")
    assert run.code == 0 and "sisa 100" in run.err
    key = run.err.split("Kunci idempotensi: ")[1].split()[0]
    again = cli("blanko", "receive", "--service-point", "PDG", "--quantity", "100", "--note", "kiriman", "--key", key)
    assert again.code == 0 and "Sudah tercatat" in again.err and "sisa 100" in again.err
    changed = cli("blanko", "receive", "--service-point", "PDG", "--quantity", "90", "--note", "kiriman", "--key", key)
    assert changed.code == 1 and "Traceback" not in changed.err
    assert cli("blanko", "transfer", "--service-point", "PDG", "--to", "PDG2", "--quantity", "30").code == 0
    outside = cli("blanko", "transfer", "--service-point", "PDG", "--to", "BKT", "--quantity", "1")
    assert outside.code == 1 and "13.71" in outside.err
    assert cli("blanko", "return", "--service-point", "PDG2", "--quantity", "5").code == 0
    assert cli("blanko", "spoiled", "--service-point", "PDG", "--quantity", "2").code == 0
    too_many = cli("blanko", "spoiled", "--service-point", "PDG", "--quantity", "500")
    assert too_many.code == 1 and "kurang dari 500" in too_many.err
    counted = cli("blanko", "count", "--service-point", "PDG", "--counted", "66")
    assert counted.code == 0 and "buku 68, selisih -2" in counted.err
    session = Rekam(Settings.from_env())
    assert (session.blanko_left("PDG"), session.blanko_left("PDG2")) == (66, 25)
    kinds = [e.kind for e in session.blanko_entries("PDG")]
    assert kinds == ["received", "transfer_out", "spoiled", "adjustment"]


def test_the_cap_command_sets_and_removes_the_cap(cli, register, monkeypatch):
    run = cli("service-points", "cap", "PDG", "3")
    assert run.code == 0 and "PDG: 3" in run.err
    assert [p["daily_print_cap"] for p in cli("service-points", "list", "--json").json() if p["id"] == "PDG"] == [3]
    assert cli("service-points", "cap", "PDG", "--none").code == 0
    assert Rekam(Settings.from_env()).service_point("PDG").daily_print_cap is None
    assert cli("service-points", "cap", "PDG").code == 1  # N or --none
    assert cli("service-points", "cap", "PDG", "-4").code != 0

    _add_user(cli, monkeypatch, "op1", "--role", "operator", "--service-point", "PDG")
    op = Rekam(Settings.from_env()).authenticate("op1", SECRET)
    with pytest.raises(PermissionDenied):
        Rekam(Settings.from_env()).set_print_cap("PDG", 1, op)
    session = Rekam(Settings.from_env())
    session.blanko_record("PDG", "received", 5, "terima-1")
    session.set_print_cap("PDG", 1)
    assert session.log_service(op, register["pemula"], "pencetakan", "PDG", "c-1")[1]
    with pytest.raises(OpsRefused) as refused:
        session.log_service(op, register["rentan"], "pencetakan", "PDG", "c-2")
    assert refused.value.reason == "ops_print_cap_reached"


def test_priority_order_masking_and_audit(cli, register, monkeypatch, tmp_path):
    session = Rekam(Settings.from_env())
    found = session.blanko_priority("PDG", limit=10, election_date=ELECTION, as_of=AS_OF)
    # Within a tier the earliest recording first (2018, 2020, 2022), then those without a date.
    expected = ["pemula", "rentan", "printed_at_desk", "lainnya_2020", "lainnya_2022", "lainnya_no_date"]
    assert [p.nik for p in found.rows] == [register[k][:6] + "*" * 10 for k in expected]
    assert [p.tier for p in found.rows] == ["pemula", "rentan", "lainnya", "lainnya", "lainnya", "lainnya"]
    assert found.total == 6 and found.election_date == ELECTION and not found.unmasked
    assert [p.rank for p in found.rows] == [1, 2, 3, 4, 5, 6]

    # Without an election day (or after it) first-time voters are not ranked first.
    past = session.blanko_priority("PDG", limit=10, election_date=date(2024, 11, 27), as_of=AS_OF)
    assert past.election_date is None and [p.tier for p in past.rows][:2] == ["rentan", "lainnya"]

    # A card printed at the desk takes the resident off the list; the limit cuts it.
    _add_user(cli, monkeypatch, "op1", "--role", "operator", "--service-point", "PDG")
    op = session.authenticate("op1", SECRET)
    session.blanko_record("PDG", "received", 5, "terima-1")
    session.log_service(op, register["printed_at_desk"], "pencetakan", "PDG", "c-1")
    after = session.blanko_priority("PDG", limit=3, election_date=ELECTION, as_of=AS_OF)
    assert after.total == 5 and after.by_tier == {"pemula": 1, "rentan": 1, "lainnya": 3}
    assert [p.nik for p in after.rows] == [register[k][:6] + "*" * 10 for k in ("pemula", "rentan", "lainnya_2020")]
    # The operator gets the counts, not the names (a by-name list of the area is the Dinas's).
    counts = session.blanko_priority("PDG", op, limit=3, election_date=ELECTION, as_of=AS_OF)
    assert counts.rows == [] and counts.by_tier == after.by_tier
    whole = session.blanko_priority("PDG", limit=3, election_date=ELECTION, as_of=AS_OF, unmasked=True)
    assert [p.nik for p in whole.rows] == [register["pemula"], register["rentan"], register["lainnya_2020"]]
    with pytest.raises(PermissionDenied):
        session.blanko_priority("PDG", op, unmasked=True)
    with pytest.raises(PermissionDenied):
        session.blanko_priority("BKT", op)

    log = [r for r in cli("audit", "--json", "--unmasked").json() if r["action"] == "daftar_prioritas_blanko"]
    assert [r["user"] if r["user"] == "op1" else r["user"][:4] for r in log] == ["cli:", "cli:", "cli:", "op1", "cli:"]
    assert log[2]["subject"].split(",")[0] == register["pemula"] and log[2]["details"]["unmasked"] is False
    assert log[3]["subject"] is None and log[3]["details"]["rows"] == 0 and log[3]["details"]["total"] == 5

    # The CLI: a table, a CSV with masked NIKs, --unmasked whole.
    table = cli("blanko", "priority", "--service-point", "PDG", "--election-date", ELECTION.isoformat())
    assert table.code == 0 and register["pemula"][:6] in table.out and register["pemula"] not in table.out
    assert "5 siap cetak di wilayah PDG: pemilih pemula 1, rentan 1, lainnya 3." in table.err
    out = tmp_path / "prioritas.csv"
    run = cli(
        "blanko", "priority", "--service-point", "PDG", "--limit", "2", "--out", out, "--election-date", "2027-04-01"
    )
    assert run.code == 0 and "2 penduduk" in run.err
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:3] == ["Urutan", "NIK", "Nama"]
    assert [r[1] for r in rows[1:]] == [register["pemula"][:6] + "*" * 10, register["rentan"][:6] + "*" * 10]
    assert rows[1][-1] == "pemilih pemula" and rows[2][-1] == "rentan"
    xlsx = tmp_path / "prioritas.xlsx"
    assert cli("blanko", "priority", "--service-point", "PDG", "--out", xlsx, "--unmasked").code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert register["rentan"] in [c.value for c in sheet["B"]]
