"""Re-plan the rest of the month from what was done.

Halfway through the campaign teams report what they did; something changed (a new COVID
level from a date, a team out sick). `planner replan OUTDIR --done DONE.csv --from DATE
[--scenario CHANGED.toml]`:

1. reads the published plan in OUTDIR (as `planner check` reads it) and the done report
   (`read_done`): rows in schedule.csv's own columns, at least team_id, date, kind and
   commune_code (a pass) or venue_id (a conference); or the schedule itself with a `done`
   column (1/yes/true/x = done, 0/no/false/empty = not done). Each row must match a stop of
   the published plan before DATE, once; a stop in a place isolated that day under the rules
   now in force cannot have been done. Every mistake is one line naming the row;
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

import csv
import datetime as dt
import io
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from planner.domain import History, ProvinceProblem, PublishedStop
from planner.errors import DataError, ScenarioError
from planner.execute import ProvinceTask
from planner.plan import Kpis, Plan, ProvincePlan, Stop, TeamDayRoute
from planner.problem import build_province_problem
from planner.runner import (
    Progress,
    RunResult,
    RunSettings,
    ScenarioJob,
    load_scenario_geodata,
    plan_figures,
    provenance_of,
    solve_tasks,
    write_plan_outputs,
)
from planner.scenario import Scenario, load_scenario
from planner.travel import Place, TravelTimeSource, travel_source
from planner.verify import WrittenPlan, locate_scenario, read_plan, read_text, scenario_of

TRUE = frozenset({"1", "yes", "y", "true", "x", "done", "có", "co"})
FALSE = frozenset({"0", "no", "n", "false", ""})


@dataclass(frozen=True)
class DoneStop:
    """A stop a team reports as done: the published stop it matches, and the report row."""

    province_code: str
    route: TeamDayRoute
    stop: Stop
    row: int


# --- the done report ---------------------------------------------------------------------


def read_done(
    path: Path,
    published: WrittenPlan,
    from_date: dt.date,
    problems: Mapping[str, ProvinceProblem],
) -> list[DoneStop]:
    """The done stops of the report at `path`, each matched to a published stop before
    `from_date`. Raises DataError naming the row and field of the first bad row."""
    if not path.is_file():
        raise DataError(
            path,
            "no such file; expected the done report: schedule.csv's rows for the stops done, "
            "or schedule.csv with a done column",
        )
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    required = ("team_id", "date", "kind")
    missing = [c for c in required if c not in header]
    if not header or missing:
        raise DataError(
            path,
            f"missing column{'s' if len(missing) != 1 else ''} {', '.join(missing or required)}; "
            "expected schedule.csv's columns (team_id, date, kind, commune_code or venue_id), "
            "optionally with a done column",
        )
    if "commune_code" not in header and "venue_id" not in header:
        raise DataError(path, "needs a commune_code (passes) or venue_id (conferences) column")
    stops: dict[tuple[str, dt.date, str, str], tuple[str, TeamDayRoute, Stop]] = {}
    for code, routes in published.routes.items():
        for route in routes:
            for stop in route.stops:
                place = stop.commune_code if stop.kind == "pass" else stop.venue_id or ""
                stops[(route.team_id, route.date, stop.kind, place)] = (code, route, stop)
    teams = {route.team_id for routes in published.routes.values() for route in routes}
    seen: dict[tuple[str, dt.date, str, str], int] = {}
    done: list[DoneStop] = []
    try:
        rows = list(reader)
    except csv.Error as error:
        raise DataError(path, f"malformed CSV: {error}", row=reader.line_num) from None
    for n, raw in enumerate(rows, start=1):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if "done" in row:
            flag = row["done"].lower()
            if flag in FALSE:
                continue
            if flag not in TRUE:
                raise DataError(
                    path,
                    f"expected 1/yes/true/x or 0/no/false/empty, got {row['done']!r}",
                    row=n,
                    field="done",
                )
        team_id = row.get("team_id", "")
        if team_id not in teams:
            raise DataError(
                path,
                f"team {team_id!r} has no route in the published plan {published.out_dir}",
                row=n,
                field="team_id",
            )
        try:
            date = dt.date.fromisoformat(row.get("date", ""))
        except ValueError:
            raise DataError(
                path,
                f"expected a date like 2020-05-23, got {row.get('date')!r}",
                row=n,
                field="date",
            ) from None
        if date >= from_date:
            raise DataError(
                path,
                f"{date} is not before --from {from_date}: only days before the re-plan can be "
                "reported done",
                row=n,
                field="date",
            )
        kind = row.get("kind", "")
        if kind not in ("pass", "conference"):
            raise DataError(path, f"expected pass or conference, got {kind!r}", row=n, field="kind")
        field = "commune_code" if kind == "pass" else "venue_id"
        place = row.get(field, "")
        key = (team_id, date, kind, place)
        if key in seen:
            raise DataError(
                path,
                f"the same stop as row {seen[key]} (team {team_id}, {date}, {kind} at {place})",
                row=n,
                field=field,
            )
        seen[key] = n
        if key not in stops:
            raise DataError(
                path,
                f"no {kind} of team {team_id} on {date} at {place or '(empty)'} in the published "
                f"plan {published.out_dir / 'schedule.csv'}",
                row=n,
                field=field,
            )
        code, route, stop = stops[key]
        _check_not_isolated(path, n, problems[code], stop, date)
        done.append(DoneStop(code, route, stop, n))
    return done


def _check_not_isolated(
    path: Path, row: int, problem: ProvinceProblem, stop: Stop, date: dt.date
) -> None:
    """A team cannot have passed through, or held a conference in, an isolated place."""
    index = problem.commune_index().get(stop.commune_code)
    if index is None or date not in problem.dates:
        return
    level = problem.rules[index][problem.dates.index(date)]
    if level.isolated:
        raise DataError(
            path,
            f"{stop.commune_name} ({stop.commune_code}) is isolated on {date} (level "
            f"{level.name}) under the rules in force; a team cannot have been there",
            row=row,
            field="commune_code" if stop.kind == "pass" else "venue_id",
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
    for d in done:
        if d.stop.kind == "pass":
            passes[d.stop.commune_code].append(d.route.date)
        else:
            venue = d.stop.venue_id or ""
            conferences[venue].append(d.route.date)
            invited[venue] += d.stop.invited or 0
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
                        expected_enrolments=people * problem.passes.conversion,
                    )
                )
            else:
                attendance = (stop.invited or 0) * problem.conferences.show_up
                stops.append(
                    replace(
                        stop,
                        km_from_previous=leg_km,
                        minutes_from_previous=leg_minutes,
                        people_reached=attendance,
                        expected_attendance=attendance,
                        expected_enrolments=attendance * problem.conferences.conversion,
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
    weights = problem.weights
    people = sum(s.people_reached for r in pinned for s in r.stops)
    enrolled = sum(s.expected_enrolments for r in pinned for s in r.stops)
    km = sum(r.travel_km for r in pinned)
    value = (
        people * weights.reach_weight
        + enrolled * weights.enrolment_weight
        - km * weights.travel_cost_per_km
    )
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
    done_path: Path,
    from_date: dt.date,
    settings: RunSettings,
    *,
    scenario_path: Path | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Re-plan the published plan in `out_dir` from `from_date`; write the whole month."""
    started = time.perf_counter()
    published = read_plan(out_dir)
    scenario, path = _scenario(published, scenario_path)
    if scenario.structure != published.summary.structure:
        raise ScenarioError(
            path,
            f"structure {scenario.structure} differs from the published plan's "
            f"{published.summary.structure}",
            field="structure",
        )
    if not scenario.campaign.start < from_date <= scenario.campaign.end:
        raise ScenarioError(
            path,
            f"--from {from_date} must be after the first campaign day "
            f"({scenario.campaign.start}) and not after the last ({scenario.campaign.end})",
            field="campaign",
        )
    geo = load_scenario_geodata(scenario, path, settings.data_dir)
    codes = [p.province_code for p in published.summary.provinces]
    outside = [c for c in codes if scenario.provinces != "all" and c not in scenario.provinces]
    if outside:
        raise ScenarioError(
            path,
            f"does not plan province(s) {', '.join(outside)} of the published plan",
            field="provinces",
        )
    problems = {code: build_province_problem(geo, scenario, path, code) for code in codes}
    done = read_done(done_path, published, from_date, problems)
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
        merge(problems[code], pinned[code], plan) for code, plan in zip(codes, plans, strict=True)
    )
    plan = Plan(
        scenario=scenario.name,
        structure=scenario.structure,
        provinces=merged,
        seed=seed,
        time_limit_seconds=time_limit,
    )
    new_dir = settings.out_dir or out_dir.with_name(f"{out_dir.name}-replan-{from_date}")
    job = ScenarioJob(path=path, scenario=scenario, out_dir=new_dir)
    provenance: dict[str, Any] = provenance_of(job, settings)
    provenance["replan"] = {
        "published_plan": str(out_dir),
        "from": from_date.isoformat(),
        "done_file": str(done_path),
        "done_stops": len(done),
        "stability": scenario.objective.stability,
    }
    figures = plan_figures(plan, scenario, provenance, time.perf_counter() - started)
    write_plan_outputs(job, plan, geo, figures, settings.lang)
    return RunResult(plan=plan, out_dir=new_dir, summary=figures[0])


def _scenario(published: WrittenPlan, override: Path | None) -> tuple[Scenario, Path]:
    """The rules now in force: the changed scenario, or the published plan's own (unchanged)."""
    if override is not None:
        return load_scenario(override), override
    located = locate_scenario(published.summary)
    return scenario_of(published.summary, located)
