"""A tiny plan and its geography, made by hand, for the exporter tests.

Province 27 has two districts of three square communes each (0.1 degree a side); province
01 is in the geography but not in the plan. Two teams work two days each; one commune is
isolated, one is left out for lack of time, and commune names try to break out of HTML and
JavaScript.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from planner.geo.load import GeoData
from planner.plan import Kpis, Plan, ProvincePlan, Stop, TeamDayRoute, Unserved

XSS_NAME = "<script>alert(1)</script>"
TEMPLATE_NAME = "Xã ${alert(2)} `tick` \\u0041"
DAY1 = dt.date(2020, 5, 23)
DAY2 = dt.date(2020, 5, 25)

# commune code -> (name, district code, column, row): squares of 0.1 degree from (106.0, 21.0)
COMMUNES = {
    "09001": ("Phường Vũ Ninh", "256", 0, 0),
    "09002": (XSS_NAME, "256", 1, 0),
    "09003": ("Xã Hòa Long", "256", 2, 0),
    "09004": (TEMPLATE_NAME, "258", 0, 1),
    "09005": ("Xã Đông Phong", "258", 1, 1),
    "09006": ("Xã Yên Trung", "258", 2, 1),
}
DISTRICTS = {"256": "Thành phố Bắc Ninh", "258": "Huyện Yên Phong"}


def _cell(col: int, row: int) -> box:
    return box(106.0 + 0.1 * col, 21.0 + 0.1 * row, 106.1 + 0.1 * col, 21.1 + 0.1 * row)


def _centre(code: str) -> tuple[float, float]:
    _, _, col, row = COMMUNES[code]
    return 21.05 + 0.1 * row, 106.05 + 0.1 * col


def _stop(
    code: str,
    start: int,
    *,
    kind: str = "pass",
    pass_number: int | None = 1,
    gathering_cap: int | None = None,
) -> Stop:
    name, district, _, _ = COMMUNES[code]
    lat, lon = _centre(code)
    conference = kind == "conference"
    return Stop(
        kind=kind,  # type: ignore[arg-type]
        commune_code=code,
        commune_name=name,
        group_code=district,
        group_name=DISTRICTS[district],
        lat=lat,
        lon=lon,
        arrival_min=start - 5,
        start_min=start,
        end_min=start + (120 if conference else 45),
        km_from_previous=7.5,
        minutes_from_previous=15,
        people_reached=150.0 if conference else 62.5,
        expected_enrolments=1.5 if conference else 0.62,
        rule_level="open",
        pass_number=None if conference else pass_number,
        venue_id="BD-256" if conference else None,
        venue_name="=1+2 Nhà văn hóa" if conference else None,
        slot="morning" if conference else None,
        invited=200 if conference else None,
        expected_attendance=150.0 if conference else None,
        gathering_cap=gathering_cap,
        seats_by_area=180 if conference else None,
    )


def _route(team: str, day: dt.date, stops: tuple[Stop, ...], district: str) -> TeamDayRoute:
    return TeamDayRoute(
        team_id=team,
        date=day,
        vehicle="motorbike",
        base_venue_id=f"BD-{district}",
        base_name=f"Bưu điện {DISTRICTS[district]}",
        base_lat=21.02 + (0.1 if district == "258" else 0.0),
        base_lon=106.02,
        depart_min=450,
        return_min=1000,
        lunch_start_min=690,
        lunch_minutes=60,
        km_to_base=8.0,
        minutes_to_base=16,
        stops=stops,
    )


def make_plan() -> Plan:
    routes = (
        _route("27-256-1", DAY1, (_stop("09001", 480), _stop("09002", 560)), "256"),
        _route(
            "27-256-1",
            DAY2,
            (_stop("09001", 480, pass_number=2), _stop("09003", 780, kind="conference")),
            "256",
        ),
        _route("27-258-1", DAY1, (_stop("09004", 500), _stop("09005", 600)), "258"),
        _route("27-258-1", DAY2, (_stop("09005", 480, pass_number=2),), "258"),
    )
    stops = [s for r in routes for s in r.stops]
    kpis = Kpis(
        people_reached=sum(s.people_reached for s in stops),
        expected_enrolments=sum(s.expected_enrolments for s in stops),
        passes=sum(1 for s in stops if s.kind == "pass"),
        conferences=sum(1 for s in stops if s.kind == "conference"),
        team_days_used=4,
        team_days_available=4,
        travel_km=100.0,
        objective=500.0,
        upper_bound=600.0,
        greedy_value=400.0,
        solve_seconds=1.0,
    )
    province = ProvincePlan(
        province_code="27",
        province_name="Bắc Ninh",
        group_label="district",
        routes=routes,
        unserved=(
            Unserved("commune", "09006", "Xã Yên Trung", "258", "isolated", "isolated every day"),
            Unserved("commune", "09003", "Xã Hòa Long", "256", "no_time_left", "no time", 30.0, 50),
        ),
        kpis=kpis,
        n_communes=6,
        target_people=20000,
        solver_status="OPTIMAL",
    )
    return Plan(
        scenario="test", structure="2020", provinces=(province,), seed=1, time_limit_seconds=5
    )


def make_geo() -> GeoData:
    crs = "EPSG:4326"
    communes = gpd.GeoDataFrame(
        {
            "commune_code": list(COMMUNES),
            "commune_name": [v[0] for v in COMMUNES.values()],
            "group_code": [v[1] for v in COMMUNES.values()],
            "province_code": ["27"] * len(COMMUNES),
            "approximate": [True] * len(COMMUNES),
            "lat": [_centre(c)[0] for c in COMMUNES],
            "lon": [_centre(c)[1] for c in COMMUNES],
        },
        geometry=[_cell(v[2], v[3]) for v in COMMUNES.values()],
        crs=crs,
    )
    groups = gpd.GeoDataFrame(
        {
            "group_code": ["256", "258"],
            "district_name": list(DISTRICTS.values()),
            "province_code": ["27", "27"],
        },
        geometry=[box(106.0, 21.0, 106.3, 21.1), box(106.0, 21.1, 106.3, 21.2)],
        crs=crs,
    )
    provinces = gpd.GeoDataFrame(
        {"province_code": ["01", "27"], "province_name": ["Hà Nội", "Bắc Ninh"]},
        geometry=[box(105.3, 20.6, 106.0, 21.4), box(106.0, 21.0, 106.3, 21.2)],
        crs=crs,
    )
    post_offices = gpd.GeoDataFrame(
        {"venue_id": ["BD-256"], "province_code": ["27"]}, geometry=[Point(106.02, 21.02)], crs=crs
    )
    return GeoData(
        structure="2020",
        provinces=provinces,
        groups=groups,
        communes=communes,
        post_offices=post_offices,
        group_label="district",
        sources=("test",),
    )


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def geo() -> GeoData:
    return make_geo()
