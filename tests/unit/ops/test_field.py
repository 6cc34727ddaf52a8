"""Jemput bola in the field (issue 20), on SQLite and PostgreSQL: the tim role, devices and
their revocation, and every outcome a device sends doing what docs/ops.md says, once per key."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from rekam.errors import DeviceRevoked, NotAuthenticated, OpsInvalid, PermissionDenied
from rekam.ops import field, followup, points, users
from rekam.ops.models import AuditEntry, FieldOutcomeRow, FollowUp, ServiceEvent

from .conftest import BELUM, BIO, PASSWORD, PRR, UNKNOWN, nik

STOP = "2024-11-14/T01/1"
AT = datetime(2024, 11, 14, 3, 30, tzinfo=UTC)  # 10:30 in Padang


@pytest.fixture
def team(world):  # type: ignore[no-untyped-def]
    """Two team leaders of team T01 (two phones of one team) and one of T02, at keliling points."""
    points.add_point(world.db, "TIM-PDG-1", "Tim jemput bola 1", "13.71", "keliling")
    points.add_point(world.db, "TIM-PDG-2", "Tim jemput bola 2", "13.71", "keliling")
    users.add_user(world.db, "ketua1", PASSWORD, "tim", None, "TIM-PDG-1", team="T01")
    users.add_user(world.db, "wakil1", PASSWORD, "tim", None, "TIM-PDG-1", team="T01")
    users.add_user(world.db, "ketua2", PASSWORD, "tim", None, "TIM-PDG-2", team="T02")
    return {name: users.load(world.db, name) for name in ("ketua1", "wakil1", "ketua2")}


def item(outcome: str, key: str | None = None, **kw: object) -> dict[str, object]:
    return {"key": key or str(uuid.uuid4()), "stop_id": STOP, "outcome": outcome, "occurred_at": AT.isoformat()} | kw


def count(world, model) -> int:  # type: ignore[no-untyped-def]
    with world.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_tim_user_needs_a_keliling_point_and_a_team(world, team):
    made = users.list_users(world.db)
    ketua = next(u for u in made if u.username == "ketua1")
    assert ketua.role == "tim" and ketua.team == "T01" and ketua.region == "13.71"
    assert ketua.as_json()["team"] == "T01"
    with pytest.raises(OpsInvalid, match="keliling"):
        users.add_user(world.db, "ketua9", PASSWORD, "tim", None, "PDG-DINAS", team="T09")
    with pytest.raises(OpsInvalid, match="--team"):
        users.add_user(world.db, "ketua9", PASSWORD, "tim", None, "TIM-PDG-1")
    with pytest.raises(OpsInvalid, match="--service-point"):
        users.add_user(world.db, "ketua9", PASSWORD, "tim", "13.71", team="T09")
    with pytest.raises(OpsInvalid, match="--team"):
        users.add_user(world.db, "op9", PASSWORD, "operator", None, "PDG-DINAS", team="T09")
    with pytest.raises(OpsInvalid):
        users.add_user(world.db, "ketua9", PASSWORD, "tim", None, "TIM-PDG-1", team="T 09")
    # A team leader manages nobody and sees no aggregate, like an operator.
    with pytest.raises(PermissionDenied):
        users.add_user(world.db, "op9", PASSWORD, "operator", None, "TIM-PDG-1", actor=team["ketua1"])
    from rekam.ops import scope

    assert not scope.may_region(team["ketua1"], "13.71")
    with world.db.read() as s:
        assert scope.may_point(team["ketua1"], points.get(s, "TIM-PDG-1"), "write")
        assert not scope.may_point(team["ketua1"], points.get(s, "TIM-PDG-2"), "write")
        assert not scope.may_point(team["ketua1"], points.get(s, "PDG-DINAS"), "read")


def test_devices_register_only_for_tim_and_a_revoked_one_stores_nothing(world, team, directory):
    with pytest.raises(PermissionDenied):
        field.register_device(world.db, world.op1, "loket")
    phone = field.register_device(world.db, team["ketua1"], "  HP   Ketua ")
    assert len(phone.id) == 32 and int(phone.id, 16) >= 0 and phone.label == "HP Ketua"
    assert field.check(world.db, phone.id, "ketua1").id == phone.id
    with pytest.raises(NotAuthenticated):  # another user's device
        field.check(world.db, phone.id, "wakil1")
    stored = field.record(world.db, directory, team["ketua1"], phone.id, [item("tidak_hadir", nik=BELUM)])
    assert [r.status for r in stored] == ["stored"]
    # Revocation: an operator or a team leader may not; a dinas of another kab/kota may not.
    for who in (world.op1, team["ketua1"], world.op_bkt):
        with pytest.raises(PermissionDenied):
            field.revoke(world.db, phone.id, who)
    with pytest.raises(PermissionDenied):
        bkt = users.add_user(world.db, "dinas-bkt", PASSWORD, "dinas", "13.75")
        field.revoke(world.db, phone.id, users.load(world.db, bkt.username))
    assert [d.id for d in field.list_devices(world.db, world.dinas)] == [phone.id]
    assert field.list_devices(world.db, users.load(world.db, "dinas-bkt")) == []
    revoked = field.revoke(world.db, phone.id, world.dinas)
    assert revoked.revoked and revoked.revoked_by == "dinas"
    assert field.revoke(world.db, phone.id, world.dinas).revoked_at == revoked.revoked_at  # once
    before = (count(world, FieldOutcomeRow), count(world, ServiceEvent), count(world, FollowUp))
    with pytest.raises(DeviceRevoked) as caught:
        field.record(
            world.db,
            directory,
            team["ketua1"],
            phone.id,
            [item("direkam", nik=BELUM), item("pindah", nik=PRR), item("menolak", nik=BIO)],
        )
    assert caught.value.code == "device_revoked" and "dicabut" in str(caught.value)
    assert (count(world, FieldOutcomeRow), count(world, ServiceEvent), count(world, FollowUp)) == before
    with world.db.read() as s:
        actions = [a for (a,) in s.execute(select(AuditEntry.action).order_by(AuditEntry.id))]
    assert {"daftar_perangkat", "cabut_perangkat", "hasil_lapangan"} <= set(actions)
    with pytest.raises(Exception, match="tidak ada"):
        field.revoke(world.db, "0" * 32, world.dinas)


def test_every_outcome_does_what_the_rules_say(world, team, directory):
    phone = field.register_device(world.db, team["ketua1"], "hp")
    moved, died, absent = nik(501), nik(502), nik(503)
    batch = [
        item("direkam", nik=BELUM),
        item("gagal_rekam", nik=nik(504)),
        item("aktivasi_ikd", nik=PRR),
        item("aktivasi_ikd", nik=nik(505)),  # not recorded: refused like the desk
        item("pindah", nik=moved),
        item("meninggal", nik=died),
        item("tidak_hadir", nik=absent),
        item("menolak", nik=nik(506)),
        item("sudah_punya_ktp", nik=nik(507)),
        item("belum_16", nik=nik(508)),
    ]
    results = field.record(world.db, directory, team["ketua1"], phone.id, batch, plan="padang-1")
    assert [r.key for r in results] == [i["key"] for i in batch]
    assert [r.status for r in results] == ["stored"] * 3 + ["refused"] + ["stored"] * 6
    assert "IKD" in (results[3].message or "") and results[3].code == "ops_ikd_not_recorded"
    with world.db.read() as s:
        evs = {
            (e.nik, e.kind, e.outcome, e.service_point_id, e.idempotency_key) for e in s.scalars(select(ServiceEvent))
        }
        cases = {(f.nik, f.kind) for f in s.scalars(select(FollowUp))}
    assert evs == {
        (BELUM, "perekaman", "selesai", "TIM-PDG-1", batch[0]["key"]),
        (nik(504), "perekaman", "gagal", "TIM-PDG-1", batch[1]["key"]),
        (PRR, "aktivasi_ikd", "selesai", "TIM-PDG-1", batch[2]["key"]),
    }
    assert (moved, "pindah") in cases and (died, "meninggal") in cases
    assert not any(n in (absent, nik(506), nik(507), nik(508)) for n, _ in cases)
    found = field.outcomes(world.db)
    assert len(found) == 9 and {f.outcome for f in found} == set(field.OUTCOMES) - set()  # all kinds stored
    first = next(f for f in found if f.key == batch[0]["key"])
    assert first.team == "T01" and first.service_point == "TIM-PDG-1" and first.plan == "padang-1"
    assert first.event_id is not None and first.occurred_at == AT and first.stop_id == STOP
    assert next(f for f in found if f.outcome == "tidak_hadir").event_id is None
    # The desk's follow-up export lists the field's moves and deaths (tindak lanjut).
    rows = followup.rows(world.db, world.dinas, "13.71")
    assert {(r.kind, r.nik) for r in rows} >= {("pindah", moved), ("meninggal", died)}
    # outcomes(): by team and by local day.
    assert field.outcomes(world.db, team="T02") == []
    assert len(field.outcomes(world.db, since=date(2024, 11, 14), until=date(2024, 11, 14))) == 9
    assert field.outcomes(world.db, since=date(2024, 11, 15)) == []


def test_a_key_sent_twice_is_stored_once_in_any_order(world, team, directory):
    phone = field.register_device(world.db, team["ketua1"], "hp")
    a, b, c = item("direkam", nik=BELUM), item("tidak_hadir", nik=nik(601)), item("pindah", nik=nik(602))
    first = field.record(world.db, directory, team["ketua1"], phone.id, [a, b])
    assert [r.status for r in first] == ["stored", "stored"]
    again = field.record(world.db, directory, team["ketua1"], phone.id, [c, b, a])  # a retry, reordered
    assert [(r.key, r.status) for r in again] == [(c["key"], "stored"), (b["key"], "already"), (a["key"], "already")]
    assert count(world, FieldOutcomeRow) == 3 and count(world, ServiceEvent) == 1 and count(world, FollowUp) == 1
    changed = field.record(world.db, directory, team["ketua1"], phone.id, [a | {"outcome": "menolak"}])
    assert changed[0].status == "refused" and changed[0].code == "idempotency_conflict"
    assert count(world, FieldOutcomeRow) == 3
    with pytest.raises(OpsInvalid):
        field.record(world.db, directory, team["ketua1"], phone.id, [item("menolak", nik=BIO)] * 201)


def test_two_devices_of_one_team_record_a_person_once(world, team, directory):
    one = field.register_device(world.db, team["ketua1"], "hp 1")
    two = field.register_device(world.db, team["wakil1"], "hp 2")
    first = field.record(world.db, directory, team["ketua1"], one.id, [item("direkam", nik=BELUM)])
    second = field.record(
        world.db,
        directory,
        team["wakil1"],
        two.id,
        [item("direkam", nik=BELUM, occurred_at=(AT + timedelta(minutes=5)).isoformat())],
    )
    assert first[0].status == "stored"
    assert (
        second[0].status == "already" and second[0].code == "sudah_direkam" and "dua kali" in (second[0].message or "")
    )
    with world.db.read() as s:
        recordings = s.scalars(select(ServiceEvent).where(ServiceEvent.nik == BELUM)).all()
    assert len(recordings) == 1
    linked = {f.key: f.event_id for f in field.outcomes(world.db)}
    assert set(linked.values()) == {recordings[0].id}
    # Someone recorded already by the register's snapshot: no event, the field outcome only.
    known = field.record(world.db, directory, team["ketua1"], one.id, [item("direkam", nik=BIO)])
    assert known[0].status == "already" and known[0].code == "sudah_direkam"
    assert count(world, ServiceEvent) == 1 and count(world, FieldOutcomeRow) == 3


def test_a_person_not_on_the_list_by_nik_or_by_name(world, team, directory):
    phone = field.register_device(world.db, team["ketua1"], "hp")
    bad_serial = BELUM[:12] + "0000"
    bad_date = BELUM[:6] + "329913" + BELUM[12:]
    results = field.record(
        world.db,
        directory,
        team["ketua1"],
        phone.id,
        [
            item("direkam", nik=bad_serial),
            item("direkam", nik=bad_date),
            item("direkam", nik="12345"),
            item("direkam", nik=UNKNOWN),  # a newcomer: recorded, and flagged for SIAK
            item("tidak_hadir", name="Budi Santoso", birth_date="2007-03-02"),
            item("direkam", name="Budi Santoso", birth_date="2007-03-02"),
            item("menolak"),  # nobody named
            item("direkam", ref="imp:file.csv:12"),  # a list row the caller did not resolve
            item("menolak", nik=BIO, stop_id="2024-11-14/T02/1"),  # another team's stop
            item("menolak", nik=BIO, occurred_at="2024-11-14T10:30:00"),  # no time zone
            item("menolak", name="Budi\x00", birth_date="2007-03-02"),  # a NUL: refused, not a database error
        ],
    )
    assert [r.status for r in results] == ["refused"] * 3 + ["stored", "stored"] + ["refused"] * 6
    assert "serial" in (results[0].message or "").lower() or "urut" in (results[0].message or "").lower()
    assert "lahir" in (results[1].message or "").lower()
    assert "16" in (results[2].message or "")
    for r in results:  # no NIK in a message
        assert BELUM[6:] not in (r.message or "") and UNKNOWN not in (r.message or "")
    assert results[5].code == "field_nik_needed" and results[6].code == "field_person_needed"
    assert results[7].code == "field_unknown_ref" and results[8].code == "field_stop_other_team"
    with world.db.read() as s:
        by_name = s.scalars(select(FieldOutcomeRow).where(FieldOutcomeRow.nik.is_(None))).one()
        assert (by_name.name, by_name.birth_date) == ("Budi Santoso", date(2007, 3, 2))
        newcomer = s.scalars(select(ServiceEvent).where(ServiceEvent.nik == UNKNOWN)).one()
        assert newcomer.siak_follow_up
    # A list row resolved by the caller (rekam.api reads the register) is that person.
    ref = field.record(
        world.db, directory, team["ketua1"], phone.id, [item("direkam", ref="imp:f.csv:3")], refs={"imp:f.csv:3": BELUM}
    )
    assert ref[0].status == "stored"
    with world.db.read() as s:
        assert s.scalars(select(ServiceEvent.nik).where(ServiceEvent.idempotency_key == ref[0].key)).one() == BELUM
