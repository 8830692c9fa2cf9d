"""The plan as a GeoPackage for GIS users (QGIS, ArcGIS), in EPSG:4326.

Layers of `plan.gpkg`:

- `stops` (points): every row of schedule.csv, same columns; `date` as a date, numbers as
  numbers, the estimate flags (`position_estimated`, `commune_position_estimated`,
  `population_estimated`, `hall_estimated`) as booleans (null where one does not apply);
- `routes` (lines): one per team-day, base -> stops -> base, with its times and distance,
  and whether the base's position is an estimate;
- `conferences` (points): the conference stops, with their venue, slot, invited, expected
  attendance and the gathering cap in force (empty: no cap), whether the venue's position
  and hall size are estimates, and the venue's address, contact and opening hours;
- `unserved` (points): every place the plan leaves out, with its reason; placed at the
  commune's (or group's) representative point when `geo` is given and knows it, otherwise
  without a geometry.

`date` is a GeoPackage Date field (OGR's OFTDate: a day, no time of day) in every layer that
has one, so QGIS filters and sorts it as a date; times of day ("08:30") stay text.
geopandas and pyogrio read it back as datetime64. pandas holds no day-only type, so the layers
are written through `pyogrio.raw.write` with `datetime64[D]` arrays for the date columns
(`write_dataframe` would make them DateTime fields, midnight included).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio.raw
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from planner.export.tables import (
    FLAG_COLUMNS,
    SCHEDULE_COLUMNS,
    UNSERVED_COLUMNS,
    schedule_rows,
)
from planner.plan import Plan, hhmm

if TYPE_CHECKING:
    from planner.geo.load import GeoData

__all__ = ["LAYERS", "write_gpkg"]

CRS = "EPSG:4326"
LAYERS = ("stops", "routes", "conferences", "unserved")

_INTEGER_COLUMNS = (
    "stop",
    "pass_number",
    "invited",
    "gathering_cap",
    "seats_by_area",
    "minutes_from_previous",
)
_FLOAT_COLUMNS = (
    "lat",
    "lon",
    "people_reached",
    "expected_enrolments",
    "expected_attendance",
    "km_from_previous",
)
_CONFERENCE_COLUMNS = (
    "province_code",
    "team_id",
    "date",
    "start",
    "end",
    "slot",
    "commune_code",
    "commune_name",
    "group_code",
    "group_name",
    "venue_id",
    "venue_name",
    "invited",
    "expected_attendance",
    "gathering_cap",
    "seats_by_area",
    "people_reached",
    "expected_enrolments",
    "rule_level",
    "position_estimated",
    "hall_estimated",
    "venue_address",
    "contact_name",
    "contact_phone",
    "opening_hours",
)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """schedule.csv's text values as dates, nullable integers, floats and booleans."""
    frame = frame.copy()
    for column in FLAG_COLUMNS:
        if column in frame:
            frame[column] = frame[column].map({"1": True, "0": False, "": None}).astype("boolean")
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    for column in _INTEGER_COLUMNS:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    for column in _FLOAT_COLUMNS:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("float64")
    return frame


def _stops_frame(plan: Plan) -> gpd.GeoDataFrame:
    rows = schedule_rows(plan)
    frame = _typed(pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS)))
    geometry = [Point(float(r["lon"]), float(r["lat"])) for r in rows]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def _routes_frame(plan: Plan) -> gpd.GeoDataFrame:
    records: list[dict[str, Any]] = []
    lines: list[LineString] = []
    for province in plan.provinces:
        for route in sorted(province.routes, key=lambda r: (r.team_id, r.date)):
            points = [(route.base_lon, route.base_lat)]
            points += [(s.lon, s.lat) for s in route.stops]
            points.append((route.base_lon, route.base_lat))
            lines.append(LineString(points))
            records.append(
                {
                    "province_code": province.province_code,
                    "team_id": route.team_id,
                    "date": pd.Timestamp(route.date),
                    "vehicle": route.vehicle,
                    "base_venue_id": route.base_venue_id,
                    "base_name": route.base_name,
                    "depart": hhmm(route.depart_min),
                    "return": hhmm(route.return_min),
                    "lunch_start": hhmm(route.lunch_start_min),
                    "lunch_minutes": route.lunch_minutes,
                    "stops": len(route.stops),
                    "passes": sum(1 for s in route.stops if s.kind == "pass"),
                    "conferences": sum(1 for s in route.stops if s.kind == "conference"),
                    "people_reached": round(sum(s.people_reached for s in route.stops), 1),
                    "travel_km": round(route.travel_km, 2),
                    "travel_minutes": route.travel_minutes,
                    "base_position_estimated": route.base_position_estimated,
                }
            )
    columns = [
        "province_code",
        "team_id",
        "date",
        "vehicle",
        "base_venue_id",
        "base_name",
        "depart",
        "return",
        "lunch_start",
        "lunch_minutes",
        "stops",
        "passes",
        "conferences",
        "people_reached",
        "travel_km",
        "travel_minutes",
        "base_position_estimated",
    ]
    frame = pd.DataFrame(records, columns=columns)
    frame["base_position_estimated"] = frame["base_position_estimated"].astype("boolean")
    if not records:
        frame = frame.astype({"date": "datetime64[ns]"})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(lines, crs=CRS), crs=CRS)


def _places(
    geo: GeoData | None, frame_name: str, code_column: str
) -> dict[tuple[str, str], BaseGeometry]:
    """(province code, code) -> a point inside the commune or group, from `geo`.

    A representative point rather than the centroid: a cell clipped by the coast or the
    province boundary need not contain its centroid, and this point always lies inside.
    """
    if geo is None:
        return {}
    frame: gpd.GeoDataFrame = getattr(geo, frame_name)
    if frame.empty or code_column not in frame or "province_code" not in frame:
        return {}
    points = frame.geometry.representative_point()
    keys = zip(frame["province_code"].astype(str), frame[code_column].astype(str), strict=True)
    return dict(zip(keys, points, strict=True))


def _unserved_frame(plan: Plan, geo: GeoData | None) -> gpd.GeoDataFrame:
    communes = _places(geo, "communes", "commune_code")
    groups = _places(geo, "groups", "group_code")
    records: list[dict[str, Any]] = []
    geometry: list[BaseGeometry | None] = []
    for province in plan.provinces:
        for u in province.unserved:
            records.append(
                {
                    "province_code": province.province_code,
                    "kind": u.kind,
                    "code": u.code,
                    "name": u.name,
                    "group_code": u.group_code,
                    "reason": u.reason,
                    "detail": u.detail,
                    "value_lost": round(u.value_lost, 1),
                    "insertion_minutes": u.insertion_minutes,
                }
            )
            key = (province.province_code, u.code)
            place = communes.get(key) if u.kind == "commune" else groups.get(key)
            geometry.append(place)
    frame = pd.DataFrame(records, columns=list(UNSERVED_COLUMNS))
    frame["insertion_minutes"] = frame["insertion_minutes"].astype("Int64")
    frame["value_lost"] = frame["value_lost"].astype("float64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


DATE_COLUMNS = ("date",)


def _field(column: pd.Series) -> tuple[np.ndarray, np.ndarray | None]:
    """One column as pyogrio.raw.write takes it: values, and a mask of the missing ones."""
    if column.name in DATE_COLUMNS:
        return pd.to_datetime(column).to_numpy().astype("datetime64[D]"), None
    if isinstance(column.dtype, pd.Int64Dtype):
        return column.to_numpy(dtype="int64", na_value=0), column.isna().to_numpy()
    if isinstance(column.dtype, pd.BooleanDtype):  # a GeoPackage boolean, null where unknown
        return column.to_numpy(dtype="bool", na_value=False), column.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        return column.to_numpy(), None
    values = column.astype(object)
    return values.where(column.notna(), None).to_numpy(dtype=object), None


def _write_layer(frame: gpd.GeoDataFrame, path: Path, layer: str, geometry_type: str) -> None:
    frame = frame.reset_index(drop=True)
    names = [c for c in frame.columns if c != frame.geometry.name]
    fields = [_field(frame[name]) for name in names]
    pyogrio.raw.write(
        path,
        geometry=shapely.to_wkb(np.asarray(frame.geometry.array, dtype=object)),
        field_data=[values for values, _ in fields],
        field_mask=[mask for _, mask in fields],
        fields=names,
        layer=layer,
        driver="GPKG",
        geometry_type=geometry_type,
        crs=CRS,
        promote_to_multi=False,
        nan_as_null=True,
    )


def write_gpkg(plan: Plan, path: Path, *, geo: GeoData | None = None) -> None:
    """Write the layers described in the module docstring to `path` (replacing the file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    stops = _stops_frame(plan)
    conferences = stops.loc[stops["kind"] == "conference", [*_CONFERENCE_COLUMNS, "geometry"]]
    layers: Sequence[tuple[str, gpd.GeoDataFrame, str]] = (
        ("stops", stops, "Point"),
        ("routes", _routes_frame(plan), "LineString"),
        ("conferences", gpd.GeoDataFrame(conferences, crs=CRS), "Point"),
        ("unserved", _unserved_frame(plan, geo), "Point"),
    )
    for name, frame, geometry_type in layers:
        _write_layer(frame, path, name, geometry_type)
