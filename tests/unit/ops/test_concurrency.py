"""Several clients logging at once, retrying, with the same keys: each key is stored once,
and the last blanko is never used twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from rekam.errors import OpsRefused
from rekam.ops import blanko, events
from rekam.ops.models import BlankoEntry, ServiceEvent

from .conftest import MANY_PRR

CLIENTS = 4
STOCK = 12


def test_concurrent_retrying_clients_store_each_key_once(world, directory):
    db = world.db
    blanko.record(db, "PDG-DINAS", "received", STOCK, "terima-1")
    requests = [(f"cetak-{i}", nik, "pencetakan") for i, nik in enumerate(MANY_PRR)]
    requests += [(f"suket-{i}", nik, "surat_keterangan") for i, nik in enumerate(MANY_PRR)]
    answers: dict[str, set[int | str]] = {key: set() for key, _, _ in requests}
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(seed: int) -> int:
        mine = requests * 2  # every request sent twice: a retry after a lost answer
        random.Random(seed).shuffle(mine)
        start.wait()
        retries = 0
        for key, nik, kind in mine:
            for attempt in range(8):
                try:
                    event, _ = events.log_event(db, directory, world.op1, nik, kind, "PDG-DINAS", key)
                    answer: int | str = event.id
                    break
                except OpsRefused as exc:
                    answer = exc.reason
                    break
                except OperationalError:  # a busy database: the client retries, as a real one would
                    retries += 1
                    time.sleep(0.05 * (attempt + 1))
            else:
                raise AssertionError(f"{key}: no answer after retries")
            with lock:
                answers[key].add(answer)
        return retries

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))

    with db.read() as s:
        keys = s.execute(
            select(ServiceEvent.idempotency_key, func.count()).group_by(ServiceEvent.idempotency_key)
        ).all()
        used = s.scalar(select(func.count()).select_from(BlankoEntry).where(BlankoEntry.kind == "used"))
    stored = dict(keys)
    assert all(n == 1 for n in stored.values()), "a key stored twice"
    assert sum(k.startswith("suket-") for k in stored) == len(MANY_PRR)
    assert sum(k.startswith("cetak-") for k in stored) == STOCK == used
    assert blanko.current(db, "PDG-DINAS") == 0
    for key, seen in answers.items():
        ids = {a for a in seen if isinstance(a, int)}
        assert len(ids) <= 1, f"{key}: two different events answered"
        if key in stored:
            assert ids, key
        else:  # refused for want of blanko, every time it was refused
            assert seen == {"ops_no_blanko"} or ids, (key, seen)


def test_two_points_cannot_both_print_the_same_card(world, directory):
    db = world.db
    for point in ("PDG-DINAS", "PDG-KEC1"):
        blanko.record(db, point, "received", 5, f"terima-{point}")
    nik = MANY_PRR[0]
    start = threading.Barrier(6)

    def attempt(i: int) -> str:
        point = ("PDG-DINAS", "PDG-KEC1")[i % 2]
        start.wait()
        for tries in range(8):
            try:
                events.log_event(db, directory, world.dinas, nik, "pencetakan", point, f"cetak-{i}")
                return "printed"
            except OpsRefused as exc:
                return exc.reason
            except OperationalError:
                time.sleep(0.05 * (tries + 1))
        raise AssertionError("no answer after retries")

    with ThreadPoolExecutor(6) as pool:
        outcomes = sorted(pool.map(attempt, range(6)))
    assert outcomes == ["ops_print_already_printed"] * 5 + ["printed"]
    assert blanko.current(db, "PDG-DINAS") + blanko.current(db, "PDG-KEC1") == 9
