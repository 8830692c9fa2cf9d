"""Match the 2019 census district rows to the districts of the 63-province structure.

The census table (670 rows) has its own ids and names without diacritics; the districts
(696) are those last in force before 1 July 2025, after the mergers, renames and new towns
of 2019-2025. The rule, in order:

1. Provinces are matched by name without diacritics and type word ('TP. Ho Chi Minh' ->
   'Thành phố Hồ Chí Minh', code 79).
2. A census row listed in `RENAMED_OR_MERGED` goes to the districts named there (each entry
   says what happened; every one was checked against the database's commune lists).
3. Otherwise each part of the row's name (parts are joined by '_', words run together in
   CamelCase: 'LamBinh_NaHang_ChiemHoa') is matched to the district of the same province
   with the same name without diacritics, type word and spaces ('y' read as 'i'). When two
   districts share a name (a town and the rural district around it: 'Thị xã Kỳ Anh' and
   'Huyện Kỳ Anh'), a type word in the census name ('Huyen', 'Thi Xa', 'Town', 'City',
   'District') picks one; without it the row covers both.
4. A row that goes to one district is added to it whole ('direct'). A row that covers
   several districts is shared among them. Where the districts' own 2019 figures are
   published (`PUBLISHED_SPLITS`), each district gets its figure ('split_published'), its
   rural people shared in proportion to its figure times its communes' rural share of
   weight, the rest urban. Otherwise ('split') the row's urban population is shared in
   proportion to the districts' summed weights of urban communes (Phường, Thị trấn), its
   rural population in proportion to their summed weights of Xã (of all communes when the
   covered districts have none of that class). The weights are those of the communes'
   populations (README 'Communes of the 63-province structure'); one per commune in the
   rule's first form.
5. Districts that received no census row ('estimated') share the province's remainder (the
   census province total minus what was assigned), urban and rural separately in the same
   proportions as in 4. So every province total equals the census total exactly.

All shares are whole people, by largest remainder.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from planner.errors import DataError
from planner.geo._apportion import largest_remainder
from planner.geo._sources import DistrictCensusRow, ProvinceCensus
from planner.geo._text import ascii_fold, name_key
from planner.messages import msg

Method = Literal["direct", "split", "split_published", "estimated"]

# (province code, census name) -> (district names without type in the database, what happened)
RENAMED_OR_MERGED: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("04", "Thong Nong"): (("Hà Quảng",), "merged into Hà Quảng (2020)"),
    ("04", "Tra Linh"): (("Trùng Khánh",), "merged into Trùng Khánh (2020)"),
    ("04", "Quang Uyen"): (("Quảng Hòa",), "merged with Phục Hòa as Quảng Hòa (2020)"),
    ("04", "Phuc Hoa"): (("Quảng Hòa",), "merged with Quảng Uyên as Quảng Hòa (2020)"),
    ("17", "Ky Son"): (("Hòa Bình",), "merged into Hòa Bình city (2020)"),
    ("22", "Hoanh Bo"): (("Hạ Long",), "merged into Hạ Long city (2020)"),
    ("24", "Yen Dung"): (("Bắc Giang",), "merged into Bắc Giang city (2024)"),
    ("24", "Luc Ngan"): (("Lục Ngạn", "Chũ"), "Chũ town split off Lục Ngạn (2025)"),
    ("36", "My Loc"): (("Nam Định",), "merged into Nam Định city (2025)"),
    ("37", "Ninh Bình"): (("Hoa Lư",), "Ninh Bình city merged with Hoa Lư as Hoa Lư city (2025)"),
    ("38", "Dong Son"): (("Thanh Hóa",), "merged into Thanh Hóa city (2024)"),
    ("38", "Tinh Gia"): (("Nghi Sơn",), "renamed Nghi Sơn town (2020)"),
    ("40", "Cua Lo"): (("Vinh",), "merged into Vinh city (2025)"),
    ("42", "Loc Ha"): (("Thạch Hà",), "merged into Thạch Hà (2025)"),
    ("46", "Hue"): (("Thuận Hóa", "Phú Xuân"), "Huế city split into two urban districts (2025)"),
    ("46", "Nam Dong"): (("Phú Lộc",), "merged into Phú Lộc (2025)"),
    ("49", "Nong Son"): (("Quế Sơn",), "merged into Quế Sơn (2025)"),
    ("51", "Tay Tra"): (("Trà Bồng",), "merged into Trà Bồng (2020)"),
    ("68", "Cat Tien"): (("Đạ Huoai",), "merged with Đạ Tẻh into Đạ Huoai (2025)"),
    ("68", "Da Teh"): (("Đạ Huoai",), "merged with Cát Tiên into Đạ Huoai (2025)"),
    ("74", "TanUyen"): (("Tân Uyên", "Bắc Tân Uyên"), "row covers Tân Uyên and Bắc Tân Uyên"),
    ("77", "LongDien_DatDo"): (("Long Đất",), "Long Điền and Đất Đỏ merged as Long Đất (2025)"),
    ("79", "Quan 2"): (("Thủ Đức",), "merged into Thủ Đức city (2021)"),
    ("79", "Quan 9"): (("Thủ Đức",), "merged into Thủ Đức city (2021)"),
    ("83", "MoCay"): (("Mỏ Cày Nam", "Mỏ Cày Bắc"), "row covers Mỏ Cày Nam and Mỏ Cày Bắc"),
}

# Census rows covering several districts whose districts' own 2019 census figures are
# published: (province code, census row name) -> ({district name without type: people}, source).
# The figures must add up to the row's total.
PUBLISHED_SPLITS: dict[tuple[str, str], tuple[dict[str, int], str]] = {
    ("79", "TanBinh_TanPhu"): (
        {"Tân Bình": 474_792, "Tân Phú": 485_348},
        "Tân Bình 474,792 (2019 census, https://en.wikipedia.org/wiki/Tân_Bình_district); "
        "Tân Phú the row's remainder",
    ),
    ("79", "BinhChanh_BinhTan"): (
        {"Bình Tân": 784_173, "Bình Chánh": 705_508},
        "2019 census: Bình Tân 784,173 (https://en.wikipedia.org/wiki/Bình_Tân_district), "
        "Bình Chánh 705,508 (https://en.wikipedia.org/wiki/Bình_Chánh_district); they add up "
        "to the row's 1,489,681",
    ),
}

# type words a census name may carry, and the district types they point to
_TYPE_PREFIXES = {"huyen ": ("Huyện",), "thi xa ": ("Thị xã", "Thành phố")}
_TYPE_SUFFIXES = {
    " district": ("Huyện",),
    " town": ("Thị xã", "Thành phố"),
    " city": ("Thành phố", "Thị xã"),
}
_PROVINCE_PREFIX = re.compile(r"^(tp\.?|thanh pho|tinh)\s+")


@dataclass(frozen=True)
class DistrictUnit:
    """What the matcher needs to know of a district of the database."""

    province_code: str
    district_code: str
    short_name: str  # without its type word: 'Kỳ Anh'
    district_type: str
    n_urban_communes: int
    n_rural_communes: int
    urban_weight: float | None = None  # summed weights of its urban communes (None: count)
    rural_weight: float | None = None

    @property
    def n_communes(self) -> int:
        return self.n_urban_communes + self.n_rural_communes

    @property
    def urban_share(self) -> float:
        return float(self.n_urban_communes) if self.urban_weight is None else self.urban_weight

    @property
    def rural_share(self) -> float:
        return float(self.n_rural_communes) if self.rural_weight is None else self.rural_weight


@dataclass(frozen=True)
class DistrictPopulation:
    """A district's 2019 census population and how it was obtained."""

    total: int
    urban: int
    rural: int
    method: Method
    census_names: tuple[str, ...]


@dataclass(frozen=True)
class MatchReport:
    """How the 696 districts got their population (printed by the build, in the README)."""

    n_districts: int
    n_direct: int
    n_direct_via_table: int
    n_split: int
    n_estimated: int
    estimated_districts: tuple[str, ...]
    unmatched_census_rows: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    n_split_published: int = 0


@dataclass(frozen=True)
class CensusMatch:
    populations: dict[str, DistrictPopulation]
    report: MatchReport


def province_key(name: str) -> str:
    """Key of a province name: folded, without 'Tỉnh', 'Thành phố' or 'TP.'."""
    folded = ascii_fold(name).lower().strip()
    return name_key(_PROVINCE_PREFIX.sub("", folded))


def _part_key(part: str) -> tuple[str, tuple[str, ...]]:
    """Key of one part of a census name and the district types its type word allows."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", part)
    folded = ascii_fold(words).lower().strip()
    allowed: tuple[str, ...] = ()
    for prefix, types in _TYPE_PREFIXES.items():
        if folded.startswith(prefix):
            folded, allowed = folded[len(prefix) :], types
    for suffix, types in _TYPE_SUFFIXES.items():
        if folded.endswith(suffix):
            folded, allowed = folded[: -len(suffix)], types
    folded = re.sub(r"^quan (\d+)$", r"\1", folded)  # 'Quan 12' -> '12'
    return name_key(folded), allowed


def _share(total: int, weights: Sequence[float], fallback: Sequence[float]) -> list[int]:
    return largest_remainder(total, weights if sum(weights) > 0 else fallback)


def _published_shares(
    row: DistrictCensusRow,
    targets: Sequence[DistrictUnit],
    figures: dict[str, int],
    census_path: str | Path,
) -> list[tuple[int, int]]:
    """(urban, rural) of each target from its published total (rule step 4)."""
    by_key = {name_key(name): people for name, people in figures.items()}
    totals = [by_key.get(name_key(t.short_name)) for t in targets]
    if any(t is None for t in totals) or len(by_key) != len(targets):
        raise DataError(census_path, msg("census.split_other_districts", name=repr(row.name)))
    known = [int(t or 0) for t in totals]
    if sum(known) != row.total:
        raise DataError(
            census_path,
            msg("census.split_sum", name=repr(row.name), total=sum(known), expected=row.total),
        )
    rural_weights = [
        people * t.rural_share / (t.urban_share + t.rural_share)
        if t.urban_share + t.rural_share > 0
        else 0.0
        for people, t in zip(known, targets, strict=True)
    ]
    rural = largest_remainder(row.rural, rural_weights if sum(rural_weights) > 0 else known)
    shares = [(people - r, r) for people, r in zip(known, rural, strict=True)]
    if any(u < 0 for u, _ in shares):
        raise DataError(census_path, msg("census.split_rural_exceeds", name=repr(row.name)))
    return shares


def match_census(
    districts: Sequence[DistrictUnit],
    census_rows: Sequence[DistrictCensusRow],
    provinces: Sequence[ProvinceCensus],
    *,
    census_path: str | Path = "district_population_2019.csv",
    use_published: bool = True,
) -> CensusMatch:
    """Give every district a 2019 census population (see the module docstring for the rule).

    `use_published` False ignores `PUBLISHED_SPLITS` (for the README's comparison)."""
    province_by_key = {province_key(p.name): p for p in provinces}
    by_province: dict[str, list[DistrictUnit]] = defaultdict(list)
    for unit in sorted(districts, key=lambda u: u.district_code):
        by_province[unit.province_code].append(unit)
    by_key: dict[tuple[str, str], list[DistrictUnit]] = defaultdict(list)
    for unit in districts:
        by_key[(unit.province_code, name_key(unit.short_name))].append(unit)

    # contributions[district] = list of (urban, rural, how: '' whole, 'split', 'split_published',
    # census name)
    contributions: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    via_table: set[str] = set()
    unmatched: list[str] = []
    notes: list[str] = []
    census_total: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    for row in census_rows:
        province = province_by_key.get(province_key(row.province))
        if province is None:
            raise DataError(
                census_path,
                msg("census.unknown_province", province=repr(row.province)),
                row=row.line,
            )
        code = province.code
        census_total[code][0] += row.urban
        census_total[code][1] += row.rural
        targets = _targets(row, code, by_key, census_path)
        if (code, row.name) in RENAMED_OR_MERGED:
            via_table.update(t.district_code for t in targets)
        if not targets:
            unmatched.append(f"{row.province}: {row.name}")
            continue
        if len(targets) != len(row.area_ids):
            notes.append(
                f"{row.province}: census row {row.name!r} ({len(row.area_ids)} ids) covers "
                f"{len(targets)} district(s)"
            )
        if len(targets) == 1:
            contributions[targets[0].district_code].append((row.urban, row.rural, "", row.name))
            continue
        published = PUBLISHED_SPLITS.get((code, row.name)) if use_published else None
        if published is not None:
            shares = _published_shares(row, targets, published[0], census_path)
            for target, (u, r) in zip(targets, shares, strict=True):
                contributions[target.district_code].append((u, r, "split_published", row.name))
            continue
        all_weights = [t.urban_share + t.rural_share for t in targets]
        urban = _share(row.urban, [t.urban_share for t in targets], all_weights)
        rural = _share(row.rural, [t.rural_share for t in targets], all_weights)
        for target, u, r in zip(targets, urban, rural, strict=True):
            contributions[target.district_code].append((u, r, "split", row.name))

    populations: dict[str, DistrictPopulation] = {}
    for province in sorted(provinces, key=lambda p: p.code):
        units = by_province.get(province.code, [])
        urban_total, rural_total = census_total[province.code]
        if urban_total + rural_total != province.population:
            raise DataError(
                census_path,
                msg(
                    "census.province_sum",
                    province=province.code,
                    total=urban_total + rural_total,
                    expected=province.population,
                ),
            )
        for unit in units:
            parts = contributions.get(unit.district_code)
            if parts:
                u = sum(p[0] for p in parts)
                r = sum(p[1] for p in parts)
                hows = {p[2] for p in parts}
                method: Method = (
                    "split" if "split" in hows
                    else "split_published" if "split_published" in hows
                    else "direct"
                )  # fmt: skip
                names = tuple(sorted({p[3] for p in parts}))
                populations[unit.district_code] = DistrictPopulation(u + r, u, r, method, names)
        assigned = [populations[u.district_code] for u in units if u.district_code in populations]
        rest = [u for u in units if u.district_code not in populations]
        urban_left = urban_total - sum(p.urban for p in assigned)
        rural_left = rural_total - sum(p.rural for p in assigned)
        if urban_left < 0 or rural_left < 0:
            raise DataError(census_path, msg("census.over_assigned", province=province.code))
        if not rest:
            if urban_left or rural_left:
                raise DataError(
                    census_path,
                    msg(
                        "census.nowhere_to_go",
                        province=province.code,
                        people=urban_left + rural_left,
                    ),
                )
            continue
        all_weights = [max(u.urban_share + u.rural_share, 1.0) for u in rest]
        urban = _share(urban_left, [u.urban_share for u in rest], all_weights)
        rural = _share(rural_left, [u.rural_share for u in rest], all_weights)
        for unit, u, r in zip(rest, urban, rural, strict=True):
            populations[unit.district_code] = DistrictPopulation(u + r, u, r, "estimated", ())

    missing = [u.district_code for u in districts if u.district_code not in populations]
    if missing:
        raise DataError(census_path, msg("census.districts_without_rows", codes=", ".join(missing)))

    methods = [populations[u.district_code].method for u in districts]
    report = MatchReport(
        n_districts=len(districts),
        n_direct=methods.count("direct"),
        n_direct_via_table=sum(
            1
            for u in districts
            if u.district_code in via_table and populations[u.district_code].method == "direct"
        ),
        n_split=methods.count("split"),
        n_estimated=methods.count("estimated"),
        n_split_published=methods.count("split_published"),
        estimated_districts=tuple(
            f"{u.district_code} {u.district_type} {u.short_name}"
            for u in sorted(districts, key=lambda u: u.district_code)
            if populations[u.district_code].method == "estimated"
        ),
        unmatched_census_rows=tuple(unmatched),
        notes=tuple(notes),
    )
    return CensusMatch(populations, report)


def _targets(
    row: DistrictCensusRow,
    province_code: str,
    by_key: dict[tuple[str, str], list[DistrictUnit]],
    census_path: str | Path,
) -> list[DistrictUnit]:
    """The districts a census row covers, sorted by code (rule steps 2 and 3)."""
    entry = RENAMED_OR_MERGED.get((province_code, row.name))
    if entry is not None:
        found: list[DistrictUnit] = []
        for name in entry[0]:
            units = by_key.get((province_code, name_key(name)), [])
            if len(units) != 1:
                raise DataError(
                    census_path,
                    msg(
                        "census.renamed_not_one",
                        name=repr(name),
                        count=len(units),
                        province=province_code,
                    ),
                    row=row.line,
                )
            found.extend(units)
        return sorted(set(found), key=lambda u: u.district_code)
    hits: set[DistrictUnit] = set()
    for part in row.name.split("_"):
        key, allowed = _part_key(part)
        candidates = by_key.get((province_code, key), [])
        if allowed and len(candidates) > 1:
            narrowed = [c for c in candidates if c.district_type in allowed]
            candidates = narrowed[:1] if narrowed else candidates
        hits.update(candidates)
    return sorted(hits, key=lambda u: u.district_code)
