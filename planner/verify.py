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

The folder is read by `planner.written_plan.read_plan` (the one reader of a written plan).
A file that cannot be read as `planner run` writes it raises `DataError` (the command line
prints one line and exits 2); a rule broken is a `Violation` (one line each, exit 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.domain import ProvinceProblem
from planner.errors import DataError, PlanCheckError
from planner.inputs import REPO_ROOT, data_version, load_scenario_geodata
from planner.messages import MESSAGES, Lang, localize, msg, text
from planner.plan import Stop, TeamDayRoute
from planner.problem import build_province_problem
from planner.rules.checks import Violation, check_team_days, violations
from planner.rules.reach import conference_attendance, expected_enrolments
from planner.rules.seats import seats_by_area
from planner.scenario import Scenario, load_scenario, scenario_hash
from planner.travel import travel_source
from planner.written_plan import (
    ProvinceFigures,
    ScheduleRow,
    Summary,
    UnservedRow,
    WrittenPlan,
    read_csv,
    read_plan,
    read_text,
    read_unserved,
)

__all__ = [
    "CheckReport",
    "ScheduleRow",
    "UnservedRow",
    "WrittenPlan",
    "check_outputs",
    "describe",
    "locate_scenario",
    "read_plan",
    "read_text",
    "read_unserved",
    "scenario_of",
    "verify_outputs",
]
# The plan folder is read by planner.written_plan (`read_plan`, `WrittenPlan`, ...); those
# names stay importable from here for the modules that read a plan through `planner check`'s
# module (calibrate, fieldwork, team packs, the web app) and for tests/test_reports.py.
_read_csv = read_csv

# Written figures are rounded: people to 0.1, enrolments to 0.01 (planner/export/tables.py).
PEOPLE_TOLERANCE = 0.051
ENROLMENT_TOLERANCE = 0.0051


# --- the report -------------------------------------------------------------------------


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
    written_version = plan.summary.required("data_version")
    if "unknown" not in (version, written_version) and version != written_version:
        raise PlanCheckError(
            msg(
                "data.data_changed",
                summary=plan.summary.path,
                then=written_version,
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


def scenario_of(summary: Summary, override: Path | None = None) -> tuple[Scenario, Path]:
    """The plan's scenario, loaded, after checking that it is the one the plan was made from."""
    path = override if override is not None else locate_scenario(summary)
    then = summary.required("scenario_hash")
    scenario = load_scenario(path, dict(summary.overrides))
    now = scenario_hash(scenario)
    if now != then:
        raise PlanCheckError(
            msg(
                "data.scenario_changed",
                path=path,
                folder=summary.path.parent,
                then=then[:12],
                now=now[:12],
            )
        )
    return scenario, path


def locate_scenario(summary: Summary) -> Path:
    """summary.json's scenario_file: where the run found it, wherever `check` is run from.

    Plans record the scenario's absolute path (and the folder the run was started in);
    plans written before that recorded the path as typed, relative to the folder the run
    was started from: usually the folder above `outputs/`, so that is tried before the
    repository and, last, the current folder.
    """
    file = summary.required("scenario_file")
    written = Path(file)
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
        msg("data.scenario_file_missing", file=file, repo=REPO_ROOT),
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
            enrolments = expected_enrolments(stop.people_reached, rules.conversion)
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
            expected_attendance = conference_attendance(invited, rules.show_up)
            if _differs(attendance, expected_attendance, PEOPLE_TOLERANCE):
                yield _at(
                    "figures",
                    route,
                    msg(
                        "check.conference_attendance",
                        venue=where,
                        attendance=attendance,
                        expected=expected_attendance,
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
            enrolments = expected_enrolments(attendance, rules.conversion)
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
            seats = seats_by_area(venue.hall_area_m2, level.m2_per_person)
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
