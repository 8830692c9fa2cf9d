"""The layers of `data/geo/*.gpkg` and their columns: order, type, meaning, provenance.

This is the single description of the built files: the build writes columns in this order
and with these types, and `data/geo/README.md` (the data dictionary) is rendered from it.
No third-party imports here, so readers of the data may use it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["str", "int", "float", "bool", "geometry"]
Origin = Literal["official", "derived", "estimated", "approximate", "assumed"]

# How a commune's point was obtained (README 'Positions'); "user_file" only in the loader.
POSITION_METHODS: dict[str, str] = {
    "source": "the source database's point",
    "2025_ward": "the point of the 2025 commune made of this commune alone",
    "bbox_centre": "the centre of the commune's own geocoded box in the source",
    "spread_in_2025_commune": (
        "ESTIMATED: inside the approximate area of its 2025 commune and district, away from "
        "the other communes' points"
    ),
    "spread_in_district": (
        "ESTIMATED: inside the approximate area of its district, away from the other "
        "communes' points"
    ),
    "corrected_island": "placed on its island from a cited reference (README 'Islands')",
}
USER_FILE_METHOD = "user_file"
AREA_FLAGS = ("ok", "official_much_larger", "official_much_smaller", "no_official")
# How a commune's population was obtained (README 'Population'): 2020, then 2025 communes.
POPULATION_METHODS: dict[str, str] = {
    "class_share": "a share of its district's census urban (or rural) people",
    "district_share": "a share of its district's census total",
    "whole_district": "its district's census total (the district's only commune)",
    "carried_whole": "the sum of the former communes it holds whole (2025)",
    "carried_divided": "as carried_whole, with a share of a divided former commune (2025)",
}

LEGACY_FILE = "vn2020.gpkg"
CURRENT_FILE = "vn2025.gpkg"
CRS = "EPSG:4326"


@dataclass(frozen=True)
class Column:
    """One column of a layer, as documented in the data dictionary."""

    name: str
    type: ColumnType
    origin: Origin
    meaning: str
    nullable: bool = False


@dataclass(frozen=True)
class Layer:
    """One layer of a GeoPackage: its name, key, geometry type and columns (in file order)."""

    name: str
    key: str
    geometry_type: Literal["MultiPolygon", "Point"]
    meaning: str
    columns: tuple[Column, ...]

    @property
    def attribute_names(self) -> list[str]:
        return [c.name for c in self.columns if c.type != "geometry"]


def _col(
    name: str, type_: ColumnType, origin: Origin, meaning: str, *, nullable: bool = False
) -> Column:
    return Column(name, type_, origin, meaning, nullable)


APPROX = _col(
    "approximate",
    "bool",
    "approximate",
    "Always true: the polygon is an approximation (Voronoi cells of commune centroids clipped "
    "to the Natural Earth outline), not an official boundary. Label it so wherever shown.",
)
POLYGON = _col(
    "geometry",
    "geometry",
    "approximate",
    "MultiPolygon, EPSG:4326, coordinates rounded to 6 decimals. APPROXIMATE: see `approximate`.",
)
COMMUNE_POINT = _col(
    "geometry", "geometry", "derived", "Point (lon, lat), EPSG:4326; see position_method."
)

# --- shared columns -------------------------------------------------------------------------

PROVINCE_CODE = _col("province_code", "str", "official", "GSO province code, 2 digits ('01').")
PROVINCE_NAME = _col(
    "province_name",
    "str",
    "official",
    "Province name in Vietnamese with its type ('Tỉnh Hà Giang').",
)
PROVINCE_NAME_ASCII = _col(
    "province_name_ascii",
    "str",
    "derived",
    "province_name without diacritics (đ -> d), for file names and plain-text matching.",
)
TARGET_PEOPLE = _col(
    "target_people",
    "int",
    "estimated",
    "ESTIMATE of working-age informal workers not yet in social insurance: population x "
    "(20,300,000 - 574,000) / 96,208,891, apportioned to communes by largest remainder so that "
    "the national total is exactly 19,726,000; upper levels are sums of their communes.",
)
N_COMMUNES = _col("n_communes", "int", "derived", "Number of communes in the unit.")
COMMUNE_LAT = _col(
    "lat",
    "float",
    "derived",
    "Latitude of the commune's point: the source database's unless position_method says "
    "otherwise (README 'Positions').",
)
COMMUNE_LON = _col("lon", "float", "derived", "Longitude, as lat.")
POSITION_METHOD = _col(
    "position_method",
    "str",
    "derived",
    "How the point was obtained: 'source' (the database's point), '2025_ward' (the point of "
    "the 2025 commune made of this commune alone), 'bbox_centre' (the centre of its own "
    "geocoded box), 'spread_in_2025_commune' / 'spread_in_district' (ESTIMATED: the "
    "database's point was a placeholder; placed inside the approximate area of its 2025 "
    "commune and district, or of its district, away from the other points), "
    "'corrected_island' (placed on its island from a cited reference). README 'Positions'.",
)
COMMUNE_CODE = _col("commune_code", "str", "official", "GSO commune code, 5 digits ('00001').")
COMMUNE_NAME = _col(
    "commune_name", "str", "official", "Commune name in Vietnamese with its type ('Xã Lũng Cú')."
)
URBAN = _col("urban", "bool", "derived", "True for Phường and Thị trấn (urban communes).")
TERRAIN_COMMUNE = _col(
    "terrain",
    "str",
    "derived",
    "'urban' if urban, else the terrain of its province ('mountain' or 'plain'); see README.",
)
ISLAND = _col(
    "island",
    "bool",
    "assumed",
    "True if the unit lies on a sea island (curated list, see README 'Islands').",
)
BOAT_ONLY = _col(
    "boat_only",
    "bool",
    "assumed",
    "True if the unit can only be reached by boat from the mainland road network "
    "(curated list, see README 'Islands').",
)

# --- 63-province structure (vn2020.gpkg) ----------------------------------------------------

LEGACY_PROVINCES = Layer(
    "provinces",
    "province_code",
    "MultiPolygon",
    "The 63 provinces of the structure in force until 30 June 2025.",
    (
        PROVINCE_CODE,
        PROVINCE_NAME,
        PROVINCE_NAME_ASCII,
        _col(
            "population",
            "int",
            "official",
            "2019 census population of the province (sum of the census district rows).",
        ),
        TARGET_PEOPLE,
        _col("n_groups", "int", "derived", "Number of districts (the planner's groups)."),
        N_COMMUNES,
        _col(
            "terrain",
            "str",
            "derived",
            "'mountain' for the GSO regions Northern midlands and mountain areas and Central "
            "Highlands, else 'plain' (list in README).",
        ),
        APPROX,
        POLYGON,
    ),
)

LEGACY_DISTRICTS = Layer(
    "districts",
    "district_code",
    "MultiPolygon",
    "The 696 districts (the planner's groups: one main post office each).",
    (
        _col("group_code", "str", "derived", "Same as district_code: the planner's group key."),
        _col("district_code", "str", "official", "GSO district code, 3 digits ('001')."),
        _col("district_name", "str", "official", "District name with its type ('Quận Ba Đình')."),
        _col(
            "district_type",
            "str",
            "official",
            "'Quận' (urban district), 'Huyện' (rural district), 'Thành phố' (provincial city), "
            "'Thị xã' (town).",
        ),
        PROVINCE_CODE,
        _col(
            "population",
            "int",
            "estimated",
            "2019 census population matched to this district; how: population_method. "
            "Province sums equal the census province totals exactly.",
        ),
        _col(
            "population_method",
            "str",
            "derived",
            "'direct' (sum of whole census rows), 'split_published' (a census row covering "
            "several districts, shared by the districts' published figures), 'split' (share "
            "of a census row covering several districts, by the communes' weights), "
            "'estimated' (share of the province's unassigned remainder).",
        ),
        TARGET_PEOPLE,
        N_COMMUNES,
        ISLAND,
        BOAT_ONLY,
        _col(
            "lat",
            "float",
            "official",
            "Latitude of the district's point in the source database (Hoàng Sa: the point of "
            "the 2025 special zone, the database's being on the mainland; see README).",
        ),
        _col("lon", "float", "official", "Longitude, as lat."),
        APPROX,
        POLYGON,
    ),
)

_LEGACY_COMMUNE_COLUMNS = (
    COMMUNE_CODE,
    COMMUNE_NAME,
    _col("commune_type", "str", "official", "'Phường', 'Thị trấn' or 'Xã'."),
    _col("group_code", "str", "derived", "Same as district_code: the planner's group key."),
    _col("district_code", "str", "official", "GSO code of the commune's district."),
    _col("district_name", "str", "official", "Name of the commune's district."),
    PROVINCE_CODE,
    _col("province_name", "str", "official", "Name of the commune's province."),
    COMMUNE_LAT,
    COMMUNE_LON,
    POSITION_METHOD,
    _col(
        "population",
        "int",
        "estimated",
        "ESTIMATE: the district's census population shared among its communes in proportion "
        "to weights fitted on the census (area_km2 ** beta of its class, times an island "
        "factor for outer islands): urban people among its Phường and Thị trấn and rural "
        "people among its Xã where the 2019 split fits today's communes, else the total among "
        "all (README 'Population'; largest remainder, district sums exact).",
    ),
    _col(
        "population_method",
        "str",
        "derived",
        "How population was obtained: 'class_share' (share of the district's census urban or "
        "rural people), 'district_share' (share of its census total: the 2019 urban/rural "
        "split does not fit today's communes), 'whole_district' (the district's only "
        "commune). README 'Population'.",
    ),
    TARGET_PEOPLE,
    _col(
        "area_km2",
        "float",
        "approximate",
        "Area of the APPROXIMATE polygon in km2 (geodesic, WGS84), 3 decimals.",
    ),
    URBAN,
    TERRAIN_COMMUNE,
    ISLAND,
    BOAT_ONLY,
    APPROX,
)

LEGACY_COMMUNES = Layer(
    "communes",
    "commune_code",
    "MultiPolygon",
    "The 10,035 communes with approximate polygons.",
    (*_LEGACY_COMMUNE_COLUMNS, POLYGON),
)
LEGACY_CENTROIDS = Layer(
    "commune_centroids",
    "commune_code",
    "Point",
    "The same communes as points (lon, lat).",
    (*_LEGACY_COMMUNE_COLUMNS, COMMUNE_POINT),
)

_PO_COMMON_HEAD = (
    _col("venue_id", "str", "derived", "Unique venue id (see README 'Post offices')."),
    _col("venue_name", "str", "derived", "Descriptive name built from the unit's name."),
    _col(
        "kind",
        "str",
        "derived",
        "'group' for the main post office of a group, 'commune' for a commune cultural post "
        "office (Điểm Bưu điện - Văn hóa xã).",
    ),
    _col(
        "commune_code",
        "str",
        "derived",
        "The commune the venue stands in (null for island districts without communes).",
        nullable=True,
    ),
)
_PO_COMMON_TAIL = (
    _col(
        "lat",
        "float",
        "estimated",
        "ESTIMATED latitude: the point of the commune it stands in (the commune's "
        "position_method says how that point was obtained).",
    ),
    _col("lon", "float", "estimated", "ESTIMATED longitude, as lat."),
    _col(
        "hall_area_m2",
        "float",
        "assumed",
        "ASSUMED meeting-room floor area: 80 m2 at a group's main post office, 30 m2 at a "
        "commune cultural post office.",
    ),
    _col("position_estimated", "bool", "estimated", "Always true: positions are estimated."),
    _col("geometry", "geometry", "estimated", "Point (lon, lat), EPSG:4326, ESTIMATED position."),
)

LEGACY_POST_OFFICES = Layer(
    "post_offices",
    "venue_id",
    "Point",
    "Conference venues and team bases: one main post office per district, one cultural post "
    "office per commune. Positions ESTIMATED.",
    (
        *_PO_COMMON_HEAD,
        _col("group_code", "str", "derived", "The district (group) the venue belongs to."),
        PROVINCE_CODE,
        *_PO_COMMON_TAIL,
    ),
)

LEGACY_LAYERS = (
    LEGACY_PROVINCES,
    LEGACY_DISTRICTS,
    LEGACY_COMMUNES,
    LEGACY_CENTROIDS,
    LEGACY_POST_OFFICES,
)

# --- current structure (vn2025.gpkg) --------------------------------------------------------

CURRENT_PROVINCES = Layer(
    "provinces",
    "province_code",
    "MultiPolygon",
    "The 34 provinces in force from 1 July 2025.",
    (
        PROVINCE_CODE,
        PROVINCE_NAME,
        PROVINCE_NAME_ASCII,
        _col(
            "population",
            "int",
            "derived",
            "Sum of its communes' carried-over 2019 census population: the sum of its former "
            "provinces' census totals when no former province was split (README 'Counts').",
        ),
        TARGET_PEOPLE,
        _col("n_groups", "int", "derived", "Number of clusters (the planner's groups)."),
        N_COMMUNES,
        _col(
            "terrain",
            "str",
            "derived",
            "'mountain' if most of its population lives in communes of former mountain "
            "provinces, else 'plain'.",
        ),
        APPROX,
        POLYGON,
    ),
)

CURRENT_CLUSTERS = Layer(
    "clusters",
    "cluster_code",
    "MultiPolygon",
    "Clusters of new communes served by one main post office: each new commune belongs to the "
    "former district in which most of its former communes lay (no district level exists "
    "since 1 July 2025; see README).",
    (
        _col("group_code", "str", "derived", "Same as cluster_code: the planner's group key."),
        _col(
            "cluster_code",
            "str",
            "derived",
            "GSO code of the former district the cluster is named after ('001').",
        ),
        _col("cluster_name", "str", "derived", "'Cụm ' + the former district's name."),
        PROVINCE_CODE,
        _col("population", "int", "estimated", "Sum of its communes' population."),
        TARGET_PEOPLE,
        N_COMMUNES,
        ISLAND,
        BOAT_ONLY,
        APPROX,
        POLYGON,
    ),
)

_CURRENT_COMMUNE_COLUMNS = (
    COMMUNE_CODE,
    COMMUNE_NAME,
    _col("commune_type", "str", "official", "'Phường', 'Xã' or 'Đặc khu' (special zone)."),
    _col("group_code", "str", "derived", "Same as cluster_code: the planner's group key."),
    _col("cluster_code", "str", "derived", "The cluster the commune belongs to."),
    PROVINCE_CODE,
    _col("province_name", "str", "official", "Name of the commune's province."),
    COMMUNE_LAT,
    COMMUNE_LON,
    POSITION_METHOD,
    _col(
        "area_km2",
        "float",
        "official",
        "Official area in km2 from the source database (wardAreaKm2); where it is missing "
        "(area_estimated true) the area of the approximate polygon.",
    ),
    _col(
        "area_estimated",
        "bool",
        "derived",
        "True where area_km2 is the approximate polygon's area, not the official one.",
    ),
    _col(
        "area_flag",
        "str",
        "derived",
        "The official area against the approximate polygon's: 'ok'; 'official_much_larger' "
        "(5 or more times the polygon's: suspect the official figure); "
        "'official_much_smaller' (a fifth or less: usually the polygon is too large, a small "
        "ward's Voronoi cell reaching into rural land); 'no_official' (area_estimated). "
        "README 'Oddities'.",
    ),
    _col(
        "population",
        "int",
        "estimated",
        "ESTIMATE: the 2020-structure commune populations carried over through the official "
        "2025 conversion table; a former commune split among several new ones is shared in "
        "proportion to the new communes' areas. Sums to the 2019 census district rows' total "
        "(README 'Counts').",
    ),
    _col(
        "population_method",
        "str",
        "derived",
        "'carried_whole' (every former commune it holds came whole) or 'carried_divided' (it "
        "holds a share of a divided former commune). The former communes' own figures are "
        "estimates: see the 2020 communes' population_method.",
    ),
    TARGET_PEOPLE,
    _col("urban", "bool", "derived", "True for Phường."),
    _col(
        "terrain",
        "str",
        "derived",
        "'urban' for Phường, else the terrain of the former province most of its population "
        "came from ('mountain' or 'plain').",
    ),
    _col(
        "island",
        "bool",
        "derived",
        "True for every Đặc khu and for communes made only of former island communes.",
    ),
    _col(
        "boat_only",
        "bool",
        "derived",
        "True if all its former communes were boat-only (see README 'Islands').",
    ),
    APPROX,
)

CURRENT_COMMUNES = Layer(
    "communes",
    "commune_code",
    "MultiPolygon",
    "The 3,321 communes (Phường, Xã, Đặc khu) with approximate polygons.",
    (*_CURRENT_COMMUNE_COLUMNS, POLYGON),
)
CURRENT_CENTROIDS = Layer(
    "commune_centroids",
    "commune_code",
    "Point",
    "The same communes as points (lon, lat).",
    (*_CURRENT_COMMUNE_COLUMNS, COMMUNE_POINT),
)
CURRENT_POST_OFFICES = Layer(
    "post_offices",
    "venue_id",
    "Point",
    "Conference venues and team bases: one main post office per cluster, one cultural post "
    "office per commune. Positions ESTIMATED.",
    (
        *_PO_COMMON_HEAD,
        _col("group_code", "str", "derived", "The cluster (group) the venue belongs to."),
        PROVINCE_CODE,
        *_PO_COMMON_TAIL,
    ),
)

CURRENT_LAYERS = (
    CURRENT_PROVINCES,
    CURRENT_CLUSTERS,
    CURRENT_COMMUNES,
    CURRENT_CENTROIDS,
    CURRENT_POST_OFFICES,
)

LAYERS_BY_FILE: dict[str, tuple[Layer, ...]] = {
    LEGACY_FILE: LEGACY_LAYERS,
    CURRENT_FILE: CURRENT_LAYERS,
}
