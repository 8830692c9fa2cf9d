"""Travel times and distances between places, behind one Protocol.

The default source is the great-circle model (planner.travel.great_circle): road km =
great-circle km x detour factor, minutes = road km / speed x 60 by vehicle and terrain.
A routing server's matrix (planner.travel.engines: OSRM's table service or Valhalla's
sources_to_targets) implements the same Protocol without the solver changing, and is kept
on disk by content (planner.travel.cache) so a re-run does not ask again. `travel_source`
picks the one a scenario's [travel] table asks for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.travel.cache import MatrixCache, ServerMatrix, cache_key_text
from planner.travel.engines import (
    RoutingServer,
    RoutingServerError,
    RoutingServerTravel,
    UnroutablePairsWarning,
    routing_server_travel,
)
from planner.travel.great_circle import EARTH_RADIUS_KM, GreatCircleTravel, great_circle_km
from planner.travel.model import Place, TravelMatrices, TravelTimeSource, whole_minutes

if TYPE_CHECKING:
    from planner.scenario.schema import Travel

__all__ = [
    "EARTH_RADIUS_KM",
    "GreatCircleTravel",
    "MatrixCache",
    "Place",
    "RoutingServer",
    "RoutingServerError",
    "RoutingServerTravel",
    "ServerMatrix",
    "TravelMatrices",
    "TravelTimeSource",
    "UnroutablePairsWarning",
    "cache_key_text",
    "great_circle_km",
    "routing_server_travel",
    "travel_source",
    "whole_minutes",
]


def travel_source(settings: Travel, scenario_path: Path) -> TravelTimeSource:
    """The travel-time source a scenario's [travel] table asks for.

    The source must pickle: it travels with each province task to a worker process.
    A routing server's cache folder is `cache_dir` resolved against the scenario file's
    folder, so `planner run` and `planner check` of the same scenario share it.
    """
    great_circle = GreatCircleTravel(
        settings.detour_factor,
        {str(v): {str(t): s for t, s in by.items()} for v, by in settings.speeds_kmh.items()},
    )
    if settings.source == "great_circle":
        return great_circle
    if settings.url is None:  # the scenario validator requires it; kept for direct callers
        from planner.errors import ScenarioError
        from planner.messages import msg

        raise ScenarioError(
            scenario_path,
            msg("routing.url_required", source=repr(settings.source)),
            field="travel.url",
        )
    return routing_server_travel(
        settings.source,
        url=settings.url,
        fallback=great_circle,
        cache_dir=(Path(scenario_path).parent / settings.cache_dir).resolve(),
        where=str(scenario_path),
        block_size=settings.block_size,
        timeout_seconds=settings.timeout_seconds,
        retries=settings.retries,
    )
