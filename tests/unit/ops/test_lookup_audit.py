"""By-name lookups at the desk are audited in the ops database; ``rekam audit`` merges the
command line's file log with it."""

from __future__ import annotations

from datetime import date

import pytest

from rekam import audit
from rekam.api import Rekam
from rekam.config import Settings
from rekam.errors import OpsInvalid, PermissionDenied, SnapshotError
from rekam.ops import audit as ops_audit
from rekam.ops import events, lookup
from rekam.ops.residents import NoRegister, apply_event, effective_status

from .conftest import BELUM, PRR, UNKNOWN


def test_a_nik_lookup_shows_the_desk_status_and_is_audited(world, directory):
    events.log_event(world.db, directory, world.op1, BELUM, "perekaman", "PDG-DINAS", "r-1")
    found = lookup.by_nik(world.db, directory, BELUM, world.op1, "PDG-DINAS")
    assert found.resident.ktp_status == "UNREGISTERED" and found.status == "BIO_CAPTURED"
    assert [e["jenis"] for e in found.events] == ["perekaman"]
    missing = lookup.by_nik(world.db, directory, UNKNOWN, world.op_bkt)
    assert missing.resident is None and missing.as_json()["in_register"] is False
    rows = ops_audit.entries(world.db)
    assert [(r.user, r.action, r.subject) for r in rows] == [
        ("op1", "cari_nik", BELUM),
        ("op_bkt", "cari_nik", UNKNOWN),
    ]
    assert rows[0].service_point == "PDG-DINAS" and rows[0].details == {"found": True}


def test_a_name_search_is_audited_with_the_niks_shown(world, directory):
    found = lookup.by_name(world.db, directory, "orang", date(1990, 1, 15), world.dinas)
    assert len(found) == 8 and PRR in {f.nik for f in found}
    [row] = ops_audit.entries(world.db, user="dinas")
    assert row.action == "cari_nama" and row.details == {"results": 8} and PRR in (row.subject or "")
    assert lookup.by_name(world.db, directory, "tidak ada", date(1990, 1, 15), world.dinas) == []
    with pytest.raises(OpsInvalid):
        lookup.by_name(world.db, directory, "a ", date(1990, 1, 15), world.dinas)
    with pytest.raises(PermissionDenied):
        lookup.by_nik(world.db, directory, PRR, world.op_off)
    with pytest.raises(SnapshotError):
        lookup.by_nik(world.db, NoRegister(), PRR, world.op1)


def test_audit_log_merges_the_file_log_and_the_ops_log(world, directory, tmp_path):
    settings = Settings(home=tmp_path / "home", database_url=world.db.url)
    audit.record(settings.home, "list", list="belum-rekam", region="13.71.01", people=4, unmasked=False)
    lookup.by_nik(world.db, directory, PRR, world.op1)
    rows = Rekam(settings).audit_log()
    assert [(r["source"], r["action"]) for r in rows] == [("berkas", "list"), ("ops", "cari_nik")]
    assert rows[0]["details"]["region"] == "13.71.01" and rows[1]["subject"] == PRR
    assert [r["action"] for r in Rekam(settings).audit_log(user="op1")] == ["cari_nik"]
    assert Rekam(settings).audit_log(since=date(2100, 1, 1)) == []
    assert len(audit.entries(settings.home)) == 1, "the file log's own reader is unchanged"


def test_effective_status_transitions():
    assert apply_event("UNREGISTERED", "perekaman", "selesai", False) == "BIO_CAPTURED"
    assert apply_event("UNREGISTERED", "perekaman", "gagal", False) == "UNREGISTERED"
    assert apply_event("PRINT_READY_RECORD", "perekaman", "selesai", False) == "PRINT_READY_RECORD"
    assert apply_event("PRINT_READY_RECORD", "perekaman", "selesai", True) == "DUPLICATE_RECORD"
    assert apply_event(None, "perekaman", "selesai", False) == "BIO_CAPTURED"
    assert apply_event("SEARCH_FAILURE_AT_CENTRAL", "rekam_ulang", "selesai", False) == "BIO_CAPTURED"
    assert apply_event("PRINT_READY_RECORD", "surat_keterangan", "selesai", False) == "PRINT_READY_RECORD"
    history = [("pencetakan", "gagal", False), ("pencetakan", "selesai", False)]
    assert effective_status("PRINT_READY_RECORD", history) == "CARD_PRINTED"
