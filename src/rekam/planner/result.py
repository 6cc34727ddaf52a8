"""A plan against its result (issue 20): per stop, team-day and day, what the plan expected
beside what the teams found and recorded; and the turnout learned per site kind.

Pure: a plan's JSON (``Plan.as_json``, what ``rekam plan solve --out`` writes) and the field
outcomes (any objects with the fields of ``rekam.ops.field.FieldOutcome``: ``Outcome`` below),
no database and no register. The solver core's rule holds: nothing of rekam above ``domain``.

A stop is ``<date>/<team>/<order, 1-based>`` (the field contract's ``stop_id``). The counting
rules (docs/planner.md, "Plan against result"):

- **a person** is a NIK; an outcome without a NIK (someone found at the stop who is not on the
  list, added by name) is a person of its own;
- **found** at a stop: the people with at least one outcome there other than ``tidak_hadir``
  (someone marked absent who came later was found; no outcome is taken back);
- **recorded**: a person's ``direkam`` counts once in the whole plan, at the earliest one
  (``occurred_at``, then ``received_at``, then ``key``): one person, one recording, the rule
  the server keeps when the same person is logged twice (two devices, or a counter and a team);
  a later ``direkam`` of that person still makes them found where it happened;
- **activated**: ``aktivasi_ikd``, once per person in the same way;
- **failed**: the people with a ``gagal_rekam`` at a stop and no recording there (a capture that
  failed and then succeeded on a retry is a recording, not a failure).

Outcomes of stops the plan does not have (another plan's, or a stop dropped by a re-plan) are
left out. Expected figures are the plan's expected values (turnout is a share), kept exact.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

IKD_COHORT = "ikd"  # the IKD cohort's people are activations, not recordings (scenario.IKD_COHORT)
ABSENT = "tidak_hadir"
RECORDED = "direkam"
ACTIVATED = "aktivasi_ikd"
FAILED = "gagal_rekam"
MIN_TURNOUT = 0.05  # the least turnout a re-plan uses (a scenario's turnout is above 0)


class Outcome(Protocol):
    """What this module reads of a field outcome (``rekam.ops.field.FieldOutcome`` has it)."""

    @property
    def key(self) -> str: ...
    @property
    def team(self) -> str: ...
    @property
    def stop_id(self) -> str: ...
    @property
    def plan(self) -> str | None: ...  # None: stored when the team's region had no plan
    @property
    def nik(self) -> str | None: ...
    @property
    def outcome(self) -> str: ...
    @property
    def occurred_at(self) -> dt.datetime: ...
    @property
    def received_at(self) -> dt.datetime: ...


@dataclass
class Figures:
    """Expected against found: one stop's, or a sum of stops."""

    expected: dict[str, float] = field(default_factory=dict)  # per cohort, the plan's expected values
    found: int = 0
    recorded: int = 0
    activated: int = 0
    failed: int = 0
    outcomes: int = 0  # outcomes logged (every kind, each one)
    found_by: dict[str, int] = field(default_factory=dict)  # found per cohort (``against``'s cohort_of)
    recorded_by: dict[str, int] = field(default_factory=dict)  # recorded per cohort

    @property
    def expected_total(self) -> float:
        """Expected recordings: every cohort but the IKD one (those people are already recorded)."""
        return sum(n for c, n in self.expected.items() if c != IKD_COHORT)

    @property
    def expected_activations(self) -> float:
        return self.expected.get(IKD_COHORT, 0.0)

    def add(self, other: Figures) -> None:
        for c, n in other.expected.items():
            self.expected[c] = self.expected.get(c, 0.0) + n
        self.found += other.found
        self.recorded += other.recorded
        self.activated += other.activated
        self.failed += other.failed
        self.outcomes += other.outcomes
        for mine, theirs in ((self.found_by, other.found_by), (self.recorded_by, other.recorded_by)):
            for c, n in theirs.items():
                mine[c] = mine.get(c, 0) + n

    def as_json(self) -> dict[str, Any]:
        return {
            "expected": {c: round(n, 3) for c, n in self.expected.items()},
            "expected_total": round(self.expected_total, 3),
            "expected_activations": round(self.expected_activations, 3),
            "found": self.found,
            "recorded": self.recorded,
            "activated": self.activated,
            "failed": self.failed,
            "outcomes": self.outcomes,
            "found_by_cohort": dict(self.found_by),
            "recorded_by_cohort": dict(self.recorded_by),
        }


@dataclass
class StopResult(Figures):
    """One stop of the plan with what happened there."""

    stop_id: str = ""
    team: str = ""
    date: dt.date = dt.date.min
    site: str = ""
    kind: str | None = None  # None: the plan does not name its sites
    visit: int = 1

    def as_json(self) -> dict[str, Any]:
        return {
            "stop_id": self.stop_id,
            "team": self.team,
            "date": self.date.isoformat(),
            "site": self.site,
            "kind": self.kind,
            "visit": self.visit,
            **super().as_json(),
        }


@dataclass
class Against:
    """The plan against its result: per stop (plan order), per team-day and per day, and in all."""

    stops: list[StopResult]
    team_days: dict[tuple[str, dt.date], Figures]
    days: dict[dt.date, Figures]
    total: Figures
    with_outcomes: int  # stops with at least one outcome

    def stop(self, stop_id: str) -> StopResult | None:
        return next((s for s in self.stops if s.stop_id == stop_id), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "stops": [s.as_json() for s in self.stops],
            "team_days": [
                {"team": t, "date": d.isoformat(), **f.as_json()} for (t, d), f in sorted(self.team_days.items())
            ],
            "days": [{"date": d.isoformat(), **f.as_json()} for d, f in sorted(self.days.items())],
            "total": self.total.as_json(),
            "stops_with_outcomes": self.with_outcomes,
        }


def stop_id(date: dt.date | str, team: str, order: int) -> str:
    """``<date>/<team>/<order>``: a stop's id, its order 1-based within the team's day."""
    day = date.isoformat() if isinstance(date, dt.date) else date
    return f"{day}/{team}/{order}"


def plan_stops(plan: Mapping[str, Any]) -> list[StopResult]:
    """Every stop of a plan's JSON, in the plan's order, with its expected people and nothing found."""
    sites: Mapping[str, Any] = plan.get("sites") if isinstance(plan.get("sites"), dict) else {}  # type: ignore[assignment]
    out = []
    for route in plan.get("routes") or []:
        date = dt.date.fromisoformat(route["date"])
        for order, s in enumerate(route.get("stops") or [], start=1):
            info = sites.get(s["site"]) or {}
            out.append(
                StopResult(
                    expected={str(c): float(n) for c, n in (s.get("people") or {}).items()},
                    stop_id=stop_id(date, route["team"], order),
                    team=str(route["team"]),
                    date=date,
                    site=str(s["site"]),
                    kind=info.get("kind"),
                    visit=int(s.get("visit") or 1),
                )
            )
    return out


def _person(o: Outcome) -> str:
    return f"nik:{o.nik}" if o.nik else f"key:{o.key}"


def _first_per_person(outcomes: Iterable[Outcome], kind: str) -> dict[str, str]:
    """Person -> the stop of their earliest outcome of ``kind`` (one person, one recording)."""
    first: dict[str, Outcome] = {}
    for o in outcomes:
        if o.outcome != kind:
            continue
        p = _person(o)
        if p not in first or (o.occurred_at, o.received_at, o.key) < (
            first[p].occurred_at,
            first[p].received_at,
            first[p].key,
        ):
            first[p] = o
    return {p: o.stop_id for p, o in first.items()}


#: The cohort of a person the register cannot place (added at the stop by name, or a NIK it
#: does not count): counted, never dropped, apart from the plan's cohorts.
UNPLACED = "tidak_terdata"


def against(
    plan: Mapping[str, Any],
    outcomes: Sequence[Outcome],
    plan_name: str | None = None,
    cohort_of: Callable[[str, str | None], str | None] | None = None,
) -> Against:
    """The plan (its JSON) against the field outcomes of its stops (``plan_name``: only the
    outcomes logged against that plan, the file's stem, when given). Rules: the module's doc.
    ``cohort_of(nik, site_kind)`` names a person's cohort as the plan counted it (None: the
    register does not count them); found and recorded are then split by cohort too
    (``found_by``, ``recorded_by``; ``UNPLACED`` for people it cannot place)."""
    stops = plan_stops(plan)
    ids = {s.stop_id for s in stops}
    mine = [o for o in outcomes if o.stop_id in ids and (plan_name is None or o.plan == plan_name)]
    recorded_at = _first_per_person(mine, RECORDED)
    activated_at = _first_per_person(mine, ACTIVATED)
    at_stop: dict[str, list[Outcome]] = defaultdict(list)
    for o in mine:
        at_stop[o.stop_id].append(o)

    team_days: dict[tuple[str, dt.date], Figures] = {}
    days: dict[dt.date, Figures] = {}
    total = Figures()
    with_outcomes = 0
    for s in stops:
        here = at_stop.get(s.stop_id, [])
        if here:
            with_outcomes += 1
        people = {_person(o) for o in here}
        s.outcomes = len(here)
        s.found = len({_person(o) for o in here if o.outcome != ABSENT})
        s.recorded = sum(1 for p in people if recorded_at.get(p) == s.stop_id)
        s.activated = sum(1 for p in people if activated_at.get(p) == s.stop_id)
        retried = {_person(o) for o in here if o.outcome == RECORDED}
        s.failed = len({_person(o) for o in here if o.outcome == FAILED} - retried)
        if cohort_of is not None:
            nik_of = {_person(o): o.nik for o in here}
            for p in {_person(o) for o in here if o.outcome != ABSENT}:
                c = (cohort_of(nik_of[p], s.kind) if nik_of[p] else None) or UNPLACED
                s.found_by[c] = s.found_by.get(c, 0) + 1
                if recorded_at.get(p) == s.stop_id:
                    s.recorded_by[c] = s.recorded_by.get(c, 0) + 1
        team_days.setdefault((s.team, s.date), Figures()).add(s)
        days.setdefault(s.date, Figures()).add(s)
        total.add(s)
    return Against(stops, team_days, days, total, with_outcomes)


def learned_turnout(
    plan: Mapping[str, Any], outcomes: Sequence[Outcome], listed: Mapping[str, int], plan_name: str | None = None
) -> dict[str, dict[str, Any]]:
    """Per site kind of the plan: ``{"turnout": recorded / listed or None, "stops": n, "listed":
    n, "recorded": n}`` over the stops of that kind that have at least one outcome (of any kind,
    ``tidak_hadir`` included: the team was there) and a known list size (``listed``: stop id ->
    people on its list); a kind with no such stop has turnout None. ``recorded`` as ``against``
    counts it (one person, one recording)."""
    result = against(plan, outcomes, plan_name)
    out: dict[str, dict[str, Any]] = {}
    for s in result.stops:
        kind = s.kind or "?"
        k = out.setdefault(kind, {"turnout": None, "stops": 0, "listed": 0, "recorded": 0})
        n = listed.get(s.stop_id)
        if not s.outcomes or n is None or n <= 0:
            continue
        k["stops"] += 1
        k["listed"] += int(n)
        k["recorded"] += s.recorded
    for k in out.values():
        if k["stops"] and k["listed"]:
            k["turnout"] = k["recorded"] / k["listed"]
    return out


def listed_at_stops(
    plan: Mapping[str, Any], outcomes: Sequence[Outcome], site_people: Mapping[str, int], plan_name: str | None = None
) -> dict[str, int]:
    """The size of each stop's list: the site's people (``site_people``: site id -> people on its
    list when the plan began; a site without a list is left out) less those recorded at the
    site's earlier stops (a second visit lists who is left)."""
    out: dict[str, int] = {}
    done: dict[str, int] = defaultdict(int)
    for s in sorted(against(plan, outcomes, plan_name).stops, key=lambda s: (s.date, s.visit)):
        if s.site in site_people:
            out[s.stop_id] = max(0, site_people[s.site] - done[s.site])
            done[s.site] += s.recorded
    return out


def usable_turnout(learned: float) -> float:
    """A learned turnout as a scenario may hold it: at most 1 (people not on the list were
    recorded too) and at least ``MIN_TURNOUT`` (a scenario's turnout is above 0: a kind where
    nobody came stays on the map, barely)."""
    return min(1.0, max(MIN_TURNOUT, learned))


def beside_defaults(learned: Mapping[str, Mapping[str, Any]], defaults: Mapping[str, float]) -> list[dict[str, Any]]:
    """One row per site kind (the defaults' order, then the rest): the learned turnout beside the
    default the planner uses (``planner.inputs.KIND_DEFAULTS``, passed in: this module reads no
    register), and the turnout a re-plan takes (the learned one where learned, else the default)."""
    kinds = [k for k in defaults if k in learned] + sorted(set(learned) - set(defaults))
    rows = []
    for kind in kinds:
        k = learned[kind]
        default = defaults.get(kind)
        used = usable_turnout(k["turnout"]) if k["turnout"] is not None else default
        rows.append({"kind": kind, "default": default, **k, "used": used})
    return rows
