"""One province as numbers: the solver's input. No geopandas past this point.

Sites are indexed as: communes ``0..C-1`` then venues ``C..C+V-1``. Every value is in
*points*: people reached x reach_weight + expected enrolments x enrolment_weight (so the
objective reads in people-equivalents), before travel cost. The rules' quantities (seats,
spacing, minimums, reach, points) come from `planner.rules`; here they become arrays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from planner.domain import Commune, History, ProvinceProblem, by_road
from planner.rules import minimums, seats, spacing
from planner.rules.points import points, points_per_person
from planner.rules.reach import conference_attendance, pass_people_array
from planner.rules.schedule import StopRequest
from planner.travel import Place, TravelTimeSource


@dataclass(frozen=True, eq=False)
class Instance:
    problem: ProvinceProblem
    n_communes: int
    n_venues: int
    n_days: int
    n_teams: int
    km: np.ndarray  # (S, S) road km
    minutes: dict[str, np.ndarray]  # vehicle -> (S, S) int minutes
    dwell: np.ndarray  # (C,) minutes per pass
    pass_people: np.ndarray  # (C, K) people reached by the k-th pass
    pass_points: np.ndarray  # (C, K) points of the k-th pass
    pass_open: np.ndarray  # (C, D) bool: a pass is allowed here that day
    conf_open: np.ndarray  # (V, D) bool: a conference is allowed here that day
    conf_seats: np.ndarray  # (V, D) int: min(gathering cap, hall area / m2 per person)
    conf_point_per_attendee: float
    pass_point_per_person: float
    team_base_site: np.ndarray  # (T,) site index of each team's base
    team_works: np.ndarray  # (T, D) bool
    team_may_visit: np.ndarray  # (T, S) bool: the site lies in the team's territory
    week_of_day: np.ndarray  # (D,) calendar week (Monday to Sunday) of each day, from 0
    conferences_done_in_week: dict[tuple[int, int], int]  # (t, week) -> a re-plan's done ones
    team_hosts_conferences: np.ndarray  # (T,) bool: crew >= staff needed
    pass_requests: tuple[StopRequest, ...]  # (C,) where and how long a pass takes
    conference_requests: tuple[StopRequest, ...]  # (V,) where, how long, in which slots
    # What is left once a re-plan's done stops are counted (without history: everything).
    passes_done: np.ndarray  # (C,) passes already made; pass k of this plan is pass done + k
    passes_left: np.ndarray  # (C,) passes this plan may still make
    conferences_left: np.ndarray  # (V,) conferences this plan may still hold
    catchment_left: np.ndarray  # (V,) people a conference here may still invite
    min_passes_left: dict[str, int]  # group code -> passes still owed to its minimum
    min_conferences_left: dict[str, int]  # group code -> conferences still owed
    keep_bonus: dict[tuple[str, int, int, int], float]  # (kind, index, t, d) -> stability bonus

    @property
    def n_sites(self) -> int:
        return self.n_communes + self.n_venues

    def venue_site(self, v: int) -> int:
        return self.n_communes + v

    def team_minutes(self, t: int) -> np.ndarray:
        return self.minutes[self.problem.teams[t].vehicle]

    def conference_attendance(self, v: int, d: int, invited_before: int) -> tuple[int, float]:
        """People invited and expected attendance of a conference at venue v on day d.

        invited = min(gathering cap in force, hall area / m2 per person, people left to reach
        in the venue's catchment) (`planner.rules.seats`); attendance = invited x show-up
        (`planner.rules.reach`). ``invited_before`` counts this plan's earlier conferences
        there; a re-plan's done ones are in catchment_left.
        """
        invited = seats.invited(
            int(self.conf_seats[v, d]), int(self.catchment_left[v]) - invited_before
        )
        return invited, conference_attendance(invited, self.problem.conferences.show_up)

    def conference_points(self, v: int, d: int) -> float:
        """Points of this plan's first conference at venue v on day d (`planner.rules.points`)."""
        _, attendance = self.conference_attendance(v, d, 0)
        return points(attendance, self.conf_point_per_attendee)


def build_instance(problem: ProvinceProblem, travel: TravelTimeSource) -> Instance:
    """Turn a ProvinceProblem into matrices and masks."""
    communes, venues, teams = problem.communes, problem.venues, problem.teams
    n_c, n_v, n_d, n_t = len(communes), len(venues), len(problem.dates), len(teams)
    commune_terrain = {c.code: c.terrain for c in communes}
    places = [Place(c.lat, c.lon, c.terrain) for c in communes] + [
        Place(v.lat, v.lon, commune_terrain.get(v.commune_code, "plain")) for v in venues
    ]
    minutes: dict[str, np.ndarray] = {}
    km = np.zeros((n_c + n_v, n_c + n_v))
    for vehicle in sorted({t.vehicle for t in teams}):
        matrices = travel.matrices(places, vehicle)
        minutes[vehicle] = matrices.minutes
        km = matrices.km

    km = _boat_legs(problem, minutes, km)

    rules_ = problem.passes
    weights = problem.weights
    k_max = rules_.max_passes
    history = problem.history
    done_passes = dict(history.passes_done) if history else {}
    passes_done = np.array([len(done_passes.get(c.code, ())) for c in communes], dtype=np.int64)
    passes_left = np.maximum(0, k_max - passes_done)
    k = np.arange(k_max)[None, :]
    pass_people = np.where(
        k < passes_left[:, None],
        pass_people_array(
            np.array([c.target_people for c in communes], dtype=float)[:, None],
            passes_done[:, None] + k + 1,
            rules_.reach_share,
            rules_.repeat_value,
        ),
        0.0,
    ).reshape(n_c, k_max)
    per_person = points_per_person(weights, rules_.conversion)
    point_per_attendee = points_per_person(weights, problem.conferences.conversion)
    pass_points = points(pass_people, per_person)
    dwell = np.array([rules_.dwell_for(c.kind) for c in communes], dtype=np.int32)

    pass_open = np.zeros((n_c, n_d), dtype=bool)
    for i in range(n_c):
        if not rules_.allowed:
            continue
        for d in range(n_d):
            level = problem.rules[i][d]
            pass_open[i, d] = (
                level.passes_allowed
                and not level.isolated
                and problem.boat_runs(communes[i].code, problem.dates[d])
            )

    conf_rules = problem.conferences
    index = problem.commune_index()
    held = np.zeros((n_v, n_d), dtype=bool)  # the rules let a conference be held there
    m2_per_person = np.ones((n_v, n_d))
    max_gathering = np.full((n_v, n_d), seats.NO_CAP, dtype=np.int64)
    for v, venue in enumerate(venues):
        at = index.get(venue.commune_code)
        if at is None or not conf_rules.allowed or venue.kind not in conf_rules.venue_kinds:
            continue
        for d in range(n_d):
            level = problem.rules[at][d]
            if level.isolated or not level.conferences_allowed:
                continue
            if not problem.boat_runs(venue.commune_code, problem.dates[d]):
                continue
            held[v, d] = True
            m2_per_person[v, d] = level.m2_per_person
            if level.max_gathering is not None:
                max_gathering[v, d] = level.max_gathering
    hall_area_m2 = np.array([v.hall_area_m2 for v in venues], dtype=float).reshape(n_v, 1)
    conf_seats = np.where(
        held, seats.conference_seats_array(hall_area_m2, m2_per_person, max_gathering), 0
    ).astype(np.int64)
    conf_open = conf_seats > 0

    venue_index = problem.venue_index()
    team_base_site = np.array([n_c + venue_index[t.base_venue_id] for t in teams], dtype=np.int64)
    date_index = {day: d for d, day in enumerate(problem.dates)}
    team_works = np.zeros((n_t, n_d), dtype=bool)
    for t, team in enumerate(teams):
        for day in team.days:
            if day in date_index:
                team_works[t, date_index[day]] = True
    hosts = np.array([t.crew >= conf_rules.staff_needed for t in teams], dtype=bool)
    site_commune = list(communes) + [
        communes[index[v.commune_code]] if v.commune_code in index else None for v in venues
    ]
    bases = [problem.base_commune(team) for team in teams]  # once per team, not per site
    by_boat = _boat_reach(problem, bases)
    team_may_visit = np.array(
        [
            [
                place is not None
                and team.works_in(place.group_code)
                and (
                    by_road(base, place, boat_allowed=problem.boat_allowed)
                    or place.code in boat_reach
                )
                for place in site_commune
            ]
            for team, base, boat_reach in zip(teams, bases, by_boat, strict=True)
        ],
        dtype=bool,
    ).reshape(n_t, n_c + n_v)
    first_monday = (
        problem.dates[0] - dt.timedelta(days=problem.dates[0].weekday()) if problem.dates else None
    )
    week_of_day = np.array(
        [(day - first_monday).days // 7 for day in problem.dates] if first_monday else [],
        dtype=np.int64,
    )
    done_conferences = dict(history.conferences_done) if history else {}
    invited_done = dict(history.invited_done) if history else {}
    conferences_left = np.array(
        [
            max(0, conf_rules.max_per_venue - len(done_conferences.get(v.venue_id, ())))
            for v in venues
        ],
        dtype=np.int64,
    )
    catchment_left = np.array(
        [max(0, v.catchment_target_people - invited_done.get(v.venue_id, 0)) for v in venues],
        dtype=np.int64,
    )
    if history is not None:
        _after_history(problem, history, pass_open, conf_open, team_works)
        pass_open[passes_left == 0] = False
        conf_open[conferences_left == 0] = False
    windows = tuple((s.earliest_min, s.latest_min) for s in conf_rules.slots)
    pass_requests = tuple(
        StopRequest(site=i, service_minutes=int(dwell[i]), driving=True) for i in range(n_c)
    )
    conference_requests = tuple(
        StopRequest(site=n_c + v, service_minutes=conf_rules.duration_minutes, windows=windows)
        for v in range(n_v)
    )
    return Instance(
        problem=problem,
        n_communes=n_c,
        n_venues=n_v,
        n_days=n_d,
        n_teams=n_t,
        km=km,
        minutes=minutes,
        dwell=dwell,
        pass_people=pass_people,
        pass_points=pass_points,
        pass_open=pass_open,
        conf_open=conf_open,
        conf_seats=conf_seats,
        conf_point_per_attendee=point_per_attendee,
        pass_point_per_person=per_person,
        team_base_site=team_base_site,
        team_works=team_works,
        team_may_visit=team_may_visit,
        week_of_day=week_of_day,
        conferences_done_in_week=_conferences_done_in_week(problem, first_monday),
        team_hosts_conferences=hosts,
        pass_requests=pass_requests,
        conference_requests=conference_requests,
        passes_done=passes_done,
        passes_left=passes_left,
        conferences_left=conferences_left,
        catchment_left=catchment_left,
        min_passes_left=minimums.minimums_left(problem, "pass"),
        min_conferences_left=minimums.minimums_left(problem, "conference"),
        keep_bonus=_keep_bonus(
            problem,
            pass_points,
            conf_seats,
            conf_rules.show_up,
            point_per_attendee,
            catchment_left,
            team_works,
        ),
    )


def _boat_reach(problem: ProvinceProblem, bases: list[Commune | None]) -> list[frozenset[str]]:
    """Per team, the island communes its boats reach: those of every crossing whose pier the
    team can drive to (domain `ProvinceProblem.reachable`, computed once per team)."""
    if not problem.crossings:
        return [frozenset()] * len(bases)
    communes = {c.code: c for c in problem.communes}
    out = []
    for base in bases:
        reach: set[str] = set()
        for crossing in problem.crossings:
            pier = communes.get(crossing.pier_commune)
            if pier is not None and by_road(base, pier, boat_allowed=problem.boat_allowed):
                reach.update(crossing.communes)
        out.append(frozenset(reach))
    return out


def _boat_legs(
    problem: ProvinceProblem, minutes: dict[str, np.ndarray], km: np.ndarray
) -> np.ndarray:
    """Travel to and from island communes served by a boat: by road to the pier, then the
    crossing (its minutes, and its km or the straight line from the pier). Legs between
    places of one crossing stay as they are (on the island). The travel source's matrices
    are copied, never changed (they may be cached); ``minutes`` gets the copies, the new km
    matrix is returned."""
    if not problem.crossings:
        return km
    km = km.copy()
    for vehicle in minutes:
        minutes[vehicle] = minutes[vehicle].copy()
    n_c = len(problem.communes)
    index = problem.commune_index()
    for crossing in problem.crossings:
        pier = index.get(crossing.pier_commune)
        if pier is None:
            continue
        island = [index[c] for c in crossing.communes if c in index]
        island += [
            n_c + v
            for v, venue in enumerate(problem.venues)
            if venue.commune_code in crossing.communes
        ]
        if not island:
            continue
        inside = np.zeros(km.shape[0], dtype=bool)
        inside[island] = True
        outside = ~inside
        for s in island:
            sea_km = crossing.km or _straight_km(problem, pier, s)
            for matrix in minutes.values():
                matrix[outside, s] = matrix[outside, pier] + crossing.minutes
                matrix[s, outside] = crossing.minutes + matrix[pier, outside]
            km[outside, s] = km[outside, pier] + sea_km
            km[s, outside] = sea_km + km[pier, outside]
    return km


def _straight_km(problem: ProvinceProblem, a: int, site: int) -> float:
    """Great-circle km from commune a to a site (a commune, or a venue after the communes)."""
    n_c = len(problem.communes)
    here = problem.communes[a]
    there = problem.communes[site] if site < n_c else problem.venues[site - n_c]
    lat1, lon1, lat2, lon2 = map(np.radians, (here.lat, here.lon, there.lat, there.lon))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return float(2 * 6371.0088 * np.arcsin(np.sqrt(h)))


def _after_history(
    problem: ProvinceProblem,
    history: History,
    pass_open: np.ndarray,
    conf_open: np.ndarray,
    team_works: np.ndarray,
) -> None:
    """Close what a re-plan cannot do: days before it starts, and days too close to a done
    pass or conference in the same place (the spacing rules reach back into what was done)."""
    first = sum(1 for day in problem.dates if day < history.from_date)
    team_works[:, :first] = False
    day_of = {day: d for d, day in enumerate(problem.dates)}

    def close(row: np.ndarray, days: tuple[dt.date, ...], min_days_between: int) -> None:
        for day in days:
            if day in day_of:
                row[spacing.too_close(day_of[day], min_days_between)] = False

    if history.lead_binds:  # a re-plan; not the month planned around the launch day
        _announced_only(problem, history, conf_open)
    index = problem.commune_index()
    for code, days in history.passes_done:
        if code in index:
            close(pass_open[index[code]], days, problem.passes.min_days_between)
    venues = problem.venue_index()
    for venue_id, days in history.conferences_done:
        if venue_id in venues:
            close(conf_open[venues[venue_id]], days, problem.conferences.min_days_between)


def _conferences_done_in_week(
    problem: ProvinceProblem, first_monday: dt.date | None
) -> dict[tuple[int, int], int]:
    """A re-plan's done conferences per team and calendar week: they count toward the limit."""
    if problem.history is None or first_monday is None:
        return {}
    teams = {t.team_id: i for i, t in enumerate(problem.teams)}
    out: dict[tuple[int, int], int] = {}
    for team_id, days in problem.history.team_conferences_done:
        if team_id not in teams:
            continue
        for day in days:
            key = (teams[team_id], (day - first_monday).days // 7)
            out[key] = out.get(key, 0) + 1
    return out


def _announced_only(problem: ProvinceProblem, history: History, conf_open: np.ndarray) -> None:
    """Within ``lead_days`` of a re-plan's first day, only conferences already announced.

    A conference is announced days ahead (invitations through the commune and the post
    office): within the lead time a re-plan may keep a published conference (same venue and
    day) or drop it, but neither add one nor move one there.
    """
    lead = problem.conferences.lead_days
    if lead <= 0:
        return
    venues = problem.venue_index()
    published = {
        (venues[s.code], s.date)
        for s in history.published
        if s.kind == "conference" and s.code in venues
    }
    last = history.from_date + dt.timedelta(days=lead - 1)
    for d, day in enumerate(problem.dates):
        if history.from_date <= day <= last:
            for v in range(conf_open.shape[0]):
                if (v, day) not in published:
                    conf_open[v, d] = False


def _keep_bonus(
    problem: ProvinceProblem,
    pass_points: np.ndarray,
    conf_seats: np.ndarray,
    show_up: float,
    point_per_attendee: float,
    catchment_left: np.ndarray,
    team_works: np.ndarray,
) -> dict[tuple[str, int, int, int], float]:
    """The stability bonus of each published stop a re-plan could keep (same team, day, place).

    Worth ``stability`` x the stop's own value (a first-pass value for a pass, a full hall for a
    conference), so that the re-plan moves a published stop only for a clearly larger gain.
    """
    history = problem.history
    if history is None or history.stability <= 0:
        return {}
    teams = {t.team_id: i for i, t in enumerate(problem.teams)}
    days = {day: d for d, day in enumerate(problem.dates)}
    communes, venues = problem.commune_index(), problem.venue_index()
    bonus: dict[tuple[str, int, int, int], float] = {}
    for stop in history.published:
        t, d = teams.get(stop.team_id), days.get(stop.date)
        if t is None or d is None or not team_works[t, d]:
            continue
        if stop.kind == "pass" and stop.code in communes:
            c = communes[stop.code]
            bonus[("pass", c, t, d)] = history.stability * float(pass_points[c, 0])
        elif stop.kind == "conference" and stop.code in venues:
            v = venues[stop.code]
            invited = seats.invited(int(conf_seats[v, d]), int(catchment_left[v]))
            full_hall = points(conference_attendance(invited, show_up), point_per_attendee)
            bonus[("conference", v, t, d)] = history.stability * full_hall
    return bonus
