"""Jemput-bola planning: make a scenario, solve it, check a plan, keep and write plans, itineraries;
and the Team Orienteering benchmark."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rekam.analytics.engines import open_engine
from rekam.api._base import Base
from rekam.api.options import Checks, region_prefix, require_out_folder
from rekam.errors import IngestError, InvalidArgument, PlanInfeasible, PlanningDataMissing, ScenarioError, UnknownRegion
from rekam.files import write_atomic
from rekam.messages import text

if TYPE_CHECKING:
    from rekam.ops.field import FieldOutcome
    from rekam.planner.inputs import SiteLists
    from rekam.planner.plan import Plan
    from rekam.planner.result import Against
    from rekam.planner.scenario import Scenario
    from rekam.planner.top.solve import TopPlan


@dataclass
class RemainingOf:
    """A re-plan's part in making the scenario: the written plan; ``learn`` turns the counted
    people per site of the plan (before the desk's recordings are taken off: the lists the teams
    carried) into the turnouts to use; ``recorded_at_desks`` says how many counted people were
    left out as recorded at a desk since the snapshot."""

    plan: dict[str, Any]
    learn: Callable[[Mapping[str, int]], dict[str, float]]  # people per site -> turnout per kind
    recorded_at_desks: int = 0
    events_up_to: int | None = None  # the desk events read: the itinerary's lists leave out the same


@dataclass
class SolvedPlan:
    """A solved (and checked) plan; ``notes`` say why an ``.xlsx`` written with it left the
    by-name lists out, if it did; ``out`` is the file written, if one was asked for."""

    plan: Plan
    out: Path | None = None
    notes: list[str] = field(default_factory=list)


class Plans(Base):
    def make_scenario(
        self,
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
        ikd: bool = False,
        ikd_minutes_per_person: float = 3.0,
        turnouts: Mapping[str, float] | None = None,
    ) -> dict[str, Any]:
        """A jemput-bola scenario (the JSON of planner/scenario.py) for ``region`` from the current
        register snapshot and the imported sites: counts per site and cohort, no personal data.
        ``ikd``: count the recorded whose IKD is not activated too, in the cohort ``ikd`` (an
        activation takes ``ikd_minutes_per_person``). ``turnouts``: a turnout per site kind
        instead of the default (``inputs.KIND_DEFAULTS``). Rules and defaults: planner/inputs.py
        and docs/planner.md. Every bad option is reported at once."""
        return self._make_scenario(
            region,
            date_from,
            date_to,
            teams,
            as_of,
            election_date,
            kits,
            minutes_per_person,
            per_kit_per_day,
            weekdays,
            hours,
            max_visits,
            min_people,
            road_factor,
            speed_kmh,
            engine,
            ikd,
            ikd_minutes_per_person,
            dict(turnouts or {}),
        )

    def _make_scenario(
        self,
        region: str,
        date_from: date,
        date_to: date,
        teams: int,
        as_of: date | None,
        election_date: date | None,
        kits: int,
        minutes_per_person: float,
        per_kit_per_day: int,
        weekdays: str,
        hours: str,
        max_visits: int | None,
        min_people: int,
        road_factor: float,
        speed_kmh: float,
        engine: str | None,
        ikd: bool,
        ikd_minutes_per_person: float,
        turnouts: dict[str, float],
        remaining: RemainingOf | None = None,
    ) -> dict[str, Any]:
        """``make_scenario``; with ``remaining``, the people recorded at a desk since the
        snapshot are left out and the lists' sizes at the plan's stops are counted."""
        from rekam.domain.region import parse_region
        from rekam.planner import inputs
        from rekam.sites.store import SiteStore

        prefix = region_prefix(region)
        if prefix is None:
            raise InvalidArgument("bad_region", code=region)
        checks = Checks()
        checks.require(date_to >= date_from, "date_to", date_to.isoformat(), ">= date_from")
        checks.require((date_to - date_from).days <= 366, "date_to", date_to.isoformat(), text("hint_period"))
        for option, value, ok, hint in (
            ("teams", teams, teams >= 1, ">= 1"),
            ("kits", kits, kits >= 1, ">= 1"),
            ("minutes_per_person", minutes_per_person, minutes_per_person > 0, "> 0"),
            ("ikd_minutes_per_person", ikd_minutes_per_person, ikd_minutes_per_person > 0, "> 0"),
            ("per_kit_per_day", per_kit_per_day, per_kit_per_day >= 1, ">= 1"),
            ("max_visits", max_visits, max_visits is None or max_visits >= 1, ">= 1"),
            ("min_people", min_people, min_people >= 1, ">= 1"),
            ("road_factor", road_factor, road_factor >= 1, ">= 1"),
            ("speed_kmh", speed_kmh, speed_kmh > 0, "> 0"),
            *(("turnouts", f"{k}={t}", 0 < t <= 1, "0 < turnout <= 1") for k, t in turnouts.items()),
        ):
            checks.require(ok, option, value, hint)
        days: tuple[int, ...] = ()
        window = ("", "")
        try:
            days = inputs.parse_weekdays(weekdays)
        except ValueError:
            checks.add("weekdays", weekdays, text("hint_weekdays"))
        try:
            window = inputs.parse_hours(hours)
        except ValueError:
            checks.add("hours", hours, text("hint_hours"))
        checks.done()
        st = self.store()
        snap = st.require_current()
        if not any(kab == prefix or kab.startswith(prefix + ".") or prefix.startswith(kab + ".") for kab in snap.parts):
            raise UnknownRegion("unknown_region", code=prefix)
        data = SiteStore(self.settings.home).load()
        if data.version is None:
            raise PlanningDataMissing("plan_no_sites")
        options = inputs.MakeOptions(
            region=parse_region(prefix),
            date_from=date_from,
            date_to=date_to,
            teams=teams,
            as_of=as_of or date_from,
            election_date=election_date or inputs.default_election_date(date_to),
            kits=kits,
            minutes_per_person=minutes_per_person,
            per_kit_per_day=per_kit_per_day,
            weekdays=days,
            hours=window,
            max_visits=max_visits,
            min_people=min_people,
            road_factor=road_factor,
            speed_kmh=speed_kmh,
            ikd=ikd,
            ikd_minutes_per_person=ikd_minutes_per_person,
            turnouts=turnouts,
        )
        # The whole register: a site's roster may hold people registered outside the region.
        with open_engine(
            engine or self.settings.engine, st, snap, None, spark_master=self.settings.spark_master
        ) as eng:
            targets = eng.run(inputs.targets_sql(options.as_of, options.election_date, options.ikd))
        if remaining is not None:
            targets = list(targets)
            recorded, remaining.events_up_to = self._recorded_at_desks(snap.export_date)
            site_people = inputs.people_at_sites(targets, data, remaining.plan, options.region.dotted)
            options = replace(options, turnouts=remaining.learn(site_people))
            remaining.recorded_at_desks = sum(1 for t in targets if t[0] in recorded)
            targets = [t for t in targets if t[0] not in recorded]
        return inputs.build_scenario(options, targets, data, snap.id)

    def _recorded_at_desks(self, since: date, up_to: int | None = None) -> tuple[set[str], int | None]:
        """The NIKs with a completed perekaman or rekam ulang logged since ``since`` (a snapshot's
        export date; with an event id up to ``up_to`` if given): at a counter, or in the field (a
        team's recording is a desk event at its point); and the highest event id read. Empty
        without an ops database."""
        from rekam.ops.db import configured

        if not configured(self.settings):
            return set(), up_to
        from sqlalchemy import func, select

        from rekam.domain.services import RECORDINGS
        from rekam.ops.events import completed_since
        from rekam.ops.models import ServiceEvent

        with self.ops_db().read() as s:
            rows = s.execute(
                select(ServiceEvent.nik, ServiceEvent.id).where(
                    *completed_since(since),
                    ServiceEvent.kind.in_([str(k) for k in RECORDINGS]),
                    *(() if up_to is None else (ServiceEvent.id <= up_to,)),
                )
            ).all()
            last = s.scalar(select(func.max(ServiceEvent.id))) if up_to is None else up_to
        return {nik for nik, _ in rows}, last

    def field_outcomes(
        self, since: date | None = None, until: date | None = None, team: str | None = None
    ) -> list[FieldOutcome]:
        """The teams' field outcomes (``rekam.ops.field.outcomes``), of one ``team`` if given,
        that happened from day ``since`` to day ``until``; none when there is no ops database
        (a reader that only looks makes none)."""
        from rekam.ops import field
        from rekam.ops.db import configured

        if not configured(self.settings):
            return []
        return field.outcomes(self.ops_db(), since=since, until=until, team=team)

    def plan_result(self, plan: Mapping[str, Any], name: str | None = None) -> Against | None:
        """The plan (its JSON) against the field outcomes logged for it (``name``: the plan
        file's stem, as the devices name it); None when no outcome was logged for its stops."""
        from rekam.planner.result import against

        routes = [r for r in plan.get("routes") or [] if r.get("stops")]
        if not routes:
            return None
        dates = sorted(date.fromisoformat(r["date"]) for r in routes)
        outcomes = self.field_outcomes(since=dates[0], until=dates[-1])
        if not outcomes:
            return None
        result = against(plan, outcomes, name, self._cohorts_of(outcomes, dates[0], dates[-1]))
        return result if result.with_outcomes else None

    def _cohorts_of(self, outcomes: list[Any], first: date, last: date) -> Callable[[str, str | None], str | None]:
        """``cohort_of(nik, site_kind)`` for ``planner.result.against``: the cohort the planner
        counts the person in (``inputs.cohort``: pemula, rentan, lainnya, ikd), from the current
        snapshot as of the plan's first day, with ``rekam plan make``'s election day; None for a
        NIK it does not count (recorded already, not wajib, unknown)."""
        from rekam.planner import inputs

        niks = {o.nik for o in outcomes if o.nik and o.nik.isdigit()}  # stored NIKs: 16 digits
        st = self.store()
        snap = st.current()
        flags: dict[str, tuple[bool, bool, bool]] = {}
        if niks and snap is not None:
            with open_engine(self.settings.engine, st, snap, None, spark_master=self.settings.spark_master) as eng:
                wanted = ", ".join(f"'{n}'" for n in sorted(niks))
                sql = inputs.targets_sql(first, inputs.default_election_date(last), True)
                for nik, _desa, pem, ren, todo in eng.run(f"SELECT * FROM ({sql}) t WHERE nik IN ({wanted})"):
                    flags[nik] = (bool(pem), bool(ren), bool(todo))

        def cohort_of(nik: str, kind: str | None) -> str | None:
            found = flags.get(nik)
            return None if found is None else inputs.cohort(found[0], found[1], kind or "desa", found[2])

        return cohort_of

    def plan_turnouts(self, plan: Mapping[str, Any], name: str | None = None) -> list[dict[str, Any]]:
        """The turnout learned per site kind from a plan's field outcomes beside the planner's
        defaults (``planner.result.beside_defaults``: kind, default, turnout, stops, listed,
        recorded, used): what a re-plan would use. A stop's list is its site's counted people
        (placed as ``rekam plan make`` places them, as of the plan's first day) less those
        recorded at the site's earlier stops. Empty when no outcome was logged for the plan or
        no register snapshot is current."""
        from rekam.domain.region import parse_region
        from rekam.planner import inputs
        from rekam.planner.result import beside_defaults, learned_turnout, listed_at_stops
        from rekam.sites.store import SiteStore

        routes = [r for r in plan.get("routes") or [] if r.get("stops")]
        region = plan.get("region")
        if not routes or not isinstance(region, str) or not region:
            return []
        dates = sorted(date.fromisoformat(r["date"]) for r in routes)
        outcomes = self.field_outcomes(since=dates[0], until=dates[-1])
        if not outcomes:
            return []
        st = self.store()
        snap = st.current()
        data = SiteStore(self.settings.home).load()
        if snap is None or data.version is None:
            return []
        with open_engine(self.settings.engine, st, snap, None, spark_master=self.settings.spark_master) as eng:
            targets = eng.run(inputs.targets_sql(dates[0], inputs.default_election_date(dates[-1]), False))
        site_people = inputs.people_at_sites(targets, data, plan, parse_region(region).dotted)
        listed = listed_at_stops(plan, outcomes, site_people, name)
        defaults = {k: d.turnout for k, d in inputs.KIND_DEFAULTS.items()}
        return beside_defaults(learned_turnout(plan, outcomes, listed, name), defaults)

    def make_remaining_scenario(
        self,
        plan_path: str | Path,
        date_from: date | None = None,
        date_to: date | None = None,
        teams: int | None = None,
        region: str | None = None,
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
        ikd: bool = False,
        ikd_minutes_per_person: float = 3.0,
    ) -> dict[str, Any]:
        """The re-plan (``rekam plan make --remaining``): a scenario for the days left of a
        written plan, from ``date_from`` (default tomorrow) to ``date_to`` (default the plan's
        last date), for the plan's region and as many teams as it has (unless given), from the
        people still not recorded: the current snapshot's counted people less everyone with a
        completed perekaman or rekam ulang at a desk since the snapshot (a team's field recording
        is one). Each site kind's turnout is the one learned from the plan's field outcomes
        where learned (``planner.result``), else the default. The scenario's ``source.remaining``
        says what was left out and which turnouts were used; solve it with ``rekam plan solve``."""
        from datetime import timedelta

        from rekam.planner.inputs import KIND_DEFAULTS
        from rekam.planner.result import beside_defaults, learned_turnout, listed_at_stops, usable_turnout

        path = Path(plan_path)
        try:
            plan = json.loads(path.read_text(encoding="utf-8"))
            routes = [r for r in plan["routes"] if r.get("stops")]
            last = max(date.fromisoformat(r["date"]) for r in routes)
            team_ids = {str(r["team"]) for r in routes}
        except FileNotFoundError:
            raise IngestError("file_missing", file=path.name) from None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise ScenarioError("plan_unreadable", file=path.name) from None
        start = date_from or date.today() + timedelta(days=1)
        end = date_to or last
        if start > end:
            raise InvalidArgument("plan_remaining_no_days", start=start.isoformat(), last=end.isoformat())
        where = region or plan.get("region")
        if not isinstance(where, str) or not where:
            raise InvalidArgument("plan_remaining_no_region", file=path.name)
        defaults = {k: d.turnout for k, d in KIND_DEFAULTS.items()}
        outcomes = self.field_outcomes(until=last)
        rows: list[dict[str, Any]] = beside_defaults({}, defaults)

        def learn(site_people: Mapping[str, int]) -> dict[str, float]:
            nonlocal rows
            listed = listed_at_stops(plan, outcomes, site_people, path.stem)
            rows = beside_defaults(learned_turnout(plan, outcomes, listed, path.stem), defaults)
            return {r["kind"]: usable_turnout(r["turnout"]) for r in rows if r["turnout"] is not None}

        remaining = RemainingOf(plan, learn)
        scenario = self._make_scenario(
            where, start, end, teams or len(team_ids), as_of, election_date, kits, minutes_per_person,
            per_kit_per_day, weekdays, hours, max_visits, min_people, road_factor, speed_kmh, engine, ikd,
            ikd_minutes_per_person, {}, remaining,
        )  # fmt: skip
        scenario["source"]["remaining"] = {
            "plan": path.stem,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "recorded_at_desks": remaining.recorded_at_desks,
            "events_up_to": remaining.events_up_to,
            "field_outcomes": len(outcomes),
            "turnout": rows,
        }
        return scenario

    def replan(
        self,
        plan_path: str | Path,
        key: str,
        date_from: date | None = None,
        time_limit: float | None = 20.0,
        iterations: int | None = None,
        web_user: str | None = None,
    ) -> Path:
        """The re-plan button (issue 20): the remaining scenario of a kept plan from ``date_from``
        (default tomorrow; ``make_remaining_scenario``) solved with the same solver and bound as
        ``rekam plan solve`` (the bound shares ``time_limit``), kept in REKAM_HOME/plans as
        ``ulang-<region>-<time>.json`` (the newest plan: the calendar shows it) with its scenario
        beside it in REKAM_HOME/plans/scenarios (for ``rekam plan itinerary``); audited.

        ``key`` (the form's idempotency key) is kept in the plan (``replan.key``): a call with a
        key already used makes nothing and returns the plan made then. Returns the plan file."""
        from rekam import audit
        from rekam.planner.scenario import parse_scenario
        from rekam.planner.solve import solve_scenario

        if not key or len(key) > 64 or not key.replace("-", "").isalnum():
            raise InvalidArgument("bad_option", option="key", value=key[:20], hint="[A-Za-z0-9-]{1,64}")
        done = self.replan_made(key)
        if done is not None:
            return done
        path = Path(plan_path)
        raw = self.make_remaining_scenario(path, date_from)
        remaining = raw["source"]["remaining"]
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"ulang-{raw.get('region') or 'wilayah'}-{stamp}"
        raw["name"] = name
        folder = self.settings.home / "plans" / "scenarios"
        folder.mkdir(parents=True, exist_ok=True)
        scenario_file = folder / f"{name}.json"
        write_atomic(scenario_file, json.dumps(raw, indent=1, ensure_ascii=False))
        plan = solve_scenario(parse_scenario(raw), None if iterations else time_limit, iterations, 1, "shared")
        plan.extra["replan"] = {"of": path.stem, "from": remaining["from"], "key": key}
        kept = self.keep_plan(plan, "ulang-" + str(raw.get("region") or "wilayah"))
        audit.record(
            self.settings.home,
            "replan",
            plan=path.stem,
            date_from=remaining["from"],
            out=kept.name,
            scenario=str(scenario_file),
            recorded_at_desks=remaining["recorded_at_desks"],
            field_outcomes=remaining["field_outcomes"],
            web_user=web_user,
        )
        return kept

    def replan_made(self, key: str) -> Path | None:
        """The kept plan a re-plan with this idempotency key made, if one did."""
        folder = self.settings.home / "plans"
        if not folder.is_dir():
            return None
        for path in folder.glob("ulang-*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            made = data.get("replan") if isinstance(data, dict) else None
            if isinstance(made, dict) and made.get("key") == key:
                return path
        return None

    def solve_plan(
        self,
        path: str | Path,
        time_limit: float | None = 60.0,
        iterations: int | None = None,
        seed: int = 1,
        add_teams: int = 0,
        extra_days: int = 0,
        bound_time_limit: float | Literal["shared"] | None = "shared",
        out: str | Path | None = None,
    ) -> SolvedPlan:
        """Plan jemput bola for a scenario file (read once); with ``add_teams``/``extra_days``
        also the what-if; kept in REKAM_HOME/plans; written to ``out`` (.json or .xlsx) if given.

        The plan (and the what-if plan) passed the feasibility checker; ``plan.extra["what_if"]``
        holds the gain when a what-if was asked for."""
        from rekam.planner.scenario import read_scenario
        from rekam.planner.solve import solve_scenario

        path = Path(path)
        if not path.is_file():
            raise IngestError("file_missing", file=path.name)
        target = Path(out) if out is not None else None
        if target is not None and target.suffix.lower() not in (".json", ".xlsx"):
            raise InvalidArgument("plan_out_kind", file=target.name)
        if add_teams < 0 or extra_days < 0:
            raise InvalidArgument("what_if_negative")
        scenario = read_scenario(path)
        plan = solve_scenario(scenario, time_limit, iterations, seed, bound_time_limit)
        if add_teams or extra_days:
            bigger = solve_scenario(
                scenario.with_extra(add_teams, extra_days), time_limit, iterations, seed, bound_time_limit
            )
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
        self.keep_plan(plan, path.stem)
        solved = SolvedPlan(plan)
        if target is not None:
            solved.out = self._write_plan(plan, target, scenario)
            if target.suffix.lower() == ".xlsx":
                from rekam.reports.itinerary import notes

                solved.notes = notes(plan, scenario)
        return solved

    def solve_scenario_file(
        self,
        path: str | Path,
        time_limit: float | None = 60.0,
        iterations: int | None = None,
        seed: int = 1,
        add_teams: int = 0,
        extra_days: int = 0,
        bound_time_limit: float | Literal["shared"] | None = "shared",
    ) -> Plan:
        """``solve_plan`` without writing: the plan only."""
        return self.solve_plan(path, time_limit, iterations, seed, add_teams, extra_days, bound_time_limit).plan

    def keep_plan(self, plan: Plan, name: str) -> Path:
        """Keep a solved plan in REKAM_HOME/plans/NAME-YYYYMMDD-HHMMSS.json: the dashboard's plan
        calendar shows the newest (``web/plans.py``). Plans hold site ids and counts, no one's name."""
        folder = self.settings.home / "plans"
        folder.mkdir(parents=True, exist_ok=True)
        return self._write_plan(plan, folder / f"{name}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json", None)

    def write_plan(
        self, plan: Plan, out: str | Path, scenario_path: str | Path | None = None, unmasked: bool = False
    ) -> Path:
        """Write a plan: ``.json`` the full plan, ``.xlsx`` the teams' itineraries (checked before
        writing; they need the scenario)."""
        scenario = None
        if scenario_path is not None and Path(out).suffix.lower() == ".xlsx":
            from rekam.planner.scenario import read_scenario

            scenario = read_scenario(Path(scenario_path))
        return self._write_plan(plan, Path(out), scenario, unmasked)

    def _write_plan(self, plan: Plan, out: Path, scenario: Scenario | None, unmasked: bool = False) -> Path:
        require_out_folder(out)
        if out.suffix.lower() == ".json":
            write_atomic(out, json.dumps(plan.as_json(), indent=1, ensure_ascii=False))
            return out
        if out.suffix.lower() != ".xlsx" or scenario is None:
            raise InvalidArgument("plan_out_kind", file=out.name)
        from rekam.planner.check import check_plan
        from rekam.reports.itinerary import write_itinerary

        if check_plan(scenario, plan):  # pragma: no cover - solve_scenario already checked it
            raise RuntimeError("refusing to write an infeasible plan")
        lists, previous = self._itinerary_lists(plan, scenario, out, None, unmasked)
        return write_itinerary(plan, scenario, out, lists, previous, unmasked=unmasked)

    def _itinerary_lists(
        self, plan: Plan, scenario: Scenario, out: Path, team: str | None, unmasked: bool
    ) -> tuple[SiteLists | None, dict[str, str]]:
        """The by-name lists an itinerary file holds (None: schedules only), recorded in the audit
        log before the file is written, and the latest field outcome per NIK (as ``rekam list`` shows)."""
        from rekam import audit, verifications
        from rekam.planner.inputs import site_lists
        from rekam.reports.itinerary import list_sites

        sites = list_sites(plan, scenario, team)
        if not sites:
            return None, {}
        lists = site_lists(scenario, sites, self.settings, self._left_out(scenario))
        if lists.people:
            audit.record(
                self.settings.home,
                "itinerary",
                scenario=scenario.name,
                region=lists.source.region,
                team=team,
                sites=len(lists.people),
                people=lists.total,
                unmasked=unmasked,
                snapshot=lists.source.snapshot,
                out=str(out),
            )
        return lists, {nik: v["outcome"] for nik, v in verifications.latest(self.settings.home).items()}

    def _left_out(self, scenario: Scenario) -> frozenset[str]:
        """The people a re-plan (``make_remaining_scenario``) left out as recorded at a desk: the
        same events it read (up to ``source.remaining.events_up_to``), so its lists match its counts."""
        source = scenario.raw.get("source")
        again = source.get("remaining") if isinstance(source, dict) else None
        if not isinstance(again, dict) or not isinstance(source, dict):
            return frozenset()
        up_to = again.get("events_up_to")
        if not isinstance(up_to, int):
            return frozenset()
        since = self.store().load(str(source["snapshot"])).export_date
        return frozenset(self._recorded_at_desks(since, up_to)[0])

    def write_itinerary(
        self,
        scenario_path: str | Path,
        plan_path: str | Path,
        out: str | Path,
        team: str | None = None,
        unmasked: bool = False,
    ) -> dict[str, Any]:
        """Write the teams' itineraries of a written plan: ``.xlsx`` for ``team`` or every team,
        ``.pdf`` for one team; each visited site's by-name list is attached (audited).

        The plan must pass the checker against the scenario. Returns ``{out, teams, visits, sites,
        notes}``: ``notes`` say why by-name lists were left out, if they were.
        """
        from rekam.planner.check import check_plan
        from rekam.planner.plan import plan_from_json
        from rekam.planner.scenario import read_scenario
        from rekam.reports import itinerary

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
        lists, previous = self._itinerary_lists(plan, scenario, out, team, unmasked)
        if kind == ".pdf":
            assert team is not None  # set just above
            itinerary.write_itinerary_pdf(plan, scenario, team, out, lists, unmasked=unmasked)
        else:
            itinerary.write_itinerary(plan, scenario, out, lists, previous, unmasked=unmasked, team=team)
        routes = [r for r in plan.routes if team is None or r.team == team]
        return {
            "out": out,
            "teams": team or text("itinerary_all_teams", count=len(ids)),
            "visits": sum(len(r.stops) for r in routes),
            "sites": len({s.site for r in routes for s in r.stops}),
            "notes": itinerary.notes(plan, scenario, team),
        }


def solve_top_file(
    path: str | Path,
    time_limit: float | None = 10.0,
    iterations: int | None = None,
    seed: int = 1,
    bound_time_limit: float | None = None,
    started: float | None = None,
) -> TopPlan:
    """Solve a Team Orienteering instance in the benchmark text format; the plan is checked.

    The bound shares ``time_limit`` unless ``bound_time_limit`` says otherwise; ``started``
    (``time.time()``, e.g. when the command's process started) is where the limit counts from.
    """
    from rekam.planner.top.instance import read_top
    from rekam.planner.top.solve import solve_top

    path = Path(path)
    if not path.is_file():
        raise IngestError("file_missing", file=path.name)
    return solve_top(
        read_top(path),
        time_limit=time_limit,
        iterations=iterations,
        seed=seed,
        bound_time_limit=bound_time_limit,
        started=started,
    )


def check_plan_file(scenario_path: str | Path, plan_path: str | Path) -> list[str]:
    """Every rule a written plan breaks (empty: feasible)."""
    from rekam.planner.check import check_plan
    from rekam.planner.scenario import read_scenario

    scenario = read_scenario(Path(scenario_path))
    try:
        data = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ScenarioError("plan_unreadable", file=Path(plan_path).name) from None
    return check_plan(scenario, data)


def itinerary_notes(plan: Plan, scenario_path: str | Path) -> list[str]:
    """Why ``write_plan`` to ``.xlsx`` left the by-name lists out, if it did."""
    from rekam.planner.scenario import read_scenario
    from rekam.reports.itinerary import notes

    return notes(plan, read_scenario(Path(scenario_path)))
