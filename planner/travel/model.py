"""What every travel-time source shares: places, the matrices it returns, the Protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np


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


def whole_minutes(minutes: np.ndarray) -> np.ndarray:
    """Travel minutes rounded up to whole minutes, 0 from a place to itself.

    Rounding up keeps a route that fits in whole minutes feasible in real time too; the
    1e-9 slack stops float noise (e.g. 12.000000001) from adding a minute.
    """
    whole = np.ceil(np.asarray(minutes, dtype=float) - 1e-9).astype(np.int32)
    np.fill_diagonal(whole, 0)
    return whole
