"""Which figures of a plan are estimates, carried from the province's data to its stops.

The shipped data places some communes by rule (`position_method` 'spread_in_2025_commune'
and 'spread_in_district': the source had a placeholder point, data/geo/README.md
'Positions'), shares the census among communes (every commune's population, hence its
target people, is an estimate: README 'Population'), places every post office at its
commune's point (`position_estimated`) and assumes every hall's size (30 and 80 m2). A
planner's own files and lists (`planner data template`) replace them with known figures.

The solver never sees any of this: after a province is solved, `with_estimates` copies the
flags (and what the user's lists say of a venue: address, contact, opening hours) from the
province problem onto each stop and route of its plan, where every exporter reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from planner.domain import Commune, ProvinceProblem, Venue
from planner.plan import ProvincePlan, Stop, TeamDayRoute

__all__ = [
    "ESTIMATED_POSITION_METHODS",
    "USER_FILE_METHOD",
    "EstimatedPositions",
    "estimated_positions",
    "population_is_estimated",
    "position_is_estimated",
    "with_estimates",
]

# How a commune's point was placed when the source had none of its own (README 'Positions').
ESTIMATED_POSITION_METHODS = frozenset({"spread_in_2025_commune", "spread_in_district"})
# The method of a figure from the user's own files or lists (planner/geo/_schema.py).
USER_FILE_METHOD = "user_file"


def position_is_estimated(method: str) -> bool:
    """A commune point placed by rule inside an approximate area, not located."""
    return method in ESTIMATED_POSITION_METHODS


def population_is_estimated(method: str) -> bool:
    """Every population of data/geo is an estimate below the census district; a user's own
    figure (method 'user_file') is not."""
    return method != USER_FILE_METHOD


def with_estimates(problem: ProvinceProblem, plan: ProvincePlan) -> ProvincePlan:
    """The plan with each stop and route saying which of its figures are estimates."""
    communes = {c.code: c for c in problem.communes}
    venues = {v.venue_id: v for v in problem.venues}
    routes: list[TeamDayRoute] = []
    for route in plan.routes:
        base = venues.get(route.base_venue_id)
        routes.append(
            replace(
                route,
                stops=tuple(_stop(s, communes, venues) for s in route.stops),
                base_position_estimated=bool(base is not None and base.position_estimated),
            )
        )
    return replace(plan, routes=tuple(routes))


def _stop(stop: Stop, communes: dict[str, Commune], venues: dict[str, Venue]) -> Stop:
    commune = communes.get(stop.commune_code)
    place = bool(commune is not None and commune.position_estimated)
    people = bool(commune is not None and commune.population_estimated)
    venue = venues.get(stop.venue_id or "") if stop.kind == "conference" else None
    if venue is None:
        return replace(
            stop,
            position_estimated=place,
            commune_position_estimated=place,
            population_estimated=people,
        )
    return replace(
        stop,
        position_estimated=venue.position_estimated,
        commune_position_estimated=place,
        population_estimated=people,
        hall_estimated=venue.hall_estimated,
        venue_address=venue.address,
        contact_name=venue.contact_name,
        contact_phone=venue.contact_phone,
        opening_hours=venue.opening_hours,
    )


@dataclass(frozen=True)
class EstimatedPositions:
    """A province's communes whose point is an estimate."""

    province_code: str
    province_name: str
    communes: int  # how many
    of: int  # of how many communes in the province


def estimated_positions(problems: Sequence[ProvinceProblem]) -> list[EstimatedPositions]:
    """Per province (those with any), the communes resting on an estimated point."""
    out: list[EstimatedPositions] = []
    for problem in problems:
        n = sum(1 for c in problem.communes if c.position_estimated)
        if n:
            out.append(
                EstimatedPositions(
                    problem.province_code, problem.province_name, n, len(problem.communes)
                )
            )
    return out
