"""Re-plan the rest of the month from what was done.

Halfway through the campaign teams report what they did; something changed (a new COVID
level from a date, a team out sick). `planner replan OUTDIR --done DONE.csv --from DATE
[--scenario CHANGED.toml]`:

1. reads the published plan in OUTDIR (`planner.written_plan.read_plan`, as `planner check`
   reads it) and the done reports (`read_done`, through `planner.reports.read_reports`):
   the plan's own schedule.xlsx with its done column filled in, or schedule.csv's rows
   (team_id, date, kind and commune_code for a pass or venue_id for a conference), alone
   or with a `done` column (1/yes/true/x/có = done, 0/no/false/không/empty = not done); CSV
   in UTF-8 (with or without BOM), Windows-1258 or UTF-16, separated by commas, semicolons
   or tabs; several files at once, the latest report of a stop winning (each such case is
   one line, and is recorded in summary.json). Each stop reported done must match a stop
   of the published plan before DATE, once; a stop in a place isolated that day under the
   rules now in force cannot have been done. Every mistake is one line naming the file,
   row and column;
2. turns the done stops into each province's `History` (planner/domain.py): done stops count
   toward every limit, spacing and fairness minimum, and toward the people already reached:
   a later pass through a commune is a repeat worth less, and people invited to a done
   conference are not invited again (planner/instance.py);
3. plans every day from DATE under the scenario now in force (CHANGED.toml, or the published
   plan's own scenario), with a stability bonus for each published stop kept on the same
   team and day (`objective.stability`, argued in the scenario schema): a re-plan that
   reshuffles every team's printed stop list for a 0.1% gain is worse than useless;
4. writes a complete plan — the done stops as they were reported (their times as published,
   their figures recomputed in date order among what was done) and the new days — so that
   `planner check` verifies the whole month, and `planner compare OUTDIR NEWDIR` shows what
   changed for each team. Planned stops before DATE that were not reported done did not
   happen and are dropped.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from planner.domain import History, ProvinceProblem, PublishedStop
from planner.errors import ScenarioError
from planner.estimates import with_estimates
from planner.execute import ProvinceTask
from planner.geo.load import GeoData
from planner.messages import msg
from planner.output_folder import OutputFolder
from planner.plan import Kpis, Plan, ProvincePlan, Stop, TeamDayRoute
from planner.problem import build_province_problem
from planner.reports import ReportedStop, ReportSource, code_key, read_reports
from planner.rules.points import plan_value
from planner.rules.reach import conference_attendance, expected_enrolments
from planner.runner import (
    Progress,
    RunResult,
    RunSettings,
    ScenarioJob,
    load_scenario_geodata,
    plan_figures,
    plan_folder,
    provenance_of,
    solve_tasks,
    write_plan_outputs,
)
from planner.scenario import Scenario, load_scenario
from planner.travel import Place, TravelTimeSource, travel_source
from planner.verify import locate_scenario, scenario_of
from planner.written_plan import SCHEDULE_FILE, WrittenPlan, read_plan


@dataclass(frozen=True)
class DoneStop:
    """A stop a team reports as done: the published stop it matches, and the report row."""

    province_code: str
    route: TeamDayRoute
    stop: Stop
    row: int
    report: ReportedStop | None = None  # what the team reported (attendance, note, ...)


# --- the done report ---------------------------------------------------------------------


def read_done(
    paths: Path | Sequence[Path],
    published: WrittenPlan,
    from_date: dt.date,
    problems: Mapping[str, ProvinceProblem],
    *,
    notice: Callable[[str], None] | None = None,
) -> list[DoneStop]:
    """The done stops of the reports at `paths` (planner/reports.py: the workbook, CSV in
    any of the usual encodings and separators; several files, the latest report winning),
    each matched to a published stop before `from_date`. `notice` gets one line per stop
    reported twice (which report won). Raises DataError naming the file, row and column of
    the first bad row."""
    reports = read_reports(paths)
    for override in reports.overrides:
        (notice or _notice)(f"report: {override.line()}")
    stops: dict[tuple[str, dt.date, str, str], tuple[str, TeamDayRoute, Stop]] = {}
    for code, routes in published.routes.items():
        for route in routes:
            for stop in route.stops:
                place = stop.commune_code if stop.kind == "pass" else stop.venue_id or ""
                stops[(route.team_id, route.date, stop.kind, code_key(place))] = (code, route, stop)
    teams = {route.team_id for routes in published.routes.values() for route in routes}
    done: list[DoneStop] = []
    for report in reports.done:
        source = report.source
        if report.team_id not in teams:
            raise source.error(
                f"team {report.team_id!r} has no route in the published plan {published.out_dir}",
                "team_id",
            )
        if report.date >= from_date:
            raise source.error(
                f"{report.date} is not before --from {from_date}: only days before the re-plan "
                "can be reported done",
                "date",
            )
        key = report.key  # once each: read_reports merged the reports of a stop
        if key not in stops:
            raise source.error(
                f"no {report.kind} of team {report.team_id} on {report.date} at "
                f"{report.place or '(empty)'} in the published plan "
                f"{published.out_dir / SCHEDULE_FILE}",
                report.place_field,
            )
        code, route, stop = stops[key]
        if report.province_code is not None and code_key(report.province_code) != code_key(code):
            raise source.error(
                f"team {report.team_id} works in province {code}, not {report.province_code}",
                "province_code",
            )
        _check_not_isolated(source, problems[code], stop, report.date)
        done.append(DoneStop(code, route, stop, source.row, report))
    return done


def _notice(line: str) -> None:
    print(f"planner: {line}", file=sys.stderr, flush=True)


def _check_not_isolated(
    source: ReportSource, problem: ProvinceProblem, stop: Stop, date: dt.date
) -> None:
    """A team cannot have passed through, or held a conference in, an isolated place."""
    index = problem.commune_index().get(stop.commune_code)
    if index is None or date not in problem.dates:
        return
    level = problem.rules[index][problem.dates.index(date)]
    if level.isolated:
        raise source.error(
            f"{stop.commune_name} ({stop.commune_code}) is isolated on {date} (level "
            f"{level.name}) under the rules in force; a team cannot have been there",
            "commune_code" if stop.kind == "pass" else "venue_id",
        )


# --- history and the pinned days --------------------------------------------------------


def history_of(
    problem: ProvinceProblem,
    done: Sequence[DoneStop],
    published: Sequence[TeamDayRoute],
    from_date: dt.date,
    stability: float,
) -> History:
    """What a province's done stops leave for the re-plan, and what it should keep."""
    passes: dict[str, list[dt.date]] = defaultdict(list)
    conferences: dict[str, list[dt.date]] = defaultdict(list)
    invited: dict[str, int] = defaultdict(int)
    by_team: dict[str, list[dt.date]] = defaultdict(list)
    for d in done:
        if d.stop.kind == "pass":
            passes[d.stop.commune_code].append(d.route.date)
        else:
            venue = d.stop.venue_id or ""
            conferences[venue].append(d.route.date)
            invited[venue] += d.stop.invited or 0
            by_team[d.route.team_id].append(d.route.date)
    kept = tuple(
        PublishedStop(
            route.team_id,
            route.date,
            stop.kind,
            stop.commune_code if stop.kind == "pass" else stop.venue_id or "",
        )
        for route in published
        if route.date >= from_date
        for stop in route.stops
    )
    return History(
        from_date=from_date,
        passes_done=tuple(sorted((k, tuple(sorted(v))) for k, v in passes.items())),
        conferences_done=tuple(sorted((k, tuple(sorted(v))) for k, v in conferences.items())),
        invited_done=tuple(sorted(invited.items())),
        team_conferences_done=tuple(sorted((k, tuple(sorted(v))) for k, v in by_team.items())),
        published=kept,
        stability=stability,
    )


def pinned_routes(
    problem: ProvinceProblem, done: Sequence[DoneStop], travel: TravelTimeSource
) -> tuple[TeamDayRoute, ...]:
    """The done team-days as they happened: only the done stops, at their published times.

    Drives are recomputed between the stops that remain (a skipped stop shortens the day);
    pass figures are recomputed in date order among the done passes (a pass that was
    planned as a repeat is a first pass if the first was not done); a conference keeps the
    people it invited, with the attendance and enrolments of the rates now in force.
    """
    by_route: dict[tuple[str, dt.date], list[DoneStop]] = defaultdict(list)
    for d in done:
        by_route[(d.route.team_id, d.route.date)].append(d)
    teams = {t.team_id: t for t in problem.teams}
    terrain = {c.code: c.terrain for c in problem.communes}
    targets = {c.code: c.target_people for c in problem.communes}
    passes_so_far: dict[str, int] = defaultdict(int)
    out: list[TeamDayRoute] = []
    for (team_id, _), items in sorted(by_route.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        route = items[0].route
        order = {id(s): i for i, s in enumerate(route.stops)}
        kept = sorted((d.stop for d in items), key=lambda s: order[id(s)])
        places = [Place(route.base_lat, route.base_lon, "plain")] + [
            Place(s.lat, s.lon, terrain.get(s.commune_code, "plain")) for s in kept
        ]
        vehicle = teams[team_id].vehicle if team_id in teams else route.vehicle
        matrices = travel.matrices(places, vehicle)
        stops = []
        for i, stop in enumerate(kept, start=1):
            leg_km, leg_minutes = float(matrices.km[i - 1, i]), int(matrices.minutes[i - 1, i])
            if stop.kind == "pass":
                passes_so_far[stop.commune_code] += 1
                number = passes_so_far[stop.commune_code]
                people = problem.passes.people_reached(targets.get(stop.commune_code, 0), number)
                stops.append(
                    replace(
                        stop,
                        km_from_previous=leg_km,
                        minutes_from_previous=leg_minutes,
                        pass_number=number,
                        people_reached=people,
                        expected_enrolments=expected_enrolments(people, problem.passes.conversion),
                    )
                )
            else:
                attendance = conference_attendance(stop.invited or 0, problem.conferences.show_up)
                stops.append(
                    replace(
                        stop,
                        km_from_previous=leg_km,
                        minutes_from_previous=leg_minutes,
                        people_reached=attendance,
                        expected_attendance=attendance,
                        expected_enrolments=expected_enrolments(
                            attendance, problem.conferences.conversion
                        ),
                    )
                )
        out.append(
            replace(
                route,
                stops=tuple(stops),
                km_to_base=float(matrices.km[len(kept), 0]),
                minutes_to_base=int(matrices.minutes[len(kept), 0]),
            )
        )
    return tuple(out)


def merge(
    problem: ProvinceProblem, pinned: tuple[TeamDayRoute, ...], new: ProvincePlan
) -> ProvincePlan:
    """The whole month: the done days, then the re-planned ones, with figures for both."""
    people = sum(s.people_reached for r in pinned for s in r.stops)
    enrolled = sum(s.expected_enrolments for r in pinned for s in r.stops)
    km = sum(r.travel_km for r in pinned)
    value = plan_value(problem.weights, people, enrolled, km)
    k = new.kpis
    kpis = Kpis(
        people_reached=k.people_reached + people,
        expected_enrolments=k.expected_enrolments + enrolled,
        passes=k.passes + sum(1 for r in pinned for s in r.stops if s.kind == "pass"),
        conferences=k.conferences + sum(1 for r in pinned for s in r.stops if s.kind != "pass"),
        team_days_used=k.team_days_used + len(pinned),
        team_days_available=k.team_days_available + len(pinned),
        travel_km=k.travel_km + km,
        objective=k.objective + value,
        upper_bound=k.upper_bound + value,
        greedy_value=k.greedy_value + value,
        solve_seconds=k.solve_seconds,
    )
    done_communes = {s.commune_code for r in pinned for s in r.stops if s.kind == "pass"}
    unserved = tuple(
        u for u in new.unserved if not (u.kind == "commune" and u.code in done_communes)
    )
    routes = tuple(sorted(pinned + new.routes, key=lambda r: (r.date, r.team_id)))
    done_stops = sum(len(r.stops) for r in pinned)
    return replace(
        new,
        routes=routes,
        unserved=unserved,
        kpis=kpis,
        notes=(
            f"done before the re-plan: {done_stops} stops on {len(pinned)} team-days",
            *new.notes,
        ),
    )


# --- the command --------------------------------------------------------------------------


def replan(
    out_dir: Path,
    done_path: Path | Sequence[Path],
    from_date: dt.date,
    settings: RunSettings,
    *,
    scenario_path: Path | None = None,
    progress: Progress | None = None,
    notice: Callable[[str], None] | None = None,
) -> RunResult:
    """Re-plan the published plan in `out_dir` from `from_date`; write the whole month.

    `done_path`: one report file or several (planner/reports.py); `notice` gets a line for
    each stop reported twice (default: the progress' note, else standard error)."""
    done_paths = [done_path] if isinstance(done_path, Path | str) else list(done_path)
    overrides: list[str] = []

    def note(line: str) -> None:
        overrides.append(line)
        if notice is not None:
            notice(line)
        else:
            (getattr(progress, "note", None) or _notice)(line)

    started = time.perf_counter()
    published = read_plan(out_dir)
    scenario, path = _scenario(published, scenario_path)
    if scenario.structure != published.summary.structure:
        raise ScenarioError(
            path,
            msg(
                "replan.structure",
                structure=scenario.structure,
                published=published.summary.structure,
            ),
            field="structure",
        )
    if not scenario.campaign.start < from_date <= scenario.campaign.end:
        raise ScenarioError(
            path,
            msg(
                "replan.from_outside",
                date=from_date,
                start=scenario.campaign.start,
                end=scenario.campaign.end,
            ),
            field="campaign",
        )
    geo = load_scenario_geodata(scenario, path, settings.data_dir)
    codes = [p.province_code for p in published.summary.provinces]
    outside = [c for c in codes if scenario.provinces != "all" and c not in scenario.provinces]
    if outside:
        raise ScenarioError(
            path,
            msg("replan.provinces_left_out", codes=", ".join(outside)),
            field="provinces",
        )
    problems = {code: build_province_problem(geo, scenario, path, code) for code in codes}
    done = read_done([Path(p) for p in done_paths], published, from_date, problems, notice=note)
    new_dir = settings.out_dir or out_dir.with_name(f"{out_dir.name}-replan-{from_date}")
    job = ScenarioJob(path=path, scenario=scenario, out_dir=new_dir)
    with plan_folder(job, force=settings.force) as folder:  # refused now, not after the solve
        return _replan_into(
            folder,
            job,
            out_dir,
            published,
            problems,
            done,
            done_paths,
            overrides,
            from_date,
            settings,
            progress,
            geo,
            started,
        )


def _replan_into(
    folder: OutputFolder,
    job: ScenarioJob,
    out_dir: Path,
    published: WrittenPlan,
    problems: dict[str, ProvinceProblem],
    done: list[DoneStop],
    done_paths: Sequence[Path | str],
    overrides: list[str],
    from_date: dt.date,
    settings: RunSettings,
    progress: Progress | None,
    geo: GeoData,
    started: float,
) -> RunResult:
    scenario, path, new_dir = job.scenario, job.path, job.out_dir
    codes = list(problems)
    travel = travel_source(scenario.travel, path)
    time_limit = settings.time_limit or scenario.solver.time_limit_seconds
    seed = scenario.solver.seed if settings.seed is None else settings.seed
    tasks = []
    pinned: dict[str, tuple[TeamDayRoute, ...]] = {}
    for code in codes:
        mine = [d for d in done if d.province_code == code]
        history = history_of(
            problems[code],
            mine,
            published.routes.get(code, ()),
            from_date,
            scenario.objective.stability,
        )
        pinned[code] = pinned_routes(problems[code], mine, travel)
        tasks.append(
            ProvinceTask(
                problem=replace(problems[code], history=history),
                travel=travel,
                time_limit=time_limit,
                seed=seed,
                solver_workers=scenario.solver.workers,
            )
        )
    plans = solve_tasks(tasks, codes, settings, progress=progress)
    merged = tuple(
        with_estimates(problems[code], merge(problems[code], pinned[code], plan))
        for code, plan in zip(codes, plans, strict=True)
    )
    plan = Plan(
        scenario=scenario.name,
        structure=scenario.structure,
        provinces=merged,
        seed=seed,
        time_limit_seconds=time_limit,
    )
    provenance: dict[str, Any] = provenance_of(job, settings)
    provenance["replan"] = {
        "published_plan": str(out_dir),
        "from": from_date.isoformat(),
        "done_file": "; ".join(str(p) for p in done_paths),
        "done_files": [str(p) for p in done_paths],
        "done_stops": len(done),
        "report_overrides": overrides,
        "stability": scenario.objective.stability,
    }
    figures = plan_figures(plan, scenario, provenance, time.perf_counter() - started, problems)
    write_plan_outputs(job, plan, geo, figures, settings.lang, folder=folder)
    return RunResult(plan=plan, out_dir=new_dir, summary=figures[0])


def _scenario(published: WrittenPlan, override: Path | None) -> tuple[Scenario, Path]:
    """The rules now in force: the changed scenario, or the published plan's own (unchanged)."""
    if override is not None:
        return load_scenario(override), override
    located = locate_scenario(published.summary)
    return scenario_of(published.summary, located)
