"""The default travel model: great-circle distance x detour factor / speed.

Road km = great-circle km x detour factor; minutes = road km / speed x 60, where the speed
depends on the vehicle and on the terrain at both ends (half the trip is driven in each, so
time = d/2/s1 + d/2/s2). No server is needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from planner.travel.model import Place, TravelMatrices, whole_minutes

EARTH_RADIUS_KM = 6371.0088


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
        return TravelMatrices(km=km, minutes=whole_minutes(hours * 60))
