"""From validated geo data and a scenario to one ProvinceProblem per province.

This is the boundary where GeoDataFrames and pydantic models become frozen domain values:
teams are expanded from the scenario's rule and list, each team's working days are listed,
and the COVID rule in force is resolved for every commune and day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd

from planner import domain
from planner.errors import DataError, ScenarioError
from planner.geo.load import VENUE_DETAILS, GeoData
from planner.messages import msg
from planner.rules.daylight import daylight
from planner.scenario import Scenario
from planner.scenario.rules import level_on
from planner.scenario.schema import WEEKDAYS, clock_minutes


def campaign_dates(scenario: Scenario) -> tuple[dt.date, ...]:
    start, end = scenario.campaign.start, scenario.campaign.end
    return tuple(start + dt.timedelta(days=i) for i in range((end - start).days + 1))


def _group_name(row: Any) -> str:
    for column in ("district_name", "cluster_name", "group_name"):
        if column in row and isinstance(row[column], str):
            return str(row[column])
    return str(row["group_code"])


def _working_day(hours: Any, lunch: Any) -> domain.WorkingDay:
    return domain.WorkingDay(
        start_min=clock_minutes(hours.start),
        end_min=clock_minutes(hours.end),
        lunch_earliest_min=clock_minutes(lunch.earliest),
        lunch_latest_min=clock_minutes(lunch.latest),
        lunch_minutes=lunch.minutes,
    )


def _days(
    dates: Sequence[dt.date], weekdays: Sequence[str], explicit: Sequence[dt.date] | None
) -> tuple[dt.date, ...]:
    if explicit is not None:
        wanted = set(explicit)
        return tuple(d for d in dates if d in wanted)
    allowed = set(weekdays)
    return tuple(d for d in dates if WEEKDAYS[d.weekday()] in allowed)


def build_teams(
    scenario: Scenario,
    scenario_path: Path,
    province_code: str,
    groups: Sequence[domain.Group],
    venues: Sequence[domain.Venue],
    dates: Sequence[dt.date],
) -> tuple[domain.Team, ...]:
    """Teams of one province: one (or more) per group by rule, plus the explicit list."""
    spec = scenario.teams
    default_day = _working_day(spec.working_hours, spec.lunch_break)
    default_days = _days(dates, spec.weekdays, None)
    teams: list[domain.Team] = []
    group_office = {v.group_code: v for v in venues if v.kind == "group"}
    if spec.rule is not None:
        for group in groups:
            # An island district has its own post office and its own team, based on the
            # island (domain.ProvinceProblem.by_road).
            if group.n_communes == 0 or group.code not in group_office:
                continue
            for k in range(spec.rule.teams_per_group):
                teams.append(
                    domain.Team(
                        team_id=f"{province_code}-{group.code}-{k + 1}",
                        base_venue_id=group_office[group.code].venue_id,
                        group_code=group.code,
                        vehicle=spec.rule.vehicle,
                        crew=spec.rule.crew,
                        days=default_days,
                        working_day=default_day,
                    )
                )
    by_id = {v.venue_id: v for v in venues}
    for i, team in enumerate(spec.list):
        if team.province != province_code:
            continue
        base = by_id.get(team.base)
        if base is None:
            raise ScenarioError(
                scenario_path,
                msg("problem.base_not_post_office", base=team.base, province=province_code),
                field=f"teams.list[{i}].base",
            )
        hours = team.working_hours or spec.working_hours
        lunch = team.lunch_break or spec.lunch_break
        teams.append(
            domain.Team(
                team_id=team.id,
                base_venue_id=base.venue_id,
                group_code=base.group_code,
                vehicle=team.vehicle,
                crew=team.crew,
                days=_days(dates, team.weekdays or spec.weekdays, team.days),
                working_day=_working_day(hours, lunch),
            )
        )
    return tuple(_without_absences(team, scenario) for team in teams)


def with_safety(
    teams: Sequence[domain.Team],
    scenario: Scenario,
    scenario_path: Path,
    venues: Sequence[domain.Venue],
) -> tuple[domain.Team, ...]:
    """Each team's working day under the scenario's traffic-safety rules ([safety]).

    The driving limits travel with the working day (`planner.rules.schedule.schedule_day`
    applies them). With ``daylight_only``, the day is cut to daylight at the team's base: it
    leaves no earlier than the latest sunrise and is back no later than the earliest sunset
    of its campaign days (`planner.rules.daylight`). In Vietnam's campaign months this rarely
    bites (sunset after 17:15 all year), but a long working day in December would.
    """
    safety = scenario.safety
    where = {v.venue_id: (v.lat, v.lon) for v in venues}
    out: list[domain.Team] = []
    for team in teams:
        day = replace(
            team.working_day,
            max_driving_minutes=safety.max_driving_minutes,
            max_continuous_driving_minutes=safety.max_continuous_driving_minutes,
            break_minutes=safety.break_minutes,
        )
        sun = daylight(*where[team.base_venue_id], team.days) if safety.daylight_only else None
        if sun is not None:
            sunrise, sunset = sun
            day = replace(
                day, start_min=max(day.start_min, sunrise), end_min=min(day.end_min, sunset)
            )
            if day.end_min - day.start_min < day.lunch_minutes + 60:
                raise ScenarioError(
                    scenario_path,
                    msg(
                        "problem.daylight_short",
                        team=team.team_id,
                        start=_hhmm(sunrise),
                        end=_hhmm(sunset),
                    ),
                    field="safety.daylight_only",
                )
        out.append(replace(team, working_day=day))
    return tuple(out)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _without_absences(team: domain.Team, scenario: Scenario) -> domain.Team:
    """The team less the days it is away ([[teams.absences]])."""
    away = [a for a in scenario.teams.absences if a.team == team.team_id]
    if not away:
        return team
    days = tuple(d for d in team.days if not any(a.start <= d <= a.end for a in away))
    return replace(team, days=days)


def known_team_ids(geo: GeoData, scenario: Scenario) -> set[str]:
    """The ids of every team the scenario may have: teams.list's, and the rule's for every
    group of the data ('<province>-<group>-<k>')."""
    known = {team.id for team in scenario.teams.list}
    rule = scenario.teams.rule
    if rule is not None:
        for province, group in zip(
            geo.groups["province_code"].astype(str),
            geo.groups["group_code"].astype(str),
            strict=True,
        ):
            known.update(f"{province}-{group}-{k + 1}" for k in range(rule.teams_per_group))
    return known


def check_team_bases(geo: GeoData, scenario: Scenario) -> None:
    """Every team base of the user's lists (sheet 'Đội') names a team of the scenario.

    Raises DataError naming the lists file, sheet, row and column."""
    if not geo.team_bases:
        return
    known = known_team_ids(geo, scenario)
    for base in geo.team_bases:
        if base.team_id not in known:
            raise DataError(
                base.path,
                msg("lists.unknown_team", team=base.team_id),
                row=base.row,
                field=base.field,
                sheet=base.sheet,
            )


def _with_bases(
    teams: Sequence[domain.Team],
    geo: GeoData,
    venues: Sequence[domain.Venue],
    province_code: str,
) -> tuple[domain.Team, ...]:
    """The teams with the bases the user's lists give them (sheet 'Đội')."""
    if not geo.team_bases:
        return tuple(teams)
    bases = {b.team_id: b for b in geo.team_bases}
    here = {v.venue_id for v in venues}
    province_of = dict(
        zip(
            geo.post_offices["venue_id"].astype(str),
            geo.post_offices["province_code"].astype(str),
            strict=True,
        )
    )
    out: list[domain.Team] = []
    for team in teams:
        base = bases.get(team.team_id)
        if base is None:
            out.append(team)
            continue
        if base.venue_id not in here:
            raise DataError(
                base.path,
                msg(
                    "lists.base_other_province",
                    venue=base.venue_id,
                    venue_province=province_of.get(base.venue_id, "?"),
                    province=province_code,
                    team=team.team_id,
                ),
                row=base.row,
                field=base.field,
                sheet=base.sheet,
            )
        out.append(replace(team, base_venue_id=base.venue_id))
    return tuple(out)


def check_absence_teams(geo: GeoData, scenario: Scenario, scenario_path: Path) -> None:
    """Every absence names a team: one of teams.list, or one the rule makes from the data."""
    known = known_team_ids(geo, scenario)
    for index, absence in enumerate(scenario.teams.absences):
        if absence.team not in known:
            raise ScenarioError(
                scenario_path,
                msg("problem.no_team_id", team=repr(absence.team)),
                field=f"teams.absences[{index}].team",
            )
    groups_of: dict[str, set[str]] = {}
    for province, group in zip(
        geo.groups["province_code"].astype(str), geo.groups["group_code"].astype(str), strict=True
    ):
        groups_of.setdefault(province, set()).add(group)
    for index, loan in enumerate(scenario.teams.loans):
        if loan.team not in known:
            raise ScenarioError(
                scenario_path,
                msg("problem.no_team_id", team=repr(loan.team)),
                field=f"teams.loans[{index}].team",
            )
        listed = next((t for t in scenario.teams.list if t.id == loan.team), None)
        province = listed.province if listed is not None else loan.team.split("-")[0]
        for k, code in enumerate(loan.groups):
            if code not in groups_of.get(province, set()):
                raise ScenarioError(
                    scenario_path,
                    msg(
                        "problem.loan_group_outside",
                        code=repr(code),
                        place=msg(f"word.{geo.group_label}"),
                        province=province,
                        team=loan.team,
                    ),
                    field=f"teams.loans[{index}].groups[{k}]",
                )


def check_team_ids(geo: GeoData, scenario: Scenario, scenario_path: Path) -> None:
    """No team of teams.list takes an id the team rule makes ('<province>-<group>-<k>').

    Why: a team id names the team's routes, its route sheet and map page, and its absences;
    two teams under one id would have their days mixed in one sheet, one absence would
    keep both home, and `planner check` could not tell their routes apart. The rule's ids
    are those of every group in the data, as `check_absence_teams` knows them. Raises
    ScenarioError naming teams.list[i].id.
    """
    rule = scenario.teams.rule
    if rule is None or not scenario.teams.list:
        return
    made: dict[str, tuple[str, str, int]] = {}
    for province, group in zip(
        geo.groups["province_code"].astype(str), geo.groups["group_code"].astype(str), strict=True
    ):
        for k in range(rule.teams_per_group):
            made[f"{province}-{group}-{k + 1}"] = (province, group, k + 1)
    for index, team in enumerate(scenario.teams.list):
        if team.id in made:
            province, group, k = made[team.id]
            raise ScenarioError(
                scenario_path,
                msg(
                    "problem.team_id_of_rule",
                    team=repr(team.id),
                    k=k,
                    place=msg(f"word.{geo.group_label}"),
                    group=group,
                    province=province,
                ),
                field=f"teams.list[{index}].id",
            )


def _stay_home_when_isolated(
    teams: Sequence[domain.Team],
    venues: Sequence[domain.Venue],
    communes: Sequence[domain.Commune],
    scenario: Scenario,
    province_code: str,
    group_label: str,
) -> tuple[tuple[domain.Team, ...], tuple[str, ...]]:
    """Teams less the days the commune of their base is isolated; and a note per such team.

    Why: isolation means nobody enters or leaves the commune, the team included. A team
    based there cannot drive out to other communes and back in, and cannot hold a
    conference at its base either (an isolated venue holds none). So those days are taken
    out of the team's working days, where every solver, the plan's team-days available and
    `planner check` see them, and kept in `home_days`; the note tells the planner why the
    team has no route then. A base with no commune (an island district's post office)
    follows its group's and province's level.
    """
    venue_by_id = {v.venue_id: v for v in venues}
    commune_by_code = {c.code: c for c in communes}
    out: list[domain.Team] = []
    notes: list[str] = []
    for team in teams:
        base = venue_by_id[team.base_venue_id]
        commune = commune_by_code.get(base.commune_code)
        home: list[dt.date] = []
        levels: set[str] = set()
        for day in team.days:
            level = level_on(
                scenario,
                day,
                province_code,
                base.group_code,
                commune.code if commune is not None else None,
            )
            if level.isolated:
                home.append(day)
                levels.add(level.name)
        if not home:
            out.append(team)
            continue
        stays = set(home)
        out.append(
            replace(
                team,
                days=tuple(d for d in team.days if d not in stays),
                home_days=(*team.home_days, *home),
            )
        )
        place = (
            f"commune {commune.code} ({commune.name})"
            if commune is not None
            else f"{group_label} {base.group_code}"
        )
        plural = "s" if len(home) > 1 else ""
        notes.append(
            f"team {team.team_id} stays at its base on {_day_list(home)} ({len(home)} working "
            f"day{plural}, not counted as available): its base {base.venue_id} is in {place}, "
            f"isolated then (level {', '.join(sorted(levels))}), and nobody may leave it"
        )
    return tuple(out), tuple(notes)


def _day_list(days: Sequence[dt.date]) -> str:
    """2020-05-25 to 2020-05-27, 2020-05-30: runs of consecutive days as ranges."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()} to {run[-1].isoformat()}"
        for run in runs
    )


def _rule_level(level: Any) -> domain.RuleLevel:
    return domain.RuleLevel(
        name=level.name,
        passes_allowed=level.passes_allowed,
        conferences_allowed=level.conferences_allowed,
        max_gathering=level.max_gathering,
        m2_per_person=level.m2_per_person,
        isolated=level.isolated,
    )


def check_timeline_codes(geo: GeoData, scenario: Scenario, scenario_path: Path) -> None:
    """Every code in the COVID timeline names a place of the structure planned on.

    A province code must be a province of the data, a group code a district (2020) or
    cluster (2025), a commune code a commune; and when the scenario lists its provinces,
    the place must lie in one of them (a timeline written for the whole country may be run
    on a few provinces with --provinces, but a scenario for Bắc Ninh that isolates a
    district of Hà Nội is a mistake). Raises ScenarioError naming covid.timeline[i].codes[j].
    """
    frames = {
        "province": geo.provinces[["province_code"]].assign(code=geo.provinces["province_code"]),
        "group": geo.groups[["province_code"]].assign(code=geo.groups["group_code"]),
        "commune": geo.communes[["province_code"]].assign(code=geo.communes["commune_code"]),
    }
    province_of = {
        scope: dict(zip(frame["code"].astype(str), frame["province_code"].astype(str), strict=True))
        for scope, frame in frames.items()
    }
    words = {
        "province": msg("word.province"),
        "group": msg(f"word.{geo.group_label}"),
        "commune": msg("word.commune"),
    }
    planned = None if scenario.provinces == "all" else set(scenario.provinces)
    for i, entry in enumerate(scenario.covid.timeline):
        known = province_of[entry.scope]
        for j, code in enumerate(entry.codes):
            field = f"covid.timeline[{i}].codes[{j}]"
            if code not in known:
                raise ScenarioError(
                    scenario_path,
                    msg(
                        "problem.timeline_unknown_code",
                        place=words[entry.scope],
                        code=repr(code),
                        structure=scenario.structure,
                        scope=repr(entry.scope),
                    ),
                    field=field,
                )
            if planned is not None and known[code] not in planned:
                raise ScenarioError(
                    scenario_path,
                    msg(
                        "problem.timeline_outside",
                        place=words[entry.scope],
                        code=code,
                        province=known[code],
                        provinces=", ".join(sorted(planned)),
                    ),
                    field=field,
                )


def check_boat_crossings(geo: GeoData, scenario: Scenario, scenario_path: Path) -> None:
    """Every [[boat.crossings]] entry names places of the data that make a crossing.

    Its communes must be island communes (boat only) of one province; its pier a commune of
    the same province reached by road (not itself boat only). Raises ScenarioError naming
    boat.crossings[i].pier or .communes[j].
    """
    communes = geo.communes.set_index(geo.communes["commune_code"].astype(str))
    for i, crossing in enumerate(scenario.boat.crossings):
        at = f"boat.crossings[{i}]"
        provinces = set()
        for j, code in enumerate(crossing.communes):
            if code not in communes.index:
                raise ScenarioError(
                    scenario_path,
                    msg("problem.no_commune_code", code=repr(code), structure=scenario.structure),
                    field=f"{at}.communes[{j}]",
                )
            row = communes.loc[code]
            if not bool(row["boat_only"]):
                raise ScenarioError(
                    scenario_path,
                    msg("problem.crossing_by_road", code=code, name=row["commune_name"]),
                    field=f"{at}.communes[{j}]",
                )
            provinces.add(str(row["province_code"]))
        if crossing.pier not in communes.index:
            raise ScenarioError(
                scenario_path,
                msg(
                    "problem.no_commune_code",
                    code=repr(crossing.pier),
                    structure=scenario.structure,
                ),
                field=f"{at}.pier",
            )
        pier = communes.loc[crossing.pier]
        if bool(pier["boat_only"]):
            raise ScenarioError(
                scenario_path,
                msg("problem.pier_island", code=crossing.pier, name=pier["commune_name"]),
                field=f"{at}.pier",
            )
        if provinces != {str(pier["province_code"])}:
            raise ScenarioError(
                scenario_path,
                msg(
                    "problem.pier_province",
                    pier=pier["province_code"],
                    provinces=", ".join(sorted(provinces)),
                ),
                field=f"{at}.pier",
            )


def _crossings(
    scenario: Scenario, communes: Sequence[domain.Commune], dates: Sequence[dt.date]
) -> tuple[domain.BoatCrossing, ...]:
    """The scenario's boat crossings to this province's island communes, on the days they run."""
    here = {c.code for c in communes}
    return tuple(
        domain.BoatCrossing(
            name=b.name,
            pier_commune=b.pier,
            communes=tuple(b.communes),
            minutes=b.minutes,
            km=b.km,
            days=tuple(d for d in dates if WEEKDAYS[d.weekday()] in b.weekdays),
        )
        for b in scenario.boat.crossings
        if b.pier in here
    )


def with_territories(
    teams: Sequence[domain.Team],
    scenario: Scenario,
    scenario_path: Path,
    groups_df: pd.DataFrame,
) -> tuple[domain.Team, ...]:
    """Each team's territory: the groups (districts, clusters) it may work in.

    The campaign is run "one mobile or district team per district": a team works its own
    district (in the current structure, its own cluster). `teams.territory` says how far
    teams range: "own" (default), "neighbours" (own plus the groups whose approximate
    polygons touch it) or "province" (anywhere in the province: the optimiser lends teams
    freely). `[[teams.loans]]` lends one team to named groups on top of that: a decision the
    planner makes and sees, not one the optimiser makes silently.
    """
    mode = scenario.teams.territory
    loans: dict[str, set[str]] = {}
    for loan in scenario.teams.loans:
        loans.setdefault(loan.team, set()).update(loan.groups)
    if mode == "province":
        return tuple(replace(t, territory=None) for t in teams)
    neighbours = _adjacent_groups(groups_df) if mode == "neighbours" else {}
    out = []
    for team in teams:
        territory = {team.group_code} | neighbours.get(team.group_code, set())
        territory |= loans.get(team.team_id, set())
        out.append(replace(team, territory=tuple(sorted(territory))))
    return tuple(out)


def _adjacent_groups(groups_df: pd.DataFrame) -> dict[str, set[str]]:
    """Groups whose (approximate) polygons touch or overlap, within a metre's tolerance."""
    if "geometry" not in groups_df or groups_df.empty:
        return {}
    codes = [str(c) for c in groups_df["group_code"]]
    shapes = [g.buffer(1e-5) if g is not None else None for g in groups_df.geometry]
    out: dict[str, set[str]] = {c: set() for c in codes}
    for i, a in enumerate(shapes):
        for j in range(i + 1, len(shapes)):
            b = shapes[j]
            if a is not None and b is not None and a.intersects(b):
                out[codes[i]].add(codes[j])
                out[codes[j]].add(codes[i])
    return out


def build_province_problem(
    geo: GeoData, scenario: Scenario, scenario_path: Path, province_code: str
) -> domain.ProvinceProblem:
    """Everything the solver needs about one province, as frozen domain values."""
    provinces = geo.provinces[geo.provinces["province_code"] == province_code]
    if provinces.empty:
        raise ScenarioError(
            scenario_path,
            msg("problem.province_not_in_data", code=province_code),
            field="provinces",
        )
    province_name = str(provinces.iloc[0]["province_name"])
    communes_df = cast(
        gpd.GeoDataFrame, geo.communes[geo.communes["province_code"] == province_code]
    )
    groups_df = geo.groups[geo.groups["province_code"] == province_code]
    venues_df = geo.post_offices[geo.post_offices["province_code"] == province_code]

    group_names = {str(r["group_code"]): _group_name(r) for _, r in groups_df.iterrows()}
    communes = tuple(
        domain.Commune(
            code=str(r["commune_code"]),
            name=str(r["commune_name"]),
            kind=str(r["commune_type"]),
            group_code=str(r["group_code"]),
            group_name=group_names.get(str(r["group_code"]), str(r["group_code"])),
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            population=int(r["population"]),
            target_people=commune_target_people(r, scenario),
            terrain=cast(domain.Terrain, str(r["terrain"])),
            boat_only=bool(r["boat_only"]),
            position_method=str(r.get("position_method", "source")),
            population_method=str(r.get("population_method", "user_file")),
            position_estimated=bool(r.get("position_estimated", False)),
            population_estimated=bool(r.get("population_estimated", False)),
        )
        for _, r in communes_df.sort_values("commune_code").iterrows()
    )
    n_by_group: dict[str, int] = {}
    target_by_group: dict[str, int] = {}
    for c in communes:
        n_by_group[c.group_code] = n_by_group.get(c.group_code, 0) + 1
        target_by_group[c.group_code] = target_by_group.get(c.group_code, 0) + c.target_people
    groups = tuple(
        domain.Group(
            code=str(r["group_code"]),
            name=_group_name(r),
            population=int(r["population"]),
            # the sum of its communes' (data/geo's own rule); a group with none keeps its own
            target_people=target_by_group.get(
                str(r["group_code"]), group_target_people(r, scenario)
            ),
            boat_only=bool(r.get("boat_only", False)),
            n_communes=n_by_group.get(str(r["group_code"]), 0),
        )
        for _, r in groups_df.sort_values("group_code").iterrows()
    )
    commune_target = {c.code: c.target_people for c in communes}
    group_target = {g.code: g.target_people for g in groups}
    venues = tuple(
        domain.Venue(
            venue_id=str(r["venue_id"]),
            name=str(r["venue_name"]),
            kind=cast(Any, str(r["kind"])),
            commune_code=str(r["commune_code"]),
            group_code=str(r["group_code"]),
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            hall_area_m2=float(r["hall_area_m2"]),
            catchment_target_people=(
                group_target.get(str(r["group_code"]), 0)
                if str(r["kind"]) == "group"
                else commune_target.get(str(r["commune_code"]), 0)
            ),
            position_estimated=bool(r.get("position_estimated", False)),
            hall_estimated=bool(r.get("hall_estimated", False)),
            **{key: _detail(r.get(key)) for key in VENUE_DETAILS},
        )
        for _, r in venues_df.sort_values("venue_id").iterrows()
    )
    dates = campaign_dates(scenario)
    check_team_ids(geo, scenario, scenario_path)
    teams = build_teams(scenario, scenario_path, province_code, groups, venues, dates)
    teams = _with_bases(teams, geo, venues, province_code)
    teams = with_territories(teams, scenario, scenario_path, groups_df)
    teams = with_safety(teams, scenario, scenario_path, venues)
    teams, notes = _stay_home_when_isolated(
        teams, venues, communes, scenario, province_code, geo.group_label
    )
    cache: dict[str, domain.RuleLevel] = {}

    def resolved(day: dt.date, commune: domain.Commune) -> domain.RuleLevel:
        level = level_on(scenario, day, province_code, commune.group_code, commune.code)
        if level.name not in cache:
            cache[level.name] = _rule_level(level)
        return cache[level.name]

    rules = tuple(tuple(resolved(day, c) for day in dates) for c in communes)
    s = scenario
    return domain.ProvinceProblem(
        province_code=province_code,
        province_name=province_name,
        structure=s.structure,
        group_label=geo.group_label,
        dates=dates,
        communes=communes,
        groups=groups,
        venues=venues,
        teams=teams,
        rules=rules,
        passes=domain.PassRules(
            allowed=s.propaganda.allowed,
            dwell_minutes={str(k): v for k, v in s.propaganda.dwell_minutes.items()},
            reach_share=s.propaganda.reach_share,
            repeat_value=s.propaganda.repeat_value,
            max_passes=s.propaganda.max_passes,
            min_days_between=s.propaganda.min_days_between_passes,
            conversion=s.propaganda.conversion,
        ),
        conferences=domain.ConferenceRules(
            allowed=s.conferences.allowed,
            duration_minutes=s.conferences.duration_minutes,
            slots=tuple(
                domain.ConferenceSlot(sl.name, clock_minutes(sl.earliest), clock_minutes(sl.latest))
                for sl in s.conferences.slots
            ),
            staff_needed=s.conferences.staff_needed,
            max_per_venue=s.conferences.max_per_venue,
            min_days_between=s.conferences.min_days_between_at_venue,
            show_up=s.conferences.show_up,
            conversion=s.conferences.conversion,
            venue_kinds=tuple(s.conferences.venue_kinds),
            max_per_team_day=s.conferences.max_per_team_day,
            max_per_team_week=s.conferences.max_per_team_week,
            lead_days=s.conferences.lead_days,
        ),
        fairness=domain.Fairness(
            min_passes_per_group=s.fairness.min_passes_per_group,
            min_conferences_per_group=s.fairness.min_conferences_per_group,
        ),
        weights=domain.Weights(
            reach_weight=s.objective.reach_weight,
            enrolment_weight=s.objective.enrolment_weight,
            travel_cost_per_km=s.objective.travel_cost_per_km,
            fairness_penalty=s.objective.fairness_penalty,
            compact_tolerance=s.objective.compact_tolerance if s.objective.compact else None,
        ),
        boat_allowed=s.travel.boat_allowed,
        notes=notes + launch_note(s),
        launch=_launch(s),
        crossings=_crossings(s, communes, dates),
    )


def commune_target_people(row: Any, scenario: Scenario) -> int:
    """A commune's target people under the scenario's [targets]: its population x the share,
    unless the share is the data's own (none given) or the figure is the user's own."""
    share = scenario.targets.share(bool(row.get("urban", False)))
    if share is None or bool(row.get("target_from_user", False)):
        return int(row["target_people"])
    return _whole_people(int(row["population"]) * share)


def group_target_people(row: Any, scenario: Scenario) -> int:
    """A group's target people when it has no communes (an island district): as a rural
    commune's."""
    share = scenario.targets.share(False)
    if share is None:
        return int(row["target_people"])
    return _whole_people(int(row["population"]) * share)


def _whole_people(value: float) -> int:
    return math.floor(value + 0.5)


def _detail(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def launch_note(scenario: Scenario) -> tuple[str, ...]:
    """A note when the scenario's launch day falls outside its campaign (no launch planned)."""
    launch = scenario.launch
    if launch is None or scenario.campaign.start <= launch.date <= scenario.campaign.end:
        return ()
    return (
        msg(
            "problem.launch_outside",
            date=launch.date,
            start=scenario.campaign.start,
            end=scenario.campaign.end,
        ),
    )


def _launch(scenario: Scenario) -> domain.Launch | None:
    """The scenario's launch day, in domain terms (None: no launch, or a launch day outside
    this campaign, e.g. inherited by a variant that starts later: `launch_note` says so)."""
    launch = scenario.launch
    if launch is None or not scenario.campaign.start <= launch.date <= scenario.campaign.end:
        return None
    return domain.Launch(
        date=launch.date,
        start_min=clock_minutes(launch.start),
        parade_communes=launch.parade_communes,
        group_minutes=launch.group_minutes,
        people_per_group=launch.people_per_group,
    )
