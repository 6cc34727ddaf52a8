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
from typing import Any

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
    "generate_outside_lists",
    "list_people",
    "write_list",
    "write_itinerary",
    "import_register",
    "import_sites",
    "make_scenario",
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
    user: object = None,
    max_rows: int | None = None,
    audit_details: dict[str, object] | None = None,
) -> ImportResult:
    """Import SIAK export files (CSV, XLSX, Parquet) as one new snapshot.

    ``user``: the acting ops ``User`` or its username (None: the local administrator). The
    import is then limited to the user's scope (refused, with nothing written, when a row's
    kab/kota lies outside it; an operator or a disabled user imports nothing) and audited under
    the user's name, refusals included. ``max_rows`` bounds the rows read (None: no bound)."""
    from rekam import audit
    from rekam.errors import RekamUserError

    settings = settings or Settings.from_env()
    if isinstance(user, str):
        from rekam.ops import users

        user = users.load(ops_db(settings), user)  # type: ignore[arg-type]
    username = getattr(user, "username", None)
    names = [Path(p).name for p in paths]
    try:
        result = import_files(store(settings), [Path(p) for p in paths], export_date or date.today(), force=force,
                              progress=progress, user=user, max_rows=max_rows, xlsx_limits=xlsx_limits(settings))  # fmt: skip
    except RekamUserError as exc:
        if username is not None:
            audit.record(settings.home, "import-refused", as_user=username, files=names, reason=exc.key,
                         **(audit_details or {}))  # fmt: skip
        raise
    if username is not None:
        audit.record(settings.home, "import", as_user=username, files=names, snapshot=result.snapshot,
                     kab_codes=result.kab_codes, rows_read=result.rows_read, **(audit_details or {}))  # fmt: skip
    return result


def xlsx_limits(settings: Settings) -> tuple[int, int]:
    """The xlsx checks made before a workbook is opened: (uncompressed bytes, compression ratio)."""
    return settings.xlsx_max_mb * 1024 * 1024, settings.xlsx_max_ratio


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
    live: bool = False,
) -> list[_coverage.CoverageRow]:
    """Coverage per region at ``level`` as of ``as_of``, within ``region`` if given; ``live``:
    with the desk's services since the snapshot (``analytics.live``)."""
    return coverage_levels(
        as_of, (level,), region, snapshot, election_date, target, pemula_window, engine, settings, live
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
    live: bool = False,
) -> dict[_coverage.Level, list[_coverage.CoverageRow]]:
    """Coverage at several levels at once (one engine query; the roll-up is in Python).
    ``live``: the snapshot plus the services logged at the desks since its export date."""
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
    overlay = live_overlay(snap.export_date, settings) if live else None
    with open_engine(engine or settings.engine, st, snap, prefix, overlay, spark_master=settings.spark_master) as eng:
        result = _coverage.coverage_levels(eng, as_of, levels, prefix, election_date, hundredths, pemula_window)
    if prefix is not None and not any(result.values()):
        raise UnknownRegion("unknown_region", code=prefix)
    return result


def live_overlay(since: date, settings: Settings | None = None) -> object:
    """The desk's completed services from ``since`` (a snapshot's export date) on, as the
    overlay of ``analytics.live``; empty when there is no ops database."""
    from rekam.analytics import live

    settings = settings or Settings.from_env()
    from rekam.ops.db import configured, open_db

    if not configured(settings):
        return live.overlay_table([])
    from sqlalchemy import select

    from rekam.ops.events import completed_since
    from rekam.ops.models import ServiceEvent

    with open_db(settings=settings).read() as s:
        rows = s.execute(
            select(ServiceEvent.nik, ServiceEvent.kind, ServiceEvent.service_date, ServiceEvent.duplicate_confirmed)
            .where(*completed_since(since))
        ).all()  # fmt: skip
    return live.overlay_table(live.changes([tuple(r) for r in rows]))


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
    with open_engine(engine or settings.engine, st, snap, region_prefix(region), spark_master=settings.spark_master) as eng:
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
    with open_engine(engine or settings.engine, st, snap, prefix, spark_master=settings.spark_master) as eng:
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
    audit_details: dict[str, Any] | None = None,
) -> int:
    """Write a by-name list to ``out`` (xlsx, csv or pdf); audited (with ``audit_details``,
    e.g. the web user who asked); returns the number of people."""
    from rekam import audit, verifications
    from rekam.reports import by_name

    settings = settings or Settings.from_env()
    as_of = as_of or date.today()
    found, snap = list_people(kind, region, as_of, election_date, settings=settings)
    prefix = region_prefix(region) or region
    audit.record(settings.home, "list", list=kind, region=prefix, people=len(found), unmasked=unmasked,
                 snapshot=snap.id, out=str(out), **(audit_details or {}))  # fmt: skip
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
    path: str | Path,
    time_limit: float | None = 10.0,
    iterations: int | None = None,
    seed: int = 1,
    bound_time_limit: float | None = 60.0,
) -> object:
    """Solve a Team Orienteering instance in the benchmark text format; the plan is checked."""
    from rekam.planner.solve_top import solve_top
    from rekam.planner.top import read_top

    path = Path(path)
    if not path.is_file():
        from rekam.errors import IngestError

        raise IngestError("file_missing", file=path.name)
    return solve_top(read_top(path), time_limit=time_limit, iterations=iterations, seed=seed, bound_time_limit=bound_time_limit)


def solve_scenario_file(
    path: str | Path,
    time_limit: float | None = 60.0,
    iterations: int | None = None,
    seed: int = 1,
    add_teams: int = 0,
    extra_days: int = 0,
    bound_time_limit: float | None = 60.0,
) -> object:
    """Plan jemput bola for a scenario file; with ``add_teams``/``extra_days`` also the what-if.

    The plan (and the what-if plan) passed the feasibility checker; ``plan.extra["what_if"]``
    holds the gain when a what-if was asked for.
    """
    from rekam.planner.scenario import read_scenario
    from rekam.planner.solve import solve_scenario

    path = Path(path)
    if not path.is_file():
        from rekam.errors import IngestError

        raise IngestError("file_missing", file=path.name)
    if add_teams < 0 or extra_days < 0:
        raise InvalidArgument("what_if_negative")
    scenario = read_scenario(path)
    plan = solve_scenario(scenario, time_limit, iterations, seed, bound_time_limit)
    if add_teams or extra_days:
        bigger = solve_scenario(scenario.with_extra(add_teams, extra_days), time_limit, iterations, seed, bound_time_limit)
        plan.extra["what_if"] = {
            "add_teams": add_teams,
            "extra_days": extra_days,
            "score": round(bigger.score, 3),
            "bound": None if bigger.bound is None else round(bigger.bound, 3),
            "gain": round(bigger.score - plan.score, 3),
            "gain_pct": round(100 * (bigger.score - plan.score) / plan.score, 2) if plan.score else None,
            "people": bigger.totals()["people"],
            "people_gain": round(bigger.totals()["people"] - plan.totals()["people"], 2),
        }
    keep_plan(plan, path.stem)
    return plan


def keep_plan(plan: object, name: str, settings: Settings | None = None) -> Path:
    """Keep a solved plan in REKAM_HOME/plans/NAME-YYYYMMDD-HHMMSS.json: the dashboard's plan
    calendar shows the newest (``web/plans.py``). Plans hold site ids and counts, no one's name."""
    from datetime import datetime

    folder = (settings or Settings.from_env()).home / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    return write_plan(plan, folder / f"{name}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json")


def write_plan(plan: object, out: str | Path, scenario_path: str | Path | None = None, unmasked: bool = False) -> Path:
    """Write a plan: ``.json`` the full plan, ``.xlsx`` the teams' itineraries (checked before writing)."""
    import json

    from rekam.planner.check_plan import check_plan
    from rekam.planner.plan import Plan

    assert isinstance(plan, Plan)
    out = Path(out)
    if out.suffix.lower() == ".json":
        from rekam.register.store import write_atomic

        write_atomic(out, json.dumps(plan.as_json(), indent=1, ensure_ascii=False))
        return out
    if out.suffix.lower() != ".xlsx" or scenario_path is None:
        raise InvalidArgument("plan_out_kind", file=out.name)
    from rekam.planner.scenario import read_scenario
    from rekam.reports.itinerary import write_itinerary

    scenario = read_scenario(Path(scenario_path))
    if check_plan(scenario, plan):  # pragma: no cover - solve_scenario already checked it
        raise RuntimeError("refusing to write an infeasible plan")
    return write_itinerary(plan, scenario, out, settings=Settings.from_env(), unmasked=unmasked)


def check_plan_file(scenario_path: str | Path, plan_path: str | Path) -> list[str]:
    """Every rule a written plan breaks (empty: feasible)."""
    import json

    from rekam.planner.check_plan import check_plan
    from rekam.planner.scenario import read_scenario

    scenario = read_scenario(Path(scenario_path))
    try:
        data = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        from rekam.errors import ScenarioError

        raise ScenarioError("plan_unreadable", file=Path(plan_path).name) from None
    return check_plan(scenario, data)


def write_itinerary(
    scenario_path: str | Path,
    plan_path: str | Path,
    out: str | Path,
    team: str | None = None,
    unmasked: bool = False,
    settings: Settings | None = None,
) -> dict[str, object]:
    """Write the teams' itineraries of a written plan: ``.xlsx`` for ``team`` or every team,
    ``.pdf`` for one team; each visited site's by-name list is attached (audited).

    The plan must pass the checker against the scenario. Returns ``{out, teams, visits, sites,
    notes}``: ``notes`` say why by-name lists were left out, if they were.
    """
    import json

    from rekam.errors import PlanInfeasible, ScenarioError
    from rekam.planner.check_plan import check_plan
    from rekam.planner.plan import plan_from_json
    from rekam.planner.scenario import read_scenario
    from rekam.reports import itinerary

    settings = settings or Settings.from_env()
    out = Path(out)
    kind = out.suffix.lower()
    if kind not in (".xlsx", ".pdf"):
        raise InvalidArgument("itinerary_out_kind", file=out.name)
    scenario = read_scenario(Path(scenario_path))
    unreadable = ScenarioError("plan_unreadable", file=Path(plan_path).name)
    try:
        data = json.loads(Path(plan_path).read_text(encoding="utf-8"))
        problems = check_plan(scenario, data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError):
        raise unreadable from None
    if problems:  # a plan for another scenario, or edited by hand: not printed for the teams
        raise PlanInfeasible("plan_infeasible", problems)
    try:
        plan = plan_from_json(data)
    except (KeyError, TypeError, ValueError):
        raise unreadable from None
    ids = [t.id for t in scenario.teams]
    if team is not None and team not in ids:
        raise InvalidArgument("itinerary_unknown_team", team=team, teams=", ".join(ids))
    if kind == ".pdf" and team is None:
        if len(ids) != 1:
            raise InvalidArgument("itinerary_team_needed", teams=", ".join(ids))
        team = ids[0]
    if kind == ".pdf":
        itinerary.write_itinerary_pdf(plan, scenario, team, out, settings, unmasked=unmasked)  # type: ignore[arg-type]
    else:
        itinerary.write_itinerary(plan, scenario, out, settings, unmasked=unmasked, team=team)
    routes = [r for r in plan.routes if team is None or r.team == team]
    return {
        "out": out,
        "teams": team or text("itinerary_all_teams", count=len(ids)),
        "visits": sum(len(r.stops) for r in routes),
        "sites": len({s.site for r in routes for s in r.stops}),
        "notes": itinerary.notes(plan, scenario, team),
    }


def itinerary_notes(plan: object, scenario_path: str | Path) -> list[str]:
    """Why ``write_plan`` to ``.xlsx`` left the by-name lists out, if it did."""
    from rekam.planner.plan import Plan
    from rekam.planner.scenario import read_scenario
    from rekam.reports.itinerary import notes

    assert isinstance(plan, Plan)
    return notes(plan, read_scenario(Path(scenario_path)))


def match_list_file(
    path: str | Path,
    out: str | Path | None = None,
    match_threshold: float = 0.9,
    review_threshold: float = 0.2,  # model.Thresholds().review
    unmasked: bool = False,
    snapshot: str | None = None,
    settings: Settings | None = None,
    against: str | Path | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    """Match an outside list (CSV/XLSX) to the register snapshot, or with ``against`` to
    another list file; one output row per list row.

    Writes ``out`` (.csv or .xlsx: list_id, match_id, match_probability, decision, ...; NIK
    masked unless ``unmasked``; audited) when given; returns {rows, match, review, no_match,
    kind, against}.
    """
    from rekam import audit
    from rekam.errors import IngestError
    from rekam.linkage.kinds import KINDS
    from rekam.linkage.match import match_file
    from rekam.linkage.model import Thresholds
    from rekam.linkage.output import AGAINST_COLUMNS, CSV_COLUMNS, write_csv, write_xlsx

    settings = settings or Settings.from_env()
    path = Path(path)
    other = Path(against) if against not in (None, "register") else None
    for given in (path, other):
        if given is not None and not given.is_file():
            raise IngestError("file_missing", file=given.name)
    if kind is not None and kind not in KINDS:
        raise InvalidArgument("bad_list_kind", kind=kind)
    out = Path(out) if out is not None else None
    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidArgument("out_kind", file=out.name)
    try:
        thresholds = Thresholds(match=match_threshold, review=review_threshold)
    except ValueError:
        raise InvalidArgument("bad_thresholds") from None
    if other is None:
        st = Store(settings.home)
        snap = st.load(snapshot) if snapshot else st.require_current()
        run = match_file(st, snap, path, kind=kind, thresholds=thresholds)
        source, columns = snap.id, CSV_COLUMNS
    else:
        run = match_file(None, None, path, against=other, kind=kind, thresholds=thresholds)
        source, columns = other.name, AGAINST_COLUMNS
    decisions = run.table.column("decision").to_pylist()
    summary: dict[str, Any] = {"rows": len(decisions), **{d: decisions.count(d) for d in ("match", "review", "no_match")}}
    summary |= {"kind": run.kind, "against": "register" if other is None else other.name}
    if out is not None:
        audit.record(settings.home, "match", list=path.name, rows=summary["rows"], unmasked=unmasked,
                     against=summary["against"], snapshot=source if other is None else None, out=str(out))  # fmt: skip
        tmp = out.with_name(out.name + ".tmp")
        if out.suffix.lower() == ".xlsx":
            facts = [("Daftar", path.name), ("Dicocokkan dengan", "register " + source if other is None else source),
                     ("Jenis daftar", run.kind), ("Ambang match", match_threshold),
                     ("Ambang review", review_threshold), ("Baris", summary["rows"]), ("match", summary["match"]),
                     ("review", summary["review"]), ("no_match", summary["no_match"]),
                     ("NIK", "utuh" if unmasked else "disamarkan")]  # fmt: skip
            write_xlsx(run.table, tmp, facts, unmasked=unmasked, columns=columns)
        else:
            write_csv(run.table, tmp, unmasked=unmasked, columns=columns)
        tmp.replace(out)
    return summary


def dedupe_register(
    out: str | Path | None = None,
    region: str | None = None,
    threshold: float = 0.9,
    unmasked: bool = False,
    snapshot: str | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Pairs of residents of the snapshot (of ``region`` and below) that look like one person,
    clustered, for review. Writes ``out`` (.csv or .xlsx: nik_a, nik_b, match_probability,
    cluster_id, agreed, ...; NIK masked unless ``unmasked``; audited) when given; returns
    {records, pairs, clusters, region}."""
    from rekam import audit
    from rekam.analytics.engines import DuckDBEngine
    from rekam.linkage.dedupe import dedupe
    from rekam.linkage.output import write_pairs

    settings = settings or Settings.from_env()
    prefix = region_prefix(region)
    out = Path(out) if out is not None else None
    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidArgument("out_kind", file=out.name)
    if not 0 < threshold <= 1:
        raise InvalidArgument("bad_option", option="--match-threshold", value=threshold, hint="0 < P <= 1")
    st = Store(settings.home)
    snap = st.load(snapshot) if snapshot else st.require_current()
    with DuckDBEngine(st, snap, prefix) as engine:
        where = f"WHERE desa_code LIKE '{prefix}%'" if prefix else ""
        engine.create_temp_view("dd_source", f"SELECT * FROM register {where}")
        if prefix and not engine.run("SELECT count(*) FROM dd_source", name="dedupe: residents of the region")[0][0]:
            raise UnknownRegion("unknown_region", code=prefix)
        run = dedupe(engine.duckdb_connection(), "dd_source", threshold=threshold)
    summary: dict[str, Any] = {"records": run.records, "pairs": run.table.num_rows, "clusters": run.clusters,
                               "region": prefix}  # fmt: skip
    if out is not None:
        audit.record(settings.home, "dedupe", region=prefix, pairs=summary["pairs"], unmasked=unmasked,
                     snapshot=snap.id, out=str(out))  # fmt: skip
        tmp = out.with_name(out.name + ".tmp")
        facts = [("Register", f"snapshot {snap.id}"), ("Wilayah", prefix or "semua"), ("Ambang", threshold),
                 ("Penduduk dibandingkan", run.records), ("Pasangan", summary["pairs"]),
                 ("Kelompok", run.clusters), ("NIK", "utuh" if unmasked else "disamarkan")]  # fmt: skip
        write_pairs(run.table, tmp, facts, unmasked=unmasked, xlsx=out.suffix.lower() == ".xlsx")
        tmp.replace(out)
    return summary


def demo_admin(settings: Settings | None = None, username: str = "demo-admin") -> tuple[str, str]:
    """The demo's admin (admin-provinsi of Sumatera Barat) with a password generated now:
    made when missing, its password reset otherwise. Returns (username, password)."""
    import secrets

    from rekam.errors import OpsNotFound
    from rekam.ops import users
    from rekam.ops.db import open_db

    settings = settings or Settings.from_env()
    password = secrets.token_urlsafe(12)
    db = open_db(settings=settings)
    try:
        users.reset_password(db, username, password)
        users.set_disabled(db, username, False)
    except OpsNotFound:
        users.add_user(db, username, password, "admin-provinsi", "13")
    return username, password


def generate_demo(out_dir: str | Path, scale: float = 0.01, seed: int = 20241113, progress=None):  # type: ignore[no-untyped-def]
    """Write the synthetic Sumatera Barat register and its sites to ``out_dir``."""
    from rekam.demo import generate

    return generate(Path(out_dir), scale=scale, seed=seed, progress=progress)


def generate_outside_lists(
    register_dir: str | Path,
    out_dir: str | Path,
    level: str = "medium",
    rows: int = 1000,
    seed: int = 20241113,
    kinds: Sequence[str] | None = None,
) -> list[object]:
    """Write synthetic outside lists (sekolah, dpt, lapas) and their truth files from the demo
    register in ``register_dir`` (DIR/siak) to ``out_dir``; one ``OutsideList`` per kind.
    Rates and columns: docs/demo-data.md, "Outside lists for linkage"."""
    from rekam.demo.outside import KINDS
    from rekam.demo.outside import generate_outside_lists as _generate

    return list(_generate(Path(register_dir), Path(out_dir), level=level, rows=rows, seed=seed, kinds=kinds or KINDS))


def import_sites(paths: Sequence[str | Path], settings: Settings | None = None) -> object:
    """Import site lists, rosters and desa coordinates (CSV/XLSX) into REKAM_HOME/sites.

    Returns a ``rekam.sites.importer.SitesImportResult``; bad rows are quarantined, never raised.
    """
    from rekam.sites.importer import import_sites as _import_sites

    return _import_sites((settings or Settings.from_env()).home, [Path(p) for p in paths])


def import_boundaries(path: str | Path, settings: Settings | None = None) -> object:
    """Keep desa boundaries (GeoJSON) for the dashboard's map; ``sites.boundaries.BoundaryImport``."""
    from rekam.sites.boundaries import import_boundaries as _import

    return _import((settings or Settings.from_env()).home, Path(path))


def make_scenario(
    region: str,
    date_from: date,
    date_to: date,
    teams: int,
    as_of: date | None = None,
    election_date: date | None = None,
    kits: int = 2,
    minutes_per_person: float = 5.0,
    per_kit_per_day: int = 50,
    weekdays: str = "1-6",
    hours: str = "07:30-16:00",
    max_visits: int | None = None,
    min_people: int = 1,
    road_factor: float = 1.4,
    speed_kmh: float = 30.0,
    engine: str | None = None,
    settings: Settings | None = None,
) -> dict[str, object]:
    """A jemput-bola scenario (the JSON of planner/scenario.py) for ``region`` from the current
    register snapshot and the imported sites: counts per site and cohort, no personal data.
    Rules and defaults: planner/make.py and docs/planner.md."""
    from rekam.domain.region import parse_region
    from rekam.errors import PlanningDataMissing
    from rekam.planner import make
    from rekam.sites.store import SiteStore

    settings = settings or Settings.from_env()
    prefix = region_prefix(region)
    if prefix is None:
        raise InvalidArgument("bad_region", code=region)
    if date_to < date_from:
        raise InvalidArgument("bad_option", option="--to", value=date_to.isoformat(), hint=">= --from")
    if (date_to - date_from).days > 366:
        raise InvalidArgument("bad_option", option="--to", value=date_to.isoformat(), hint=text("hint_period"))
    for option, value, ok, hint in (
        ("--teams", teams, teams >= 1, ">= 1"), ("--kits", kits, kits >= 1, ">= 1"),
        ("--minutes-per-person", minutes_per_person, minutes_per_person > 0, "> 0"),
        ("--per-kit-per-day", per_kit_per_day, per_kit_per_day >= 1, ">= 1"),
        ("--max-visits", max_visits, max_visits is None or max_visits >= 1, ">= 1"),
        ("--min-people", min_people, min_people >= 1, ">= 1"),
        ("--road-factor", road_factor, road_factor >= 1, ">= 1"), ("--speed-kmh", speed_kmh, speed_kmh > 0, "> 0"),
    ):  # fmt: skip
        if not ok:
            raise InvalidArgument("bad_option", option=option, value=value, hint=hint)
    try:
        days = make.parse_weekdays(weekdays)
    except ValueError:
        raise InvalidArgument("bad_option", option="--weekdays", value=weekdays, hint=text("hint_weekdays")) from None
    try:
        window = make.parse_hours(hours)
    except ValueError:
        raise InvalidArgument("bad_option", option="--hours", value=hours, hint=text("hint_hours")) from None
    st = store(settings)
    snap = st.require_current()
    if not any(kab == prefix or kab.startswith(prefix + ".") or prefix.startswith(kab + ".") for kab in snap.parts):
        raise UnknownRegion("unknown_region", code=prefix)
    data = SiteStore(settings.home).load()
    if data.version is None:
        raise PlanningDataMissing("plan_no_sites")
    options = make.MakeOptions(
        region=parse_region(prefix), date_from=date_from, date_to=date_to, teams=teams, as_of=as_of or date_from,
        election_date=election_date or make.DEFAULT_ELECTION_DATE, kits=kits, minutes_per_person=minutes_per_person,
        per_kit_per_day=per_kit_per_day, weekdays=days, hours=window, max_visits=max_visits, min_people=min_people,
        road_factor=road_factor, speed_kmh=speed_kmh,
    )  # fmt: skip
    # The whole register: a site's roster may hold people registered outside the region.
    with open_engine(engine or settings.engine, st, snap, None, spark_master=settings.spark_master) as eng:
        targets = eng.run(make.targets_sql(options.as_of, options.election_date))
    return make.build_scenario(options, targets, data, snap.id)


# ---------------------------------------------------------------------------------------------
# ops (issue 8): users, service points, service events, queue, blanko, reconciliation, follow-up
# and the audit log. ``actor`` is the logged-in user (a ``rekam.ops.models.User``, from
# ``authenticate``); None is the local administrator at the command line. Rules: docs/ops.md.
# ---------------------------------------------------------------------------------------------


def ops_db(settings: Settings | None = None) -> object:
    """The ops database (REKAM_DATABASE_URL, default SQLite ops.db in REKAM_HOME), migrated."""
    from rekam.ops.db import open_db

    return open_db(settings=settings or Settings.from_env())


def _ops(settings: Settings | None) -> tuple[Settings, object]:
    settings = settings or Settings.from_env()
    return settings, ops_db(settings)


def add_user(username: str, password: str, role: str, region: str | None = None, service_point: str | None = None,
             actor: object = None, settings: Settings | None = None) -> object:  # fmt: skip
    """Create a user (role admin-pusat | admin-provinsi | dinas | operator); returns ``UserInfo``."""
    from rekam.ops import users

    _, db = _ops(settings)
    return users.add_user(db, username, password, role, region, service_point, actor)  # type: ignore[arg-type]


def list_users(actor: object = None, settings: Settings | None = None) -> list[object]:
    from rekam.ops import users

    _, db = _ops(settings)
    return list(users.list_users(db, actor))  # type: ignore[arg-type]


def disable_user(username: str, actor: object = None, settings: Settings | None = None) -> object:
    from rekam.ops import users

    _, db = _ops(settings)
    return users.set_disabled(db, username, True, actor)  # type: ignore[arg-type]


def reset_password(username: str, password: str, actor: object = None, settings: Settings | None = None) -> object:
    from rekam.ops import users

    _, db = _ops(settings)
    return users.reset_password(db, username, password, actor)  # type: ignore[arg-type]


def authenticate(username: str, password: str, settings: Settings | None = None) -> object:
    """The enabled user with this username and password, or None."""
    from rekam.ops import users

    _, db = _ops(settings)
    return users.authenticate(db, username, password)  # type: ignore[arg-type]


def add_service_point(point_id: str, name: str, region: str, kind: str, timezone: str = "Asia/Jakarta",
                      actor: object = None, settings: Settings | None = None) -> object:  # fmt: skip
    """Create a service point (kind dinas | kecamatan | mpp | keliling); returns ``PointInfo``."""
    from rekam.ops import points

    _, db = _ops(settings)
    return points.add_point(db, point_id, name, region, kind, timezone, actor)  # type: ignore[arg-type]


def list_service_points(
    actor: object = None, region: str | None = None, settings: Settings | None = None
) -> list[object]:
    from rekam.ops import points

    _, db = _ops(settings)
    return list(points.list_points(db, actor, region))  # type: ignore[arg-type]


def ops_directory(settings: Settings | None = None) -> object:
    """Where the desk finds residents: the current register snapshot."""
    from rekam.ops.residents import current_directory

    return current_directory((settings or Settings.from_env()).home)


def log_service(actor: object, nik: str, kind: str, service_point: str, idempotency_key: str,
                outcome: str = "selesai", confirm: bool = False, note: str | None = None,
                occurred_at: object = None, settings: Settings | None = None) -> tuple[object, bool]:  # fmt: skip
    """Log a service event; ``(EventInfo, created)``: created False for a retry with the same key
    and body. Raises ConfirmationNeeded, OpsRefused (with the reason), IdempotencyConflict."""
    from rekam.ops import events

    settings, db = _ops(settings)
    return events.log_event(db, ops_directory(settings), actor, nik, kind, service_point, idempotency_key,  # type: ignore[arg-type]
                            outcome, confirm, note, occurred_at)  # type: ignore[arg-type]  # fmt: skip


def list_services(service_point: str, day: date | None = None, actor: object = None,
                  settings: Settings | None = None, unmasked: bool = False) -> list[object]:  # fmt: skip
    """The events of a service point on its local day ``day`` (every day when None), NIK
    masked unless ``unmasked`` (not for the counter operator: the roles that may see by-name
    data); audited: who, the point, the day, how many, masked or not."""
    from dataclasses import replace

    from rekam.domain.nik import mask_nik
    from rekam.errors import PermissionDenied
    from rekam.ops import audit as ops_audit
    from rekam.ops import events

    _, db = _ops(settings)
    if unmasked and actor is not None and getattr(actor, "role", None) == "operator":
        raise PermissionDenied("ops_forbidden_whole_nik")
    found = events.list_events(db, service_point, day, actor)  # type: ignore[arg-type]
    ops_audit.record(db, actor, "daftar_layanan", subject=",".join(e.nik for e in found) if unmasked and found else None,  # type: ignore[arg-type]
                     service_point=service_point, date=day.isoformat() if day else None, rows=len(found),
                     unmasked=unmasked)  # fmt: skip
    return list(found) if unmasked else [replace(e, nik=mask_nik(e.nik)) for e in found]


def find_resident(nik: str, actor: object = None, service_point: str | None = None,
                  settings: Settings | None = None) -> object:  # fmt: skip
    """A resident by NIK with their status at the desk and their events (audited)."""
    from rekam.ops import lookup

    settings, db = _ops(settings)
    return lookup.by_nik(db, ops_directory(settings), nik, actor, service_point)  # type: ignore[arg-type]


def search_residents(name: str, birth_date: date, actor: object = None, service_point: str | None = None,
                     settings: Settings | None = None) -> list[object]:  # fmt: skip
    """Residents by name and birth date (at most 50; audited)."""
    from rekam.ops import lookup

    settings, db = _ops(settings)
    return list(lookup.by_name(db, ops_directory(settings), name, birth_date, actor, service_point))  # type: ignore[arg-type]


def queue_take(service_point: str, idempotency_key: str, service_kind: str | None = None, actor: object = None,
               settings: Settings | None = None) -> tuple[object, bool]:  # fmt: skip
    from rekam.ops import queue

    _, db = _ops(settings)
    return queue.take(db, service_point, idempotency_key, actor, service_kind)  # type: ignore[arg-type]


def queue_call_next(service_point: str, idempotency_key: str | None = None, actor: object = None,
                    settings: Settings | None = None) -> object:  # fmt: skip
    from rekam.ops import queue

    _, db = _ops(settings)
    return queue.call_next(db, service_point, actor, idempotency_key)  # type: ignore[arg-type]


def queue_finish(service_point: str, number: int, state: str, day: date | None = None, actor: object = None,
                 settings: Settings | None = None) -> object:  # fmt: skip
    """Mark a called ticket ``served`` or ``no_show``."""
    from rekam.ops import queue

    _, db = _ops(settings)
    return queue.finish(db, service_point, number, state, day, actor)  # type: ignore[arg-type]


def queue_tickets(service_point: str, day: date | None = None, actor: object = None,
                  settings: Settings | None = None) -> list[object]:  # fmt: skip
    from rekam.ops import queue

    _, db = _ops(settings)
    return list(queue.tickets(db, service_point, day, actor))  # type: ignore[arg-type]


def blanko_record(service_point: str, kind: str, quantity: int, idempotency_key: str, counterpart: str | None = None,
                  note: str | None = None, actor: object = None, settings: Settings | None = None) -> tuple[object, bool]:  # fmt: skip
    """A blanko movement: received, spoiled, returned, or transfer_out to ``counterpart``."""
    from rekam.ops import blanko

    _, db = _ops(settings)
    return blanko.record(db, service_point, kind, quantity, idempotency_key, actor, counterpart, note)  # type: ignore[arg-type]


def blanko_count(service_point: str, counted: int, idempotency_key: str, note: str | None = None,
                 actor: object = None, settings: Settings | None = None) -> tuple[object, bool]:  # fmt: skip
    """A physical count: the difference to the book is stored, reported and adjusted."""
    from rekam.ops import blanko

    _, db = _ops(settings)
    return blanko.count(db, service_point, counted, idempotency_key, actor, note)  # type: ignore[arg-type]


def blanko_left(service_point: str, actor: object = None, settings: Settings | None = None) -> int:
    from rekam.ops import blanko

    _, db = _ops(settings)
    return blanko.current(db, service_point, actor)  # type: ignore[arg-type]


def reconcile_day(service_point: str, day: date, actor: object = None, settings: Settings | None = None) -> object:
    """End-of-day reconciliation of a service point (``DayReport``; ``.problems`` lists every check that failed)."""
    from rekam.ops import reconcile

    _, db = _ops(settings)
    return reconcile.end_of_day(db, service_point, day, actor)  # type: ignore[arg-type]


def report_follow_up(nik: str, kind: str, service_point: str, idempotency_key: str, note: str | None = None,
                     actor: object = None, settings: Settings | None = None) -> tuple[int, bool]:  # fmt: skip
    """A resident reported moved (pindah), dead (meninggal) or abroad (luar_negeri) at a desk."""
    from rekam.ops import followup

    _, db = _ops(settings)
    return followup.report(db, actor, nik, kind, service_point, idempotency_key, note)  # type: ignore[arg-type]


def follow_up_rows(region: str | None = None, actor: object = None, settings: Settings | None = None,
                   unmasked: bool = False) -> list[object]:  # fmt: skip
    """The cases for SIAK follow-up (desk and field), one row per kind and NIK; audited, with
    ``unmasked`` (the export the caller writes shows whole NIKs) in the entry's details."""
    from rekam import verifications
    from rekam.ops import audit as ops_audit
    from rekam.ops import followup

    settings, db = _ops(settings)
    prefix = region_prefix(region)
    found = followup.rows(db, actor, prefix, field=verifications.latest(settings.home))  # type: ignore[arg-type]
    ops_audit.record(db, actor, "ekspor_tindak_lanjut", subject=",".join(r.nik for r in found) or None,  # type: ignore[arg-type]
                     region=prefix, rows=len(found), unmasked=unmasked)  # fmt: skip
    return list(found)


def purge(days: int | None = None, dry_run: bool = False, settings: Settings | None = None) -> object:
    """Remove the by-name and quarantine files under REKAM_HOME older than ``days`` days
    (REKAM_RETENTION_DAYS, 30, when None); ``dry_run`` lists them only; audited (``retention.py``)."""
    from rekam import retention

    settings = settings or Settings.from_env()
    return retention.purge(settings.home, settings.retention_days if days is None else days, dry_run)


def audit_log(
    since: date | None = None, user: str | None = None, settings: Settings | None = None
) -> list[dict[str, object]]:
    """The by-name access log: the file log of the command line (``source`` berkas) and the
    ops database's (``source`` ops), merged by time. The ops database is read only when it
    exists (REKAM_DATABASE_URL set, or ops.db in REKAM_HOME)."""
    from datetime import UTC, datetime

    from rekam import audit

    settings = settings or Settings.from_env()
    out: list[tuple[datetime, dict[str, object]]] = []
    floor = datetime.combine(since, datetime.min.time()).astimezone() if since else None
    for entry in audit.entries(settings.home):
        entry = dict(entry)
        at = datetime.fromisoformat(str(entry.pop("time")))
        who = entry.pop("user", None)
        if (floor and at < floor) or (user and who != user):
            continue
        out.append((at, {"time": at.isoformat(timespec="seconds"), "user": who, "action": entry.pop("action", None),
                         "source": "berkas", "subject": None, "details": entry}))  # fmt: skip
    from rekam.ops.db import configured

    if configured(settings):
        from rekam.ops import audit as ops_audit

        for e in ops_audit.entries(ops_db(settings), since=floor.astimezone(UTC) if floor else None, user=user):  # type: ignore[arg-type]
            where = {"service_point": e.service_point, "region": e.region}
            details = dict(e.details, **{k: v for k, v in where.items() if v})
            out.append((e.at, {"time": e.at.astimezone().isoformat(timespec="seconds"), "user": e.user,
                               "action": e.action, "source": "ops", "subject": e.subject, "details": details}))  # fmt: skip
    return [row for _, row in sorted(out, key=lambda pair: pair[0])]
