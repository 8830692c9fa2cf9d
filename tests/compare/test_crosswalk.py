"""2020 -> 2025 through the communes of data/geo: every commune lands once, totals are kept.

Loads four 2020 provinces (Bắc Giang 24 and Bắc Ninh 27, merged into the new Bắc Ninh 24;
Đà Nẵng 48 and Quảng Nam 49, merged into the new Đà Nẵng 48) and the two 2025 provinces.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.compare.crosswalk import Crosswalk, crosswalk_2020_to_2025
from planner.compare.diff import PLAN_METRICS, compare_outputs, compare_plans
from planner.compare.load import load_plan_outputs
from planner.errors import DataError
from planner.geo.load import GeoData, load_geodata
from planner.plan import Plan, Unserved
from tests.compare.factory import DAY1, DAY2, plan, province, route, stop, write_plan_folder

OLD_CODES = ("24", "27", "48", "49")
NEW_CODES = ("24", "48")
REACH, ENROLMENTS = PLAN_METRICS[0], PLAN_METRICS[1]


@pytest.fixture(scope="module")
def old() -> GeoData:
    return load_geodata("2020", province_codes=OLD_CODES)


@pytest.fixture(scope="module")
def new() -> GeoData:
    return load_geodata("2025", province_codes=NEW_CODES)


@pytest.fixture(scope="module")
def crosswalk(old: GeoData, new: GeoData) -> Crosswalk:
    return crosswalk_2020_to_2025(old, new)


def test_provinces_go_whole_to_the_province_they_merged_into(crosswalk: Crosswalk) -> None:
    assert crosswalk.province == {"24": "24", "27": "24", "48": "48", "49": "48"}


def test_every_2020_commune_maps_to_exactly_one_2025_commune_of_its_province(
    old: GeoData, new: GeoData, crosswalk: Crosswalk
) -> None:
    old_codes = old.communes["commune_code"].tolist()
    assert sorted(crosswalk.commune) == sorted(old_codes)  # each once, none extra
    new_communes = new.communes.set_index("commune_code")
    old_province = dict(
        zip(old.communes["commune_code"], old.communes["province_code"], strict=True)
    )
    for code, target in crosswalk.commune.items():
        assert target in new_communes.index
        assert new_communes.loc[target, "province_code"] == crosswalk.province[old_province[code]]
        assert crosswalk.commune_group[code] == new_communes.loc[target, "group_code"]
    assert (
        crosswalk.communes_inside + crosswalk.communes_other_province + crosswalk.communes_outside
        == len(old_codes)
    )
    assert crosswalk.communes_inside > 0.9 * len(old_codes)
    note = crosswalk.note()
    assert "27→24" in note and "approximate Voronoi" in note and "districts do not exist" in note


def _communes(geo: GeoData, province_code: str, n: int) -> list[tuple[str, str]]:
    """(commune code, group code) of the first n communes of a province."""
    frame = geo.communes[geo.communes["province_code"] == province_code].head(n)
    return list(zip(frame["commune_code"], frame["group_code"], strict=True))


def _old_plan(old: GeoData) -> Plan:
    bac_ninh = _communes(old, "27", 3)
    bac_giang = _communes(old, "24", 2)
    return plan(
        "old",
        "2020",
        [
            province(
                "24",
                "Tỉnh Bắc Giang",
                [
                    route(
                        "24-1",
                        DAY1,
                        [stop(c, 30.0 + i, group=g) for i, (c, g) in enumerate(bac_giang)],
                    )
                ],
            ),
            province(
                "27",
                "Tỉnh Bắc Ninh",
                [
                    route(
                        "27-1",
                        DAY1,
                        [stop(c, 100.0 + i, group=g) for i, (c, g) in enumerate(bac_ninh)],
                    ),
                    route(
                        "27-1",
                        DAY2,
                        [
                            stop(
                                bac_ninh[0][0],
                                200.0,
                                group=bac_ninh[0][1],
                                kind="conference",
                                venue_id="PO",
                            )
                        ],
                    ),
                ],
                unserved=(
                    Unserved("commune", bac_ninh[2][0], "x", bac_ninh[2][1], "too_far", "far"),
                ),
            ),
        ],
    )


def _new_plan(new: GeoData) -> Plan:
    communes = _communes(new, "24", 2)
    return plan(
        "new",
        "2025",
        [
            province(
                "24",
                "Tỉnh Bắc Ninh",
                [route("24-x", DAY1, [stop(c, 500.0, group=g) for c, g in communes])],
            )
        ],
    )


def test_the_compared_totals_are_kept_through_the_mapping(
    tmp_path: Path, old: GeoData, new: GeoData, crosswalk: Crosswalk
) -> None:
    old_folder = write_plan_folder(tmp_path / "old", _old_plan(old))
    new_folder = write_plan_folder(tmp_path / "new", _new_plan(new))
    outputs = [load_plan_outputs(old_folder), load_plan_outputs(new_folder)]
    comparison = compare_outputs(outputs, crosswalk=crosswalk)

    assert comparison.structure == "2025" and comparison.group_label == "cluster"
    old_total = outputs[0].figures
    # provinces: 24 and 27 both go to the new 24, whole
    [merged] = comparison.provinces
    assert merged.code == "24"
    merged_old = merged.figures[0]
    assert merged_old is not None
    assert merged_old.expected_reach == pytest.approx(old_total.expected_reach)
    assert merged_old.passes == old_total.passes
    assert merged_old.conferences == old_total.conferences
    assert merged_old.team_days == old_total.team_days
    assert merged_old.travel_km == pytest.approx(old_total.travel_km)
    assert merged_old.unserved_communes == 1
    # groups: the stops land in 2025 clusters, nothing lost or counted twice (the stops'
    # own figures: summary.json rounds enrolments to 0.1)
    stops = outputs[0].stops
    in_groups = [g.figures[0] for g in comparison.groups if g.figures[0] is not None]
    assert sum(f.expected_reach for f in in_groups) == pytest.approx(
        sum(s.people_reached for s in stops)
    )
    assert sum(f.expected_enrolments for f in in_groups) == pytest.approx(
        sum(s.expected_enrolments for s in stops)
    )
    assert sum(f.passes + f.conferences for f in in_groups) == len(outputs[0].stops)
    assert sum(f.unserved_communes for f in in_groups) == 1
    # the 2025 plan is counted in its own clusters
    new_groups = [g for g in comparison.groups if g.figures[1] is not None]
    assert {g.code for g in new_groups} == {s.group_code for s in outputs[1].stops}
    assert merged.difference(1, REACH) == pytest.approx(1000.0 - old_total.expected_reach)
    # the caveat comes first, teams are not compared
    assert comparison.notes[0] == crosswalk.note()
    assert comparison.teams == () and comparison.teams_compared == (False, False)


def test_compare_plans_builds_the_mapping_itself(
    tmp_path: Path, old: GeoData, new: GeoData
) -> None:
    old_folder = write_plan_folder(tmp_path / "old", _old_plan(old))
    new_folder = write_plan_folder(tmp_path / "new", _new_plan(new))
    comparison = compare_plans([new_folder, old_folder])
    assert comparison.crosswalk is not None
    assert comparison.crosswalk.province == {"24": "24", "27": "24"}
    assert [p.code for p in comparison.provinces] == ["24"]


def test_a_2020_commune_not_in_the_data_is_named(tmp_path: Path, crosswalk: Crosswalk) -> None:
    lost = plan(
        "old",
        "2020",
        [province("27", "Tỉnh Bắc Ninh", [route("27-1", DAY1, [stop("99999", 1.0)])])],
    )
    old_folder = write_plan_folder(tmp_path / "old", lost)
    new_folder = write_plan_folder(
        tmp_path / "new", plan("new", "2025", [province("24", "Bắc Ninh", [])])
    )
    outputs = [load_plan_outputs(old_folder), load_plan_outputs(new_folder)]
    with pytest.raises(DataError) as raised:
        compare_outputs(outputs, crosswalk=crosswalk)
    message = str(raised.value)
    assert message.startswith(str(old_folder / "schedule.csv") + ", row 1, field 'commune_code'")
    assert "99999" in message and "\n" not in message
