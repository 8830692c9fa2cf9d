"""Tiny hand-made provinces for rule tests: places on a grid near Bắc Ninh, known answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner import domain
from planner.instance import Instance, build_instance
from planner.travel import GreatCircleTravel

OPEN = domain.RuleLevel("open", True, True, None, 1.0, False)
ISOLATED = domain.RuleLevel("isolated", False, False, 0, 1.0, True)
DAY = domain.WorkingDay(
    start_min=450, end_min=1020, lunch_earliest_min=660, lunch_latest_min=780, lunch_minutes=60
)
TRAVEL = GreatCircleTravel(
    detour_factor=1.0,
    speeds_kmh={
        "motorbike": {"urban": 30.0, "plain": 30.0, "mountain": 30.0},
        "car": {"urban": 30.0, "plain": 30.0, "mountain": 30.0},
    },
)
BASE_LAT, BASE_LON = 21.0, 106.0
KM_PER_DEG = 111.2


def commune(
    code: str, km_east: float, target: int = 1000, group: str = "G1", kind: str = "Xã"
) -> domain.Commune:
    return domain.Commune(
        code=code,
        name=f"Xã {code}",
        kind=kind,
        group_code=group,
        group_name=f"Huyện {group}",
        lat=BASE_LAT,
        lon=BASE_LON + km_east / (KM_PER_DEG * 0.933),
        population=target * 5,
        target_people=target,
        terrain="plain",
        boat_only=False,
    )


def problem(
    communes: list[domain.Commune],
    *,
    days: int = 3,
    teams: int = 1,
    rules: dict[tuple[str, int], domain.RuleLevel] | None = None,
    passes: dict | None = None,
    conferences: dict | None = None,
    fairness: tuple[int, int] = (0, 0),
    working_day: domain.WorkingDay = DAY,
    hall_area: float = 100.0,
) -> domain.ProvinceProblem:
    dates = tuple(dt.date(2020, 5, 25) + dt.timedelta(days=i) for i in range(days))
    groups = sorted({c.group_code for c in communes})
    venues = [
        domain.Venue(
            venue_id=f"PO-G-{g}",
            name=f"Bưu điện {g}",
            kind="group",
            commune_code=next(c.code for c in communes if c.group_code == g),
            group_code=g,
            lat=BASE_LAT,
            lon=BASE_LON,
            hall_area_m2=hall_area,
            catchment_target_people=sum(c.target_people for c in communes if c.group_code == g),
        )
        for g in groups
    ]
    team_list = [
        domain.Team(
            team_id=f"T{k + 1}",
            base_venue_id=venues[0].venue_id,
            group_code=groups[0],
            vehicle="motorbike",
            crew=3,
            days=dates,
            working_day=working_day,
        )
        for k in range(teams)
    ]
    rules = rules or {}
    pass_rules = domain.PassRules(
        allowed=True,
        dwell_minutes={"Xã": 45, "Phường": 30},
        reach_share=0.05,
        repeat_value=0.5,
        max_passes=1,
        min_days_between=2,
        conversion=0.01,
    )
    conf_rules = domain.ConferenceRules(
        allowed=False,
        duration_minutes=90,
        slots=(
            domain.ConferenceSlot("morning", 480, 570),
            domain.ConferenceSlot("afternoon", 840, 900),
        ),
        staff_needed=2,
        max_per_venue=2,
        min_days_between=2,
        show_up=0.7,
        conversion=0.15,
        venue_kinds=("group", "commune"),
        max_per_team_day=1,
    )
    return domain.ProvinceProblem(
        province_code="99",
        province_name="Tỉnh Thử",
        structure="2020",
        group_label="district",
        dates=dates,
        communes=tuple(communes),
        groups=tuple(
            domain.Group(
                g,
                f"Huyện {g}",
                0,
                sum(c.target_people for c in communes if c.group_code == g),
                False,
                sum(1 for c in communes if c.group_code == g),
            )
            for g in groups
        ),
        venues=tuple(venues),
        teams=tuple(team_list),
        rules=tuple(tuple(rules.get((c.code, d), OPEN) for d in range(days)) for c in communes),
        passes=replace(pass_rules, **(passes or {})),
        conferences=replace(conf_rules, **(conferences or {})),
        fairness=domain.Fairness(*fairness),
        weights=domain.Weights(1.0, 10.0, 0.2, 1000.0),
        boat_allowed=False,
    )


def instance(p: domain.ProvinceProblem) -> Instance:
    return build_instance(p, TRAVEL)
