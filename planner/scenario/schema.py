"""The scenario file's schema: frozen pydantic models, one per TOML table.

A scenario says which provinces to plan, over which days, with which teams, under which
COVID-19 rules, and how to value reach, enrolments and travel. Every field has a default
except the few a planner must decide (name, structure, provinces, campaign, teams).

Conventions:

- times of day are "HH:MM" strings (24-hour clock, "24:00" allowed as an end); the models
  expose them as minutes since midnight (`start_min`, `end_min`, ...);
- durations are whole minutes, distances kilometres, speeds km/h, areas m2;
- "group" is the unit a team is responsible for: a district in the "2020" structure, a
  cluster of communes around a post office in the "2025" structure (which has no districts);
- a mistake found by a validator that concerns another field than the one being validated is
  raised as `FieldProblem`, which carries the field's path so that the loader can name it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import urllib.parse
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

__all__ = [
    "COMMUNE_TYPES",
    "DEFAULT_DWELL_MINUTES",
    "DEFAULT_SPEEDS_KMH",
    "PATTERN_MEANINGS",
    "WEEKDAYS",
    "Absence",
    "Campaign",
    "ConferenceSlot",
    "Conferences",
    "Covid",
    "Fairness",
    "FieldProblem",
    "LunchBreak",
    "Objective",
    "Propaganda",
    "RuleLevel",
    "Scenario",
    "SolverSettings",
    "TeamRule",
    "TeamSpec",
    "Teams",
    "TimelineEntry",
    "Travel",
    "Uncertainty",
    "WorkingHours",
    "clock_minutes",
    "range_around",
    "server_url_problem",
]


class FieldProblem(ValueError):
    """A validation problem located at a field below the model that found it.

    `field` is the path relative to that model, e.g. ``("end",)`` or ``("list", 2, "id")``.
    In `message`, ``{at}`` stands for the dotted path of that model in the scenario file
    (``campaign``, ``covid`` ...); the loader fills it in.
    """

    def __init__(self, field: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- small value types -------------------------------------------------------------------

PROVINCE_CODE_PATTERN: Final = r"^[0-9]{2}$"
DISTRICT_CODE_PATTERN: Final = r"^[0-9]{3}$"
COMMUNE_CODE_PATTERN: Final = r"^[0-9]{5}$"
CLOCK_PATTERN: Final = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
NAME_PATTERN: Final = r"^[a-z0-9][a-z0-9_-]{0,63}$"
LEVEL_NAME_PATTERN: Final = r"^[a-z][a-z0-9_]{0,39}$"
IDENT_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
URL_PATTERN: Final = r"^https?://\S+$"

#: What each pattern means, in words, for error messages.
PATTERN_MEANINGS: Final[dict[str, str]] = {
    PROVINCE_CODE_PATTERN: "a 2-digit province code like '27'",
    DISTRICT_CODE_PATTERN: "a 3-digit district code like '256'",
    COMMUNE_CODE_PATTERN: "a 5-digit commune code like '09349'",
    CLOCK_PATTERN: "a time of day 'HH:MM' like '07:30' (00:00 to 24:00)",
    NAME_PATTERN: "a short lowercase name of letters a-z, digits, '-' and '_' like 'demo-2'",
    LEVEL_NAME_PATTERN: "a lowercase name of letters a-z, digits and '_' like 'd19_low'",
    IDENT_PATTERN: "an identifier of letters, digits, '.', '-' and '_' like 'PO-D-256'",
    URL_PATTERN: "a web address starting with http:// or https://",
}

ProvinceCode = Annotated[str, Field(pattern=PROVINCE_CODE_PATTERN)]
ClockTime = Annotated[str, Field(pattern=CLOCK_PATTERN)]
Identifier = Annotated[str, Field(pattern=IDENT_PATTERN)]
LevelName = Annotated[str, Field(pattern=LEVEL_NAME_PATTERN)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Vehicle = Literal["car", "motorbike"]
Terrain = Literal["urban", "plain", "mountain"]
CommuneType = Literal["Phường", "Thị trấn", "Xã", "Đặc khu"]
Scope = Literal["province", "group", "commune"]
VenueKind = Literal["group", "commune"]

WEEKDAYS: Final[tuple[Weekday, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COMMUNE_TYPES: Final[tuple[CommuneType, ...]] = ("Phường", "Thị trấn", "Xã", "Đặc khu")
DEFAULT_DWELL_MINUTES: Final[dict[CommuneType, int]] = {
    "Phường": 30,
    "Thị trấn": 30,
    "Xã": 45,
    "Đặc khu": 45,
}
DEFAULT_SPEEDS_KMH: Final[dict[Vehicle, dict[Terrain, float]]] = {
    "car": {"urban": 30.0, "plain": 50.0, "mountain": 35.0},
    "motorbike": {"urban": 25.0, "plain": 40.0, "mountain": 30.0},
}
MAX_CAMPAIGN_DAYS: Final = 366
#: Provinces planned by provinces = "all", by structure.
PROVINCES_IN_STRUCTURE: Final[dict[str, int]] = {"2020": 63, "2025": 34}
#: Most Monte Carlo draws x provinces (planner/uncertainty.py keeps a few arrays of that size).
MAX_DRAW_CELLS: Final = 5_000_000
#: Campaign dates outside these years are a typo in the year (0202, 2202), not a campaign:
#: the data describe Vietnam's structures of 2020 and 2025, the rates 2019's campaign.
FIRST_CAMPAIGN_DAY: Final = dt.date(2000, 1, 1)
LAST_CAMPAIGN_DAY: Final = dt.date(2099, 12, 31)
MAX_CREW: Final = 50
MAX_PEOPLE: Final = 100_000


def clock_minutes(hhmm: str) -> int:
    """Minutes since midnight of an "HH:MM" string ("24:00" -> 1440)."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _unique(values: list[Any], what: str) -> list[Any]:
    """Reject a list that names the same value twice (the message names the first repeat)."""
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise FieldProblem((index,), f"{what} {value!r} is listed twice")
        seen.add(value)
    return values


def _merge_defaults(value: Any, defaults: Mapping[Any, Any]) -> Any:
    """Fill the keys a table leaves out from `defaults` (other input is left to validation)."""
    if isinstance(value, dict):
        return {**defaults, **value}
    return value


def _no_control_characters(value: Any) -> Any:
    """Reject a file path with control characters (a NUL cannot even be opened)."""
    if isinstance(value, str):
        for index, char in enumerate(value):
            if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
                raise ValueError(
                    f"must be a file path without control characters ({char!r} at character "
                    f"{index + 1}), got {value!r}"
                )
    return value


def server_url_problem(url: str) -> str | None:
    """Why `url` cannot be a routing server's base URL, or None when it can.

    It must be http:// or https://, name a host (a DNS name or an IP address), and have a
    valid port if it gives one; no spaces or control characters, no ?query or #fragment
    (the engines append their own paths and queries to it).
    """
    for index, char in enumerate(url):
        if char.isspace() or not char.isprintable():
            return (
                f"must not contain spaces or control characters ({char!r} at character {index + 1})"
            )
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as error:
        return f"is not a valid URL ({error})"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not url.lower().startswith(f"{scheme}://"):
        return "must start with http:// or https://, e.g. 'http://localhost:5000'"
    host = parts.hostname
    if not host:
        return "names no host after http://, e.g. 'http://localhost:5000'"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "must be the server's base URL, without a ?query or #fragment"
    if ":" in host:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return f"has an invalid IPv6 address {host!r}"
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"has an invalid host name {host!r}"
    if not re.fullmatch(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?", ascii_host) or (
        ".." in ascii_host
    ):
        return f"has an invalid host name {host!r}"
    return None


class _Model(BaseModel):
    """Base of every scenario table: immutable, strict types, unknown fields rejected."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        validate_default=False,
    )


# --- campaign ----------------------------------------------------------------------------


class Campaign(_Model):
    """The campaign's dates: teams and conferences are planned from `start` to `end`."""

    start: dt.date = Field(description="First campaign day (a TOML date, e.g. 2020-05-23).")
    end: dt.date = Field(
        description="Last campaign day, included (on or after start; at most 366 days in all)."
    )

    @model_validator(mode="after")
    def _check_dates(self) -> Campaign:
        for key, day in (("start", self.start), ("end", self.end)):
            if not FIRST_CAMPAIGN_DAY <= day <= LAST_CAMPAIGN_DAY:
                raise FieldProblem(
                    (key,),
                    f"must be a date in the years {FIRST_CAMPAIGN_DAY.year} to "
                    f"{LAST_CAMPAIGN_DAY.year} (a typo in the year?), got {day}",
                )
        if self.end < self.start:
            raise FieldProblem(
                ("end",),
                f"must be on or after {{at}}.start ({self.start}), got {self.end}",
            )
        days = (self.end - self.start).days + 1
        if days > MAX_CAMPAIGN_DAYS:
            raise FieldProblem(
                ("end",),
                f"the campaign may last at most {MAX_CAMPAIGN_DAYS} days, "
                f"got {days} days ({self.start} to {self.end})",
            )
        return self

    @property
    def days(self) -> list[dt.date]:
        """Every campaign day, in order."""
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=offset) for offset in range(count)]


# --- teams -------------------------------------------------------------------------------


class WorkingHours(_Model):
    """The hours a team works on a day: it leaves its base at `start` and is back by `end`."""

    start: ClockTime = Field(
        default="07:30", description="Time the team leaves its base, 'HH:MM' (24-hour clock)."
    )
    end: ClockTime = Field(
        default="17:00",
        description="Time the team must be back at its base, 'HH:MM' (later than start).",
    )

    @model_validator(mode="after")
    def _check_order(self) -> WorkingHours:
        if self.end_min <= self.start_min:
            raise FieldProblem(
                ("end",), f"must be later than {{at}}.start ({self.start}), got {self.end}"
            )
        return self

    @property
    def start_min(self) -> int:
        """`start` in minutes since midnight."""
        return clock_minutes(self.start)

    @property
    def end_min(self) -> int:
        """`end` in minutes since midnight."""
        return clock_minutes(self.end)


class _StartWindow:
    """A start between `earliest` and `latest` ('HH:MM', the latest not before the
    earliest): the lunch break's and a conference slot's. The fields are the models' own
    (their order and descriptions are the JSON schema's); this holds what they share."""

    if TYPE_CHECKING:
        earliest: str
        latest: str

    def _window_checked(self) -> Self:
        if self.latest_min < self.earliest_min:
            raise FieldProblem(
                ("latest",),
                f"must not be before {{at}}.earliest ({self.earliest}), got {self.latest}",
            )
        return self

    @property
    def earliest_min(self) -> int:
        """`earliest` in minutes since midnight."""
        return clock_minutes(self.earliest)

    @property
    def latest_min(self) -> int:
        """`latest` in minutes since midnight."""
        return clock_minutes(self.latest)


class LunchBreak(_Model, _StartWindow):
    """The lunch break: `minutes` long, starting between `earliest` and `latest`."""

    earliest: ClockTime = Field(
        default="11:00", description="Earliest time the break may start, 'HH:MM'."
    )
    latest: ClockTime = Field(
        default="13:00",
        description="Latest time the break may start, 'HH:MM' (not before earliest).",
    )
    minutes: int = Field(
        default=60, ge=0, le=240, description="Length of the break in minutes (0 = no break)."
    )

    @model_validator(mode="after")
    def _check_window(self) -> LunchBreak:
        return self._window_checked()

    def fit_problem(self, hours: WorkingHours) -> str | None:
        """Why this break does not fit inside `hours`, or None if it does."""
        if self.minutes == 0:
            return None
        if self.earliest_min < hours.start_min:
            return (
                f"the lunch break may start at {self.earliest}, before the working day "
                f"starts at {hours.start}"
            )
        if self.latest_min + self.minutes > hours.end_min:
            return (
                f"a {self.minutes}-minute lunch break starting as late as {self.latest} "
                f"ends after the working day ends at {hours.end}"
            )
        return None


class TeamRule(_Model):
    """Teams made by a rule: `teams_per_group` teams in every group (district or cluster)."""

    per: Literal["group"] = Field(
        default="group",
        description=(
            "What a team is made for: 'group' = one district in the 2020 structure, one "
            "cluster of communes around a post office in the 2025 structure."
        ),
    )
    vehicle: Vehicle = Field(description="Vehicle of every team made by the rule.")
    crew: int = Field(ge=1, le=MAX_CREW, description="People in each team (1 to 50).")
    base: Literal["group_post_office"] = Field(
        default="group_post_office",
        description="Where each team starts and ends its day: the group's main post office.",
    )
    teams_per_group: int = Field(
        default=1, ge=1, le=20, description="Number of teams made in each group (1 to 20)."
    )


class TeamSpec(_Model):
    """One team named explicitly (in addition to the teams a rule makes)."""

    id: Identifier = Field(description="Unique team id, e.g. 'BN-car-1'.")
    base: Identifier = Field(
        description="Venue id of the team's base (a post office id from data/geo, e.g. 'PO-D-256')."
    )
    vehicle: Vehicle = Field(description="The team's vehicle.")
    crew: int = Field(ge=1, le=MAX_CREW, description="People in the team (1 to 50).")
    province: ProvinceCode = Field(
        description="2-digit code of the province the team works in (one of provinces)."
    )
    days: list[dt.date] | None = Field(
        default=None,
        min_length=1,
        description=(
            "Explicit dates the team works, all inside the campaign; when given, weekdays "
            "is ignored. Left out = every campaign day on the team's weekdays."
        ),
    )
    weekdays: list[Weekday] | None = Field(
        default=None,
        min_length=1,
        description="Days of the week the team works; left out = teams.weekdays.",
    )
    working_hours: WorkingHours | None = Field(
        default=None,
        description="The team's own working hours; keys left out come from teams.working_hours.",
    )
    lunch_break: LunchBreak | None = Field(
        default=None,
        description="The team's own lunch break; keys left out come from teams.lunch_break.",
    )

    @field_validator("days")
    @classmethod
    def _unique_days(cls, days: list[dt.date] | None) -> list[dt.date] | None:
        return None if days is None else _unique(days, "the date")

    @field_validator("weekdays")
    @classmethod
    def _unique_weekdays(cls, weekdays: list[Weekday] | None) -> list[Weekday] | None:
        return None if weekdays is None else _unique(weekdays, "the weekday")


class Absence(_Model):
    """Days a team does not work: out sick, its vehicle broken, called to other duties."""

    team: Identifier = Field(
        description=(
            "Id of the team: one listed in teams.list, or one made by the rule, "
            "'<province>-<district or cluster>-<k>' (e.g. '27-262-1')."
        )
    )
    start: dt.date = Field(description="First day away.")
    end: dt.date = Field(description="Last day away, included.")
    note: str = Field(default="", description="Why, in words.")

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        if self.end < self.start:
            raise FieldProblem(
                ("end",), f"must be on or after start ({self.start}), got {self.end}"
            )
        return self


class Loan(_Model):
    """A team lent to other districts (clusters) of its province, on top of its territory."""

    team: Identifier = Field(
        description="Id of the team lent, e.g. '27-256-1' (one made by the rule, or listed)."
    )
    groups: list[Identifier] = Field(
        min_length=1,
        description="Codes of the districts (clusters) it may also work in, e.g. ['258'].",
    )
    note: str = Field(default="", description="Why, in words.")


Territory = Literal["own", "neighbours", "province"]

_TeamList = list[TeamSpec]
_AbsenceList = list[Absence]  # `list` is a field of Teams: the alias keeps the builtin
_LoanList = list[Loan]
_WeekdayList = list[Weekday]


class Teams(_Model):
    """The mobile propaganda teams: made by a rule, listed one by one, or both."""

    rule: TeamRule | None = Field(
        default=None, description="Make teams by rule (e.g. one motorbike team per district)."
    )
    list: _TeamList = Field(
        default=[],
        description="Teams named one by one (TOML [[teams.list]]), added to the rule's teams.",
    )
    working_hours: WorkingHours = Field(
        default=WorkingHours(), description="Working hours of every team unless it says otherwise."
    )
    lunch_break: LunchBreak = Field(
        default=LunchBreak(), description="Lunch break of every team unless it says otherwise."
    )
    weekdays: _WeekdayList = Field(
        default=["mon", "tue", "wed", "thu", "fri", "sat"],
        min_length=1,
        description="Days of the week teams work unless a team says otherwise (default mon-sat).",
    )
    absences: _AbsenceList = Field(
        default=[],
        description=(
            "Days a team does not work (TOML [[teams.absences]]: team, start, end), e.g. a "
            "team out sick; a re-plan (`planner replan --scenario`) plans around them."
        ),
    )
    territory: Territory = Field(
        default="own",
        description=(
            "Where teams work. 'own' (default): each team in its own district (cluster), as "
            "the campaign is run ('one mobile or district team per district'); 'neighbours': "
            "also the districts whose approximate polygons touch its own; 'province': anywhere "
            "in its province (the optimiser lends teams freely)."
        ),
    )
    loans: _LoanList = Field(
        default=[],
        description=(
            "Teams lent to named districts (clusters) of their province on top of their "
            "territory (TOML [[teams.loans]]: team, groups, note): a decision the planner "
            "makes and sees."
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _inherit_team_hours(cls, data: Any) -> Any:
        """A team's partial working_hours / lunch_break take missing keys from the teams'."""
        if not isinstance(data, dict) or not isinstance(data.get("list"), list):
            return data
        teams = []
        for team in data["list"]:
            if isinstance(team, dict):
                team = dict(team)
                for key in ("working_hours", "lunch_break"):
                    shared = data.get(key)
                    own = team.get(key)
                    if isinstance(own, dict) and isinstance(shared, dict):
                        team[key] = {**shared, **own}
            teams.append(team)
        return {**data, "list": teams}

    @field_validator("weekdays")
    @classmethod
    def _unique_weekdays(cls, weekdays: _WeekdayList) -> _WeekdayList:
        return _unique(weekdays, "the weekday")

    @model_validator(mode="after")
    def _check_teams(self) -> Teams:
        if self.rule is None and not self.list:
            raise FieldProblem(
                (),
                "no teams: give a rule ([teams.rule]) or a list of teams ([[teams.list]]), or both",
            )
        first_index: dict[str, int] = {}
        for index, team in enumerate(self.list):
            if team.id in first_index:
                raise FieldProblem(
                    ("list", index, "id"),
                    f"duplicate team id {team.id!r} (also {{at}}.list[{first_index[team.id]}])",
                )
            first_index[team.id] = index
        problem = self.lunch_break.fit_problem(self.working_hours)
        if problem is not None:
            raise FieldProblem(("lunch_break",), problem)
        for index, team in enumerate(self.list):
            if team.working_hours is None and team.lunch_break is None:
                continue
            problem = self.lunch_of(team).fit_problem(self.hours_of(team))
            if problem is not None:
                where = "lunch_break" if team.lunch_break is not None else "working_hours"
                raise FieldProblem(("list", index, where), problem)
        return self

    def hours_of(self, team: TeamSpec) -> WorkingHours:
        """The working hours that apply to `team`."""
        return team.working_hours or self.working_hours

    def lunch_of(self, team: TeamSpec) -> LunchBreak:
        """The lunch break that applies to `team`."""
        return team.lunch_break or self.lunch_break

    def weekdays_of(self, team: TeamSpec) -> _WeekdayList:
        """The days of the week `team` works (ignored when the team lists its days)."""
        return team.weekdays or self.weekdays


# --- propaganda passes -------------------------------------------------------------------


class Propaganda(_Model):
    """Propaganda passes: a team drives through a commune with banners and loudspeakers."""

    dwell_minutes: dict[CommuneType, Annotated[int, Field(gt=0, le=1440)]] = Field(
        default=DEFAULT_DWELL_MINUTES,
        description=(
            "Minutes a pass spends in a commune, by commune type ('Phường', 'Thị trấn', 'Xã', "
            "'Đặc khu'); types left out keep their default (30, 30, 45, 45)."
        ),
    )
    reach_share: float = Field(
        default=0.05,
        gt=0,
        le=1,
        description="Share of a commune's target people reached by a first pass (0 < x <= 1).",
    )
    repeat_value: float = Field(
        default=0.5,
        ge=0,
        lt=1,
        description=(
            "Each further pass in a commune reaches this fraction of what the previous pass "
            "reached (0 <= x < 1; diminishing returns)."
        ),
    )
    max_passes: int = Field(
        default=3, ge=1, le=100, description="Most passes through one commune in the campaign."
    )
    min_days_between_passes: int = Field(
        default=3,
        ge=0,
        le=MAX_CAMPAIGN_DAYS,
        description="Fewest days between two passes through one commune (0 = same day allowed).",
    )
    conversion: float = Field(
        default=0.005,
        ge=0,
        le=1,
        description=(
            "Share of reached people who enrol after a pass (0 to 1). Default 0.005: in May "
            "2022 the month after launch day brought 10,564 new participants through every "
            "channel while the loudspeaker system made 14,000 broadcasts, at most 0.75 per "
            "broadcast; a first pass reaches about 98 people, so at most 0.77 % (docs/rates.md)."
        ),
    )
    allowed: bool = Field(default=True, description="Whether passes are planned at all.")

    @field_validator("dwell_minutes", mode="before")
    @classmethod
    def _fill_dwell(cls, value: Any) -> Any:
        return _merge_defaults(value, DEFAULT_DWELL_MINUTES)


# --- conferences -------------------------------------------------------------------------


class ConferenceSlot(_Model, _StartWindow):
    """A time slot for conferences: a conference starts between `earliest` and `latest`."""

    name: Identifier = Field(description="Slot name shown in schedules, e.g. 'morning'.")
    earliest: ClockTime = Field(description="Earliest start of a conference in the slot, 'HH:MM'.")
    latest: ClockTime = Field(
        description="Latest start of a conference in the slot, 'HH:MM' (not before earliest)."
    )

    @model_validator(mode="after")
    def _check_window(self) -> ConferenceSlot:
        return self._window_checked()


_SlotList = list[ConferenceSlot]
_VenueKindList = list[VenueKind]


class Conferences(_Model):
    """Propaganda conferences: direct talks to a group at a post office or commune hall."""

    allowed: bool = Field(default=True, description="Whether conferences are planned at all.")
    duration_minutes: int = Field(
        default=90, ge=1, le=1440, description="Length of one conference in minutes."
    )
    slots: _SlotList = Field(
        default=[
            ConferenceSlot(name="morning", earliest="08:00", latest="09:30"),
            ConferenceSlot(name="afternoon", earliest="14:00", latest="15:00"),
        ],
        min_length=1,
        description="Time slots a conference may start in (default morning 08:00-09:30, "
        "afternoon 14:00-15:00).",
    )
    staff_needed: int = Field(
        default=2,
        ge=1,
        le=MAX_CREW,
        description="Team members needed to run a conference (a smaller team cannot hold one).",
    )
    max_per_venue: int = Field(
        default=2,
        ge=1,
        le=1000,
        description="Most conferences at one venue over the whole campaign.",
    )
    min_days_between_at_venue: int = Field(
        default=7,
        ge=0,
        le=MAX_CAMPAIGN_DAYS,
        description="Fewest days between two conferences at the same venue.",
    )
    show_up: float = Field(
        default=0.7, ge=0, le=1, description="Share of invited people who attend (0 to 1)."
    )
    conversion: float = Field(
        default=0.10,
        ge=0,
        le=1,
        description=(
            "Share of attendees who enrol (0 to 1). Default 0.10: three quarters of the best "
            "day on record, when 22,306 of the 168,000 people reached directly joined (13.3 %, "
            "launch day May 2022, every channel; docs/rates.md)."
        ),
    )
    venue_kinds: _VenueKindList = Field(
        default=["group", "commune"],
        min_length=1,
        description=(
            "Where conferences may be held: 'group' = the group's post office (district or "
            "cluster), 'commune' = commune post offices and halls."
        ),
    )
    max_per_team_day: int = Field(
        default=1, ge=1, le=10, description="Most conferences one team holds on one day."
    )
    max_per_team_week: int | None = Field(
        default=2,
        ge=1,
        le=70,
        description=(
            "Most conferences one team holds in a calendar week (Monday to Sunday); none: no "
            "limit. Default 2: a conference is prepared days ahead through the commune and the "
            "post office, and a team holds one on some days, not every day; with one team per "
            "district a month then holds at most 686 x 30 / 7 x 2 = 5,880 conferences, below "
            "the 6,600 direct groups of the busiest day on record (launch day, May 2022; "
            "docs/rates.md)."
        ),
    )
    lead_days: int = Field(
        default=3,
        ge=0,
        le=60,
        description=(
            "Days ahead a conference is announced (invitations through the commune and the "
            "post office). In a re-plan, no conference is added or moved within this many days "
            "of the re-plan date: only published ones may be held then."
        ),
    )

    @field_validator("slots")
    @classmethod
    def _unique_slot_names(cls, slots: list[ConferenceSlot]) -> list[ConferenceSlot]:
        seen: set[str] = set()
        for index, slot in enumerate(slots):
            if slot.name in seen:
                raise FieldProblem((index, "name"), f"slot name {slot.name!r} is used twice")
            seen.add(slot.name)
        return slots

    @field_validator("venue_kinds")
    @classmethod
    def _unique_kinds(cls, kinds: list[VenueKind]) -> list[VenueKind]:
        return _unique(kinds, "the venue kind")


# --- boats -------------------------------------------------------------------------------

CommuneCode = Annotated[str, Field(pattern=COMMUNE_CODE_PATTERN)]


class BoatCrossing(_Model):
    """A boat from a pier to island communes of a mainland district, on the days it runs.

    Island districts (Phú Quốc, Cô Tô, ...) have their own teams, based on the island. Some
    mainland districts also hold island communes (Quan Lạn and Minh Châu in Vân Đồn, the Cát
    Bà archipelago's communes in Cát Hải, Nhơn Châu in Quy Nhơn): their district team reaches
    them by a day trip on the boat. A team may then visit those communes on the days the boat
    runs: it drives to the pier, crosses (``minutes`` each way) and comes back the same day.
    """

    name: str = Field(default="", description="Name of the crossing, e.g. 'Cái Rồng – Quan Lạn'.")
    pier: CommuneCode = Field(
        description="5-digit code of the commune the boat leaves from (reached by road)."
    )
    communes: list[CommuneCode] = Field(
        min_length=1, description="5-digit codes of the island communes the boat serves."
    )
    minutes: int = Field(gt=0, le=600, description="Crossing time one way, in minutes.")
    km: float = Field(
        default=0.0,
        ge=0,
        le=500,
        description="Crossing distance one way in km (0: the straight line from the pier).",
    )
    weekdays: _WeekdayList = Field(
        default=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        description="Days of the week the boat runs (a day trip: out and back the same day).",
    )

    @field_validator("communes")
    @classmethod
    def _unique_communes(cls, value: list[str]) -> list[str]:
        return _unique(value, "the commune")


_CrossingList = list[BoatCrossing]


class Boat(_Model):
    """Boats the teams may take (see travel.boat_allowed for boats anywhere)."""

    crossings: _CrossingList = Field(
        default=[],
        description=(
            "Day-trip crossings to island communes of mainland districts (TOML "
            "[[boat.crossings]]: name, pier, communes, minutes, weekdays)."
        ),
    )


# --- traffic safety ----------------------------------------------------------------------


class Safety(_Model):
    """Traffic safety on the road, as the campaign asks ("ensuring traffic safety").

    A team's driving is every leg between places and every propaganda pass (a pass is a
    drive through the commune's streets at loudspeaker pace, 10-15 km/h in built-up areas,
    well below the urban travel speeds; its length is the pass's dwell minutes). Defaults
    follow Vietnam's rules for drivers: the Road Traffic Law 2008 (Luật Giao thông đường bộ,
    Art. 65; kept by the Road Traffic Order and Safety Law 2024, Art. 64) limits a driver
    to 10 hours at the wheel a day and 4 hours without a break. The length of the break is
    not set by the law for non-commercial driving: 15 minutes is the assumption here.
    """

    max_driving_minutes: int = Field(
        default=600,
        ge=30,
        le=1440,
        description=(
            "Most minutes a team drives in a day, legs and loudspeaker passes together. "
            "Default 600: the Road Traffic Law's 10 hours a day for a driver."
        ),
    )
    max_continuous_driving_minutes: int = Field(
        default=240,
        ge=15,
        le=1440,
        description=(
            "Most minutes of driving without a break (a stop of at least break_minutes: a "
            "conference, lunch, waiting, or a break taken on the way). Default 240: the Road "
            "Traffic Law's 4 hours without a break."
        ),
    )
    break_minutes: int = Field(
        default=15,
        ge=1,
        le=240,
        description=(
            "Shortest stop that ends a stretch of continuous driving (assumption: 15 minutes; "
            "the law sets the 4-hour limit, not the break's length, for non-commercial driving)."
        ),
    )
    daylight_only: bool = Field(
        default=True,
        description=(
            "Drive only between sunrise and sunset at the team's base: a team's working hours "
            "are cut to the latest sunrise and the earliest sunset of its campaign days "
            "(computed from the base's position and the dates)."
        ),
    )


# --- the launch day ----------------------------------------------------------------------


class Launch(_Model):
    """The campaign's launch day: a ceremony broadcast to every province, then parades.

    The seed's campaign (23 May 2020) opened with a ceremony broadcast from the centre to all
    63 provinces and, the same morning, one mobile or district team per district driving
    through its urban districts, towns and provincial capital; the crews then split into
    small groups that talk to people directly (May 2022: about 600 parades, 9,000 vehicles,
    6,600 groups that reached 168,000 people; data/facts/campaign_history.csv).
    """

    date: dt.date = Field(description="The launch day (a campaign day, usually the first).")
    start: ClockTime = Field(
        default="08:00",
        description=(
            "The common clock: every team starts its parade at this time, right after the "
            "broadcast ceremony, 'HH:MM'."
        ),
    )
    parade_communes: int = Field(
        default=3,
        ge=1,
        le=10,
        description=(
            "Most communes a team's parade drives through: the most populous built-up "
            "communes (wards and towns) of its own district, nearest first."
        ),
    )
    group_minutes: int = Field(
        default=120,
        ge=0,
        le=480,
        description=(
            "Minutes the crew spends in small groups talking to people after the parade "
            "(0: no small-group sessions)."
        ),
    )
    people_per_group: float = Field(
        default=25.0,
        ge=0,
        le=1000,
        description=(
            "People one small group reaches directly on launch day. Default 25: 168,000 "
            "people reached by about 6,600 groups on launch day, May 2022 (25.5 a group)."
        ),
    )


# --- COVID-19 rules ----------------------------------------------------------------------


class RuleLevel(_Model):
    """A level of COVID-19 rules: what may happen in a place while the level is in force."""

    name: str = Field(
        default="",
        description="The level's name: its key in covid.levels (filled in when loading).",
    )
    passes_allowed: bool = Field(default=True, description="Whether propaganda passes may run.")
    conferences_allowed: bool = Field(default=True, description="Whether conferences may be held.")
    max_gathering: int | None = Field(
        default=None,
        ge=0,
        le=MAX_PEOPLE,
        description="Largest gathering allowed, in people; left out = no numeric cap.",
    )
    m2_per_person: float = Field(
        default=1.0,
        gt=0,
        le=100,
        description=(
            "Floor area needed per attendee in m2 (1 m spacing -> about 1.0; 2 m -> 4.0); "
            "a hall of A m2 holds at most A / m2_per_person people."
        ),
    )
    isolated: bool = Field(
        default=False,
        description="Nobody enters the place (no passes, no conferences, no driving through).",
    )
    note: str = Field(default="", description="What the level stands for, in words.")
    source: str | None = Field(
        default=None,
        pattern=URL_PATTERN,
        description="Web address of the rule's source.",
    )

    @model_validator(mode="before")
    @classmethod
    def _isolation_forbids_all(cls, data: Any) -> Any:
        """An isolated level allows nothing: it cannot say that passes or conferences may run."""
        if not isinstance(data, dict) or data.get("isolated") is not True:
            return data
        for key in ("passes_allowed", "conferences_allowed"):
            if data.get(key) is True:
                raise FieldProblem(
                    (key,), "must be false (or left out) in an isolated level (isolated = true)"
                )
        return {**data, "passes_allowed": False, "conferences_allowed": False}


class TimelineEntry(_Model):
    """A level in force in some places (all of one scope) from `start` to `end`."""

    level: LevelName = Field(description="Name of a level defined in covid.levels.")
    start: dt.date = Field(description="First day the level is in force.")
    end: dt.date = Field(description="Last day the level is in force, included.")
    scope: Scope = Field(
        description=(
            "Kind of place the codes name: 'province', 'group' (district in 2020, cluster in "
            "2025) or 'commune'."
        )
    )
    codes: list[str] = Field(
        min_length=1,
        description=(
            "Codes of the places: 2-digit province codes, 3-digit district codes (2020) or "
            "cluster ids (2025), 5-digit commune codes."
        ),
    )
    note: str = Field(default="", description="Why the level applies there, in words.")

    @model_validator(mode="after")
    def _check_entry(self) -> TimelineEntry:
        if self.end < self.start:
            raise FieldProblem(
                ("end",), f"must be on or after {{at}}.start ({self.start}), got {self.end}"
            )
        # Group codes depend on the structure: the scenario checks them.
        if self.scope != "group":
            pattern = PROVINCE_CODE_PATTERN if self.scope == "province" else COMMUNE_CODE_PATTERN
            _check_codes(self.codes, pattern)
        try:
            _unique(self.codes, "the code")
        except FieldProblem as problem:
            raise FieldProblem(("codes", *problem.field), problem.message) from None
        return self

    def overlap(self, other: TimelineEntry) -> tuple[dt.date, dt.date] | None:
        """The days both entries are in force, as (first, last), or None."""
        first, last = max(self.start, other.start), min(self.end, other.end)
        return (first, last) if first <= last else None


def _check_codes(codes: list[str], pattern: str) -> None:
    """Every code must match `pattern`; the first that does not is named."""
    for index, code in enumerate(codes):
        if not re.fullmatch(pattern, code):
            raise FieldProblem(
                ("codes", index), f"must be {PATTERN_MEANINGS[pattern]}, got {code!r}"
            )


_TimelineList = list[TimelineEntry]


class Covid(_Model):
    """COVID-19 rules: named levels, and a timeline saying where each is in force when.

    Where no timeline entry is in force, `default_level` applies. The most specific entry
    wins: commune over group over province.
    """

    levels: dict[LevelName, RuleLevel] = Field(
        default={
            "open": RuleLevel(
                name="open",
                note="No numeric gathering cap (Vietnam from 7 May 2020).",
            )
        },
        description="The levels by name (TOML [covid.levels.<name>]).",
    )
    default_level: LevelName = Field(
        default="open", description="Level in force wherever no timeline entry is."
    )
    timeline: _TimelineList = Field(
        default=[],
        description="Where and when other levels are in force (TOML [[covid.timeline]]).",
    )

    @model_validator(mode="before")
    @classmethod
    def _name_levels(cls, data: Any) -> Any:
        """Give each level its key as its name."""
        if not isinstance(data, dict) or not isinstance(data.get("levels"), dict):
            return data
        levels: dict[Any, Any] = {}
        for key, level in data["levels"].items():
            if isinstance(level, dict):
                if "name" in level and level["name"] != key:
                    raise FieldProblem(
                        ("levels", key, "name"),
                        f"must be the level's key {key!r} (or left out), got {level['name']!r}",
                    )
                level = {**level, "name": key}
            levels[key] = level
        return {**data, "levels": levels}

    @model_validator(mode="after")
    def _check_rules(self) -> Covid:
        if self.default_level not in self.levels:
            raise FieldProblem(
                ("default_level",),
                f"names no level in {{at}}.levels (defined: {_names(self.levels)}), "
                f"got {self.default_level!r}",
            )
        for index, entry in enumerate(self.timeline):
            if entry.level not in self.levels:
                raise FieldProblem(
                    ("timeline", index, "level"),
                    f"names no level in {{at}}.levels (defined: {_names(self.levels)}), "
                    f"got {entry.level!r}",
                )
        self._check_overlaps()
        return self

    def _check_overlaps(self) -> None:
        """Two entries of one scope in force on the same day in the same place must agree."""
        for later_index, later in enumerate(self.timeline):
            for earlier_index, earlier in enumerate(self.timeline[:later_index]):
                if earlier.scope != later.scope or earlier.level == later.level:
                    continue
                days = earlier.overlap(later)
                shared = sorted(set(earlier.codes) & set(later.codes))
                if days is None or not shared:
                    continue
                when = f"on {days[0]}" if days[0] == days[1] else f"from {days[0]} to {days[1]}"
                raise FieldProblem(
                    ("timeline", later_index),
                    f"inconsistent overlap with {{at}}.timeline[{earlier_index}]: "
                    f"{later.scope} {shared[0]!r} would be both {later.level!r} (this entry) "
                    f"and {earlier.level!r} (the other) {when}",
                )

    @cached_property
    def entries_by_place(self) -> dict[tuple[Scope, str], tuple[TimelineEntry, ...]]:
        """The timeline indexed by (scope, code), for fast look-ups."""
        index: dict[tuple[Scope, str], list[TimelineEntry]] = {}
        for entry in self.timeline:
            for code in entry.codes:
                index.setdefault((entry.scope, code), []).append(entry)
        return {place: tuple(entries) for place, entries in index.items()}


def _given_fields(value: Any) -> dict[str, Any] | None:
    """The fields a table (or an already made model) gives explicitly; None if neither."""
    if isinstance(value, dict):
        return value
    if isinstance(value, BaseModel):
        return {name: getattr(value, name) for name in value.model_fields_set}
    return None


def _names(levels: dict[str, RuleLevel]) -> str:
    return ", ".join(sorted(levels)) or "none"


# --- fairness, travel, objective, solver -------------------------------------------------


class Fairness(_Model):
    """Minimums every group (district or cluster) gets, or the plan says why not."""

    min_passes_per_group: int = Field(
        default=1, ge=0, le=10_000, description="Fewest propaganda passes in each group."
    )
    min_conferences_per_group: int = Field(
        default=0, ge=0, le=10_000, description="Fewest conferences in each group."
    )


class Travel(_Model):
    """How travel times are estimated between places."""

    detour_factor: float = Field(
        default=1.3,
        ge=1,
        le=5,
        description="Road distance / great-circle distance (>= 1; 1.3 = roads 30% longer).",
    )
    speeds_kmh: dict[Vehicle, dict[Terrain, Annotated[float, Field(gt=0, le=200)]]] = Field(
        default=DEFAULT_SPEEDS_KMH,
        description=(
            "Average speed in km/h by vehicle and terrain (urban, plain, mountain). "
            "Assumed defaults, since measured rural averages were not found: car 30/50/35, "
            "motorbike 25/40/30. Keys left out keep their default."
        ),
    )
    boat_allowed: bool = Field(
        default=False,
        description=(
            "Whether teams may take a boat: island communes reachable only by boat are "
            "reported unreachable unless true."
        ),
    )
    source: Literal["great_circle", "osrm", "valhalla"] = Field(
        default="great_circle",
        description=(
            "Where travel times come from: 'great_circle' (distance x detour_factor / speed, "
            "no server needed), or the table / matrix API of your own 'osrm' or 'valhalla' "
            "routing server at `url`."
        ),
    )
    url: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Base URL of the routing server when source is 'osrm' or 'valhalla', e.g. "
            "'http://localhost:5000'."
        ),
    )
    cache_dir: str = Field(
        default=".planner-cache/travel",
        min_length=1,
        description=(
            "Folder (relative to the scenario file) where routing-server matrices are kept, "
            "keyed by their content, so that a re-run does not ask the server again."
        ),
    )
    block_size: int = Field(
        default=100,
        ge=2,
        le=10_000,
        description="Most places per side of one matrix request to the routing server.",
    )
    timeout_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="Time to wait for one routing-server answer."
    )
    retries: int = Field(
        default=3, ge=0, le=20, description="Further tries after a routing-server request fails."
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, url: str | None) -> str | None:
        problem = None if url is None else server_url_problem(url)
        if problem is not None:
            raise ValueError(f"{problem}, got {url!r}")
        return url

    @field_validator("cache_dir")
    @classmethod
    def _check_cache_dir(cls, value: str) -> str:
        return _no_control_characters(value)

    @field_validator("speeds_kmh", mode="before")
    @classmethod
    def _fill_speeds(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        merged: dict[Any, Any] = {v: dict(s) for v, s in DEFAULT_SPEEDS_KMH.items()}
        for vehicle, speeds in value.items():
            merged[vehicle] = _merge_defaults(speeds, merged.get(vehicle, {}))
        return merged


class DataFiles(_Model):
    """Your own geographic files, used instead of the shipped data/geo layers."""

    communes: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Commune boundaries or points (GeoPackage, GeoJSON, Shapefile, or CSV with lat/lon), "
            "relative to the scenario file; left out = data/geo. Columns as in data/geo/README.md."
        ),
    )
    post_offices: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Post offices (venues and team bases): GeoPackage, GeoJSON, Shapefile, or CSV with "
            "venue_id, venue_name, kind, commune_code, lat, lon, hall_area_m2; relative to the "
            "scenario file; left out = data/geo."
        ),
    )

    lists: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "A planner's own lists, applied on top of the data: the workbook (.xlsx) that "
            "`planner data template` writes, corrected (or a folder of its CSV files), "
            "relative to the scenario file: communes' target people and points, the venues "
            "of each province listed (seats, address, contact name and phone, opening "
            "hours) and team bases. Every row is checked; see README 'Estimates, and bringing "
            "your own lists'."
        ),
    )

    @field_validator("communes", "post_offices", "lists")
    @classmethod
    def _check_paths(cls, value: str | None) -> str | None:
        return _no_control_characters(value)


# The sourced figures behind the target definitions (data/facts/informal_workers.csv).
INFORMAL_NON_AGRICULTURAL_2020: Final = 20_300_000  # informal non-agricultural workers, 2020
VOLUNTARY_PARTICIPANTS_2019: Final = 574_000  # already in voluntary social insurance, end 2019
CENSUS_POPULATION_2019: Final = 96_208_891  # the census district rows' sum (data/geo)
DEFAULT_SHARE_OF_POPULATION: Final = (
    INFORMAL_NON_AGRICULTURAL_2020 - VOLUNTARY_PARTICIPANTS_2019
) / CENSUS_POPULATION_2019
TARGET_DEFINITIONS: Final = ("informal_non_agricultural", "informal_all")


class Targets(_Model):
    """Who the target people are: a definition from the sources, and its share of people."""

    definition: Literal["informal_non_agricultural", "informal_all"] = Field(
        default="informal_non_agricultural",
        description=(
            "'informal_non_agricultural': informal workers outside agriculture, 20.3 million "
            "in 2020 (GSO Labour Force Survey 2020; data/facts/informal_workers.csv), less the "
            "574,000 already in voluntary social insurance (end 2019): "
            "(20,300,000 - 574,000) / 96,208,891 = 20.5 % of the 2019 census population, the "
            "target_people of data/geo. 'informal_all': every informal worker, agriculture "
            "included. Its 2020 figure is NOT in the planner's sources (the 2020 survey's count "
            "including agriculture, and urban and rural shares, could not be sourced; the 2021 "
            "survey counts 33.6 million, 68.5 % of employment, under a new definition), so "
            "this option needs share_of_population (or share_urban and share_rural) from "
            "your source."
        ),
    )
    share_of_population: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description=(
            "Target people per person of a commune's population (left out: "
            "'informal_non_agricultural' keeps data/geo's target_people, "
            "(20,300,000 - 574,000) / 96,208,891 = 0.2050; 'informal_all' has no default). "
            "Applied to every commune whose target people are not the user's own figure."
        ),
    )
    share_urban: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description=(
            "As share_of_population, for urban communes (Phường, Thị trấn) only; with "
            "share_rural. No urban figure is in the planner's sources: give your own."
        ),
    )
    share_rural: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="As share_urban, for rural communes (Xã, Đặc khu).",
    )
    source: str | None = Field(
        default=None,
        pattern=URL_PATTERN,
        description="Web address of the figure your share comes from (shown in summary.json).",
    )

    @model_validator(mode="after")
    def _check_shares(self) -> Targets:
        if (self.share_urban is None) != (self.share_rural is None):
            given = "share_urban" if self.share_rural is None else "share_rural"
            missing = "share_rural" if self.share_rural is None else "share_urban"
            raise FieldProblem(
                (missing,),
                f"{given} is given without {missing}; give both, or share_of_population alone",
            )
        if (
            self.definition == "informal_all"
            and self.share_of_population is None
            and self.share_urban is None
        ):
            raise FieldProblem(
                ("share_of_population",),
                "definition 'informal_all' needs share_of_population (or share_urban and "
                "share_rural): the 2020 count of all informal workers, agriculture included, "
                "is not in the planner's sources",
            )
        return self

    def share(self, urban: bool) -> float | None:
        """The share of a commune's population that is target people; None: the data's."""
        if self.share_urban is not None and self.share_rural is not None:
            return self.share_urban if urban else self.share_rural
        return self.share_of_population


class Objective(_Model):
    """What a plan is worth: reach and enrolments, less travel cost, less unmet minimums."""

    reach_weight: float = Field(
        default=1.0, ge=0, le=1e6, description="Value of one person reached."
    )
    enrolment_weight: float = Field(
        default=10.0, ge=0, le=1e6, description="Value of one expected enrolment."
    )
    travel_cost_per_km: float = Field(
        default=0.2, ge=0, le=1e6, description="Cost of one km driven, in the same units."
    )
    fairness_penalty: float = Field(
        default=1000.0,
        ge=0,
        le=1e9,
        description="Cost of each pass or conference missing from a group's minimum.",
    )
    stability: float = Field(
        default=0.1,
        ge=0,
        le=10,
        description=(
            "Re-plans only: bonus for keeping a stop of the published plan (same team, day and "
            "place), as a fraction of that stop's value. 0.1 = a stop moves only for a gain of "
            "more than 10% of its value: communes were told when the loudspeakers come and "
            "conference invitations are out, so a change has a cost the model cannot see."
        ),
    )
    compact: bool = Field(
        default=False,
        description=(
            "Plan the same value with the fewest team-days (within compact_tolerance): a "
            "team-day is released when its work moves to the team's other days or is worth "
            "little, so that the plan reads 'this month needs 430 of 650 team-days'. Also "
            "`planner run --compact`; `planner sweep` with it right-sizes the teams."
        ),
    )
    compact_tolerance: float = Field(
        default=0.01,
        ge=0,
        le=0.5,
        description=(
            "How much value compact mode may give up to release team-days, as a share of the "
            "plan's value (0.01 = 1%)."
        ),
    )


Range = Annotated[
    tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]],
    Field(description="[low, high], 0 <= low <= high <= 1."),
]


class Uncertainty(_Model):
    """How uncertain turnout is: ranges for the rates the plan assumes, and the Monte Carlo.

    Each rate is drawn per draw from a triangular distribution over [low, high] whose mode is
    the scenario's own value (propaganda.reach_share, propaganda.conversion,
    conferences.show_up, conferences.conversion), so the plan's expected value stays the
    centre of the band. The defaults are argued in planner/uncertainty.py.
    """

    draws: int = Field(default=2000, ge=10, le=1_000_000, description="Monte Carlo draws per plan.")
    seed: int = Field(
        default=1, ge=0, le=2**31 - 1, description="Random seed of the Monte Carlo draws."
    )
    pass_reach_share: Range = Field(
        default=(0.03, 0.07), description="Range of propaganda.reach_share."
    )
    pass_conversion: Range = Field(
        default=(0.0025, 0.0075),
        description="Range of propaganda.conversion (ends at the 0.77 % ceiling, docs/rates.md).",
    )
    conference_show_up: Range = Field(
        default=(0.5, 0.9), description="Range of conferences.show_up."
    )
    conference_conversion: Range = Field(
        default=(0.067, 0.133),
        description="Range of conferences.conversion (ends at the 13.3 % ceiling, docs/rates.md).",
    )

    @field_validator(
        "pass_reach_share",
        "pass_conversion",
        "conference_show_up",
        "conference_conversion",
        mode="before",
    )
    @classmethod
    def _as_pair(cls, value: Any) -> Any:
        """A TOML array [low, high] (a list) is the range; its numbers are checked next."""
        if isinstance(value, list | tuple) and len(value) == 2:
            return tuple(value)
        if isinstance(value, list | tuple):
            got = f"a list of {len(value)} items" if value else "an empty list"
        elif isinstance(value, dict):
            got = "a table"
        else:
            got = repr(value) if isinstance(value, str) else str(value)
        raise ValueError(f"must be [low, high], two numbers like [0.03, 0.07], got {got}")

    @field_validator(
        "pass_reach_share", "pass_conversion", "conference_show_up", "conference_conversion"
    )
    @classmethod
    def _ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] > value[1]:
            raise ValueError(
                f"must be [low, high] with low <= high, got [{value[0]:g}, {value[1]:g}]"
            )
        return value


#: The rate each range of [uncertainty] is about: (table, field) of the scenario.
RATE_OF_RANGE: Final[dict[str, tuple[str, str]]] = {
    "pass_reach_share": ("propaganda", "reach_share"),
    "pass_conversion": ("propaganda", "conversion"),
    "conference_show_up": ("conferences", "show_up"),
    "conference_conversion": ("conferences", "conversion"),
}


#: How far outside the campaign a dated entry may lie before it must be a typo in the year.
NEAR_CAMPAIGN: Final = dt.timedelta(days=183)


def _far_outside(start: dt.date, end: dt.date, campaign: Campaign) -> bool:
    """Wholly outside the campaign and more than half a year from it (see NEAR_CAMPAIGN)."""
    return end < campaign.start - NEAR_CAMPAIGN or start > campaign.end + NEAR_CAMPAIGN


def range_around(
    rate: float, default_rate: float, default_range: tuple[float, float]
) -> tuple[float, float]:
    """The range of a rate the scenario sets without setting its range.

    The default range scaled by rate / default rate, clipped to [0, 1]: the default
    range's relative width below and above the default rate, kept around the new rate.
    reach_share = 0.1 gets [0.06, 0.14] (0.05 +- 40 %); show_up = 0.9 gets [0.643, 1].

    Why relative: the ranges say how wrong an assumed rate may be, and such an error is a
    factor ("1 % of the people reached enrol" may really be 0.5 %), not a fixed number of
    points: a fixed +-0.02 would make a reach share of 0.01 range over 0-0.03 and a share of
    0.5 over 0.48-0.52. Pass figures are linear in both rates (planner/uncertainty.py, 3),
    so with relative ranges a pass band's relative spread is the same whatever rate the
    scenario assumes: a variant with another rate (`planner sweep --vary`) is as uncertain
    as the base, no more, no less. The default ranges are symmetric about the default rates,
    so the scaled range stays symmetric about the scenario's rate, which keeps the band's
    mean at the plan's own figure (planner/uncertainty.py, "Where the plan's own figure
    falls"), except where it is clipped.

    Why clipped, not shrunk: a share cannot leave [0, 1]; the low end never reaches 0 (the
    default widths are below 100 %), the high end reaches 1 from a rate of about 0.67-0.78.
    There the range is cut at 1 rather than narrowed to stay symmetric: a show-up of 0.95
    is not known better than one of 0.7, it can only be wrong downwards, and the band then
    lies mostly below the plan's figure, the honest answer for a rate assumed near its best.
    A rate equal to its default keeps the default range exactly (so writing the default
    out changes nothing, not even the scenario's hash).
    """
    if rate == default_rate:
        return default_range
    low, high = default_range
    low = round(max(0.0, rate * (low / default_rate)), 12)
    high = round(min(1.0, rate * (high / default_rate)), 12)
    return min(low, rate), max(high, rate)


def _plain_rate(value: Any) -> bool:
    """Whether `value` is a rate that validation will accept as a number in [0, 1]."""
    # Comparisons, not math.isfinite: nan and inf fail them, and a huge int cannot overflow.
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


class SolverSettings(_Model):
    """Settings of the optimiser (OR-Tools CP-SAT), per province."""

    time_limit_seconds: float = Field(
        default=20.0, gt=0, le=86_400, description="Search time per province in seconds."
    )
    seed: int = Field(
        default=1, ge=0, le=2**31 - 1, description="Random seed, so runs can be repeated."
    )
    workers: int = Field(default=1, ge=1, le=256, description="CP-SAT search workers per province.")


# --- the scenario ------------------------------------------------------------------------


def _province_selection_tag(value: Any) -> str:
    return "all" if isinstance(value, str) else "codes"


ProvinceSelection = Annotated[
    Annotated[Literal["all"], Tag("all")]
    | Annotated[list[ProvinceCode], Field(min_length=1), Tag("codes")],
    Discriminator(_province_selection_tag),
]

#: Tags of tagged unions; they appear in pydantic's error locations and are dropped there.
UNION_TAGS: Final = frozenset({"all", "codes"})


class Scenario(_Model):
    """A planning scenario: where, when, with which teams, under which rules, to what end."""

    name: str = Field(
        pattern=NAME_PATTERN,
        description="Short name, used for the output folder outputs/<name>/ (e.g. 'demo').",
    )
    title: str | None = Field(
        default=None, description="Title shown on maps and reports (Vietnamese welcome)."
    )
    description: str = Field(default="", description="What the scenario is for, in words.")
    structure: Literal["2020", "2025"] = Field(
        description=(
            "Administrative structure: '2020' = the 63 provinces with districts as last in "
            "force (until 30 June 2025), the closest to the 2020 campaign; '2025' = the 34 "
            "provinces from 1 July 2025, no districts."
        )
    )
    provinces: ProvinceSelection = Field(
        description="'all', or a list of 2-digit province codes, e.g. ['27'] for Bắc Ninh."
    )
    campaign: Campaign = Field(description="The campaign's dates.")
    teams: Teams = Field(description="The mobile propaganda teams.")
    propaganda: Propaganda = Field(default=Propaganda(), description="Propaganda passes.")
    conferences: Conferences = Field(default=Conferences(), description="Conferences.")
    covid: Covid = Field(default=Covid(), description="COVID-19 rules in force.")
    fairness: Fairness = Field(default=Fairness(), description="Minimums per group.")
    travel: Travel = Field(default=Travel(), description="Travel-time estimates.")
    data: DataFiles = Field(
        default=DataFiles(), description="Your own boundary or post-office files, or lists."
    )
    targets: Targets = Field(
        default=Targets(), description="Who the target people are (the definition used)."
    )
    objective: Objective = Field(default=Objective(), description="What a plan is worth.")
    solver: SolverSettings = Field(default=SolverSettings(), description="Optimiser settings.")
    safety: Safety = Field(default=Safety(), description="Traffic safety limits on driving.")
    boat: Boat = Field(default=Boat(), description="Boat crossings to island communes.")
    launch: Launch | None = Field(
        default=None, description="The launch day (parades on a common clock); none: no launch."
    )
    uncertainty: Uncertainty = Field(
        default=Uncertainty(), description="Ranges of the turnout rates, for the P10-P90 band."
    )
    extends: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Path of a scenario this one changes, relative to this file: its tables are "
            "merged key by key, this file winning; lists are replaced whole."
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _ranges_follow_rates(cls, data: Any) -> Any:
        """A rate set without its [uncertainty] range gets a range around it (`range_around`)."""
        if not isinstance(data, dict):
            return data
        uncertainty = data.get("uncertainty", {})
        given_ranges = _given_fields(uncertainty)
        if given_ranges is None:
            return data
        derived: dict[str, tuple[float, float]] = {}
        for name, (table, key) in RATE_OF_RANGE.items():
            rates = _given_fields(data.get(table, {}))
            if name in given_ranges or not rates or key not in rates:
                continue
            rate = rates[key]
            if not _plain_rate(rate):
                continue  # the rate's own check reports it
            model: type[BaseModel] = Propaganda if table == "propaganda" else Conferences
            default_rate = model.model_fields[key].default
            default_range = Uncertainty.model_fields[name].default
            derived[name] = range_around(float(rate), default_rate, default_range)
        if not derived:
            return data
        if isinstance(uncertainty, Uncertainty):
            return {**data, "uncertainty": uncertainty.model_copy(update=derived)}
        return {**data, "uncertainty": {**uncertainty, **derived}}

    @field_validator("provinces", mode="before")
    @classmethod
    def _all_or_list(cls, value: Any) -> Any:
        if isinstance(value, str) and value != "all":
            raise ValueError(
                f'must be "all" or a list of 2-digit province codes like ["27"], got {value!r}'
            )
        return value

    @field_validator("provinces")
    @classmethod
    def _unique_provinces(cls, value: Any) -> Any:
        return _unique(value, "the province") if isinstance(value, list) else value

    @model_validator(mode="after")
    def _check_scenario(self) -> Scenario:
        self._check_team_list()
        self._check_absences()
        self._check_timeline_dates()
        self._check_group_codes()
        self._check_conferences_fit()
        self._check_fairness_possible()
        self._check_travel_source()
        self._check_uncertainty_ranges()
        self._check_draws_fit()
        self._check_launch_date()
        return self

    def _check_launch_date(self) -> None:
        """A launch day more than half a year from the campaign is a typo (a wrong year).

        One outside the campaign but near it is the launch of a longer campaign that a
        variant shortens (it inherits [launch] through `extends`): no launch is planned then
        (`planner.problem` says so), as a timeline entry outside the campaign does not apply.
        """
        launch = self.launch
        if launch is not None and _far_outside(launch.date, launch.date, self.campaign):
            raise FieldProblem(
                ("launch", "date"),
                f"must be a campaign day ({self.campaign.start} to {self.campaign.end}), "
                f"got {launch.date}",
            )

    def _check_draws_fit(self) -> None:
        """Too many draws for the provinces planned would exhaust memory after solving.

        planner/uncertainty.py keeps a few arrays of draws x provinces numbers (about 60
        bytes a cell, measured on 63 provinces at 50,000 and 100,000 draws).
        """
        provinces = (
            len(self.provinces)
            if isinstance(self.provinces, list)
            else PROVINCES_IN_STRUCTURE[self.structure]
        )
        draws = self.uncertainty.draws
        if draws * provinces > MAX_DRAW_CELLS:
            raise FieldProblem(
                ("uncertainty", "draws"),
                f"at most {MAX_DRAW_CELLS // provinces:,} draws for {provinces} provinces "
                f"(draws x provinces at most {MAX_DRAW_CELLS:,}, about 300 MB), got {draws:,}",
            )

    def _check_travel_source(self) -> None:
        if self.travel.source != "great_circle" and self.travel.url is None:
            raise FieldProblem(
                ("travel", "url"),
                f"is required when travel.source is {self.travel.source!r} "
                "(the routing server's base URL, e.g. 'http://localhost:5000')",
            )

    def _check_uncertainty_ranges(self) -> None:
        """Each range must contain the scenario's own rate (the mode of its distribution).

        A range left out follows its rate (`_ranges_follow_rates`), so only a range and a
        rate both written (or one inherited through `extends`) can disagree.
        """
        for field, (table, key) in RATE_OF_RANGE.items():
            value = getattr(getattr(self, table), key)
            low, high = getattr(self.uncertainty, field)
            if not low <= value <= high:
                raise FieldProblem(
                    ("uncertainty", field),
                    f"[{low:g}, {high:g}] must contain {table}.{key} = {value:g}, the mode of "
                    f"its distribution: widen the range, or leave uncertainty.{field} out and "
                    f"it follows {table}.{key}",
                )

    def _check_timeline_dates(self) -> None:
        """A timeline entry far outside the campaign is a typo (a wrong year), not a rule.

        An entry that starts before the campaign and runs into it (a rule already in force)
        is fine. One wholly outside the campaign but near it is a rule of those weeks that
        does not apply to these dates: a variant that shortens the campaign, or a sweep over
        its end, inherits such entries from the scenario it extends, and must still load.
        One more than half a year away from every campaign day (2002 for 2020, 2021 for a
        May 2020 campaign) can only be a typo, and would be silently ignored: refused.
        """
        campaign = self.campaign
        for index, entry in enumerate(self.covid.timeline):
            if _far_outside(entry.start, entry.end, campaign):
                raise FieldProblem(
                    ("covid", "timeline", index, "start"),
                    f"{entry.start} to {entry.end} is outside the campaign "
                    f"({campaign.start} to {campaign.end}): a typo in the year?",
                )

    def _check_team_list(self) -> None:
        for index, team in enumerate(self.teams.list):
            if isinstance(self.provinces, list) and team.province not in self.provinces:
                raise FieldProblem(
                    ("teams", "list", index, "province"),
                    f"must be one of the scenario's provinces ({', '.join(self.provinces)}), "
                    f"got {team.province!r}",
                )
            for day_index, day in enumerate(team.days or []):
                if not self.campaign.start <= day <= self.campaign.end:
                    raise FieldProblem(
                        ("teams", "list", index, "days", day_index),
                        f"must be inside the campaign ({self.campaign.start} to "
                        f"{self.campaign.end}), got {day}",
                    )

    def _check_absences(self) -> None:
        """An absence outside the campaign is a typo (a wrong year), not a plan."""
        campaign = self.campaign
        for index, absence in enumerate(self.teams.absences):
            if _far_outside(absence.start, absence.end, campaign):
                raise FieldProblem(
                    ("teams", "absences", index, "start"),
                    f"{absence.start} to {absence.end} is outside the campaign "
                    f"({campaign.start} to {campaign.end}): a typo in the year?",
                )

    def _check_group_codes(self) -> None:
        """Groups are districts (3-digit codes) in 2020, cluster ids in 2025."""
        if self.structure == "2020":
            pattern, why = DISTRICT_CODE_PATTERN, " (groups are districts in the 2020 structure)"
        else:
            pattern, why = IDENT_PATTERN, " (groups are post-office clusters in 2025)"
        for index, entry in enumerate(self.covid.timeline):
            if entry.scope == "group":
                try:
                    _check_codes(entry.codes, pattern)
                except FieldProblem as problem:
                    raise FieldProblem(
                        ("covid", "timeline", index, *problem.field), problem.message + why
                    ) from None

    def _check_conferences_fit(self) -> None:
        conferences = self.conferences
        if not conferences.allowed:
            return
        hours = self.teams.working_hours
        for index, slot in enumerate(conferences.slots):
            if slot.earliest_min < hours.start_min:
                raise FieldProblem(
                    ("conferences", "slots", index, "earliest"),
                    f"must not be before teams.working_hours.start ({hours.start}), "
                    f"got {slot.earliest}",
                )
            if slot.latest_min + conferences.duration_minutes > hours.end_min:
                raise FieldProblem(
                    ("conferences", "slots", index, "latest"),
                    f"a {conferences.duration_minutes}-minute conference starting at "
                    f"{slot.latest} ends after teams.working_hours.end ({hours.end})",
                )
        crews = [team.crew for team in self.teams.list]
        if self.teams.rule is not None:
            crews.append(self.teams.rule.crew)
        if crews and conferences.staff_needed > max(crews):
            raise FieldProblem(
                ("conferences", "staff_needed"),
                f"no team is large enough: the largest crew is {max(crews)}, "
                f"got {conferences.staff_needed}",
            )

    def _check_fairness_possible(self) -> None:
        if self.fairness.min_passes_per_group > 0 and not self.propaganda.allowed:
            raise FieldProblem(
                ("fairness", "min_passes_per_group"),
                "must be 0 when propaganda.allowed is false, "
                f"got {self.fairness.min_passes_per_group}",
            )
        if self.fairness.min_conferences_per_group > 0 and not self.conferences.allowed:
            raise FieldProblem(
                ("fairness", "min_conferences_per_group"),
                "must be 0 when conferences.allowed is false, "
                f"got {self.fairness.min_conferences_per_group}",
            )
        if self.fairness.min_conferences_per_group > 0:
            in_force = sorted(
                {self.covid.default_level, *(entry.level for entry in self.covid.timeline)}
            )
            levels = [self.covid.levels[name] for name in in_force]
            if not any(level.conferences_allowed and level.max_gathering != 0 for level in levels):
                raise FieldProblem(
                    ("fairness", "min_conferences_per_group"),
                    "must be 0 when no conference can be held anywhere: every COVID level in "
                    f"force ({', '.join(in_force)}) has max_gathering = 0 or forbids "
                    f"conferences, got {self.fairness.min_conferences_per_group}",
                )

    def days_of(self, team: TeamSpec) -> list[dt.date]:
        """The campaign days an explicitly listed team works."""
        if team.days is not None:
            return sorted(team.days)
        weekdays = set(self.teams.weekdays_of(team))
        return [day for day in self.campaign.days if WEEKDAYS[day.weekday()] in weekdays]

    def rule_team_days(self) -> list[dt.date]:
        """The campaign days teams made by the rule work (on teams.weekdays)."""
        weekdays = set(self.teams.weekdays)
        return [day for day in self.campaign.days if WEEKDAYS[day.weekday()] in weekdays]
