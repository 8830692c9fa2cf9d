"""Every estimate flag reaches the outputs: schedule.csv, routes.csv, the GeoPackage, the
route sheets, the team packs and the maps; a link to an estimated point says so."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pyogrio
import pytest

from planner.export.gpkg import write_gpkg
from planner.export.maps import write_maps
from planner.export.sheets import write_route_sheets
from planner.export.tables import FLAG_COLUMNS, write_routes_csv, write_schedule_csv
from planner.export.teampack import write_team_packs
from planner.geo.load import GeoData
from planner.plan import Plan, ProvincePlan, Stop, TeamDayRoute
from planner.verify import read_plan

# per stop of the conftest plan, in schedule order (team, day, stop): which flags are set
STOP_FLAGS = {"position_estimated", "commune_position_estimated", "population_estimated"}


def _flagged(stop: Stop, n: int) -> Stop:
    """Stops alternate: every flag set on odd stops, none on even ones; conferences get a
    contact, a hall flag and an address."""
    on = n % 2 == 1
    extra = {}
    if stop.kind == "conference":
        extra = {
            "hall_estimated": on,
            "venue_address": "Số 5 đường Lý Thái Tổ",
            "contact_name": "Trần Văn Bình",
            "contact_phone": "0987 654 321",
            "opening_hours": "07:30-11:30, 13:30-17:00",
        }
    return replace(
        stop,
        position_estimated=on,
        commune_position_estimated=on,
        population_estimated=on,
        **extra,
    )


@pytest.fixture
def flagged(plan: Plan) -> Plan:
    province = plan.provinces[0]
    counter = iter(range(1, 100))
    routes: list[TeamDayRoute] = []
    for i, route in enumerate(province.routes):
        stops = tuple(_flagged(s, next(counter)) for s in route.stops)
        routes.append(replace(route, stops=stops, base_position_estimated=i % 2 == 0))
    province = replace(province, routes=tuple(routes))
    return replace(plan, provinces=(province,))


def _stops(plan: Plan) -> list[Stop]:
    province: ProvincePlan = plan.provinces[0]
    return [s for r in sorted(province.routes, key=lambda r: (r.team_id, r.date)) for s in r.stops]


def test_every_flag_reaches_schedule_and_routes_csv(flagged: Plan, tmp_path: Path) -> None:
    write_schedule_csv(flagged, tmp_path / "schedule.csv")
    write_routes_csv(flagged, tmp_path / "routes.csv")
    with (tmp_path / "schedule.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    stops = _stops(flagged)
    assert len(rows) == len(stops)
    seen: dict[str, set[str]] = {}
    for row, stop in zip(rows, stops, strict=True):
        for name in STOP_FLAGS:
            assert row[name] == ("1" if getattr(stop, name) else "0"), name
            seen.setdefault(name, set()).add(row[name])
        if stop.kind == "conference":
            assert row["hall_estimated"] == ("1" if stop.hall_estimated else "0")
            assert row["contact_name"] == "Trần Văn Bình"
            assert row["contact_phone"] == "0987 654 321"
            assert row["venue_address"] == "Số 5 đường Lý Thái Tổ"
        else:
            assert row["hall_estimated"] == ""  # a pass has no hall
    assert all(values == {"0", "1"} for values in seen.values())
    with (tmp_path / "routes.csv").open(encoding="utf-8-sig") as f:
        routes = list(csv.DictReader(f))
    assert {r["base_position_estimated"] for r in routes} == {"0", "1"}


def test_every_flag_reaches_the_geopackage(flagged: Plan, geo: GeoData, tmp_path: Path) -> None:
    path = tmp_path / "plan.gpkg"
    write_gpkg(flagged, path, geo=geo)
    stops = pyogrio.read_dataframe(path, layer="stops")
    expected = _stops(flagged)
    for name in FLAG_COLUMNS:
        if name == "base_position_estimated":
            continue
        assert name in stops.columns, name
    for (_, row), stop in zip(stops.iterrows(), expected, strict=True):
        for name in STOP_FLAGS:
            assert bool(row[name]) is getattr(stop, name), name
        if stop.kind == "pass":
            assert row["hall_estimated"] is None or row["hall_estimated"] != row["hall_estimated"]
    # booleans, not text: the GeoPackage field is an integer of subtype boolean
    info = pyogrio.read_info(path, layer="stops")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["position_estimated"] == "bool"
    conferences = pyogrio.read_dataframe(path, layer="conferences")
    assert list(conferences["contact_name"]) == ["Trần Văn Bình"]
    assert {"position_estimated", "hall_estimated", "contact_phone"} <= set(conferences.columns)
    routes = pyogrio.read_dataframe(path, layer="routes")
    assert set(routes["base_position_estimated"]) == {True, False}


def test_flags_read_back_by_planner_check(flagged: Plan, tmp_path: Path) -> None:
    """read_plan (planner check, progress, team packs from a folder) keeps the flags."""
    from planner.export.tables import summary, write_summary, write_unserved_csv

    provenance = {
        "scenario_file": "test.toml",
        "scenario_hash": "0" * 64,
        "data_version": "test",
    }
    data = summary(flagged, provenance=provenance, solve_seconds=0.0)
    write_summary(data, tmp_path / "summary.json")
    write_schedule_csv(flagged, tmp_path / "schedule.csv")
    write_routes_csv(flagged, tmp_path / "routes.csv")
    write_unserved_csv(flagged, tmp_path / "unserved.csv")
    written = read_plan(tmp_path)
    back = sorted(written.routes["27"], key=lambda r: (r.team_id, r.date))
    for route, original in zip(
        back, sorted(flagged.provinces[0].routes, key=lambda r: (r.team_id, r.date)), strict=True
    ):
        assert route.base_position_estimated == original.base_position_estimated
        for stop, mine in zip(route.stops, original.stops, strict=True):
            assert stop.position_estimated == mine.position_estimated
            assert stop.population_estimated == mine.population_estimated
            assert stop.contact_name == mine.contact_name


def test_route_sheet_says_estimated_and_shows_the_contact(flagged: Plan, tmp_path: Path) -> None:
    write_route_sheets(flagged, tmp_path)
    page = (tmp_path / "27-256-1.html").read_text(encoding="utf-8")
    assert "Chỉ đường (vị trí ước tính) ›" in page
    assert "Chỉ đường ›" in page  # a stop that is not estimated
    assert "Liên hệ: Trần Văn Bình, 0987 654 321" in page
    assert "Giờ mở cửa: 07:30-11:30, 13:30-17:00" in page
    assert "dân số ước tính" in page  # what the '*' means
    english = tmp_path / "en"
    write_route_sheets(flagged, english, lang="en")
    assert "Directions (estimated position)" in (english / "27-256-1.html").read_text("utf-8")


def test_team_pack_and_maps_say_estimated(flagged: Plan, geo: GeoData, tmp_path: Path) -> None:
    write_team_packs(flagged, tmp_path / "teams")
    pack = (tmp_path / "teams" / "team-27-256-1.html").read_text(encoding="utf-8")
    assert '"nav_label":"Chỉ đường (vị trí ước tính)"' in pack
    assert '"nav_label":"Chỉ đường"' in pack
    assert "Liên hệ: Trần Văn Bình, 0987 654 321" in pack
    write_maps(flagged, geo, tmp_path / "maps")
    page = (tmp_path / "maps" / "27.html").read_text(encoding="utf-8")
    assert "Chỉ đường (vị trí ước tính)" in page
    assert "ước tính" in page
