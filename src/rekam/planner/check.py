"""The feasibility checker for jemput-bola plans: every plan rekam writes passes it.

It reads the plan as written (``Plan.as_json()`` or a PLAN.json file) and checks it against the
scenario alone, recomputing travel, service and yield; it trusts nothing the plan states.
Each problem is one line ``code: detail``. The codes:

unknown_team, unknown_site, unknown_date (not a working date of the period),
team_unavailable (the team does not work that date), team_twice (two routes for one team on
one date), wrong_depot, team_region (a site outside the team's region), site_closed (closed
that weekday), site_twice_same_day, too_many_visits (more than the site's max_visits),
visit_order (visit numbers not 1, 2, ... in time order), wrong_yield (people or value other
than the model gives for that visit), before_day_start, too_fast (arrival before the previous
leave plus travel), start_before_arrival, before_opening, service_too_short (leave before start
plus set-up plus people x minutes per person / kits; people in recordings, ``Scenario.load``),
after_closing, after_day_end (back at the depot after the team's day ends, or ``back`` stated
too early), kit_capacity (more people in recordings in a day than the team's kits can record),
bad_field (a time or number that cannot be read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rekam.planner.plan import Plan, parse_hhmm, service_minutes, travel_minutes
from rekam.planner.scenario import Scenario

TOLERANCE = 1e-3


def check_plan(scenario: Scenario, plan: Plan | dict[str, Any]) -> list[str]:
    """Every violation of ``plan`` against ``scenario``; an empty list means it is feasible."""
    data = plan.as_json() if isinstance(plan, Plan) else plan
    problems: list[str] = []
    teams = {t.id: t for t in scenario.teams}
    routes = data.get("routes") or []
    seen_team_day: set[tuple[str, str]] = set()
    seen_site_day: set[tuple[str, str]] = set()
    visits_by_site: dict[str, list[tuple[str, int, int]]] = {}
    for r_index, route in enumerate(routes):
        where = f"rute {r_index + 1} ({route.get('team')}, {route.get('date')})"
        team = teams.get(route.get("team"))
        if team is None:
            problems.append(f"unknown_team: {where}")
            continue
        try:
            date = dt.date.fromisoformat(route["date"])
            depart = parse_hhmm(route["depart"])
            back = parse_hhmm(route["back"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"bad_field: {where}: date/depart/back")
            continue
        if (team.id, route["date"]) in seen_team_day:
            problems.append(f"team_twice: {where}")
        seen_team_day.add((team.id, route["date"]))
        if date not in scenario.hours:
            problems.append(f"unknown_date: {where}")
            continue
        window = scenario.team_day(team, date)
        if window is None:
            problems.append(f"team_unavailable: {where}")
            continue
        if (
            route.get("start_depot", team.start_depot) != team.start_depot
            or route.get("end_depot", team.end_depot) != team.end_depot
        ):
            problems.append(f"wrong_depot: {where}")
        day_start, day_end = window
        if depart < day_start:
            problems.append(f"before_day_start: {where}: {route['depart']}")
        here, clock, people = team.start_depot, depart, 0.0
        for s_index, stop in enumerate(route.get("stops") or []):
            at = f"{where}, kunjungan {s_index + 1}"
            site = scenario.sites.get(stop.get("site"))
            if site is None:
                problems.append(f"unknown_site: {at}: {stop.get('site')}")
                continue
            try:
                arrive, start, leave = (parse_hhmm(stop[k]) for k in ("arrive", "start", "leave"))
                visit = int(stop["visit"])
                stated = {c: float(n) for c, n in (stop.get("people") or {}).items()}
                value = float(stop.get("value", 0.0))
            except (KeyError, TypeError, ValueError):
                problems.append(f"bad_field: {at}")
                continue
            if not team.serves(site):
                problems.append(f"team_region: {at}: {site.id} di luar wilayah {team.region}")
            if not scenario.site_open(site, date):
                problems.append(f"site_closed: {at}: {site.id} tutup hari itu")
            if (site.id, route["date"]) in seen_site_day:
                problems.append(f"site_twice_same_day: {at}: {site.id}")
            seen_site_day.add((site.id, route["date"]))
            visits_by_site.setdefault(site.id, []).append((route["date"], visit, r_index))
            if arrive < clock + travel_minutes(scenario, here, site.id):
                problems.append(f"too_fast: {at}: tiba {stop['arrive']}")
            if start < arrive:
                problems.append(f"start_before_arrival: {at}")
            if start < site.open:
                problems.append(f"before_opening: {at}: mulai {stop['start']}")
            ladder = scenario.visits(site)
            expected = ladder[visit - 1] if 1 <= visit <= len(ladder) else None
            if expected is None:
                problems.append(f"too_many_visits: {at}: {site.id} kunjungan ke-{visit}")
            elif (
                any(abs(stated.get(c, 0.0) - n) > TOLERANCE for c, n in expected.people.items())
                or abs(value - expected.value) > TOLERANCE
            ):
                problems.append(f"wrong_yield: {at}: {site.id} kunjungan ke-{visit}")
            # the model's yield, not the rounded figures written in the plan
            total = expected.load if expected is not None else scenario.load(stated)  # in recordings
            if leave < start + service_minutes(team, site.setup_minutes, total):
                problems.append(f"service_too_short: {at}")
            if leave > site.close:
                problems.append(f"after_closing: {at}: selesai {stop['leave']}")
            people += total
            here, clock = site.id, leave
        if back < clock + travel_minutes(scenario, here, team.end_depot) or back > day_end:
            problems.append(f"after_day_end: {where}: kembali {route['back']}")
        if people > team.capacity() + TOLERANCE:
            problems.append(f"kit_capacity: {where}: {people:.1f} > {team.capacity()}")
    for site_id, visits in visits_by_site.items():
        site = scenario.sites[site_id]
        if len(visits) > site.max_visits:
            problems.append(f"too_many_visits: {site_id}: {len(visits)} > {site.max_visits}")
        ordered = sorted(visits)
        if [v[1] for v in ordered] != list(range(1, len(ordered) + 1)):
            problems.append(f"visit_order: {site_id}: {[v[1] for v in ordered]}")
    return problems
