"""The outreach teams' itineraries: per team its schedule day by day, and the by-name list of
every site it visits (issue #5).

Excel (``write_itinerary``): a sheet "Ringkasan" (the plan's score, bound and gap; per team
its days, visits and expected recordings per cohort; every visited site with its list's
sheet), a sheet "Jadwal <team>" per team (per date, the ordered visits with their times),
then one sheet per visited site with its by-name list, made as ``rekam list`` makes a desa's
(same columns, masked NIK unless asked, formula-safe cells). PDF (``write_itinerary_pdf``):
one team's schedule, then each site's list with a blank column to tick "sudah direkam";
A4 landscape, Bahasa Indonesia, Jinja2 + WeasyPrint as ``reports/pdf.py``.

The lists are exactly the people each site's count was made from; the caller makes them
(``rekam.planner.inputs.site_lists`` for the sites ``list_sites`` names), records the file in
the audit log and passes them in: this module reads no register and opens no engine. They are
left out, and the workbook says why (``notes``), when the scenario was not made by ``rekam plan
make`` (nothing to make them from), or when a workbook for every team would hold more than
``MAX_SITE_SHEETS`` site sheets (the user is told to write one per team).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rekam.analytics.lists import Person
from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.messages import text
from rekam.planner.plan import Plan, Route, Stop, hhmm
from rekam.planner.scenario import COHORTS, Scenario, Site, source_of
from rekam.register import gazetteer
from rekam.reports.by_name import ListInfo, desa_sheet, formats, new_workbook, person_cells, safe_sheet_name
from rekam.reports.cells import ddmmyyyy, neutralise, shown_count, shown_decimal, shown_figure
from rekam.reports.pdf import PRINTED_HEADERS

if TYPE_CHECKING:  # the type only: the lists are made by the caller
    from rekam.planner.inputs import SiteLists

MAX_SITE_SHEETS = 200  # more sites than this in one workbook: schedules only, one workbook per team
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
KIND_LABELS = {
    "desa": "desa/kelurahan",
    "sekolah": "sekolah",
    "kampus": "kampus",
    "lapas": "lapas/rutan",
    "panti": "panti",
    "rumah_sakit": "rumah sakit",
    "rumah_warga": "rumah warga",
}
SCHEDULE_HEADERS = (
    "Tanggal",
    "Hari",
    "Urutan",
    "ID lokasi",
    "Lokasi",
    "Jenis",
    "Desa/kelurahan",
    "Kode desa",
    "Tiba",
    "Mulai",
    "Selesai",
    "Kunjungan ke-",
)
_SCHEDULE_WIDTHS = (11, 8, 7, 18, 30, 14, 24, 14, 7, 7, 7, 11)
# The printed list: the printed columns of ``rekam list`` (No to Alasan), and a box to tick.
PRINTED = (*PRINTED_HEADERS, "Sudah direkam")


@dataclass(frozen=True)
class _Contents:
    """What a file holds: the teams, the sites they visit (first visit first), and the lists."""

    teams: list[str]
    sites: list[str]
    lists: SiteLists | None
    notes: list[str]


def notes(plan: Plan, scenario: Scenario, team: str | None = None) -> list[str]:
    """Why the by-name lists are left out of the itinerary (empty when they are in it)."""
    teams = [team] if team else [t.id for t in scenario.teams]
    sites = _visited(plan, teams)
    if not sites:
        return []
    if source_of(scenario) is None:
        return [text("itinerary_no_source")]
    if team is None and len(sites) > MAX_SITE_SHEETS:
        first = next(t.id for t in scenario.teams if _routes(plan, t.id))
        return [text("itinerary_too_many_sites", sites=len(sites), max=MAX_SITE_SHEETS, team=first)]
    return []


def list_sites(plan: Plan, scenario: Scenario, team: str | None = None) -> list[str]:
    """The sites whose by-name lists the itinerary of ``team`` (every team when None) holds: every
    site it visits, in the order of its first visit; none when ``notes`` leaves the lists out."""
    if notes(plan, scenario, team):
        return []
    return _visited(plan, [team] if team else [t.id for t in scenario.teams])


def write_itinerary(
    plan: Plan,
    scenario: Scenario,
    out: Path,
    lists: SiteLists | None = None,
    previous: dict[str, str] | None = None,
    unmasked: bool = False,
    team: str | None = None,
) -> Path:
    """The itinerary workbook of ``team`` (every team when None); returns ``out``.

    ``lists``: the by-name lists of ``list_sites`` (None: schedules only); ``previous``: the
    latest field outcome per NIK, shown in each list as ``rekam list`` shows it."""
    contents = _contents(plan, scenario, lists, team)
    book = new_workbook(out)
    fmt = formats(book)
    styles = (*fmt, book.add_format({"num_format": "0.0", "valign": "top"}))
    used = {"ringkasan"}
    summary = book.add_worksheet("Ringkasan")
    schedules = {t: safe_sheet_name(f"Jadwal {t}", used) for t in contents.teams}
    lists = contents.lists.people if contents.lists else {}
    list_sheets = {sid: safe_sheet_name(scenario.sites[sid].name, used) for sid in lists}
    _summary_sheet(summary, plan, scenario, contents, schedules, list_sheets, unmasked, styles)
    for tid in contents.teams:
        _schedule_sheet(book.add_worksheet(schedules[tid]), plan, scenario, tid, contents, list_sheets, styles)
    if contents.lists:
        info = _info(contents.lists, unmasked)
        for sid, sheet in list_sheets.items():
            site = scenario.sites[sid]
            desa_sheet(book, sheet, sid, site.name, lists[sid], info, previous or {}, fmt)
            line = _site_line(site, lists[sid], _visits(plan, sid, contents.teams))
            book.get_worksheet_by_name(sheet).write_string(2, 0, neutralise(line))
    book.close()
    return out


def _summary_sheet(ws, plan, scenario, contents, schedules, list_sheets, unmasked, styles) -> None:  # type: ignore[no-untyped-def]
    """Ringkasan: the plan's score, bound and gap; per team its figures; every visited site."""
    title, bold, txt, number, decimal = styles
    cohorts = _cohorts(scenario)
    ws.write_string(0, 0, neutralise(f"Itinerari jemput bola: {scenario.name}"), title)
    ws.write_string(1, 0, _subtitle(scenario, contents, unmasked))
    figures = [
        ("Skor rencana (rekaman tertimbang)", round(plan.score, 3)),
        ("Batas atas", None if plan.bound is None else round(plan.bound, 3)),
        ("Selisih ke batas atas (%)", plan.gap_pct),
        ("Metode", plan.method or None),
    ]
    for r, (label, value) in enumerate(figures, start=3):
        ws.write_string(r, 0, label, txt)
        if isinstance(value, float | int):
            ws.write_number(r, 1, value, number)
        else:
            ws.write_string(r, 1, "-" if value is None else neutralise(str(value)), txt)
    row = 8
    head = [
        "Tim",
        "Nama tim",
        "Depot",
        "Hari",
        "Kunjungan",
        "Lokasi",
        *[f"Perkiraan {c}" for c in cohorts],
        "Perkiraan jumlah",
        "Nilai tertimbang",
        "Lembar jadwal",
    ]
    ws.write_row(row, 0, head, bold)
    totals = [0.0] * (len(cohorts) + 2)
    for tid in contents.teams:
        row += 1
        team = scenario.team(tid)
        routes = _routes(plan, tid)
        expected = [sum(s.people.get(c, 0.0) for r in routes for s in r.stops) for c in cohorts]
        expected += [sum(expected), sum(r.value for r in routes)]
        totals = [a + b for a, b in zip(totals, expected, strict=True)]
        for c, value in enumerate([tid, team.name, scenario.depots[team.start_depot].name]):
            ws.write_string(row, c, neutralise(value), txt)
        ws.write_number(row, 3, len(routes), number)
        ws.write_number(row, 4, sum(len(r.stops) for r in routes), number)
        ws.write_number(row, 5, len({s.site for r in routes for s in r.stops}), number)
        for c, value in enumerate(expected, start=6):
            ws.write_number(row, c, round(value, 1), decimal)
        _link(ws, row, len(head) - 1, schedules[tid], txt)
    row += 1
    ws.write_string(row, 0, "Jumlah", bold)
    for c, value in enumerate(totals, start=6):
        ws.write_number(row, c, round(value, 1), decimal)
    row += 2
    for note in contents.notes:
        ws.write_string(row, 0, "Catatan: " + note, txt)
        row += 1
    row += 1
    ws.write_row(
        row,
        0,
        [
            "ID lokasi",
            "Lokasi",
            "Jenis",
            "Desa/kelurahan",
            "Tim",
            "Kunjungan",
            "Orang (skenario)",
            "Orang dalam daftar",
            "Lembar daftar nama",
        ],
        bold,
    )
    for sid in contents.sites:
        row += 1
        site = scenario.sites[sid]
        visits = _visits(plan, sid, contents.teams)
        cells = [
            sid,
            site.name,
            KIND_LABELS.get(site.kind, site.kind),
            _desa_label(site),
            ", ".join(dict.fromkeys(t for t, _r, _s in visits)),
            ", ".join(f"{ddmmyyyy(r.date)} ({t}, ke-{s.visit})" for t, r, s in visits),
        ]
        for c, value in enumerate(cells):
            ws.write_string(row, c, neutralise(value), txt)
        ws.write_number(row, 6, round(site.total, 1), number)
        if sid in list_sheets:
            ws.write_number(row, 7, len(contents.lists.people[sid]), number)
            _link(ws, row, 8, list_sheets[sid], txt)
        elif contents.lists:
            ws.write_string(row, 8, text("itinerary_without_list"), txt)
    for c, width in enumerate((20, 30, 24, 24, 12, 12, 14, 14, 14, 14, 16, 20)):
        ws.set_column(c, c, width)


def _schedule_sheet(ws, plan, scenario, tid, contents, list_sheets, styles) -> None:  # type: ignore[no-untyped-def]
    """Jadwal <team>: per date, leaving the depot, the ordered visits, coming back."""
    title, bold, txt, number, decimal = styles
    cohorts = _cohorts(scenario)
    head = [*SCHEDULE_HEADERS, *[f"Perkiraan {c}" for c in cohorts], "Perkiraan jumlah", "Daftar nama"]
    team = scenario.team(tid)
    routes = _routes(plan, tid)
    people = sum(r.people for r in routes)
    ws.write_string(0, 0, neutralise(f"Jadwal {team.name} ({tid})"), title)
    ws.write_string(
        1,
        0,
        neutralise(
            f"{scenario.name}; berangkat dari {scenario.depots[team.start_depot].name}; {len(routes)} hari, "
            f"{sum(len(r.stops) for r in routes)} kunjungan, perkiraan {shown_decimal(people)} orang direkam"
        ),
    )
    ws.write_row(3, 0, head, bold)
    r = 3
    for route in routes:
        day = [ddmmyyyy(route.date), DAYS[route.date.weekday()]]
        r += 1
        _depot_row(ws, r, day, scenario.depots[route.start_depot].name, "berangkat", None, route.depart, txt)
        for order, stop in enumerate(route.stops, start=1):
            r += 1
            site = scenario.sites[stop.site]
            for c, value in enumerate(day):
                ws.write_string(r, c, value, txt)
            ws.write_number(r, 2, order, number)
            cells = [
                stop.site,
                site.name,
                KIND_LABELS.get(site.kind, site.kind),
                _desa_label(site),
                site.desa_code,
                hhmm(stop.arrive),
                hhmm(stop.start),
                hhmm(stop.leave),
            ]
            for c, value in enumerate(cells, start=3):
                ws.write_string(r, c, neutralise(value), txt)
            ws.write_number(r, 11, stop.visit, number)
            for c, cohort in enumerate(cohorts, start=len(SCHEDULE_HEADERS)):
                ws.write_number(r, c, round(stop.people.get(cohort, 0.0), 1), decimal)
            ws.write_number(r, len(head) - 2, round(sum(stop.people.values()), 1), decimal)
            if stop.site in list_sheets:
                _link(ws, r, len(head) - 1, list_sheets[stop.site], txt)
            elif contents.lists and stop.site in contents.lists.without_list:
                ws.write_string(r, len(head) - 1, text("itinerary_without_list"), txt)
        r += 1
        _depot_row(ws, r, day, scenario.depots[route.end_depot].name, "kembali", route.back, None, txt)
    for c, width in enumerate(_SCHEDULE_WIDTHS):
        ws.set_column(c, c, width)
    ws.set_column(len(SCHEDULE_HEADERS), len(head) - 2, 10)
    ws.set_column(len(head) - 1, len(head) - 1, 24)
    ws.freeze_panes(4, 0)
    ws.autofilter(3, 0, max(r, 4), len(head) - 1)
    _page(ws, 3)


def write_itinerary_pdf(
    plan: Plan, scenario: Scenario, team: str, out: Path, lists: SiteLists | None = None, unmasked: bool = False
) -> Path:
    """One team's itinerary for printing: its schedule day by day, then each site's list
    (``lists``: the by-name lists of ``list_sites``; None: the schedule only)."""
    import jinja2
    import weasyprint

    contents = _contents(plan, scenario, lists, team)
    t = scenario.team(team)
    cohorts = _cohorts(scenario)
    days = []
    for route in _routes(plan, team):
        stops = []
        for order, stop in enumerate(route.stops, start=1):
            site = scenario.sites[stop.site]
            stops.append(
                {
                    "order": order,
                    "id": stop.site,
                    "name": site.name,
                    "kind": KIND_LABELS.get(site.kind, site.kind),
                    "desa": _desa_label(site),
                    "arrive": hhmm(stop.arrive),
                    "start": hhmm(stop.start),
                    "leave": hhmm(stop.leave),
                    "visit": stop.visit,
                    "people": [shown_decimal(stop.people.get(c, 0.0)) for c in cohorts],
                    "total": shown_decimal(sum(stop.people.values())),
                }
            )
        days.append(
            {
                "date": ddmmyyyy(route.date),
                "day": DAYS[route.date.weekday()],
                "stops": stops,
                "depart": hhmm(route.depart),
                "back": hhmm(route.back),
                "start_depot": scenario.depots[route.start_depot].name,
                "end_depot": scenario.depots[route.end_depot].name,
                "total": shown_decimal(route.people),
            }
        )
    sections = []
    for sid in contents.sites if contents.lists else []:
        site = scenario.sites[sid]
        listed = contents.lists.people.get(sid) if contents.lists else None
        sections.append(
            {
                "id": sid,
                "name": site.name,
                "line": _site_line(site, listed, _visits(plan, sid, [team])),
                "people": None
                if listed is None
                else [
                    [i, *person_cells(p, unmasked, {})[: len(PRINTED) - 2], ""] for i, p in enumerate(listed, start=1)
                ],
            }
        )
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rekam.reports", "templates"), autoescape=True, keep_trailing_newline=True
    )
    html = env.get_template("itinerary.html").render(
        team=t,
        scenario=scenario.name,
        depot=scenario.depots[t.start_depot].name,
        subtitle=_subtitle(scenario, contents, unmasked),
        days=days,
        cohorts=cohorts,
        sections=sections,
        headers=PRINTED,
        notes=contents.notes,
        people=shown_decimal(sum(r.people for r in _routes(plan, team))),
    )
    weasyprint.HTML(string=html).write_pdf(str(out))
    return out


# --- helpers --------------------------------------------------------------------------------


def _contents(plan: Plan, scenario: Scenario, lists: SiteLists | None, team: str | None) -> _Contents:
    """The teams and sites of the file, and their lists unless ``notes`` leaves them out."""
    teams = [team] if team else [t.id for t in scenario.teams]
    for tid in teams:
        scenario.team(tid)  # KeyError for a team the scenario does not have
    sites = _visited(plan, teams)
    left_out = notes(plan, scenario, team)
    return _Contents(teams, sites, lists if sites and not left_out else None, left_out)


def _routes(plan: Plan, team: str) -> list[Route]:
    return sorted((r for r in plan.routes if r.team == team and r.stops), key=lambda r: r.date)


def _visited(plan: Plan, teams: list[str]) -> list[str]:
    """The sites the teams visit, each once, in the order of their first visit."""
    seen: dict[str, None] = {}
    for tid in teams:
        for route in _routes(plan, tid):
            seen.update((s.site, None) for s in route.stops)
    return list(seen)


def _visits(plan: Plan, site: str, teams: list[str]) -> list[tuple[str, Route, Stop]]:
    """The visits of ``teams`` to ``site``: (team, route, stop), by date."""
    out = [(r.team, r, s) for r in plan.routes if r.team in teams for s in r.stops if s.site == site]
    return sorted(out, key=lambda v: (v[1].date, v[0]))


def _cohorts(scenario: Scenario) -> list[str]:
    present = {c for s in scenario.sites.values() for c in s.people}
    return [c for c in COHORTS if c in present] + sorted(present - set(COHORTS))


def _desa_label(site: Site) -> str:
    try:
        code = parse_region(site.desa_code).dotted
    except InvalidRegionCode:  # a hand-written scenario may hold any text here
        return site.desa_code
    return gazetteer.name_of(code) or site.desa_code


def _site_line(site: Site, listed: list[Person] | None, visits: list[tuple[str, Route, Stop]]) -> str:
    kind = KIND_LABELS.get(site.kind, site.kind)
    where = f"{kind}, {_desa_label(site)} ({site.desa_code})"
    counts = ", ".join(f"{c} {shown_figure(n)}" for c, n in site.people.items())
    whom = (
        f"{shown_count(len(listed))} orang ({counts})"
        if listed is not None
        else f"{shown_figure(site.total)} orang ({counts}), {text('itinerary_without_list')}"
    )
    when = "; ".join(
        f"{DAYS[r.date.weekday()]} {ddmmyyyy(r.date)} {t} ke-{s.visit} {hhmm(s.start)}-{hhmm(s.leave)}"
        for t, r, s in visits
    )
    return f"{where}; {whom}; kunjungan: {when}"


def _subtitle(scenario: Scenario, contents: _Contents, unmasked: bool) -> str:
    period = f"{ddmmyyyy(scenario.dates[0])} s.d. {ddmmyyyy(scenario.dates[-1])}" if scenario.dates else ""
    out = f"periode {period}"
    if contents.lists:
        source = contents.lists.source
        out += f"; daftar nama per {ddmmyyyy(source.as_of)}, snapshot {source.snapshot}"
        out += "" if unmasked else ", NIK dan No KK disamarkan"
    return out


def _info(lists: SiteLists, unmasked: bool) -> ListInfo:
    return ListInfo(
        kind="jemput-bola",
        title=text("itinerary_list_title"),
        region_code=lists.source.region,
        as_of=lists.source.as_of,
        snapshot=lists.source.snapshot,
        unmasked=unmasked,
        election_date=lists.source.election_date,
    )


def _link(ws, row: int, col: int, sheet: str, fmt) -> None:  # type: ignore[no-untyped-def]
    ws.write_url(row, col, "internal:'" + sheet.replace("'", "''") + "'!A1", fmt, string=neutralise(sheet))


def _depot_row(ws, row, day, name, what, arrive, leave, fmt) -> None:  # type: ignore[no-untyped-def]
    for c, value in enumerate(day):
        ws.write_string(row, c, value, fmt)
    ws.write_string(row, 4, neutralise(name), fmt)
    ws.write_string(row, 5, what, fmt)
    if arrive is not None:
        ws.write_string(row, 8, hhmm(arrive), fmt)
    if leave is not None:
        ws.write_string(row, 10, hhmm(leave), fmt)


def _page(ws, header_row: int) -> None:  # type: ignore[no-untyped-def]  # xlsxwriter is untyped
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_footer("&CHalaman &P dari &N")
