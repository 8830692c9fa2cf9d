"""`planner check`: re-verify a written plan against its scenario, without the solver.

A plan folder (`outputs/<name>/`, written by `planner run`) is read back as the files say it,
not as the solver meant it:

1. `summary.json` names the scenario file and its hash; the file must still hash the same
   (a changed scenario is a clear error, not a silent check against other rules), and the
   data must be the version the plan was made with;
2. each province's `ProvinceProblem` is rebuilt from the scenario and the data, exactly as
   `planner run` builds it;
3. `routes.csv` (one row per team-day) and `schedule.csv` (one row per stop) become
   `TeamDayRoute` and `Stop` values again;
4. every rule of `planner.rules.checks` runs on them, and so do the checks of this module:
   the route starts at its team's base in its team's vehicle; each pass reaches
   ``target people x reach_share x repeat_value^(n-1)`` where n counts the passes through
   that commune in date order; a conference's expected attendance is ``invited x show_up``,
   its cap and seats are those in force, and the people invited at one venue over the
   campaign never exceed its catchment; enrolments are reached x conversion; the people
   reached and the counts add up to `summary.json`; and every commune is either passed
   through or listed in `unserved.csv`.

A file that cannot be read as `planner run` writes it raises `DataError` (the command line
prints one line and exits 2); a rule broken is a `Violation` (one line each, exit 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from planner.domain import ProvinceProblem
from planner.errors import DataError, PlanCheckError
from planner.export.tables import (
    ROUTE_REQUIRED_COLUMNS,
    SCHEDULE_REQUIRED_COLUMNS,
    UNSERVED_COLUMNS,
)
from planner.inputs import REPO_ROOT, data_version, load_scenario_geodata
from planner.messages import MESSAGES, Lang, localize, msg, text
from planner.plan import Stop, TeamDayRoute, Unserved
from planner.problem import build_province_problem
from planner.rules.checks import Violation, check_team_days, violations
from planner.scenario import Scenario, load_scenario, scenario_hash
from planner.travel import travel_source

__all__ = [
    "CheckReport",
    "PlanSummary",
    "ProvinceFigures",
    "ScheduleRow",
    "UnservedRow",
    "WrittenPlan",
    "check_outputs",
    "describe",
    "locate_scenario",
    "read_plan",
    "read_text",
    "scenario_of",
    "verify_outputs",
]

# Written figures are rounded: people to 0.1, enrolments to 0.01 (planner/export/tables.py).
PEOPLE_TOLERANCE = 0.051
ENROLMENT_TOLERANCE = 0.0051


# --- the plan folder as values ----------------------------------------------------------


@dataclass(frozen=True)
class ProvinceFigures:
    """One province's entry of summary.json: the figures `planner check` adds up."""

    province_code: str
    province_name: str
    expected_reach: float
    expected_enrolments: float
    passes: int
    conferences: int
    team_days: int


@dataclass(frozen=True)
class PlanSummary:
    """What `planner check` and `planner explain` read from summary.json."""

    path: Path
    scenario: str
    scenario_file: str
    scenario_hash: str
    data_version: str
    structure: str
    expected_reach: float
    expected_enrolments: float
    passes: int
    conferences: int
    team_days: int
    provinces: tuple[ProvinceFigures, ...]
    replanned_from: dt.date | None = None  # a re-plan: days before this are reported, not planned
    run_folder: str = ""  # the folder `planner run` was started in (plans since output manifests)
    # Fields the run changed on top of the scenario file (`--compact`, a sweep's --vary).
    overrides: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ScheduleRow:
    """One row of schedule.csv: a stop, the team-day it belongs to, and where it was read."""

    province_code: str
    team_id: str
    date: dt.date
    order: int
    row: int  # 1-based data row of schedule.csv
    stop: Stop


@dataclass(frozen=True)
class UnservedRow:
    province_code: str
    unserved: Unserved


@dataclass(frozen=True)
class WrittenPlan:
    """A plan folder read back: the routes with their stops, by province, and what was left out."""

    out_dir: Path
    summary: PlanSummary
    routes: Mapping[str, tuple[TeamDayRoute, ...]]  # province code -> its team-days
    stop_counts: Mapping[tuple[str, str, dt.date], int]  # routes.csv's `stops` per team-day
    schedule: tuple[ScheduleRow, ...]
    unserved: tuple[UnservedRow, ...]

    @property
    def n_team_days(self) -> int:
        return sum(len(r) for r in self.routes.values())

    @property
    def n_stops(self) -> int:
        return len(self.schedule)


@dataclass(frozen=True)
class CheckReport:
    violations: tuple[Violation, ...]
    team_days: int
    stops: int


def describe(violation: Violation, lang: Lang = "en") -> str:
    """A violation in one line; plan-wide ones (no team) name no team.

    In Vietnamese the rule is named in words, its code beside it:
    "Nghỉ trưa (lunch_break): đội 27-256-1, ngày 2020-05-25: nghỉ trưa 30 phút, cần 60 phút".
    """
    rule = violation.rule
    if lang != "en" and f"rule.{rule}" in MESSAGES:
        rule = text("check.rule_named", lang, label=text(f"rule.{rule}", lang), code=rule)
    values = {"rule": rule, "message": localize(violation.message, lang)}
    if not violation.team_id:
        return text("check.violation_plan", lang, **values)
    return text("check.violation", lang, team=violation.team_id, date=violation.date, **values)


# --- the front door -----------------------------------------------------------------------


def check_outputs(
    out_dir: Path, *, scenario_path: Path | None = None, data_dir: Path | None = None
) -> list[Violation]:
    """Every rule the plan written in `out_dir` breaks; [] when it keeps them all.

    scenario_path: the scenario file, when not the one named in summary.json.
    data_dir: the data folder the plan was made with (default data/geo).
    Raises DataError for a missing or malformed file, PlanCheckError when the scenario or
    the data changed since the plan was made, ScenarioError when the scenario is invalid.
    """
    return list(verify_outputs(out_dir, scenario_path=scenario_path, data_dir=data_dir).violations)


def verify_outputs(
    out_dir: Path, *, scenario_path: Path | None = None, data_dir: Path | None = None
) -> CheckReport:
    """`check_outputs`, with how many team-days and stops were checked."""
    plan = read_plan(out_dir)
    scenario, path = scenario_of(plan.summary, scenario_path)
    version = data_version(data_dir)
    if "unknown" not in (version, plan.summary.data_version) and (
        version != plan.summary.data_version
    ):
        raise PlanCheckError(
            msg(
                "data.data_changed",
                summary=plan.summary.path,
                then=plan.summary.data_version,
                now=version,
            )
        )
    geo = load_scenario_geodata(scenario, path, data_dir)
    travel = travel_source(scenario.travel, path)
    found: list[Violation] = []
    for figures in plan.summary.provinces:
        code = figures.province_code
        if scenario.provinces != "all" and code not in scenario.provinces:
            raise DataError(
                plan.summary.path,
                msg(
                    "data.province_not_in_scenario",
                    code=code,
                    provinces=", ".join(scenario.provinces),
                    path=path,
                ),
                field="provinces",
            )
        problem = build_province_problem(geo, scenario, path, code)
        routes = plan.routes.get(code, ())
        teams = {t.team_id for t in problem.teams}
        known = tuple(r for r in routes if r.team_id in teams)
        # The rules index teams by id: a route of an unknown team is reported here, once.
        found.extend(check_team_days(problem, tuple(r for r in routes if r.team_id not in teams)))
        found.extend(violations(problem, known, travel))
        found.extend(check_team_bases(problem, known))
        found.extend(check_pass_figures(problem, routes))
        found.extend(check_conference_figures(problem, routes))
        found.extend(check_province_totals(figures, routes, plan.stop_counts))
        found.extend(check_unserved_listed(problem, routes, plan.unserved))
    found.extend(check_plan_totals(plan))
    return CheckReport(
        tuple(_planned_part(found, plan.summary.replanned_from)), plan.n_team_days, plan.n_stops
    )


# Rules about a day's timing: before a re-plan's first day the stops are what teams reported
# done, at their published times with the stops they skipped left out, so the drive and the
# lunch between two done stops are not what the plan timed. Every other rule (places, rules
# in force, caps, spacing, limits, figures) still holds for them.
TIMING_RULES = frozenset({"working_hours", "lunch_break", "travel_time"})


def _planned_part(found: Iterable[Violation], replanned_from: dt.date | None) -> list[Violation]:
    """The violations, less the timing of the days a re-plan took as reported."""
    if replanned_from is None:
        return list(found)
    return [
        v
        for v in found
        if not (v.rule in TIMING_RULES and v.date and v.date < replanned_from.isoformat())
    ]


def scenario_of(summary: PlanSummary, override: Path | None = None) -> tuple[Scenario, Path]:
    """The plan's scenario, loaded, after checking that it is the one the plan was made from."""
    path = override if override is not None else locate_scenario(summary)
    scenario = load_scenario(path, dict(summary.overrides))
    now = scenario_hash(scenario)
    if now != summary.scenario_hash:
        raise PlanCheckError(
            msg(
                "data.scenario_changed",
                path=path,
                folder=summary.path.parent,
                then=summary.scenario_hash[:12],
                now=now[:12],
            )
        )
    return scenario, path


def locate_scenario(summary: PlanSummary) -> Path:
    """summary.json's scenario_file: where the run found it, wherever `check` is run from.

    Plans record the scenario's absolute path (and the folder the run was started in);
    plans written before that recorded the path as typed, relative to the folder the run
    was started from: usually the folder above `outputs/`, so that is tried before the
    repository and, last, the current folder.
    """
    written = Path(summary.scenario_file)
    candidates = [written] if written.is_absolute() else []
    if not written.is_absolute():
        run_folder = summary.run_folder
        if run_folder:
            candidates.append(Path(run_folder) / written)
        plan_folder = summary.path.parent.resolve()
        candidates += [
            plan_folder.parent.parent / written,
            REPO_ROOT / written,
            plan_folder / written,
            written,
        ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise DataError(
        summary.path,
        msg("data.scenario_file_missing", file=summary.scenario_file, repo=REPO_ROOT),
        field="scenario_file",
    )


# --- the rules `planner.rules.checks` does not cover --------------------------------------


def _at(rule: str, route: TeamDayRoute, message: str) -> Violation:
    return Violation(rule, route.team_id, route.date.isoformat(), message)


def _plan_wide(rule: str, message: str) -> Violation:
    return Violation(rule, "", "", message)


def _differs(written: float, expected: float, tolerance: float) -> bool:
    return not abs(written - expected) <= tolerance


def check_team_bases(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """A team-day starts and ends at its team's base, in its team's vehicle."""
    teams = {t.team_id: t for t in problem.teams}
    venues = {v.venue_id: v for v in problem.venues}
    for route in routes:
        team = teams[route.team_id]
        if route.base_venue_id != team.base_venue_id:
            yield _at(
                "team_base",
                route,
                msg("check.wrong_base", base=route.base_venue_id, team_base=team.base_venue_id),
            )
        else:
            base = venues[team.base_venue_id]
            if _differs(route.base_lat, base.lat, 1e-5) or _differs(route.base_lon, base.lon, 1e-5):
                yield _at(
                    "team_base",
                    route,
                    msg(
                        "check.base_position",
                        lat=f"{route.base_lat:.6f}",
                        lon=f"{route.base_lon:.6f}",
                        name=base.name,
                        team_lat=f"{base.lat:.6f}",
                        team_lon=f"{base.lon:.6f}",
                    ),
                )
        if route.vehicle != team.vehicle:
            yield _at(
                "team_base",
                route,
                msg("check.wrong_vehicle", vehicle=route.vehicle, team_vehicle=team.vehicle),
            )


def check_pass_figures(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """The n-th pass through a commune (in date order) reaches
    target people x reach_share x repeat_value^(n-1), and enrols reached x conversion.
    """
    communes = {c.code: c for c in problem.communes}
    team_order = {t.team_id: i for i, t in enumerate(problem.teams)}
    day_index = {d: i for i, d in enumerate(problem.dates)}
    commune_index = problem.commune_index()
    rules = problem.passes
    by_commune: dict[str, list[tuple[TeamDayRoute, Stop]]] = {}
    for route in sorted(routes, key=lambda r: (r.date, team_order.get(r.team_id, len(team_order)))):
        for stop in route.stops:
            if stop.kind == "pass" and stop.commune_code in communes:
                by_commune.setdefault(stop.commune_code, []).append((route, stop))
    for code, visits in sorted(by_commune.items()):
        commune = communes[code]
        for rank, (route, stop) in enumerate(visits, start=1):
            n = stop.pass_number
            if n != rank:
                yield _at(
                    "figures",
                    route,
                    msg("check.pass_number", commune=stop.commune_name, n=n, rank=rank),
                )
            expected = rules.people_reached(commune.target_people, n or rank)
            if _differs(stop.people_reached, expected, PEOPLE_TOLERANCE):
                yield _at(
                    "figures",
                    route,
                    msg(
                        "check.pass_reach",
                        n=n or rank,
                        commune=stop.commune_name,
                        reached=stop.people_reached,
                        expected=expected,
                        target=commune.target_people,
                        share=rules.reach_share,
                        repeat=rules.repeat_value,
                        power=(n or rank) - 1,
                    ),
                )
            enrolments = stop.people_reached * rules.conversion
            if _differs(
                stop.expected_enrolments, enrolments, _enrolment_tolerance(rules.conversion)
            ):
                yield _at(
                    "figures",
                    route,
                    msg(
                        "check.pass_enrolments",
                        commune=stop.commune_name,
                        written=stop.expected_enrolments,
                        expected=enrolments,
                        conversion=rules.conversion,
                    ),
                )
            d = day_index.get(route.date)
            if d is not None:
                level = problem.rules[commune_index[code]][d]
                if stop.rule_level != level.name:
                    yield _at(
                        "figures",
                        route,
                        msg(
                            "check.pass_level",
                            commune=stop.commune_name,
                            written=repr(stop.rule_level),
                            level=repr(level.name),
                        ),
                    )


def _enrolment_tolerance(conversion: float) -> float:
    return ENROLMENT_TOLERANCE + PEOPLE_TOLERANCE * conversion


def check_conference_figures(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...]
) -> Iterable[Violation]:
    """A conference's attendance is invited x show_up (and its people reached), its enrolments
    attendance x conversion; its cap, seats and level are those in force there that day; the
    people invited at a venue over the campaign never exceed the people of its catchment.
    """
    venues = {v.venue_id: v for v in problem.venues}
    index = problem.commune_index()
    day_index = {d: i for i, d in enumerate(problem.dates)}
    rules = problem.conferences
    invited_at: dict[str, int] = {}
    for route in sorted(routes, key=lambda r: r.date):
        for stop in route.stops:
            if stop.kind != "conference":
                continue
            venue = venues.get(stop.venue_id or "")
            if venue is None:
                continue  # reported by the conference_cap rule
            invited = stop.invited or 0
            attendance = stop.expected_attendance or 0.0
            where = venue.name
            if _differs(attendance, invited * rules.show_up, PEOPLE_TOLERANCE):
                yield _at(
                    "figures",
                    route,
                    msg(
                        "check.conference_attendance",
                        venue=where,
                        attendance=attendance,
                        expected=invited * rules.show_up,
                        invited=invited,
                        show_up=rules.show_up,
                    ),
                )
            if _differs(stop.people_reached, attendance, PEOPLE_TOLERANCE):
                yield _at(
                    "figures",
                    route,
                    msg(
                        "check.conference_reach",
                        venue=where,
                        reached=stop.people_reached,
                        attendance=attendance,
                    ),
                )
            enrolments = attendance * rules.conversion
            if _differs(
                stop.expected_enrolments, enrolments, _enrolment_tolerance(rules.conversion)
            ):
                yield _at(
                    "figures",
                    route,
                    msg(
                        "check.conference_enrolments",
                        venue=where,
                        written=stop.expected_enrolments,
                        expected=enrolments,
                        conversion=rules.conversion,
                    ),
                )
            invited_at[venue.venue_id] = invited_at.get(venue.venue_id, 0) + invited
            if invited_at[venue.venue_id] > venue.catchment_target_people:
                yield _at(
                    "figures",
                    route,
                    msg(
                        "check.catchment",
                        invited=invited_at[venue.venue_id],
                        venue=where,
                        target=venue.catchment_target_people,
                    ),
                )
            d = day_index.get(route.date)
            i = index.get(venue.commune_code)
            if d is None or i is None:
                continue
            level = problem.rules[i][d]
            seats = int(venue.hall_area_m2 / level.m2_per_person)
            for what, written, in_force in (
                ("word.rule_level", stop.rule_level, level.name),
                ("word.gathering_cap", stop.gathering_cap, level.max_gathering),
                ("word.seats_by_area", stop.seats_by_area, seats),
            ):
                if written != in_force:
                    yield _at(
                        "figures",
                        route,
                        msg(
                            "check.conference_in_force",
                            venue=where,
                            what=msg(what),
                            written=_shown(written),
                            in_force=_shown(in_force),
                        ),
                    )


def _shown(value: object) -> str:
    return (
        msg("word.none") if value is None else repr(value) if isinstance(value, str) else str(value)
    )


def check_province_totals(
    figures: ProvinceFigures,
    routes: tuple[TeamDayRoute, ...],
    stop_counts: Mapping[tuple[str, str, dt.date], int],
) -> Iterable[Violation]:
    """routes.csv's stop counts match schedule.csv; the province's figures in summary.json
    are the sums of its stops and team-days.
    """
    code = figures.province_code
    for route in routes:
        written = stop_counts.get((code, route.team_id, route.date), len(route.stops))
        if written != len(route.stops):
            yield _at(
                "figures",
                route,
                msg("check.stop_count", written=written, counted=len(route.stops)),
            )
    stops = [s for r in routes for s in r.stops]
    yield from _totals(
        msg("check.where_province", code=code),
        figures.expected_reach,
        figures.expected_enrolments,
        (figures.passes, figures.conferences, figures.team_days),
        stops,
        len(routes),
    )


def check_plan_totals(plan: WrittenPlan) -> Iterable[Violation]:
    """The plan's totals in summary.json are the sums over its stops and team-days."""
    s = plan.summary
    stops = [row.stop for row in plan.schedule]
    yield from _totals(
        msg("check.where_summary"),
        s.expected_reach,
        s.expected_enrolments,
        (s.passes, s.conferences, s.team_days),
        stops,
        plan.n_team_days,
    )


def _totals(
    where: str,
    reach: float,
    enrolments: float,
    counts: tuple[int, int, int],
    stops: Sequence[Stop],
    team_days: int,
) -> Iterable[Violation]:
    people = sum(s.people_reached for s in stops)
    # every stop was rounded to 0.1 (0.01), and the total to 0.1
    if _differs(people, reach, PEOPLE_TOLERANCE * (len(stops) + 1)):
        yield _plan_wide(
            "figures",
            msg("check.total_reach", where=where, written=reach, counted=people),
        )
    enrolled = sum(s.expected_enrolments for s in stops)
    if _differs(enrolled, enrolments, ENROLMENT_TOLERANCE * len(stops) + PEOPLE_TOLERANCE):
        yield _plan_wide(
            "figures",
            msg("check.total_enrolments", where=where, written=enrolments, counted=enrolled),
        )
    found = (
        sum(1 for s in stops if s.kind == "pass"),
        sum(1 for s in stops if s.kind == "conference"),
        team_days,
    )
    for name, written, counted in zip(
        ("passes", "conferences", "team_days"), counts, found, strict=True
    ):
        if written != counted:
            yield _plan_wide(
                "figures",
                msg("check.total_count", where=where, name=name, written=written, counted=counted),
            )


def check_unserved_listed(
    problem: ProvinceProblem, routes: tuple[TeamDayRoute, ...], unserved: Sequence[UnservedRow]
) -> Iterable[Violation]:
    """Every commune gets a pass or is listed in unserved.csv with its reason; not both."""
    served = {s.commune_code for r in routes for s in r.stops if s.kind == "pass"}
    listed = {
        u.unserved.code
        for u in unserved
        if u.province_code == problem.province_code and u.unserved.kind == "commune"
    }
    for commune in problem.communes:
        if commune.code in served and commune.code in listed:
            yield _plan_wide(
                "unserved",
                msg("check.served_and_listed", code=commune.code, name=commune.name),
            )
        elif commune.code not in served and commune.code not in listed:
            yield _plan_wide(
                "unserved",
                msg("check.not_served_not_listed", code=commune.code, name=commune.name),
            )


# --- reading the files --------------------------------------------------------------------


def read_plan(out_dir: Path) -> WrittenPlan:
    """The plan written in `out_dir` by `planner run`. Raises DataError naming the file,
    the row and the field of the first thing that cannot be read."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise DataError(
            out_dir,
            msg("check.no_plan_folder"),
        )
    summary = read_summary(out_dir / "summary.json")
    codes = {p.province_code for p in summary.provinces}
    routes_path = out_dir / "routes.csv"
    route_rows: dict[tuple[str, str, dt.date], tuple[int, dict[str, Any]]] = {}
    for n, row in enumerate(_read_csv(routes_path, ROUTE_REQUIRED_COLUMNS), start=1):
        cell = _Cells(routes_path, n, row)
        key = (cell.province(codes), cell.text("team_id"), cell.date("date"))
        if key in route_rows:
            raise DataError(
                routes_path,
                f"team {key[1]} has a second route on {key[2]} (also row {route_rows[key][0]})",
                row=n,
                field="team_id",
            )
        route_rows[key] = (n, _route_fields(cell))
    schedule_path = out_dir / "schedule.csv"
    schedule: list[ScheduleRow] = []
    for n, row in enumerate(_read_csv(schedule_path, SCHEDULE_REQUIRED_COLUMNS), start=1):
        cell = _Cells(schedule_path, n, row)
        province = cell.province(codes)
        team_id, date = cell.text("team_id"), cell.date("date")
        if (province, team_id, date) not in route_rows:
            raise DataError(
                schedule_path,
                f"a stop of team {team_id} on {date}, a team-day that is not in routes.csv",
                row=n,
                field="team_id",
            )
        schedule.append(ScheduleRow(province, team_id, date, cell.count("stop"), n, _stop(cell)))
    stops_of: dict[tuple[str, str, dt.date], list[ScheduleRow]] = {}
    for entry in schedule:
        stops_of.setdefault((entry.province_code, entry.team_id, entry.date), []).append(entry)
    routes: dict[str, list[TeamDayRoute]] = {code: [] for code in codes}
    stop_counts: dict[tuple[str, str, dt.date], int] = {}
    for key, (_, fields) in route_rows.items():
        entries = sorted(stops_of.get(key, []), key=lambda e: e.order)
        orders = [e.order for e in entries]
        if orders != list(range(1, len(entries) + 1)):
            bad = next(e for i, e in enumerate(entries, start=1) if e.order != i)
            raise DataError(
                schedule_path,
                f"the stops of team {key[1]} on {key[2]} are numbered {', '.join(map(str, orders))}; "
                "expected 1, 2, 3, ... once each",
                row=bad.row,
                field="stop",
            )
        stop_counts[key] = fields.pop("stops")
        routes[key[0]].append(
            TeamDayRoute(
                team_id=key[1], date=key[2], stops=tuple(e.stop for e in entries), **fields
            )
        )
    return WrittenPlan(
        out_dir=out_dir,
        summary=summary,
        routes={code: tuple(r) for code, r in routes.items()},
        stop_counts=stop_counts,
        schedule=tuple(schedule),
        unserved=read_unserved(out_dir / "unserved.csv", codes),
    )


def read_summary(path: Path) -> PlanSummary:
    """summary.json, with the fields `planner check` and `planner explain` use."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            path, f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    if not isinstance(data, dict):
        raise DataError(path, "expected a JSON object, as `planner run` writes")
    values = _Json(path, data, "")
    provinces = data.get("provinces")
    if not isinstance(provinces, list) or not provinces:
        raise DataError(path, "expected a non-empty list of provinces", field="provinces")
    figures: list[ProvinceFigures] = []
    for i, entry in enumerate(provinces):
        if not isinstance(entry, dict):
            raise DataError(path, "expected an object", field=f"provinces[{i}]")
        p = _Json(path, entry, f"provinces[{i}].")
        figures.append(
            ProvinceFigures(
                province_code=p.text("province_code"),
                province_name=p.text("province_name"),
                expected_reach=p.number("expected_reach"),
                expected_enrolments=p.number("expected_enrolments"),
                passes=p.count("passes"),
                conferences=p.count("conferences"),
                team_days=p.count("team_days"),
            )
        )
    codes = [f.province_code for f in figures]
    if len(set(codes)) != len(codes):
        raise DataError(path, "a province is listed twice", field="provinces")
    return PlanSummary(
        path=path,
        scenario=values.text("scenario"),
        scenario_file=values.text("scenario_file"),
        scenario_hash=values.text("scenario_hash"),
        data_version=values.text("data_version"),
        structure=values.text("structure"),
        expected_reach=values.number("expected_reach"),
        expected_enrolments=values.number("expected_enrolments"),
        passes=values.count("passes"),
        conferences=values.count("conferences"),
        team_days=values.count("team_days"),
        provinces=tuple(figures),
        replanned_from=_replanned_from(path, data),
        run_folder=str(data.get("run_folder") or ""),
        overrides=_overrides(path, data),
    )


def _overrides(path: Path, data: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """summary.json's overrides: {dotted field: value} the run applied to the scenario file."""
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict) or not all(isinstance(k, str) for k in overrides):
        raise DataError(path, "must map scenario fields to values", field="overrides")
    return tuple(sorted((k, _json_value(v)) for k, v in overrides.items()))


def _json_value(value: Any) -> Any:
    """A value as the run gave it: JSON keeps dates as ISO strings (a sweep over the end)."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _replanned_from(path: Path, data: Mapping[str, Any]) -> dt.date | None:
    """summary.json's replan.from, the first re-planned day (None for a plan from planner run)."""
    replan = data.get("replan")
    if replan is None:
        return None
    try:
        return dt.date.fromisoformat(str(replan["from"]))
    except (TypeError, KeyError, ValueError):
        raise DataError(path, "expected a date like 2020-06-01", field="replan.from") from None


def read_unserved(path: Path, codes: set[str]) -> tuple[UnservedRow, ...]:
    """unserved.csv: every commune, island group and group minimum not served, with why."""
    out: list[UnservedRow] = []
    for n, row in enumerate(_read_csv(path, UNSERVED_COLUMNS), start=1):
        cell = _Cells(path, n, row)
        kind = cell.text("kind")
        if kind not in ("commune", "group", "group_minimum"):
            raise DataError(
                path,
                f"expected commune, group or group_minimum, got {kind!r}",
                row=n,
                field="kind",
            )
        out.append(
            UnservedRow(
                cell.province(codes),
                Unserved(
                    kind=kind,  # type: ignore[arg-type]  # checked just above
                    code=cell.text("code"),
                    name=cell.text("name"),
                    group_code=cell.text("group_code"),
                    reason=cell.text("reason"),
                    detail=row["detail"],
                    value_lost=cell.number("value_lost"),
                    insertion_minutes=cell.optional_count("insertion_minutes"),
                ),
            )
        )
    return tuple(out)


def _route_fields(cell: _Cells) -> dict[str, Any]:
    return {
        "vehicle": cell.text("vehicle"),
        "base_venue_id": cell.text("base_venue_id"),
        "base_name": cell.raw("base_name"),
        "base_lat": cell.number("base_lat"),
        "base_lon": cell.number("base_lon"),
        "depart_min": cell.clock("depart"),
        "return_min": cell.clock("return"),
        "lunch_start_min": cell.clock("lunch_start"),
        "lunch_minutes": cell.count("lunch_minutes"),
        "km_to_base": cell.number("km_to_base"),
        "minutes_to_base": cell.count("minutes_to_base"),
        "stops": cell.count("stops"),
        "base_position_estimated": cell.flag("base_position_estimated") or False,
    }


def _stop(cell: _Cells) -> Stop:
    kind = cell.text("kind")
    if kind not in ("pass", "conference"):
        raise DataError(
            cell.path, f"expected pass or conference, got {kind!r}", row=cell.row, field="kind"
        )
    common: dict[str, Any] = {
        "commune_code": cell.text("commune_code"),
        "commune_name": cell.raw("commune_name"),
        "group_code": cell.text("group_code"),
        "group_name": cell.raw("group_name"),
        "lat": cell.number("lat"),
        "lon": cell.number("lon"),
        "arrival_min": cell.clock("arrival"),
        "start_min": cell.clock("start"),
        "end_min": cell.clock("end"),
        "km_from_previous": cell.number("km_from_previous"),
        "minutes_from_previous": cell.count("minutes_from_previous"),
        "people_reached": cell.number("people_reached"),
        "expected_enrolments": cell.number("expected_enrolments"),
        "rule_level": cell.text("rule_level"),
        # where the figures come from: written by plans since the estimate flags were added
        "position_estimated": cell.flag("position_estimated") or False,
        "commune_position_estimated": cell.flag("commune_position_estimated") or False,
        "population_estimated": cell.flag("population_estimated") or False,
    }
    if kind == "pass":
        return Stop(kind="pass", pass_number=cell.count("pass_number"), **common)
    return Stop(
        kind="conference",
        venue_id=cell.text("venue_id"),
        venue_name=cell.raw("venue_name"),
        slot=cell.raw("slot") or None,
        invited=cell.count("invited"),
        expected_attendance=cell.number("expected_attendance"),
        gathering_cap=cell.optional_count("gathering_cap"),
        seats_by_area=cell.count("seats_by_area"),
        hall_estimated=cell.flag("hall_estimated"),
        venue_address=cell.values.get("venue_address", ""),
        contact_name=cell.values.get("contact_name", ""),
        contact_phone=cell.values.get("contact_phone", ""),
        opening_hours=cell.values.get("opening_hours", ""),
        **common,
    )


def read_text(path: Path) -> str:
    """A file `planner run` wrote, as text: UTF-8, with or without the byte order mark its
    CSV files carry for Excel (planner/export/tables.py)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, msg("data.plan_file_not_found")) from None
    except IsADirectoryError:
        raise DataError(path, "is a folder, expected a file written by `planner run`") from None
    except OSError as error:
        raise DataError(path, f"cannot be read: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(path, msg("data.not_utf8", byte=error.start)) from None


def _read_csv(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """The rows of a CSV file written by `planner run`, each checked to have every column."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = reader.fieldnames or []
    if not header:
        raise DataError(path, "empty file; expected the header and rows `planner run` writes")
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(
            path,
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            "expected the columns `planner run` writes",
        )
    rows: list[dict[str, str]] = []
    try:
        for n, row in enumerate(reader, start=1):
            extra = cast(list[str], row.pop(None, None) or [])  # type: ignore[call-overload]
            present = sum(value is not None for value in row.values()) + len(extra)
            if present != len(header):
                raise DataError(
                    path, f"has {present} fields, expected {len(header)} as in the header", row=n
                )
            rows.append(row)
    except csv.Error as error:
        raise DataError(path, f"malformed CSV: {error}", row=reader.line_num) from None
    return rows


class _Cells:
    """Typed access to one CSV row: a bad value is a DataError naming file, row and field."""

    def __init__(self, path: Path, row: int, values: Mapping[str, str]) -> None:
        self.path, self.row, self.values = path, row, values

    def _bad(self, field: str, expected: str) -> DataError:
        return DataError(
            self.path, f"expected {expected}, got {self.values[field]!r}", row=self.row, field=field
        )

    def raw(self, field: str) -> str:
        return self.values[field]

    def flag(self, field: str) -> bool | None:
        """An estimate flag, 1 or 0; None when blank or when the file has no such column."""
        value = (self.values.get(field) or "").strip()
        if not value:
            return None
        if value not in ("0", "1"):
            raise self._bad(field, "1 or 0")
        return value == "1"

    def text(self, field: str) -> str:
        value = self.values[field].strip()
        if not value:
            raise DataError(self.path, "is empty", row=self.row, field=field)
        return value

    def province(self, codes: set[str]) -> str:
        code = self.text("province_code")
        if code not in codes:
            raise DataError(
                self.path,
                f"province {code} is not in summary.json (provinces {', '.join(sorted(codes))})",
                row=self.row,
                field="province_code",
            )
        return code

    def number(self, field: str) -> float:
        try:
            value = float(self.values[field])
        except ValueError:
            raise self._bad(field, "a number") from None
        if not math.isfinite(value):
            raise self._bad(field, "a finite number")
        return value

    def count(self, field: str) -> int:
        try:
            value = int(self.values[field])
        except ValueError:
            raise self._bad(field, "a whole number") from None
        if value < 0:
            raise self._bad(field, "a whole number >= 0")
        return value

    def optional_count(self, field: str) -> int | None:
        return None if not self.values[field].strip() else self.count(field)

    def date(self, field: str) -> dt.date:
        try:
            return dt.date.fromisoformat(self.values[field].strip())
        except ValueError:
            raise self._bad(field, "a date like 2020-05-23") from None

    def clock(self, field: str) -> int:
        """An "HH:MM" time as minutes since midnight."""
        text = self.values[field].strip()
        hours, _, minutes = text.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise self._bad(field, "a time 'HH:MM'")
        value = int(hours) * 60 + int(minutes)
        if int(minutes) > 59 or value > 24 * 60:
            raise self._bad(field, "a time 'HH:MM' from 00:00 to 24:00")
        return value


class _Json:
    """Typed access to summary.json's fields: a bad value is a DataError naming the field."""

    def __init__(self, path: Path, data: Mapping[str, Any], prefix: str) -> None:
        self.path, self.data, self.prefix = path, data, prefix

    def _get(self, key: str, kind: type | tuple[type, ...], expected: str) -> Any:
        if key not in self.data:
            raise DataError(self.path, "is missing", field=self.prefix + key)
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            raise DataError(
                self.path, f"expected {expected}, got {value!r}", field=self.prefix + key
            )
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str, "text"))

    def number(self, key: str) -> float:
        value = float(self._get(key, (int, float), "a number"))
        if not math.isfinite(value):
            raise DataError(self.path, "expected a finite number", field=self.prefix + key)
        return value

    def count(self, key: str) -> int:
        value = int(self._get(key, int, "a whole number"))
        if value < 0:
            raise DataError(
                self.path, f"expected a whole number >= 0, got {value}", field=self.prefix + key
            )
        return value
