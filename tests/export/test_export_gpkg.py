"""The GeoPackage: layers that read back with the plan's counts, in EPSG:4326."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from planner.export.gpkg import LAYERS, write_gpkg
from planner.export.tables import schedule_rows
from planner.geo.load import GeoData
from planner.plan import Plan


def test_layers_and_row_counts(plan: Plan, geo: GeoData, tmp_path: Path) -> None:
    path = tmp_path / "plan.gpkg"
    write_gpkg(plan, path, geo=geo)
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers == {
        "stops": "Point",
        "routes": "LineString",
        "conferences": "Point",
        "unserved": "Point",
    }
    assert tuple(layers) == LAYERS
    province = plan.provinces[0]
    stops = pyogrio.read_dataframe(path, layer="stops")
    routes = pyogrio.read_dataframe(path, layer="routes")
    conferences = pyogrio.read_dataframe(path, layer="conferences")
    unserved = pyogrio.read_dataframe(path, layer="unserved")
    assert len(stops) == len(schedule_rows(plan))
    assert len(routes) == len(province.routes)
    assert len(conferences) == sum(
        1 for r in province.routes for s in r.stops if s.kind == "conference"
    )
    assert len(unserved) == len(province.unserved)
    for frame in (stops, routes, conferences, unserved):
        assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert unserved.geometry.notna().all()  # placed inside their communes
    assert list(conferences["gathering_cap"].isna()) == [True]  # no cap in force


def test_routes_go_from_base_back_to_base(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.gpkg"
    write_gpkg(plan, path)
    routes = pyogrio.read_dataframe(path, layer="routes")
    by_key = {(r.team_id, r.date.date()): r for r in routes.itertuples()}
    for route in plan.provinces[0].routes:
        line = by_key[(route.team_id, route.date)].geometry
        coords = list(line.coords)
        assert coords[0] == coords[-1] == (route.base_lon, route.base_lat)
        assert len(coords) == len(route.stops) + 2


def test_without_geo_unserved_has_no_geometry(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.gpkg"
    write_gpkg(plan, path)
    unserved = pyogrio.read_dataframe(path, layer="unserved")
    assert len(unserved) == 2 and unserved.geometry.isna().all()
    write_gpkg(plan, path)  # writing again replaces the file
    assert len(pyogrio.read_dataframe(path, layer="stops")) == len(schedule_rows(plan))


def test_dates_are_date_fields(plan: Plan, tmp_path: Path) -> None:
    """`date` is a GeoPackage Date field (not text, not a date-time): QGIS filters it as a date."""
    path = tmp_path / "plan.gpkg"
    write_gpkg(plan, path)
    for layer in ("stops", "routes", "conferences"):
        info = pyogrio.read_info(path, layer=layer)
        types = dict(zip(info["fields"], info["ogr_types"], strict=True))
        assert types["date"] == "OFTDate", layer
        assert "OFTDate" not in [t for f, t in types.items() if f != "date"]
        frame = gpd.read_file(path, layer=layer)
        assert pd.api.types.is_datetime64_any_dtype(frame["date"]), layer
    stops = gpd.read_file(path, layer="stops")
    expected = sorted({row["date"] for row in schedule_rows(plan)})
    assert sorted({d.date().isoformat() for d in stops["date"]}) == expected
    # numbers stay numbers, missing ones stay missing
    assert stops["people_reached"].dtype == "float64"
    assert stops["gathering_cap"].isna().all()
