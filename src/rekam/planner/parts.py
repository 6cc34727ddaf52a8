"""Independent parts of a scenario: teams restricted to disjoint regions, and the sites only
they may serve. The solver and the bound both work part by part (``solve``, ``bound``)."""

from __future__ import annotations

from dataclasses import dataclass

from rekam.planner.scenario import Scenario, Site, Team, Visit


@dataclass(frozen=True)
class Part:
    """Teams and the sites only they may serve: solved on its own."""

    teams: tuple[Team, ...]
    sites: tuple[Site, ...]

    def nodes(self, scenario: Scenario) -> list[Visit]:
        return [v for s in self.sites for v in scenario.visits(s)]


def parts(scenario: Scenario) -> list[Part]:
    """Split by team region when the regions are disjoint; else one part."""
    regions = [t.region for t in scenario.teams]
    disjoint = all(r is not None for r in regions) and not any(
        a != b and b.startswith(a)
        for a in set(regions)
        for b in set(regions)  # type: ignore[union-attr]
    )
    if not disjoint:
        serve = tuple(s for s in scenario.sites.values() if any(t.serves(s) for t in scenario.teams))
        return [Part(scenario.teams, serve)]
    out = []
    for region in sorted(set(regions)):  # type: ignore[type-var]
        teams = tuple(t for t in scenario.teams if t.region == region)
        sites = tuple(s for s in scenario.sites.values() if teams[0].serves(s))
        if sites:
            out.append(Part(teams, sites))
    return out
