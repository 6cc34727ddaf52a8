"""The rakor report as a PDF: A4 portrait, the period in every page's header, page numbers;
a cover, the province's figures, the ranking with its formula, the coverage chart, then a page
per kab/kota. HTML from a Jinja2 template rendered by WeasyPrint (as ``pdf.py``); the charts
are SVG (``charts.py``) drawn as vectors, so their words are text in the PDF."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from rekam import numbers
from rekam.messages import text_in
from rekam.reports.rakor import (
    FIGURE_COLUMNS,
    PROGRESS_COLUMNS,
    Kind,
    RakorReport,
    Table,
    coverage_svg,
    kab_table,
    label,
    progress_words,
    ranking_table,
    summary_table,
    trend_svg,
    with_pemula_pct,
)


def shown(value: Any, kind: Kind, lang: str) -> str:
    """A cell as the reader reads it (``rekam.numbers``); a dash for no value."""
    if value is None:
        return "–"
    if kind == "int" and isinstance(value, int | float):
        return numbers.integer(value, lang)
    if kind == "pct" and isinstance(value, int | float):
        return numbers.percent(value, lang)
    if kind == "pp" and isinstance(value, int | float):
        return ("+" if value > 0 else "") + numbers.decimal(value, lang)
    if kind in ("score", "num") and isinstance(value, int | float):
        return numbers.number(value, lang)
    if kind == "day" and hasattr(value, "isoformat"):
        return numbers.day(value, lang)
    return str(value)


def html(report: RakorReport, lang: str) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rekam.reports", "templates"), autoescape=True, keep_trailing_newline=True
    )

    def t(key: str, **params: Any) -> str:
        return text_in(lang, key, **params)

    def cells(table: Table) -> list[list[tuple[str, bool]]]:
        return [
            [(shown(v, table.kind(i, j), lang), table.kind(i, j) not in ("text",)) for j, v in enumerate(row)]
            for i, row in enumerate(table.rows)
        ]

    period = t(
        "rakor_period",
        since=numbers.day(report.since, lang) if report.since else "–",
        as_of=numbers.day(report.as_of, lang),
    )
    pages = []
    for p in report.pages:
        figures = with_pemula_pct(p.figures)
        pages.append(
            {
                "page": p,
                "figures": [(label(lang, k, figures), shown(figures.get(k), kind, lang)) for k, kind in FIGURE_COLUMNS],
                "progress": [
                    (label(lang, k), _progress_cell(p.progress, k, kind, lang))
                    for k, kind in PROGRESS_COLUMNS
                    if p.progress.get(k) is not None
                ],
                "quality": [(label(lang, k), numbers.integer(v, lang)) for k, v in p.quality.items()],
                "services": None
                if p.services is None
                else [(_service(lang, k), numbers.integer(v, lang)) for k, v in sorted(p.services.items())],
                "trend_svg": _image(trend_svg(p, report, lang), t("chart_trend_title")),
                "plans": [
                    {
                        "name": c.name,
                        "days": f"{numbers.day(c.start, lang)} – {numbers.day(c.end, lang)}",
                        "stops": numbers.integer(c.stops, lang),
                        "people": numbers.figure(round(c.people, 1), lang),
                        "desa": numbers.integer(c.desa, lang),
                        "recorded": numbers.integer(c.recorded, lang),
                        "field": None
                        if c.field is None
                        else t(
                            "rakor_field_result",
                            stops=numbers.integer(c.field.stops, lang),
                            expected=numbers.figure(round(c.field.expected, 1), lang),
                            found=numbers.integer(c.field.found, lang),
                            recorded=numbers.integer(c.field.recorded, lang),
                        ),
                    }
                    for c in p.plans
                ],
            }
        )
    return env.get_template("rakor.html").render(
        lang=lang,
        t=t,
        r=report,
        title=t("rakor_title", province=report.province_name),
        period=period,
        as_of=numbers.day(report.as_of, lang),
        since=numbers.day(report.since, lang) if report.since else "–",
        deadline=numbers.day(report.deadline, lang) if report.deadline else "–",
        election=numbers.day(report.election_date, lang) if report.election_date else "–",
        snapshot_date=numbers.day(report.snapshot_date, lang),
        generated=numbers.day(report.generated_at.date(), lang) + report.generated_at.strftime(" %H:%M"),
        target=numbers.percent(report.target, lang),
        tie_margin=numbers.figure(report.tie_margin, lang) if report.tie_margin is not None else None,
        formula=report.formula.get(lang) or report.formula.get("id", ""),
        summary=summary_table(report, lang),
        summary_cells=cells(summary_table(report, lang)),
        ranking=ranking_table(report, lang),
        ranking_cells=cells(ranking_table(report, lang)),
        kabs=kab_table(report, lang),
        coverage_svg=_image(coverage_svg(report, lang), t("chart_coverage_title")),
        pages=pages,
    )


def _image(svg: str, title: str) -> Markup:
    """A chart as an ``<img>`` of its SVG (a data URI): WeasyPrint draws it as vectors with its
    words as text, in half the time of the same SVG inlined in the HTML (measured: 6.7 s
    against 12.2 s for the demo's 20 charts; inline, every SVG element goes through the CSS cascade)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="chart" alt="{}" src="data:image/svg+xml;base64,{}">').format(title, data)


def write_pdf(report: RakorReport, out: Path, lang: str) -> None:
    import weasyprint

    weasyprint.HTML(string=html(report, lang)).write_pdf(str(out))


def _value(value: Any, kind: Kind) -> Any:
    return date.fromisoformat(value) if kind == "day" and isinstance(value, str) else value


def _service(lang: str, kind: str) -> str:
    found = text_in(lang, f"rakor_service_{kind}")
    return kind if found == f"rakor_service_{kind}" else found


def _progress_cell(progress: dict[str, Any], key: str, kind: Kind, lang: str) -> str:
    """A progress figure as shown; the projection's note and the reason for no progress in words."""
    if key == "projection_note":
        return progress_words(lang, progress) or ""
    if key == "no_progress_reason":
        return text_in(lang, f"projection_{progress[key]}", date="")
    return shown(_value(progress.get(key), kind), kind, lang)
