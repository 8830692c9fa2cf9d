"""Commune points: find the source's placeholder points and re-place them.

The database's commune points are geocodes. Where the geocoder did not find a commune it
returned another place: the district (the point is the district's own point, the box the
district's box, the address 'Hà Quảng District, ...'), or another commune of the same name
(Xã Phạm Hồng Thái of Khoái Châu on Xã Hồng Thái of Phú Xuyên). Such a point is a
placeholder. The rule, in order:

1. Island units with a cited reference (`_rules.ISLAND_REFERENCES`) are checked against it;
   a unit off its island, or whose reference is `fixed` (Trường Sa), is placed on it
   ('corrected_island'; or '2025_ward' when the 2025 unit holds only that commune and its
   point is on the island).
2. A commune is a placeholder when it shares its point with another commune and is not the
   one commune of the group whose geocoded address names it (the keeper), or when its point
   is a district's point and neither its address names it nor is its box its own, or when
   its box is a district's box and its address does not name it.
3. A placeholder is re-placed from the best evidence: the 2025 commune's point when the 2025
   commune was made of this commune alone ('2025_ward'); the centre of its own geocoded box
   when the box is its own (its address names it, no district or other commune has the same
   box, and the centre is clear of every other point; 'bbox_centre'); otherwise a point
   inside the approximate area of the 2025 commune it went into, intersected with the
   approximate area of its district, as far as possible from the other communes' points and
   from the area's edge ('spread_in_2025_commune'; the district's area alone when the two
   do not overlap: 'spread_in_district'). The approximate areas are Voronoi cells: of the
   2025 communes' points (all distinct in the source), and of the kept 2020 points.

Placeholders are placed one at a time, by district, 2025 commune and code, so the result
does not depend on anything but the sources.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from planner.geo import _rules
from planner.geo._sources import CurrentCommune, LegacyCommune, LegacyDistrict, WardLink
from planner.geo._text import name_key, strip_type
from planner.geo._voronoi import KM_PER_DEG_LAT, X_SCALE

MIN_CLEARANCE_KM = 0.5  # a box centre closer than this to another point is not used
N_CANDIDATES = 400  # grid points tried inside a spread area
_COMMUNE_PREFIXES = ("thị trấn ", "tt. ", "tt ", "phường ", "p. ", "xã ", "x. ")
_PREFIX_TYPE = {
    "thị trấn ": "Thị trấn",
    "tt. ": "Thị trấn",
    "tt ": "Thị trấn",
    "phường ": "Phường",
    "p. ": "Phường",
    "xã ": "Xã",
    "x. ": "Xã",
}
_DISTRICT_WORDS = ("huyện ", "quận ", "thị xã ", "tx. ", "thành phố ", "tp. ", "tp ")
_DISTRICT_SUFFIXES = (" district", " town", " city")


@dataclass(frozen=True)
class Placement:
    lon: float
    lat: float
    method: str


@dataclass(frozen=True)
class IslandCheck:
    """One island unit's point against its reference (README 'Islands')."""

    structure: str  # '2020' or '2025'
    code: str  # commune code, or 'D' + district code
    name: str
    island: str
    source_km: float  # distance of the source point from the reference point
    final_km: float
    radius_km: float
    method: str


@dataclass(frozen=True)
class PositionReport:
    """What the position rule found and did (printed in the README)."""

    n_communes: int
    shared_before: int  # communes sharing their point with another commune
    shared_points_before: int
    shared_before_people: int = 0  # filled in by the legacy build
    on_district_point_before: int = 0
    placeholders: dict[str, int] = field(default_factory=dict)  # reason -> communes
    methods: dict[str, int] = field(default_factory=dict)  # position_method -> communes
    shared_after: int = 0
    on_district_point_after: int = 0
    islands: tuple[IslandCheck, ...] = ()


def plane_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance in km, equirectangular at the mean latitude (good to 0.5 % over 100 km)."""
    scale = math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lon1 - lon2) * scale, lat1 - lat2) * KM_PER_DEG_LAT


def _address_parts(address: str | None) -> list[str]:
    return [part.strip() for part in (address or "").split(",") if part.strip()]


def address_score(commune: LegacyCommune) -> int:
    """How well the geocoded address names the commune: 0 (not at all) to 6.

    4 for the first part of the address being the commune's name (2 if only without
    diacritics), +1 when another part names its district, +1 when the first part's type word
    ('tt.', 'xã', 'phường') is the commune's type. A first part that names a district
    ('Giao Thủy District') does not name the commune.
    """
    parts = _address_parts(commune.geo_address)
    if not parts:
        return 0
    first = parts[0].lower()
    prefix_type: str | None = None
    for prefix in _COMMUNE_PREFIXES:
        if first.startswith(prefix):
            first, prefix_type = first[len(prefix) :].strip(), _PREFIX_TYPE[prefix]
            break
    short = strip_type(commune.name, commune.type).lower()
    if first == short:
        score = 4
    elif name_key(first) == name_key(short):
        score = 2
    else:
        return 0
    district = name_key(strip_type(commune.district.name, commune.district.type))
    if any(_district_key(part) == district for part in parts[1:]):
        score += 1
    if prefix_type == commune.type:
        score += 1
    return score


def _district_key(part: str) -> str:
    text = part.lower().strip()
    for word in _DISTRICT_WORDS:
        if text.startswith(word):
            text = text[len(word) :]
            break
    for suffix in _DISTRICT_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return name_key(text)


def find_placeholders(
    communes: Sequence[LegacyCommune], districts: Sequence[LegacyDistrict]
) -> dict[str, str]:
    """Communes whose source point is a placeholder, with the reason (module docstring, 2)."""
    district_points = {(d.lon, d.lat) for d in districts}
    district_boxes = {d.bounds for d in districts if d.bounds}
    box_count = Counter(c.bounds for c in communes if c.bounds)
    groups: dict[tuple[float, float], list[LegacyCommune]] = defaultdict(list)
    for commune in communes:
        groups[(commune.lon, commune.lat)].append(commune)
    reasons: dict[str, str] = {}
    for point, members in groups.items():
        on_district = point in district_points
        if len(members) > 1:
            scores = {c.code: address_score(c) for c in members}
            best = max(scores.values())
            keepers = [code for code, s in scores.items() if s == best]
            keeper = keepers[0] if best >= 2 and len(keepers) == 1 else None
            for commune in members:
                if commune.code != keeper:
                    reasons[commune.code] = (
                        "shares a district's point" if on_district else "shares a point"
                    )
            continue
        commune = members[0]
        own_box = bool(commune.bounds) and commune.bounds not in district_boxes
        own_box = own_box and box_count[commune.bounds or ""] == 1
        if on_district and not (own_box and address_score(commune) >= 2):
            reasons[commune.code] = "on a district's point"
        elif commune.bounds in district_boxes and address_score(commune) < 2:
            reasons[commune.code] = "geocoded to a district"
    return reasons


def _box_centre(text: str | None) -> tuple[float, float, float, float] | None:
    """'lat1,lon1 – lat2,lon2' -> (min lon, min lat, max lon, max lat), or None."""
    if not text:
        return None
    try:
        corners = [c.strip().split(",") for c in text.replace("–", "|").split("|")]
        (lat1, lon1), (lat2, lon2) = ((float(a), float(b)) for a, b in corners)
    except ValueError:
        return None
    return min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2)


def _to_plane(lonlat: np.ndarray) -> np.ndarray:
    return lonlat * np.array([X_SCALE, 1.0])


def _cells(
    points: np.ndarray, wanted: Iterable[int], outline: BaseGeometry
) -> dict[int, BaseGeometry]:
    """Voronoi cells (lon/lat) of the points with index in `wanted`, clipped to the outline.

    A cell of a point outside the outline keeps a disc of 1.5 km (small islands)."""
    wanted = sorted(set(wanted))
    if not wanted:
        return {}
    plane = _to_plane(points)
    lo, hi = plane.min(axis=0) - 5.0, plane.max(axis=0) + 5.0
    frame = shapely.box(lo[0], lo[1], hi[0], hi[1])
    seeds: np.ndarray = np.asarray(shapely.points(plane))
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=frame, ordered=True)
    )
    outline_plane = shapely.transform(outline, lambda xy: xy * np.array([X_SCALE, 1.0]))
    shapely.prepare(outline_plane)
    result: dict[int, BaseGeometry] = {}
    for i in wanted:
        cell = cells[i]
        near = shapely.clip_by_rect(outline_plane, *cell.bounds)  # cheaper than the whole
        clipped = shapely.intersection(cell, near)
        disc = shapely.Point(plane[i]).buffer(_rules.LEGACY_OUTSIDE_RADIUS_KM / KM_PER_DEG_LAT)
        if not outline_plane.covers(shapely.Point(plane[i])):
            clipped = shapely.union(clipped, shapely.intersection(cell, disc))
        result[i] = clipped
    return result


def _candidates(region: BaseGeometry) -> np.ndarray:
    """A regular grid of about N_CANDIDATES points inside `region` (plane coordinates)."""
    if region.is_empty or region.area <= 0:
        return np.empty((0, 2))
    minx, miny, maxx, maxy = region.bounds
    step = math.sqrt(region.area / N_CANDIDATES)
    for _ in range(4):
        xs = np.arange(minx + step / 2, maxx, step)
        ys = np.arange(miny + step / 2, maxy, step)
        gx, gy = np.meshgrid(xs, ys)
        flat_x, flat_y = gx.ravel(), gy.ravel()
        inside = shapely.contains_xy(region, flat_x, flat_y)
        if inside.sum() >= 20:
            return np.column_stack([flat_x[inside], flat_y[inside]])
        step /= 2
    point = region.representative_point()
    return np.array([[point.x, point.y]])


def _farthest(region: BaseGeometry, occupied: np.ndarray) -> tuple[float, float]:
    """The grid point of `region` farthest from `occupied` points and from the region's edge.

    Plane coordinates in and out; ties go to the first grid point (south-west first)."""
    candidates = _candidates(region)
    edge = shapely.distance(region.boundary, shapely.points(candidates))
    if len(occupied):
        minx, miny, maxx, maxy = region.bounds
        margin = max(maxx - minx, maxy - miny)
        near = occupied[
            (occupied[:, 0] > minx - margin)
            & (occupied[:, 0] < maxx + margin)
            & (occupied[:, 1] > miny - margin)
            & (occupied[:, 1] < maxy + margin)
        ]
    else:
        near = occupied
    if len(near):
        gaps = np.sqrt(((candidates[:, None, :] - near[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        score = np.minimum(edge, gaps)
    else:
        score = edge
    best = int(np.argmax(np.round(score, 9)))
    return float(candidates[best, 0]), float(candidates[best, 1])


def _rounded(lon: float, lat: float) -> tuple[float, float]:
    return round(lon, 6), round(lat, 6)


def place_legacy_communes(
    communes: Sequence[LegacyCommune],
    districts: Sequence[LegacyDistrict],
    current: Sequence[CurrentCommune],
    links: Sequence[WardLink],
    outline: MultiPolygon,
) -> tuple[dict[str, Placement], PositionReport, dict[str, str]]:
    """Final points of the 2020 communes (module docstring), the report, the placeholders."""
    old_key = {c.code: f"{c.district.province_key}_{c.district.key}_{c.key}" for c in communes}
    by_old: dict[str, list[WardLink]] = defaultdict(list)
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for link in links:
        by_old[link.old_key].append(link)
        members[(link.new_province_key, link.new_ward_key)].append(link.old_key)
    new_index = {(c.province_key, c.key): i for i, c in enumerate(current)}

    def main_target(code: str) -> int | None:
        targets = by_old.get(old_key[code], [])
        chosen = [t for t in targets if t.is_default] or targets
        if not chosen:
            return None
        return new_index.get((chosen[0].new_province_key, chosen[0].new_ward_key))

    def sole_target(code: str) -> int | None:
        targets = by_old.get(old_key[code], [])
        if len(targets) != 1:
            return None
        key = (targets[0].new_province_key, targets[0].new_ward_key)
        return new_index.get(key) if members[key] == [old_key[code]] else None

    # --- before -------------------------------------------------------------------------------
    count = Counter((c.lon, c.lat) for c in communes)
    shared = [c for c in communes if count[(c.lon, c.lat)] > 1]
    district_points = {(d.lon, d.lat) for d in districts}

    placements: dict[str, Placement] = {}
    checks: list[IslandCheck] = []
    island_of = {code: ref for ref in _rules.ISLAND_REFERENCES for code in ref.legacy}
    by_code = {c.code: c for c in communes}

    # --- 1. islands -----------------------------------------------------------------------------
    for code in sorted(set(island_of) & set(by_code)):
        commune, ref = by_code[code], island_of[code]
        source_km = plane_km(commune.lon, commune.lat, ref.lon, ref.lat)
        if ref.fixed:
            placement = Placement(ref.lon, ref.lat, "corrected_island")
        elif source_km <= ref.radius_km:
            placement = Placement(commune.lon, commune.lat, "source")
        else:
            sole = sole_target(code)
            near = sole is not None and (
                plane_km(current[sole].lon, current[sole].lat, ref.lon, ref.lat) <= ref.radius_km
            )
            if sole is not None and near:
                placement = Placement(current[sole].lon, current[sole].lat, "2025_ward")
            else:
                placement = Placement(ref.lon, ref.lat, "corrected_island")
        placements[code] = placement
        checks.append(
            IslandCheck(
                "2020",
                code,
                commune.name,
                ref.name,
                source_km,
                plane_km(placement.lon, placement.lat, ref.lon, ref.lat),
                ref.radius_km,
                placement.method,
            )
        )

    # --- 2. placeholders ----------------------------------------------------------------------
    reasons = {
        code: why
        for code, why in find_placeholders(communes, districts).items()
        if code not in placements
    }
    for commune in communes:
        if commune.code not in reasons and commune.code not in placements:
            placements[commune.code] = Placement(commune.lon, commune.lat, "source")

    # --- 3a. the 2025 commune made of this one alone ------------------------------------------
    waiting: list[str] = []
    for code in sorted(reasons):
        sole = sole_target(code)
        if sole is not None:
            placements[code] = Placement(current[sole].lon, current[sole].lat, "2025_ward")
        else:
            waiting.append(code)

    # --- 3b. the commune's own geocoded box -----------------------------------------------------
    district_boxes = {d.bounds for d in districts if d.bounds}
    box_count = Counter(c.bounds for c in communes if c.bounds)
    taken = np.array([(p.lon, p.lat) for p in placements.values()], dtype=float)
    still: list[str] = []
    for code in waiting:
        commune = by_code[code]
        box = _box_centre(commune.bounds)
        usable = (
            box is not None
            and address_score(commune) >= 2
            and commune.bounds not in district_boxes
            and box_count[commune.bounds or ""] == 1
        )
        if box is not None and usable:
            lon, lat = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            gaps = _gaps_km(taken, lon, lat)
            if gaps >= MIN_CLEARANCE_KM:
                placements[code] = Placement(lon, lat, "bbox_centre")
                taken = np.vstack([taken, [lon, lat]])
                continue
        still.append(code)

    # --- 3c. spread inside the 2025 commune's and the district's approximate areas ------------
    if still:
        _spread(still, by_code, placements, current, outline, main_target)

    placements = {
        code: Placement(*_rounded(p.lon, p.lat), p.method) for code, p in placements.items()
    }
    final_count = Counter((p.lon, p.lat) for p in placements.values())
    shared_after = sum(final_count[(p.lon, p.lat)] > 1 for p in placements.values())
    report = PositionReport(
        n_communes=len(communes),
        placeholders=dict(sorted(Counter(reasons.values()).items())),
        methods=dict(sorted(Counter(p.method for p in placements.values()).items())),
        shared_after=shared_after,
        on_district_point_after=sum((p.lon, p.lat) in district_points for p in placements.values()),
        islands=tuple(checks),
        shared_before=len(shared),
        shared_points_before=len({(c.lon, c.lat) for c in shared}),
        on_district_point_before=sum((c.lon, c.lat) in district_points for c in communes),
    )
    return placements, report, reasons


def _gaps_km(points: np.ndarray, lon: float, lat: float) -> float:
    if not len(points):
        return math.inf
    scale = math.cos(math.radians(lat))
    d = np.hypot((points[:, 0] - lon) * scale, points[:, 1] - lat) * KM_PER_DEG_LAT
    return float(d.min())


def _spread(
    codes: Sequence[str],
    by_code: dict[str, LegacyCommune],
    placements: dict[str, Placement],
    current: Sequence[CurrentCommune],
    outline: MultiPolygon,
    main_target: Callable[[str], int | None],
) -> None:
    """Place `codes` by the spread rule (module docstring, 3), in place."""
    kept = sorted(placements)  # every commune placed so far: source, islands, 2025, box
    district_of = {code: by_code[code].district.code for code in by_code}
    # seeds of the 2020 Voronoi: the kept points, and the district point of a district all
    # of whose communes wait
    seeds = [(placements[c].lon, placements[c].lat) for c in kept]
    seed_district = [district_of[c] for c in kept]
    districts_kept = set(seed_district)
    for code in codes:
        district = by_code[code].district
        if district.code not in districts_kept:
            seeds.append((district.lon, district.lat))
            seed_district.append(district.code)
            districts_kept.add(district.code)
    seed_array = np.array(seeds, dtype=float)
    wanted_districts = {district_of[c] for c in codes}
    wanted = [i for i, d in enumerate(seed_district) if d in wanted_districts]
    cells = _cells(seed_array, wanted, outline)
    district_area: dict[str, BaseGeometry] = {}
    for i in wanted:
        d = seed_district[i]
        district_area[d] = (
            shapely.union(district_area[d], cells[i]) if d in district_area else cells[i]
        )

    new_points = np.array([(c.lon, c.lat) for c in current], dtype=float)
    targets = {code: main_target(code) for code in codes}
    new_cells = _cells(new_points, [t for t in targets.values() if t is not None], outline)

    occupied = _to_plane(np.array([(placements[c].lon, placements[c].lat) for c in kept]))
    order = sorted(codes, key=lambda c: (district_of[c], targets[c] or -1, c))
    for code in order:
        region = district_area[district_of[code]]
        method = "spread_in_district"
        target = targets[code]
        if target is not None:
            both = shapely.intersection(region, new_cells[target])
            if not both.is_empty and both.area > 0.01 * min(region.area, new_cells[target].area):
                region, method = both, "spread_in_2025_commune"
        x, y = _farthest(region, occupied)
        occupied = np.vstack([occupied, [x, y]])
        placements[code] = Placement(x / X_SCALE, y, method)
