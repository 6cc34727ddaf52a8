"""The rakor (evaluation meeting) report's content, as plain data, and its tables.

``RakorReport`` is what ``rekam.api`` gathers (``api/rakor.py``: the figures, the ranking,
the trends, the desks' services, the jemput-bola plans); the renderers
(``rakor_pdf.py``, ``rakor_xlsx.py``) only lay it out, so reports/ never runs an engine or
imports the library's front door. The tables below are shared by both renderers: a cell
is a raw value (an int, a float, a date, a string or None) with a column kind saying how it
is shown (``int`` 1.234, ``pct`` 99,40 %, ``pp`` +0,25, ``score`` 97,12, ``day``
27-11-2024, ``text``); the PDF formats it with ``rekam.numbers``, the workbook keeps it a
number with a number format.

No personal data: counts per region only (no NIK, no name, no address).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from rekam import numbers
from rekam.messages import text_in
from rekam.reports import charts

Kind = Literal["int", "pct", "pp", "score", "num", "day", "text"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind


@dataclass
class Table:
    """A titled table: columns and rows of raw values (one list per row, in column order)."""

    title: str
    columns: list[Column]
    rows: list[list[Any]]
    value_kinds: list[Kind] | None = None  # a (figure, value) table: each row's value kind

    def kind(self, row: int, col: int) -> Kind:
        if self.value_kinds is not None and col == len(self.columns) - 1:
            return self.value_kinds[row]
        return self.columns[col].kind


@dataclass
class PlanCheck:
    """One kept jemput-bola plan, for one kab/kota: what it planned against what was recorded
    in its desa since its first day (the register's recording dates)."""

    name: str
    start: date
    end: date
    stops: int
    people: float
    desa: int
    recorded: int
    field: FieldCheck | None = None  # the teams' field outcomes at its stops here (None: none logged)


@dataclass
class FieldCheck:
    """A plan against its result in one kab/kota (issue 20, ``planner.result.against``): over
    the plan's stops there, up to the report's date, that have a field outcome: how many, the
    people the plan expected there, found by the teams and recorded by them (one person, one
    recording)."""

    stops: int
    expected: float
    found: int
    recorded: int


@dataclass
class KabPage:
    """One kab/kota's page: its figures (``CoverageRow.as_json()``), its progress over the
    period (``ProgressRow.as_json()``), the trend chart, quality flags, the desks' services
    since the snapshot (None: no ops database) and its plans (empty: none kept)."""

    code: str
    name: str
    figures: dict[str, Any]
    progress: dict[str, Any]
    trend: list[tuple[str, date, int | None, float | None]]  # snapshot, export date, wajib, coverage
    quality: dict[str, int]
    services: dict[str, int] | None
    plans: list[PlanCheck] = field(default_factory=list)


@dataclass
class RakorReport:
    province_code: str
    province_name: str
    as_of: date
    since: date | None
    deadline: date | None
    election_date: date | None
    snapshot: str
    snapshot_date: date
    generated_at: datetime
    target: float
    province: dict[str, Any]
    province_progress: dict[str, Any]
    ranking: list[dict[str, Any]]
    formula: dict[str, str]  # language -> the ranking's formula as printed
    tie_margin: float | None
    pages: list[KabPage]
    ops_database: bool
    quality_keys: tuple[str, ...] = ()


#: The ranking's columns: known keys first (labels in messages.py: ``rakor_col_<key>``);
#: any other figure the ranking gains is appended with its own key as label.
RANK_COLUMNS: list[tuple[str, Kind]] = [
    ("rank", "int"),
    ("tie", "text"),
    ("region_code", "text"),
    ("region_name", "text"),
    ("score", "score"),
    ("coverage_pct", "pct"),
    ("pemula_pct", "pct"),
    ("progress", "score"),
    ("progress_share_pct", "pct"),
    ("printing_pct", "pct"),
    ("target_gap", "int"),
    ("flagged_desa", "int"),
    ("ikd_pct", "pct"),
    ("difficulty", "score"),
    ("adjusted_score", "score"),
    ("adjusted_rank", "int"),
]
#: The ranking's own labels where the figures' one says more than its column needs (the IKD
#: target is not the ranking's: a short header keeps the 19 rows of a province on one page).
RANK_LABELS = {"ikd_pct": "rank_ikd_pct"}
#: The figures of a region (the province's summary and each kab/kota's page and row).
FIGURE_COLUMNS: list[tuple[str, Kind]] = [
    ("wajib", "int"),
    ("sudah_rekam", "int"),
    ("coverage_pct", "pct"),
    ("target_gap", "int"),
    ("pemula", "int"),
    ("pemula_belum_rekam", "int"),
    ("pemula_pct", "pct"),
    ("belum_cetak", "int"),
    ("menunggu_pusat", "int"),
    ("risiko_nonaktif", "int"),
    ("nonaktif", "int"),
    ("ikd_aktif", "int"),
    ("ikd_pct", "pct"),
    ("ikd_gap", "int"),
]
#: The period's figures (``ProgressRow.as_json()``), those present.
PROGRESS_COLUMNS: list[tuple[str, Kind]] = [
    ("coverage_pct_since", "pct"),
    ("change_pp", "pp"),
    ("recorded_since", "int"),
    ("per_week", "num"),
    ("target_gap_since", "int"),
    ("gap_closed", "int"),
    ("gap_at_deadline", "int"),
    ("pace_per_day", "num"),
    ("working_days_left", "int"),
    ("needed_per_working_day", "int"),
    ("projected_date", "day"),
    ("projection_note", "text"),
    ("no_progress_reason", "text"),
    ("ikd_activated_since", "int"),
    ("ikd_projected_date", "day"),
]


def coverage_svg(report: RakorReport, lang: str) -> str:
    """The coverage chart of the kab/kota, in ranking order when there is one."""
    order = {r.get("region_code"): i for i, r in enumerate(report.ranking)}
    pages = sorted(report.pages, key=lambda p: (order.get(p.code, len(order)), p.code))
    bars = [
        charts.Bar(
            p.name, p.figures.get("coverage_pct"), p.figures.get("target_gap") == 0 and bool(p.figures.get("wajib"))
        )
        for p in pages
    ]
    return charts.coverage_chart(bars, report.target, lang)


def trend_svg(page: KabPage, report: RakorReport, lang: str) -> str:
    """A kab/kota's trend over the snapshots, with the target, the deadline and the projection."""
    projected = _day(page.progress.get("projected_date"))
    points = [charts.Point(d, c) for _, d, _, c in page.trend]
    if not points:
        points = [charts.Point(report.as_of, page.figures.get("coverage_pct"))]
    return charts.trend_chart(
        points, report.target, report.deadline, projected if isinstance(projected, date) else None, lang
    )


def label(lang: str, key: str, figures: Mapping[str, Any] | None = None) -> str:
    """A column's label; the IKD % names the IKD target and basis the ``figures`` were counted
    with (``ikd_target_pct``, ``ikd_basis``), when given."""
    target = figures.get("ikd_target_pct") if figures else None
    if key == "ikd_pct" and figures and target is not None:
        return text_in(
            lang,
            "rakor_col_ikd_pct_of",
            target=numbers.percent(target, lang, places=0 if float(target).is_integer() else 2),
            basis=text_in(lang, f"rakor_ikd_of_{figures.get('ikd_basis') or 'wajib'}"),
        )
    found = text_in(lang, f"rakor_col_{key}")
    return key if found == f"rakor_col_{key}" else found


def with_pemula_pct(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures with ``pemula_pct`` (100 x recorded / pemula; None without an election day
    or without pemula)."""
    out = dict(figures)
    pemula, belum = figures.get("pemula"), figures.get("pemula_belum_rekam")
    out["pemula_pct"] = round(100.0 * (pemula - belum) / pemula, 2) if pemula and belum is not None else None
    return out


def summary_table(report: RakorReport, lang: str) -> Table:
    """The province's figures, then its period's, as (figure, value) rows."""
    rows: list[list[Any]] = []
    kinds: list[Kind] = []
    figures = with_pemula_pct(report.province)
    for key, kind in FIGURE_COLUMNS:
        if figures.get(key) is not None:
            rows.append([label(lang, key, figures), figures.get(key)])
            kinds.append(kind)
    for key, kind in PROGRESS_COLUMNS:
        value = report.province_progress.get(key)
        if value is not None:
            rows.append([label(lang, key), _day(value) if kind == "day" else value])
            kinds.append(kind)
    columns = [Column("figure", label(lang, "figure"), "text"), Column("value", label(lang, "value"), "num")]
    return Table(text_in(lang, "rakor_summary"), columns, rows, kinds)


def ranking_table(report: RakorReport, lang: str) -> Table:
    """Every component, the score and the rank (marked "=" when tied within the margin, "*" when
    progress was missing and the weights rescaled), then the difficulty-adjusted view beside it
    (``analytics.rank``, ``analytics.difficulty``)."""
    columns = [Column(k, label(lang, RANK_LABELS.get(k, k)), kind) for k, kind in RANK_COLUMNS]
    rows = []
    for r in report.ranking:
        values = dict(r, tie=("=" if r.get("tied") else "") + ("*" if r.get("weights_rescaled") else ""))
        rows.append([values.get(c.key) for c in columns])
    return Table(text_in(lang, "rakor_ranking"), columns, rows)


def progress_words(lang: str, progress: dict[str, Any]) -> str | None:
    """The projection, or why there is none, in words (the ``projection_<note>`` messages)."""
    note = progress.get("projection_note")
    if note is None:
        return None
    projected = progress.get("projected_date")
    when = _day(projected) if projected else ""
    when_text = numbers.day(when, lang) if isinstance(when, date) else str(when)
    if note == "shrinking" and progress.get("after_deadline"):
        return text_in(lang, "projection_after_deadline", date=when_text)
    if note == "deadline_passed" and projected:
        return text_in(lang, "projection_deadline_passed_date", date=when_text)
    return text_in(lang, f"projection_{note}", date=when_text)


def kab_table(report: RakorReport, lang: str) -> Table:
    """One row per kab/kota: its figures, its period, its quality flags, services, plans."""
    keys: list[tuple[str, Kind]] = [("region_code", "text"), ("region_name", "text"), *FIGURE_COLUMNS]
    present = {k for p in report.pages for k, v in p.progress.items() if v is not None}
    keys += [(k, kind) for k, kind in PROGRESS_COLUMNS if k in present]
    keys += [(k, "int") for k in report.quality_keys]
    if report.ops_database:
        keys.append(("services_total", "int"))
    keys += [("plan_people", "num"), ("plan_recorded", "int")]
    if any(c.field for p in report.pages for c in p.plans):
        keys += [("field_stops", "int"), ("field_expected", "num"), ("field_found", "int"), ("field_recorded", "int")]
    first = report.pages[0].figures if report.pages else None
    columns = [Column(k, label(lang, k, first), kind) for k, kind in keys]
    rows = []
    for p in report.pages:
        values = {
            "region_code": p.code,
            "region_name": p.name,
            **with_pemula_pct(p.figures),
            **{
                k: (_day(v) if k == "projected_date" else v)
                for k, v in p.progress.items()
                if k in dict(PROGRESS_COLUMNS)
            },
            "projection_note": progress_words(lang, p.progress),
            "no_progress_reason": None,  # said by the note in words
            **p.quality,
            "services_total": sum(p.services.values()) if p.services is not None else None,
            "plan_people": round(sum(c.people for c in p.plans), 1) if p.plans else None,
            "plan_recorded": sum(c.recorded for c in p.plans) if p.plans else None,
            **_field_values(p),
        }
        rows.append([values.get(c.key) for c in columns])
    return Table(text_in(lang, "rakor_kab_table"), columns, rows)


def _field_values(page: KabPage) -> dict[str, Any]:
    """The kab/kota's plans against the teams' results, summed (None: no outcome logged here)."""
    checks = [c.field for c in page.plans if c.field is not None]
    if not checks:
        return {"field_stops": None, "field_expected": None, "field_found": None, "field_recorded": None}
    return {
        "field_stops": sum(f.stops for f in checks),
        "field_expected": round(sum(f.expected for f in checks), 1),
        "field_found": sum(f.found for f in checks),
        "field_recorded": sum(f.recorded for f in checks),
    }


def trend_table(report: RakorReport, lang: str) -> Table:
    columns = [
        Column("region_code", label(lang, "region_code"), "text"),
        Column("region_name", label(lang, "region_name"), "text"),
        Column("snapshot", label(lang, "snapshot"), "text"),
        Column("export_date", label(lang, "export_date"), "day"),
        Column("wajib", label(lang, "wajib"), "int"),
        Column("coverage_pct", label(lang, "coverage_pct"), "pct"),
    ]
    rows = [[p.code, p.name, s, d, w, c] for p in report.pages for s, d, w, c in p.trend]
    return Table(text_in(lang, "rakor_trend"), columns, rows)


def _day(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value
