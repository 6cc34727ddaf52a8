"""The blanko ledger, physical counts, the queue, and the end-of-day reconciliation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from rekam.errors import IdempotencyConflict, OpsInvalid, OpsNotFound, OpsRefused, PermissionDenied
from rekam.ops import blanko, events, points, queue, reconcile
from rekam.ops.models import BlankoEntry, ServiceEvent, utcnow

from .conftest import BELUM, MANY_PRR, PRR

P = "PDG-DINAS"


def today(world) -> date:  # type: ignore[no-untyped-def]
    with world.db.read() as s:
        return points.local_date(points.get(s, P), utcnow())


def test_ledger_movements_and_balance(world):
    db = world.db
    blanko.record(db, P, "received", 100, "terima-1", note="dari Dinas Provinsi")
    blanko.record(db, P, "spoiled", 2, "rusak-1")
    blanko.record(db, P, "returned", 8, "kembali-1")
    blanko.record(db, P, "transfer_out", 30, "pindah-1", counterpart="PDG-KEC1")
    assert blanko.current(db, P) == 60
    assert blanko.current(db, "PDG-KEC1") == 30
    [incoming] = blanko.entries(db, "PDG-KEC1")
    assert (incoming.kind, incoming.quantity, incoming.counterpart) == ("transfer_in", 30, P)
    assert [(e.kind, e.quantity) for e in blanko.entries(db, P)] == [
        ("received", 100),
        ("spoiled", -2),
        ("returned", -8),
        ("transfer_out", -30),
    ]


def test_ledger_refusals_and_idempotency(world):
    db = world.db
    entry, created = blanko.record(db, P, "received", 10, "terima-1")
    again, created_again = blanko.record(db, P, "received", 10, "terima-1")
    assert created and not created_again and again.id == entry.id and blanko.current(db, P) == 10
    with pytest.raises(IdempotencyConflict):
        blanko.record(db, P, "received", 11, "terima-1")
    with pytest.raises(OpsRefused) as caught:
        blanko.record(db, P, "returned", 11, "kembali-1")
    assert caught.value.key == "ops_blanko_not_enough" and "10" in str(caught.value)
    for kind, qty, other, key in (
        ("used", 1, None, "bad_option"),
        ("received", 0, None, "ops_bad_quantity"),
        ("received", -5, None, "ops_bad_quantity"),
        ("transfer_out", 1, None, "ops_transfer_counterpart"),
        ("received", 1, "PDG-KEC1", "ops_transfer_counterpart"),
        ("transfer_out", 1, P, "ops_transfer_same_point"),
    ):
        with pytest.raises(OpsInvalid) as bad:
            blanko.record(db, P, kind, qty, f"x-{kind}-{qty}", counterpart=other)
        assert bad.value.key == key
    # a transfer stays within the sending point's kab/kota (13.71): another kab/kota, another
    # province and an unknown point are one refusal (the answer tells nothing about other points)
    for other in ("BKT-DINAS", "JKT-MPP", "NOWHERE"):
        with pytest.raises(OpsRefused) as outside:
            blanko.record(db, P, "transfer_out", 1, f"x-{other}", counterpart=other)
        assert outside.value.reason == "ops_transfer_counterpart_outside"
    with pytest.raises(PermissionDenied):
        blanko.record(db, P, "received", 5, "x-other", actor=world.op_bkt)
    assert blanko.current(db, P) == 10


def test_a_physical_count_reports_and_adjusts_the_difference(world):
    db = world.db
    blanko.record(db, P, "received", 50, "terima-1")
    count, created = blanko.count(db, P, 47, "hitung-1", note="3 hilang?")
    assert created and (count.expected, count.counted, count.difference) == (50, 47, -3)
    assert blanko.current(db, P) == 47
    assert blanko.count(db, P, 47, "hitung-1", note="3 hilang?")[0].id == count.id, "a retried count is stored once"
    assert blanko.current(db, P) == 47
    same, _ = blanko.count(db, P, 47, "hitung-2")
    assert same.difference == 0 and [e.kind for e in blanko.entries(db, P)] == ["received", "adjustment"]
    with pytest.raises(OpsInvalid):
        blanko.count(db, P, -1, "hitung-3")


def test_queue_numbers_calls_and_waiting_time(world):
    db = world.db
    tickets = [queue.take(db, P, f"ambil-{i}")[0] for i in range(3)]
    assert [t.number for t in tickets] == [1, 2, 3]
    assert queue.take(db, P, "ambil-0")[0].number == 1, "a retried tap gives the same number"
    assert queue.take(db, "PDG-KEC1", "ambil-0")[0].number == 1, "numbers are per point"
    first = queue.call_next(db, P, world.op1, "panggil-1")
    assert first.number == 1 and first.state == "called" and first.waiting_minutes is not None
    assert queue.call_next(db, P, world.op1, "panggil-1").number == 1, "a retried call skips nobody"
    assert queue.call_next(db, P, world.op1, "panggil-2").number == 2
    assert queue.finish(db, P, 1, "served", actor=world.op1).state == "served"
    assert queue.finish(db, P, 1, "served", actor=world.op1).state == "served"
    with pytest.raises(OpsRefused):
        queue.finish(db, P, 1, "no_show", actor=world.op1)
    with pytest.raises(OpsRefused):  # number 3 was never called
        queue.finish(db, P, 3, "served", actor=world.op1)
    assert queue.finish(db, P, 2, "no_show").state == "no_show"
    assert queue.call_next(db, P).number == 3
    with pytest.raises(OpsRefused) as empty:
        queue.call_next(db, P)
    assert empty.value.key == "ops_queue_empty"
    with pytest.raises(OpsNotFound):
        queue.finish(db, P, 99, "served")
    with pytest.raises(PermissionDenied):
        queue.take(db, P, "ambil-x", actor=world.op_kec)
    assert [t.state for t in queue.tickets(db, P)] == ["served", "no_show", "called"]


def test_end_of_day_reconciliation(world, directory):
    db = world.db
    day = today(world)
    blanko.record(db, P, "received", 10, "terima-1")
    for i, nik in enumerate(MANY_PRR[:3]):
        queue.take(db, P, f"q-{i}")
        queue.call_next(db, P)
        events.log_event(db, directory, world.op1, nik, "pencetakan", P, f"cetak-{i}")
        queue.finish(db, P, i + 1, "served")
    events.log_event(db, directory, world.op1, MANY_PRR[3], "pencetakan", P, "cetak-gagal", outcome="gagal")
    report = reconcile.end_of_day(db, P, day, actor=world.op1)
    assert report.ok, report.problems
    assert (report.cards_printed, report.prints_failed, report.recordings) == (3, 1, 0)
    assert report.blanko == {
        "opening": 0,
        "received": 10,
        "used": 3,
        "spoiled": 1,
        "returned": 0,
        "transfer_out": 0,
        "transfer_in": 0,
        "adjustment": 0,
        "closing": 6,
    }
    assert report.queue["tickets"] == 3 and report.queue["served"] == 3 and report.queue["open"] == 0
    assert report.as_json()["day"] == day.isoformat() and report.as_json()["ok"] is True

    # A recording without a ticket, an open ticket, and a count that found one card missing.
    events.log_event(db, directory, world.op1, BELUM, "perekaman", P, "rekam-1")
    queue.take(db, P, "q-open")
    blanko.count(db, P, 5, "hitung-1")
    report = reconcile.end_of_day(db, P, day)
    checks = {p.check: p.figures for p in report.problems}
    assert checks["count_difference"] == {"counted": 5, "expected": 6, "difference": -1}
    assert checks["tickets_open"] == {"open": 1}
    assert "recordings_vs_served" not in checks  # 1 recording, 3 served
    assert report.blanko["adjustment"] == -1 and report.blanko["closing"] == 5

    # A print whose blanko entry went missing (edited by hand) is caught.
    with db.write() as s:
        s.execute(update(BlankoEntry).where(BlankoEntry.kind == "used").values(event_id=None, kind="returned"))
    checks = {p.check for p in reconcile.end_of_day(db, P, day).problems}
    assert "cards_vs_blanko" in checks
    with pytest.raises(PermissionDenied):
        reconcile.end_of_day(db, P, day, actor=world.op_bkt)


def test_recordings_beyond_tickets_served_are_reported(world, directory):
    db = world.db
    queue.take(db, P, "q-1")
    queue.call_next(db, P)
    queue.finish(db, P, 1, "served")
    events.log_event(db, directory, world.op1, BELUM, "perekaman", P, "r-1")
    events.log_event(db, directory, world.op1, PRR, "perekaman", P, "r-2", confirm=True)
    report = reconcile.end_of_day(db, P, today(world))
    assert {p.check: p.figures for p in report.problems} == {"recordings_vs_served": {"recordings": 2, "served": 1}}
    assert report.duplicates_confirmed == 1


def test_a_day_without_anything_is_empty_and_fine(world):
    report = reconcile.end_of_day(world.db, "JKT-MPP", date(2024, 11, 27))
    assert report.ok and report.blanko["closing"] == 0 and report.services == {}
    with world.db.read() as s:  # nothing was written by reading
        assert s.query(ServiceEvent).count() == 0


def test_the_reconciliation_counts_ikd_activations_apart_and_they_take_no_blanko(world, directory):
    db = world.db
    blanko.record(db, P, "received", 3, "terima-ikd")
    events.log_event(db, directory, world.op1, PRR, "aktivasi_ikd", P, "ikd-1")
    events.log_event(db, directory, world.op1, MANY_PRR[0], "aktivasi_ikd", P, "ikd-2", outcome="gagal")
    report = reconcile.end_of_day(db, P, today(world), actor=world.op1)
    assert report.services["aktivasi_ikd"] == {"selesai": 1, "gagal": 1}
    assert report.aktivasi_ikd == 1 and report.surat_keterangan == 0 and report.recordings == 0
    assert report.cards_used == 0 and report.blanko["closing"] == 3 and report.ok
    assert report.as_json()["aktivasi_ikd"] == 1
