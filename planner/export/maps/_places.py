"""Where things are drawn: coordinates, geometries, stops at one place, links to a place.

Coordinates go to the page rounded to about 1 m (`COORD_DIGITS`), polygons simplified
(`PROVINCE_TOLERANCE_DEG`, `OVERVIEW_TOLERANCE_DEG`). `navigation_url` is the directions
link of a point (opened by the user, never fetched).

Busy provinces (Thanh Hóa: 26 teams, 200 stops a day). Stops of a team-day at one place
(within 50 m: a commune passed twice, a conference at the post office) are one marker,
numbered "1·8", whose popup lists them all (`colocated`); two teams at one place on one day
have their markers set side by side on a small ring (`shared_place_offsets`); a base with a
stop on it is drawn a little up and left (`base_offset`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from planner.plan import TeamDayRoute

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.geo.load import GeoData

PROVINCE_TOLERANCE_DEG = 0.001  # polygon simplification on province pages (about 100 m)
OVERVIEW_TOLERANCE_DEG = 0.005  # on the national overview (about 500 m)
COORD_DIGITS = 5  # about 1 m

NEAR_METRES = 50.0  # stops closer than this draw as one marker (one place, several stops)
MARKER_PX = 26  # a stop marker's height (and a single stop's width), in CSS pixels
BASE_OFFSET_PX = 17  # a base with a stop on it is drawn this far up and left of the stop
SHARED_PLACE_PX = 15  # markers of several teams at one place on one day sit on a ring this wide


def navigation_url(lat: float, lon: float) -> str:
    """A Google Maps directions link to a point (opened by the user, never fetched)."""
    return f"https://www.google.com/maps/dir/?api=1&destination={lat:.6f},{lon:.6f}"


def _round(value: float) -> float:
    return round(float(value), COORD_DIGITS)


def _latlon(lat: float, lon: float) -> list[float]:
    return [_round(lat), _round(lon)]


# -- geometries ------------------------------------------------------------------------------------


def _geometry_json(geometry: BaseGeometry, tolerance: float) -> dict[str, Any] | None:
    """GeoJSON of a simplified geometry, coordinates rounded; None for an empty one."""
    if geometry is None or geometry.is_empty:
        return None
    if tolerance > 0 and geometry.geom_type in ("Polygon", "MultiPolygon"):
        simplified = geometry.simplify(tolerance, preserve_topology=True)
        geometry = simplified if not simplified.is_empty else geometry
    geometry = shapely.transform(geometry, lambda xy: np.round(xy, COORD_DIGITS))
    mapped: dict[str, Any] = shapely.geometry.mapping(geometry)
    return mapped


def _frame_rows(frame: gpd.GeoDataFrame) -> Iterable[dict[str, Any]]:
    geometry_column = frame.geometry.name
    for record in frame.to_dict("records"):
        record["geometry"] = record.pop(geometry_column)
        yield record


def _bounds_points(geometries: Iterable[BaseGeometry]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for g in geometries:
        if g is None or g.is_empty:
            continue
        minx, miny, maxx, maxy = g.bounds
        out += [(miny, minx), (maxy, maxx)]
    return out


def _group_names(geo: GeoData, province_code: str) -> dict[str, str]:
    groups = geo.groups
    frame = groups[groups["province_code"] == province_code]
    for column in ("district_name", "cluster_name", "group_name", "name"):
        if column in frame.columns:
            return dict(zip(frame["group_code"], frame[column].astype(str), strict=True))
    return {code: str(code) for code in frame["group_code"]}


# -- stops at one place ----------------------------------------------------------------------------


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two (lat, lon) points close together (equirectangular)."""
    dy = (a[0] - b[0]) * 111_320.0
    dx = (a[1] - b[1]) * 111_320.0 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def colocated(
    points: Sequence[tuple[float, float]], metres: float = NEAR_METRES
) -> list[list[int]]:
    """The points (lat, lon) grouped by place: indices, each group within `metres` of its
    first point, groups in the order of their first point.

    A team that comes back to a commune in the day (stop 1 and stop 8), or holds a
    conference at the post office it passes by, has several stops at one place: they are
    drawn as one marker numbered "1·8" whose popup lists them all.
    """
    groups: list[list[int]] = []
    for i, point in enumerate(points):
        for group in groups:
            if _metres(points[group[0]], point) <= metres:
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def route_places(route: TeamDayRoute) -> list[list[int]]:
    """A team-day's stops grouped by place (`colocated`): one marker each."""
    return colocated([(s.lat, s.lon) for s in route.stops])


def shared_place_offsets(
    routes: Sequence[TeamDayRoute],
) -> dict[int, dict[int, tuple[int, int]]]:
    """Route index -> place index (`route_places`) -> pixel offset of its marker, for the
    places two or more routes stop at on the same day: each route's marker is moved onto a
    small ring around the place, so that none hides another. Places only one route visits
    that day are not listed (no offset)."""
    by_day: dict[dt.date, list[tuple[int, int, tuple[float, float]]]] = defaultdict(list)
    for r, route in enumerate(routes):
        for k, group in enumerate(route_places(route)):
            stop = route.stops[group[0]]
            by_day[route.date].append((r, k, (stop.lat, stop.lon)))
    offsets: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for entries in by_day.values():
        for cluster in colocated([point for _, _, point in entries]):
            here = sorted({entries[i][0] for i in cluster})
            if len(here) < 2:
                continue
            for i in cluster:
                r, k, _ = entries[i]
                angle = 2 * math.pi * here.index(r) / len(here) - math.pi / 2
                offsets[r][k] = (
                    round(SHARED_PLACE_PX * math.cos(angle)),
                    round(SHARED_PLACE_PX * math.sin(angle)),
                )
    return dict(offsets)


def base_offset(lat: float, lon: float, routes: Iterable[TeamDayRoute]) -> tuple[int, int] | None:
    """The pixel offset of a base's marker: up and left when a stop is at the base (a
    conference at the post office the team leaves from), so that neither hides the other;
    None when no stop is there."""
    here = (lat, lon)
    for route in routes:
        for stop in route.stops:
            if _metres(here, (stop.lat, stop.lon)) <= NEAR_METRES:
                return (-BASE_OFFSET_PX, -BASE_OFFSET_PX)
    return None
