"""Blanko rules as spec tests (issue 17), on SQLite and PostgreSQL: a transfer is one movement
seen from both points; spoiled cards count as used in the reconciliation; the daily print cap
holds under concurrent prints; retries are stored once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from rekam.errors import IdempotencyConflict, OpsInvalid, OpsRefused, PermissionDenied
from rekam.ops import audit, blanko, events, points, reconcile
from rekam.ops.models import BlankoEntry, ServiceEvent

from .conftest import MANY_PRR

P, K = "PDG-DINAS", "PDG-KEC1"


def today(world):
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def test_a_transfer_out_is_the_transfer_in_of_the_other_point(world):
    db = world.db
    blanko.record(db, P, "received", 30, "terima")
    out, created = blanko.record(db, P, "transfer_out", 12, "pindah-1", actor=world.op1, counterpart=K, note="ke kec")
    assert created and out.quantity == -12 and out.counterpart == K
    with db.read() as s:
        rows = s.scalars(select(BlankoEntry).where(BlankoEntry.kind.in_(["transfer_out", "transfer_in"]))).all()
    [sent] = [r for r in rows if r.kind == "transfer_out"]
    [got] = [r for r in rows if r.kind == "transfer_in"]
    assert (sent.service_point_id, got.service_point_id) == (P, K)
    assert got.quantity == -sent.quantity == 12
    assert got.transfer_of == sent.id and got.counterpart_point_id == P  # linked both ways
    assert got.occurred_at == sent.occurred_at  # written together, in one transaction
    assert (blanko.current(db, P), blanko.current(db, K)) == (18, 12)
    day = today(world)
    assert reconcile.end_of_day(db, P, day).blanko["transfer_out"] == 12
    assert reconcile.end_of_day(db, K, day).blanko["transfer_in"] == 12

    # Refused transfers store nothing on either side: too many, and outside the kab/kota.
    with pytest.raises(OpsRefused) as caught:
        blanko.record(db, P, "transfer_out", 19, "pindah-2", counterpart=K)
    assert caught.value.reason == "ops_blanko_not_enough"
    with pytest.raises(OpsRefused) as caught:
        blanko.record(db, P, "transfer_out", 1, "pindah-3", counterpart="BKT-DINAS")
    assert caught.value.reason == "ops_transfer_counterpart_outside"
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(BlankoEntry)) == 3
    # An operator may not send from a point that is not theirs.
    with pytest.raises(PermissionDenied):
        blanko.record(db, K, "transfer_out", 1, "pindah-4", actor=world.op1, counterpart=P)


def test_spoiled_cards_count_as_used_in_the_reconciliation(world, directory):
    db = world.db
    blanko.record(db, P, "received", 10, "terima")
    events.log_event(db, directory, world.op1, MANY_PRR[0], "pencetakan", P, "cetak-1")
    events.log_event(db, directory, world.op1, MANY_PRR[1], "pencetakan", P, "cetak-2", outcome="gagal")
    blanko.record(db, P, "spoiled", 2, "rusak-rak", actor=world.op1, note="tertekuk")
    report = reconcile.end_of_day(db, P, today(world))
    assert (report.cards_printed, report.prints_failed) == (1, 1)
    assert report.blanko["spoiled"] == 3  # the failed print's card and two found damaged
    assert report.cards_used == 1 + 3 == report.blanko["received"] - report.blanko["closing"]
    assert report.ok, report.problems  # a manual spoiled entry is no mismatch with the prints


def test_retries_are_stored_once_and_a_changed_body_is_a_conflict(world):
    db = world.db
    first, created = blanko.record(db, P, "received", 7, "kunci-1", note="kiriman")
    again, created_again = blanko.record(db, P, "received", 7, "kunci-1", note="kiriman")
    assert created and not created_again and again.id == first.id
    with pytest.raises(IdempotencyConflict):
        blanko.record(db, P, "received", 8, "kunci-1", note="kiriman")
    count, created = blanko.count(db, P, 6, "hitung-1")
    count_again, created_again = blanko.count(db, P, 6, "hitung-1")
    assert created and not created_again and count_again.id == count.id and count.difference == -1
    with pytest.raises(IdempotencyConflict):
        blanko.count(db, P, 5, "hitung-1")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(BlankoEntry)) == 2  # received + one adjustment
    assert blanko.current(db, P) == 6


def test_the_print_cap_is_set_by_a_manager_audited_and_refuses_the_next_print(world, directory):
    db = world.db
    blanko.record(db, P, "received", 10, "terima")
    with pytest.raises(PermissionDenied):
        points.set_print_cap(db, P, 2, world.op1)  # the operator may not
    with pytest.raises(PermissionDenied):
        points.set_print_cap(db, "BKT-DINAS", 2, world.dinas)  # another kab/kota's point
    with pytest.raises(OpsInvalid):
        points.set_print_cap(db, P, -1, world.dinas)
    assert points.set_print_cap(db, P, 2, world.dinas).daily_print_cap == 2
    [entry] = [e for e in audit.entries(db) if e.action == "atur_batas_cetak"]
    assert (entry.user, entry.service_point, entry.details) == ("dinas", P, {"before": None, "cap": 2})

    events.log_event(db, directory, world.op1, MANY_PRR[0], "pencetakan", P, "c-1")
    events.log_event(db, directory, world.op1, MANY_PRR[1], "pencetakan", P, "c-2", outcome="gagal")  # a card too
    with pytest.raises(OpsRefused) as caught:
        events.log_event(db, directory, world.op1, MANY_PRR[2], "pencetakan", P, "c-3")
    assert caught.value.reason == "ops_print_cap_reached"
    assert "surat keterangan" in str(caught.value)
    # A retry of a stored print is answered, not refused; other services go on; the other point too.
    assert events.log_event(db, directory, world.op1, MANY_PRR[0], "pencetakan", P, "c-1")[1] is False
    events.log_event(db, directory, world.op1, MANY_PRR[2], "surat_keterangan", P, "sk-1")
    blanko.record(db, K, "received", 1, "terima-k")
    events.log_event(db, directory, world.op_kec, MANY_PRR[3], "pencetakan", K, "k-1")
    # Raised, the point prints again; removed, only the stock limits it.
    points.set_print_cap(db, P, 3, world.dinas)
    events.log_event(db, directory, world.op1, MANY_PRR[2], "pencetakan", P, "c-3")
    points.set_print_cap(db, P, None, world.prov)
    events.log_event(db, directory, world.op1, MANY_PRR[4], "pencetakan", P, "c-4")
    assert blanko.current(db, P) == 10 - 4


CAP = 5
CLIENTS = 8


def test_the_cap_holds_under_concurrent_prints(world, directory):
    db = world.db
    blanko.record(db, P, "received", 100, "terima")
    points.set_print_cap(db, P, CAP)
    start = threading.Barrier(CLIENTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        start.wait()
        for j, nik in enumerate(MANY_PRR[i::CLIENTS]):  # 20 printable residents over 8 clients
            for attempt in range(20):
                try:
                    events.log_event(db, directory, world.op1, nik, "pencetakan", P, f"cetak-{i}-{j}")
                    answer = "printed"
                    break
                except OpsRefused as exc:
                    answer = exc.reason
                    break
                except OperationalError:  # a busy SQLite: retry, as a client would
                    time.sleep(0.02 * (attempt + 1))
            else:
                raise AssertionError("no answer")
            with lock:
                outcomes.append(answer)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    with db.read() as s:
        stored = s.scalar(select(func.count()).select_from(ServiceEvent).where(ServiceEvent.kind == "pencetakan"))
    assert stored == CAP == outcomes.count("printed")
    assert len(outcomes) == len(MANY_PRR)
    assert set(outcomes) == {"printed", "ops_print_cap_reached"}
    assert blanko.current(db, P) == 100 - CAP
    with db.read() as s:
        assert events.prints_on(s, P, today(world)) == CAP
