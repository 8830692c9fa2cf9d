"""Tests of planner.geo.load: the happy paths on synthetic GeoPackages, and one clear error line
for every bad file in tests/data/geo (made by tests/data/geo/make_bad_files.py)."""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from planner.errors import DataError
from planner.geo.load import (
    DEFAULT_DATA_DIR,
    METRIC_CRS,
    GeoData,
    load_geodata,
    to_metric,
)

BAD = Path(__file__).resolve().parents[1] / "data" / "geo"


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_bad_files", BAD / "make_bad_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maker = _load_maker()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data/geo folder with synthetic vn2020.gpkg and vn2025.gpkg."""
    folder = tmp_path_factory.mktemp("geo")
    maker.write_synthetic_gpkg(folder / "vn2020.gpkg", "2020")
    maker.write_synthetic_gpkg(folder / "vn2025.gpkg", "2025")
    return folder


def _message(error: pytest.ExceptionInfo[DataError], *folders: Path) -> str:
    """The error's line with the test folders cut from its paths."""
    text = str(error.value)
    for folder in folders:
        text = text.replace(f"{folder}/", "")
    return text


# -- the built files ---------------------------------------------------------------------------


def test_loads_the_2020_structure(data_dir: Path) -> None:
    geo = load_geodata("2020", data_dir=data_dir)

    assert isinstance(geo, GeoData)
    assert geo.structure == "2020" and geo.group_label == "district"
    assert geo.sources == (str(data_dir / "vn2020.gpkg"),)
    assert list(geo.provinces["province_code"]) == ["01", "27"]
    assert list(geo.groups["group_code"]) == ["001", "002", "256", "258"]
    assert len(geo.communes) == 10 and len(geo.post_offices) == 14
    for frame in (geo.provinces, geo.groups, geo.communes, geo.post_offices):
        assert frame.crs == "EPSG:4326"
        assert list(frame.index) == list(range(len(frame)))
    assert geo.communes["commune_code"].iloc[0] == "00001"  # zeros kept
    assert geo.communes["population"].dtype == np.int64
    assert geo.communes["island"].dtype == bool
    assert set(geo.communes.geometry.geom_type) == {"MultiPolygon"}
    assert {"district_code", "district_name"} <= set(geo.communes.columns)
    assert geo.notes == ()


def test_island_post_office_without_commune_is_kept(data_dir: Path) -> None:
    geo = load_geodata("2020", data_dir=data_dir)

    island = geo.post_offices.set_index("venue_id").loc["BD-002"]
    assert island["commune_code"] is None
    assert island["group_code"] == "002" and island["province_code"] == "01"


def test_loads_the_2025_structure_with_clusters(data_dir: Path) -> None:
    geo = load_geodata("2025", data_dir=data_dir, province_codes=["24"])

    assert geo.group_label == "cluster"
    assert list(geo.provinces["province_code"]) == ["24"]
    assert list(geo.groups["cluster_code"]) == ["256", "258"]
    assert set(geo.communes["province_code"]) == {"24"} and len(geo.communes) == 8
    assert set(geo.post_offices["province_code"]) == {"24"}


def test_province_filter_reads_only_that_province(data_dir: Path) -> None:
    geo = load_geodata("2020", data_dir=data_dir, province_codes=["1"])  # padded to "01"

    assert list(geo.provinces["province_code"]) == ["01"]
    assert list(geo.groups["group_code"]) == ["001", "002"]
    assert list(geo.communes["commune_code"]) == ["00001", "00004"]
    assert set(geo.post_offices["province_code"]) == {"01"}


def test_unknown_province_code_is_named(data_dir: Path) -> None:
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, province_codes=["27", "99"])
    assert _message(error, data_dir) == (
        "vn2020.gpkg, field 'province_code': province code '99' is not in the provinces layer "
        "of this file (known: 01, 27)"
    )


def test_missing_file_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(DataError) as error:
        load_geodata("2025", data_dir=tmp_path)
    assert _message(error, tmp_path) == (
        "vn2025.gpkg: file not found; run `planner data build` to create it"
    )


def test_default_data_dir_is_the_repository_data_geo() -> None:
    assert Path(__file__).resolve().parents[2] / "data" / "geo" == DEFAULT_DATA_DIR


def test_unknown_structure_is_refused(data_dir: Path) -> None:
    with pytest.raises(DataError, match="unknown structure '2019'; expected '2020' or '2025'"):
        load_geodata("2019", data_dir=data_dir)


def test_built_file_without_a_layer_is_refused(tmp_path: Path) -> None:
    maker.write_synthetic_gpkg(
        tmp_path / "vn2020.gpkg", "2020", change=lambda layers: layers.pop("post_offices")
    )
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=tmp_path)
    assert _message(error, tmp_path) == (
        "vn2020.gpkg: no layer post_offices (layers found: provinces, districts, communes, "
        "commune_centroids); run `planner data build` to rebuild it"
    )


def test_bad_row_of_the_built_file_is_named_by_its_fid(tmp_path: Path) -> None:
    def break_a_commune(layers: dict[str, gpd.GeoDataFrame]) -> None:
        x, y = maker.ORIGIN["27"]
        bowtie = shapely.Polygon([(x, y), (x + 0.05, y + 0.05), (x + 0.05, y), (x, y + 0.05)])
        layers["communes"].loc[2, "geometry"] = shapely.MultiPolygon([bowtie])

    maker.write_synthetic_gpkg(tmp_path / "vn2020.gpkg", "2020", change=break_a_commune)
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=tmp_path, province_codes=["27"])
    assert _message(error, tmp_path).startswith(
        "vn2020.gpkg, row 3: invalid geometry (Self-intersection[106.025 21.125])"
    )


def test_to_metric_gives_metres() -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.box(106.0, 21.1, 106.05, 21.15)], crs="EPSG:4326")

    area_km2 = to_metric(frame).geometry.area.iloc[0] / 1e6

    assert METRIC_CRS == "EPSG:32648"
    assert 28.0 < area_km2 < 30.0  # 5.19 km x 5.54 km


def test_to_metric_needs_a_crs() -> None:
    with pytest.raises(ValueError, match="no CRS"):
        to_metric(gpd.GeoDataFrame(geometry=[shapely.Point(106, 21)]))


def test_check_list_matches_the_build_schema() -> None:
    """The columns the loader requires of the built files are the ones the build writes."""
    from planner.geo import _schema
    from planner.geo.load import _POST_OFFICES, _PROVINCES, _STRUCTURES

    for file_name, structure in (("vn2020.gpkg", "2020"), ("vn2025.gpkg", "2025")):
        spec = _STRUCTURES[structure]
        ours = {
            "provinces": _PROVINCES,
            spec.group_layer: spec.group_schema,
            "communes": spec.commune_schema,
            "post_offices": _POST_OFFICES,
        }
        for layer in _schema.LAYERS_BY_FILE[file_name]:
            if layer.name not in ours:
                continue
            assert set(layer.attribute_names) == set(ours[layer.name]), (file_name, layer.name)
            nullable = {c.name for c in layer.columns if c.nullable}
            assert nullable == {n for n, c in ours[layer.name].items() if c.nullable}


# -- the user's files --------------------------------------------------------------------------


def _user_communes(tmp_path: Path, *, crs: str = "EPSG:4326", name: str = "mine.geojson") -> Path:
    features = maker.commune_features()
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326").to_crs(crs)
    path = tmp_path / name
    frame.to_file(path)
    return path


def test_user_communes_in_utm_are_reprojected_and_completed(data_dir: Path, tmp_path: Path) -> None:
    path = _user_communes(tmp_path, crs="EPSG:32648")

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    communes = geo.communes.set_index("commune_code")
    assert geo.sources == (str(data_dir / "vn2020.gpkg"), str(path))
    assert communes.crs == "EPSG:4326"
    minx, miny, maxx, maxy = communes.total_bounds
    assert np.allclose([minx, miny, maxx, maxy], [106.0, 21.1, 106.2, 21.2], atol=1e-6)
    assert communes.loc["09169", "commune_type"] == "Phường"
    assert communes.loc["09196", "terrain"] == "plain"  # from the built commune
    assert communes.loc["09196", "district_name"] == "Huyện Yên Phong"
    assert communes.loc["09169", "approximate"] == np.False_
    assert 28.0 < communes.loc["09169", "area_km2"] < 30.0
    assert abs(communes.loc["09169", "lat"] - 21.125) < 1e-6
    assert len(geo.notes) == 1 and "derived province_name, district_code" in geo.notes[0]
    assert len(geo.post_offices) == 10  # the built venues lie in the user's polygons


def test_user_communes_derive_target_people_from_the_province_ratio(
    data_dir: Path, tmp_path: Path
) -> None:
    path = _user_communes(tmp_path)
    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    province = geo.provinces.iloc[0]
    ratio = province["target_people"] / province["population"]
    expected = np.round(geo.communes["population"] * ratio).astype(np.int64)
    assert (geo.communes["target_people"] == expected).all()


def test_user_communes_as_csv_points(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_text(
        "commune_code;commune_name;group_code;province_code;population;lat;lon\n"
        "9169;Phường Vũ Ninh;256;27;10196;21.125;106.025\n"
        "09196;Xã Dũng Liệt;258;27;9800;21.125;106.175\n",
        encoding="utf-8-sig",  # as Excel writes it, with a BOM and semicolons
    )

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    assert list(geo.communes["commune_code"]) == ["09169", "09196"]
    assert set(geo.communes.geometry.geom_type) == {"Point"}
    assert geo.communes["area_km2"].tolist() == [28.9, 28.9]  # from the built communes
    assert geo.communes["approximate"].all()
    assert geo.notes[-1] == (
        f"{path}: communes are points, their polygons are unknown; venues were not checked "
        "against commune boundaries"
    )
    # the built venues of communes the user's file lacks are left out, and said so
    assert sorted(geo.post_offices["venue_id"]) == ["BD-256", "VHX-09169", "VHX-09196"]
    assert (
        f"{data_dir / 'vn2020.gpkg'}: left out 7 post offices whose commune is not in {path}"
        in (geo.notes)
    )


def test_user_shapefile_with_short_names_and_numeric_codes(data_dir: Path, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame.from_features(maker.commune_features(), crs="EPSG:4326")
    frame["commune_code"] = frame["commune_code"].astype(int)  # 9169: the zero is lost
    frame["province_code"] = frame["province_code"].astype(int)
    path = tmp_path / "communes.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # names cut to 10 characters
        frame.to_file(path)

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    assert geo.communes["commune_code"].iloc[0] == "09169"
    assert set(geo.communes["province_code"]) == {"27"}
    assert "commune_name" in geo.communes.columns


def test_user_communes_from_a_geopackage_layer_named_communes(
    data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "boundaries.gpkg"
    frame = gpd.GeoDataFrame.from_features(maker.commune_features(), crs="EPSG:4326")
    frame.iloc[:1].to_file(path, layer="notes")
    frame.to_file(path, layer="communes")

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    assert len(geo.communes) == 8


def test_user_post_offices_csv_gets_group_and_province(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    path.write_text("\n".join([maker.VENUE_HEADER, *maker.VENUE_ROWS]) + "\n", encoding="utf-8")

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], post_offices_path=path)

    venues = geo.post_offices.set_index("venue_id")
    assert list(venues.index) == ["BD-256", "VHX-09196", "VHX-09199"]
    assert venues.loc["VHX-09196", "group_code"] == "258"
    assert set(venues["province_code"]) == {"27"}
    assert venues["hall_area_m2"].tolist() == [80.0, 30.0, 30.0]
    assert not venues["position_estimated"].any()


def test_user_post_offices_of_other_provinces_are_dropped(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    rows = [
        *maker.VENUE_ROWS,
        "VHX-00001,Điểm BĐ-VH Phường Phúc Xá,commune,00001,21.025,105.825,30",
    ]
    path.write_text("\n".join([maker.VENUE_HEADER, *rows]) + "\n", encoding="utf-8")

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["01"], post_offices_path=path)

    assert list(geo.post_offices["venue_id"]) == ["VHX-00001"]


def test_built_venues_follow_the_user_communes_groups(data_dir: Path, tmp_path: Path) -> None:
    features = maker.commune_features()
    features[0]["properties"]["group_code"] = "258"  # 09169 moved to Yên Phong
    path = tmp_path / "moved.geojson"
    maker.write_geojson(path, features)

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    venues = geo.post_offices.set_index("venue_id")
    assert venues.loc["VHX-09169", "group_code"] == "258"
    assert venues.loc["BD-256", "group_code"] == "258"  # it stands in 09169


def test_built_venues_outside_the_user_polygons_say_what_to_do(
    data_dir: Path, tmp_path: Path
) -> None:
    features = maker.commune_features()
    features[0]["geometry"] = shapely.geometry.mapping(shapely.box(106.0, 21.1, 106.01, 21.11))
    path = tmp_path / "small.geojson"
    maker.write_geojson(path, features)

    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)
    assert _message(error, data_dir, tmp_path) == (
        "vn2020.gpkg, row 1, field 'commune_code': venue 'VHX-09169' lies 2.3 km outside its "
        "commune 09169 in small.geojson; expected inside or within 500 m; give your own venues "
        "(post_offices_path) if the built positions do not fit your boundaries"
    )


def test_user_geopackage_without_a_communes_layer_uses_the_first(
    data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "gadm.gpkg"
    frame = gpd.GeoDataFrame.from_features(maker.commune_features(), crs="EPSG:4326")
    frame.to_file(path, layer="level3")
    frame.iloc[:1].to_file(path, layer="level2")

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    assert len(geo.communes) == 8
    assert f"{path}: no layer 'communes', read the first layer 'level3'" in geo.notes


def test_user_communes_of_other_provinces_only(data_dir: Path, tmp_path: Path) -> None:
    path = _user_communes(tmp_path)  # province 27 only

    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, province_codes=["01"], communes_path=path)
    assert _message(error, tmp_path) == (
        "mine.geojson: no communes of province 01 in the file; expected at least one"
    )


def test_user_group_post_office_without_commune(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    path.write_text(
        "venue_id,venue_name,kind,commune_code,group_code,lat,lon,hall_area_m2\n"
        "BD-002,Bưu điện Huyện Đảo Thử,group,,002,21.005,105.955,60\n"
        "VHX-00001,Điểm BĐ-VH Phường Phúc Xá,commune,1,,21.025,105.825,30\n",
        encoding="utf-8",
    )

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["01"], post_offices_path=path)

    venues = geo.post_offices.set_index("venue_id")
    assert venues.loc["BD-002", "commune_code"] is None
    assert venues.loc["BD-002", "province_code"] == "01"
    assert venues.loc["VHX-00001", "commune_code"] == "00001"
    assert venues.loc["VHX-00001", "group_code"] == "001"


def test_commune_post_office_without_commune_is_refused(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    path.write_text(
        "venue_id,venue_name,kind,commune_code,lat,lon,hall_area_m2\n"
        "VHX-1,Điểm BĐ-VH,commune,,21.025,105.825,30\n",
        encoding="utf-8",
    )

    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, post_offices_path=path)
    assert _message(error, tmp_path) == (
        "venues.csv, row 1, field 'commune_code': no code; only a group post office of a "
        "district without communes may have none"
    )


# -- the bad files: one clear line each ---------------------------------------------------------

BAD_FILES = {
    # file: (which input, the message after the file name)
    "communes_missing_column.geojson": (
        "communes",
        ": missing required columns commune_name, group_code (columns found: commune_code, "
        "province_code, population)",
    ),
    "communes_duplicate_codes.geojson": (
        "communes",
        ", row 5, field 'commune_code': duplicate code '09172' (also in row 2); expected each "
        "code once",
    ),
    "communes_no_crs.shp": (
        "communes",
        ": no coordinate reference system; expected EPSG:4326 or any CRS pyproj knows",
    ),
    "communes_wrong_crs_swapped_latlon.geojson": (
        "communes",
        ", row 1: coordinates outside Vietnam (lon 21.1..21.15, lat 106..106.05); latitude and "
        "longitude look swapped; expected lon 100..118, lat 6..24",
    ),
    "communes_projected_metres_no_crs.geojson": (
        "communes",
        ", row 1: coordinates outside Vietnam (lon 603828.55..609056.96, lat "
        "2333541.29..2339109.16); these look like projected metres, not degrees: the file's "
        "CRS is missing or wrong (a GeoJSON without a CRS is read as EPSG:4326)",
    ),
    "communes_invalid_geometry.geojson": (
        "communes",
        ", row 3: invalid geometry (Self-intersection[106.025 21.125]); fix it in a GIS "
        "(QGIS: 'Fix geometries') and reload",
    ),
    "communes_empty_geometry.geojson": (
        "communes",
        ", row 2: geometry is empty; expected a non-empty shape",
    ),
    "communes_null_geometry.geojson": (
        "communes",
        ", row 4: feature has no geometry; expected a shape",
    ),
    "communes_lines_not_polygons.geojson": (
        "communes",
        ", row 1: geometry is a LineString; expected Polygon or MultiPolygon",
    ),
    "communes_unknown_province.geojson": (
        "communes",
        ", row 6, field 'province_code': '99' is not in layer 'provinces' of vn2020.gpkg",
    ),
    "communes_unknown_group.geojson": (
        "communes",
        ", row 7, field 'group_code': '999' is not in layer 'districts' of vn2020.gpkg",
    ),
    "communes_group_of_other_province.geojson": (
        "communes",
        ", row 8, field 'province_code': '27' does not match the province of its district in "
        "vn2020.gpkg ('01')",
    ),
    "communes_negative_population.geojson": (
        "communes",
        ", row 1, field 'population': -120 is negative; expected >= 0",
    ),
    "communes_bad_commune_type.geojson": (
        "communes",
        ", row 3, field 'commune_type': 'Thôn' is not one of 'Phường', 'Thị trấn', 'Xã', 'Đặc khu'",
    ),
    "communes_target_above_population.geojson": (
        "communes",
        ", row 4, field 'target_people': target_people 50000 exceeds population 10205; "
        "expected target <= population",
    ),
    "communes_points_missing_latlon.csv": (
        "communes",
        ": missing required columns lat, lon (columns found: commune_code, commune_name, "
        "group_code, province_code, population); a CSV needs lat and lon in decimal degrees "
        "(EPSG:4326)",
    ),
    "post_offices_outside_area.csv": (
        "post_offices",
        ", row 4, field 'commune_code': venue 'VHX-09202' lies 13.3 km outside its commune "
        "09202 in layer 'communes' of vn2020.gpkg; expected inside or within 500 m",
    ),
    "post_offices_bad_latlon.csv": (
        "post_offices",
        ", row 2, field 'lat': '21°7'30\"N' is not a number; expected a decimal number such "
        "as 21.1667",
    ),
    "post_offices_swapped_latlon.csv": (
        "post_offices",
        ", row 2, field 'lat/lon': coordinates outside Vietnam (lon 21.125, lat 106.175); "
        "latitude and longitude look swapped; expected lon 100..118, lat 6..24",
    ),
    "post_offices_latin1.csv": (
        "post_offices",
        ": not UTF-8 text: byte 0xe0 at byte offset 68 (line 2) is not valid UTF-8; save the "
        "file as UTF-8 (Excel: 'CSV UTF-8')",
    ),
    "post_offices_nan.csv": (
        "post_offices",
        ", row 2, field 'hall_area_m2': no value (blank or NaN); expected a finite number",
    ),
    "post_offices_zero_area.csv": (
        "post_offices",
        ", row 3, field 'hall_area_m2': venue with no area (0 m2); expected hall_area_m2 > 0",
    ),
    "post_offices_unknown_commune.csv": (
        "post_offices",
        ", row 2, field 'commune_code': '99999' is not in the communes of layer 'communes' of "
        "vn2020.gpkg",
    ),
    "post_offices_duplicate_ids.csv": (
        "post_offices",
        ", row 4, field 'venue_id': duplicate code 'VHX-09196' (also in row 2); expected each "
        "code once",
    ),
    "post_offices_bad_kind.csv": (
        "post_offices",
        ", row 1, field 'kind': 'office' is not one of 'commune', 'group'",
    ),
    "post_offices_ragged_row.csv": (
        "post_offices",
        ", row 2: 8 fields but the header has 7; is a comma inside an unquoted value?",
    ),
    "post_offices_header_only.csv": (
        "post_offices",
        ": no rows in the file; expected at least one",
    ),
    "post_offices_wrong_province.csv": (
        "post_offices",
        ", row 3, field 'province_code': '01' does not match the province of its district ('27')",
    ),
    "not_a_geofile.gpkg": (
        "communes",
        ": not a readable GeoPackage, GeoJSON or Shapefile (not recognized as being in a "
        "supported file format)",
    ),
    "empty.geojson": ("communes", ": no communes in the file; expected at least one"),
    "empty.csv": (
        "post_offices",
        ": empty file; expected a header line and at least one row",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_one_clear_line(name: str, data_dir: Path) -> None:
    role, expected = BAD_FILES[name]
    path = BAD / name
    options = {"communes_path": path} if role == "communes" else {"post_offices_path": path}

    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, **options)  # type: ignore[arg-type]

    assert _message(error, BAD, data_dir) == name + expected
    assert "\n" not in str(error.value)
    assert error.value.path == str(path)


def test_every_bad_file_is_tested() -> None:
    made = {
        p.name
        for p in BAD.iterdir()
        if p.is_file() and p.suffix not in (".py", ".shx", ".dbf", ".cpg")
    }
    assert made == set(BAD_FILES)


def test_bad_files_are_as_the_script_makes_them(tmp_path: Path) -> None:
    """The committed files are the script's output (rerun it after changing it)."""
    maker.write_bad_files(tmp_path)
    for path in tmp_path.iterdir():
        if path.suffix in (".shp", ".shx", ".dbf"):
            continue  # binary, with a write date in the header
        assert path.read_bytes() == (BAD / path.name).read_bytes(), path.name


def test_missing_user_file(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, communes_path=tmp_path / "nope.geojson")
    assert _message(error, tmp_path) == "nope.geojson: file not found"


def test_geojson_with_a_declared_crs_is_reprojected(data_dir: Path, tmp_path: Path) -> None:
    features = json.loads((BAD / "communes_projected_metres_no_crs.geojson").read_text())
    features["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}}
    path = tmp_path / "utm.geojson"
    path.write_text(json.dumps(features), encoding="utf-8")

    geo = load_geodata("2020", data_dir=data_dir, province_codes=["27"], communes_path=path)

    assert geo.communes.total_bounds == pytest.approx([106.0, 21.1, 106.2, 21.2], abs=1e-4)


# -- the real data, once it is built -----------------------------------------------------------
# data/geo is built by `python -m planner.geo.build`; these run whenever it is there.

REAL = {"2020": DEFAULT_DATA_DIR / "vn2020.gpkg", "2025": DEFAULT_DATA_DIR / "vn2025.gpkg"}
COUNTS = {"2020": (63, 696, 10_035), "2025": (34, None, 3_321)}


@pytest.mark.parametrize("structure", ["2020", "2025"])
def test_real_data_loads_whole(structure: str) -> None:
    geo = load_geodata(structure)

    n_provinces, n_groups, n_communes = COUNTS[structure]
    assert len(geo.provinces) == n_provinces and len(geo.communes) == n_communes
    assert n_groups is None or len(geo.groups) == n_groups
    assert geo.communes["commune_code"].str.fullmatch(r"\d{5}").all()
    assert geo.post_offices["commune_code"].isna().sum() <= 5  # island districts only


def test_real_data_loads_one_province() -> None:
    geo = load_geodata("2020", province_codes=["27"])

    assert list(geo.provinces["province_code"]) == ["27"]
    assert len(geo.groups) > 0 and len(geo.communes) > 0 and len(geo.post_offices) > 0
    assert set(geo.communes["province_code"]) == {"27"}
    assert set(geo.post_offices["province_code"]) == {"27"}


# -- plausibility of the user's files: one clear line before any solve (issue 13) -------------
# The tiny files of tests/data/bad_input name real communes of Bắc Ninh (27), so they are
# loaded against the real data/geo; each holds one fault, named after it.

BAD_INPUT = Path(__file__).resolve().parents[1] / "data" / "bad_input"

IMPLAUSIBLE_FILES = {
    "communes_ten_billion_people.csv": (
        "communes",
        ", row 2, field 'population': 10,000,000,000 is more people than is plausible for one "
        "commune; expected at most 2,000,000 (the most populous commune in data/geo has "
        "253,300)",
    ),
    "communes_population_overflows_int64.csv": (
        "communes",
        ", row 1, field 'population': 1e+23 is more people than is plausible for one commune; "
        "expected at most 2,000,000 (the most populous commune in data/geo has 253,300)",
    ),
    "communes_population_infinite.csv": (
        "communes",
        ", row 2, field 'population': inf is not finite; expected a finite number",
    ),
    "communes_outside_vietnam.csv": (
        "communes",
        ", row 3, field 'lat/lon': position lat 7.2, lon 101.3 is not in Vietnam; expected a "
        "point in the mainland and its near islands (lat 8..23.5, lon 102..110); Hoàng Sa "
        "(lat 15.5..17.5, lon 110.5..113); Trường Sa (lat 6..12, lon 111..118)",
    ),
    "post_offices_outside_vietnam.csv": (
        "post_offices",
        ", row 2, field 'lat/lon': position lat 20, lon 112 is not in Vietnam; expected a "
        "point in the mainland and its near islands (lat 8..23.5, lon 102..110); Hoàng Sa "
        "(lat 15.5..17.5, lon 110.5..113); Trường Sa (lat 6..12, lon 111..118)",
    ),
    "communes_duplicate_column.csv": (
        "communes",
        ", field 'Population': column 'Population' appears twice in the header line: columns 5 "
        "(as 'population') and 8; expected each column once",
    ),
    "communes_control_character.csv": (
        "communes",
        ", row 2, field 'commune_name': control character U+0007 in 'Phường Kinh\\x07Bắc'; "
        "expected printable text (no tabs, line breaks or other control characters)",
    ),
}


def _load_real_27(role: str, path: Path) -> GeoData:
    option = "communes_path" if role == "communes" else "post_offices_path"
    return load_geodata("2020", province_codes=["27"], **{option: path})  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(IMPLAUSIBLE_FILES))
def test_implausible_file_gives_one_clear_line(name: str) -> None:
    role, expected = IMPLAUSIBLE_FILES[name]
    path = BAD_INPUT / name

    with pytest.raises(DataError) as error:
        _load_real_27(role, path)

    assert _message(error, BAD_INPUT) == name + expected
    assert "\n" not in str(error.value)
    assert error.value.path == str(path)


def test_every_implausible_file_has_its_scenario() -> None:
    """Each file is also a scenario of tests/data/bad_input, for `planner validate`."""
    for name in IMPLAUSIBLE_FILES:
        scenario = (BAD_INPUT / name).with_suffix(".toml").read_text(encoding="utf-8")
        assert f'= "{name}"' in scenario, name


def _communes_csv(tmp_path: Path, rows: list[str], header: str | None = None) -> Path:
    path = tmp_path / "communes.csv"
    header = header or "commune_code,commune_name,group_code,province_code,population,lat,lon"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_population_at_the_bound_is_kept_and_one_above_is_not(
    data_dir: Path, tmp_path: Path
) -> None:
    at_bound = "09169,Phường Vũ Ninh,256,27,2000000,21.125,106.025"
    geo = load_geodata("2020", data_dir=data_dir, communes_path=_communes_csv(tmp_path, [at_bound]))
    assert geo.communes["population"].tolist() == [2_000_000]

    path = _communes_csv(tmp_path, [at_bound.replace("2000000", "2000001")])
    with pytest.raises(DataError, match=r"row 1, field 'population': 2,000,001 is more people"):
        load_geodata("2020", data_dir=data_dir, communes_path=path)


def test_a_population_derived_from_target_people_is_bounded_too(
    data_dir: Path, tmp_path: Path
) -> None:
    header = "commune_code,commune_name,group_code,province_code,target_people,lat,lon"
    path = _communes_csv(
        tmp_path, ["09169,Phường Vũ Ninh,256,27,1900000,21.125,106.025"], header=header
    )
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, communes_path=path)
    text = _message(error, tmp_path)
    assert text.startswith("communes.csv, row 1, field 'target_people': 1,900,000 target people")
    assert "expected a population of at most 2,000,000" in text


def test_a_huge_population_in_a_geojson_is_refused(data_dir: Path, tmp_path: Path) -> None:
    features = maker.commune_features()
    features[3]["properties"]["population"] = 1e23
    path = tmp_path / "huge.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, communes_path=path)
    assert _message(error, tmp_path).startswith(
        "huge.geojson, row 4, field 'population': 1e+23 is more people than is plausible"
    )


@pytest.mark.parametrize(
    ("name", "character"),
    [("BEL", "\x07"), ("tab", "\t"), ("line break", "\n"), ("DEL", "\x7f"), ("C1 NEL", "\x85")],
)
def test_control_characters_in_names_are_refused(
    name: str, character: str, data_dir: Path, tmp_path: Path
) -> None:
    features = maker.commune_features()
    features[1]["properties"]["commune_name"] = f"Phường Đáp{character}Cầu"
    path = tmp_path / "names.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, communes_path=path)
    text = _message(error, tmp_path)
    assert text.startswith(
        f"names.geojson, row 2, field 'commune_name': control character "
        f"U+{ord(character):04X} in 'Phường Đáp"
    ), name
    assert "\n" not in text and character not in text


def test_a_nul_in_a_csv_name_is_refused(data_dir: Path, tmp_path: Path) -> None:
    """(GDAL cuts a GeoJSON string at a NUL; a CSV keeps it.)"""
    path = _communes_csv(tmp_path, ["09169,Phường Vũ\x00Ninh,256,27,10,21.125,106.025"])
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, communes_path=path)
    assert _message(error, tmp_path) == (
        "communes.csv, row 1, field 'commune_name': control character U+0000 in "
        "'Phường Vũ\\x00Ninh'; expected printable text (no tabs, line breaks or other "
        "control characters)"
    )


def test_a_tab_in_a_quoted_venue_name_is_refused(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    rows = [
        maker.VENUE_ROWS[0],
        'VHX-09196,"Điểm\tBĐ-VH Xã Dũng Liệt",commune,09196,21.125,106.175,30',
    ]
    path.write_text("\n".join([maker.VENUE_HEADER, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, post_offices_path=path)
    assert _message(error, tmp_path).startswith(
        "venues.csv, row 2, field 'venue_name': control character U+0009 in 'Điểm\\tBĐ-VH"
    )


def test_a_column_named_twice_in_the_same_case_is_refused(data_dir: Path, tmp_path: Path) -> None:
    header = "commune_code,commune_name,group_code,province_code,population,lat,lon,lat"
    path = _communes_csv(tmp_path, ["09169,Phường Vũ Ninh,256,27,10,21.125,106.025,21.3"], header)
    with pytest.raises(DataError) as error:
        load_geodata("2020", data_dir=data_dir, communes_path=path)
    assert _message(error, tmp_path) == (
        "communes.csv, field 'lat': column 'lat' appears twice in the header line: columns 6 "
        "and 8; expected each column once"
    )


def test_blank_column_names_at_the_end_are_not_duplicates(data_dir: Path, tmp_path: Path) -> None:
    header = "commune_code,commune_name,group_code,province_code,population,lat,lon,,"
    path = _communes_csv(tmp_path, ["09169,Phường Vũ Ninh,256,27,10,21.125,106.025,,"], header)
    geo = load_geodata("2020", data_dir=data_dir, communes_path=path)
    assert list(geo.communes["commune_code"]) == ["09169"]


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Trường Sa (data/geo 2025)", 9.71, 114.45),
        ("Hoàng Sa (data/geo)", 16.568, 112.135),
        ("Bạch Long Vĩ", 20.13, 107.72),
        ("Thổ Chu", 9.28, 103.47),
        ("Lũng Cú", 23.36, 105.32),
        ("Mũi Cà Mau", 8.6, 104.72),
        ("A Pa Chải", 22.4, 102.15),
    ],
)
def test_places_of_vietnam_are_in_vietnam(place: str, lat: float, lon: float) -> None:
    from planner.geo.load import _check_in_vietnam

    _check_in_vietnam(pd.Series([lat]), pd.Series([lon]), Path("x.csv"), field="lat/lon")


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Gulf of Thailand", 7.2, 101.3),
        ("Bangkok", 13.75, 100.5),
        ("Vientiane", 17.97, 101.9),
        ("sea east of Hainan", 20.0, 112.0),
        ("Luzon", 16.0, 120.5),
        ("Guangzhou", 23.13, 113.26),
    ],
)
def test_places_outside_vietnam_are_refused(place: str, lat: float, lon: float) -> None:
    from planner.geo.load import _check_in_vietnam

    with pytest.raises(DataError, match="is not in Vietnam"):
        _check_in_vietnam(
            pd.Series([lat], index=[4]), pd.Series([lon], index=[4]), Path("x"), field=None
        )


def test_a_commune_far_from_its_district_is_planned_with_one_warning_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_LANG", "en")  # the warning in English, word for word
    path = BAD_INPUT / "communes_far_from_district.csv"

    geo = _load_real_27("communes", path)

    assert len(geo.communes) == 3
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0] == (
        f"planner: warning: {path}, row 3, field 'lat/lon': commune 09163 (Phường Vũ Ninh) "
        "lies 62.9 km outside the approximate boundary of its district 256 (Thành phố Bắc "
        "Ninh) in vn2020.gpkg; expected within 20 km: check its lat/lon and group_code; "
        "planned as given"
    )
    assert lines[0].removeprefix("planner: warning: ") in geo.notes


def test_communes_near_their_district_give_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    _load_real_27("communes", BAD_INPUT / "communes_html_names.csv")
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("structure", ["2020", "2025"])
def test_the_bounds_hold_for_every_shipped_commune(structure: str) -> None:
    """The bounds are derived from data/geo: no shipped commune comes near them."""
    from planner.geo.load import FAR_FROM_GROUP_KM, MAX_COMMUNE_PEOPLE

    geo = load_geodata(structure)

    assert geo.communes["population"].max() * 4 < MAX_COMMUNE_PEOPLE
    groups = geo.groups.set_index("group_code").geometry
    polygons = gpd.GeoSeries(groups.reindex(geo.communes["group_code"]).to_numpy(), crs=4326)
    points = gpd.GeoSeries(gpd.points_from_xy(geo.communes["lon"], geo.communes["lat"]), crs=4326)
    km = (
        to_metric(gpd.GeoDataFrame(geometry=polygons)).distance(
            to_metric(gpd.GeoDataFrame(geometry=points)).geometry, align=False
        )
        / 1000
    )
    assert km.max() < 0.1 < FAR_FROM_GROUP_KM
