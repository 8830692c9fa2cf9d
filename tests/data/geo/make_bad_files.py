"""Make the tiny geographic files the loader's tests use; rerun to re-make the committed ones.

    .venv/bin/python tests/data/geo/make_bad_files.py

Two parts:
- `write_synthetic_gpkg(path, structure)`: a GeoPackage with the schema of data/geo (two
  provinces; four groups, one of them an island district without communes; ten communes;
  fourteen post offices), built by the tests in a temporary folder; the bad files below
  refer to its codes and places.
- `write_bad_files(folder)`: one file per fault, named after it, each fed to
  `load_geodata(..., communes_path=...)` or `(..., post_offices_path=...)` by the tests.

Everything here is made up: the codes follow the GSO's widths and the places lie in Bắc Ninh
and Hà Nội, but the boundaries are squares of 0.05 degrees.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

HERE = Path(__file__).resolve().parent
CELL = 0.05  # degrees

# (commune_code, commune_name, commune_type, group_code, column, row) of the 2020 structure;
# province 27 occupies lon 106.00-106.20, lat 21.10-21.20; province 01 lon 105.80-105.90,
# lat 21.00-21.05; column and row count cells of CELL degrees from the province's corner.
COMMUNES_27 = [
    ("09169", "Phường Vũ Ninh", "Phường", "256", 0, 0),
    ("09172", "Phường Đáp Cầu", "Phường", "256", 1, 0),
    ("09175", "Phường Thị Cầu", "Phường", "256", 0, 1),
    ("09178", "Phường Đại Phúc", "Phường", "256", 1, 1),
    ("09193", "Thị trấn Chờ", "Thị trấn", "258", 2, 0),
    ("09196", "Xã Dũng Liệt", "Xã", "258", 3, 0),
    ("09199", "Xã Tam Đa", "Xã", "258", 2, 1),
    ("09202", "Xã Tam Giang", "Xã", "258", 3, 1),
]
COMMUNES_01 = [
    ("00001", "Phường Phúc Xá", "Phường", "001", 0, 0),
    ("00004", "Phường Trúc Bạch", "Phường", "001", 1, 0),
]
ORIGIN = {"27": (106.00, 21.10), "01": (105.80, 21.00)}
# an island district of province 01 without communes: its post office has no commune_code
ISLAND_BOX = box(105.95, 21.00, 105.96, 21.01)


def _cell(province: str, column: int, row: int) -> shapely.Polygon:
    x, y = ORIGIN[province]
    return box(x + column * CELL, y + row * CELL, x + (column + 1) * CELL, y + (row + 1) * CELL)


def _multipolygon(shape: shapely.Geometry) -> shapely.MultiPolygon:
    if isinstance(shape, shapely.MultiPolygon):
        return shape
    assert isinstance(shape, shapely.Polygon)
    return shapely.MultiPolygon([shape])


def synthetic_layers(structure: str = "2020") -> dict[str, gpd.GeoDataFrame]:
    """The layers of a tiny vn2020.gpkg or vn2025.gpkg, in EPSG:4326."""
    p27 = "27" if structure == "2020" else "24"
    province_names = {"01": "Thành phố Hà Nội", p27: "Tỉnh Bắc Ninh"}
    communes = []
    for province, rows in (("27", COMMUNES_27), ("01", COMMUNES_01)):
        code_now = p27 if province == "27" else province
        for code, name, kind, group, column, row in rows:
            cell = _cell(province, column, row)
            population = 10_000 + int(code) % 997
            communes.append(
                {
                    "commune_code": code,
                    "commune_name": name,
                    "commune_type": kind,
                    "group_code": group,
                    "province_code": code_now,
                    "province_name": province_names[code_now],
                    "lat": round(cell.centroid.y, 6),
                    "lon": round(cell.centroid.x, 6),
                    "position_method": "source",
                    "population": population,
                    "population_method": "class_share" if structure == "2020" else "carried_whole",
                    "target_people": population // 5,
                    "area_km2": 28.9,
                    "urban": kind != "Xã",
                    "terrain": "urban" if kind != "Xã" else "plain",
                    "island": False,
                    "boat_only": False,
                    "approximate": True,
                    "geometry": shapely.MultiPolygon([cell]),
                }
            )
    commune_frame = gpd.GeoDataFrame(communes, crs="EPSG:4326")

    group_names = {"256": "Thành phố Bắc Ninh", "258": "Huyện Yên Phong", "001": "Quận Ba Đình"}
    group_names["002"] = "Huyện Đảo Thử"
    groups = []
    for code, name in group_names.items():
        members = commune_frame[commune_frame["group_code"] == code]
        province = p27 if code in ("256", "258") else "01"
        shape = members.union_all() if len(members) else ISLAND_BOX
        island = code == "002"
        row: dict[str, Any] = {"group_code": code}
        if structure == "2020":
            row |= {
                "district_code": code,
                "district_name": name,
                "district_type": name.split(" ")[0] if code != "256" else "Thành phố",
            }
        else:
            row |= {"cluster_code": code, "cluster_name": "Cụm " + name}
        row |= {
            "province_code": province,
            "population": int(members["population"].sum()) or 1500,
            "target_people": int(members["target_people"].sum()) or 300,
            "n_communes": len(members),
            "island": island,
            "boat_only": island,
            "approximate": True,
            "geometry": _multipolygon(shape),
        }
        if structure == "2020":
            row |= {
                "population_method": "direct",
                "lat": round(shape.centroid.y, 6),
                "lon": round(shape.centroid.x, 6),
            }
        groups.append(row)
    group_frame = gpd.GeoDataFrame(groups, crs="EPSG:4326")

    provinces = []
    for code, name in province_names.items():
        members = group_frame[group_frame["province_code"] == code]
        provinces.append(
            {
                "province_code": code,
                "province_name": name,
                "province_name_ascii": name.replace("à", "a").replace("ộ", "o"),
                "population": int(members["population"].sum()),
                "target_people": int(members["target_people"].sum()),
                "n_groups": len(members),
                "n_communes": int(members["n_communes"].sum()),
                "terrain": "plain",
                "approximate": True,
                "geometry": _multipolygon(members.union_all()),
            }
        )
    province_frame = gpd.GeoDataFrame(provinces, crs="EPSG:4326")

    venues = []
    for commune in communes:
        point = shapely.Point(commune["lon"], commune["lat"])
        venues.append(
            {
                "venue_id": "VHX-" + commune["commune_code"],
                "venue_name": "Điểm BĐ-VH " + commune["commune_name"],
                "kind": "commune",
                "commune_code": commune["commune_code"],
                "group_code": commune["group_code"],
                "province_code": commune["province_code"],
                "lat": commune["lat"],
                "lon": commune["lon"],
                "hall_area_m2": 30.0,
                "position_estimated": True,
                "geometry": point,
            }
        )
    for group in groups:
        first = commune_frame[commune_frame["group_code"] == group["group_code"]]
        point = (
            shapely.Point(first.iloc[0]["lon"], first.iloc[0]["lat"])
            if len(first)
            else ISLAND_BOX.centroid
        )
        venues.append(
            {
                "venue_id": "BD-" + group["group_code"],
                "venue_name": "Bưu điện " + group_names[group["group_code"]],
                "kind": "group",
                "commune_code": first.iloc[0]["commune_code"] if len(first) else None,
                "group_code": group["group_code"],
                "province_code": group["province_code"],
                "lat": round(point.y, 6),
                "lon": round(point.x, 6),
                "hall_area_m2": 80.0,
                "position_estimated": True,
                "geometry": point,
            }
        )
    venue_frame = gpd.GeoDataFrame(venues, crs="EPSG:4326")
    centroids = commune_frame.copy()
    centroids["geometry"] = gpd.points_from_xy(centroids["lon"], centroids["lat"])
    if structure == "2025":
        commune_frame["cluster_code"] = commune_frame["group_code"]
        commune_frame["area_estimated"] = False
        commune_frame["area_flag"] = "ok"
        centroids["cluster_code"] = centroids["group_code"]
    else:
        names = {code: group_names[code] for code in group_names}
        for frame in (commune_frame, centroids):
            frame["district_code"] = frame["group_code"]
            frame["district_name"] = frame["group_code"].map(names)
    return {
        "provinces": province_frame,
        ("districts" if structure == "2020" else "clusters"): group_frame,
        "communes": commune_frame,
        "commune_centroids": centroids,
        "post_offices": venue_frame,
    }


def write_synthetic_gpkg(
    path: Path,
    structure: str = "2020",
    *,
    change: Callable[[dict[str, gpd.GeoDataFrame]], None] | None = None,
) -> Path:
    """Write the synthetic GeoPackage to `path`; `change` may edit the layers first."""
    layers = synthetic_layers(structure)
    if change is not None:
        change(layers)
    for name, frame in layers.items():
        frame.to_file(path, layer=name, driver="GPKG")
    return path


# -- the bad files -----------------------------------------------------------------------------


def commune_features() -> list[dict[str, Any]]:
    """The communes of province 27 as GeoJSON features with the user-file columns."""
    features = []
    for code, name, _, group, column, row in COMMUNES_27:
        properties = {
            "commune_code": code,
            "commune_name": name,
            "group_code": group,
            "province_code": "27",
            "population": 10_000 + int(code) % 997,
        }
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": mapping(_cell("27", column, row)),
            }
        )
    return features


def write_geojson(path: Path, features: list[dict[str, Any]], *, crs: str | None = None) -> None:
    """Write a FeatureCollection, one feature a line, so that a diff shows which one changed."""
    head = '{"type": "FeatureCollection",'
    if crs is not None:
        head += ' "crs": ' + json.dumps({"type": "name", "properties": {"name": crs}}) + ","
    lines = [json.dumps(feature, ensure_ascii=False) for feature in features]
    body = ",\n".join(lines)
    text = f'{head}\n"features": [\n{body}\n]}}\n' if lines else f'{head} "features": []}}\n'
    path.write_text(text, encoding="utf-8")


def _map_coordinates(geometry: dict[str, Any], move: Callable[[float, float], Any]) -> None:
    """Apply `move(x, y)` to every ring vertex of a GeoJSON Polygon, in place."""
    geometry["coordinates"] = [
        [list(move(x, y)) for x, y in ring] for ring in geometry["coordinates"]
    ]


VENUE_HEADER = "venue_id,venue_name,kind,commune_code,lat,lon,hall_area_m2"
VENUE_ROWS = [
    "BD-256,Bưu điện Thành phố Bắc Ninh,group,09169,21.125,106.025,80",
    "VHX-09196,Điểm BĐ-VH Xã Dũng Liệt,commune,09196,21.125,106.175,30",
    "VHX-09199,Điểm BĐ-VH Xã Tam Đa,commune,09199,21.175,106.125,30",
]


def _venues_csv(path: Path, rows: list[str], *, header: str = VENUE_HEADER) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def write_bad_files(folder: Path = HERE) -> list[Path]:
    """Write every bad file into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def geojson(name: str, edit: Callable[[list[dict[str, Any]]], None], **kw: Any) -> None:
        features = copy.deepcopy(commune_features())
        edit(features)
        write_geojson(folder / name, features, **kw)
        written.append(folder / name)

    def venues(name: str, rows: list[str], **kw: Any) -> None:
        _venues_csv(folder / name, rows, **kw)
        written.append(folder / name)

    def drop_columns(features: list[dict[str, Any]]) -> None:
        for feature in features:
            del feature["properties"]["commune_name"], feature["properties"]["group_code"]

    geojson("communes_missing_column.geojson", drop_columns)

    def duplicate(features: list[dict[str, Any]]) -> None:
        features[4]["properties"]["commune_code"] = features[1]["properties"]["commune_code"]

    geojson("communes_duplicate_codes.geojson", duplicate)

    def swap(features: list[dict[str, Any]]) -> None:
        for feature in features:
            _map_coordinates(feature["geometry"], lambda x, y: (y, x))

    geojson("communes_wrong_crs_swapped_latlon.geojson", swap)

    def to_utm(features: list[dict[str, Any]]) -> None:
        for feature in features:
            shape = shapely.geometry.shape(feature["geometry"])
            utm = gpd.GeoSeries([shape], crs="EPSG:4326").to_crs("EPSG:32648").iloc[0]
            feature["geometry"] = mapping(shapely.set_precision(utm, 0.01))

    # metres written with no "crs" member: GeoJSON is then read as EPSG:4326 degrees
    geojson("communes_projected_metres_no_crs.geojson", to_utm)

    def bowtie(features: list[dict[str, Any]]) -> None:
        x, y = ORIGIN["27"]
        features[2]["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[x, y], [x + CELL, y + CELL], [x + CELL, y], [x, y + CELL], [x, y]]],
        }

    geojson("communes_invalid_geometry.geojson", bowtie)

    def empty_polygon(features: list[dict[str, Any]]) -> None:
        features[1]["geometry"] = {"type": "Polygon", "coordinates": []}

    geojson("communes_empty_geometry.geojson", empty_polygon)

    def null_geometry(features: list[dict[str, Any]]) -> None:
        features[3]["geometry"] = None

    geojson("communes_null_geometry.geojson", null_geometry)

    def lines(features: list[dict[str, Any]]) -> None:
        for feature in features:
            ring = feature["geometry"]["coordinates"][0]
            feature["geometry"] = {"type": "LineString", "coordinates": ring}

    geojson("communes_lines_not_polygons.geojson", lines)

    def unknown_province(features: list[dict[str, Any]]) -> None:
        features[5]["properties"]["province_code"] = "99"

    geojson("communes_unknown_province.geojson", unknown_province)

    def unknown_group(features: list[dict[str, Any]]) -> None:
        features[6]["properties"]["group_code"] = "999"

    geojson("communes_unknown_group.geojson", unknown_group)

    def other_province_group(features: list[dict[str, Any]]) -> None:
        features[7]["properties"]["group_code"] = "001"

    geojson("communes_group_of_other_province.geojson", other_province_group)

    def negative(features: list[dict[str, Any]]) -> None:
        features[0]["properties"]["population"] = -120

    geojson("communes_negative_population.geojson", negative)

    def bad_type(features: list[dict[str, Any]]) -> None:
        for feature in features:
            feature["properties"]["commune_type"] = "Xã"
        features[2]["properties"]["commune_type"] = "Thôn"

    geojson("communes_bad_commune_type.geojson", bad_type)

    def target_above(features: list[dict[str, Any]]) -> None:
        for feature in features:
            feature["properties"]["target_people"] = 2_000
        features[3]["properties"]["target_people"] = 50_000

    geojson("communes_target_above_population.geojson", target_above)

    # a Shapefile without its .prj: the CRS is unknown
    # (its column names are cut to 10 characters, as every Shapefile's are)
    shp = gpd.GeoDataFrame.from_features(commune_features())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shp.to_file(folder / "communes_no_crs.shp", driver="ESRI Shapefile")
    written += [folder / f"communes_no_crs.{ext}" for ext in ("shp", "shx", "dbf", "cpg")]

    csv_communes = folder / "communes_points_missing_latlon.csv"
    csv_communes.write_text(
        "commune_code,commune_name,group_code,province_code,population\n"
        "09169,Phường Vũ Ninh,256,27,10500\n"
        "09196,Xã Dũng Liệt,258,27,9800\n",
        encoding="utf-8",
    )
    written.append(csv_communes)

    # venues (the tests load them with the synthetic communes)
    venues(
        "post_offices_outside_area.csv",
        [*VENUE_ROWS, "VHX-09202,Điểm BĐ-VH Xã Tam Giang,commune,09202,21.125,106.025,30"],
    )
    venues(
        "post_offices_bad_latlon.csv",
        [VENUE_ROWS[0], "VHX-09196,Điểm BĐ-VH Xã Dũng Liệt,commune,09196,21°7'30\"N,106.175,30"],
    )
    venues("post_offices_nan.csv", [VENUE_ROWS[0], VENUE_ROWS[1].replace(",30", ",NaN")])
    venues("post_offices_zero_area.csv", [VENUE_ROWS[0], VENUE_ROWS[1], VENUE_ROWS[2][:-2] + "0"])
    venues(
        "post_offices_unknown_commune.csv",
        [VENUE_ROWS[0], VENUE_ROWS[1].replace("09196,", "99999,")],
    )
    venues("post_offices_duplicate_ids.csv", [*VENUE_ROWS, VENUE_ROWS[1]])
    venues("post_offices_bad_kind.csv", [VENUE_ROWS[0].replace(",group,", ",office,")])
    venues(
        "post_offices_ragged_row.csv", [VENUE_ROWS[0], VENUE_ROWS[1].replace("Xã Dũng", "Xã, Dũng")]
    )
    venues("post_offices_header_only.csv", [])
    venues(
        "post_offices_wrong_province.csv",
        [row + ",27" for row in VENUE_ROWS[:2]] + [VENUE_ROWS[2] + ",01"],
        header=VENUE_HEADER + ",province_code",
    )
    venues(
        "post_offices_swapped_latlon.csv",
        [VENUE_ROWS[0], "VHX-09196,Điểm BĐ-VH Xã Dũng Liệt,commune,09196,106.175,21.125,30"],
    )
    latin1 = folder / "post_offices_latin1.csv"
    text = "\n".join([VENUE_HEADER, "BD-256,Nhà khách Cà Mau,group,09169,21.125,106.025,80"])
    latin1.write_bytes((text + "\n").encode("latin-1"))
    written.append(latin1)

    # any role
    (folder / "not_a_geofile.gpkg").write_text("This is a note, not a GeoPackage.\n")
    write_geojson(folder / "empty.geojson", [])
    (folder / "empty.csv").write_bytes(b"")
    written += [folder / "not_a_geofile.gpkg", folder / "empty.geojson", folder / "empty.csv"]
    return written


if __name__ == "__main__":
    for path in write_bad_files():
        print(path.relative_to(HERE))
