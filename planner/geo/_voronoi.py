"""Approximate unit polygons: Voronoi cells of points, clipped to the country outline.

Rule (documented in data/geo/README.md):

- Cells are computed in a plane where longitude is scaled by cos(16°) (the middle latitude
  of Vietnam), so that bisectors are close to true perpendiculars; then scaled back.
- Points that coincide (same position to 5 decimals, about 1 m) are first spread on a circle
  of `SPREAD_DEG` around their shared position, in order of their code, so that each unit
  gets its own slice of the shared cell.
- Each cell is clipped to the outline united with the unit's own `extra` region: a disc
  around a point that falls outside the outline (islands too small for Natural Earth, or a
  coastal point in the sea), or a district's bounding box. So every unit keeps a non-empty
  polygon and cells never overlap.
- Coordinates are rounded to 6 decimals (about 0.1 m) with a validity-preserving snap.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

MID_LATITUDE = 16.0
X_SCALE = math.cos(math.radians(MID_LATITUDE))
SPREAD_DEG = 0.001  # about 110 m
GRID = 1e-6  # coordinates rounded to 6 decimals
KM_PER_DEG_LAT = 111.32
_GEOD = Geod(ellps="WGS84")


def _to_plane(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy * np.array([X_SCALE, 1.0]))


def _from_plane(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy / np.array([X_SCALE, 1.0]))


def spread_coincident(codes: Sequence[str], lonlat: np.ndarray) -> np.ndarray:
    """Return the points with each group of coincident points spread on a small circle."""
    groups: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, (lon, lat) in enumerate(lonlat):
        groups[(round(float(lon), 5), round(float(lat), 5))].append(i)
    spread = lonlat.astype(float).copy()
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: codes[i])
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members)
            spread[i, 0] += SPREAD_DEG * math.cos(angle) / X_SCALE
            spread[i, 1] += SPREAD_DEG * math.sin(angle)
    return spread


def disc(lon: float, lat: float, radius_km: float) -> Polygon:
    """A disc of `radius_km` around (lon, lat), as a lon/lat polygon (64 sides)."""
    radius_deg = radius_km / KM_PER_DEG_LAT
    circle = Point(0.0, 0.0).buffer(radius_deg, quad_segs=16)
    x_factor = 1.0 / math.cos(math.radians(lat))
    return shapely.transform(
        circle, lambda xy: xy * np.array([x_factor, 1.0]) + np.array([lon, lat])
    )


def to_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    """Keep the polygonal parts of `geometry` as one MultiPolygon."""
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and not g.is_empty]
    flat: list[Polygon] = []
    for part in parts:
        flat.extend(shapely.get_parts(part))
    return MultiPolygon(flat)


def snap(geometry: BaseGeometry) -> MultiPolygon:
    """Round coordinates to 6 decimals, keeping the geometry valid; return a MultiPolygon."""
    snapped = shapely.set_precision(geometry, GRID)
    return to_multipolygon(snapped)


def voronoi_cells(
    codes: Sequence[str],
    lonlat: np.ndarray,
    outline: BaseGeometry,
    extra: dict[int, BaseGeometry] | None = None,
    *,
    outside_radius_km: Sequence[float] | float = 1.5,
) -> list[BaseGeometry]:
    """Return one clipped Voronoi cell per point (unrounded; see `snap`).

    `extra[i]` is added to the clip region of point i; a point not covered by the outline
    also gets a disc of `outside_radius_km` (one value, or one per point).
    """
    n = len(codes)
    if n != len(lonlat):
        raise ValueError("one code per point")
    extra = dict(extra or {})
    radii = (
        [float(outside_radius_km)] * n
        if isinstance(outside_radius_km, int | float)
        else [float(r) for r in outside_radius_km]
    )
    points = spread_coincident(codes, lonlat)
    plane_points = shapely.points(points * np.array([X_SCALE, 1.0]))
    lo = points.min(axis=0) - 5.0
    hi = points.max(axis=0) + 5.0
    frame = shapely.box(lo[0] * X_SCALE, lo[1], hi[0] * X_SCALE, hi[1])
    cells_plane = shapely.voronoi_polygons(
        shapely.multipoints(plane_points), extend_to=frame, ordered=True
    )
    cells = [_from_plane(c) for c in shapely.get_parts(cells_plane)]
    if len(cells) != n:
        raise ValueError(f"Voronoi gave {len(cells)} cells for {n} points")
    shapely.prepare(outline)
    clipped = list(shapely.intersection(np.array(cells, dtype=object), outline))
    inside = np.asarray(shapely.covers(outline, shapely.points(points)), dtype=bool)
    for i in range(n):
        own = extra.get(i)
        if not inside[i]:
            d = disc(float(points[i, 0]), float(points[i, 1]), radii[i])
            own = d if own is None else shapely.union(own, d)
        if own is not None:
            clipped[i] = shapely.union(clipped[i], shapely.intersection(cells[i], own))
    return clipped


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid, km2."""
    area, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1e6
