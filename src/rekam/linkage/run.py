"""A whole linkage run as the commands ask for it: match a list file (to the register or to
another list) or find the register's duplicates, write the result file and audit it; read the
decisions of a returned review sheet back (``decide_review``).

The front door (``rekam.api``) checks the request and calls these; the file's summary sheet
(its labels) and the audit entry are made here, with the run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rekam import audit
from rekam.errors import IngestError, UnknownRegion, VerificationFailed
from rekam.files import atomic_path
from rekam.linkage import results
from rekam.linkage.review import Sheet
from rekam.messages import text

if TYPE_CHECKING:  # splink (under linkage.model) is imported when a run starts, not with rekam.api
    from rekam.linkage.match import SparkTarget
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
    memory_limit: str | None = None,
    spark: SparkTarget | None = None,
) -> dict[str, Any]:
    """Match the list ``path`` to ``snapshot`` of ``store`` or, with ``against``, to another list
    file, the pairs scored on Spark with ``spark``; write ``output`` (audited in ``home``) when
    given. Returns {rows, match, review, no_match, kind, against}. ``memory_limit`` bounds
    DuckDB's memory (``match.match_file``)."""
    from rekam.linkage.match import match_file
    from rekam.linkage.output import AGAINST_COLUMNS, CSV_COLUMNS, write_csv, write_xlsx

    review = output is not None and output.xlsx  # the workbook's Periksa sheet shows the candidates
    if against is None:
        assert store is not None and snapshot is not None
        run = match_file(
            store,
            snapshot,
            path,
            kind=kind,
            thresholds=thresholds,
            review=review,
            memory_limit=memory_limit,
            spark=spark,
        )
        source, columns = snapshot.id, CSV_COLUMNS
    else:
        run = match_file(
            None,
            None,
            path,
            against=against,
            kind=kind,
            thresholds=thresholds,
            review=review,
            memory_limit=memory_limit,
            spark=spark,
        )
        source, columns = against.name, AGAINST_COLUMNS
    decisions = run.table.column("decision").to_pylist()
    summary: dict[str, Any] = {
        "rows": len(decisions),
        **{d: decisions.count(d) for d in ("match", "review", "no_match")},
    }
    summary |= {"kind": run.kind, "against": "register" if against is None else against.name}
    if output is not None:
        out, unmasked = output.out, output.unmasked
        result = results.new_id() if output.xlsx else None
        audit.record(
            home,
            "match",
            list=path.name,
            rows=summary["rows"],
            unmasked=unmasked,
            against=summary["against"],
            snapshot=source if against is None else None,
            out=str(out),
            # the review sheet shows the register's values of these candidates beside the list's rows
            result=result,
            candidates=sum(len(r.candidates) for r in run.review) if result else None,
        )
        if result is not None:
            summary["result"] = result
            kept = results.keep(
                home,
                result,
                run.table,
                run.review,
                {"list": path.name, "against": summary["against"], "snapshot": source, "kind": run.kind},
                ids_are_nik=against is None,
                unmasked=unmasked,
            )
            sheet = Sheet(run.review, kept.key, against is None, [("result", result), ("list", path.name)])
        with atomic_path(out) as tmp:
            if result is not None:
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
                    ("Hasil", result),
                    (
                        "Memutuskan baris review",
                        f"lembar Periksa, kolom keputusan: cocok 1 ... cocok 3 atau bukan; lalu: rekam match --decide {out.name}",
                    ),
                ]
                write_xlsx(run.table, tmp, facts, unmasked=unmasked, columns=columns, review=sheet)
            else:
                write_csv(run.table, tmp, unmasked=unmasked, columns=columns)
    return summary


def decide_review(home: Path, path: Path, output: Output | None = None, as_user: str | None = None) -> dict[str, Any]:
    """Read the decisions of a returned review workbook (``path``) and store them with its kept
    result, all or nothing (``results.check``: every problem named by row and column, then
    nothing stored); each new decision audited in ``home`` (``as_user``: the rekam user, else
    the machine's). ``output`` (written and audited when given): the result with every stored
    decision applied. Returns {rows, applied, unchanged, undecided, refused, match, no_match,
    result}: rows read = applied + unchanged + undecided + refused."""
    from rekam.linkage import review

    try:
        found = review.read_sheet(path)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise IngestError("file_unreadable", file=path.name, detail="xlsx") from None
    if found is None:
        raise IngestError("review_not_rekam", file=path.name)
    meta, sheet = found
    kept = results.load(home, meta["result"])
    if kept is None:
        raise IngestError("review_unknown_result", file=path.name, result=meta["result"][:20])
    checked = results.check(kept, sheet)
    if checked.problems:
        lines = [
            text(
                "review_where",
                sheet=review.SHEET,
                row=p.row,
                column=p.column,
                problem=text(p.key, **p.params),
            )
            for p in checked.problems
        ]
        raise VerificationFailed("review_failed", lines, file=path.name, rows=checked.rows, refused=checked.refused)
    counts = results.decide(home, kept, checked.decisions, path.name, as_user)
    summary: dict[str, Any] = {
        "rows": checked.rows,
        "applied": counts["applied"],
        "unchanged": counts["unchanged"],
        "undecided": checked.rows - len(checked.decisions),
        "refused": 0,
        "match": counts["match"],
        "no_match": counts["no_match"],
        "result": kept.id,
    }
    if output is not None:
        write_decided(home, kept, output, as_user)
    return summary


def write_decided(home: Path, kept: results.Kept, output: Output, as_user: str | None = None) -> int:
    """Write the kept result with its stored decisions applied (``results.decided_table``) to
    ``output`` (CSV or XLSX, a last column ``decided_by``); audited. Returns the rows written."""
    from rekam.linkage.output import AGAINST_COLUMNS, CSV_COLUMNS, DECIDED_BY, write_csv, write_xlsx

    table = results.decided_table(home, kept)
    ids_are_nik = bool(kept.facts.get("ids_are_nik"))
    columns = (*(CSV_COLUMNS if ids_are_nik else AGAINST_COLUMNS), DECIDED_BY)
    decisions = table.column("decision").to_pylist()
    decided = sum(1 for d in table.column(DECIDED_BY).to_pylist() if d)
    audit.record(
        home,
        "match",
        as_user=as_user,
        list=kept.facts.get("list"),
        rows=len(decisions),
        unmasked=output.unmasked,
        against=kept.facts.get("against"),
        result=kept.id,
        decided=decided,
        out=str(output.out),
    )
    with atomic_path(output.out) as tmp:
        if output.xlsx:
            facts: list[tuple[str, object]] = [
                ("Daftar", str(kept.facts.get("list"))),
                ("Hasil", kept.id),
                ("Baris", len(decisions)),
                *((d, decisions.count(d)) for d in ("match", "review", "no_match")),
                ("Diputuskan orang", decided),
                ("NIK", output.nik),
            ]
            return write_xlsx(table, tmp, facts, unmasked=output.unmasked, columns=columns)
        return write_csv(table, tmp, unmasked=output.unmasked, columns=columns)


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
