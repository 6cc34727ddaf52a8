"""Jemput-bola planning: make a scenario, solve it, check a plan, keep and write plans, itineraries;
and the Team Orienteering benchmark."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
    from rekam.planner.inputs import SiteLists
    from rekam.planner.plan import Plan
    from rekam.planner.scenario import Scenario
    from rekam.planner.top.solve import TopPlan


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
    ) -> dict[str, Any]:
        """A jemput-bola scenario (the JSON of planner/scenario.py) for ``region`` from the current
        register snapshot and the imported sites: counts per site and cohort, no personal data.
        ``ikd``: count the recorded whose IKD is not activated too, in the cohort ``ikd`` (an
        activation takes ``ikd_minutes_per_person``). Rules and defaults: planner/inputs.py and
        docs/planner.md. Every bad option is reported at once."""
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
        )
        # The whole register: a site's roster may hold people registered outside the region.
        with open_engine(
            engine or self.settings.engine, st, snap, None, spark_master=self.settings.spark_master
        ) as eng:
            targets = eng.run(inputs.targets_sql(options.as_of, options.election_date, options.ikd))
        return inputs.build_scenario(options, targets, data, snap.id)

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
        lists = site_lists(scenario, sites, self.settings)
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
