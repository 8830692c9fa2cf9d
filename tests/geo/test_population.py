"""Populations below the census district (issue 17): the rule on hand-made cases, and the
shipped files against the census."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from planner.errors import DataError
from planner.geo import _census
from planner.geo._census import DistrictPopulation, DistrictUnit, match_census
from planner.geo._population import (
    commune_populations,
    district_weights,
    weight,
)
from planner.geo._schema import CURRENT_FILE, LEGACY_FILE, POPULATION_METHODS
from planner.geo._sources import (
    DistrictCensusRow,
    LegacyCommune,
    LegacyDistrict,
    ProvinceCensus,
    default_facts_dir,
)
from planner.geo._text import name_key

DATA = Path(__file__).resolve().parents[2] / "data" / "geo"


def _read(file_name: str, layer: str) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(DATA / file_name, layer=layer, read_geometry=False)


# --- the shipped files ----------------------------------------------------------------------


@pytest.mark.parametrize("file_name", [LEGACY_FILE, CURRENT_FILE])
@pytest.mark.parametrize("layer", ["communes", "commune_centroids"])
def test_population_method_is_present_with_allowed_values(file_name: str, layer: str) -> None:
    frame = _read(file_name, layer)
    assert "population_method" in frame.columns
    assert set(frame["population_method"]) <= set(POPULATION_METHODS)
    if file_name == LEGACY_FILE:
        assert set(frame["population_method"]) <= {
            "class_share",
            "district_share",
            "whole_district",
        }
    else:
        assert set(frame["population_method"]) == {"carried_whole", "carried_divided"}


def test_district_sums_equal_the_census() -> None:
    """Each district's communes add up to the district, each province's districts to the
    census province total (the census rows are checked in the next test)."""
    facts = default_facts_dir() / "province_population_2019.csv"
    if not facts.is_file():
        pytest.skip(f"census facts not found at {facts}")
    communes = _read(LEGACY_FILE, "communes")
    districts = _read(LEGACY_FILE, "districts").set_index("district_code")
    by_district = communes.groupby("district_code")["population"].sum()
    with_communes = districts[districts["n_communes"] > 0]
    assert (by_district[with_communes.index] == with_communes["population"]).all()
    with facts.open(encoding="utf-8") as handle:
        census = {r["gso_code"]: int(r["population_2019_census"]) for r in csv.DictReader(handle)}
    assert districts.groupby("province_code")["population"].sum().to_dict() == census


def test_census_rows_go_whole_to_their_districts() -> None:
    pytest.importorskip("vietnamadminunits")
    from planner.geo import _sources

    try:
        paths = _sources.locate_sources()
    except DataError as exc:
        pytest.skip(f"build sources not found: {exc}")
    rows = _sources.read_district_census(paths.district_census)
    provinces = _sources.read_province_census(paths.province_census)
    districts = _read(LEGACY_FILE, "districts")
    communes = _read(LEGACY_FILE, "communes")
    urban = communes.groupby("district_code")["urban"].sum()
    total = communes.groupby("district_code")["urban"].count()
    units = [
        DistrictUnit(
            r.province_code,
            r.district_code,
            _short(r.district_name, r.district_type),
            r.district_type,
            int(urban.get(r.district_code, 0)),
            int(total.get(r.district_code, 0) - urban.get(r.district_code, 0)),
        )
        for r in districts.itertuples()
    ]
    match = match_census(units, rows, provinces)
    people = districts.set_index("district_code")["population"]
    # rows -> districts: the people of each group of census rows are in its districts
    province_of = districts.set_index("district_code")["province_code"]
    code_of = {_census.province_key(p.name): p.code for p in provinces}
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for code, p in match.populations.items():
        groups[(province_of[code], p.census_names)].append(code)
    row_total: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        row_total[(code_of[_census.province_key(row.province)], row.name)] += row.total
    checked = 0
    for (province, names), codes in groups.items():
        if not names:
            continue  # the province remainder: Hoàng Sa, Trường Sa (0 people)
        covered = {n for c in codes for n in match.populations[c].census_names}
        if covered != set(names):
            continue  # overlapping groups are checked through the province totals
        expected = sum(row_total[(province, n)] for n in names)
        assert int(people[codes].sum()) == expected, names
        checked += 1
    assert checked > 600
    direct = [c for c, p in match.populations.items() if p.method == "direct"]
    assert all(int(people[c]) == match.populations[c].total for c in direct)
    assert sum(int(v) for v in people) == sum(p.population for p in provinces)


def _short(name: str, kind: str) -> str:
    return name[len(kind) + 1 :] if name.lower().startswith(kind.lower() + " ") else name


def test_the_published_splits_are_in_the_file() -> None:
    districts = _read(LEGACY_FILE, "districts")
    keys = districts["district_name"].map(name_key)
    for (province, _), (figures, _) in _census.PUBLISHED_SPLITS.items():
        for name, people in figures.items():
            mine = (districts["province_code"] == province) & keys.str.endswith(name_key(name))
            row = districts[mine]
            assert len(row) == 1, name
            assert int(row["population"].iloc[0]) == people
            assert row["population_method"].iloc[0] == "split_published"


def test_mainland_communes_share_their_class_equally() -> None:
    """The rule (README 'Population'): equal shares of the district's class population for
    the main land, the island factor for small islands; area is tested and not used."""
    from planner.geo import _rules

    communes = _read(LEGACY_FILE, "communes")
    communes = communes[communes["population_method"] == "class_share"]
    small = communes["commune_code"].isin(list(_rules.OUTER_ISLAND_COMMUNES)) | communes[
        "district_code"
    ].isin(list(_rules.SMALL_ISLAND_DISTRICTS))
    spread = communes[~small].groupby(["district_code", "urban"])["population"].agg(["min", "max"])
    assert (spread["max"] - spread["min"] <= 1).all()


def test_small_islands_are_not_given_a_mainland_share() -> None:
    communes = _read(LEGACY_FILE, "communes").set_index("commune_code")
    tho_chau = communes.loc["31105"]  # 100 km off Phú Quốc; the former rule gave it 10,023
    others = communes[
        (communes["district_code"] == tho_chau["district_code"]) & ~communes["urban"]
    ].drop(index="31105")
    assert tho_chau["population"] < 0.6 * others["population"].mean()


# --- the rule on hand-made cases ------------------------------------------------------------


def _district(code: str) -> LegacyDistrict:
    return LegacyDistrict("01", "P", "p", code, "Huyện X", "Huyện", code, 21.0, 105.0, None)


def _commune(district: LegacyDistrict, code: str, kind: str = "Xã") -> LegacyCommune:
    return LegacyCommune(district, code, f"{kind} {code}", kind, code, 21.0, 105.0)


def _match(people: dict[str, tuple[int, int]]) -> _census.CensusMatch:
    report = _census.MatchReport(len(people), len(people), 0, 0, 0, (), ())
    return _census.CensusMatch(
        {
            code: DistrictPopulation(u + r, u, r, "direct", ("x",))
            for code, (u, r) in people.items()
        },
        report,
    )


def test_shares_follow_the_weights_and_add_up_exactly() -> None:
    district = _district("001")
    members = [
        _commune(district, "00001", "Phường"),
        _commune(district, "00002", "Phường"),
        _commune(district, "00003"),
        _commune(district, "00004"),
        _commune(district, "00005"),
    ]
    areas = {"00001": 1.0, "00002": 4.0, "00003": 10.0, "00004": 40.0, "00005": 40.0}
    weights = district_weights(members, areas, -0.5, -0.25, 0.4, {True: 2.0, False: 20.0})
    assert weights["00001"] == pytest.approx(2 * weights["00002"])
    assert weights["00003"] > weights["00004"] == weights["00005"]
    population, methods = commune_populations(
        {"001": members}, _match({"001": (3000, 7001)}), weights
    )
    assert population["00001"] + population["00002"] == 3000
    assert population["00003"] + population["00004"] + population["00005"] == 7001
    assert population["00001"] == 2000 and population["00002"] == 1000
    assert set(methods.values()) == {"class_share"}


def test_an_outer_island_gets_the_island_factor_of_the_mean_weight() -> None:
    district = _district("911")
    tho_chau = _commune(district, "31105")  # in OUTER_ISLAND_COMMUNES
    land = [_commune(district, "31084"), _commune(district, "31087")]
    areas = {"31105": 7.0, "31084": 50.0, "31087": 100.0}
    weights = district_weights([tho_chau, *land], areas, 0.0, -0.2, 0.4, {True: 2.0, False: 20.0})
    mean = (weight(50.0, -0.2) + weight(100.0, -0.2)) / 2
    assert weights["31105"] == pytest.approx(0.4 * mean)


def test_a_class_split_that_does_not_fit_shares_the_total() -> None:
    district = _district("002")
    members = [_commune(district, "00010", "Phường"), _commune(district, "00011")]
    equal = {"00010": 1.0, "00011": 1.0}
    # 100 urban people for one Phường, 9,900 rural for one Xã: Xã became Phường after 2019
    population, methods = commune_populations({"002": members}, _match({"002": (100, 9900)}), equal)
    assert population == {"00010": 5000, "00011": 5000}
    assert set(methods.values()) == {"district_share"}
    alone = commune_populations({"002": members[:1]}, _match({"002": (100, 0)}), equal)
    assert alone == ({"00010": 100}, {"00010": "whole_district"})


def _hcmc_units(bt_weight: float, tp_weight: float) -> list[DistrictUnit]:
    return [
        DistrictUnit("79", "766", "Tân Bình", "Quận", 15, 0, bt_weight, 0.0),
        DistrictUnit("79", "767", "Tân Phú", "Quận", 11, 0, tp_weight, 0.0),
    ]


def test_a_joint_row_with_published_figures_gives_each_district_its_figure() -> None:
    row = DistrictCensusRow(2, "TP. Ho Chi Minh", ("1", "2"), "TanBinh_TanPhu", 960_140, 960_140, 0)
    province = [ProvinceCensus("79", "Thành phố Hồ Chí Minh", 960_140)]
    match = match_census(_hcmc_units(15.0, 11.0), [row], province)
    assert match.populations["766"].total == 474_792
    assert match.populations["767"].total == 485_348
    assert match.populations["766"].method == "split_published"
    assert match.report.n_split_published == 2
    # without the published figures, the row is split by the weights
    by_weights = match_census(_hcmc_units(1.0, 3.0), [row], province, use_published=False)
    assert by_weights.populations["766"].total == 240_035
    assert by_weights.populations["766"].method == "split"


def test_published_figures_must_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    row = DistrictCensusRow(2, "TP. Ho Chi Minh", ("1", "2"), "TanBinh_TanPhu", 960_140, 960_140, 0)
    province = [ProvinceCensus("79", "Thành phố Hồ Chí Minh", 960_140)]
    wrong = {("79", "TanBinh_TanPhu"): ({"Tân Bình": 1, "Tân Phú": 2}, "made up")}
    monkeypatch.setattr(_census, "PUBLISHED_SPLITS", wrong)
    with pytest.raises(DataError, match="add up to 3"):
        match_census(_hcmc_units(1.0, 1.0), [row], province)


# --- the national total and the 2025 areas (issue 17, point 6) -------------------------------


def test_the_readme_quotes_the_file_total_and_the_official_total() -> None:
    from planner.geo import _rules

    readme = (DATA / "README.md").read_text(encoding="utf-8")
    total = int(_read(LEGACY_FILE, "provinces")["population"].sum())
    assert total == _rules.CENSUS_NATIONAL_TOTAL
    assert f"- Population: {total:,}, the sum of the file's provinces" in readme
    assert f"The official 2019 total is {_rules.OFFICIAL_NATIONAL_TOTAL:,}" in readme
    assert "gso.gov.vn" in readme
    assert "census national total" not in readme  # the old, wrong wording


def test_2025_areas_inconsistent_with_their_polygon_are_flagged() -> None:
    from planner.geo import _rules
    from planner.geo._schema import AREA_FLAGS
    from planner.geo._voronoi import geodesic_area_km2

    communes = pyogrio.read_dataframe(DATA / CURRENT_FILE, layer="communes")
    assert set(communes["area_flag"]) <= set(AREA_FLAGS)
    polygon = communes.geometry.map(geodesic_area_km2)
    ratio = communes["area_km2"] / polygon
    official = ~communes["area_estimated"]
    larger = official & (ratio >= _rules.AREA_FLAG_FACTOR)
    smaller = official & (ratio <= 1 / _rules.AREA_FLAG_FACTOR)
    assert (communes.loc[larger, "area_flag"] == "official_much_larger").all()
    assert (communes.loc[smaller, "area_flag"] == "official_much_smaller").all()
    assert (communes.loc[official & ~larger & ~smaller, "area_flag"] == "ok").all()
    assert (communes.loc[~official, "area_flag"] == "no_official").all()
    le_loi = communes.set_index("commune_code").loc["13120"]  # Xã Lê Lợi, Hưng Yên
    assert le_loi["area_flag"] == "official_much_larger"
    assert 5 <= larger.sum() <= 30
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "13120 Xã Lê Lợi (Tỉnh Hưng Yên)" in readme
