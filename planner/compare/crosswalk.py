"""From the 63-province structure ("2020") to the 34-province one ("2025"), commune by commune.

data/geo has no old -> new code column, so the mapping is spatial, in two steps:

1. **Provinces.** Each 2020 province goes, whole, to the 2025 province in whose (approximate)
   commune polygons most of its commune centroids lie; ties go to the lower code. Why whole:
   the reform of 1 July 2025 (Resolution 202/2025/QH15) merged whole provinces and did not
   move communes between them, so the only reason a centroid falls across a new provincial
   border is that the polygons are approximate Voronoi cells; the majority absorbs that error.
2. **Communes.** Each 2020 commune goes to the 2025 commune of that province whose polygon
   contains its centroid; when none does (the centroid lies in another province's cell, in
   the sea, or on an islet the cells miss), to the nearest 2025 commune of that province, by
   distance to its polygon in metres (EPSG:32648). The 2025 cluster (the planner's group) is
   that commune's.

So every 2020 commune maps to exactly one 2025 commune, cluster and province, and every figure
summed over communes or provinces keeps its total. Measured on the full data (10,035 2020
communes, 3,321 2025 commune polygons), with `crosswalk_2020_to_2025(load_geodata("2020"),
load_geodata("2025"))`:

- the 63 provinces go to the 34 as the reform merged them (27 Bắc Ninh -> 24 Bắc Ninh,
  49 Quảng Nam -> 48 Đà Nẵng, ...), each with a clear majority of its centroids;
- 9,779 communes (97.5 %) have their centroid in a 2025 commune of their 2025 province;
- 114 (1.1 %) have it in a cell of another 2025 province, along borders, and 142 (1.4 %) in
  no cell (coast, islands); these 256 take the nearest commune of their province, within 5 km
  for all but 8: islands of Quảng Ninh and Kiên Giang (up to 29 km), and Xã Lương Điền
  (09118, Vĩnh Phúc), whose source centroid lies 55 km outside its province;
- 28 of the 3,321 2025 communes receive no 2020 commune (their cells hold no old centroid).

Below the province the mapping is only as good as the cells: a 2020 commune near the edge of
a merged 2025 commune can be counted in its neighbour. Districts cannot be compared at all:
they do not exist in 2025; the 2025 clusters (new communes grouped by the former district
most of their former communes lay in, see data/geo/README.md) take their place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from planner.errors import DataError
from planner.geo.load import METRIC_CRS, WGS84, GeoData
from planner.messages import msg

__all__ = ["Crosswalk", "crosswalk_2020_to_2025"]

OLD, NEW = "2020", "2025"


@dataclass(frozen=True)
class Crosswalk:
    """Where each 2020 commune (and province) lies in the 2025 structure, and how sure that is."""

    province: Mapping[str, str]  # 2020 province code -> 2025 province code
    commune: Mapping[str, str]  # 2020 commune code -> 2025 commune code
    commune_group: Mapping[str, str]  # 2020 commune code -> 2025 cluster (group) code
    province_names: Mapping[str, str]  # 2025 province code -> name
    group_names: Mapping[tuple[str, str], str]  # (2025 province, cluster) -> name
    communes_inside: int  # centroid in a 2025 commune polygon of its 2025 province
    communes_other_province: int  # centroid in a polygon of another 2025 province
    communes_outside: int  # centroid in no polygon
    nearest_max_km: float  # the farthest snap of the last two kinds

    @property
    def communes(self) -> int:
        return len(self.commune)

    def note(self) -> str:
        """The caveat line shown with every comparison that goes through this mapping."""
        merged = ", ".join(
            f"{old}→{new}" for old, new in sorted(self.province.items(), key=lambda kv: kv[0])
        )
        return msg(
            "compare.note.crosswalk",
            merged=merged,
            communes=self.communes,
            inside=self.communes_inside,
            snapped=self.communes_other_province + self.communes_outside,
            other=self.communes_other_province,
            outside=self.communes_outside,
            km=self.nearest_max_km,
        )


def crosswalk_2020_to_2025(old: GeoData, new: GeoData) -> Crosswalk:
    """Map every commune of `old` (2020) to a commune, cluster and province of `new` (2025).

    `new` must hold every 2025 province the loaded 2020 provinces merged into (load it
    whole); see the module docstring for the rule and its measured accuracy.
    """
    if old.structure != OLD or new.structure != NEW:
        raise ValueError(
            f"expected {OLD} and {NEW} geographies, got {old.structure}, {new.structure}"
        )
    if old.communes.empty:
        raise DataError(old.sources[0], "no 2020 communes loaded; cannot map them to 2025")
    centroids = gpd.GeoDataFrame(
        {
            "commune_code": old.communes["commune_code"].astype(str).to_numpy(),
            "old_province": old.communes["province_code"].astype(str).to_numpy(),
        },
        geometry=gpd.points_from_xy(old.communes["lon"], old.communes["lat"]),
        crs=WGS84,
    )
    cells = gpd.GeoDataFrame(
        {
            "new_commune": new.communes["commune_code"].astype(str).to_numpy(),
            "new_province": new.communes["province_code"].astype(str).to_numpy(),
            "new_group": new.communes["group_code"].astype(str).to_numpy(),
        },
        geometry=new.communes.geometry.to_numpy(),
        crs=WGS84,
    )
    containing = _containing_cell(centroids, cells)
    province = _province_by_majority(centroids, containing, cells)
    target = centroids["old_province"].map(province)
    inside = containing["new_province"].to_numpy() == target.to_numpy()
    outside = containing["new_commune"].isna().to_numpy()
    snapped, max_km = _nearest_in_province(
        centroids[~inside], target[~inside], cells, source=new.sources[0]
    )
    new_commune = containing["new_commune"].where(inside, snapped.reindex(centroids.index))
    group_of = dict(zip(cells["new_commune"], cells["new_group"], strict=True))
    codes = centroids["commune_code"].tolist()
    return Crosswalk(
        province=province,
        commune=dict(zip(codes, new_commune.astype(str), strict=True)),
        commune_group={c: group_of[n] for c, n in zip(codes, new_commune.astype(str), strict=True)},
        province_names=dict(
            zip(
                new.provinces["province_code"].astype(str),
                new.provinces["province_name"].astype(str),
                strict=True,
            )
        ),
        group_names=_group_names(new),
        communes_inside=int(inside.sum()),
        communes_other_province=int((~inside & ~outside).sum()),
        communes_outside=int(outside.sum()),
        nearest_max_km=max_km,
    )


def _containing_cell(centroids: gpd.GeoDataFrame, cells: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each centroid, the 2025 cell that contains it (NaN columns when none does).

    A centroid exactly on a shared edge is within no cell and counts as outside; one in two
    overlapping cells (there are none in data/geo) keeps the lower commune code.
    """
    joined = gpd.sjoin(centroids, cells, how="left", predicate="within")
    joined = joined.sort_values("new_commune", kind="stable")
    joined = joined[~joined.index.duplicated(keep="first")].reindex(centroids.index)
    return pd.DataFrame(joined[["new_commune", "new_province"]])


def _province_by_majority(
    centroids: gpd.GeoDataFrame, containing: pd.DataFrame, cells: gpd.GeoDataFrame
) -> dict[str, str]:
    """2020 province -> the 2025 province holding most of its commune centroids.

    Centroids in no cell vote for the province of the nearest cell; ties go to the lower code.
    """
    votes = containing["new_province"].copy()
    lost = votes.isna()
    if lost.any():
        nearest = gpd.sjoin_nearest(
            centroids[lost].to_crs(METRIC_CRS), cells.to_crs(METRIC_CRS), how="left"
        )
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        votes[lost] = nearest["new_province"].reindex(votes[lost].index)
    tally: dict[str, Counter[str]] = {}
    for old, new in zip(centroids["old_province"], votes, strict=True):
        tally.setdefault(str(old), Counter())[str(new)] += 1
    return {
        old: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for old, counts in sorted(tally.items())
    }


def _nearest_in_province(
    points: gpd.GeoDataFrame, province: pd.Series, cells: gpd.GeoDataFrame, *, source: str
) -> tuple[pd.Series, float]:
    """For each point, the nearest 2025 commune of its given 2025 province; the largest km."""
    found = pd.Series(index=points.index, dtype=object)
    max_km = 0.0
    metric_cells = cells.to_crs(METRIC_CRS)
    for code in sorted(set(province)):
        chosen = points[(province == code).to_numpy()].to_crs(METRIC_CRS)
        candidates = metric_cells[metric_cells["new_province"] == code]
        if candidates.empty:
            raise DataError(source, msg("compare.error.province_no_communes", code=code))
        nearest = gpd.sjoin_nearest(
            chosen[["geometry"]], candidates, how="left", distance_col="metres"
        )
        nearest = nearest.sort_values(["metres", "new_commune"], kind="stable")
        nearest = nearest[~nearest.index.duplicated(keep="first")]
        found[nearest.index] = nearest["new_commune"]
        if len(nearest):
            max_km = max(max_km, float(nearest["metres"].max()) / 1000.0)
    return found, max_km


def _group_names(new: GeoData) -> dict[tuple[str, str], str]:
    groups = new.groups
    column = "cluster_name" if "cluster_name" in groups.columns else "group_code"
    return {
        (str(p), str(g)): str(n)
        for p, g, n in zip(
            groups["province_code"], groups["group_code"], groups[column], strict=True
        )
    }
