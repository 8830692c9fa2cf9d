"""Travel times and distances between places, behind one Protocol.

The default source is the great-circle model: road km = great-circle km x detour factor,
minutes = road km / speed x 60, where the speed depends on the vehicle and on the terrain
at both ends (half the trip is driven in each, so the harmonic mean of the two speeds is
used). A routing server's matrix (OSRM-style table API) implements the same Protocol
without the solver changing; `travel_source` picks the one a scenario asks for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from planner.scenario.schema import Travel

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    terrain: str


@dataclass(frozen=True)
class TravelMatrices:
    """Square matrices over a list of places: road km and minutes for one vehicle."""

    km: np.ndarray  # float64 (n, n)
    minutes: np.ndarray  # int32 (n, n), rounded up


class TravelTimeSource(Protocol):
    """Anything that gives road distances and times between places for a vehicle."""

    def matrices(self, places: Sequence[Place], vehicle: str) -> TravelMatrices: ...


def great_circle_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Pairwise haversine distances in km between points given in degrees."""
    phi = np.radians(lat)[:, None]
    phi2 = np.radians(lat)[None, :]
    dphi = phi2 - phi
    dlmb = np.radians(lon)[None, :] - np.radians(lon)[:, None]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class GreatCircleTravel:
    """Great-circle distance x detour factor / speed by vehicle and terrain."""

    detour_factor: float
    speeds_kmh: Mapping[str, Mapping[str, float]]

    def matrices(self, places: Sequence[Place], vehicle: str) -> TravelMatrices:
        lat = np.array([p.lat for p in places], dtype=float)
        lon = np.array([p.lon for p in places], dtype=float)
        km = great_circle_km(lat, lon) * self.detour_factor
        speeds = self.speeds_kmh[vehicle]
        speed = np.array([speeds[p.terrain] for p in places], dtype=float)
        # Half the trip in each terrain: time = d/2/s1 + d/2/s2.
        hours = km / 2 * (1 / speed[:, None] + 1 / speed[None, :])
        minutes = np.ceil(hours * 60 - 1e-9).astype(np.int32)
        np.fill_diagonal(minutes, 0)
        return TravelMatrices(km=km, minutes=minutes)


def travel_source(settings: Travel, scenario_path: Path) -> TravelTimeSource:
    """The travel-time source a scenario's [travel] table asks for.

    The source must pickle: it travels with each province task to a worker process.
    """
    if settings.source == "great_circle":
        return GreatCircleTravel(
            settings.detour_factor,
            {str(v): {str(t): s for t, s in by.items()} for v, by in settings.speeds_kmh.items()},
        )
    from planner.errors import ScenarioError

    raise ScenarioError(
        scenario_path, f"{settings.source!r} is not supported yet", field="travel.source"
    )
