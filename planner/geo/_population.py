"""Commune populations of the 63-province structure, below the census district level.

The census gives each district's urban and rural population, not its communes'. The
sources hold three facts about a commune that might bear on its population: its class
(urban: Phường and Thị trấn; rural: Xã), its approximate area (the Voronoi polygon of its
point), and whether it is a small island apart from its district's main land. A commune's
share of its district's class population is in proportion to its weight:

    w = island_factor  for a small-island commune,  w = 1  for the others.

Small-island communes are the outer islands of other districts
(`_rules.OUTER_ISLAND_COMMUNES`) and the communes of the districts made only of small
islands (`_rules.SMALL_ISLAND_DISTRICTS`). island_factor is fitted on the census: the
median, over the districts made only of small islands, of their people per commune divided
by their province's rural people per Xã.

Area is tested and not used. The census cannot test a rule below the district, but it can
test one level up: each district is paired with its nearest district of the same province
and kind (urban district, rural district, city or town; any kind if none), the pair's census
class population is shared between the two by the sum of their communes' weights, and the
result is compared with each district's own census figure. With weights area_km2 ** beta
(beta on a grid from -0.6 to 0.6, per class) the best beta is reported with its error: it
helps a little one level up, but within districts the commune figures of the 2009 census
for 8 districts show no link between area and people (README), so equal shares within the
class stay. beta = 0 and no island factor is the former rule.

Whole people by largest remainder, so every district's (and class's) sum equals its census
figure exactly.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from planner.geo import _rules
from planner.geo._apportion import largest_remainder
from planner.geo._census import CensusMatch
from planner.geo._positions import plane_km
from planner.geo._sources import LegacyCommune, LegacyDistrict

BETA_GRID = tuple(round(-0.6 + 0.05 * k, 2) for k in range(25))
MIN_AREA_KM2 = 0.01


@dataclass(frozen=True)
class FitReport:
    """The island factor, and the neighbour-pair check of the rules (module docstring)."""

    island_factor: float
    island_ratios: tuple[tuple[str, float], ...]  # district code, people per commune ratio
    n_pairs: int
    # (mean, max) absolute % error of the paired districts' census population, by class and
    # total: the former rule, the rule used (island factor), and area weights (not used)
    before: dict[str, tuple[float, float]]
    after: dict[str, tuple[float, float]]
    with_area: dict[str, tuple[float, float]]
    area_beta_urban: float  # the best beta of the area weights (not used)
    area_beta_rural: float


def is_urban(commune: LegacyCommune) -> bool:
    return commune.type in _rules.URBAN_COMMUNE_TYPES


def weight(area_km2: float, beta: float) -> float:
    """A main-land commune's weight (module docstring), rounded to 12 significant digits."""
    return float(f"{max(area_km2, MIN_AREA_KM2) ** beta:.12g}")


def small_island(commune: LegacyCommune) -> bool:
    """Whether the commune is a small island (module docstring)."""
    return (
        commune.code in _rules.OUTER_ISLAND_COMMUNES
        or commune.district.code in _rules.SMALL_ISLAND_DISTRICTS
    )


def typical_areas(
    communes: Iterable[LegacyCommune], areas: Mapping[str, float]
) -> dict[bool, float]:
    """The national median area of the main-land communes of each class (urban: True)."""
    values: dict[bool, list[float]] = {True: [], False: []}
    for commune in communes:
        if not small_island(commune):
            values[is_urban(commune)].append(areas[commune.code])
    return {urban: statistics.median(v) for urban, v in values.items()}


def district_weights(
    members: Sequence[LegacyCommune],
    areas: Mapping[str, float],
    beta_urban: float,
    beta_rural: float,
    factor: float,
    typical: Mapping[bool, float],
) -> dict[str, float]:
    """The weights of one district's communes (module docstring)."""
    result: dict[str, float] = {}
    for urban in (True, False):
        beta = beta_urban if urban else beta_rural
        group = [c for c in members if is_urban(c) == urban]
        land = [c for c in group if not small_island(c)]
        for c in land:
            result[c.code] = weight(areas[c.code], beta)
        if land:
            mean = sum(result[c.code] for c in land) / len(land)
        else:
            mean = weight(typical[urban], beta)
        for c in group:
            if small_island(c):
                result[c.code] = float(f"{factor * mean:.12g}")
    return result


def island_factor(
    by_district: Mapping[str, Sequence[LegacyCommune]],
    districts: Sequence[LegacyDistrict],
    match: CensusMatch,
) -> tuple[float, tuple[tuple[str, float], ...]]:
    """The fitted island factor and the ratio of each small-island district (docstring)."""
    rural_people: dict[str, int] = {}
    rural_communes: dict[str, int] = {}
    for district in districts:
        members = by_district.get(district.code, [])
        n_rural = sum(not is_urban(c) for c in members)
        if n_rural:
            province = district.province_code
            rural_people[province] = (
                rural_people.get(province, 0) + match.populations[district.code].rural
            )
            rural_communes[province] = rural_communes.get(province, 0) + n_rural
    ratios: list[tuple[str, float]] = []
    province_of = {d.code: d.province_code for d in districts}
    for code in sorted(_rules.SMALL_ISLAND_DISTRICTS):
        members = by_district.get(code, [])
        province = province_of[code]
        per_xa = rural_people[province] / rural_communes[province]
        ratio = match.populations[code].total / len(members) / per_xa
        ratios.append((code, round(ratio, 4)))
    return round(statistics.median(r for _, r in ratios), 4), tuple(ratios)


_KIND = {"Quận": "urban district", "Huyện": "rural district", "Thành phố": "city", "Thị xã": "city"}


def neighbour_pairs(districts: Sequence[LegacyDistrict], usable: set[str]) -> list[tuple[str, str]]:
    """Each usable district with its nearest usable district of the same province and kind
    (of any kind if there is none)."""
    pairs: list[tuple[str, str]] = []
    for district in districts:
        if district.code not in usable:
            continue
        others = [
            o for o in districts
            if o.code in usable and o.code != district.code
            and o.province_code == district.province_code
        ]  # fmt: skip
        same = [o for o in others if _KIND.get(o.type) == _KIND.get(district.type)] or others
        if same:
            nearest = min(
                same, key=lambda o: (plane_km(district.lon, district.lat, o.lon, o.lat), o.code)
            )
            pairs.append((district.code, nearest.code))
    return pairs


def _pair_errors(
    pairs: Sequence[tuple[str, str]],
    census: Mapping[tuple[str, str], int],
    class_weights: Mapping[tuple[str, str], float],
    cls: str,
) -> dict[str, float]:
    """Predicted class people of each paired district (its share of the pair's census)."""
    predicted: dict[str, float] = {}
    for d, e in pairs:
        wd, we = class_weights.get((d, cls), 0.0), class_weights.get((e, cls), 0.0)
        if wd + we <= 0:
            continue
        pooled = census[(d, cls)] + census[(e, cls)]
        predicted[d] = pooled * wd / (wd + we)
    return predicted


def _summary(errors: Sequence[float]) -> tuple[float, float]:
    if not errors:
        return (0.0, 0.0)
    return (round(sum(errors) / len(errors), 2), round(max(errors), 1))


def _abs_pct(predicted: float, actual: int) -> float:
    return abs(predicted - actual) / actual * 100


def fit_weights(
    by_district: Mapping[str, Sequence[LegacyCommune]],
    districts: Sequence[LegacyDistrict],
    match: CensusMatch,
    areas: Mapping[str, float],
) -> FitReport:
    """Fit island_factor, and check the rules on the districts matched directly (docstring)."""
    factor, ratios = island_factor(by_district, districts, match)
    usable = {
        d.code
        for d in districts
        if match.populations[d.code].method == "direct" and by_district.get(d.code)
    }
    pairs = neighbour_pairs(districts, usable)
    census = {}
    for code in usable:
        people = match.populations[code]
        census[(code, "urban")], census[(code, "rural")] = people.urban, people.rural

    typical = typical_areas((c for code in usable for c in by_district[code]), areas)
    # per usable district and class: the main-land communes' areas, the small islands' number
    land_areas: dict[tuple[str, str], np.ndarray] = {}
    n_small: dict[tuple[str, str], int] = {}
    for code in sorted(usable):
        for cls in ("urban", "rural"):
            group = [c for c in by_district[code] if is_urban(c) == (cls == "urban")]
            land = [areas[c.code] for c in group if not small_island(c)]
            land_areas[(code, cls)] = np.maximum(np.array(land, dtype=float), MIN_AREA_KM2)
            n_small[(code, cls)] = len(group) - len(land)

    def class_weights(beta: float, cls: str, factor: float) -> dict[tuple[str, str], float]:
        """Summed weights of each usable district's communes of class `cls` (the fit only)."""
        sums: dict[tuple[str, str], float] = {}
        for code in sorted(usable):
            land = land_areas[(code, cls)] ** beta
            if len(land):
                mean = float(land.mean())
            else:
                mean = max(typical[cls == "urban"], MIN_AREA_KM2) ** beta
            sums[(code, cls)] = float(land.sum()) + n_small[(code, cls)] * factor * mean
        return sums

    def errors(predicted: Mapping[str, float], cls: str) -> list[float]:
        return [_abs_pct(p, census[(d, cls)]) for d, p in predicted.items() if census[(d, cls)]]

    best: dict[str, float] = {}
    with_area: dict[str, dict[str, float]] = {}
    for cls in ("urban", "rural"):
        scored = []
        for beta in BETA_GRID:
            predicted = _pair_errors(pairs, census, class_weights(beta, cls, factor), cls)
            found = errors(predicted, cls)
            scored.append((round(sum(found) / len(found), 6), abs(beta), beta, predicted))
        scored.sort(key=lambda s: s[:3])
        best[cls], with_area[cls] = scored[0][2], scored[0][3]

    def predict(beta: float, factor: float) -> dict[str, dict[str, float]]:
        return {
            cls: _pair_errors(pairs, census, class_weights(beta, cls, factor), cls)
            for cls in ("urban", "rural")
        }

    def totals(pred: Mapping[str, Mapping[str, float]]) -> list[float]:
        out = []
        for d, _ in pairs:
            actual = census[(d, "urban")] + census[(d, "rural")]
            guess = pred["urban"].get(d, 0.0) + pred["rural"].get(d, 0.0)
            if actual:
                out.append(_abs_pct(guess, actual))
        return out

    def summary(pred: Mapping[str, Mapping[str, float]]) -> dict[str, tuple[float, float]]:
        result = {cls: _summary(errors(pred[cls], cls)) for cls in ("urban", "rural")}
        result["total"] = _summary(totals(pred))
        return result

    return FitReport(
        island_factor=factor,
        island_ratios=ratios,
        n_pairs=len(pairs),
        before=summary(predict(0.0, 1.0)),
        after=summary(predict(0.0, factor)),
        with_area=summary(with_area),
        area_beta_urban=best["urban"],
        area_beta_rural=best["rural"],
    )


def commune_weights(
    by_district: Mapping[str, Sequence[LegacyCommune]],
    areas: Mapping[str, float],
    fit: FitReport,
) -> dict[str, float]:
    """Every commune's weight: 1, or the island factor for a small island (no area)."""
    typical = typical_areas((c for code in by_district for c in by_district[code]), areas)
    result: dict[str, float] = {}
    for code in sorted(by_district):
        result |= district_weights(by_district[code], areas, 0.0, 0.0, fit.island_factor, typical)
    return result


def commune_populations(
    by_district: Mapping[str, Sequence[LegacyCommune]],
    match: CensusMatch,
    weights: Mapping[str, float],
) -> tuple[dict[str, int], dict[str, str]]:
    """Share each district's census population among its communes; and each one's method.

    By class when the district's communes fit its census urban / rural split: urban people
    among the Phường and Thị trấn, rural people among the Xã, in proportion to the weights.
    They fit when each class that has communes has census people, and an urban commune gets
    on average at least half of a rural one: a lower figure means Xã were made Phường after
    the 2019 census, so the 2019 urban figure covers fewer places than the Phường of today.
    Otherwise the district's total is shared among all its communes by the weights.
    """
    population: dict[str, int] = {}
    methods: dict[str, str] = {}
    for district in sorted(by_district):
        members = sorted(by_district[district], key=lambda c: c.code)
        urban = [is_urban(c) for c in members]
        people = match.populations[district]
        n_urban = sum(urban)
        n_rural = len(members) - n_urban
        fits = (
            (n_urban == 0 or people.urban > 0)
            and (n_rural == 0 or people.rural > 0)
            and (
                n_urban == 0 or n_rural == 0 or 2 * people.urban * n_rural >= people.rural * n_urban
            )
        )
        w = [round(weights[c.code] * 1e9) for c in members]  # whole units: exact and fast
        if len(members) == 1:
            shares, method = [people.total], "whole_district"
        elif fits and not (n_urban and n_rural):  # one class: its share is the total
            shares, method = largest_remainder(people.total, w), "class_share"
        elif fits:
            u = largest_remainder(
                people.urban, [x if f else 0 for x, f in zip(w, urban, strict=True)]
            )
            r = largest_remainder(
                people.rural, [0 if f else x for x, f in zip(w, urban, strict=True)]
            )
            shares, method = [a + b for a, b in zip(u, r, strict=True)], "class_share"
        else:
            shares, method = largest_remainder(people.total, w), "district_share"
        for commune, share in zip(members, shares, strict=True):
            population[commune.code] = share
            methods[commune.code] = method
    return population, methods


def equal_share_count(
    communes: Iterable[tuple[str, str, bool]], population: Mapping[str, int]
) -> int:
    """Communes (code, district code, urban) whose population equals, within one person,
    another's of the same district and class: the communes of an equal share."""
    groups: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for code, district, urban in communes:
        groups[(district, urban)].append(population[code])
    count = 0
    for values in groups.values():
        values.sort()
        for i, v in enumerate(values):
            near = (i > 0 and v - values[i - 1] <= 1) or (
                i + 1 < len(values) and values[i + 1] - v <= 1
            )
            count += bool(near)
    return count
