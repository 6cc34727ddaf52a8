"""The library's front door: every command of the CLI (and later the web app) is one call here.

    >>> from rekam import api
    >>> result = api.import_register(["siak_1371.csv"], export_date=date(2024, 11, 13))
    >>> rows = api.coverage(as_of=date(2024, 11, 13), level="kab")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rekam.analytics import coverage as _coverage
from rekam.analytics import lists as _lists
from rekam.analytics import progress as _progress
from rekam.analytics import quality as _quality
from rekam.analytics import rank as _rank
from rekam.analytics.engines import open_engine
from rekam.config import Settings
from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.errors import InvalidArgument, SnapshotError, UnknownRegion
from rekam.messages import text
from rekam.register.importer import ImportResult, import_files
from rekam.register.store import Snapshot, Store

__all__ = [
    "coverage",
    "coverage_levels",
    "progress",
    "quality",
    "rank",
    "generate_demo",
    "list_people",
    "write_list",
    "import_register",
    "rollback",
    "verify",
    "snapshots",
    "store",
]


def store(settings: Settings | None = None) -> Store:
    return Store((settings or Settings.from_env()).home)


def import_register(
    paths: Sequence[str | Path],
    export_date: date | None = None,
    force: bool = False,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import SIAK export files (CSV, XLSX, Parquet) as one new snapshot."""
    return import_files(
        store(settings), [Path(p) for p in paths], export_date or date.today(), force=force, progress=progress
    )


def snapshots(settings: Settings | None = None) -> tuple[list[Snapshot], str | None]:
    s = store(settings)
    return s.all(), s.current_id()


def rollback(settings: Settings | None = None) -> Snapshot:
    return store(settings).rollback()


def region_prefix(code: str | None) -> str | None:
    """The dotted form of a --region value, or None for all regions."""
    if code is None or not code.strip():
        return None
    try:
        return parse_region(code.strip()).dotted
    except InvalidRegionCode:
        raise InvalidArgument("bad_region", code=code) from None


def target_hundredths(target: float | str) -> int:
    """A target percentage (99.4) as an exact number of hundredths of a percent (9940)."""
    try:
        value = Decimal(str(target))
    except InvalidOperation:
        raise InvalidArgument("bad_option", option="--target", value=target, hint=text("hint_target")) from None
    hundredths = value * 100
    if not 0 <= value <= 100 or hundredths != hundredths.to_integral_value():
        raise InvalidArgument("bad_option", option="--target", value=target, hint=text("hint_target"))
    return int(hundredths)


def coverage(
    as_of: date,
    level: _coverage.Level = "kab",
    region: str | None = None,
    snapshot: str | None = None,
    election_date: date | None = None,
    target: float | str = 99.4,
    pemula_window: int = 1,
    engine: str | None = None,
    settings: Settings | None = None,
) -> list[_coverage.CoverageRow]:
    """Coverage per region at ``level`` as of ``as_of``, within ``region`` if given."""
    return coverage_levels(
        as_of, (level,), region, snapshot, election_date, target, pemula_window, engine, settings
    )[level]


def coverage_levels(
    as_of: date,
    levels: tuple[_coverage.Level, ...] = _coverage.LEVELS,
    region: str | None = None,
    snapshot: str | None = None,
    election_date: date | None = None,
    target: float | str = 99.4,
    pemula_window: int = 1,
    engine: str | None = None,
    settings: Settings | None = None,
) -> dict[_coverage.Level, list[_coverage.CoverageRow]]:
    """Coverage at several levels at once (one engine query; the roll-up is in Python)."""
    settings = settings or Settings.from_env()
    st = store(settings)
    snap = st.load(snapshot) if snapshot else st.require_current()
    prefix = region_prefix(region)
    for level in levels:
        if prefix is not None and _coverage.LEVELS.index(level) < len(prefix.split(".")) - 1:
            raise InvalidArgument("level_above_region", level=level, region=prefix)
    if pemula_window < 1:
        raise InvalidArgument("bad_option", option="--pemula-window", value=pemula_window, hint=">= 1")
    hundredths = target_hundredths(target)
    with open_engine(engine or settings.engine, st, snap, prefix) as eng:
        result = _coverage.coverage_levels(eng, as_of, levels, prefix, election_date, hundredths, pemula_window)
    if prefix is not None and not any(result.values()):
        raise UnknownRegion("unknown_region", code=prefix)
    return result


def _baseline(st: Store, current: Snapshot, since: date) -> Snapshot | None:
    """The latest snapshot exported on or before ``since``, other than the current one."""
    older = [s for s in st.all() if s.id != current.id and s.export_date <= since]
    return max(older, key=lambda s: (s.export_date, s.id)) if older else None


def progress(
    as_of: date | None = None,
    since: date | None = None,
    deadline: date | None = None,
    level: _coverage.Level = "kab",
    region: str | None = None,
    target: float | str = 99.4,
    engine: str | None = None,
    settings: Settings | None = None,
) -> list[_progress.ProgressRow]:
    """Change since ``since`` (default: the previous snapshot's date, or a week), pace, and
    what reaching the target by ``deadline`` needs, per region."""
    settings = settings or Settings.from_env()
    st = store(settings)
    current = st.require_current()
    as_of = as_of or date.today()
    if since is None:
        parent = st.load(current.parent) if current.parent else None
        since = parent.export_date if parent else as_of - timedelta(days=7)
    if since > as_of:
        raise InvalidArgument("bad_option", option="--since", value=since.isoformat(), hint="<= --as-of")
    base = _baseline(st, current, since)
    common = dict(level=level, region=region, target=target, engine=engine, settings=settings)
    now = coverage(as_of=as_of, snapshot=current.id, **common)  # type: ignore[arg-type]
    then = coverage(as_of=since, snapshot=(base or current).id, **common)  # type: ignore[arg-type]
    before = {r.region_code: r for r in then}
    return [_progress.ProgressRow(r, before.get(r.region_code), since, as_of, deadline) for r in now]


def quality(
    level: _coverage.Level = "kab",
    region: str | None = None,
    as_of: date | None = None,
    engine: str | None = None,
    settings: Settings | None = None,
) -> list[_quality.QualityRow]:
    """Data-quality figures per region, with the number of implausible desa and of
    residents reported moved, dead or abroad (for SIAK follow-up)."""
    from rekam import verifications

    settings = settings or Settings.from_env()
    st = store(settings)
    snap = st.require_current()
    as_of = as_of or snap.export_date
    desa = coverage(as_of=as_of, level="desa", region=region, engine=engine, settings=settings)
    by_desa = {r.region_code: (r.wajib, r.coverage_pct) for r in desa}
    with open_engine(engine or settings.engine, st, snap, region_prefix(region)) as eng:
        rows = _quality.quality(eng, level, region_prefix(region), by_desa)
    _quality.add_follow_ups(rows, level, verifications.latest(settings.home))
    return rows


def rank(
    as_of: date | None = None,
    since: date | None = None,
    election_date: date | None = None,
    region: str | None = None,
    target: float | str = 99.4,
    engine: str | None = None,
    settings: Settings | None = None,
) -> list[_rank.RankRow]:
    """The kab/kota ranked for the evaluation meeting; the formula is ``rank.FORMULA``."""
    settings = settings or Settings.from_env()
    as_of = as_of or date.today()
    common = dict(region=region, target=target, engine=engine, settings=settings)
    figures = coverage(as_of=as_of, level="kab", election_date=election_date, **common)  # type: ignore[arg-type]
    changes = {
        p.now.region_code: p.as_json()["change_pp"]
        for p in progress(as_of=as_of, since=since, level="kab", **common)  # type: ignore[arg-type]
    }
    flagged = {q.region_code: q.desa_flagged for q in quality(level="kab", region=region, as_of=as_of,
                                                               engine=engine, settings=settings)}  # fmt: skip
    rows = [
        _rank.component_scores(r.as_json(), changes.get(r.region_code), flagged.get(r.region_code, 0))
        for r in figures
    ]
    return _rank.rank(rows)


def list_people(
    kind: _lists.ListKind,
    region: str,
    as_of: date | None = None,
    election_date: date | None = None,
    pemula_window: int = 1,
    snapshot: str | None = None,
    engine: str | None = None,
    settings: Settings | None = None,
) -> tuple[list[_lists.Person], Snapshot]:
    """The people on a by-name list in ``region`` (a desa, or larger), in household order."""
    settings = settings or Settings.from_env()
    st = store(settings)
    snap = st.load(snapshot) if snapshot else st.require_current()
    prefix = region_prefix(region)
    if prefix is None:
        raise InvalidArgument("bad_region", code=region)
    if kind in ("pemula", "akan-wajib") and election_date is None:
        raise InvalidArgument("election_date_needed", kind=kind)
    with open_engine(engine or settings.engine, st, snap, prefix) as eng:
        found = _lists.people(eng, kind, prefix, as_of or date.today(), election_date, pemula_window)
    return found, snap


def write_list(
    kind: _lists.ListKind,
    region: str,
    out: str | Path,
    fmt: str = "xlsx",
    as_of: date | None = None,
    election_date: date | None = None,
    unmasked: bool = False,
    csv_sep: str = ";",
    settings: Settings | None = None,
) -> int:
    """Write a by-name list to ``out`` (xlsx, csv or pdf); audited; returns the number of people."""
    from rekam import audit, verifications
    from rekam.reports import by_name

    settings = settings or Settings.from_env()
    as_of = as_of or date.today()
    found, snap = list_people(kind, region, as_of, election_date, settings=settings)
    prefix = region_prefix(region) or region
    audit.record(settings.home, "list", list=kind, region=prefix, people=len(found), unmasked=unmasked,
                 snapshot=snap.id, out=str(out))  # fmt: skip
    info = by_name.ListInfo(kind=kind, title=text(f"list_{kind}"), region_code=prefix, as_of=as_of,
                            snapshot=snap.id, unmasked=unmasked, election_date=election_date)  # fmt: skip
    previous = {nik: v["outcome"] for nik, v in verifications.latest(settings.home).items()}
    if fmt == "csv":
        by_name.write_csv(found, info, Path(out), sep=csv_sep, previous=previous)
    elif fmt == "pdf":
        from rekam.reports.pdf import write_pdf

        write_pdf(found, info, Path(out))
    else:
        by_name.write_xlsx(found, info, Path(out), previous=previous)
    return len(found)


def verify(path: str | Path, settings: Settings | None = None) -> int:
    """Read a returned by-name workbook back; store its outcomes, or refuse with every problem."""
    from rekam import verifications
    from rekam.errors import IngestError, VerificationFailed
    from rekam.reports import verify as _verify

    settings = settings or Settings.from_env()
    path = Path(path)
    if not path.is_file():
        raise IngestError("file_missing", file=path.name)
    try:
        book, info = _verify.read_info(path)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise IngestError("file_unreadable", file=path.name, detail="xlsx") from None
    if info is None:
        raise IngestError("verify_not_rekam", file=path.name)
    st = store(settings)
    try:
        st.load(info.snapshot)
    except SnapshotError:
        raise IngestError("verify_other_snapshot", file=path.name, snapshot=info.snapshot) from None
    expected, _ = list_people(info.kind, info.region, info.as_of, info.election_date, snapshot=info.snapshot,
                              settings=settings)  # type: ignore[arg-type]  # fmt: skip
    outcomes, problems = _verify.check(book, expected)
    if problems:
        messages = [
            text("verify_where", sheet=p.sheet, row=p.row, problem=text(p.key, **p.params))
            if p.row is not None
            else text("verify_where_sheet", sheet=p.sheet, problem=text(p.key, **p.params))
            for p in problems
        ]
        raise VerificationFailed("verify_failed", messages, file=path.name)
    verifications.store(settings.home, path, info.snapshot, info.kind, outcomes)
    return len(outcomes)


def solve_top_file(
    path: str | Path, time_limit: float | None = 10.0, iterations: int | None = None, seed: int = 1
) -> object:
    """Solve a Team Orienteering instance in the benchmark text format; the plan is checked."""
    from rekam.planner.solve_top import solve_top
    from rekam.planner.top import read_top

    path = Path(path)
    if not path.is_file():
        from rekam.errors import IngestError

        raise IngestError("file_missing", file=path.name)
    return solve_top(read_top(path), time_limit=time_limit, iterations=iterations, seed=seed)


def generate_demo(out_dir: str | Path, scale: float = 0.01, seed: int = 20241113, progress=None):  # type: ignore[no-untyped-def]
    """Write the synthetic Sumatera Barat register and its sites to ``out_dir``."""
    from rekam.demo import generate

    return generate(Path(out_dir), scale=scale, seed=seed, progress=progress)
