"""Tiny hand-made plans written as run folders by the real table writers.

The baseline and the variant are on Bắc Ninh (province 27, districts 256 and 258: real codes,
so that the map can load their polygons); commune codes are made up. What differs, by
construction:

- team 27-256-1: pass 09001 on day 1 is kept; pass 09002 moves from day 1 to day 2; the
  conference at 09003 (day 2) is removed; pass 09004 (day 2) is added;
- team 27-258-1 is the same in both;
- team 27-258-2 is new in the variant (one pass, 09006);
- district 256 reaches 100 + 50 + 200 = 350 people in the baseline and 100 + 50 + 60 = 210
  in the variant (-140); district 258 reaches 80, then 80 + 40 = 120 (+40).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from planner.export import tables
from planner.plan import Kpis, Plan, ProvincePlan, Stop, TeamDayRoute, Unserved

XSS = "<script>alert(1)</script>"
DAY1 = dt.date(2020, 5, 23)
DAY2 = dt.date(2020, 5, 25)
DISTRICTS = {"256": "Thành phố Bắc Ninh", "258": "Huyện Yên Phong"}


def stop(
    commune_code: str,
    reach: float,
    *,
    group: str = "256",
    group_name: str | None = None,
    kind: str = "pass",
    commune_name: str | None = None,
    venue_id: str | None = None,
) -> Stop:
    return Stop(
        kind=kind,  # type: ignore[arg-type]
        commune_code=commune_code,
        commune_name=commune_name or f"Xã {commune_code}",
        group_code=group,
        group_name=group_name or DISTRICTS.get(group, group),
        lat=21.1,
        lon=106.1,
        arrival_min=480,
        start_min=480,
        end_min=525,
        km_from_previous=5.0,
        minutes_from_previous=10,
        people_reached=reach,
        expected_enrolments=reach / 100,
        rule_level="open",
        pass_number=1 if kind == "pass" else None,
        venue_id=venue_id if kind == "conference" else None,
        venue_name="Bưu điện" if kind == "conference" else None,
        # a conference's figures, as `planner run` writes them (the reader checks them)
        invited=round(reach / 0.7) if kind == "conference" else None,
        expected_attendance=reach if kind == "conference" else None,
        seats_by_area=120 if kind == "conference" else None,
    )


def route(team_id: str, day: dt.date, stops: Sequence[Stop]) -> TeamDayRoute:
    return TeamDayRoute(
        team_id=team_id,
        date=day,
        vehicle="motorbike",
        base_venue_id="PO",
        base_name="Bưu điện",
        base_lat=21.1,
        base_lon=106.1,
        depart_min=450,
        return_min=1000,
        lunch_start_min=690,
        lunch_minutes=60,
        km_to_base=5.0,
        minutes_to_base=10,
        stops=tuple(stops),
    )


def province(
    code: str,
    name: str,
    routes: Sequence[TeamDayRoute],
    *,
    unserved: Sequence[Unserved] = (),
    team_days_available: int | None = None,
) -> ProvincePlan:
    """A province whose figures are the sums of its stops (value = reach + 10 x enrolments)."""
    stops = [s for r in routes for s in r.stops]
    reach = sum(s.people_reached for s in stops)
    enrolments = sum(s.expected_enrolments for s in stops)
    travel = sum(r.travel_km for r in routes)
    objective = reach + 10 * enrolments - 0.2 * travel
    kpis = Kpis(
        people_reached=reach,
        expected_enrolments=enrolments,
        passes=sum(1 for s in stops if s.kind == "pass"),
        conferences=sum(1 for s in stops if s.kind == "conference"),
        team_days_used=len(routes),
        team_days_available=team_days_available or len(routes),
        travel_km=travel,
        objective=objective,
        upper_bound=objective * 1.25,
        greedy_value=objective * 0.9,
        solve_seconds=1.0,
    )
    return ProvincePlan(
        province_code=code,
        province_name=name,
        group_label="district",
        routes=tuple(routes),
        unserved=tuple(unserved),
        kpis=kpis,
        n_communes=10,
        target_people=10_000,
        solver_status="FEASIBLE",
    )


def plan(scenario: str, structure: str, provinces: Sequence[ProvincePlan]) -> Plan:
    return Plan(
        scenario=scenario,
        structure=structure,
        provinces=tuple(provinces),
        seed=1,
        time_limit_seconds=3.0,
    )


def write_plan_folder(
    folder: Path, the_plan: Plan, *, extra_summary: Mapping[str, Any] | None = None
) -> Path:
    """summary.json, schedule.csv, routes.csv and unserved.csv as `planner run` writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    summary = tables.summary(the_plan, provenance={}, solve_seconds=1.0)
    summary.update(extra_summary or {})
    tables.write_summary(summary, folder / "summary.json")
    tables.write_schedule_csv(the_plan, folder / "schedule.csv")
    tables.write_routes_csv(the_plan, folder / "routes.csv")
    tables.write_unserved_csv(the_plan, folder / "unserved.csv")
    return folder


def baseline_plan(*, district_name: str | None = None) -> Plan:
    name_256 = district_name or DISTRICTS["256"]
    return plan(
        "demo",
        "2020",
        [
            province(
                "27",
                "Tỉnh Bắc Ninh",
                [
                    route(
                        "27-256-1",
                        DAY1,
                        [
                            stop("09001", 100, group_name=name_256),
                            stop("09002", 50, group_name=name_256),
                        ],
                    ),
                    route(
                        "27-256-1",
                        DAY2,
                        [
                            stop(
                                "09003",
                                200,
                                kind="conference",
                                venue_id="PO-09003",
                                group_name=name_256,
                            )
                        ],
                    ),
                    route("27-258-1", DAY1, [stop("09005", 80, group="258")]),
                ],
                unserved=(
                    Unserved("commune", "09007", "Xã 09007", "258", "no_time_left", "no time"),
                ),
            )
        ],
    )


def variant_plan(*, district_name: str | None = None, commune_name: str | None = None) -> Plan:
    name_256 = district_name or DISTRICTS["256"]
    return plan(
        "demo-two-teams",
        "2020",
        [
            province(
                "27",
                "Tỉnh Bắc Ninh",
                [
                    route("27-256-1", DAY1, [stop("09001", 100, group_name=name_256)]),
                    route(
                        "27-256-1",
                        DAY2,
                        [
                            stop("09002", 50, group_name=name_256),
                            stop("09004", 60, group_name=name_256, commune_name=commune_name),
                        ],
                    ),
                    route("27-258-1", DAY1, [stop("09005", 80, group="258")]),
                    route("27-258-2", DAY2, [stop("09006", 40, group="258")]),
                ],
            )
        ],
    )


BAND = {"p10": 3.5, "p50": 4.2, "p90": 5.0, "mean": 4.2, "draws": 500, "seed": 1}


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
