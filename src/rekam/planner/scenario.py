"""The jemput-bola scenario: who can go where, when, and what a visit is worth.

A scenario is a JSON document (schema in docs/planner.md and ``SCHEMA`` below). Reading it
checks every field and names the first bad one by its JSON path; the result is an immutable
``Scenario`` with times in minutes from midnight and the travel matrix built once.

What a visit yields (the model the solver, the bound and the checker share): a site has
``people`` per cohort who have not recorded. The k-th visit (counted in time order across the
whole plan) records ``q_k = min(r_k x turnout, cap)`` people, where ``r_1`` is everyone and
``r_{k+1} = r_k - q_k``; ``cap`` is what the smallest team that may serve the site can record in
one visit (kit capacity per day, and what fits in the site's opening hours). Recordings are
split over cohorts in proportion; the value of a visit is the cohort-weighted sum. Expected
values, not whole people: turnout is a fraction.

The IKD cohort (issue 19, docs/planner.md): ``ikd`` counts people already recorded whose IKD
(the digital ID) is not activated, so that a visit both records the unrecorded and activates
the recorded. An activation is a QR scan, shorter than a recording: it takes
``throughput.ikd_minutes_per_person`` (3 by default) against ``throughput.minutes_per_person``
(5 by default) for a recording, so a person of cohort ``c`` weighs ``effort[c]`` recordings
(1 for the recording cohorts, 3/5 for ``ikd``) in a visit's minutes and in the kits' daily
count: a visit's ``load`` (``Scenario.load``), not its head count, is what the time and the
capacity see. With no ``ikd`` people the load is the head count: older scenarios read and
solve as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.errors import ScenarioError

FORMAT = "rekam-scenario"
VERSION = 1
SITE_KINDS = ("desa", "sekolah", "kampus", "lapas", "panti", "rumah_sakit", "rumah_warga")
#: The cohorts to record (not recorded yet), then ``ikd``: recorded, IKD not activated.
RECORDING_COHORTS = ("pemula", "rentan", "lainnya")
IKD_COHORT = "ikd"
COHORTS = (*RECORDING_COHORTS, IKD_COHORT)
#: An activation is worth half a recording by default: recording is the obligation
#: (Permendagri 95/2019) and its target 99.4 %; IKD's is 30 % (docs/planner.md).
DEFAULT_WEIGHTS = {"pemula": 3.0, "rentan": 2.0, "lainnya": 1.0, IKD_COHORT: 0.5}
DEFAULT_MINUTES_PER_PERSON = 5.0
#: An IKD activation: install the app, scan the QR code, verify the face (assumption, docs/planner.md).
DEFAULT_IKD_MINUTES_PER_PERSON = 3.0
DEFAULT_PER_KIT_PER_DAY = 50
DEFAULT_HOURS = ("08:00", "16:00")
DEFAULT_ROAD_FACTOR = 1.4
DEFAULT_SPEED_KMH = 30.0
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Depot:
    id: str
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    start_depot: str
    end_depot: str
    kits: int
    minutes_per_person: float
    per_kit_per_day: int
    day_start: int | None  # minutes; None = the period's hours of the date
    day_end: int | None
    dates: frozenset[dt.date] | None  # None = every working date
    region: str | None  # a region code prefix: the team serves only sites whose desa code starts with it

    def capacity(self) -> int:
        """People this team's kits can record in one day."""
        return self.kits * self.per_kit_per_day

    def service_minutes(self, setup: float, people: float) -> float:
        return setup + people * self.minutes_per_person / self.kits

    def serves(self, site: Site) -> bool:
        return self.region is None or site.desa_code.startswith(self.region)


@dataclass(frozen=True)
class Site:
    id: str
    kind: str
    name: str
    desa_code: str
    lat: float | None
    lon: float | None
    people: dict[str, float]
    turnout: float
    setup_minutes: float
    open_weekdays: frozenset[int]  # ISO weekday 1 = Monday
    open: int  # minutes from midnight
    close: int
    max_visits: int

    @property
    def total(self) -> float:
        return sum(self.people.values())


@dataclass(frozen=True)
class Visit:
    """The k-th visit to a site (k from 1): people recorded per cohort and their value."""

    site: str
    k: int
    people: dict[str, float]
    value: float
    effort: float = 1.0  # the mean effort of its people, in recordings (1 without IKD people)

    @functools.cached_property
    def total(self) -> float:
        """People served (head count)."""
        return sum(self.people.values())

    @functools.cached_property
    def load(self) -> float:
        """In recordings (``Scenario.load``): what the visit's minutes and the kits' count see."""
        return self.total if self.effort == 1.0 else self.total * self.effort


@dataclass(frozen=True)
class Travel:
    """Minutes from place to place (depots and sites), as a matrix with an index by id."""

    index: dict[str, int]
    matrix: np.ndarray = field(repr=False)

    def whole_minutes(self, ids: list[str]) -> np.ndarray:
        """The minutes among ``ids`` rounded up, as plans count them."""
        where = [self.index[i] for i in ids]
        return np.ceil(self.matrix[np.ix_(where, where)] - 1e-9).astype(np.int64)


@dataclass(frozen=True)
class Scenario:
    name: str
    region: str | None
    dates: tuple[dt.date, ...]  # working dates, in order
    hours: dict[dt.date, tuple[int, int]]
    weights: dict[str, float]
    depots: dict[str, Depot]
    teams: tuple[Team, ...]
    sites: dict[str, Site]
    travel: Travel  # minutes between any two places (depots and sites)
    raw: dict[str, Any] = field(repr=False, compare=False)
    #: A person of each cohort in recordings (time and kit count); absent: 1 (module docstring).
    effort: dict[str, float] = field(default_factory=dict)

    def load(self, people: dict[str, float]) -> float:
        """``people`` per cohort in recordings: the time and kit count they take."""
        return sum(n * self.effort.get(c, 1.0) for c, n in people.items())

    def minutes(self, a: str, b: str) -> float:
        return float(self.travel.matrix[self.travel.index[a], self.travel.index[b]])

    def team(self, team_id: str) -> Team:
        for t in self.teams:
            if t.id == team_id:
                return t
        raise KeyError(team_id)

    def team_day(self, team: Team, date: dt.date) -> tuple[int, int] | None:
        """The team's working window on ``date``, or None when it does not work that day."""
        if date not in self.hours or (team.dates is not None and date not in team.dates):
            return None
        start, end = self.hours[date]
        return (
            team.day_start if team.day_start is not None else start,
            team.day_end if team.day_end is not None else end,
        )

    def site_open(self, site: Site, date: dt.date) -> bool:
        return date.isoweekday() in site.open_weekdays

    def visit_cap(self, site: Site) -> float:
        """The load (in recordings) one visit can take at most: the smallest serving team's day, and the hours."""
        caps = []
        for team in self.teams:
            if team.serves(site):
                by_time = max(0.0, site.close - site.open - site.setup_minutes) * team.kits / team.minutes_per_person
                caps.append(min(float(team.capacity()), by_time))
        return min(caps) if caps else 0.0

    def visits(self, site: Site) -> list[Visit]:
        """The visits worth making to ``site``, in order; their values fall with k."""
        # The cohorts are served in proportion, so every visit has the site's mix: a visit's
        # load is its head count times the mix's mean effort (1 without IKD people).
        effort = self.load(site.people) / site.total if site.total > 0 else 1.0
        cap = self.visit_cap(site) / effort
        remaining = site.total
        out: list[Visit] = []
        for k in range(1, site.max_visits + 1):
            q = min(remaining * site.turnout, cap)
            if q < 1e-9 or remaining <= 0:
                break
            share = {c: n * q / site.total for c, n in site.people.items()}
            value = sum(self.weights.get(c, 1.0) * n for c, n in share.items())
            out.append(Visit(site.id, k, share, value, effort))
            remaining -= q
        return out

    def with_extra(self, add_teams: int = 0, extra_days: int = 0) -> Scenario:
        """The what-if: ``add_teams`` copies of existing teams (round robin), ``extra_days`` more working days."""
        raw = json.loads(json.dumps(self.raw))
        teams = raw["teams"]
        for i in range(add_teams):
            copy = dict(teams[i % len(self.teams)])
            copy["id"] = f"{copy['id']}+{i + 1}"
            copy["name"] = f"{copy.get('name', copy['id'])} (tambahan {i + 1})"
            teams.append(copy)
        if extra_days:
            period = raw["period"]
            day = dt.date.fromisoformat(period["to"])
            weekdays = set(period.get("weekdays", [1, 2, 3, 4, 5]))
            excluded = set(period.get("excluded_dates", []))
            added = 0
            while added < extra_days:
                day += dt.timedelta(days=1)
                if day.isoweekday() in weekdays and day.isoformat() not in excluded:
                    added += 1
            period["to"] = day.isoformat()
            for team in teams:
                if team.get("dates") is not None:
                    team["dates"] = sorted(
                        set(team["dates"]) | {d.isoformat() for d in _dates_between(self.dates[-1], day)}
                    )
        return parse_scenario(raw)


def _dates_between(last: dt.date, to: dt.date) -> list[dt.date]:
    out, day = [], last
    while day < to:
        day += dt.timedelta(days=1)
        out.append(day)
    return out


def read_scenario(path: Path) -> Scenario:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise ScenarioError("scenario_unreadable", file=path.name) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError("scenario_not_json", file=path.name, line=exc.lineno) from None
    return parse_scenario(raw)


# --- parsing: every error names its JSON path -------------------------------------------


def _fail(path: str, problem: str) -> ScenarioError:
    return ScenarioError("scenario_invalid", path=path, problem=problem)


def _get(obj: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    if key not in obj or obj[key] is None:
        if default is ...:
            raise _fail(f"{path}.{key}", "wajib diisi")
        return default
    value = obj[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise _fail(f"{path}.{key}", f"harus bertipe {names}")
    return value


def _objects(raw: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    """The objects of the list ``raw[key]`` with their JSON paths."""
    items = _get(raw, key, "$", list)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(f"$.{key}[{i}]", "harus objek")
    return [(f"$.{key}[{i}]", item) for i, item in enumerate(items)]


def _time(value: Any, path: str) -> int:
    if not isinstance(value, str):
        raise _fail(path, "harus jam HH:MM")
    try:
        hh, mm = value.split(":")
        h, m = int(hh), int(mm)
    except ValueError:
        raise _fail(path, "harus jam HH:MM") from None
    if not (0 <= h <= 24 and 0 <= m < 60) or h * 60 + m > 24 * 60:
        raise _fail(path, "harus jam HH:MM")
    return h * 60 + m


def _date(value: Any, path: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _fail(path, "harus tanggal YYYY-MM-DD") from None


def _window(obj: dict[str, Any], path: str, default: tuple[str, str]) -> tuple[int, int]:
    start = _time(obj.get("start", default[0]), f"{path}.start")
    end = _time(obj.get("end", default[1]), f"{path}.end")
    if end <= start:
        raise _fail(path, "jam selesai harus setelah jam mulai")
    return start, end


def _coordinate(obj: dict[str, Any], path: str) -> tuple[float | None, float | None]:
    lat = _get(obj, "lat", path, float, None)
    lon = _get(obj, "lon", path, float, None)
    if (lat is None) != (lon is None):
        raise _fail(path, "lat dan lon harus diisi bersama")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _fail(path, "koordinat di luar jangkauan")
    return lat, lon


def _positive(value: float, path: str, allow_zero: bool = False) -> float:
    if value < 0 or (value == 0 and not allow_zero) or math.isnan(value):
        raise _fail(path, "harus lebih dari 0" if not allow_zero else "tidak boleh negatif")
    return value


def parse_scenario(raw: Any) -> Scenario:
    if not isinstance(raw, dict):
        raise _fail("$", "harus objek JSON")
    if raw.get("format") != FORMAT:
        raise _fail("$.format", f'harus "{FORMAT}"')
    if raw.get("version") != VERSION:
        raise _fail("$.version", f"harus {VERSION}")
    period = _get(raw, "period", "$", dict)
    first = _date(period.get("from"), "$.period.from")
    last = _date(period.get("to"), "$.period.to")
    if last < first:
        raise _fail("$.period.to", "harus sama atau setelah period.from")
    if (last - first).days > 366:
        raise _fail("$.period.to", "periode paling lama satu tahun")
    weekdays = _get(period, "weekdays", "$.period", list, [1, 2, 3, 4, 5])
    if not weekdays or any(not isinstance(w, int) or not 1 <= w <= 7 for w in weekdays):
        raise _fail("$.period.weekdays", "harus daftar angka 1 (Senin) sampai 7 (Minggu)")
    excluded = {_date(d, f"$.period.excluded_dates[{i}]") for i, d in enumerate(period.get("excluded_dates") or [])}
    default_hours = _window(period.get("hours") or {}, "$.period.hours", DEFAULT_HOURS)
    by_date = {}
    for key, value in (period.get("hours_by_date") or {}).items():
        if not isinstance(value, dict):
            raise _fail(f"$.period.hours_by_date.{key}", "harus objek {start, end}")
        by_date[_date(key, f"$.period.hours_by_date.{key}")] = _window(
            value, f"$.period.hours_by_date.{key}", DEFAULT_HOURS
        )
    dates = []
    day = first
    while day <= last:
        if day.isoweekday() in weekdays and day not in excluded:
            dates.append(day)
        day += dt.timedelta(days=1)
    for day in by_date:  # a date given its own hours is worked even on a weekend (e.g. election day)
        if first <= day <= last and day not in dates and day not in excluded:
            dates.append(day)
    dates.sort()
    hours = {d: by_date.get(d, default_hours) for d in dates}

    # The IKD cohort's weight only where it counts (an older scenario's plans name the same weights).
    counts_ikd = any(
        isinstance(s, dict) and isinstance(s.get("people"), dict) and IKD_COHORT in s["people"]
        for s in raw.get("sites") or []
    )
    weights = {c: w for c, w in DEFAULT_WEIGHTS.items() if c != IKD_COHORT or counts_ikd}
    for key, value in (raw.get("weights") or {}).items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise _fail(f"$.weights.{key}", "harus angka tidak negatif")
        weights[key] = float(value)
    throughput = raw.get("throughput") or {}
    default_mpp = _positive(
        _get(throughput, "minutes_per_person", "$.throughput", float, DEFAULT_MINUTES_PER_PERSON),
        "$.throughput.minutes_per_person",
    )
    default_cap = int(
        _positive(
            _get(throughput, "per_kit_per_day", "$.throughput", int, DEFAULT_PER_KIT_PER_DAY),
            "$.throughput.per_kit_per_day",
        )
    )
    ikd_mpp = _positive(
        _get(throughput, "ikd_minutes_per_person", "$.throughput", float, DEFAULT_IKD_MINUTES_PER_PERSON),
        "$.throughput.ikd_minutes_per_person",
    )
    effort = {IKD_COHORT: ikd_mpp / default_mpp}

    depots: dict[str, Depot] = {}
    for path, d in _objects(raw, "depots"):
        depot_id = _get(d, "id", path, str)
        if depot_id in depots:
            raise _fail(f"{path}.id", f"id ganda: {depot_id}")
        lat, lon = _coordinate(d, path)
        depots[depot_id] = Depot(depot_id, _get(d, "name", path, str, depot_id), lat, lon)
    if not depots:
        raise _fail("$.depots", "paling sedikit satu depot")

    teams: list[Team] = []
    for path, t in _objects(raw, "teams"):
        team_id = _get(t, "id", path, str)
        if any(x.id == team_id for x in teams):
            raise _fail(f"{path}.id", f"id ganda: {team_id}")
        start = _get(t, "start_depot", path, str)
        end = _get(t, "end_depot", path, str, start)
        for key, value in (("start_depot", start), ("end_depot", end)):
            if value not in depots:
                raise _fail(f"{path}.{key}", f"depot tidak dikenal: {value}")
        if "recordings_per_kit_per_hour" in t and "minutes_per_person" not in t:
            mpp = 60.0 / _positive(
                _get(t, "recordings_per_kit_per_hour", path, float), f"{path}.recordings_per_kit_per_hour"
            )
        else:
            mpp = _positive(_get(t, "minutes_per_person", path, float, default_mpp), f"{path}.minutes_per_person")
        kits = _get(t, "kits", path, int, 1)
        if kits < 1:
            raise _fail(f"{path}.kits", "paling sedikit 1")
        cap = int(_positive(_get(t, "per_kit_per_day", path, int, default_cap), f"{path}.per_kit_per_day"))
        day_start = _time(t["day_start"], f"{path}.day_start") if t.get("day_start") else None
        day_end = _time(t["day_end"], f"{path}.day_end") if t.get("day_end") else None
        if day_start is not None and day_end is not None and day_end <= day_start:
            raise _fail(f"{path}.day_end", "harus setelah day_start")
        team_dates = None
        if t.get("dates") is not None:
            team_dates = frozenset(_date(d, f"{path}.dates[{j}]") for j, d in enumerate(_get(t, "dates", path, list)))
        region = _get(t, "region", path, str, None)
        teams.append(
            Team(
                team_id,
                _get(t, "name", path, str, team_id),
                start,
                end,
                kits,
                mpp,
                cap,
                day_start,
                day_end,
                team_dates,
                region,
            )
        )
    if not teams:
        raise _fail("$.teams", "paling sedikit satu tim")

    sites: dict[str, Site] = {}
    for path, s in _objects(raw, "sites"):
        site_id = _get(s, "id", path, str)
        if site_id in sites or site_id in depots:
            raise _fail(f"{path}.id", f"id ganda: {site_id}")
        kind = _get(s, "kind", path, str)
        if kind not in SITE_KINDS:
            raise _fail(f"{path}.kind", "harus salah satu dari " + ", ".join(SITE_KINDS))
        people_raw = _get(s, "people", path, dict)
        people = {}
        for cohort, n in people_raw.items():
            if not isinstance(n, int | float) or isinstance(n, bool) or n < 0:
                raise _fail(f"{path}.people.{cohort}", "harus angka tidak negatif")
            people[cohort] = float(n)
        turnout = _get(s, "turnout", path, float, 0.7)
        if not 0 < turnout <= 1:
            raise _fail(f"{path}.turnout", "harus lebih dari 0 dan paling besar 1")
        setup = _positive(_get(s, "setup_minutes", path, float, 20.0), f"{path}.setup_minutes", allow_zero=True)
        open_days = _get(s, "open_weekdays", path, list, [1, 2, 3, 4, 5, 6, 7])
        if any(not isinstance(w, int) or not 1 <= w <= 7 for w in open_days):
            raise _fail(f"{path}.open_weekdays", "harus daftar angka 1 (Senin) sampai 7 (Minggu)")
        opening = _time(s.get("open", "00:00"), f"{path}.open")
        closing = _time(s.get("close", "24:00"), f"{path}.close")
        if closing <= opening:
            raise _fail(f"{path}.close", "harus setelah open")
        max_visits = _get(s, "max_visits", path, int, 1)
        if max_visits < 1:
            raise _fail(f"{path}.max_visits", "paling sedikit 1")
        lat, lon = _coordinate(s, path)
        sites[site_id] = Site(
            site_id,
            kind,
            _get(s, "name", path, str, site_id),
            _get(s, "desa_code", path, str, ""),
            lat,
            lon,
            people,
            turnout,
            setup,
            frozenset(open_days),
            opening,
            closing,
            max_visits,
        )

    travel = _travel(raw.get("travel") or {}, depots, sites)
    return Scenario(
        _get(raw, "name", "$", str, "skenario"),
        _get(raw, "region", "$", str, None),
        tuple(dates),
        hours,
        weights,
        depots,
        tuple(teams),
        sites,
        travel,
        raw,
        effort,
    )


def _travel(spec: dict[str, Any], depots: dict[str, Depot], sites: dict[str, Site]) -> Travel:
    mode = spec.get("mode", "coordinates")
    places: dict[str, tuple[float | None, float | None]] = {d.id: (d.lat, d.lon) for d in depots.values()}
    places.update({s.id: (s.lat, s.lon) for s in sites.values()})
    if mode == "matrix":
        ids = _get(spec, "ids", "$.travel", list)
        rows = _get(spec, "minutes", "$.travel", list)
        missing = [p for p in places if p not in ids]
        if missing:
            raise _fail("$.travel.ids", f"tidak memuat {missing[0]}")
        if len(rows) != len(ids) or any(not isinstance(r, list) or len(r) != len(ids) for r in rows):
            raise _fail("$.travel.minutes", f"harus matriks {len(ids)} x {len(ids)}")
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                    raise _fail(f"$.travel.minutes[{i}][{j}]", "harus menit tidak negatif")
        order = [ids.index(p) for p in places]
        matrix = np.asarray(rows, dtype=float)[np.ix_(order, order)]
        np.fill_diagonal(matrix, 0.0)
        return Travel({p: i for i, p in enumerate(places)}, matrix)
    if mode != "coordinates":
        raise _fail("$.travel.mode", 'harus "coordinates" atau "matrix"')
    factor = _positive(_get(spec, "road_factor", "$.travel", float, DEFAULT_ROAD_FACTOR), "$.travel.road_factor")
    speed = _positive(_get(spec, "speed_kmh", "$.travel", float, DEFAULT_SPEED_KMH), "$.travel.speed_kmh")
    for place, (lat, _lon) in places.items():
        if lat is None:
            raise _fail(f"$ (id {place})", "tanpa koordinat lat/lon: isi koordinatnya atau beri travel.mode matrix")
    lat = np.radians(np.array([places[p][0] for p in places], dtype=float))
    lon = np.radians(np.array([places[p][1] for p in places], dtype=float))
    h = (
        np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
        + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    matrix = km * factor / speed * 60.0
    np.fill_diagonal(matrix, 0.0)
    return Travel({p: i for i, p in enumerate(places)}, matrix)


# --- where a scenario's counts came from ------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a scenario's counts came from (its ``source``, written by ``rekam plan make``)."""

    snapshot: str
    sites_version: str
    as_of: dt.date
    election_date: dt.date
    region: str  # dotted


def source_of(scenario: Scenario) -> Source | None:
    """The scenario's source, or None when it was not made by ``rekam plan make``."""
    raw = scenario.raw.get("source")
    if not isinstance(raw, dict) or raw.get("made_by") != "rekam plan make" or not scenario.region:
        return None
    try:
        return Source(
            str(raw["snapshot"]),
            str(raw["sites_version"]),
            dt.date.fromisoformat(raw["as_of"]),
            dt.date.fromisoformat(raw["election_date"]),
            parse_region(scenario.region).dotted,
        )
    except (KeyError, TypeError, ValueError, InvalidRegionCode):
        return None
