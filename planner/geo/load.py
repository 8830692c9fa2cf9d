"""Load and validate the geographic data: provinces, groups, communes and venues.

`load_geodata` reads the GeoPackage built by `planner data build` (`data/geo/vn2020.gpkg`,
`data/geo/vn2025.gpkg`), optionally with the communes and/or the post offices replaced by
the user's own files, runs every check in `planner.geo._validate` on every table it reads,
and returns a `GeoData` in EPSG:4326. A user's mistake is always a `DataError` naming the
file, the row and the field: no GDAL, pandas or shapely exception escapes for bad input.

Rows are numbered as the user sees them: the 1-based data row of a CSV file (the header is
not counted), the 1-based feature number of a GeoJSON or Shapefile, and the feature id
(`fid`, also 1-based) of a GeoPackage layer.

Metric work (distances, buffers, areas) uses `METRIC_CRS` = EPSG:32648, WGS 84 / UTM zone
48N: it has the same datum as the data (EPSG:4326), so no datum shift is involved, unlike
VN-2000 / UTM 48N (EPSG:3405), whose transformation to WGS 84 is only as good as its
published Helmert parameters. One zone serves the whole country: the scale error is under
0.4 % on the mainland (lon 102-110) and about 2 % at the far end of Trường Sa (lon 117),
enough for tolerances of hundreds of metres; travel times do not use it.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
from pyproj.exceptions import CRSError as PyprojCRSError

from planner.errors import DataError
from planner.estimates import population_is_estimated, position_is_estimated
from planner.geo import _validate as check
from planner.geo._schema import (
    AREA_FLAGS,
    POPULATION_METHODS,
    POSITION_METHODS,
    USER_FILE_METHOD,
)
from planner.geo._validate import Column
from planner.messages import MESSAGES, current_lang, msg
from planner.messages import text as say

__all__ = [
    "DEFAULT_DATA_DIR",
    "FAR_FROM_GROUP_KM",
    "MAX_COMMUNE_PEOPLE",
    "MAX_UNIT_PEOPLE",
    "METRIC_CRS",
    "VENUE_DETAILS",
    "VENUE_TOLERANCE_M",
    "VIETNAM_AREAS",
    "WGS84",
    "GeoData",
    "TeamBase",
    "load_geodata",
    "to_metric",
]

WGS84 = "EPSG:4326"
METRIC_CRS = "EPSG:32648"
VENUE_TOLERANCE_M = 500.0
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"

# -- plausibility bounds, derived from the shipped data/geo ------------------------------------

# People in one commune. The most populous commune in data/geo has 78,418 people in the 2020
# structure (Phường Bình Hưng Hòa, Hồ Chí Minh City) and 253,300 in the 2025 structure
# (Phường Trấn Biên, Đồng Nai). 2,000,000 is about eight times the larger: any real commune,
# or one merged from several, passes; a slip of digits or units (ten billion, a number past
# the int64 range the counts are stored in) does not.
MAX_COMMUNE_PEOPLE = 2_000_000
# People in one district, cluster or province: at most the whole country (96.2 million at
# the 2019 census; the most populous province in data/geo has 12,567,956, in 2025).
MAX_UNIT_PEOPLE = 100_000_000
# Any other count (n_groups, n_communes): the country has 10,035 communes (2020).
_MAX_OTHER_COUNT = 1_000_000
# Where a place of Vietnam can lie, (name, lat min, lat max, lon min, lon max) in EPSG:4326.
# The mainland and its near islands reach lat 8.38 (Hòn Khoai) to 23.39 (Lũng Cú) and lon
# 102.14 (A Pa Chải) to 109.46 (Mũi Đôi); data/geo's points span lat 8.60-23.37 and lon
# 102.22-109.41 there. The archipelagos lie apart: Hoàng Sa about lat 15.7-17.1, lon
# 111.2-112.9 (data/geo: 16.568, 112.135), Trường Sa about lat 6.5-11.5, lon 111.4-117.8
# (data/geo: its islands Trường Sa Lớn 8.645, 111.92; Sinh Tồn 9.885, 114.33; Song Tử Tây
# 11.43, 114.33). Each box has a margin of 10 to 60 km. A point outside all three
# (the Gulf of Thailand, Laos, the sea off Hainan) is a wrong coordinate, not a place to plan.
VIETNAM_AREAS: tuple[tuple[str, float, float, float, float], ...] = (
    ("the mainland and its near islands", 8.0, 23.5, 102.0, 110.0),
    ("Hoàng Sa", 15.5, 17.5, 110.5, 113.0),
    ("Trường Sa", 6.0, 12.0, 111.0, 118.0),
)
# How far (km) a user's commune may lie outside the approximate polygon of its district or
# cluster in data/geo before a warning. Every shipped commune's point lies within 0.05 km of
# its group's polygon in both structures (the polygons are built around those points). The
# polygons are approximate (Voronoi cells), so a user's true position may fall outside its
# group's polygon by up to about a commune's radius: the largest shipped commune (1,118 km2,
# 2025) is a disc of radius 18.9 km. Hence 20 km: past that, the position or the group_code
# is almost surely wrong (a slip of the first decimal of a coordinate moves a point 11 km per
# unit).
FAR_FROM_GROUP_KM = 20.0
# Control characters (C0, DEL and C1): never part of a name; they break the one-line messages,
# the route sheets and the Excel workbook (openpyxl refuses most of them).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class TeamBase:
    """A team's base named in the user's lists (sheet 'Đội' of `planner data template`)."""

    team_id: str
    venue_id: str
    path: str  # the lists file
    sheet: str | None  # its sheet (None for a CSV)
    row: int
    field: str  # the column's header as written


@dataclass(frozen=True)
class GeoData:
    """The validated geography of one administrative structure, in EPSG:4326.

    Every frame has a fresh 0..n-1 index and is sorted by its codes (provinces by
    province_code; groups by province_code, group_code; communes by province_code,
    group_code, commune_code; post offices by province_code, venue_id). `notes` says what
    was derived rather than read (e.g. terrain filled in from the province, communes given as
    points so that their polygons are unknown); a caller shows them to the user.
    """

    structure: str
    provinces: gpd.GeoDataFrame
    groups: gpd.GeoDataFrame
    communes: gpd.GeoDataFrame
    post_offices: gpd.GeoDataFrame
    group_label: str
    sources: tuple[str, ...]
    notes: tuple[str, ...] = ()
    team_bases: tuple[TeamBase, ...] = ()  # from the user's lists: team id -> base venue


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of `frame` in `METRIC_CRS` (metres), for distances, buffers and areas."""
    if frame.crs is None:
        raise ValueError("the frame has no CRS; cannot project it to metres")
    return frame.to_crs(METRIC_CRS)


# -- the schema of data/geo --------------------------------------------------------------------

_COMMUNE_TYPES = frozenset({"Phường", "Thị trấn", "Xã", "Đặc khu"})
_PROVINCE_CODE = Column("code", width=2)
_COMMUNE_CODE = Column("code", width=5)
_NAME = Column("name")
_TEXT = Column("text")
_COUNT = Column("count")
_NUMBER = Column("number")
_DEGREES = Column("degrees")
_BOOL = Column("bool")
_CODE = Column("code")

_PROVINCES: dict[str, Column] = {
    "province_code": _PROVINCE_CODE,
    "province_name": _NAME,
    "province_name_ascii": _NAME,
    "population": _COUNT,
    "target_people": _COUNT,
    "n_groups": _COUNT,
    "n_communes": _COUNT,
    "terrain": Column("text", allowed=frozenset({"mountain", "plain"})),
    "approximate": _BOOL,
}
_DISTRICTS: dict[str, Column] = {
    "group_code": _CODE,
    "district_code": Column("code", width=3),
    "district_name": _NAME,
    "district_type": _TEXT,
    "province_code": _PROVINCE_CODE,
    "population": _COUNT,
    "population_method": _TEXT,
    "target_people": _COUNT,
    "n_communes": _COUNT,
    "island": _BOOL,
    "boat_only": _BOOL,
    "lat": _DEGREES,
    "lon": _DEGREES,
    "approximate": _BOOL,
}
_CLUSTERS: dict[str, Column] = {
    "group_code": _CODE,
    "cluster_code": _CODE,
    "cluster_name": _NAME,
    "province_code": _PROVINCE_CODE,
    "population": _COUNT,
    "target_people": _COUNT,
    "n_communes": _COUNT,
    "island": _BOOL,
    "boat_only": _BOOL,
    "approximate": _BOOL,
}
_COMMUNES: dict[str, Column] = {
    "commune_code": _COMMUNE_CODE,
    "commune_name": _NAME,
    "commune_type": Column("text", allowed=_COMMUNE_TYPES),
    "group_code": _CODE,
    "province_code": _PROVINCE_CODE,
    "province_name": _NAME,
    "lat": _DEGREES,
    "lon": _DEGREES,
    # how the point was obtained (README 'Positions'); "user_file" for the user's communes
    "position_method": Column("text", allowed=frozenset({*POSITION_METHODS, USER_FILE_METHOD})),
    "population": _COUNT,
    # how the population was obtained (README 'Population'); "user_file" for the user's
    "population_method": Column("text", allowed=frozenset({*POPULATION_METHODS, USER_FILE_METHOD})),
    "target_people": _COUNT,
    "area_km2": _NUMBER,
    "urban": _BOOL,
    "terrain": Column("text", allowed=frozenset({"urban", "plain", "mountain"})),
    "island": _BOOL,
    "boat_only": _BOOL,
    "approximate": _BOOL,
}
_POST_OFFICES: dict[str, Column] = {
    "venue_id": _CODE,
    "venue_name": _NAME,
    "kind": Column("text", allowed=frozenset({"group", "commune"})),
    # blank for the post office of an island district that has no communes
    "commune_code": Column("code", width=5, nullable=True),
    "group_code": _CODE,
    "province_code": _PROVINCE_CODE,
    "lat": _DEGREES,
    "lon": _DEGREES,
    "hall_area_m2": _NUMBER,
    "position_estimated": _BOOL,
}

_USER_COMMUNES_REQUIRED = ("commune_code", "commune_name", "group_code", "province_code")
# a user's venue may leave group_code and province_code blank: they come from its commune
_USER_POST_OFFICES = {
    **_POST_OFFICES,
    "group_code": Column("code", nullable=True),
    "province_code": Column("code", width=2, nullable=True),
    # optional: whether the hall's size is assumed; what is known of the place
    "hall_estimated": _BOOL,
    "address": _TEXT,
    "contact_name": _TEXT,
    "contact_phone": _TEXT,
    "opening_hours": _TEXT,
}
# what a venue carries beyond the built layer's columns (blank or False when not given)
VENUE_DETAILS = ("address", "contact_name", "contact_phone", "opening_hours")
_USER_VENUES_REQUIRED = ("venue_id", "venue_name", "kind", "commune_code", "hall_area_m2")
_POLYGONS = ("Polygon", "MultiPolygon")
_CODE_WIDTHS = {"province_code": 2, "district_code": 3, "commune_code": 5}
_Frame = TypeVar("_Frame", bound=pd.DataFrame)


@dataclass(frozen=True)
class _Structure:
    """What differs between the 63-province (2020) and the 34-province (2025) structures."""

    name: str
    group_layer: str
    group_label: str
    group_schema: Mapping[str, Column]
    commune_schema: Mapping[str, Column]
    # commune columns copied from the commune's group: commune column -> group column
    from_group: Mapping[str, str]


_STRUCTURES = {
    "2020": _Structure(
        name="2020",
        group_layer="districts",
        group_label="district",
        group_schema=_DISTRICTS,
        commune_schema={
            **_COMMUNES,
            "district_code": Column("code", width=3),
            "district_name": _NAME,
        },
        from_group={"district_code": "district_code", "district_name": "district_name"},
    ),
    "2025": _Structure(
        name="2025",
        group_layer="clusters",
        group_label="cluster",
        group_schema=_CLUSTERS,
        commune_schema={
            **_COMMUNES,
            "cluster_code": _CODE,
            "area_estimated": _BOOL,
            # the official area against the approximate polygon's (README 'Oddities')
            "area_flag": Column("text", allowed=frozenset({*AREA_FLAGS, USER_FILE_METHOD})),
        },
        from_group={"cluster_code": "cluster_code"},
    ),
}


@dataclass(frozen=True)
class _Selection:
    """The provinces to load: all of them (codes None) or the given codes."""

    codes: tuple[str, ...] | None

    @property
    def where(self) -> str | None:
        """An SQL filter on province_code; the codes were checked to exist, quotes doubled."""
        if self.codes is None:
            return None
        quoted = ", ".join("'" + code.replace("'", "''") + "'" for code in self.codes)
        return f"province_code IN ({quoted})"

    @property
    def scope(self) -> str:
        """Words for messages: "" or " of province 27" or " of provinces 01, 27"."""
        if self.codes is None:
            return ""
        key = "geo.scope_many" if len(self.codes) > 1 else "geo.scope_one"
        return msg(key, codes=", ".join(self.codes))

    def keep(self, frame: _Frame) -> _Frame:
        """The rows of `frame` in the selected provinces."""
        if self.codes is None:
            return frame
        return frame[frame["province_code"].isin(self.codes)]


# -- the front door ----------------------------------------------------------------------------


def load_geodata(
    structure: str,
    *,
    data_dir: Path | None = None,
    province_codes: Sequence[str] | None = None,
    communes_path: Path | None = None,
    post_offices_path: Path | None = None,
    lists_path: Path | None = None,
) -> GeoData:
    """Load and validate the geography of `structure` ("2020" or "2025").

    data_dir: the folder holding vn2020.gpkg / vn2025.gpkg (default: the repository's
        data/geo).
    province_codes: load only these provinces (codes as text, "01"); None loads all.
    communes_path: the user's own communes instead of the built ones: a GeoPackage (its
        layer `communes`, else its first layer), a GeoJSON, a Shapefile, or a CSV with lat
        and lon columns in EPSG:4326 (then communes are points: their polygons are unknown).
        Required columns: commune_code, commune_name, group_code, province_code, and
        population or target_people; the other attributes are derived (see `notes`).
    post_offices_path: the user's own venues instead of the built ones, in the same
        formats. Required columns: venue_id, venue_name, kind, commune_code, hall_area_m2
        (and lat, lon for a CSV); group_code and province_code come from the commune.
        Optional: hall_estimated, address, contact_name, contact_phone, opening_hours.
    lists_path: a planner's own lists, as `planner data template` writes them and the
        planner corrects them (an .xlsx workbook, or a folder of its CSV files), applied on
        top of the rest: target people and points of communes, the venues of each province
        listed (with seats, address, contact and opening hours) and team bases
        (`planner.geo.lists`).

    Each commune gets `position_estimated` (its point was placed by rule: README
    'Positions') and `population_estimated` (its population is not the user's); each venue
    `hall_estimated` (the hall's size is assumed: always in data/geo) and the details of
    `VENUE_DETAILS` (blank unless a user's file or list gives them).

    Raises DataError for anything wrong with a file.
    """
    if structure not in _STRUCTURES:
        raise DataError(
            DEFAULT_DATA_DIR if data_dir is None else data_dir,
            msg("geo.unknown_structure", structure=structure),
        )
    spec = _STRUCTURES[structure]
    gpkg = (DEFAULT_DATA_DIR if data_dir is None else Path(data_dir)) / f"vn{structure}.gpkg"
    if not gpkg.is_file():
        raise DataError(gpkg, "file not found; run `planner data build` to create it")
    _check_layers(gpkg, ("provinces", spec.group_layer, "communes", "post_offices"))

    selection = _select_provinces(gpkg, province_codes)
    provinces = _load_provinces(gpkg, selection)
    groups = _load_groups(gpkg, spec, selection, provinces)
    # every group and commune of the file, for the user's files, which may name any of them
    all_groups: pd.DataFrame = groups
    if selection.codes is not None and (communes_path or post_offices_path):
        all_groups = _read_codes(gpkg, spec.group_layer, ("group_code", "province_code"))

    notes: list[str] = []
    sources = [str(gpkg)]
    if communes_path is None:
        communes = _load_built_communes(gpkg, spec, selection, provinces, groups)
        communes_source = f"layer 'communes' of {gpkg}"
        all_communes: pd.DataFrame = communes
        if selection.codes is not None and post_offices_path is not None:
            all_communes = _read_codes(
                gpkg, "communes", ("commune_code", "group_code", "province_code")
            )
    else:
        communes_file = Path(communes_path)
        sources.append(str(communes_file))
        communes_source = str(communes_file)
        all_communes = _read_user_communes(communes_file, spec, gpkg, all_groups, notes)
        communes = _complete_user_communes(
            selection.keep(all_communes),
            communes_file,
            spec,
            gpkg=gpkg,
            selection=selection,
            provinces=provinces,
            groups=groups,
            notes=notes,
        )

    if post_offices_path is None:
        venues = _read_layer(gpkg, layer="post_offices", where=selection.where)
        post_offices = _validate_venues(
            venues,
            gpkg,
            communes=communes,
            communes_source=communes_source,
            all_communes=all_communes,
            all_groups=groups,
            groups_source=f"layer '{spec.group_layer}' of {gpkg}",
            group_label=spec.group_label,
            user_file=False,
            adopt_communes=communes_path is not None,
            notes=notes,
            scope=selection.scope,
        )
        post_offices = selection.keep(post_offices)
    else:
        venues_file = Path(post_offices_path)
        sources.append(str(venues_file))
        venues = _read_user_file(venues_file, preferred_layer="post_offices", notes=notes)
        post_offices = _validate_venues(
            venues,
            venues_file,
            communes=communes,
            communes_source=communes_source,
            all_communes=all_communes,
            all_groups=all_groups,
            groups_source=f"layer '{spec.group_layer}' of {gpkg}",
            group_label=spec.group_label,
            user_file=True,
        )
        post_offices = selection.keep(post_offices)
    if not communes.geometry.geom_type.isin(_POLYGONS).all():
        notes.append(
            f"{communes_source}: communes are points, their polygons are unknown; venues were "
            "not checked against commune boundaries"
        )
    communes = _with_estimate_flags(communes)
    post_offices = _with_venue_details(post_offices, built=post_offices_path is None)
    team_bases: tuple[TeamBase, ...] = ()
    if lists_path is not None:
        from planner.geo.lists import apply_lists  # it reads this module's checks

        lists_file = Path(lists_path)
        sources.append(str(lists_file))
        communes, post_offices, team_bases = apply_lists(
            lists_file,
            structure=structure,
            provinces=provinces,
            groups=groups,
            communes=communes,
            post_offices=post_offices,
            group_label=spec.group_label,
            notes=notes,
        )

    return GeoData(
        structure=structure,
        provinces=_finish(provinces, _PROVINCES, ["province_code"]),
        groups=_finish(groups, spec.group_schema, ["province_code", "group_code"]),
        communes=_finish(
            communes, spec.commune_schema, ["province_code", "group_code", "commune_code"]
        ),
        post_offices=_finish(post_offices, _POST_OFFICES, ["province_code", "venue_id"]),
        group_label=spec.group_label,
        sources=tuple(sources),
        notes=tuple(notes),
        team_bases=team_bases,
    )


def _with_estimate_flags(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each commune's point and population: estimated, or known (`planner.estimates`)."""
    communes = communes.copy()
    if "target_from_user" not in communes.columns:  # set by `_complete_user_communes`
        communes["target_from_user"] = False
    communes["position_estimated"] = communes["position_method"].map(position_is_estimated)
    communes["population_estimated"] = communes["population_method"].map(population_is_estimated)
    return communes


def _with_venue_details(post_offices: gpd.GeoDataFrame, *, built: bool) -> gpd.GeoDataFrame:
    """Each venue's hall flag and details: data/geo assumes every hall's size and knows no
    address or contact; a user's file says what it gives."""
    post_offices = post_offices.copy()
    if "hall_estimated" not in post_offices.columns:
        post_offices["hall_estimated"] = built
    for name in VENUE_DETAILS:
        if name not in post_offices.columns:
            post_offices[name] = ""
        post_offices[name] = post_offices[name].map(lambda v: "" if check.is_missing(v) else v)
    return post_offices


# -- the built GeoPackage ----------------------------------------------------------------------


def _check_layers(gpkg: Path, required: Iterable[str]) -> None:
    """The built GeoPackage has every layer the structure needs."""
    present = _layer_names(gpkg)
    missing = [name for name in required if name not in present]
    if missing:
        raise DataError(
            gpkg,
            msg(
                "geo.no_layer",
                layers=", ".join(missing),
                found=", ".join(present) or msg("word.none"),
            ),
        )


def _select_provinces(gpkg: Path, province_codes: Sequence[str] | None) -> _Selection:
    """The requested province codes, zero-padded, each checked to exist in the file."""
    if province_codes is None:
        return _Selection(None)
    if isinstance(province_codes, str):
        province_codes = [province_codes]
    requested = [str(code).strip() for code in province_codes]
    requested = [code.zfill(2) if code.isdigit() else code for code in requested]
    if not requested:
        raise DataError(gpkg, msg("geo.no_provinces_given"))
    table = _read_table(gpkg, layer="provinces", columns=("province_code",))
    known = check.coerce_codes(table, "province_code", gpkg, width=2)
    for code in requested:
        if code not in set(known):
            raise DataError(
                gpkg,
                msg("geo.province_not_in_layer", code=code, known=", ".join(sorted(known))),
                field="province_code",
            )
    return _Selection(tuple(sorted(set(requested))))


def _load_provinces(gpkg: Path, selection: _Selection) -> gpd.GeoDataFrame:
    """The provinces layer, validated."""
    frame = _read_layer(gpkg, layer="provinces", where=selection.where)
    frame = _validate_geo_table(
        frame,
        gpkg,
        what=msg("geo.what.provinces", scope=""),
        schema=_PROVINCES,
        required=_PROVINCES,
        geometry_types=_POLYGONS,
    )
    check.check_unique(frame, "province_code", gpkg)
    return frame


def _load_groups(
    gpkg: Path, spec: _Structure, selection: _Selection, provinces: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The districts (2020) or clusters (2025) layer, validated against the provinces.

    Group geometries may be points: an island district with no communes has no polygon.
    """
    frame = _read_layer(gpkg, layer=spec.group_layer, where=selection.where)
    frame = _validate_geo_table(
        frame,
        gpkg,
        what=msg(f"geo.what.{spec.group_layer}", scope=selection.scope),
        schema=spec.group_schema,
        required=spec.group_schema,
        geometry_types=(*_POLYGONS, "Point", "MultiPoint"),
    )
    check.check_unique(frame, "group_code", gpkg)
    check.check_codes_known(
        frame,
        "province_code",
        provinces["province_code"],
        gpkg,
        known_as=msg("geo.known.layer_of", layer="provinces", path=gpkg),
    )
    return frame


def _load_built_communes(
    gpkg: Path,
    spec: _Structure,
    selection: _Selection,
    provinces: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """The communes layer of the built GeoPackage, validated."""
    frame = _read_layer(gpkg, layer="communes", where=selection.where)
    frame = _validate_geo_table(
        frame,
        gpkg,
        what=msg("geo.what.communes", scope=selection.scope),
        schema=spec.commune_schema,
        required=spec.commune_schema,
        geometry_types=_POLYGONS,
        max_people=(MAX_COMMUNE_PEOPLE, msg("geo.unit.one_commune")),
    )
    _check_commune_references(frame, gpkg, spec, gpkg, provinces, groups)
    return frame


def _check_commune_references(
    frame: pd.DataFrame,
    path: Path,
    spec: _Structure,
    gpkg: Path,
    provinces: pd.DataFrame,
    groups: pd.DataFrame,
) -> None:
    """Codes unique; province and group exist; the group belongs to the commune's province."""
    check.check_unique(frame, "commune_code", path)
    check.check_codes_known(
        frame,
        "province_code",
        provinces["province_code"],
        path,
        known_as=msg("geo.known.layer_of", layer="provinces", path=gpkg),
    )
    check.check_codes_known(
        frame,
        "group_code",
        groups["group_code"],
        path,
        known_as=msg("geo.known.layer_of", layer=spec.group_layer, path=gpkg),
    )
    group_province = groups.set_index("group_code")["province_code"]
    expected = pd.Series(
        group_province.reindex(frame["group_code"]).to_numpy(), index=frame.index, dtype=object
    )
    check.check_codes_agree(
        frame,
        "province_code",
        expected,
        path,
        because=msg(
            "geo.because.group_province_in", group=_group_word(spec.group_label), path=gpkg
        ),
    )


# -- the user's communes -----------------------------------------------------------------------


def _read_user_communes(
    path: Path,
    spec: _Structure,
    gpkg: Path,
    all_groups: pd.DataFrame,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """The user's communes file, whole, validated against every province and group of `gpkg`.

    Point geometries are accepted (a CSV always gives points); then every geometry must be a
    point. An all-digit group_code is zero-padded to the width of the file's group codes.
    """
    frame = _read_user_file(path, preferred_layer="communes", notes=notes)
    is_points = "geometry" in frame.columns and set(frame.geometry.geom_type.dropna()) == {"Point"}
    schema = dict(spec.commune_schema)
    widths = {len(code) for code in all_groups["group_code"]}
    if len(widths) == 1 and all(code.isdigit() for code in all_groups["group_code"]):
        schema["group_code"] = Column("code", width=widths.pop())
    frame = _validate_geo_table(
        frame,
        path,
        what="communes",
        schema=schema,
        required=_USER_COMMUNES_REQUIRED,
        one_of=("population", "target_people"),
        geometry_types=("Point",) if is_points else _POLYGONS,
        max_people=(MAX_COMMUNE_PEOPLE, msg("geo.unit.one_commune")),
    )
    all_provinces = _read_codes(gpkg, "provinces", ("province_code",))
    _check_commune_references(frame, path, spec, gpkg, all_provinces, all_groups)
    return frame


def _complete_user_communes(
    frame: gpd.GeoDataFrame,
    path: Path,
    spec: _Structure,
    *,
    gpkg: Path,
    selection: _Selection,
    provinces: gpd.GeoDataFrame,
    groups: gpd.GeoDataFrame,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """Fill the optional commune columns the user's file lacks, and say which in `notes`.

    Sources, in order: the built commune with the same commune_code (commune_type, urban,
    terrain, island, boat_only: facts about the commune, not its boundary); the commune's
    own geometry (lat, lon of a representative point; area_km2 of a polygon); its
    district or cluster (district_code, district_name, cluster_code; island and boat_only of
    a 2020 district); its province (province_name; terrain outside towns; the ratio of
    target_people to population); and the name ("Phường ..." is a ward).
    """
    check.check_not_empty(frame, path, what=msg("geo.what.communes", scope=selection.scope))
    frame = frame.copy()
    derived: list[str] = []
    built = _read_table(gpkg, layer="communes", where=selection.where)
    check.check_required_columns(built, ("commune_code",), gpkg)
    built["commune_code"] = check.coerce_codes(built, "commune_code", gpkg, width=5)
    built = built.drop_duplicates("commune_code").set_index("commune_code")
    group = groups.set_index("group_code").reindex(frame["group_code"])
    province = provinces.set_index("province_code").reindex(frame["province_code"])
    points = frame.geometry.geom_type.eq("Point").all()

    def from_built(column: str, fallback: Iterable[object]) -> list[object]:
        if column in built.columns:
            known = built[column].reindex(frame["commune_code"]).to_numpy()
        else:
            known = np.full(len(frame), None, dtype=object)
        return [k if not check.is_missing(k) else f for k, f in zip(known, fallback, strict=True)]

    def fill(column: str, values: Iterable[object]) -> None:
        if column not in frame.columns:
            frame[column] = list(values)
            derived.append(column)

    fill("province_name", province["province_name"].to_numpy())
    for commune_column, group_column in spec.from_group.items():
        fill(commune_column, group[group_column].to_numpy())
    if "commune_type" not in frame.columns:
        by_name = [_type_from_name(name) for name in frame["commune_name"]]
        fill("commune_type", from_built("commune_type", by_name))
    if "urban" not in frame.columns:
        by_type = [kind in ("Phường", "Thị trấn") for kind in frame["commune_type"]]
        fill("urban", [bool(v) for v in from_built("urban", by_type)])
    if "terrain" not in frame.columns:
        by_province = np.where(frame["urban"], "urban", province["terrain"].to_numpy())
        fill("terrain", from_built("terrain", by_province))
    for flag in ("island", "boat_only"):
        if flag not in frame.columns:
            by_group = group[flag].fillna(False) if flag in group.columns else [False] * len(frame)
            fill(flag, [bool(v) for v in from_built(flag, by_group)])
    if "lat" not in frame.columns or "lon" not in frame.columns:
        anchor = frame.geometry.representative_point()
        frame["lat"], frame["lon"] = anchor.y.to_numpy(), anchor.x.to_numpy()
        derived.append("lat/lon")
    if "area_km2" not in frame.columns:
        if points:
            areas = from_built("area_km2", [np.nan] * len(frame))
            fill("area_km2", np.asarray(areas, dtype=float))
            if "area_estimated" in spec.commune_schema:
                by_default = [True] * len(frame)
                fill("area_estimated", [bool(v) for v in from_built("area_estimated", by_default)])
        else:
            fill("area_km2", to_metric(frame).geometry.area.to_numpy() / 1e6)
    if "area_estimated" in spec.commune_schema:
        fill("area_estimated", [False] * len(frame))
    if "area_flag" in spec.commune_schema and "area_flag" not in frame.columns:
        frame["area_flag"] = USER_FILE_METHOD  # not checked: the user's areas are theirs
    ratio = (province["target_people"] / province["population"].replace(0, np.nan)).fillna(1.0)
    if "target_people" not in frame.columns:
        fill("target_people", (frame["population"] * ratio.to_numpy()).round().astype("int64"))
    if "population" not in frame.columns:
        people = frame["target_people"] / ratio.replace(0, np.nan).to_numpy()
        fill("population", people.fillna(frame["target_people"]).round().astype("int64"))
    fill("approximate", [bool(points)] * len(frame))
    # the user's own target people: a scenario's [targets] share does not replace them
    frame["target_from_user"] = "target_people" not in derived
    for method in ("position_method", "population_method"):  # where the figures came from
        if method not in frame.columns:
            frame[method] = USER_FILE_METHOD
    if derived:
        notes.append(
            f"{path}: derived {', '.join(derived)} (from the built commune with the same "
            f"code where there is one, else from its {spec.group_label}, province or name)"
        )
    if "population" in derived:
        _check_derived_population(frame, path)
    if "lat/lon" in derived:
        _check_in_vietnam(frame["lat"], frame["lon"], path, field=None)
    _warn_far_from_group(frame, path, groups, spec.group_label, notes, source=gpkg.name)
    return frame


def _check_derived_population(frame: pd.DataFrame, path: Path) -> None:
    """A population derived from target_people is plausible too (see `MAX_COMMUNE_PEOPLE`)."""
    over = np.flatnonzero(frame["population"].to_numpy() > MAX_COMMUNE_PEOPLE)
    if len(over) == 0:
        return
    label = frame.index[over[0]]
    raise DataError(
        path,
        msg(
            "geo.implausible_population",
            target=int(frame.loc[label, "target_people"]),
            population=int(frame.loc[label, "population"]),
            limit=MAX_COMMUNE_PEOPLE,
        ),
        row=check.row_number(label),
        field="target_people",
    )


def _warn_far_from_group(
    frame: gpd.GeoDataFrame,
    path: Path,
    groups: gpd.GeoDataFrame,
    group_label: str,
    notes: list[str],
    *,
    source: str,
) -> None:
    """Warn (on stderr, and in `notes`) when a user's commune lies far from its group.

    A commune whose point lies more than `FAR_FROM_GROUP_KM` outside the approximate polygon
    of its district or cluster in data/geo has a wrong position or a wrong group_code, or is
    a place the built data does not know (a new island commune, an exclave). A warning, not
    an error: the file is consistent in itself, its every value is plausible, and the user
    may know better than the approximate polygons; refusing it would leave them no way to
    plan such a place. But the plan would send the district's team on a long trip (or leave
    the commune out as too far), so the user is told before the solve, in one line: the
    first such commune, its distance, and how many more there are.
    """
    shapes = groups.drop_duplicates("group_code").set_index("group_code").geometry
    polygons = gpd.GeoSeries(shapes.reindex(frame["group_code"]).to_numpy(), crs=WGS84)
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84)
    known = ~(polygons.isna() | polygons.is_empty).to_numpy()
    if not known.any():
        return
    km = np.full(len(frame), np.nan)
    km[known] = (
        to_metric(gpd.GeoDataFrame(geometry=polygons[known].reset_index(drop=True)))
        .geometry.distance(
            to_metric(gpd.GeoDataFrame(geometry=points[known].reset_index(drop=True))).geometry,
            align=False,
        )
        .to_numpy()
        / 1000.0
    )
    far = np.flatnonzero(km > FAR_FROM_GROUP_KM)
    if len(far) == 0:
        return
    first = far[0]
    label = frame.index[first]
    group = str(frame["group_code"].iloc[first])
    named = groups.drop_duplicates("group_code").set_index("group_code")
    for column in ("district_name", "cluster_name"):
        if column in named.columns and isinstance(named[column].get(group), str):
            group += f" ({named[column][group]})"
            break
    more = msg("geo.more_communes", n=len(far) - 1) if len(far) > 1 else ""
    row = check.row_number(label)
    message = msg(
        "geo.far_from_group",
        code=frame["commune_code"].iloc[first],
        name=frame["commune_name"].iloc[first],
        km=float(km[first]),
        group_label=msg(f"word.{group_label}")
        if f"word.{group_label}" in MESSAGES
        else group_label,
        group=group,
        source=source,
        limit=FAR_FROM_GROUP_KM,
        more=more,
    )
    notes.append(f"{path}, row {row}, field 'lat/lon': {message}")
    lang = current_lang()
    where = say("error.where_row", lang, where=path, row=row)
    where = say("error.where_field", lang, where=where, field="lat/lon")
    said = say("error.located", lang, where=where, problem=message)
    print(say("warning.line", lang, message=" ".join(said.split())), file=sys.stderr)


def _type_from_name(name: str) -> str:
    """A commune's type from its name's prefix ("Phường Đông Ngàn" is a ward), else "Xã"."""
    for kind in sorted(_COMMUNE_TYPES, key=len, reverse=True):
        if name.startswith(kind + " "):
            return kind
    return "Xã"


# -- venues ------------------------------------------------------------------------------------


def _validate_venues(
    frame: gpd.GeoDataFrame,
    path: Path,
    *,
    communes: gpd.GeoDataFrame,
    communes_source: str,
    all_communes: pd.DataFrame,
    all_groups: pd.DataFrame,
    groups_source: str,
    group_label: str,
    user_file: bool,
    adopt_communes: bool = False,
    notes: list[str] | None = None,
    scope: str = "",
) -> gpd.GeoDataFrame:
    """Validate a post offices table and tie each venue to its commune and group.

    `all_communes` and `all_groups` hold every commune and group a venue may name (codes
    only); `communes` the loaded ones, whose polygons the venues must lie in. A venue with
    no commune_code must be a group post office with a group_code (the post office of an
    island district without communes).

    `adopt_communes` is for the built venues under the user's communes: venues in communes
    the user's file lacks are left out (said in `notes`), and each venue takes its group and
    province from the user's commune; the user cannot be asked to fix the built file.
    """
    frame = _validate_geo_table(
        frame,
        path,
        what=msg("geo.what.post_offices", scope=scope),
        schema=_USER_POST_OFFICES if user_file else _POST_OFFICES,
        required=_USER_VENUES_REQUIRED if user_file else _POST_OFFICES,
        geometry_types=("Point",),
    )
    check.check_unique(frame, "venue_id", path)
    check.check_hall_area_positive(frame["hall_area_m2"], path)

    has_commune = frame["commune_code"].notna()
    _check_venues_without_commune(frame[~has_commune], path)
    if adopt_communes:
        unknown = has_commune & ~frame["commune_code"].isin(set(all_communes["commune_code"]))
        if unknown.all():
            raise DataError(
                path,
                msg("geo.no_post_office", source=communes_source),
            )
        if unknown.any() and notes is not None:
            notes.append(
                f"{path}: left out {int(unknown.sum())} post offices whose commune is not in "
                f"{communes_source}"
            )
        frame, has_commune = frame[~unknown].copy(), has_commune[~unknown]
    in_commune = frame[has_commune]
    check.check_codes_known(
        in_commune,
        "commune_code",
        all_communes["commune_code"],
        path,
        known_as=msg("geo.known.communes_of", source=communes_source),
    )
    by_commune = all_communes.drop_duplicates("commune_code").set_index("commune_code")
    frame["group_code"] = _code_from_parent(
        frame,
        "group_code",
        by_commune["group_code"].reindex(frame["commune_code"]),
        path,
        parent_of=has_commune,
        because=msg("geo.because.commune_group", group=_group_word(group_label)),
        adopt=adopt_communes,
    )
    check.check_codes_known(
        frame, "group_code", all_groups["group_code"], path, known_as=groups_source
    )
    by_group = all_groups.drop_duplicates("group_code").set_index("group_code")
    frame["province_code"] = _code_from_parent(
        frame,
        "province_code",
        by_group["province_code"].reindex(frame["group_code"]),
        path,
        parent_of=pd.Series(True, index=frame.index),
        because=msg("geo.because.group_province", group=_group_word(group_label)),
        adopt=adopt_communes,
    )

    frame["lat"], frame["lon"] = frame.geometry.y.to_numpy(), frame.geometry.x.to_numpy()
    if "position_estimated" not in frame.columns:
        frame["position_estimated"] = False
    loaded = frame[has_commune & frame["commune_code"].isin(set(communes["commune_code"]))]
    if communes.geometry.geom_type.isin(_POLYGONS).all() and len(loaded) > 0:
        check.check_venues_inside_communes(
            loaded,
            communes.set_index("commune_code"),
            path,
            communes_source=communes_source,
            tolerance_m=VENUE_TOLERANCE_M,
            metric_crs=METRIC_CRS,
            hint=msg("geo.hint_own_venues") if adopt_communes else "",
        )
    return frame


def _code_from_parent(
    frame: pd.DataFrame,
    column: str,
    parents: pd.Series,
    path: Path,
    *,
    parent_of: pd.Series,
    because: str,
    adopt: bool,
) -> pd.Series:
    """A venue's group_code or province_code: the one of its parent (commune, group).

    Where the row has a parent (`parent_of`) and gives the code too, the two must agree
    (unless `adopt`: then the parent's wins); a blank or missing code is the parent's.
    """
    expected = pd.Series(parents.to_numpy(), index=frame.index, dtype=object)
    if column not in frame.columns:
        return expected.where(parent_of.to_numpy(), None)
    given = frame[column].astype(object)
    if adopt:
        return expected.where(parent_of.to_numpy(), given)
    check_rows = parent_of.to_numpy() & given.notna().to_numpy()
    check.check_codes_agree(frame[check_rows], column, expected, path, because=because)
    return given.where(given.notna(), expected)


def _check_venues_without_commune(frame: pd.DataFrame, path: Path) -> None:
    """A venue with no commune_code is a group post office and names its group.

    Why: only the post office of an island district without communes has no commune; any
    other venue without one cannot be placed in a commune's audience or coverage.
    """
    for label, venue in frame.iterrows():
        if venue["kind"] != "group":
            raise DataError(
                path,
                msg("geo.venue_no_code"),
                row=check.row_number(label),
                field="commune_code",
            )
        if check.is_missing(venue.get("group_code")):
            raise DataError(
                path,
                msg("geo.venue_no_place"),
                row=check.row_number(label),
                field="group_code",
            )


# -- reading files -----------------------------------------------------------------------------


def _read_user_file(path: Path, *, preferred_layer: str, notes: list[str]) -> gpd.GeoDataFrame:
    """A user's GeoPackage, GeoJSON, Shapefile or CSV (lat, lon in EPSG:4326) as a frame.

    A GeoPackage's layer `preferred_layer` is read, else its first layer (said in `notes`).
    Text formats must be UTF-8.
    """
    if not path.exists():
        raise DataError(path, "file not found")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv_points(path)
    if suffix in (".geojson", ".json"):
        check.read_utf8(path)
    layer = None
    if suffix == ".gpkg":
        names = _layer_names(path)
        if not names:
            raise DataError(path, msg("geo.no_layers"))
        layer = preferred_layer if preferred_layer in names else names[0]
        if layer != preferred_layer and len(names) > 1:
            notes.append(f"{path}: no layer '{preferred_layer}', read the first layer '{layer}'")
    return _read_layer(path, layer=layer)


def _layer_names(path: Path) -> list[str]:
    """The names of the layers in a vector file."""
    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise DataError(
            path, f"not a readable GeoPackage, GeoJSON or Shapefile ({_gdal_reason(exc, path)})"
        ) from exc


def _read_layer(path: Path, *, layer: str | None, where: str | None = None) -> gpd.GeoDataFrame:
    """One layer of a vector file, indexed by the user's row numbers (see the module doc)."""
    frame = _read_vector(path, layer=layer, where=where, read_geometry=True)
    assert isinstance(frame, gpd.GeoDataFrame)
    return frame


def _read_codes(path: Path, layer: str, columns: Sequence[str]) -> pd.DataFrame:
    """Code columns of a whole layer as text (a cheap lookup table, no geometry)."""
    frame = _read_table(path, layer=layer, columns=columns)
    for name in columns:
        frame[name] = check.coerce_codes(frame, name, path, width=_CODE_WIDTHS.get(name))
    return frame


def _read_table(
    path: Path,
    *,
    layer: str,
    where: str | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The attributes of one layer, without geometry (a cheap lookup table)."""
    frame = _read_vector(path, layer=layer, where=where, read_geometry=False, columns=columns)
    if columns is not None:
        check.check_required_columns(frame, columns, path)
    return pd.DataFrame(frame)


def _read_vector(
    path: Path,
    *,
    layer: str | None,
    where: str | None,
    read_geometry: bool,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read with pyogrio, turning every GDAL error into a DataError naming the file."""
    try:
        frame = pyogrio.read_dataframe(
            path,
            layer=layer,
            where=where,
            columns=None if columns is None else list(columns),
            read_geometry=read_geometry,
            fid_as_index=True,
        )
    except pyogrio.errors.DataSourceError as exc:
        raise DataError(
            path, f"not a readable GeoPackage, GeoJSON or Shapefile ({_gdal_reason(exc, path)})"
        ) from exc
    except (pyogrio.errors.DataLayerError, OSError, ValueError, PyprojCRSError) as exc:
        reason = _gdal_reason(exc, path)
        problem = (
            msg("geo.cannot_read", reason=reason)
            if layer is None
            else msg("geo.layer_cannot_read", layer=layer, reason=reason)
        )
        raise DataError(path, problem) from exc
    if path.suffix.lower() == ".gpkg":
        frame.index = pd.Index(frame.index.astype("int64"), name=None)
    else:
        frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _gdal_reason(exc: Exception, path: Path) -> str:
    """GDAL's message without the path (the DataError names it) and without its advice."""
    text = str(exc).split("; It might help")[0]
    for noise in (f"'{path}' ", f"{path}: ", str(path)):
        text = text.replace(noise, "")
    return text.strip().rstrip(".") or type(exc).__name__


def _read_csv_points(path: Path) -> gpd.GeoDataFrame:
    """A UTF-8 CSV with lat and lon columns (EPSG:4326) as a frame of points.

    Every cell is read as text, so that codes keep their leading zeros; numbers are parsed
    later by the checks. The separator is a comma, or a semicolon or tab when the header has
    more of those (as Excel writes in some locales).
    """
    text = check.read_utf8(path)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DataError(path, "empty file; expected a header line and at least one row")
    header_line = lines[0]
    separator = max((",", ";", "\t"), key=header_line.count)
    try:
        records = [r for r in csv.reader(io.StringIO(text), delimiter=separator) if any(r)]
    except csv.Error as exc:
        raise DataError(path, msg("lists.bad_csv", reason=str(exc))) from exc
    header = [name.strip() for name in records[0]]
    _check_header_unique(header, path)
    for number, record in enumerate(records[1:], start=1):
        if len(record) != len(header):
            raise DataError(
                path,
                msg("geo.field_count", found=len(record), expected=len(header)),
                row=number,
            )
    frame = pd.DataFrame(records[1:], columns=header, dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    frame = frame.apply(lambda column: column.str.strip())
    frame = _normalise_names(frame, [*_COMMUNES, *_POST_OFFICES])
    check.check_not_empty(frame, path, what=msg("geo.what.rows", scope=""))
    check.check_required_columns(frame, ("lat", "lon"), path, hint=msg("data.csv_lat_lon"))
    for name in ("lat", "lon"):
        numbers = check.coerce_numbers(frame, name, path)
        check.check_finite(numbers, path)
        frame[name] = numbers
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
    located = gpd.GeoDataFrame(frame, geometry=points, crs=WGS84)
    check.check_inside_vietnam(located, path, field="lat/lon")
    _check_in_vietnam(frame["lat"], frame["lon"], path, field="lat/lon")
    return located


def _check_header_unique(header: Sequence[str], path: Path) -> None:
    """No column name appears twice in a CSV header (case and spaces ignored).

    Why: of two columns "population", one is silently ignored or both are mixed (pandas
    renames the second "population.1"); which one the user meant is theirs to say. Blank
    names (the empty columns a spreadsheet leaves at the end) are not compared.
    """
    first_at: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        key = name.strip().lower()
        if not key:
            continue
        if key in first_at:
            first = header[first_at[key] - 1]
            also = "" if first == name else msg("geo.as_column", name=first)
            raise DataError(
                path,
                msg(
                    "geo.duplicate_column",
                    name=name,
                    first=first_at[key],
                    also=also,
                    position=position,
                ),
                field=name,
            )
        first_at[key] = position


# -- the checks every table goes through -------------------------------------------------------


def _validate_geo_table(
    frame: pd.DataFrame,
    path: Path,
    *,
    what: str,
    schema: Mapping[str, Column],
    required: Iterable[str],
    geometry_types: Sequence[str],
    one_of: Iterable[str] = (),
    max_people: tuple[int, str] = (MAX_UNIT_PEOPLE, "one unit"),
) -> gpd.GeoDataFrame:
    """Run the file-level, geometry and attribute checks; return the frame in EPSG:4326.

    Order: not empty, columns, CRS, geometry (present, type, inside Vietnam, valid), then
    attribute types and values, so that the first message is about the most basic fault.
    `max_people` bounds population and target_people per row: (limit, what a row is).
    """
    check.check_not_empty(frame, path, what=what)
    if not isinstance(frame, gpd.GeoDataFrame) or "geometry" not in frame.columns:
        raise DataError(path, msg("geo.no_geometry_column", what=what))
    frame = _normalise_names(frame, schema)
    check.check_required_columns(frame, required, path, one_of=one_of)
    check.check_crs_present(frame, path)
    frame = _to_wgs84(frame, path)
    check.check_geometries_present(frame, path)
    check.check_geometry_types(frame, geometry_types, path)
    check.check_inside_vietnam(frame, path)
    check.check_geometries_valid(frame, path)
    if frame.geometry.geom_type.eq("Point").all():
        _check_in_vietnam(frame.geometry.y, frame.geometry.x, path, field=None)
    _check_plausible_counts(frame, schema, path, max_people=max_people)
    check.coerce_columns(frame, schema, path)
    _check_no_control_characters(frame, schema, path)
    if "lat" in frame.columns and "lon" in frame.columns:
        points = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), index=frame.index
        )
        check.check_inside_vietnam(points, path, field="lat/lon")
        _check_in_vietnam(frame["lat"], frame["lon"], path, field="lat/lon")
    check.check_target_within_population(frame, path)
    return frame


def _group_word(label: str) -> str:
    """The group's word for messages: district (2020) or cluster (2025)."""
    return msg("word.cluster") if label == "cluster" else msg("word.district")


def _check_in_vietnam(lat: pd.Series, lon: pd.Series, path: Path, *, field: str | None) -> None:
    """Every point lies in one of `VIETNAM_AREAS`: the mainland, Hoàng Sa or Trường Sa.

    Why: `check_inside_vietnam`'s box (lon 100..118, lat 6..24) is loose on purpose, to tell
    swapped or projected coordinates apart; it still holds the Gulf of Thailand, Laos and the
    sea off Hainan. A place there gets travel times, reach and a route, all wrong, and
    nothing downstream notices. Run after the looser check, whose hints are more specific.
    """
    lats, lons = lat.to_numpy(dtype=float), lon.to_numpy(dtype=float)
    inside = np.zeros(len(lats), dtype=bool)
    for _, south, north, west, east in VIETNAM_AREAS:
        inside |= (lats >= south) & (lats <= north) & (lons >= west) & (lons <= east)
    outside = np.flatnonzero(~inside)
    if len(outside) == 0:
        return
    first = outside[0]
    areas = "; ".join(
        f"{name} (lat {south:g}..{north:g}, lon {west:g}..{east:g})"
        for name, south, north, west, east in VIETNAM_AREAS
    )
    raise DataError(
        path,
        msg(
            "geo.point_not_in_vietnam",
            lat=f"{lats[first]:.6g}",
            lon=f"{lons[first]:.6g}",
            areas=areas,
        ),
        row=check.row_number(lat.index[first]),
        field=field,
    )


def _check_plausible_counts(
    frame: pd.DataFrame,
    schema: Mapping[str, Column],
    path: Path,
    *,
    max_people: tuple[int, str],
) -> None:
    """Every count is finite and at most a plausible bound, before it becomes an int64.

    Why: counts are stored as 64-bit whole numbers; a population of 1e23 wraps round to a
    negative number without a word, and one of ten billion (a slip of digits or units) makes
    one commune outweigh the country: the plan would send every team there. People per row
    are bounded by `max_people` (see `MAX_COMMUNE_PEOPLE`, `MAX_UNIT_PEOPLE`); other counts
    by a million. Negative numbers are left to `check_non_negative`, which says so.
    """
    limit_people, unit = max_people
    for name, column in schema.items():
        if column.kind != "count" or name not in frame.columns:
            continue
        numbers = check.coerce_numbers(frame, name, path)
        check.check_finite(numbers, path)
        people = name in ("population", "target_people")
        limit = limit_people if people else _MAX_OTHER_COUNT
        too_many = numbers.to_numpy(dtype=float) > limit
        positions = np.flatnonzero(too_many)
        if len(positions) == 0:
            continue
        value = float(numbers.iloc[positions[0]])
        shown = f"{value:,.0f}" if value < 1e18 else f"{value:.3g}"
        note = msg("geo.most_populous_note") if people and limit == MAX_COMMUNE_PEOPLE else ""
        why = (
            msg("geo.implausible_people", shown=shown, unit=unit, limit=limit, note=note)
            if people
            else msg("geo.implausible_count", shown=shown, limit=limit)
        )
        raise DataError(
            path,
            why,
            row=check.row_number(numbers.index[positions[0]]),
            field=name,
        )


def _check_no_control_characters(
    frame: pd.DataFrame, schema: Mapping[str, Column], path: Path
) -> None:
    """No code, name or text holds a control character (tab, line break, NUL, BEL, ...).

    Why: names go to route sheets, maps, CSV files and the Excel workbook; openpyxl refuses
    most control characters, so one stray byte would fail the run after the whole solve,
    and a line break inside a name splits every one-line message that quotes it.
    """
    for name, column in schema.items():
        if column.kind not in ("code", "name", "text") or name not in frame.columns:
            continue
        values = frame[name]
        texts = values.where(values.map(lambda v: isinstance(v, str)), "")
        found = texts.str.contains(_CONTROL_CHARACTERS, regex=True).to_numpy(dtype=bool)
        positions = np.flatnonzero(found)
        if len(positions) == 0:
            continue
        text = str(texts.iloc[positions[0]])
        match = _CONTROL_CHARACTERS.search(text)
        assert match is not None
        raise DataError(
            path,
            msg("geo.control_character", code=f"{ord(match.group()):04X}", value=repr(text)),
            row=check.row_number(values.index[positions[0]]),
            field=name,
        )


def _normalise_names(frame: _Frame, known: Iterable[str]) -> _Frame:
    """Rename columns to the schema's names: case and spaces ignored, Shapefile-truncated
    names restored ("province_c" -> "province_code") where that is unambiguous."""
    known = list(known)
    by_lower = {name.lower(): name for name in known}
    truncated: dict[str, list[str]] = {}
    for name in known:
        truncated.setdefault(name[:10].lower(), []).append(name)
    renames: dict[str, str] = {}
    for column in frame.columns:
        if column == "geometry" or not isinstance(column, str):
            continue
        key = column.strip().lower()
        target = by_lower.get(key)
        if target is None and len(truncated.get(key, [])) == 1:
            target = truncated[key][0]
        if target is not None and target != column and target not in frame.columns:
            renames[column] = target
    return frame.rename(columns=renames) if renames else frame


def _to_wgs84(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326, reprojected from its own CRS if needed."""
    if frame.crs is not None and frame.crs.to_epsg() == 4326:
        return frame
    try:
        return frame.to_crs(WGS84)
    except (PyprojCRSError, ValueError) as exc:
        raise DataError(
            path, msg("geo.cannot_reproject", crs=str(frame.crs), reason=str(exc))
        ) from exc


def _finish(
    frame: gpd.GeoDataFrame, schema: Mapping[str, Column], sort_by: list[str]
) -> gpd.GeoDataFrame:
    """Schema columns first, then any others, geometry last; sorted; index 0..n-1."""
    first = [name for name in schema if name in frame.columns]
    rest = [name for name in frame.columns if name not in schema and name != "geometry"]
    ordered = frame[[*first, *rest, "geometry"]].sort_values(sort_by, kind="stable")
    result = gpd.GeoDataFrame(ordered.reset_index(drop=True), geometry="geometry", crs=WGS84)
    return result
