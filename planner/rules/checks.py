"""The rules a plan must keep, one function each, checked independently of the solver.

Each check reads a plan's routes and the province's problem and returns the violations it
finds, in words. `planner check` and the end-to-end tests run them all; the solver never
calls them (it builds plans that keep them by construction), so a bug in the solver shows
up here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from planner.domain import ProvinceProblem
from planner.messages import msg
from planner.plan import TeamDayRoute, hhmm
from planner.rules.seats import seats_by_area
from planner.rules.spacing import far_enough, gap_days
from planner.travel import Place, TravelTimeSource


@dataclass(frozen=True)
class Violation:
    rule: str
    team_id: str
    date: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: team {self.team_id} on {self.date}: {self.message}"


Check = Callable[[ProvinceProblem, tuple[TeamDayRoute, ...]], Iterable[Violation]]


def _v(rule: str, route: TeamDayRoute, message: str) -> Violation:
    return Violation(rule, route.team_id, route.date.isoformat(), message)


def check_working_hours(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """A team leaves its base no earlier than its start and is back no later than its end."""
    teams = {t.team_id: t for t in problem.teams}
    for route in routes:
        if route.team_id not in teams:
            continue  # reported by check_team_days
        day = teams[route.team_id].working_day
        start = day.start_min
        early = launch_departure(problem, route)
        if early is not None:
            start = min(start, early)
        if route.depart_min < start or route.return_min > day.end_min:
            yield _v(
                "working_hours",
                route,
                msg(
                    "check.out_of_hours",
                    depart=hhmm(route.depart_min),
                    back=hhmm(route.return_min),
                    start=hhmm(day.start_min),
                    end=hhmm(day.end_min),
                ),
            )


def launch_departure(problem: ProvinceProblem, route: TeamDayRoute) -> int | None:
    """The earliest a launch-day route may leave its base: the common clock less the drive to
    its first pass, when the route is a parade arriving on the clock (None otherwise).

    On the launch day every team starts its parade at the same time (scenario [launch]); a
    team far from its first commune leaves before its usual hours, its day starting then.
    """
    launch = problem.launch
    if launch is None or route.date != launch.date or not route.stops:
        return None
    first = route.stops[0]
    if first.kind != "pass" or not first.arrival_min == first.start_min == launch.start_min:
        return None  # a parade arrives on the clock: it does not leave early to wait there
    return launch.start_min - first.minutes_from_previous


def check_team_days(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """A team works only on its days, and drives at most one route a day."""
    teams = {t.team_id: t for t in problem.teams}
    seen: set[tuple[str, str]] = set()
    for route in routes:
        team = teams.get(route.team_id)
        if team is None:
            yield _v("team_days", route, msg("check.no_such_team"))
            continue
        if route.date not in team.days:
            yield _v("team_days", route, msg("check.not_a_working_day"))
        key = (route.team_id, route.date.isoformat())
        if key in seen:
            yield _v("team_days", route, msg("check.two_routes"))
        seen.add(key)


def check_lunch_break(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """Lunch lasts its minutes, starts inside its window, and no stop overlaps it.

    A team back at its base by the latest lunch start has finished its day: its route has no
    lunch break (lunch_minutes 0), since a break after the return is no part of the route.
    """
    teams = {t.team_id: t for t in problem.teams}
    for route in routes:
        if route.team_id not in teams:
            continue  # reported by check_team_days
        day = teams[route.team_id].working_day
        start, end = route.lunch_start_min, route.lunch_start_min + route.lunch_minutes
        if route.lunch_minutes == 0 and route.return_min <= day.lunch_latest_min:
            continue  # back at base by lunchtime: the day's work is over, no break on the route
        if not day.lunch_earliest_min <= start <= day.lunch_latest_min:
            yield _v(
                "lunch_break",
                route,
                msg(
                    "check.lunch_window",
                    start=hhmm(start),
                    earliest=hhmm(day.lunch_earliest_min),
                    latest=hhmm(day.lunch_latest_min),
                ),
            )
        if route.lunch_minutes < day.lunch_minutes:
            yield _v(
                "lunch_break",
                route,
                msg("check.lunch_short", minutes=route.lunch_minutes, required=day.lunch_minutes),
            )
        for stop in route.stops:
            if stop.start_min < end and start < stop.end_min:
                yield _v(
                    "lunch_break",
                    route,
                    msg(
                        "check.lunch_overlap",
                        commune=stop.commune_name,
                        start=hhmm(stop.start_min),
                        end=hhmm(stop.end_min),
                    ),
                )


def _with_boats(
    problem: ProvinceProblem,
    travel: TravelTimeSource,
    route: TeamDayRoute,
    places: list[Place],
    vehicle: str,
) -> np.ndarray:
    """Travel minutes between a route's places (base first), boats included.

    A leg to or from an island commune served by a boat crossing ([[boat.crossings]]) is the
    drive to the crossing's pier plus the crossing; between places of one crossing it is the
    drive on the island (as `planner.instance` plans them).
    """
    minutes = travel.matrices(places, vehicle).minutes
    crossing_of = {code: b for b in problem.crossings for code in b.communes}
    codes = [_base_commune_code(problem, route)] + [s.commune_code for s in route.stops]
    if not any(code in crossing_of for code in codes):
        return minutes
    communes = {c.code: c for c in problem.communes}
    boat = [crossing_of.get(code) for code in codes]
    ends = [
        Place(communes[b.pier_commune].lat, communes[b.pier_commune].lon, "plain")
        if b is not None and b.pier_commune in communes
        else place
        for b, place in zip(boat, places, strict=True)
    ]
    road = travel.matrices(ends, vehicle).minutes
    out = np.array(minutes, copy=True)
    for a in range(len(places)):
        for b in range(len(places)):
            if a == b or (boat[a] is not None and boat[a] is boat[b]):
                continue
            crossings = sum(x.minutes for x in (boat[a], boat[b]) if x is not None)
            if crossings:
                out[a, b] = int(road[a, b]) + crossings
    return out


def _base_commune_code(problem: ProvinceProblem, route: TeamDayRoute) -> str:
    venue = next((v for v in problem.venues if v.venue_id == route.base_venue_id), None)
    return venue.commune_code if venue is not None else ""


def travel_check(travel: TravelTimeSource) -> Check:
    """Stops follow each other no faster than the travel times allow, with their service times."""

    def check_travel_times(
        problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
    ) -> Iterable[Violation]:
        teams = {t.team_id: t for t in problem.teams}
        terrain = {c.code: c.terrain for c in problem.communes}
        for route in routes:
            if route.team_id not in teams:
                continue  # reported by check_team_days
            places = [Place(route.base_lat, route.base_lon, "plain")]
            places += [
                Place(s.lat, s.lon, terrain.get(s.commune_code, "plain")) for s in route.stops
            ]
            minutes = _with_boats(problem, travel, route, places, teams[route.team_id].vehicle)
            now = route.depart_min
            lunch_end = route.lunch_start_min + route.lunch_minutes
            for i, stop in enumerate(route.stops, start=1):
                leg = int(minutes[i - 1, i])
                # Lunch taken here, before driving on, delays the departure.
                lunch_here = now <= route.lunch_start_min and lunch_end <= stop.arrival_min
                earliest = (lunch_end if lunch_here else now) + leg
                if stop.arrival_min < earliest:
                    yield _v(
                        "travel_time",
                        route,
                        msg(
                            "check.arrives_too_soon",
                            commune=stop.commune_name,
                            arrival=hhmm(stop.arrival_min),
                            minutes=leg,
                            since=hhmm(now),
                        ),
                    )
                if stop.start_min < stop.arrival_min or stop.end_min <= stop.start_min:
                    yield _v(
                        "travel_time",
                        route,
                        msg("check.stop_times", commune=stop.commune_name),
                    )
                now = stop.end_min
            leg = int(minutes[len(route.stops), 0])
            lunch_here = now <= route.lunch_start_min and lunch_end <= route.return_min
            if (
                route.return_min < (lunch_end if lunch_here else now) + leg
                and route.return_min < now + leg
            ):
                yield _v(
                    "travel_time",
                    route,
                    msg(
                        "check.back_too_soon",
                        back=hhmm(route.return_min),
                        minutes=leg,
                        since=hhmm(now),
                    ),
                )

    return check_travel_times


def check_service_times(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """A pass lasts its dwell time; a conference lasts its duration and starts inside a slot."""
    kinds = {c.code: c.kind for c in problem.communes}
    conf = problem.conferences
    for route in routes:
        for stop in route.stops:
            length = stop.end_min - stop.start_min
            if stop.kind == "pass":
                need = problem.passes.dwell_for(kinds.get(stop.commune_code, "Xã"))
                if length < need:
                    yield _v(
                        "service_time",
                        route,
                        msg(
                            "check.pass_too_short",
                            commune=stop.commune_name,
                            minutes=length,
                            required=need,
                        ),
                    )
            else:
                if length < conf.duration_minutes:
                    yield _v(
                        "service_time",
                        route,
                        msg(
                            "check.conference_too_short",
                            venue=stop.venue_name,
                            minutes=length,
                            required=conf.duration_minutes,
                        ),
                    )
                if not any(s.earliest_min <= stop.start_min <= s.latest_min for s in conf.slots):
                    yield _v(
                        "conference_slot",
                        route,
                        msg(
                            "check.outside_slots", venue=stop.venue_name, start=hhmm(stop.start_min)
                        ),
                    )


def check_rules_in_force(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """Nobody enters an isolated commune; passes and conferences only where the level allows."""
    index = problem.commune_index()
    day_index = {d: i for i, d in enumerate(problem.dates)}
    teams = {t.team_id: t for t in problem.teams}
    for route in routes:
        d = day_index.get(route.date)
        if d is None:
            yield _v("rules_in_force", route, msg("check.outside_campaign"))
            continue
        for stop in route.stops:
            i = index.get(stop.commune_code)
            if i is None:
                yield _v(
                    "rules_in_force", route, msg("check.unknown_commune", code=stop.commune_code)
                )
                continue
            level = problem.rules[i][d]
            if level.isolated:
                yield _v(
                    "isolation",
                    route,
                    msg("check.enters_isolated", commune=stop.commune_name, level=level.name),
                )
            elif stop.kind == "pass" and not level.passes_allowed:
                yield _v(
                    "rules_in_force",
                    route,
                    msg("check.pass_forbidden", commune=stop.commune_name, level=level.name),
                )
            elif stop.kind == "conference" and not level.conferences_allowed:
                yield _v(
                    "rules_in_force",
                    route,
                    msg("check.conference_forbidden", commune=stop.commune_name, level=level.name),
                )
            team = teams.get(route.team_id)
            if team is not None and not problem.reachable(team, problem.communes[i]):
                yield _v(
                    "boat_only",
                    route,
                    msg("check.across_water", commune=stop.commune_name),
                )
            elif (
                team is not None
                and not problem.by_road(team, problem.communes[i])
                and not problem.boat_runs(stop.commune_code, route.date)
            ):
                yield _v(
                    "boat_only",
                    route,
                    msg("check.boat_not_running", commune=stop.commune_name),
                )


def check_conference_caps(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """People invited never exceed the gathering cap in force nor the hall area / m2 per person."""
    index = problem.commune_index()
    venues = {v.venue_id: v for v in problem.venues}
    day_index = {d: i for i, d in enumerate(problem.dates)}
    for route in routes:
        d = day_index.get(route.date)
        for stop in route.stops:
            if stop.kind != "conference" or d is None:
                continue
            venue = venues.get(stop.venue_id or "")
            i = index.get(stop.commune_code)
            if venue is None or i is None:
                yield _v("conference_cap", route, msg("check.unknown_venue", venue=stop.venue_id))
                continue
            level = problem.rules[i][d]
            seats = seats_by_area(venue.hall_area_m2, level.m2_per_person)
            invited = stop.invited or 0
            if level.max_gathering is not None and invited > level.max_gathering:
                yield _v(
                    "conference_cap",
                    route,
                    msg(
                        "check.above_cap",
                        invited=invited,
                        venue=venue.name,
                        cap=level.max_gathering,
                        level=level.name,
                    ),
                )
            if invited > seats:
                yield _v(
                    "conference_cap",
                    route,
                    msg("check.above_seats", invited=invited, venue=venue.name, seats=seats),
                )
            if (stop.expected_attendance or 0) > invited + 1e-9:
                yield _v(
                    "conference_cap", route, msg("check.attendance_above_invited", venue=venue.name)
                )


def check_spacing_and_limits(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """Passes in a commune and conferences at a venue keep their spacing and limits."""
    passes: dict[str, list[TeamDayRoute]] = {}
    conferences: dict[str, list[TeamDayRoute]] = {}
    per_day: dict[tuple[str, str], int] = {}
    for route in routes:
        for stop in route.stops:
            if stop.kind == "pass":
                passes.setdefault(stop.commune_code, []).append(route)
            else:
                conferences.setdefault(stop.venue_id or "", []).append(route)
                key = (route.team_id, route.date.isoformat())
                per_day[key] = per_day.get(key, 0) + 1
    for table, gap, limit, what in (
        (passes, problem.passes.min_days_between, problem.passes.max_passes, "word.passes_in"),
        (
            conferences,
            problem.conferences.min_days_between,
            problem.conferences.max_per_venue,
            "word.conferences_at",
        ),
    ):
        for code, visits in table.items():
            visits = sorted(visits, key=lambda r: r.date)
            if len(visits) > limit:
                yield _v(
                    "limit",
                    visits[-1],
                    msg(
                        "check.over_limit",
                        count=len(visits),
                        what=msg(what),
                        code=code,
                        limit=limit,
                    ),
                )
            for a, b in itertools.pairwise(visits):
                if not far_enough((b.date - a.date).days, gap):
                    yield _v(
                        "spacing",
                        b,
                        msg(
                            "check.too_close",
                            what=msg(what),
                            code=code,
                            first=a.date,
                            second=b.date,
                            days=gap_days(gap),
                        ),
                    )
    for (team_id, date), count in per_day.items():
        if count > problem.conferences.max_per_team_day:
            yield Violation(
                "conferences_per_day",
                team_id,
                date,
                msg(
                    "check.conferences_per_day",
                    count=count,
                    limit=problem.conferences.max_per_team_day,
                ),
            )


def check_territory(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """A team stops only in its territory: its own district (cluster), or where it is lent.

    The campaign is "one mobile or district team per district": a stop outside the team's
    territory is a team lent without the planner deciding it (teams.territory, teams.loans).
    """
    teams = {t.team_id: t for t in problem.teams}
    for route in routes:
        team = teams.get(route.team_id)
        if team is None or team.territory is None:
            continue
        for stop in route.stops:
            if not team.works_in(stop.group_code):
                where = stop.venue_name if stop.kind == "conference" else stop.commune_name
                yield _v(
                    "territory",
                    route,
                    msg(
                        "check.outside_territory",
                        kind=msg(f"word.{stop.kind}"),
                        where=where,
                        group=stop.group_name,
                        code=stop.group_code,
                        territory=", ".join(team.territory),
                    ),
                )


def driving_spans(route: TeamDayRoute) -> list[tuple[int, int]]:
    """The team's driving on a written route, as (start, end) minutes: each leg ends on
    arrival (at a stop, or back at base) and each propaganda pass is a drive through the
    commune; everything between is rest (a stop, a wait, lunch, a break)."""
    spans: list[tuple[int, int]] = []
    for stop in route.stops:
        spans.append((stop.arrival_min - stop.minutes_from_previous, stop.arrival_min))
        if stop.kind == "pass":
            spans.append((stop.start_min, stop.end_min))
    spans.append((route.return_min - route.minutes_to_base, route.return_min))
    return [(a, b) for a, b in spans if b > a]


def check_driving_limits(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """Traffic safety: a team drives at most its daily limit, and never longer than its
    continuous limit without a rest of at least its break length (Road Traffic Law: 10 hours
    a day, 4 hours without a break; scenario [safety])."""
    teams = {t.team_id: t for t in problem.teams}
    for route in routes:
        if route.team_id not in teams:
            continue  # reported by check_team_days
        day = teams[route.team_id].working_day
        spans = driving_spans(route)
        total = sum(b - a for a, b in spans)
        if day.max_driving_minutes is not None and total > day.max_driving_minutes:
            yield _v(
                "driving_limits",
                route,
                msg("check.drives_too_long", minutes=total, limit=day.max_driving_minutes),
            )
        limit = day.max_continuous_driving_minutes
        if limit is None:
            continue
        stretch, last_end = 0, None
        for a, b in spans:
            if last_end is not None and a - last_end >= day.break_minutes:
                stretch = 0
            stretch += b - a
            last_end = b
            if stretch > limit:
                yield _v(
                    "driving_limits",
                    route,
                    msg(
                        "check.no_break",
                        minutes=stretch,
                        pause=day.break_minutes,
                        until=hhmm(b),
                        limit=limit,
                    ),
                )
                break


def week_of(day: dt.date) -> tuple[int, int]:
    """The calendar week (ISO year and week, Monday to Sunday) of a day."""
    iso = day.isocalendar()
    return iso[0], iso[1]


def check_conferences_per_week(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """A team holds at most `max_per_team_week` conferences in a calendar week."""
    limit = problem.conferences.max_per_team_week
    if limit is None:
        return
    count: dict[tuple[str, tuple[int, int]], list[TeamDayRoute]] = {}
    for route in routes:
        n = sum(1 for s in route.stops if s.kind == "conference")
        if n:
            count.setdefault((route.team_id, week_of(route.date)), []).extend([route] * n)
    for (_, (year, week)), held in sorted(count.items()):
        if len(held) > limit:
            last = max(held, key=lambda r: r.date)
            yield _v(
                "conferences_per_week",
                last,
                msg(
                    "check.conferences_per_week",
                    count=len(held),
                    week=week,
                    year=year,
                    limit=limit,
                ),
            )


def all_checks(travel: TravelTimeSource) -> tuple[Check, ...]:
    return (
        check_team_days,
        check_working_hours,
        check_lunch_break,
        travel_check(travel),
        check_service_times,
        check_rules_in_force,
        check_conference_caps,
        check_spacing_and_limits,
        check_territory,
        check_conferences_per_week,
        check_driving_limits,
    )


def violations(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...], travel: TravelTimeSource
) -> list[Violation]:
    """Every rule broken by the routes of one province."""
    return [v for check in all_checks(travel) for v in check(problem, routes)]
