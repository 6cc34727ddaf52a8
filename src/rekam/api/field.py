"""Jemput bola in the field (issue 20): a team leader's devices, the by-name people of the
team's stops, and the outcomes the devices send back. Rules: ``rekam.ops.field``, docs/ops.md.
The ops modules are imported when a call is made, not with ``rekam.api``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from rekam.api.lists import Lists

if TYPE_CHECKING:
    from rekam.analytics.lists import ListKind
    from rekam.ops.field import Device, Result
    from rekam.ops.models import User

#: The lists a stop's people come from: belum-rekam, and belum-ikd when the plan has the IKD cohort.
FIELD_LISTS = ("belum-rekam", "belum-ikd")


class Field(Lists):
    """(A ``Lists`` too: a stop's people are the by-name lists' own.)"""

    def register_device(self, user: User, label: str | None = None) -> Device:
        """A new device of ``user`` (role tim, already authenticated); audited."""
        from rekam.ops import field

        return field.register_device(self.ops_db(), user, label)

    def check_device(self, device_id: str, username: str) -> Device:
        """The device, when it may still sync; ``DeviceRevoked`` when it was revoked."""
        from rekam.ops import field

        return field.check(self.ops_db(), device_id, username)

    def list_devices(self, actor: User | None = None) -> list[Device]:
        """The field devices the actor may see (None: all), oldest first."""
        from rekam.ops import field

        return field.list_devices(self.ops_db(), actor)

    def revoke_device(self, device_id: str, actor: User | None = None) -> Device:
        """Revoke a field device (admin and dinas of its point's region); audited."""
        from rekam.ops import field

        return field.revoke(self.ops_db(), device_id, actor)

    def field_people(
        self,
        actor: User,
        desa_codes: Iterable[str],
        kinds: Sequence[str],
        as_of: date | None = None,
        lang: str | None = None,
    ) -> tuple[dict[str, list[dict[str, Any]]], str]:
        """The people of ``kinds`` (``FIELD_LISTS``) in each desa, as a device keeps them: masked
        NIK, name, age, sex, RT/RW/dusun, status and list; no KK, no birth date, no address. A
        person with a completed recording (perekaman, rekam ulang) since the snapshot, at a counter
        or in the field, is still listed, marked ``recorded_since`` (the day, ISO); on the
        belum-ikd list, one with a completed IKD activation since, ``ikd_since``: the team does
        not serve them again. One ops audit line for the whole answer (by-name access).
        ``(by desa, snapshot id)``."""
        from rekam.domain.nik import mask_nik
        from rekam.domain.recording import status_word
        from rekam.messages import language, text_in
        from rekam.ops import audit as ops_audit
        from rekam.ops import field

        lang = lang or language()
        listed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        snap = self.store().require_current()
        for desa in sorted(set(desa_codes)):
            rows: list[tuple[str, dict[str, Any]]] = []
            seen: set[str] = set()
            for kind in kinds:
                people, snap = self.list_people(cast("ListKind", kind), desa, as_of)
                for p in people:
                    if p.row_key in seen:
                        continue
                    seen.add(p.row_key)
                    row = {
                        "ref": p.row_key,
                        "nik": mask_nik(p.nik),
                        "name": p.name,
                        "age": p.age,
                        "sex": p.sex,
                        "rt": p.rt,
                        "rw": p.rw,
                        "dusun": p.dusun,
                        "status": text_in(lang, f"status_{status_word(p.ktp_status).value}"),
                        "list": kind,
                    }
                    rows.append((p.nik, row))
            listed[desa] = rows
        snapshot = snap.id
        recorded, activated = field.served_since(
            self.ops_db(), [nik for rows in listed.values() for nik, _ in rows], snap.export_date
        )
        out: dict[str, list[dict[str, Any]]] = {}
        for desa, rows in listed.items():
            for nik, row in rows:
                if nik in recorded:
                    row["recorded_since"] = recorded[nik].isoformat()
                if row["list"] == "belum-ikd" and nik in activated:
                    row["ikd_since"] = activated[nik].isoformat()
            out[desa] = [row for _, row in rows]
        ops_audit.record(
            self.ops_db(),
            actor,
            "hari_lapangan",
            service_point=actor.service_point_id,
            team=actor.team,
            desa=sorted(out),
            lists=list(kinds),
            rows=sum(len(v) for v in out.values()),
            unmasked=False,
            snapshot=snapshot,
        )
        return out, snapshot

    def field_record(
        self, actor: User, device_id: str, items: Sequence[Mapping[str, Any]], plan: str | None = None
    ) -> list[Result]:
        """Store a device's outcomes (``ops.field.record``): the list row keys they name are read
        from the current snapshot, within the team's point's region."""
        from rekam.analytics.engines import open_engine
        from rekam.analytics.lists import niks_of
        from rekam.ops import field
        from rekam.ops.points import get_info

        db = self.ops_db()
        field.check(db, device_id, actor.username)  # a revoked device: refused before the register is read
        refs = [i.get("ref") for i in items if isinstance(i, Mapping) and isinstance(i.get("ref"), str)]
        found: dict[str, str] = {}
        if refs and actor.service_point_id:
            region = get_info(db, actor.service_point_id, actor).region
            st = self.store()
            with open_engine(
                self.settings.engine, st, st.require_current(), region, spark_master=self.settings.spark_master
            ) as eng:
                found = niks_of(eng, refs)  # type: ignore[arg-type]
        from rekam.ops.residents import current_directory

        return field.record(db, current_directory(self.settings.home), actor, device_id, items, plan, found)
