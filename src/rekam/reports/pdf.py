"""By-name lists as a PDF for printing: the same content as the workbook, one section per
desa, A4 landscape, the header repeated on every page, page numbers. HTML from a Jinja2
template rendered by WeasyPrint (it needs the system's Pango library, which Debian ships)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rekam.analytics.lists import Person
from rekam.register import gazetteer
from rekam.reports.by_name import HEADERS, ListInfo, person_cells
from rekam.reports.cells import ddmmyyyy, shown_count

# The printed columns: the workbook's, without the verification columns and the row key.
PRINTED_HEADERS = HEADERS[: HEADERS.index("Alasan") + 1]
# A by-name list prints the desk's mark too (a person served at a desk since the snapshot).
LIST_HEADERS = HEADERS[: HEADERS.index("Layanan loket") + 1]


def write_pdf(people: Sequence[Person], info: ListInfo, out: Path, desk: dict[str, str] | None = None) -> None:
    """``desk``: NIK -> the mark of a person served at a desk since the snapshot (a column)."""
    import jinja2
    import weasyprint

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rekam.reports", "templates"), autoescape=True, keep_trailing_newline=True
    )
    sections: dict[str, list[list[object]]] = {}
    for p in people:
        rows = sections.setdefault(p.desa_code, [])
        rows.append([len(rows) + 1, *person_cells(p, info.unmasked, {}, desk)[: len(LIST_HEADERS) - 1]])
    html = env.get_template("by_name.html").render(
        title=info.title,
        region_name=gazetteer.name_of(info.region_code) or info.region_code,
        region_code=info.region_code,
        as_of=ddmmyyyy(info.as_of),
        snapshot=info.snapshot,
        masked=not info.unmasked,
        total=shown_count(len(people)),
        headers=LIST_HEADERS,
        sections=[
            {"code": code, "name": gazetteer.name_of(code) or code, "people": rows, "count": shown_count(len(rows))}
            for code, rows in sorted(sections.items())
        ],
    )
    weasyprint.HTML(string=html).write_pdf(str(out))
