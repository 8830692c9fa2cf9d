"""Turn working routes into timed TeamDayRoutes and the plan's figures.

The value of a plan is computed here once, the same way for the optimised plan and for the
greedy baseline: people reached by passes (each repeat reaching less), conference
attendance = min(gathering cap, hall area / m2 per person, people left to reach) x show-up,
enrolments = reached x conversion, less travel cost per km (the rules' own functions:
`planner.rules.seats`, `planner.rules.reach`, `planner.rules.points`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.domain import Venue
from planner.instance import Instance
from planner.plan import Stop, TeamDayRoute
from planner.rules.points import plan_value
from planner.rules.reach import expected_enrolments
from planner.rules.schedule import DaySchedule, TimedStop
from planner.rules.seats import seats_by_area
from planner.solve.routes import Routes, schedule


@dataclass(frozen=True)
class Evaluation:
    routes: tuple[TeamDayRoute, ...]
    people_reached: float
    expected_enrolments: float
    passes: int
    conferences: int
    travel_km: float
    objective: float
    stability: float = 0.0  # a re-plan's bonus for the published stops kept (not in objective)


def pass_stop(
    instance: Instance, t: int, d: int, c: int, timed: TimedStop, here: int, number: int
) -> Stop:
    """The ``number``-th pass of this plan through commune ``c`` (1-based; the passes a
    re-plan or the launch already made come before it), timed, reached from site ``here``."""
    problem = instance.problem
    commune = problem.communes[c]
    minutes = instance.team_minutes(t)
    people = float(instance.pass_people[c, number - 1])
    return Stop(
        kind="pass",
        commune_code=commune.code,
        commune_name=commune.name,
        group_code=commune.group_code,
        group_name=commune.group_name,
        lat=commune.lat,
        lon=commune.lon,
        arrival_min=timed.arrival_min,
        start_min=timed.start_min,
        end_min=timed.end_min,
        km_from_previous=float(instance.km[here, c]),
        minutes_from_previous=int(minutes[here, c]),
        people_reached=people,
        expected_enrolments=expected_enrolments(people, problem.passes.conversion),
        rule_level=problem.rules[c][d].name,
        pass_number=number + int(instance.passes_done[c]),
    )


def team_day_route(
    instance: Instance,
    t: int,
    d: int,
    timed: DaySchedule,
    stops: Sequence[Stop],
    last_site: int,
    base: Venue,
    note: str = "",
) -> TeamDayRoute:
    """Team ``t``'s route on day ``d`` as the plan writes it: the timed day, its ``stops``
    (the last at site ``last_site``) and the drive back to the team's ``base``. A team back
    at base before lunch has done its day's work: no lunch break on the route."""
    problem = instance.problem
    team = problem.teams[t]
    base_site = int(instance.team_base_site[t])
    back_before_lunch = timed.lunch_start_min >= timed.return_min
    return TeamDayRoute(
        team_id=team.team_id,
        date=problem.dates[d],
        vehicle=team.vehicle,
        base_venue_id=base.venue_id,
        base_name=base.name,
        base_lat=base.lat,
        base_lon=base.lon,
        depart_min=timed.depart_min,
        return_min=timed.return_min,
        lunch_start_min=min(timed.lunch_start_min, timed.return_min),
        lunch_minutes=0 if back_before_lunch else team.working_day.lunch_minutes,
        km_to_base=float(instance.km[last_site, base_site]),
        minutes_to_base=int(instance.team_minutes(t)[last_site, base_site]),
        stops=tuple(stops),
        team_group_code=team.group_code,
        note=note,
    )


def evaluate(instance: Instance, routes: Routes) -> Evaluation:
    """Time every route, number the passes, fill conference seats in date order, add up."""
    problem = instance.problem
    conf_rules, weights = problem.conferences, problem.weights
    venue_by_id = {v.venue_id: v for v in problem.venues}
    passes_so_far: dict[int, int] = {}
    invited_so_far: dict[int, int] = {}
    timed_routes: list[TeamDayRoute] = []
    reached = enrolled = km_total = 0.0
    n_pass = n_conf = 0
    stability = 0.0
    for t, d in sorted(routes, key=lambda td: (td[1], td[0])):
        visits = routes[(t, d)]
        if not visits:
            continue
        day_schedule = schedule(instance, (t, d), visits)
        if day_schedule is None:
            raise ValueError(f"internal: infeasible route kept for team {t} day {d}")
        team = problem.teams[t]
        minutes = instance.team_minutes(t)
        base_site = int(instance.team_base_site[t])
        here = base_site
        stops: list[Stop] = []
        for visit, timed in zip(visits, day_schedule.stops, strict=True):
            kind, index = visit
            stability += instance.keep_bonus.get((kind, index, t, d), 0.0)
            if kind == "pass":
                site = index
                number = passes_so_far.get(index, 0) + 1
                passes_so_far[index] = number
                stop = pass_stop(instance, t, d, index, timed, here, number)
                n_pass += 1
            else:
                venue = problem.venues[index]
                site = instance.venue_site(index)
                ci = problem.commune_index()[venue.commune_code]
                commune = problem.communes[ci]
                level = problem.rules[ci][d]
                invited, attendance = instance.conference_attendance(
                    index, d, invited_so_far.get(index, 0)
                )
                invited_so_far[index] = invited_so_far.get(index, 0) + invited
                slot = next(
                    (
                        s.name
                        for s in conf_rules.slots
                        if s.earliest_min <= timed.start_min <= s.latest_min
                    ),
                    "",
                )
                stop = Stop(
                    kind="conference",
                    commune_code=commune.code,
                    commune_name=commune.name,
                    group_code=commune.group_code,
                    group_name=commune.group_name,
                    lat=venue.lat,
                    lon=venue.lon,
                    arrival_min=timed.arrival_min,
                    start_min=timed.start_min,
                    end_min=timed.end_min,
                    km_from_previous=float(instance.km[here, site]),
                    minutes_from_previous=int(minutes[here, site]),
                    people_reached=attendance,
                    expected_enrolments=expected_enrolments(attendance, conf_rules.conversion),
                    rule_level=level.name,
                    venue_id=venue.venue_id,
                    venue_name=venue.name,
                    slot=slot,
                    invited=invited,
                    expected_attendance=attendance,
                    gathering_cap=level.max_gathering,
                    seats_by_area=seats_by_area(venue.hall_area_m2, level.m2_per_person),
                )
                n_conf += 1
            reached += stop.people_reached
            enrolled += stop.expected_enrolments
            stops.append(stop)
            here = site
        route = team_day_route(
            instance, t, d, day_schedule, stops, here, venue_by_id[team.base_venue_id]
        )
        km_total += route.travel_km
        timed_routes.append(route)
    objective = plan_value(weights, reached, enrolled, km_total)
    return Evaluation(
        routes=tuple(timed_routes),
        people_reached=reached,
        expected_enrolments=enrolled,
        passes=n_pass,
        conferences=n_conf,
        travel_km=km_total,
        objective=objective,
        stability=stability,
    )
