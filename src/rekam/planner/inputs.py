"""The planner's inputs: the one module of ``rekam.planner`` that reads the register and the sites.

Everything else in ``rekam.planner`` (the scenario, plans, solver, bound, checker, baselines and
``top/``) works on a ``Scenario`` alone and imports nothing of rekam above ``domain`` (and
``errors``). This module turns the register snapshot and the imported sites into a scenario
(``rekam plan make``: ``targets_sql``, ``build_scenario``) and, for the itineraries, makes again
the by-name list of each site a scenario counted (``site_lists``).

Who is counted (the same flags as ``rekam coverage`` and ``rekam list``: ``coverage.definitions``
and the list conditions ``belum-rekam`` and ``akan-wajib``): residents who are wajib KTP-el and
not recorded on the as-of date, or who will be wajib by election day and have not recorded.
Election day is the day after the period unless given (``default_election_date``): the teams
work up to the eve of the vote.

Where they are counted, each person once:

1. at a **site with a roster** in the region (school, campus, lapas, panti, ...): the roster's
   people who are counted, wherever they live;
2. at a site **without a roster**: its head counts from the site list, as given (the people are
   unknown, so nothing is taken off their desa);
3. at their **desa**: everyone else counted in the region, except lapas and panti residents,
   who do not live at their registered address and are reached only at their site.

A site that is left out (no coordinates, or fewer than ``min_people``) gives its people back to
their desa (rule 3). Cohorts, in this order: ``pemula`` (the coverage's pemula column: a WNI
whose 17th birthday is in the year before election day), ``rentan`` (the coverage's rentan: a
disability, a Permendagri 96/2019 group, or 60+; and every lapas/panti resident), ``lainnya``.

With ``MakeOptions.ikd`` (``rekam plan make --ikd``, issue 19) the people of the ``belum-ikd``
list are counted too, in the cohort ``ikd``: wajib, recorded on the as-of date, IKD not
activated; placed by the same rule (a roster first, else their desa), so a school visit both
records its unrecorded students and activates the recorded ones. Site head counts (no roster)
have no IKD column: those sites count no ``ikd`` people. Off by default: the recorded far
outnumber the unrecorded, and the visit model serves the cohorts in proportion
(``scenario``), so counting them takes recording time from a plan made for recording.

The scenario holds counts only: no NIK and no name of a person.

The by-name lists (``site_lists``): a scenario made by ``rekam plan make`` records in its
``source`` the register snapshot, the sites version, the as-of date and election day it was
counted from. The lists are made again from those, with the same query (``targets_sql``), the
same placement rule (``counted_at``: a kept site's roster first, then the desa, lapas and panti
residents only at their site) and the same cohorts (``cohort``); the sites kept are the
scenario's own. Each list is then compared with the scenario's count per cohort: a scenario
edited by hand after it was made is refused rather than printed with lists that do not match
its counts. A site without a roster (a head count from the site list) has no by-name list: its
people are not known by name, and they were not taken off their desa either.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rekam.analytics.coverage import definitions
from rekam.analytics.engines import open_engine
from rekam.analytics.lists import ListKind, Person, condition, people_in_desa
from rekam.config import Settings
from rekam.domain.region import RegionCode, parse_region
from rekam.errors import PlanningDataMissing, ScenarioError
from rekam.messages import text
from rekam.planner.scenario import (
    COHORTS,
    DEFAULT_IKD_MINUTES_PER_PERSON,
    DEFAULT_WEIGHTS,
    FORMAT,
    IKD_COHORT,
    RECORDING_COHORTS,
    VERSION,
    Scenario,
    Source,
    source_of,
)
from rekam.register import gazetteer
from rekam.register.store import Store
from rekam.sites.store import SiteData, SiteStore

DEFAULT_KITS = 2
DEFAULT_MINUTES_PER_PERSON = 5.0
DEFAULT_PER_KIT_PER_DAY = 50
DEFAULT_WEEKDAYS = (1, 2, 3, 4, 5, 6)
DEFAULT_HOURS = ("07:30", "16:00")
DEFAULT_ROAD_FACTOR = 1.4
DEFAULT_SPEED_KMH = 30.0
RESIDENT_KINDS = ("lapas", "panti")  # people who live at the site: rentan, and not found at home


@dataclass(frozen=True)
class KindDefaults:
    turnout: float
    setup_minutes: float
    open_weekdays: tuple[int, ...]
    open: str
    close: str
    max_visits: int
    why: str


# Per site kind: share of the people who come (turnout), set-up minutes, opening days and hours,
# visits worth making. The same table is in docs/planner.md; "FACTS" is the project's domain
# research (shared/domain/FACTS.md), "assumption" a value chosen where no source was found.
KIND_DEFAULTS: dict[str, KindDefaults] = {
    "sekolah": KindDefaults(
        0.9,
        20,
        (1, 2, 3, 4, 5, 6),
        "07:30",
        "14:00",
        2,
        "Dukcapil gives the school the list and the school gathers its students (Padang 2024, FACTS 7.3), "
        "so most come; school hours (a session ran 09:30-14:30 in Jembrana, FACTS 7.2); many SMA/SMK teach "
        "on Saturday.",
    ),
    "kampus": KindDefaults(
        0.6,
        20,
        (1, 2, 3, 4, 5),
        "08:00",
        "16:00",
        2,
        "Assumption: nobody gathers students as a school does; lectures Monday to Friday.",
    ),
    "lapas": KindDefaults(
        0.9,
        30,
        (1, 2, 3, 4, 5),
        "09:00",
        "15:00",
        2,
        "Inmates are there (Padang lapas, Jan 2019: 129 recorded in 3 days, FACTS 7.3); the security check "
        "lengthens set-up; office hours of the lapas (assumption).",
    ),
    "panti": KindDefaults(
        0.9,
        20,
        (1, 2, 3, 4, 5, 6, 7),
        "09:00",
        "15:00",
        2,
        "Assumption: residents live there and staff gather them; elderly and disabled residents are slow "
        "(FACTS 7.2), hence a short day.",
    ),
    "rumah_sakit": KindDefaults(
        0.3,
        20,
        (1, 2, 3, 4, 5, 6, 7),
        "09:00",
        "14:00",
        2,
        "Assumption: patients come and go and few are fit to record.",
    ),
    "desa": KindDefaults(
        0.5,
        20,
        (1, 2, 3, 4, 5, 6),
        "08:00",
        "16:00",
        3,
        "Letters to the camat, wali nagari and wali jorong gather unrecorded residents (Agam, FACTS 7.3); "
        "about half come (assumption); a third visit because a desa is large and spread out.",
    ),
}
SETUP_WHY = "Set-up: unpacking the kit (camera and backdrop, fingerprint, iris, signature pad; FACTS 7.1), assumption."


# The by-name lists whose people are counted (a person on either is counted once).
COUNTED_LISTS: tuple[ListKind, ...] = ("belum-rekam", "akan-wajib")
#: The by-name list of the IKD cohort (recorded, not activated): disjoint from those above.
IKD_LIST: ListKind = "belum-ikd"


def default_election_date(date_to: date) -> date:
    """Election day when none is given: the day after the period (the teams work up to its eve)."""
    return date_to + timedelta(days=1)


def targets_sql(as_of: date, election_day: date, ikd: bool = False) -> str:
    """Everyone counted, with the cohort flags: wajib and not recorded, or akan wajib; with
    ``ikd``, also the recorded whose IKD is not activated (``ikd_todo``; else always false)."""
    flags, _ = definitions(as_of, election_day, 1)
    cols = ",\n    ".join(f"coalesce({cond}, false) AS {name}" for name, cond in flags.items())
    kinds = (*COUNTED_LISTS, IKD_LIST) if ikd else COUNTED_LISTS
    counted = " OR ".join(f"({condition(kind)})" for kind in kinds)
    todo = f"({condition(IKD_LIST)})" if ikd else "false"
    return f"""
WITH p AS (
  SELECT nik, desa_code,
    {cols}
  FROM register
)
SELECT nik, desa_code, pem, ren, {todo} AS ikd_todo FROM p WHERE {counted}
"""


@dataclass(frozen=True)
class MakeOptions:
    region: RegionCode
    date_from: date
    date_to: date
    teams: int
    as_of: date
    election_date: date
    kits: int = DEFAULT_KITS
    minutes_per_person: float = DEFAULT_MINUTES_PER_PERSON
    per_kit_per_day: int = DEFAULT_PER_KIT_PER_DAY
    weekdays: tuple[int, ...] = DEFAULT_WEEKDAYS
    hours: tuple[str, str] = DEFAULT_HOURS
    max_visits: int | None = None
    min_people: int = 1
    road_factor: float = DEFAULT_ROAD_FACTOR
    speed_kmh: float = DEFAULT_SPEED_KMH
    ikd: bool = False  # count the IKD cohort (recorded, not activated) too
    ikd_minutes_per_person: float = DEFAULT_IKD_MINUTES_PER_PERSON
    turnouts: Mapping[str, float] = field(default_factory=dict)  # per site kind, instead of KIND_DEFAULTS

    @property
    def cohorts(self) -> tuple[str, ...]:
        return COHORTS if self.ikd else RECORDING_COHORTS


def parse_weekdays(value: str) -> tuple[int, ...]:
    """ "1-6" or "1,2,3,4,5" (ISO: 1 = Monday ... 7 = Sunday); ValueError otherwise."""
    days: set[int] = set()
    for part in value.replace(" ", "").split(","):
        lo, _, hi = part.partition("-")
        a, b = int(lo), int(hi or lo)
        if not 1 <= a <= b <= 7:
            raise ValueError(value)
        days.update(range(a, b + 1))
    return tuple(sorted(days))


def parse_hours(value: str) -> tuple[str, str]:
    """ "07:30-16:00" -> ("07:30", "16:00"); ValueError when not two times in order."""
    start, _, end = value.replace(" ", "").partition("-")
    minutes = []
    for t in (start, end):
        hh, _, mm = t.partition(":")
        if not (hh.isdigit() and mm.isdigit() and len(mm) == 2 and int(hh) * 60 + int(mm) <= 24 * 60 and int(mm) < 60):
            raise ValueError(value)
        minutes.append(int(hh) * 60 + int(mm))
    if minutes[1] <= minutes[0]:
        raise ValueError(value)
    return f"{minutes[0] // 60:02d}:{minutes[0] % 60:02d}", f"{minutes[1] // 60:02d}:{minutes[1] % 60:02d}"


def largest_remainder(total: int, weights: dict[str, float], minimum: int = 0) -> dict[str, int]:
    """``total`` seats over ``weights``: ``minimum`` each first, the rest by largest remainder
    (ties to the first key in sorted order)."""
    keys = sorted(weights)
    out = dict.fromkeys(keys, minimum)
    rest = total - minimum * len(keys)
    weight = sum(weights.values())
    if rest <= 0 or weight <= 0:
        return out
    quotas = {k: rest * weights[k] / weight for k in keys}
    for k in keys:
        out[k] += math.floor(quotas[k])
    left = total - sum(out.values())
    for k in sorted(keys, key=lambda k: (-(quotas[k] - math.floor(quotas[k])), k))[:left]:
        out[k] += 1
    return out


def _plain(code: str) -> str:
    return code.replace(".", "")


def _within(code: str | None, prefix: str) -> bool:
    return code is not None and (code == prefix or code.startswith(prefix + "."))


def _kab(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _mean(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def cohort(pemula: bool, rentan: bool, site_kind: str, ikd: bool = False) -> str:
    """The cohort a counted person is counted in at a site of ``site_kind`` (``desa`` at home);
    ``ikd``: recorded, IKD not activated (the ``belum-ikd`` list), whatever else they are."""
    if ikd:
        return IKD_COHORT
    return "pemula" if pemula else "rentan" if rentan or site_kind in RESIDENT_KINDS else "lainnya"


@dataclass(frozen=True)
class Rosters:
    """Who is on which site's roster, and who lives at a lapas or panti (not found at home)."""

    site_of: dict[str, str]  # NIK -> site id (a NIK is on one roster: the sites import refuses a second)
    residents: frozenset[str]

    @classmethod
    def of(cls, data: SiteData) -> Rosters:
        kind_of = {s["site_id"]: s["kind"] for s in data.rows("sites")}
        pairs = list(zip(data.rosters["site_id"], data.rosters["nik"], strict=True))
        return cls(
            {nik: sid for sid, nik in pairs}, frozenset(nik for sid, nik in pairs if kind_of.get(sid) in RESIDENT_KINDS)
        )


def counted_at(nik: str, desa: str | None, rosters: Rosters, kept: set[str], region: str) -> tuple[str, str] | None:
    """Where a counted person is counted, each person once: ``("site", id)`` of the kept site whose
    roster holds them; else ``("desa", code)``, their desa (dotted), when it is in ``region``
    (dotted) and they do not live at a lapas or panti; else nowhere (None). ``rekam plan make``
    counts with it and the itinerary's by-name lists are made with it, so a site's list is
    exactly the people its count was made from."""
    site = rosters.site_of.get(nik)
    if site in kept:
        return ("site", site)
    if desa is None or not _within(desa, region) or nik in rosters.residents:
        return None
    return ("desa", desa)


def people_at_sites(
    targets: Iterable[tuple[str, str, bool, bool, bool]], data: SiteData, plan: Mapping[str, Any], region: str
) -> dict[str, int]:
    """The counted people (``targets_sql`` rows) at each site a written plan visits that has a
    by-name list (a roster, or a desa), placed as ``rekam plan make`` places them (``counted_at``,
    the plan's other sites as the sites kept; ``region`` dotted): the size of each site's list,
    what a re-plan learns turnout against. A site counted from a head count has no list: absent."""
    sites: Mapping[str, Any] = plan.get("sites") if isinstance(plan.get("sites"), dict) else {}  # type: ignore[assignment]
    kept = {sid for sid, s in sites.items() if s.get("kind") != "desa"}
    desa_site = {
        _dotted(str(s["desa_code"])): sid for sid, s in sites.items() if s.get("kind") == "desa" and s.get("desa_code")
    }
    rosters = Rosters.of(data)
    listed = (kept & set(rosters.site_of.values())) | set(desa_site.values())
    out: Counter[str] = Counter(dict.fromkeys(listed, 0))
    for nik, desa, *_ in targets:
        place = counted_at(nik, desa, rosters, kept, region)
        if place is None:
            continue
        sid = place[1] if place[0] == "site" else desa_site.get(place[1])
        if sid in listed:
            out[sid] += 1
    return dict(out)


def build_scenario(
    options: MakeOptions,
    targets: Iterable[tuple[str, str, bool, bool, bool]],
    data: SiteData,
    snapshot_id: str,
) -> dict[str, Any]:
    """The scenario (a JSON-ready dict) for ``options``; ``targets`` are the rows of ``targets_sql``."""
    prefix = options.region.dotted
    warnings: list[str] = []
    sites = data.rows("sites")
    desa_point: dict[str, tuple[float, float]] = {
        d["desa_code"]: (d["lat"], d["lon"]) for d in data.rows("desa") if d["lat"] is not None
    }
    # A desa without coordinates of its own takes the mean of its sites' points.
    by_desa: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for s in sites:
        if s["lat"] is not None and s["kind"] != "dinas":
            by_desa[s["desa_code"]].append((s["lat"], s["lon"]))
    for code, points in by_desa.items():
        if code not in desa_point:
            desa_point[code] = _mean(points)  # type: ignore[assignment]

    def point(s: dict[str, Any]) -> tuple[float, float] | None:
        return (s["lat"], s["lon"]) if s["lat"] is not None else desa_point.get(s["desa_code"])

    # Sites of the region (depots apart) that can be placed on the map.
    placed: dict[str, dict[str, Any]] = {}
    unplaced = 0
    for s in sites:
        if s["kind"] == "dinas" or not _within(s["desa_code"], prefix):
            continue
        if point(s) is None:
            unplaced += 1
            continue
        placed[s["site_id"]] = s
    if unplaced:
        warnings.append(text("plan_warn_site_no_coordinates", count=unplaced))

    with_roster = set(data.rosters["site_id"])
    rosters = Rosters.of(data)

    counted = [(nik, desa, bool(pem), bool(ren), bool(todo) and options.ikd) for nik, desa, pem, ren, todo in targets]
    people: dict[str, Counter[str]] = defaultdict(Counter)
    for nik, _desa, pem, ren, todo in counted:
        sid = rosters.site_of.get(nik)
        if sid in placed:
            people[sid][cohort(pem, ren, placed[sid]["kind"], todo)] += 1
    for sid, s in placed.items():
        if sid not in with_roster:
            heads = {c: s[f"head_{c}"] for c in RECORDING_COHORTS if s[f"head_{c}"] is not None}
            if not heads and s["head_total"] is not None:
                heads = {"lainnya": s["head_total"]}
            people[sid].update({c: n for c, n in heads.items() if n})
    minimum = max(1, options.min_people)
    kept = {sid for sid in placed if sum(people[sid].values()) >= minimum}

    desa_people: dict[str, Counter[str]] = defaultdict(Counter)
    for nik, desa, pem, ren, todo in counted:
        if counted_at(nik, desa, rosters, kept, prefix) == ("desa", desa):
            desa_people[desa][cohort(pem, ren, "desa", todo)] += 1
    out_sites = [
        _site(placed[sid], point(placed[sid]), people[sid], options)
        for sid in sorted(
            kept,
            key=lambda i: (
                list(KIND_DEFAULTS).index(placed[i]["kind"]) if placed[i]["kind"] in KIND_DEFAULTS else 99,
                i,
            ),
        )
    ]
    ids = set(kept)
    no_point_desa = no_point_people = 0
    for code in sorted(desa_people):
        total = sum(desa_people[code].values())
        where = desa_point.get(code)
        if where is None:
            no_point_desa += 1
            no_point_people += total
            continue
        if total < minimum:
            continue
        desa_site = {
            "site_id": _unique(f"DESA-{_plain(code)}", ids),
            "kind": "desa",
            "name": gazetteer.name_of(code) or code,
            "desa_code": code,
        }
        ids.add(desa_site["site_id"])
        out_sites.append(_site(desa_site, where, desa_people[code], options))
    if no_point_desa:
        warnings.append(text("plan_warn_desa_no_coordinates", count=no_point_desa, people=no_point_people))
    if not out_sites:
        raise PlanningDataMissing("plan_nobody", region=prefix, min_people=minimum)

    by_kab: Counter[str] = Counter()
    for s in out_sites:
        by_kab[_kab(_dotted(s["desa_code"]))] += sum(s["people"].values())
    province = options.region.level == "prov"
    if province:
        kabs = sorted(by_kab)
        share = largest_remainder(options.teams, dict(by_kab), 1 if options.teams >= len(kabs) else 0)
        without = [k for k in kabs if share[k] == 0]
        if without:
            warnings.append(text("plan_warn_kab_without_team", count=len(without), teams=options.teams, kabs=len(kabs)))
    else:
        share = {options.region.at_level("kab").dotted: options.teams}
    depots: list[dict[str, Any]] = []
    teams: list[dict[str, Any]] = []
    for kab in sorted(share):
        if share[kab] == 0:
            continue
        depot = _depot(kab, sites, desa_point, out_sites, warnings)
        depots.append(depot)
        name = gazetteer.name_of(kab) or kab
        for i in range(share[kab]):
            team: dict[str, Any] = {
                "id": f"T{len(teams) + 1:02d}",
                "name": f"Tim {i + 1} {name}",
                "start_depot": depot["id"],
                "end_depot": depot["id"],
                "kits": options.kits,
            }
            if province:
                team["region"] = _plain(kab)
            teams.append(team)

    totals: Counter[str] = Counter()
    kinds: dict[str, dict[str, Any]] = {}
    for s in out_sites:
        totals.update(s["people"])
        k = kinds.setdefault(s["kind"], {"sites": 0, "people": dict.fromkeys(options.cohorts, 0)})
        k["sites"] += 1
        for c, n in s["people"].items():
            k["people"][c] += n
    region_name = gazetteer.name_of(prefix) or prefix
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": f"Jemput bola {region_name} {options.date_from.isoformat()} s.d. {options.date_to.isoformat()}",
        "region": options.region.plain,
        "period": {
            "from": options.date_from.isoformat(),
            "to": options.date_to.isoformat(),
            "weekdays": list(options.weekdays),
            "excluded_dates": [],
            "hours": {"start": options.hours[0], "end": options.hours[1]},
        },
        "weights": {c: DEFAULT_WEIGHTS[c] for c in options.cohorts},
        "throughput": {"minutes_per_person": options.minutes_per_person, "per_kit_per_day": options.per_kit_per_day}
        | ({"ikd_minutes_per_person": options.ikd_minutes_per_person} if options.ikd else {}),
        "travel": {"mode": "coordinates", "road_factor": options.road_factor, "speed_kmh": options.speed_kmh},
        "depots": depots,
        "teams": teams,
        "sites": out_sites,
        "source": {
            "made_by": "rekam plan make",
            "snapshot": snapshot_id,
            "sites_version": data.version,
            "as_of": options.as_of.isoformat(),
            "election_date": options.election_date.isoformat(),
            "people": {c: totals.get(c, 0) for c in options.cohorts},
            "sites_by_kind": kinds,
            "teams_by_kab": {_plain(k): v for k, v in sorted(share.items()) if v},
            "warnings": warnings,
        },
    }


def _dotted(plain: str) -> str:
    return f"{plain[:2]}.{plain[2:4]}.{plain[4:6]}.{plain[6:]}"


def _unique(candidate: str, taken: set[str]) -> str:
    out, n = candidate, 1
    while out in taken:
        n += 1
        out = f"{candidate}-{n}"
    return out


def _site(
    s: dict[str, Any], where: tuple[float, float] | None, people: Counter[str], options: MakeOptions
) -> dict[str, Any]:
    d = KIND_DEFAULTS[s["kind"]]
    assert where is not None
    return {
        "id": s["site_id"],
        "kind": s["kind"],
        "name": s["name"],
        "desa_code": _plain(s["desa_code"]),
        "lat": round(where[0], 6),
        "lon": round(where[1], 6),
        "people": {c: int(people.get(c, 0)) for c in options.cohorts},
        "turnout": options.turnouts.get(s["kind"], d.turnout),
        "setup_minutes": d.setup_minutes,
        "open_weekdays": list(d.open_weekdays),
        "open": d.open,
        "close": d.close,
        "max_visits": options.max_visits or d.max_visits,
    }


def _depot(
    kab: str,
    sites: list[dict[str, Any]],
    desa_point: dict[str, tuple[float, float]],
    out_sites: list[dict[str, Any]],
    warnings: list[str],
) -> dict[str, Any]:
    """The kab/kota's Dinas office; else the centre of its desa (or of its sites), with a warning."""
    name = gazetteer.name_of(kab) or kab
    offices = sorted(
        (s for s in sites if s["kind"] == "dinas" and _within(s["desa_code"], kab)), key=lambda s: s["site_id"]
    )
    for office in offices:
        where = (office["lat"], office["lon"]) if office["lat"] is not None else desa_point.get(office["desa_code"])
        if where is not None:
            if len(offices) > 1:
                warnings.append(text("plan_warn_several_dinas", kab=name, count=len(offices), site=office["site_id"]))
            return {
                "id": office["site_id"],
                "name": office["name"],
                "lat": round(where[0], 6),
                "lon": round(where[1], 6),
            }
    points = [p for code, p in desa_point.items() if _within(code, kab)]
    if not points:
        points = [(s["lat"], s["lon"]) for s in out_sites if _within(_dotted(s["desa_code"]), kab)]
    centre = _mean(points)
    if centre is None:
        raise PlanningDataMissing("plan_no_coordinates", kab=name)
    lat, lon = round(centre[0], 6), round(centre[1], 6)
    warnings.append(text("plan_warn_depot_fallback", kab=name, count=len(points), lat=lat, lon=lon))
    return {"id": f"DEPOT-{_plain(kab)}", "name": f"{name} (titik tengah)", "lat": lat, "lon": lon}


# --- the by-name list of each site of a scenario ------------------------------------------------


@dataclass
class SiteLists:
    """The by-name lists of the sites asked for: what an itinerary prints for each site."""

    source: Source
    people: dict[str, list[Person]]  # site id -> its people in household order (sites with a list)
    without_list: set[str] = field(default_factory=set)  # sites counted from a head count: no names

    @property
    def total(self) -> int:
        return sum(len(p) for p in self.people.values())


def site_lists(
    scenario: Scenario, site_ids: list[str], settings: Settings, left_out: frozenset[str] = frozenset()
) -> SiteLists:
    """The by-name lists of ``site_ids`` (sites of ``scenario``, which has a source); ``left_out``:
    NIKs the scenario did not count (a re-plan's people recorded at a desk since the snapshot)."""
    source = source_of(scenario)
    if source is None:
        raise ScenarioError("itinerary_no_source")
    st = Store(settings.home)
    snapshot = st.load(source.snapshot)  # SnapshotError when the snapshot is gone
    sites_store = SiteStore(settings.home)
    if not sites_store.has_version(source.sites_version):
        raise PlanningDataMissing("itinerary_sites_gone", version=source.sites_version)
    rosters = Rosters.of(sites_store.load(("sites", "rosters"), version=source.sites_version))
    with_roster = set(rosters.site_of.values())

    kept = {sid for sid, s in scenario.sites.items() if s.kind != "desa"}
    desa_site = {parse_region(s.desa_code).dotted: sid for sid, s in scenario.sites.items() if s.kind == "desa"}
    wanted = set(site_ids)
    at: dict[str, str] = {}  # NIK -> the wanted site it is counted at
    homes: set[str] = set()  # the desa those people are registered in
    cohorts: dict[str, Counter[str]] = {sid: Counter() for sid in wanted}
    ikd = any(IKD_COHORT in s.people for s in scenario.sites.values())  # made with --ikd
    kinds = (*COUNTED_LISTS, IKD_LIST) if ikd else COUNTED_LISTS
    with open_engine(settings.engine, st, snapshot, None, spark_master=settings.spark_master) as engine:
        for nik, desa, pem, ren, todo in engine.run(targets_sql(source.as_of, source.election_date, ikd)):
            if nik in left_out:
                continue
            place = counted_at(nik, desa, rosters, kept, source.region)
            if place is None:
                continue
            sid = place[1] if place[0] == "site" else desa_site.get(place[1])
            if sid in wanted:
                at[nik] = sid
                homes.add(desa or "")
                cohorts[sid][cohort(bool(pem), bool(ren), scenario.sites[sid].kind, bool(todo))] += 1
        found = people_in_desa(engine, kinds, sorted(homes - {""}), source.as_of, source.election_date)

    out = SiteLists(source, {})
    for sid in site_ids:
        if scenario.sites[sid].kind == "desa" or sid in with_roster:
            out.people[sid] = []
        else:
            out.without_list.add(sid)
    for person in found:
        sid = at.get(person.nik)
        if sid in out.people:
            out.people[sid].append(person)
    for sid, listed in out.people.items():
        counted = {c: round(n) for c, n in scenario.sites[sid].people.items() if round(n)}
        if len(listed) != sum(cohorts[sid].values()) or counted != {c: n for c, n in cohorts[sid].items() if n}:
            raise ScenarioError(
                "itinerary_counts_differ",
                site=sid,
                counted=sum(counted.values()),
                listed=len(listed),
                snapshot=source.snapshot,
            )
    return out
