"""A whole linkage run as the commands ask for it: match a list file (to the register or to
another list) or find the register's duplicates, write the result file and audit it.

The front door (``rekam.api``) checks the request and calls these; the file's summary sheet
(its labels) and the audit entry are made here, with the run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rekam import audit
from rekam.errors import UnknownRegion
from rekam.files import atomic_path

if TYPE_CHECKING:  # splink (under linkage.model) is imported when a run starts, not with rekam.api
    from rekam.linkage.model import Thresholds
    from rekam.register.store import Snapshot, Store


@dataclass(frozen=True)
class Output:
    """Where a run's rows go: ``out`` (.csv or .xlsx), NIKs whole or masked."""

    out: Path
    unmasked: bool = False

    @property
    def xlsx(self) -> bool:
        return self.out.suffix.lower() == ".xlsx"

    @property
    def nik(self) -> str:
        return "utuh" if self.unmasked else "disamarkan"


def match_list_file(
    home: Path,
    path: Path,
    thresholds: Thresholds,
    *,
    store: Store | None = None,
    snapshot: Snapshot | None = None,
    against: Path | None = None,
    kind: str | None = None,
    output: Output | None = None,
) -> dict[str, Any]:
    """Match the list ``path`` to ``snapshot`` of ``store`` or, with ``against``, to another list
    file; write ``output`` (audited in ``home``) when given. Returns {rows, match, review,
    no_match, kind, against}."""
    from rekam.linkage.match import match_file
    from rekam.linkage.output import AGAINST_COLUMNS, CSV_COLUMNS, write_csv, write_xlsx

    if against is None:
        assert store is not None and snapshot is not None
        run = match_file(store, snapshot, path, kind=kind, thresholds=thresholds)
        source, columns = snapshot.id, CSV_COLUMNS
    else:
        run = match_file(None, None, path, against=against, kind=kind, thresholds=thresholds)
        source, columns = against.name, AGAINST_COLUMNS
    decisions = run.table.column("decision").to_pylist()
    summary: dict[str, Any] = {
        "rows": len(decisions),
        **{d: decisions.count(d) for d in ("match", "review", "no_match")},
    }
    summary |= {"kind": run.kind, "against": "register" if against is None else against.name}
    if output is not None:
        out, unmasked = output.out, output.unmasked
        audit.record(
            home,
            "match",
            list=path.name,
            rows=summary["rows"],
            unmasked=unmasked,
            against=summary["against"],
            snapshot=source if against is None else None,
            out=str(out),
        )
        with atomic_path(out) as tmp:
            if output.xlsx:
                facts = [
                    ("Daftar", path.name),
                    ("Dicocokkan dengan", "register " + source if against is None else source),
                    ("Jenis daftar", run.kind),
                    ("Ambang match", thresholds.match),
                    ("Ambang review", thresholds.review),
                    ("Baris", summary["rows"]),
                    ("match", summary["match"]),
                    ("review", summary["review"]),
                    ("no_match", summary["no_match"]),
                    ("NIK", output.nik),
                ]
                write_xlsx(run.table, tmp, facts, unmasked=unmasked, columns=columns)
            else:
                write_csv(run.table, tmp, unmasked=unmasked, columns=columns)
    return summary


def dedupe_register(
    home: Path,
    store: Store,
    snapshot: Snapshot,
    prefix: str | None,
    threshold: float,
    output: Output | None = None,
) -> dict[str, Any]:
    """Pairs of residents of ``snapshot`` (of the dotted region ``prefix`` and below) that look
    like one person, clustered; ``output`` written (and audited in ``home``) when given.
    Returns {records, pairs, clusters, region}."""
    from rekam.analytics.engines import DuckDBEngine
    from rekam.linkage.dedupe import dedupe
    from rekam.linkage.output import write_pairs

    with DuckDBEngine(store, snapshot, prefix) as engine:
        where = f"WHERE desa_code LIKE '{prefix}%'" if prefix else ""  # prefix: a parsed, dotted region code
        engine.create_temp_view("dd_source", f"SELECT * FROM register {where}")
        if prefix and not engine.run("SELECT count(*) FROM dd_source", name="dedupe: residents of the region")[0][0]:
            raise UnknownRegion("unknown_region", code=prefix)
        run = dedupe(engine.duckdb_connection(), "dd_source", threshold=threshold)
    summary: dict[str, Any] = {
        "records": run.records,
        "pairs": run.table.num_rows,
        "clusters": run.clusters,
        "region": prefix,
    }
    if output is not None:
        out, unmasked = output.out, output.unmasked
        audit.record(
            home, "dedupe", region=prefix, pairs=summary["pairs"], unmasked=unmasked, snapshot=snapshot.id, out=str(out)
        )
        facts = [
            ("Register", f"snapshot {snapshot.id}"),
            ("Wilayah", prefix or "semua"),
            ("Ambang", threshold),
            ("Penduduk dibandingkan", run.records),
            ("Pasangan", summary["pairs"]),
            ("Kelompok", run.clusters),
            ("NIK", output.nik),
        ]
        with atomic_path(out) as tmp:
            write_pairs(run.table, tmp, facts, unmasked=unmasked, xlsx=output.xlsx)
    return summary
