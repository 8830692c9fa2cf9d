"""Build the layers of the 63-province structure (vn2020.gpkg, table admin_units_legacy)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from planner.errors import DataError
from planner.geo import _rules
from planner.geo._apportion import largest_remainder
from planner.geo._census import CensusMatch, DistrictUnit, match_census
from planner.geo._frames import make_frame
from planner.geo._population import (
    FitReport,
    commune_populations,
    commune_weights,
    fit_weights,
)
from planner.geo._positions import IslandCheck, PositionReport, place_legacy_communes, plane_km
from planner.geo._schema import (
    LEGACY_CENTROIDS,
    LEGACY_COMMUNES,
    LEGACY_DISTRICTS,
    LEGACY_POST_OFFICES,
    LEGACY_PROVINCES,
)
from planner.geo._sources import (
    CurrentUnits,
    DistrictCensusRow,
    LegacyCommune,
    LegacyDistrict,
    LegacyUnits,
    ProvinceCensus,
    WardLink,
)
from planner.geo._text import ascii_fold, strip_type
from planner.geo._voronoi import geodesic_area_km2, snap, voronoi_cells

Record = dict[str, Any]  # one row of a layer, keyed by the schema's column names


@dataclass(frozen=True)
class OldUnit:
    """A unit of the 63-province structure as the 2025 conversion table names it."""

    old_key: str  # provinceKey_districtKey_wardKey ('' ward key for a district without)
    commune_code: str | None  # None for an island district without communes
    district_code: str
    province_code: str
    population: int
    island: bool
    boat_only: bool


@dataclass(frozen=True)
class LegacyBuild:
    layers: dict[str, gpd.GeoDataFrame]
    match: CensusMatch
    old_units: dict[str, OldUnit]  # by old_key
    district_names: dict[str, str]  # district code -> 'Huyện Đồng Văn'
    district_points: dict[str, tuple[float, float]]  # district code -> (lon, lat)
    district_office_commune: dict[str, str | None]  # district code -> commune code
    commune_rules: dict[str, int]  # communes by population_method
    notes: tuple[str, ...]
    positions: PositionReport
    population_fit: FitReport
    population_before: dict[str, int]  # commune code -> people by the former rule
    match_before: CensusMatch  # the census match with the former rule (commune counts)


def old_key(province_key: str, district_key: str, ward_key: str | None) -> str:
    """The conversion table's name of a former unit."""
    return f"{province_key}_{district_key}_{ward_key or ''}"


def parse_bounds(text: str | None) -> BaseGeometry | None:
    """'lat1,lon1 – lat2,lon2' (the database's districtBounds) -> a box, or None."""
    if not text:
        return None
    try:
        corners = [c.strip().split(",") for c in text.replace("–", "|").split("|")]
        (lat1, lon1), (lat2, lon2) = ((float(a), float(b)) for a, b in corners)
    except ValueError:
        return None
    return shapely.box(min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2))


def _plane_distance(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    scale = math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lon1 - lon2) * scale, lat1 - lat2)


def nearest_code(candidates: Sequence[tuple[str, float, float]], lon: float, lat: float) -> str:
    """Code of the (code, lon, lat) candidate nearest (lon, lat); ties to the lower code."""
    return min(candidates, key=lambda c: (_plane_distance(c[1], c[2], lon, lat), c[0]))[0]


def build_legacy(
    units: LegacyUnits,
    current: CurrentUnits,
    links: Sequence[WardLink],
    outline: MultiPolygon,
    census_rows: Sequence[DistrictCensusRow],
    province_census: Sequence[ProvinceCensus],
    *,
    db_path: Path,
    census_path: Path,
) -> LegacyBuild:
    notes: list[str] = []
    communes = units.communes
    districts = units.districts
    grouped: dict[str, list[LegacyCommune]] = defaultdict(list)
    for commune in communes:
        grouped[commune.district.code].append(commune)
    by_district = dict(grouped)  # no entry for the island districts without communes
    bare = [d for d in districts if d.code not in by_district]
    _check_island_lists(units, db_path)

    # --- island flags ---------------------------------------------------------------------------
    flags = {c.code: _rules.legacy_island_flags(c.district.code, c.code) for c in communes}
    bare_flags = {d.code: _rules.legacy_island_flags(d.code, None) for d in bare}
    for code, (island, _) in bare_flags.items():
        if not island:
            raise DataError(db_path, f"district {code} has no communes but is not a known island")

    # --- points and polygons ----------------------------------------------------------------
    unit_codes = [c.code for c in communes] + [f"D{d.code}" for d in bare]
    mainland = max(outline.geoms, key=lambda g: g.area)
    placements, positions, placeholder_reasons = place_legacy_communes(
        communes, districts, current.communes, links, outline
    )
    bare_points, bare_checks = _bare_district_points(bare, mainland, current, links, notes)
    lonlat = np.array(
        [(placements[c.code].lon, placements[c.code].lat) for c in communes]
        + [bare_points[d.code] for d in bare],
        dtype=float,
    )
    extra: dict[int, BaseGeometry] = {}
    for k, district in enumerate(bare):
        box = parse_bounds(district.bounds)
        if box is not None and box.covers(Point(*bare_points[district.code])):
            extra[len(communes) + k] = box
    notes.append(
        f"{positions.shared_before} communes share their database point with another commune "
        f"({positions.shared_points_before} points); {len(placeholder_reasons)} commune points "
        "are placeholders and were re-placed (README 'Positions')"
    )
    raw_cells = voronoi_cells(
        unit_codes, lonlat, outline, extra, outside_radius_km=_rules.LEGACY_OUTSIDE_RADIUS_KM
    )
    n_outside = int((~shapely.covers(outline, shapely.points(lonlat))).sum())
    notes.append(f"{n_outside} of {len(lonlat)} points (2020 structure) lie outside the outline")
    cell = dict(zip(unit_codes, raw_cells, strict=True))
    polygons = {c.code: snap(cell[c.code]) for c in communes}
    areas = {code: round(geodesic_area_km2(polygon), 3) for code, polygon in polygons.items()}

    # --- census population per district, then per commune ----------------------------------
    def district_units(weights: dict[str, float] | None) -> list[DistrictUnit]:
        units_: list[DistrictUnit] = []
        for d in districts:
            members = by_district.get(d.code, [])
            urban = [c for c in members if c.type in _rules.URBAN_COMMUNE_TYPES]
            rural = [c for c in members if c.type not in _rules.URBAN_COMMUNE_TYPES]
            units_.append(
                DistrictUnit(
                    province_code=d.province_code,
                    district_code=d.code,
                    short_name=strip_type(d.name, d.type),
                    district_type=d.type,
                    n_urban_communes=len(urban),
                    n_rural_communes=len(rural),
                    urban_weight=None if weights is None else sum(weights[c.code] for c in urban),
                    rural_weight=None if weights is None else sum(weights[c.code] for c in rural),
                )
            )
        return units_

    def census_match(weights: dict[str, float] | None, *, published: bool = True) -> CensusMatch:
        return match_census(
            district_units(weights),
            census_rows,
            province_census,
            census_path=census_path,
            use_published=published,
        )

    # the former rule (commune counts, equal shares), kept for the README's comparison
    match_before = census_match(None, published=False)
    equal = {c.code: 1.0 for c in communes}
    population_before, _ = commune_populations(by_district, match_before, equal)
    fit = fit_weights(by_district, districts, match_before, areas)
    weights = commune_weights(by_district, areas, fit)
    match = census_match(weights)
    population, population_methods = commune_populations(by_district, match, weights)
    commune_rules = dict(sorted(Counter(population_methods.values()).items()))
    source_count = Counter((c.lon, c.lat) for c in communes)
    positions = replace(
        positions,
        islands=positions.islands + tuple(bare_checks),
        shared_before_people=sum(
            population[c.code] for c in communes if source_count[(c.lon, c.lat)] > 1
        ),
    )

    # --- target people: national apportionment over communes and bare districts ------------
    unit_people = [population[c.code] for c in communes] + [
        match.populations[d.code].total for d in bare
    ]
    national = sum(unit_people)
    shares = largest_remainder(_rules.target_total(national), unit_people)
    targets = dict(zip(unit_codes, shares, strict=True))

    # --- communes -----------------------------------------------------------------------------
    commune_records: list[Record] = []
    commune_cells: list[BaseGeometry] = []
    for commune in communes:
        polygon = polygons[commune.code]
        district = commune.district
        urban = commune.type in _rules.URBAN_COMMUNE_TYPES
        island, boat_only = flags[commune.code]
        commune_records.append(
            {
                "commune_code": commune.code,
                "commune_name": commune.name,
                "commune_type": commune.type,
                "group_code": district.code,
                "district_code": district.code,
                "district_name": district.name,
                "province_code": district.province_code,
                "province_name": district.province,
                "lat": placements[commune.code].lat,
                "lon": placements[commune.code].lon,
                "position_method": placements[commune.code].method,
                "population": population[commune.code],
                "population_method": population_methods[commune.code],
                "target_people": targets[commune.code],
                "area_km2": areas[commune.code],
                "urban": urban,
                "terrain": "urban" if urban else _rules.province_terrain(district.province_code),
                "island": island,
                "boat_only": boat_only,
                "approximate": True,
            }
        )
        commune_cells.append(polygon)
    commune_points = [Point(r["lon"], r["lat"]) for r in commune_records]
    commune_by_code = {r["commune_code"]: r for r in commune_records}

    # --- districts ----------------------------------------------------------------------------
    district_geometry: dict[str, BaseGeometry] = {}
    district_records: list[Record] = []
    for district in districts:
        members = by_district.get(district.code, [])
        if members:
            raw = shapely.union_all([cell[c.code] for c in members])
            island = all(flags[c.code][0] for c in members)
            boat_only = all(flags[c.code][1] for c in members)
            target = sum(targets[c.code] for c in members)
            lon, lat = district.lon, district.lat
        else:
            raw = cell[f"D{district.code}"]
            island, boat_only = bare_flags[district.code]
            target = targets[f"D{district.code}"]
            lon, lat = bare_points[district.code]
        district_geometry[district.code] = raw
        district_population = match.populations[district.code]
        district_records.append(
            {
                "group_code": district.code,
                "district_code": district.code,
                "district_name": district.name,
                "district_type": district.type,
                "province_code": district.province_code,
                "population": district_population.total,
                "population_method": district_population.method,
                "target_people": target,
                "n_communes": len(members),
                "island": island,
                "boat_only": boat_only,
                "lat": lat,
                "lon": lon,
                "approximate": True,
            }
        )

    # --- provinces ----------------------------------------------------------------------------
    census_by_code = {p.code: p.population for p in province_census}
    province_records: list[Record] = []
    province_cells: list[BaseGeometry] = []
    province_names = {d.province_code: d.province for d in districts}
    for code in sorted(province_names):
        members_records = [r for r in district_records if r["province_code"] == code]
        people = sum(r["population"] for r in members_records)
        if people != census_by_code.get(code):
            raise DataError(census_path, f"province {code}: {people} != census total")
        province_records.append(
            {
                "province_code": code,
                "province_name": province_names[code],
                "province_name_ascii": ascii_fold(province_names[code]),
                "population": people,
                "target_people": sum(r["target_people"] for r in members_records),
                "n_groups": len(members_records),
                "n_communes": sum(r["n_communes"] for r in members_records),
                "terrain": _rules.province_terrain(code),
                "approximate": True,
            }
        )
        province_cells.append(
            snap(
                shapely.union_all([district_geometry[r["district_code"]] for r in members_records])
            )
        )

    # --- post offices -------------------------------------------------------------------------
    office_commune: dict[str, str | None] = {}
    po_records: list[Record] = []
    for record in district_records:
        code = record["district_code"]
        members = by_district.get(code, [])
        site_code: str | None = None
        lon, lat = record["lon"], record["lat"]
        if members:
            pool = [c for c in members if c.type in _rules.URBAN_COMMUNE_TYPES] or members
            site_code = nearest_code(
                [(c.code, placements[c.code].lon, placements[c.code].lat) for c in pool], lon, lat
            )
            lon, lat = commune_by_code[site_code]["lon"], commune_by_code[site_code]["lat"]
        office_commune[code] = site_code
        short = strip_type(record["district_name"], record["district_type"])
        po_records.append(
            _post_office(
                f"PO-D-{code}",
                f"Bưu điện {record['district_type'].lower()} {short}",
                "group",
                site_code,
                code,
                record["province_code"],
                lon,
                lat,
            )
        )
    for record in commune_records:
        short = strip_type(record["commune_name"], record["commune_type"])
        po_records.append(
            _post_office(
                f"PO-C-{record['commune_code']}",
                f"Điểm BĐ-VH {record['commune_type'].lower()} {short}",
                "commune",
                record["commune_code"],
                record["district_code"],
                record["province_code"],
                record["lon"],
                record["lat"],
            )
        )
    po_points = [Point(r["lon"], r["lat"]) for r in po_records]

    layers = {
        LEGACY_PROVINCES.name: make_frame(LEGACY_PROVINCES, province_records, province_cells),
        LEGACY_DISTRICTS.name: make_frame(
            LEGACY_DISTRICTS,
            district_records,
            [snap(district_geometry[r["district_code"]]) for r in district_records],
        ),
        LEGACY_COMMUNES.name: make_frame(LEGACY_COMMUNES, commune_records, commune_cells),
        LEGACY_CENTROIDS.name: make_frame(LEGACY_CENTROIDS, commune_records, commune_points),
        LEGACY_POST_OFFICES.name: make_frame(LEGACY_POST_OFFICES, po_records, po_points),
    }

    # --- what the 2025 build needs ------------------------------------------------------------
    old_units: dict[str, OldUnit] = {}
    for commune in communes:
        d = commune.district
        key = old_key(d.province_key, d.key, commune.key)
        old_units[key] = OldUnit(
            key,
            commune.code,
            d.code,
            d.province_code,
            population[commune.code],
            *flags[commune.code],
        )
    for d in bare:
        key = old_key(d.province_key, d.key, None)
        old_units[key] = OldUnit(
            key, None, d.code, d.province_code, match.populations[d.code].total, *bare_flags[d.code]
        )
    if len(old_units) != len(communes) + len(bare):
        raise DataError(db_path, "admin_units_legacy keys are not unique")
    return LegacyBuild(
        layers=layers,
        match=match,
        old_units=old_units,
        district_names={d.code: d.name for d in districts},
        district_points={r["district_code"]: (r["lon"], r["lat"]) for r in district_records},
        district_office_commune=office_commune,
        commune_rules=commune_rules,
        notes=tuple(notes),
        positions=positions,
        population_fit=fit,
        population_before=population_before,
        match_before=match_before,
    )


def _post_office(
    venue_id: str,
    name: str,
    kind: str,
    commune_code: str | None,
    group_code: str,
    province_code: str,
    lon: float,
    lat: float,
) -> Record:
    return {
        "venue_id": venue_id,
        "venue_name": name,
        "kind": kind,
        "commune_code": commune_code,
        "group_code": group_code,
        "province_code": province_code,
        "lat": lat,
        "lon": lon,
        "hall_area_m2": (
            _rules.GROUP_HALL_AREA_M2 if kind == "group" else _rules.COMMUNE_HALL_AREA_M2
        ),
        "position_estimated": True,
    }


def _bare_district_points(
    bare: Sequence[LegacyDistrict],
    mainland: BaseGeometry,
    current: CurrentUnits,
    links: Sequence[WardLink],
    notes: list[str],
) -> tuple[dict[str, tuple[float, float]], list[IslandCheck]]:
    """Points of the island districts without communes, and their island checks.

    The database's district point, unless it lies on the mainland (Hoàng Sa's is in Đà Nẵng
    city): then the point of the 2025 special zone the district was converted into. A point
    off its island's reference (`_rules.ISLAND_REFERENCES`) is moved onto the reference.
    """
    link_by_old = {link.old_key: link for link in links}
    current_point = {(c.province_key, c.key): (c.lon, c.lat) for c in current.communes}
    references = {code: ref for ref in _rules.ISLAND_REFERENCES for code in ref.legacy}
    points: dict[str, tuple[float, float]] = {}
    checks: list[IslandCheck] = []
    for district in bare:
        lon, lat = district.lon, district.lat
        method = "source"
        if mainland.covers(Point(lon, lat)):
            link = link_by_old.get(old_key(district.province_key, district.key, None))
            if link is None:
                raise DataError("converter_2025.json", f"no 2025 unit for {district.name}")
            new_lon, new_lat = current_point[(link.new_province_key, link.new_ward_key)]
            notes.append(
                f"{district.name} ({district.code}): database point ({lat}, {lon}) is on the "
                f"mainland; using the 2025 special zone's point ({new_lat}, {new_lon})"
            )
            lon, lat, method = new_lon, new_lat, "2025_ward"
        ref = references.get("D" + district.code)
        if ref is not None:
            source_km = plane_km(district.lon, district.lat, ref.lon, ref.lat)
            if ref.fixed or plane_km(lon, lat, ref.lon, ref.lat) > ref.radius_km:
                lon, lat, method = ref.lon, ref.lat, "corrected_island"
            checks.append(
                IslandCheck(
                    "2020",
                    "D" + district.code,
                    district.name,
                    ref.name,
                    source_km,
                    plane_km(lon, lat, ref.lon, ref.lat),
                    ref.radius_km,
                    method,
                )
            )
        points[district.code] = (lon, lat)
    return points, checks


def _check_island_lists(units: LegacyUnits, db_path: Path) -> None:
    """Fail loudly if a curated island list names a unit the database does not have."""
    district_name = {d.code: d.name for d in units.districts}
    for table in (
        _rules.BOAT_ONLY_DISTRICTS,
        _rules.ROAD_ISLAND_DISTRICTS,
        _rules.SMALL_ISLAND_DISTRICTS,
    ):
        for code, name in table.items():
            if not district_name.get(code, "").endswith(name):
                raise DataError(db_path, f"island list: district {code} is not {name!r}")
    commune_name = {c.code: c.name for c in units.communes}
    for table in (
        _rules.BOAT_ONLY_COMMUNES,
        _rules.ROAD_ISLAND_COMMUNES,
        _rules.OUTER_ISLAND_COMMUNES,
    ):
        for code, name in table.items():
            if not commune_name.get(code, "").endswith(name):
                raise DataError(db_path, f"island list: commune {code} is not {name!r}")
