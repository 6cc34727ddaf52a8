"""The snapshot diff kept with each import (issue 16): who is new to the register, who is gone,
who moved between desa, who became wajib KTP-el and who became recorded, per kab/kota and desa.

Computed once, at import, over the kab/kota the import replaces (the others keep their files:
their diff is zero), by ONE DuckDB query: the previous snapshot's rows of those kab/kota FULL
OUTER JOIN the new snapshot's on NIK, counted per (desa before, desa after). The small result is
rolled up in Python to each desa and kab/kota, each with its own boundary (a move between two
desa of one kab/kota moves nobody in or out of the kab/kota). Definitions (docs/import.md):

- baru (new): a NIK in the region now that was in none of the replaced kab/kota before (moved
  in from elsewhere, born, or newly registered).
- hilang (gone): a NIK in the region before that is in none of the replaced kab/kota now
  (moved out, died, or removed).
- pindah masuk / pindah keluar (moved in / out): a NIK in both, in another desa before (in)
  or after (out); for a kab/kota, in another kab/kota.
- baru wajib (newly wajib): a NIK in both, not wajib KTP-el before, wajib now; baru rekam
  (newly recorded): a NIK in both, not sudah rekam before, sudah rekam now. Both by the
  coverage figures' own definitions (``coverage.definitions``: "wajib" and "sudah_rekam"),
  each side on its own export date; counted where the person lives now.
- before / after: the region's rows in each snapshot; always
  ``after = before + new - gone + moved_in - moved_out``.

Counts only: the kept diff names nobody. ``changed_people_sql`` gives the same definitions
person by person for the by-name output (``rekam snapshots diff --kind``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rekam import duck
from rekam.analytics.coverage import definitions
from rekam.register import gazetteer
from rekam.register.store import Snapshot, Store

#: The counts of each region, in the order shown.
COUNTS: tuple[str, ...] = (
    "before",
    "after",
    "new",
    "gone",
    "moved_in",
    "moved_out",
    "newly_wajib",
    "newly_recorded",
)
#: The kinds of change a by-name list can ask for.
KINDS: tuple[str, ...] = ("new", "gone", "moved", "newly-wajib", "newly-recorded")
#: The by-name list's columns (SIAK's names where SIAK has one), as ``Rekam.write_diff_people`` writes them.
PEOPLE_COLUMNS: tuple[str, ...] = (
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TGL_LHR",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "DESA_SEBELUM",
    "DESA_SESUDAH",
)


@dataclass
class SnapshotDiff:
    """The diff of ``snapshot`` against ``parent`` (None: the first snapshot, no diff)."""

    snapshot: str
    parent: str | None
    kab_codes: list[str]
    #: One row per region: level ("kab" or "desa"), region_code, region_name, then ``COUNTS``.
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first(self) -> bool:
        return self.parent is None

    def level(self, level: str, within: str | None = None, changed_only: bool = False) -> list[dict[str, Any]]:
        """The rows of ``level`` (kab or desa), in ``within`` (a region code) when given;
        ``changed_only``: those with a change."""
        out = [r for r in self.rows if r["level"] == level]
        if within:
            out = [r for r in out if r["region_code"] == within or r["region_code"].startswith(within + ".")]
        if changed_only:
            out = [r for r in out if any(r[k] for k in COUNTS[2:])]
        return out

    def as_json(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "parent": self.parent, "kab_codes": self.kab_codes, "rows": self.rows}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SnapshotDiff:
        return cls(data["snapshot"], data.get("parent"), list(data.get("kab_codes", [])), list(data.get("rows", [])))


def _side_sql(store: Store, snapshot: Snapshot, kabs: Iterable[str], columns: str = "") -> str | None:
    """The snapshot's accepted rows of ``kabs``: nik, desa_code, ``columns``, and ``wajib`` and
    ``recorded`` (sudah rekam) as of each part's export date (one branch per import); None when
    the snapshot has none of ``kabs``."""
    by_import: dict[tuple[str, date], tuple[list[str], set[str]]] = {}
    for kab in sorted(kabs):
        part = snapshot.parts.get(kab)
        if part is None:
            continue
        names, files = by_import.setdefault((part.import_id, part.export_date), ([], set()))
        names.append(kab)
        files.update(str(store.absolute(f)) for f in part.files)
    branches = []
    for (_, day), (names, files) in sorted(by_import.items()):
        flags, counts = definitions(day, None, 1)
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in sorted(files))
        codes = ", ".join(f"'{k}'" for k in names)
        branches.append(
            f"SELECT nik, desa_code{columns}, "
            f"coalesce({flags['w']}, false) AS w, coalesce({flags['r']}, false) AS r "
            f"FROM read_parquet([{listed}]) WHERE accepted AND kab_code IN ({codes})"
        )
    if not branches:
        return None
    # The coverage figures' own counts (the same formulas on every date), over the flags w and r.
    wajib, recorded = counts["wajib"], counts["sudah_rekam"]
    return (
        f"SELECT * EXCLUDE (w, r), ({wajib}) AS wajib, ({recorded}) AS recorded FROM ("
        + " UNION ALL ".join(branches)
        + ")"
    )


def diff_sql(store: Store, parent: Snapshot, snapshot: Snapshot, kabs: Iterable[str]) -> str:
    """One pass: the two sides joined on NIK, counted per (desa before, desa after)."""
    return f"""
WITH {_sides(store, parent, snapshot, list(kabs))}
SELECT o.desa_code AS before, n.desa_code AS after, count(*) AS people,
  count_if(o.nik IS NOT NULL AND n.nik IS NOT NULL AND n.wajib AND NOT o.wajib) AS newly_wajib,
  count_if(o.nik IS NOT NULL AND n.nik IS NOT NULL AND n.recorded AND NOT o.recorded) AS newly_recorded
FROM o FULL OUTER JOIN n ON o.nik = n.nik
GROUP BY ALL
"""


def _sides(store: Store, parent: Snapshot, snapshot: Snapshot, kabs: list[str], columns: str = "") -> str:
    """The CTEs ``o`` (before) and ``n`` (after); a side without any of ``kabs`` (a kab/kota new
    to the register, or gone from it) is the other side's columns with no rows."""
    old, new = _side_sql(store, parent, kabs, columns), _side_sql(store, snapshot, kabs, columns)
    if old is None and new is None:
        raise ValueError("neither snapshot has a row of the kab/kota compared")
    return f"o AS ({old or f'SELECT * FROM ({new}) WHERE false'}), n AS ({new or f'SELECT * FROM ({old}) WHERE false'})"


def compute(store: Store, parent: Snapshot | None, snapshot: Snapshot, memory_limit: str | None = None) -> SnapshotDiff:
    """The diff of ``snapshot`` against ``parent`` over the kab/kota ``snapshot``'s import
    replaced (``figures["kab_codes"]``, else those whose part differs from the parent's)."""
    kabs = sorted(snapshot.figures.get("kab_codes") or changed_kabs(parent, snapshot))
    if parent is None:
        return SnapshotDiff(snapshot.id, None, kabs)
    if not kabs:
        return SnapshotDiff(snapshot.id, parent.id, kabs)
    con = duck.connect(memory_limit=memory_limit, preserve_insertion_order=False)
    try:
        groups = con.execute(diff_sql(store, parent, snapshot, kabs)).fetchall()
    finally:
        con.close()
    return SnapshotDiff(snapshot.id, parent.id, kabs, roll_up(groups, kabs))


def changed_kabs(parent: Snapshot | None, snapshot: Snapshot) -> list[str]:
    """The kab/kota whose part differs between the two snapshots."""
    old = parent.parts if parent else {}
    return [k for k, p in snapshot.parts.items() if old.get(k) != p] + [k for k in old if k not in snapshot.parts]


def _kab(desa: str) -> str:
    return ".".join(desa.split(".")[:2])


def roll_up(groups: Iterable[tuple[Any, ...]], kabs: Iterable[str]) -> list[dict[str, Any]]:
    """The counts per (desa before, desa after) added up to each desa and kab/kota."""
    table: dict[tuple[str, str], dict[str, int]] = {("kab", k): dict.fromkeys(COUNTS, 0) for k in kabs}

    def add(level: str, code: str, key: str, n: int) -> None:
        table.setdefault((level, code), dict.fromkeys(COUNTS, 0))[key] += n

    for before, after, people, newly_wajib, newly_recorded in groups:
        for level, pick in (("desa", str), ("kab", _kab)):
            b = pick(before) if before is not None else None
            a = pick(after) if after is not None else None
            if b is not None:
                add(level, b, "before", people)
            if a is not None:
                add(level, a, "after", people)
                add(level, a, "newly_wajib", newly_wajib)
                add(level, a, "newly_recorded", newly_recorded)
            if b is None and a is not None:
                add(level, a, "new", people)
            elif a is None and b is not None:
                add(level, b, "gone", people)
            elif a != b and a is not None and b is not None:
                add(level, b, "moved_out", people)
                add(level, a, "moved_in", people)
    return [
        {"level": level, "region_code": code, "region_name": gazetteer.name_of(code), **counts}
        for (level, code), counts in sorted(table.items(), key=lambda item: (item[0][0] != "kab", item[0][1]))
    ]


def changed_people_sql(
    store: Store, parent: Snapshot, snapshot: Snapshot, kabs: Iterable[str], kind: str, region: str | None
) -> str:
    """The NIKs of one kind of change (``KINDS``) in ``region`` (the desa or kab/kota they are
    counted in, as in ``roll_up``): nik, desa before, desa after, and the person's row of the
    snapshot that has it (the new one, the old one for the gone)."""
    if kind not in KINDS:
        raise ValueError(f"not a diff kind: {kind!r}")
    extra = ", kk, name, sex, birth_date, address, rt, rw"
    where = {
        "new": "o.nik IS NULL",
        "gone": "n.nik IS NULL",
        "moved": "o.nik IS NOT NULL AND n.nik IS NOT NULL AND o.desa_code <> n.desa_code",
        "newly-wajib": "o.nik IS NOT NULL AND n.nik IS NOT NULL AND n.wajib AND NOT o.wajib",
        "newly-recorded": "o.nik IS NOT NULL AND n.nik IS NOT NULL AND n.recorded AND NOT o.recorded",
    }[kind]
    place = "coalesce(n.desa_code, o.desa_code)"
    if region:
        r = region.replace("'", "''")
        inside = (
            f"(o.desa_code = '{r}' OR o.desa_code LIKE '{r}.%' OR n.desa_code = '{r}' OR n.desa_code LIKE '{r}.%')"
            if kind == "moved"
            else f"({place} = '{r}' OR {place} LIKE '{r}.%')"
        )
        where = f"{where} AND {inside}"
    cols = ", ".join(
        f"coalesce(n.{c}, o.{c}) AS {c}" for c in ("kk", "name", "sex", "birth_date", "address", "rt", "rw")
    )
    return f"""
WITH {_sides(store, parent, snapshot, list(kabs), extra)}
SELECT coalesce(n.nik, o.nik) AS nik, o.desa_code AS desa_before, n.desa_code AS desa_after, {cols}
FROM o FULL OUTER JOIN n ON o.nik = n.nik
WHERE {where}
ORDER BY {place}, rw, rt, kk, nik
"""
