"""Team classes for the solver: teams that would make every visit in the same minutes.

A visit's length follows the team that makes it (set-up + people x minutes per person / kits),
and a team may serve only its region. The solver gives each class its own routing profile, in
which a visit takes that class's minutes (added to every trip into it) and a visit the class
cannot make is out of reach. Teams with the same kits and pace are one class; so are all the
teams of a scenario made by ``rekam plan make``, and for them the model is the one it was.

Each profile costs PyVRP two matrices, so beyond ``MAX_CLASSES`` classes (or fewer, when the
solver says the matrices would not fit its memory budget) neighbouring ones (by pace) are merged and a merged class takes, per visit, the longest of its teams' minutes: its
routes fit each of its teams (as a visit as long as for the slowest team did before classes),
except a visit that only some of them may make, which ``build_plan`` takes off a route of a
team that cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rekam.planner.plan import service_minutes
from rekam.planner.scenario import Scenario, Team, Visit

MAX_CLASSES = 3


@dataclass(frozen=True)
class TeamClass:
    """Teams and, per visit (in the order given), the minutes it takes them; None = they cannot make it."""

    teams: tuple[str, ...]
    minutes: tuple[int | None, ...]

    def pace(self) -> float:
        """Mean minutes over the visits the class can make (for ordering classes)."""
        known = [m for m in self.minutes if m is not None]
        return sum(known) / len(known) if known else float("inf")


def team_classes(
    scenario: Scenario, teams: Sequence[Team], visits: Sequence[Visit], most: int = MAX_CLASSES
) -> list[TeamClass]:
    """The classes of ``teams`` for ``visits`` (each visit as long as for its people), at most
    ``most`` (and ``MAX_CLASSES``), fastest first. A visit is out of a team's reach when the team does not
    serve the site or the visit does not fit in the site's opening hours."""
    by_minutes: dict[tuple[int | None, ...], list[str]] = {}
    for team in teams:
        minutes = tuple(_minutes(scenario, team, v) for v in visits)
        by_minutes.setdefault(minutes, []).append(team.id)
    classes = sorted((TeamClass(tuple(ids), m) for m, ids in by_minutes.items()), key=lambda c: (c.pace(), c.teams))
    most = max(1, min(most, MAX_CLASSES))
    if len(classes) <= most:
        return classes
    size = len(classes) / most
    groups = [classes[round(i * size) : round((i + 1) * size)] for i in range(most)]
    return [_merge(g) for g in groups]


def _minutes(scenario: Scenario, team: Team, visit: Visit) -> int | None:
    site = scenario.sites[visit.site]
    if not team.serves(site):
        return None
    minutes = service_minutes(team, site.setup_minutes, visit.load)
    return minutes if site.open + minutes <= site.close else None


def _merge(group: list[TeamClass]) -> TeamClass:
    """One class for ``group``: per visit the longest minutes of a team that can make it."""
    minutes = []
    for per_visit in zip(*(c.minutes for c in group), strict=True):
        known = [m for m in per_visit if m is not None]
        minutes.append(max(known) if known else None)
    return TeamClass(tuple(t for c in group for t in c.teams), tuple(minutes))
