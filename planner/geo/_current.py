"""Build the layers of the current structure (vn2025.gpkg, table admin_units).

Population, islands and clusters come from the 63-province build through the official
2025 conversion table (`converter_2025.json`), which lists for every former commune the
new commune(s) it went into.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from planner.errors import DataError
from planner.geo import _rules
from planner.geo._apportion import largest_remainder
from planner.geo._frames import make_frame
from planner.geo._legacy import LegacyBuild, OldUnit, Record, nearest_code
from planner.geo._positions import IslandCheck, Placement, plane_km
from planner.geo._schema import (
    CURRENT_CENTROIDS,
    CURRENT_CLUSTERS,
    CURRENT_COMMUNES,
    CURRENT_POST_OFFICES,
    CURRENT_PROVINCES,
)
from planner.geo._sources import DISTRICT_TYPES, CurrentCommune, CurrentUnits, WardLink
from planner.geo._text import ascii_fold, split_type, strip_type
from planner.geo._voronoi import geodesic_area_km2, snap, voronoi_cells


@dataclass(frozen=True)
class CurrentBuild:
    layers: dict[str, gpd.GeoDataFrame]
    n_former_districts_without_cluster: int
    former_provinces: dict[str, list[str]]  # new province code -> former province codes
    split_provinces: dict[str, list[str]]  # former provinces whose people went to several
    notes: tuple[str, ...]
    islands: tuple[IslandCheck, ...] = ()


@dataclass(frozen=True)
class Flow:
    """People (and weight, for the cluster rule) carried from one former unit to a new one."""

    old: OldUnit
    people: int
    weight: Fraction  # 1 for a whole former commune, its area share for a divided one


def carry_over(
    old_units: dict[str, OldUnit],
    links: Sequence[WardLink],
    new_keys: set[tuple[str, str]],
    *,
    converter_path: Path | str = "converter_2025.json",
) -> dict[tuple[str, str], list[Flow]]:
    """Flows from former units into each new commune (keyed by province key, ward key).

    A former commune that went whole into one new commune carries all its people; one
    divided among several new communes is shared in proportion to the new communes' areas
    given by the table (equally when an area is missing), by largest remainder.
    """
    by_old: dict[str, list[WardLink]] = defaultdict(list)
    for link in links:
        by_old[link.old_key].append(link)
    unknown = sorted(set(by_old) - set(old_units))
    if unknown:
        raise DataError(converter_path, f"former units not in admin_units_legacy: {unknown[:5]}")
    missing = sorted(set(old_units) - set(by_old))
    if missing:
        raise DataError(converter_path, f"former units without a 2025 unit: {missing[:5]}")
    flows: dict[tuple[str, str], list[Flow]] = defaultdict(list)
    for key in sorted(by_old):
        targets = by_old[key]
        old = old_units[key]
        for link in targets:
            if (link.new_province_key, link.new_ward_key) not in new_keys:
                raise DataError(converter_path, f"unknown 2025 unit {link.new_ward_key!r}")
        if len(targets) == 1:
            only = targets[0]
            flows[(only.new_province_key, only.new_ward_key)].append(
                Flow(old, old.population, Fraction(1))
            )
            continue
        if any(t.whole for t in targets):
            raise DataError(converter_path, f"{key} is both whole and divided")
        areas = [t.new_area_km2 for t in targets]
        weights = [
            Fraction(a)
            if a is not None and all(b is not None and b > 0 for b in areas)
            else Fraction(1)
            for a in areas
        ]
        total_weight = sum(weights)
        people = largest_remainder(old.population, weights)
        for link, share, weight in zip(targets, people, weights, strict=True):
            flows[(link.new_province_key, link.new_ward_key)].append(
                Flow(old, share, weight / total_weight)
            )
    return flows


def area_flag(official: float | None, polygon_km2: float) -> str:
    """`area_flag` of a 2025 commune: its official area against its polygon's (schema)."""
    if official is None:
        return "no_official"
    if polygon_km2 <= 0:
        return "official_much_larger"
    ratio = official / polygon_km2
    if ratio >= _rules.AREA_FLAG_FACTOR:
        return "official_much_larger"
    if ratio <= 1 / _rules.AREA_FLAG_FACTOR:
        return "official_much_smaller"
    return "ok"


def official_area(value: float | None) -> bool:
    """Whether the database gives a usable official area (missing and 0 are not)."""
    return value is not None and not math.isnan(value) and value > 0


def build_current(
    units: CurrentUnits,
    legacy: LegacyBuild,
    links: Sequence[WardLink],
    outline: MultiPolygon,
    *,
    converter_path: Path,
) -> CurrentBuild:
    notes: list[str] = []
    communes = units.communes
    key_of = {c.code: (c.province_key, c.key) for c in communes}
    flows = carry_over(legacy.old_units, links, set(key_of.values()), converter_path=converter_path)
    empty = [c.code for c in communes if key_of[c.code] not in flows]
    if empty:
        raise DataError(converter_path, f"2025 communes with no former unit: {empty[:5]}")
    inflow = {c.code: flows[key_of[c.code]] for c in communes}
    population = {code: sum(f.people for f in fl) for code, fl in inflow.items()}
    national = sum(population.values())
    legacy_total = sum(u.population for u in legacy.old_units.values())
    if national != legacy_total:
        raise DataError(converter_path, f"carried {national} people of {legacy_total}")

    cluster_of = {c.code: cluster_for(inflow[c.code]) for c in communes}
    n_without = len(legacy.district_names) - len(set(cluster_of.values()))
    province_of_district = {u.district_code: u.province_code for u in legacy.old_units.values()}

    # former province -> new provinces its people went to (expected: exactly one each)
    destinations: dict[str, set[str]] = defaultdict(set)
    for commune in communes:
        for flow in inflow[commune.code]:
            if flow.people:
                destinations[flow.old.province_code].add(commune.province_code)
    split_provinces = {old: sorted(new) for old, new in destinations.items() if len(new) > 1}
    former_provinces = {
        new: sorted(old for old, news in destinations.items() if new in news)
        for new in sorted({n for news in destinations.values() for n in news})
    }

    target_shares = largest_remainder(
        _rules.target_total(national), [population[c.code] for c in communes]
    )
    targets = dict(zip((c.code for c in communes), target_shares, strict=True))

    # --- points (islands checked against their references) and polygons ---------------------
    placements, island_checks = place_current_islands(communes)
    codes = [c.code for c in communes]
    lonlat = np.array([(placements[c].lon, placements[c].lat) for c in codes], dtype=float)
    raw_cells = voronoi_cells(
        codes, lonlat, outline, outside_radius_km=[_outside_radius_km(c) for c in communes]
    )
    n_outside = int((~shapely.covers(outline, shapely.points(lonlat))).sum())
    notes.append(f"{n_outside} of {len(codes)} points (2025 structure) lie outside the outline")
    cell = dict(zip(codes, raw_cells, strict=True))

    # --- communes -------------------------------------------------------------------------------
    commune_records: list[Record] = []
    commune_cells: list[BaseGeometry] = []
    for commune in communes:
        polygon = snap(cell[commune.code])
        cluster = cluster_of[commune.code]
        urban = commune.type == "Phường"
        former = [f.old for f in inflow[commune.code]]
        has_area = official_area(commune.area_km2)
        polygon_km2 = geodesic_area_km2(polygon)
        commune_records.append(
            {
                "commune_code": commune.code,
                "commune_name": commune.name,
                "commune_type": commune.type,
                "group_code": cluster,
                "cluster_code": cluster,
                "province_code": commune.province_code,
                "province_name": commune.province,
                "lat": placements[commune.code].lat,
                "lon": placements[commune.code].lon,
                "position_method": placements[commune.code].method,
                "area_km2": (
                    commune.area_km2
                    if has_area and commune.area_km2 is not None
                    else round(polygon_km2, 3)
                ),
                "area_estimated": not has_area,
                "area_flag": area_flag(commune.area_km2 if has_area else None, polygon_km2),
                "population": population[commune.code],
                "population_method": (
                    "carried_whole"
                    if all(f.weight == 1 for f in inflow[commune.code])
                    else "carried_divided"
                ),
                "target_people": targets[commune.code],
                "urban": urban,
                "terrain": (
                    "urban" if urban else _rules.province_terrain(province_of_district[cluster])
                ),
                "island": commune.type == "Đặc khu" or all(u.island for u in former),
                "boat_only": all(u.boat_only for u in former),
                "approximate": True,
            }
        )
        commune_cells.append(polygon)
    commune_points = [Point(r["lon"], r["lat"]) for r in commune_records]
    for flag, words in (
        ("official_much_larger", f"{_rules.AREA_FLAG_FACTOR:g} or more times"),
        ("official_much_smaller", f"1/{_rules.AREA_FLAG_FACTOR:g} or less of"),
    ):
        flagged = [
            f"{r['commune_code']} {r['commune_name']} ({r['province_name']}): "
            f"{r['area_km2']:g} vs {geodesic_area_km2(cell):.1f}"
            for r, cell in zip(commune_records, commune_cells, strict=True)
            if r["area_flag"] == flag
        ]
        notes.append(
            f"{len(flagged)} communes (2025) have an official area {words} the area of their "
            f"approximate polygon (`area_flag` '{flag}'; km2 official vs polygon): "
            + "; ".join(flagged)
            + ". area_km2 keeps the official figure"
        )
    missing_area = [r for r in commune_records if r["area_estimated"]]
    notes.append(
        f"{len(missing_area)} communes (2025) have no official area (missing or 0): "
        + ", ".join(f"{r['commune_code']} {r['commune_name']}" for r in missing_area)
        + "; the approximate polygon's area is used"
    )

    # --- clusters -------------------------------------------------------------------------------
    members: dict[str, list[Record]] = defaultdict(list)
    for record in commune_records:
        members[record["cluster_code"]].append(record)
    cluster_records: list[Record] = []
    cluster_label: dict[str, str] = {}  # 'huyện Đồng Văn'
    cluster_geometry: dict[str, BaseGeometry] = {}
    for cluster in sorted(members):
        group = members[cluster]
        provinces = {r["province_code"] for r in group}
        if len(provinces) != 1:
            raise DataError(converter_path, f"cluster {cluster} spans provinces {provinces}")
        kind, short = split_type(legacy.district_names[cluster], DISTRICT_TYPES, "")
        cluster_label[cluster] = f"{kind.lower()} {short}".strip()
        cluster_records.append(
            {
                "group_code": cluster,
                "cluster_code": cluster,
                "cluster_name": f"Cụm {cluster_label[cluster]}",
                "province_code": group[0]["province_code"],
                "population": sum(r["population"] for r in group),
                "target_people": sum(r["target_people"] for r in group),
                "n_communes": len(group),
                "island": all(r["island"] for r in group),
                "boat_only": all(r["boat_only"] for r in group),
                "approximate": True,
            }
        )
        cluster_geometry[cluster] = shapely.union_all([cell[r["commune_code"]] for r in group])

    # --- provinces ------------------------------------------------------------------------------
    province_names = {c.province_code: c.province for c in communes}
    province_records: list[Record] = []
    province_cells: list[BaseGeometry] = []
    for code in sorted(province_names):
        in_province = [r for r in commune_records if r["province_code"] == code]
        clusters = sorted({r["cluster_code"] for r in in_province})
        people = sum(r["population"] for r in in_province)
        mountain_people = sum(
            r["population"]
            for r in in_province
            if _rules.province_terrain(province_of_district[r["cluster_code"]]) == "mountain"
        )
        province_records.append(
            {
                "province_code": code,
                "province_name": province_names[code],
                "province_name_ascii": ascii_fold(province_names[code]),
                "population": people,
                "target_people": sum(r["target_people"] for r in in_province),
                "n_groups": len(clusters),
                "n_communes": len(in_province),
                "terrain": "mountain" if 2 * mountain_people > people else "plain",
                "approximate": True,
            }
        )
        province_cells.append(snap(shapely.union_all([cluster_geometry[c] for c in clusters])))

    # --- post offices ---------------------------------------------------------------------------
    new_code = {key: code for code, key in key_of.items()}
    default_new = {
        link.old_key: new_code[(link.new_province_key, link.new_ward_key)]
        for link in links
        if link.is_default
    }
    key_of_old_commune = {u.commune_code: k for k, u in legacy.old_units.items() if u.commune_code}
    key_of_bare = {u.district_code: k for k, u in legacy.old_units.items() if not u.commune_code}
    commune_by_code = {r["commune_code"]: r for r in commune_records}
    po_records: list[Record] = []
    n_fallback = 0
    for record in cluster_records:
        cluster = record["cluster_code"]
        office = legacy.district_office_commune.get(cluster)
        former_key = key_of_old_commune[office] if office else key_of_bare.get(cluster)
        site = default_new.get(former_key) if former_key else None
        if site is None or cluster_of[site] != cluster:
            n_fallback += 1
            group = members[cluster]
            pool = [r for r in group if r["urban"]] or group
            lon0, lat0 = legacy.district_points[cluster]
            site = nearest_code([(r["commune_code"], r["lon"], r["lat"]) for r in pool], lon0, lat0)
        po_records.append(
            _post_office(
                f"PO-G-{cluster}",
                f"Bưu điện {cluster_label[cluster]}",
                "group",
                commune_by_code[site],
                cluster,
            )
        )
    notes.append(
        f"{n_fallback} of {len(cluster_records)} cluster post offices could not stay in the "
        "commune holding the former district's office and were placed by the fallback rule"
    )
    for record in commune_records:
        short = strip_type(record["commune_name"], record["commune_type"])
        po_records.append(
            _post_office(
                f"PO-C-{record['commune_code']}",
                f"Điểm BĐ-VH {record['commune_type'].lower()} {short}",
                "commune",
                record,
                record["cluster_code"],
            )
        )
    po_points = [Point(r["lon"], r["lat"]) for r in po_records]

    layers = {
        CURRENT_PROVINCES.name: make_frame(CURRENT_PROVINCES, province_records, province_cells),
        CURRENT_CLUSTERS.name: make_frame(
            CURRENT_CLUSTERS,
            cluster_records,
            [snap(cluster_geometry[r["cluster_code"]]) for r in cluster_records],
        ),
        CURRENT_COMMUNES.name: make_frame(CURRENT_COMMUNES, commune_records, commune_cells),
        CURRENT_CENTROIDS.name: make_frame(CURRENT_CENTROIDS, commune_records, commune_points),
        CURRENT_POST_OFFICES.name: make_frame(CURRENT_POST_OFFICES, po_records, po_points),
    }
    return CurrentBuild(
        layers, n_without, former_provinces, split_provinces, tuple(notes), tuple(island_checks)
    )


def place_current_islands(
    communes: Sequence[CurrentCommune],
) -> tuple[dict[str, Placement], list[IslandCheck]]:
    """The 2025 points: the source's, except island units off their reference (or `fixed`)."""
    references = {code: ref for ref in _rules.ISLAND_REFERENCES for code in ref.current}
    placements: dict[str, Placement] = {}
    checks: list[IslandCheck] = []
    for commune in communes:
        placement = Placement(commune.lon, commune.lat, "source")
        ref = references.get(commune.code)
        if ref is not None:
            source_km = plane_km(commune.lon, commune.lat, ref.lon, ref.lat)
            if ref.fixed or source_km > ref.radius_km:
                placement = Placement(ref.lon, ref.lat, "corrected_island")
            checks.append(
                IslandCheck(
                    "2025",
                    commune.code,
                    commune.name,
                    ref.name,
                    source_km,
                    plane_km(placement.lon, placement.lat, ref.lon, ref.lat),
                    ref.radius_km,
                    placement.method,
                )
            )
        placements[commune.code] = placement
    return placements, checks


def cluster_for(inflow: Sequence[Flow]) -> str:
    """The former district holding most of a new commune's former communes.

    A divided former commune counts with its area share; ties go to the district that gave
    more people, then to the lower code.
    """
    weight: dict[str, Fraction] = defaultdict(Fraction)
    people: dict[str, int] = defaultdict(int)
    for flow in inflow:
        weight[flow.old.district_code] += flow.weight
        people[flow.old.district_code] += flow.people
    return min(weight, key=lambda d: (-weight[d], -people[d], d))


def _outside_radius_km(commune: CurrentCommune) -> float:
    """Radius of the disc kept for a point outside the outline: that of its official area."""
    if commune.area_km2 is None or not official_area(commune.area_km2):
        return _rules.LEGACY_OUTSIDE_RADIUS_KM
    radius = math.sqrt(commune.area_km2 / math.pi)
    return min(max(radius, _rules.MIN_OUTSIDE_RADIUS_KM), _rules.MAX_OUTSIDE_RADIUS_KM)


def _post_office(venue_id: str, name: str, kind: str, site: Record, group_code: str) -> Record:
    return {
        "venue_id": venue_id,
        "venue_name": name,
        "kind": kind,
        "commune_code": site["commune_code"],
        "group_code": group_code,
        "province_code": site["province_code"],
        "lat": site["lat"],
        "lon": site["lon"],
        "hall_area_m2": (
            _rules.GROUP_HALL_AREA_M2 if kind == "group" else _rules.COMMUNE_HALL_AREA_M2
        ),
        "position_estimated": True,
    }
