"""The by-name list of each site of a scenario: exactly the people its count was made from.

A scenario made by ``rekam plan make`` records in its ``source`` the register snapshot, the
sites version, the as-of date and election day it was counted from. The lists are made again
from those, with the same query (``make.targets_sql``), the same placement rule
(``make.counted_at``: a kept site's roster first, then the desa, lapas and panti residents only
at their site) and the same cohorts (``make.cohort``); the sites kept are the scenario's own.
Each list is then compared with the scenario's count per cohort: a scenario edited by hand
after it was made is refused rather than printed with lists that do not match its counts.

A site without a roster (a head count from the site list) has no by-name list: its people
are not known by name, and they were not taken off their desa either.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from rekam.analytics.engines import open_engine
from rekam.analytics.lists import Person, people_in_desa
from rekam.config import Settings
from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.errors import PlanningDataMissing, ScenarioError
from rekam.planner import make
from rekam.planner.scenario import Scenario
from rekam.register.store import Store
from rekam.sites.store import SiteStore


@dataclass(frozen=True)
class Source:
    """Where a scenario's counts came from (its ``source``, written by ``rekam plan make``)."""

    snapshot: str
    sites_version: str
    as_of: dt.date
    election_date: dt.date
    region: str  # dotted


@dataclass
class SiteLists:
    source: Source
    people: dict[str, list[Person]]  # site id -> its people in household order (sites with a list)
    without_list: set[str] = field(default_factory=set)  # sites counted from a head count: no names

    @property
    def total(self) -> int:
        return sum(len(p) for p in self.people.values())


def source_of(scenario: Scenario) -> Source | None:
    """The scenario's source, or None when it was not made by ``rekam plan make``."""
    raw = scenario.raw.get("source")
    if not isinstance(raw, dict) or raw.get("made_by") != "rekam plan make" or not scenario.region:
        return None
    try:
        return Source(
            str(raw["snapshot"]), str(raw["sites_version"]), dt.date.fromisoformat(raw["as_of"]),
            dt.date.fromisoformat(raw["election_date"]), parse_region(scenario.region).dotted,
        )  # fmt: skip
    except (KeyError, TypeError, ValueError, InvalidRegionCode):
        return None


def site_lists(scenario: Scenario, site_ids: list[str], settings: Settings) -> SiteLists:
    """The by-name lists of ``site_ids`` (sites of ``scenario``, which has a source)."""
    source = source_of(scenario)
    if source is None:
        raise ScenarioError("itinerary_no_source")
    st = Store(settings.home)
    snapshot = st.load(source.snapshot)  # SnapshotError when the snapshot is gone
    sites_store = SiteStore(settings.home)
    if not sites_store.has_version(source.sites_version):
        raise PlanningDataMissing("itinerary_sites_gone", version=source.sites_version)
    rosters = make.Rosters.of(sites_store.load(("sites", "rosters"), version=source.sites_version))
    with_roster = set(rosters.site_of.values())

    kept = {sid for sid, s in scenario.sites.items() if s.kind != "desa"}
    desa_site = {parse_region(s.desa_code).dotted: sid for sid, s in scenario.sites.items() if s.kind == "desa"}
    wanted = set(site_ids)
    at: dict[str, str] = {}  # NIK -> the wanted site it is counted at
    homes: set[str] = set()  # the desa those people are registered in
    cohorts: dict[str, Counter[str]] = {sid: Counter() for sid in wanted}
    with open_engine(settings.engine, st, snapshot, None, spark_master=settings.spark_master) as engine:
        for nik, desa, pem, ren in engine.run(make.targets_sql(source.as_of, source.election_date)):
            place = make.counted_at(nik, desa, rosters, kept, source.region)
            if place is None:
                continue
            sid = place[1] if place[0] == "site" else desa_site.get(place[1])
            if sid in wanted:
                at[nik] = sid
                homes.add(desa or "")
                cohorts[sid][make.cohort(bool(pem), bool(ren), scenario.sites[sid].kind)] += 1
        found = people_in_desa(engine, make.COUNTED_LISTS, sorted(homes - {""}), source.as_of, source.election_date)

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
            raise ScenarioError("itinerary_counts_differ", site=sid, counted=sum(counted.values()),
                                listed=len(listed), snapshot=source.snapshot)  # fmt: skip
    return out
