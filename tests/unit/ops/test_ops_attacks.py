"""The library's side of issue #13's ops findings (SQLite and PostgreSQL): what the web app and
the command line share. A user disabled after their object was loaded (the web caches it for
seconds) writes nothing; a point outside the scope is refused before its key is looked up;
control characters in stored text are refused naming the field."""

from __future__ import annotations

import pytest

from rekam.errors import OpsRefused, PermissionDenied
from rekam.ops import blanko, events, followup, queue, users

from .conftest import BELUM, UNKNOWN

P = "PDG-DINAS"


def test_a_user_disabled_after_loading_writes_nothing(world, directory):
    db = world.db
    blanko.record(db, P, "received", 5, "terima")
    queue.take(db, P, "q-waiting", world.op1)
    stale = users.load(db, "op1")  # what a web request holds from the token cache
    users.set_disabled(db, "op1")
    writes = (
        lambda: queue.take(db, P, "q-off", stale),
        lambda: queue.call_next(db, P, stale, "call-off"),
        lambda: blanko.record(db, P, "received", 3, "b-off", stale),
        lambda: blanko.count(db, P, 99, "c-off", stale),
        lambda: followup.report(db, stale, BELUM, "pindah", P, "f-off"),
        lambda: events.log_event(db, directory, stale, BELUM, "perekaman", P, "e-off"),
    )
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert blanko.current(db, P) == 5
    assert [t.state for t in queue.tickets(db, P)] == ["waiting"]
    assert events.list_events(db, P) == []


def test_a_point_outside_the_scope_is_refused_before_its_key_is_looked_up(world, directory):
    db = world.db
    blanko.record(db, P, "received", 5, "used-key", world.op1)
    queue.take(db, P, "used-key", world.op1)
    events.log_event(db, directory, world.op1, BELUM, "surat_keterangan", P, "used-key")
    for key in ("used-key", "unused-key"):  # the same answer whether the key exists or not
        for write in (
            lambda k=key: blanko.record(db, P, "received", 9, k, world.op_bkt),
            lambda k=key: queue.take(db, P, k, world.op_bkt, "perekaman"),
            lambda k=key: events.log_event(db, directory, world.op_bkt, UNKNOWN, "perekaman", P, k),
        ):
            with pytest.raises(PermissionDenied):
                write()


@pytest.mark.parametrize("bad", ["a\x00b", "\x1b[31m", "\ud800", "x\x7f"])
def test_control_characters_in_stored_text_are_refused_naming_the_field(world, directory, bad):
    db = world.db
    for write in (
        lambda: blanko.record(db, P, "received", 1, "b-nul", note=bad),
        lambda: blanko.count(db, P, 0, "c-nul", note=bad),
        lambda: followup.report(db, None, BELUM, "pindah", P, "f-nul", note=bad),
        lambda: events.log_event(db, directory, world.op1, BELUM, "perekaman", P, "e-nul", note=bad),
    ):
        with pytest.raises(OpsRefused) as refused:
            write()
        assert refused.value.reason == "ops_bad_text" and refused.value.params["field"] == "note"
    # a note's line breaks and tabs stay allowed
    entry, _ = blanko.record(db, P, "received", 1, "b-ok", note="dus 1\r\ndus 2\tok")
    assert entry.note == "dus 1\r\ndus 2\tok"
