"""One province as numbers: the solver's input. No geopandas past this point.

Sites are indexed as: communes ``0..C-1`` then venues ``C..C+V-1``. Every value is in
*points*: people reached x reach_weight + expected enrolments x enrolment_weight (so the
objective reads in people-equivalents), before travel cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.domain import ProvinceProblem
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
    team_hosts_conferences: np.ndarray  # (T,) bool: crew >= staff needed
    pass_requests: tuple[StopRequest, ...]  # (C,) where and how long a pass takes
    conference_requests: tuple[StopRequest, ...]  # (V,) where, how long, in which slots

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
        in the venue's catchment); attendance = invited x show-up.
        """
        venue = self.problem.venues[v]
        left = max(0, venue.catchment_target_people - invited_before)
        invited = int(min(int(self.conf_seats[v, d]), left))
        return invited, invited * self.problem.conferences.show_up


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

    rules_ = problem.passes
    weights = problem.weights
    k_max = rules_.max_passes
    pass_people = np.array(
        [[rules_.people_reached(c.target_people, k + 1) for k in range(k_max)] for c in communes],
        dtype=float,
    ).reshape(n_c, k_max)
    per_person = weights.reach_weight + rules_.conversion * weights.enrolment_weight
    pass_points = pass_people * per_person
    dwell = np.array([rules_.dwell_for(c.kind) for c in communes], dtype=np.int32)

    pass_open = np.zeros((n_c, n_d), dtype=bool)
    for i, c in enumerate(communes):
        if not rules_.allowed or (c.boat_only and not problem.boat_allowed):
            continue
        for d in range(n_d):
            level = problem.rules[i][d]
            pass_open[i, d] = level.passes_allowed and not level.isolated

    conf_rules = problem.conferences
    index = problem.commune_index()
    conf_open = np.zeros((n_v, n_d), dtype=bool)
    conf_seats = np.zeros((n_v, n_d), dtype=np.int64)
    for v, venue in enumerate(venues):
        at = index.get(venue.commune_code)
        if at is None or not conf_rules.allowed or venue.kind not in conf_rules.venue_kinds:
            continue
        if communes[at].boat_only and not problem.boat_allowed:
            continue
        for d in range(n_d):
            level = problem.rules[at][d]
            if level.isolated or not level.conferences_allowed:
                continue
            seats = int(venue.hall_area_m2 / level.m2_per_person)
            cap = level.max_gathering
            if cap is not None:
                seats = min(seats, cap)
            conf_seats[v, d] = seats
            conf_open[v, d] = seats > 0

    venue_index = problem.venue_index()
    team_base_site = np.array([n_c + venue_index[t.base_venue_id] for t in teams], dtype=np.int64)
    date_index = {day: d for d, day in enumerate(problem.dates)}
    team_works = np.zeros((n_t, n_d), dtype=bool)
    for t, team in enumerate(teams):
        for day in team.days:
            if day in date_index:
                team_works[t, date_index[day]] = True
    hosts = np.array([t.crew >= conf_rules.staff_needed for t in teams], dtype=bool)
    windows = tuple((s.earliest_min, s.latest_min) for s in conf_rules.slots)
    pass_requests = tuple(StopRequest(site=i, service_minutes=int(dwell[i])) for i in range(n_c))
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
        conf_point_per_attendee=weights.reach_weight
        + conf_rules.conversion * weights.enrolment_weight,
        pass_point_per_person=per_person,
        team_base_site=team_base_site,
        team_works=team_works,
        team_hosts_conferences=hosts,
        pass_requests=pass_requests,
        conference_requests=conference_requests,
    )
