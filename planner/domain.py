"""The domain: frozen values describing one province's campaign, built from data/geo and a scenario.

Nothing here knows about OR-Tools, folium or geopandas. The flow is

    data/geo + scenario  ->  ProvinceProblem (this module)  ->  Instance (instance.py)
                         ->  solver  ->  Plan (plan.py)  ->  exporters

A *group* is the unit a team is responsible for and that fairness minimums apply to: a
district in the 63-province structure ("2020"), a post-office cluster of communes in the
current structure ("2025"), which has no district level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from planner.rules.reach import pass_people

Vehicle = Literal["car", "motorbike"]
Terrain = Literal["urban", "plain", "mountain"]


@dataclass(frozen=True)
class Commune:
    """A commune (phường, thị trấn, xã, đặc khu): a place a propaganda pass can visit."""

    code: str
    name: str
    kind: str  # "Phường" | "Thị trấn" | "Xã" | "Đặc khu"
    group_code: str
    group_name: str
    lat: float
    lon: float
    population: int
    target_people: int  # estimated working-age informal workers not yet insured
    terrain: Terrain
    boat_only: bool  # an island with no road link
    # Where the figures come from (data/geo/README.md 'Positions', 'Population'; "user_file"
    # for the user's own files and lists). Shown on the outputs, never used by the solver.
    position_method: str = "source"
    population_method: str = "user_file"
    position_estimated: bool = False  # the point was placed by rule, not located
    population_estimated: bool = False  # the population (and so the target people) is estimated


@dataclass(frozen=True)
class Group:
    """A district (2020 structure) or a post-office cluster (2025 structure)."""

    code: str
    name: str
    population: int
    target_people: int
    boat_only: bool
    n_communes: int


@dataclass(frozen=True)
class Venue:
    """A post office where a conference can be held and a team can be based."""

    venue_id: str
    name: str
    kind: Literal["group", "commune"]
    commune_code: str
    group_code: str
    lat: float
    lon: float
    hall_area_m2: float
    catchment_target_people: int  # people a conference here draws from
    # Where the figures come from, and what the planner knows of the place (the user's
    # lists, `planner data template`). Shown on the outputs, never used by the solver.
    position_estimated: bool = False  # the point was placed by rule (data/geo: always)
    hall_estimated: bool = False  # the hall's size is assumed (data/geo: 30 and 80 m2)
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    opening_hours: str = ""


@dataclass(frozen=True)
class WorkingDay:
    """When a team works on a day: minutes since midnight, and its lunch break."""

    start_min: int
    end_min: int
    lunch_earliest_min: int
    lunch_latest_min: int
    lunch_minutes: int
    # Traffic safety (scenario [safety]): minutes of driving (legs and loudspeaker passes) a
    # day and without a break, and the shortest stop that counts as a break. None: no limit.
    max_driving_minutes: int | None = None
    max_continuous_driving_minutes: int | None = None
    break_minutes: int = 15

    @property
    def usable_minutes(self) -> int:
        return self.end_min - self.start_min - self.lunch_minutes


@dataclass(frozen=True)
class Team:
    """A mobile propaganda team: its base post office, vehicle, crew and days of work."""

    team_id: str
    base_venue_id: str
    group_code: str
    vehicle: Vehicle
    crew: int
    days: tuple[dt.date, ...]
    working_day: WorkingDay
    # Working days the team stays at its base, out of ``days``: the commune of its base is
    # isolated then (nobody enters or leaves it), so it can neither drive out nor hold a
    # conference there.
    home_days: tuple[dt.date, ...] = ()
    # The groups (districts or clusters) the team works in: its own by default ("one team per
    # district"); more when the scenario lends it to neighbours; None: the whole province.
    territory: tuple[str, ...] | None = None

    def works_in(self, group_code: str) -> bool:
        return self.territory is None or group_code in self.territory


@dataclass(frozen=True)
class RuleLevel:
    """The COVID rule in force at a place on a day."""

    name: str
    passes_allowed: bool
    conferences_allowed: bool
    max_gathering: int | None  # None: no numeric cap
    m2_per_person: float
    isolated: bool


@dataclass(frozen=True)
class ConferenceSlot:
    name: str
    earliest_min: int
    latest_min: int


@dataclass(frozen=True)
class PassRules:
    """Propaganda pass parameters (from the scenario)."""

    allowed: bool
    dwell_minutes: dict[str, int]
    reach_share: float
    repeat_value: float
    max_passes: int
    min_days_between: int
    conversion: float

    def dwell_for(self, kind: str) -> int:
        return self.dwell_minutes.get(kind, max(self.dwell_minutes.values()))

    def people_reached(self, target_people: int, pass_number: int) -> float:
        """People reached by the pass_number-th pass (1-based): each repeat reaches less
        (`planner.rules.reach.pass_people`)."""
        return pass_people(target_people, pass_number, self.reach_share, self.repeat_value)


@dataclass(frozen=True)
class ConferenceRules:
    """Conference parameters (from the scenario)."""

    allowed: bool
    duration_minutes: int
    slots: tuple[ConferenceSlot, ...]
    staff_needed: int
    max_per_venue: int
    min_days_between: int
    show_up: float
    conversion: float
    venue_kinds: tuple[str, ...]
    max_per_team_day: int
    max_per_team_week: int | None = None  # per calendar week (Monday to Sunday); None: no limit
    lead_days: int = 0  # invitations go out this many days ahead (binds a re-plan)


@dataclass(frozen=True)
class Launch:
    """The launch day (scenario [launch]): every team's parade on a common clock.

    On ``date`` every team starts a parade through the most populous built-up communes of
    its own group at ``start_min`` (minutes since midnight), at most ``parade_communes`` of
    them; its crew then talks to people in small groups for ``group_minutes``, each group
    reaching ``people_per_group`` people directly.
    """

    date: dt.date
    start_min: int
    parade_communes: int
    group_minutes: int
    people_per_group: float


@dataclass(frozen=True)
class Weights:
    """Objective weights: value = reach x reach_weight + enrolments x enrolment_weight - km x cost."""

    reach_weight: float
    enrolment_weight: float
    travel_cost_per_km: float
    fairness_penalty: float
    # Compact mode: give up at most this share of the value to use the fewest team-days
    # (planner/solve/compact.py); None: off.
    compact_tolerance: float | None = None


@dataclass(frozen=True)
class Fairness:
    min_passes_per_group: int
    min_conferences_per_group: int


@dataclass(frozen=True)
class PublishedStop:
    """A stop of the published plan on or after a re-plan's first day (for stability)."""

    team_id: str
    date: dt.date
    kind: str  # "pass" | "conference"
    code: str  # commune code of a pass, venue id of a conference


@dataclass(frozen=True)
class History:
    """What teams reported done before a re-plan's first day, and what was published after it.

    Done stops are facts, not plans: they are kept as they were, count towards the limits
    (passes per commune, conferences per venue, spacing, fairness minimums) and toward the
    people already reached (a later pass is a repeat; people invited are not invited again).
    ``published`` is the published plan from ``from_date`` on: a re-plan is paid a stability
    bonus for each of these stops it keeps (same team, day and place).
    """

    from_date: dt.date
    passes_done: tuple[tuple[str, tuple[dt.date, ...]], ...] = ()  # commune code -> days
    conferences_done: tuple[tuple[str, tuple[dt.date, ...]], ...] = ()  # venue id -> days
    invited_done: tuple[tuple[str, int], ...] = ()  # venue id -> people invited already
    team_conferences_done: tuple[tuple[str, tuple[dt.date, ...]], ...] = ()  # team id -> days
    published: tuple[PublishedStop, ...] = ()
    stability: float = 0.0  # bonus per kept stop, as a fraction of the stop's value
    # A re-plan: conferences within lead_days of from_date only as published. False for
    # the launch day's parades, planned with the month (every conference can be announced).
    lead_binds: bool = True


def by_road(base: Commune | None, commune: Commune, *, boat_allowed: bool) -> bool:
    """A team based in ``base`` can drive to ``commune`` without a boat.

    Island districts (Phú Quốc, Cô Tô, Phú Quý, ...) have their own post office and their
    own team based on the island: that team drives to the communes of its own island
    district; only crossing between an island and the mainland needs a boat (allowed by the
    scenario's ``travel.boat_allowed``).
    """
    if boat_allowed:
        return True
    on_island = base is not None and base.boat_only
    if not commune.boat_only:
        return not on_island
    return (
        on_island
        and base is not None
        and base.group_code == commune.group_code
        and _km(base, commune) <= ISLAND_ROAD_KM
    )


#: An island district's communes farther than this from its team's base lie on another island
#: (Trường Sa's Song Tử Tây and Sinh Tồn, 150-300 km from Trường Sa Lớn): a boat is needed.
#: 60 km keeps every commune of the largest island, Phú Quốc (about 50 km long), on the road.
ISLAND_ROAD_KM = 60.0


def _km(a: Commune, b: Commune) -> float:
    """Great-circle km between two communes' points."""
    import math

    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class BoatCrossing:
    """A day-trip boat from a pier (a commune reached by road) to island communes.

    On the days it runs (``days``), a team that can drive to the pier may visit the island
    communes: each way costs the drive to the pier plus ``minutes`` on the boat.
    """

    name: str
    pier_commune: str
    communes: tuple[str, ...]
    minutes: int
    km: float
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class ProvinceProblem:
    """Everything needed to plan one province, in domain terms.

    ``rules[i][d]`` is the RuleLevel in force in ``communes[i]`` on ``dates[d]``; a venue
    follows the rule of the commune it stands in.
    """

    province_code: str
    province_name: str
    structure: str
    group_label: str  # "district" | "cluster"
    dates: tuple[dt.date, ...]
    communes: tuple[Commune, ...]
    groups: tuple[Group, ...]
    venues: tuple[Venue, ...]
    teams: tuple[Team, ...]
    rules: tuple[tuple[RuleLevel, ...], ...]
    passes: PassRules
    conferences: ConferenceRules
    fairness: Fairness
    weights: Weights
    boat_allowed: bool
    history: History | None = None  # set by a re-plan: done stops and the published plan
    notes: tuple[str, ...] = ()  # what the plan should tell the user (e.g. a team kept home)
    launch: Launch | None = None  # the launch day's parades, planned before the month
    crossings: tuple[BoatCrossing, ...] = ()  # day-trip boats to island communes

    def crossing_to(self, commune_code: str) -> BoatCrossing | None:
        """The boat that serves an island commune, if the scenario gives one."""
        return next((b for b in self.crossings if commune_code in b.communes), None)

    def reachable(self, team: Team, commune: Commune) -> bool:
        """The team can get there and back in a day: by road, or by road to a pier and a boat
        that serves the commune (on the days it runs: `boat_runs`)."""
        if self.by_road(team, commune):
            return True
        crossing = self.crossing_to(commune.code)
        if crossing is None:
            return False
        pier = next((c for c in self.communes if c.code == crossing.pier_commune), None)
        return pier is not None and self.by_road(team, pier)

    def boat_runs(self, commune_code: str, day: dt.date) -> bool:
        """No boat is needed, or the boat to the commune runs that day."""
        crossing = self.crossing_to(commune_code)
        return crossing is None or day in crossing.days

    def commune_index(self) -> dict[str, int]:
        return {c.code: i for i, c in enumerate(self.communes)}

    def base_commune(self, team: Team) -> Commune | None:
        """The commune the team's base post office stands in."""
        venue = next((v for v in self.venues if v.venue_id == team.base_venue_id), None)
        return next((c for c in self.communes if venue and c.code == venue.commune_code), None)

    def by_road(self, team: Team, commune: Commune) -> bool:
        """The team can drive from its base to the commune without a boat (see `by_road`)."""
        return by_road(self.base_commune(team), commune, boat_allowed=self.boat_allowed)

    def venue_index(self) -> dict[str, int]:
        return {v.venue_id: i for i, v in enumerate(self.venues)}
