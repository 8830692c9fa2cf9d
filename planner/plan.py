"""The Plan: what each team does each day, what it is expected to achieve, and what was left out.

A plan is a value: built once by the solver, read by the exporters and by `planner check`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

StopKind = Literal["pass", "conference"]


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Stop:
    """One stop of a team-day: a propaganda pass through a commune, or a conference."""

    kind: StopKind
    commune_code: str
    commune_name: str
    group_code: str
    group_name: str
    lat: float
    lon: float
    arrival_min: int
    start_min: int
    end_min: int
    km_from_previous: float
    minutes_from_previous: int
    people_reached: float
    expected_enrolments: float
    rule_level: str
    pass_number: int | None = None  # 1 for the first pass in this commune, 2 for a repeat...
    venue_id: str | None = None
    venue_name: str | None = None
    slot: str | None = None
    invited: int | None = None  # conference: people invited
    expected_attendance: float | None = None
    gathering_cap: int | None = None  # conference: the COVID cap in force (None: no cap)
    seats_by_area: int | None = None  # conference: hall area / m2 per person
    # Whether a figure the stop rests on is an estimate, and what is known of the venue:
    # filled in after solving from the province's data (`planner.estimates.with_estimates`),
    # never by the solver. ``position_estimated``: the stop's own point (the venue's for a
    # conference, the commune's for a pass); ``commune_position_estimated``: the commune's
    # point; ``population_estimated``: the commune's population, hence its target people;
    # ``hall_estimated``: a conference's hall size (None for a pass).
    position_estimated: bool = False
    commune_position_estimated: bool = False
    population_estimated: bool = False
    hall_estimated: bool | None = None
    venue_address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    opening_hours: str = ""


@dataclass(frozen=True)
class TeamDayRoute:
    """One team's route on one day, from its base and back."""

    team_id: str
    date: dt.date
    vehicle: str
    base_venue_id: str
    base_name: str
    base_lat: float
    base_lon: float
    depart_min: int
    return_min: int
    lunch_start_min: int
    lunch_minutes: int
    km_to_base: float
    minutes_to_base: int
    stops: tuple[Stop, ...]
    team_group_code: str = ""  # the team's own district (cluster): its territory's home
    base_position_estimated: bool = False  # the base post office's point is an estimate
    note: str = ""  # why a light day is light (shown on its route sheet), in Vietnamese

    @property
    def travel_km(self) -> float:
        return sum(s.km_from_previous for s in self.stops) + self.km_to_base

    @property
    def travel_minutes(self) -> int:
        return sum(s.minutes_from_previous for s in self.stops) + self.minutes_to_base


@dataclass(frozen=True)
class Unserved:
    """A commune, island district or group minimum the plan does not serve, and why."""

    kind: Literal["commune", "group", "group_minimum"]
    code: str
    name: str
    group_code: str
    reason: str  # isolated | boat_only | rule_forbids | too_far | no_team | no_time_left | ...
    detail: str  # the reason in words
    value_lost: float = 0.0  # points it would have added
    insertion_minutes: int | None = None  # cheapest extra team time needed to add it


@dataclass(frozen=True)
class Kpis:
    people_reached: float
    expected_enrolments: float
    passes: int
    conferences: int
    team_days_used: int
    team_days_available: int
    travel_km: float
    objective: float
    upper_bound: float
    greedy_value: float
    solve_seconds: float
    # Spare capacity (planner/solve/capacity.py): light team-days, and the idle or light days
    # with nothing left that the rules allow in the team's territory / with work that does not fit.
    light_team_days: int = 0
    spare_exhausted: int = 0
    spare_no_fit: int = 0
    spare_not_needed: int = 0  # compact mode: days released, their work done on other days

    @property
    def gap(self) -> float:
        """Relative gap to the upper bound: (bound - objective) / bound."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.objective) / self.upper_bound)


@dataclass(frozen=True)
class ProvincePlan:
    province_code: str
    province_name: str
    group_label: str
    routes: tuple[TeamDayRoute, ...]
    unserved: tuple[Unserved, ...]
    kpis: Kpis
    n_communes: int
    target_people: int
    solver_status: str
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Plan:
    scenario: str
    structure: str
    provinces: tuple[ProvincePlan, ...]
    seed: int
    time_limit_seconds: float

    def total(self, attribute: str) -> float:
        return float(sum(getattr(p.kpis, attribute) for p in self.provinces))


def plan_to_dict(plan: ProvincePlan) -> dict[str, Any]:
    """A province plan as plain JSON data (dates as ISO text); `plan_from_dict` reads it back."""
    data = asdict(plan)
    for route in data["routes"]:
        route["date"] = route["date"].isoformat()
    return data


def plan_from_dict(data: dict[str, Any]) -> ProvincePlan:
    """The province plan `plan_to_dict` wrote, equal to the original field for field."""
    routes = tuple(
        TeamDayRoute(
            **{
                **route,
                "date": dt.date.fromisoformat(route["date"]),
                "stops": tuple(Stop(**stop) for stop in route["stops"]),
            }
        )
        for route in data["routes"]
    )
    return ProvincePlan(
        **{
            **data,
            "routes": routes,
            "unserved": tuple(Unserved(**u) for u in data["unserved"]),
            "kpis": Kpis(**data["kpis"]),
            "notes": tuple(data.get("notes", ())),
        }
    )
