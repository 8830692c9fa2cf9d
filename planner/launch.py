"""The launch day: every team's parade on a common clock, then the month around it.

The campaign opens with a ceremony broadcast from the centre to every province and district
(23 May 2020, news report in shared/seed/campaign-launch-2020.txt) and, the same morning, one
mobile or district team per district driving through the urban districts, towns and provincial
capital with banners and loudspeakers; the crews then split into small groups that talk to
people directly (May 2022: about 600 parades, 9,000 vehicles, 6,600 groups that reached
168,000 people; data/facts/campaign_history.csv).

When a province's problem has a `Launch` (scenario table ``[launch]``):

1. **the parades** (`launch_routes`): every team working on the launch date drives through
   the most populous built-up communes (Phường, Thị trấn) of its own group (district or
   cluster) where passes are allowed that day, the commune is not isolated and the team can
   reach it by road; a group with no such commune parades through its most populous
   communes. At most ``parade_communes`` each; teams of one group share its communes out
   (most populous first, in turn), so no commune gets two passes that day. The parade is
   driven nearest first: from the base to the nearest chosen commune, then to the nearest
   one left. Its first pass starts exactly at the common clock ``start_min``: the team leaves
   its base at the clock less the drive there, *even before its working hours start* (it is
   the launch; `planner check` must accept that departure, see `launch_departure`). Each
   pass lasts its dwell; the day is timed by `planner.rules.schedule.schedule_day` (travel
   times, traffic-safety breaks, lunch) with the small-group sessions as a stop of
   ``group_minutes`` in the last parade commune that is left off the route (they are no
   plan stop): then back to base. A parade that does not fit the day loses its least
   populous commune until it fits;
2. **the small groups**: one group per crew member but the driver (at least one), each
   reaching ``people_per_group`` people; shown as the route's ``note`` (in Vietnamese, on
   the route sheet) and in `launch_summary`, never in the plan's reach or enrolments (the
   parade passes count as passes, with their usual reach and enrolments);
3. **the month** (`solve_with_launch`): the launch team-days are pinned like a re-plan's
   done days. The solver plans every other day of the campaign, days before the launch
   included, with a `History` holding the parade passes (spacing, pass limits, fairness
   minimums and repeat values count them; ``lead_binds=False``: every conference of the
   month can still be announced in time); the launch date is closed for every team that
   works on it, by taking it out of the team's days;
4. **the merge** (`merge_launch`): the parades and the solved month, passes numbered again
   in date order (a pass before the launch is the first there), figures added up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from planner.domain import History, Launch, ProvinceProblem, Team
from planner.instance import Instance, build_instance
from planner.plan import Plan, ProvincePlan, Stop, TeamDayRoute, hhmm
from planner.rules.points import plan_value
from planner.rules.reach import expected_enrolments
from planner.rules.schedule import DaySchedule, StopRequest, schedule_day
from planner.solve.evaluate import pass_stop, team_day_route
from planner.travel import Place, TravelMatrices, TravelTimeSource

BUILT_UP = ("Phường", "Thị trấn")
NOTE_PREFIX = "Lễ ra quân"


def groups_of(team: Team, launch: Launch) -> int:
    """Small groups a team's crew splits into: one per member but the driver, at least one
    (none when the launch has no small-group sessions)."""
    if launch.group_minutes <= 0:
        return 0
    return max(1, team.crew - 1)


# --- choosing and timing the parades ------------------------------------------------------


def launch_day_index(problem: ProvinceProblem) -> int | None:
    """The index of the launch date among the campaign days (None: no launch that plans)."""
    launch = problem.launch
    if launch is None or launch.date not in problem.dates:
        return None
    return problem.dates.index(launch.date)


def parade_communes(instance: Instance) -> dict[int, list[int]]:
    """Team index -> the commune indices of its parade (most populous first, not yet ordered
    for driving), for every team working on the launch date; empty when none is open."""
    problem = instance.problem
    d = launch_day_index(problem)
    if d is None or problem.launch is None:
        return {}
    limit = problem.launch.parade_communes
    working = [t for t in range(instance.n_teams) if instance.team_works[t, d]]
    by_group: dict[str, list[int]] = defaultdict(list)
    for t in working:
        by_group[problem.teams[t].group_code].append(t)
    chosen: dict[int, list[int]] = {t: [] for t in working}

    def most_populous(indices: list[int]) -> list[int]:
        return sorted(
            indices, key=lambda i: (-problem.communes[i].population, problem.communes[i].code)
        )

    for group, members in by_group.items():
        open_ = [
            i
            for i, c in enumerate(problem.communes)
            if c.group_code == group
            and instance.pass_open[i, d]
            and any(instance.team_may_visit[t, i] for t in members)
        ]
        built = most_populous([i for i in open_ if problem.communes[i].kind in BUILT_UP])
        rest = most_populous([i for i in open_ if problem.communes[i].kind not in BUILT_UP])
        _deal(built or rest, members, chosen, instance, limit)
        if built:  # a team left without a built-up commune parades through the others
            hungry = [t for t in members if not chosen[t]]
            _deal(rest, hungry, chosen, instance, limit)
    return chosen


def _deal(
    communes: list[int],
    teams: list[int],
    chosen: dict[int, list[int]],
    instance: Instance,
    limit: int,
) -> None:
    """Communes (most populous first) to teams in turn, each up to ``limit``, where it can go."""
    turn = 0
    for i in communes:
        for k in range(len(teams)):
            t = teams[(turn + k) % len(teams)]
            if len(chosen[t]) < limit and instance.team_may_visit[t, i]:
                chosen[t].append(i)
                turn = (turn + k + 1) % len(teams)
                break


def driving_order(instance: Instance, t: int, communes: Sequence[int]) -> list[int]:
    """Nearest first: from the base to the nearest commune, then to the nearest one left."""
    minutes = instance.team_minutes(t)
    here = int(instance.team_base_site[t])
    left = list(communes)
    order: list[int] = []
    while left:
        nearest = min(left, key=lambda i: (int(minutes[here, i]), left.index(i)))
        order.append(nearest)
        left.remove(nearest)
        here = nearest
    return order


def parade_schedule(
    instance: Instance, t: int, communes: Sequence[int]
) -> tuple[list[int], DaySchedule] | None:
    """The parade through ``communes`` in driving order, timed; None if it does not fit.

    The team leaves its base at the common clock less the drive to the first commune (even
    before its working hours: it is the launch), so that the first pass starts on the clock;
    the small-group sessions are the last stop (left off the route by the caller).
    """
    problem = instance.problem
    launch = problem.launch
    if launch is None or not communes:
        return None
    order = driving_order(instance, t, communes)
    minutes = instance.team_minutes(t)
    base = int(instance.team_base_site[t])
    depart = launch.start_min - int(minutes[base, order[0]])
    if depart < 0:
        return None
    day = replace(problem.teams[t].working_day, start_min=depart)
    clock = ((launch.start_min, launch.start_min),)
    requests = [replace(instance.pass_requests[order[0]], windows=clock)]
    requests += [instance.pass_requests[i] for i in order[1:]]
    if launch.group_minutes > 0:
        requests.append(StopRequest(site=order[-1], service_minutes=launch.group_minutes))
    timed = schedule_day(base, requests, minutes, day)
    if timed is None or timed.stops[0].start_min != launch.start_min:
        return None
    return order, timed


def launch_routes(instance: Instance) -> tuple[tuple[TeamDayRoute, ...], tuple[str, ...]]:
    """Every team's launch-day route, and what the plan should say about them."""
    problem = instance.problem
    launch = problem.launch
    d = launch_day_index(problem)
    if launch is None or d is None:
        return (), ()
    routes: list[TeamDayRoute] = []
    notes: list[str] = []
    when = f"launch {launch.date} at {hhmm(launch.start_min)}"
    for t, communes in parade_communes(instance).items():
        team = problem.teams[t]
        timed = None
        while communes and timed is None:
            timed = parade_schedule(instance, t, communes)
            if timed is None:
                communes = communes[:-1]  # the least populous goes first
        if timed is None:
            notes.append(
                f"{when}: team {team.team_id} has no parade: no commune of its "
                f"{problem.group_label} {team.group_code} where passes are allowed that day "
                "and that it can reach by road in its working day; no route that day"
            )
            continue
        order, schedule = timed
        route = _route(instance, t, d, order, schedule)
        routes.append(route)
        if route.depart_min < team.working_day.start_min:
            notes.append(
                f"{when}: team {team.team_id} leaves its base at {hhmm(route.depart_min)}, "
                f"before its working hours ({hhmm(team.working_day.start_min)}), to start "
                "its parade on the common clock"
            )
    return tuple(routes), tuple(notes)


def _route(
    instance: Instance, t: int, d: int, order: list[int], timed: DaySchedule
) -> TeamDayRoute:
    """The launch-day route: the parade passes only (the small groups are in its note)."""
    problem = instance.problem
    launch = problem.launch
    assert launch is not None
    team = problem.teams[t]
    here = int(instance.team_base_site[t])
    stops: list[Stop] = []
    for i, at in zip(order, timed.stops[: len(order)], strict=True):
        stops.append(pass_stop(instance, t, d, i, at, here, 1))
        here = i
    base = next(v for v in problem.venues if v.venue_id == team.base_venue_id)
    note = launch_note([problem.communes[i].kind for i in order], team, launch)
    return team_day_route(instance, t, d, timed, stops, here, base, note)


def launch_note(kinds: Sequence[str], team: Team, launch: Launch) -> str:
    """The route sheet's line, e.g. 'Lễ ra quân: diễu hành qua 3 phường lúc 08:00; sau đó
    2 nhóm nhỏ tuyên truyền trực tiếp 120 phút (ước tính 50 người)'."""
    words = ", ".join(dict.fromkeys(k.lower() for k in kinds))
    note = f"{NOTE_PREFIX}: diễu hành qua {len(kinds)} {words} lúc {hhmm(launch.start_min)}"
    groups = groups_of(team, launch)
    if groups:
        people = _vi_number(groups * launch.people_per_group)
        note += (
            f"; sau đó {groups} nhóm nhỏ tuyên truyền trực tiếp {launch.group_minutes} phút "
            f"(ước tính {people} người)"
        )
    return note


def _vi_number(value: float) -> str:
    """Whole people, thousands separated by a dot as Vietnamese writes them."""
    return f"{round(value):,}".replace(",", ".")


# --- the month around the launch ----------------------------------------------------------


def launch_closed_teams(problem: ProvinceProblem) -> tuple[str, ...]:
    """The teams that work on the launch date: the date is the launch for all of them."""
    launch = problem.launch
    if launch is None:
        return ()
    return tuple(t.team_id for t in problem.teams if launch.date in t.days)


def month_problem(problem: ProvinceProblem, routes: Sequence[TeamDayRoute]) -> ProvinceProblem:
    """The problem the solver plans around the launch: the launch date out of every working
    team's days, the parade passes in the History (with a re-plan's done stops, if any)."""
    launch = problem.launch
    assert launch is not None
    closed = set(launch_closed_teams(problem))
    teams = tuple(
        replace(t, days=tuple(day for day in t.days if day != launch.date))
        if t.team_id in closed
        else t
        for t in problem.teams
    )
    base = problem.history
    passes: dict[str, list[dt.date]] = defaultdict(list)
    for code, days in base.passes_done if base else ():
        passes[code].extend(days)
    for route in routes:
        for stop in route.stops:
            passes[stop.commune_code].append(route.date)
    done = tuple(sorted((code, tuple(sorted(days))) for code, days in passes.items()))
    if base is None:
        # Nothing before the first campaign day is closed: days before the launch are planned.
        history = History(from_date=problem.dates[0], passes_done=done, lead_binds=False)
    else:
        history = replace(base, passes_done=done)
    return replace(problem, teams=teams, history=history, launch=None)


def merge_launch(
    problem: ProvinceProblem,
    routes: Sequence[TeamDayRoute],
    month: ProvincePlan,
    notes: Sequence[str] = (),
) -> ProvincePlan:
    """The whole campaign: the pinned launch routes and the solved month, with its figures.

    Passes are numbered again in date order (then in the problem's team order, as
    `planner check` counts them): a pass the month puts before the launch is the first in its
    commune. The sum of a commune's passes is the same whatever their order, so the plan's
    reach changes only by what the parades add.
    """
    weights, rules = problem.weights, problem.passes
    team_order = {t.team_id: i for i, t in enumerate(problem.teams)}
    targets = {c.code: c.target_people for c in problem.communes}
    before = dict(problem.history.passes_done) if problem.history else {}
    so_far: dict[str, int] = {code: len(days) for code, days in before.items()}
    everything = sorted(
        [*routes, *month.routes],
        key=lambda r: (r.date, team_order.get(r.team_id, len(team_order)), r.team_id),
    )
    renumbered: dict[int, TeamDayRoute] = {}
    for route in everything:
        stops = []
        for stop in route.stops:
            if stop.kind == "pass":
                so_far[stop.commune_code] = so_far.get(stop.commune_code, 0) + 1
                number = so_far[stop.commune_code]
                people = rules.people_reached(targets.get(stop.commune_code, 0), number)
                stop = replace(
                    stop,
                    pass_number=number,
                    people_reached=people,
                    expected_enrolments=expected_enrolments(people, rules.conversion),
                )
            stops.append(stop)
        renumbered[id(route)] = replace(route, stops=tuple(stops))
    merged = tuple(
        sorted((renumbered[id(r)] for r in everything), key=lambda r: (r.date, r.team_id))
    )
    k = month.kpis
    people = sum(s.people_reached for r in merged for s in r.stops)
    enrolled = sum(s.expected_enrolments for r in merged for s in r.stops)
    km = sum(r.travel_km for r in routes)
    added = plan_value(weights, people - k.people_reached, enrolled - k.expected_enrolments, km)
    launch = problem.launch
    closed = len(launch_closed_teams(problem)) if launch is not None else 0
    kpis = replace(
        k,
        people_reached=people,
        expected_enrolments=enrolled,
        passes=k.passes + sum(1 for r in routes for s in r.stops if s.kind == "pass"),
        team_days_used=k.team_days_used + len(routes),
        team_days_available=k.team_days_available + closed,
        travel_km=k.travel_km + km,
        objective=k.objective + added,
        upper_bound=k.upper_bound + added,
        greedy_value=k.greedy_value + added,
    )
    paraded = {s.commune_code for r in routes for s in r.stops}
    unserved = tuple(u for u in month.unserved if not (u.kind == "commune" and u.code in paraded))
    return replace(
        month,
        routes=merged,
        unserved=unserved,
        kpis=kpis,
        notes=(*_summary_notes(problem, routes), *notes, *month.notes),
    )


def _summary_notes(problem: ProvinceProblem, routes: Sequence[TeamDayRoute]) -> tuple[str, ...]:
    launch = problem.launch
    if launch is None:
        return ()
    summary = _figures(problem, routes)
    line = (
        f"launch {launch.date} at {hhmm(launch.start_min)}: {summary['parades']} of "
        f"{len(launch_closed_teams(problem))} teams parade through {summary['parade_passes']} "
        "communes"
    )
    if summary["groups"]:
        line += (
            f", then {summary['groups']} small groups reach about "
            f"{summary['people_reached_directly']:,.0f} people directly (not counted in the "
            "plan's reach)"
        )
    return (line,)


def with_province_launch_note(problem: ProvinceProblem, plan: ProvincePlan) -> ProvincePlan:
    """The plan of a province planned in parts (planner/solve/split.py), with one launch
    note for the whole province in place of each part's."""
    if not plans_a_launch(problem):
        return plan
    prefix = f"launch {problem.launch.date} at " if problem.launch else "launch "
    notes = tuple(n for n in plan.notes if not n.startswith(prefix))
    return replace(plan, notes=(*_summary_notes(problem, parade_routes(problem, plan)), *notes))


# --- one province, start to end -----------------------------------------------------------


@dataclass
class RememberedTravel:
    """A travel source that computes each matrix once: the launch and the month use the same
    places, so the second instance of a province costs no second call to a routing server."""

    source: TravelTimeSource
    kept: dict[tuple[tuple[Place, ...], str], TravelMatrices] = field(default_factory=dict)

    def matrices(self, places: Sequence[Place], vehicle: str) -> TravelMatrices:
        key = (tuple(places), vehicle)
        if key not in self.kept:
            self.kept[key] = self.source.matrices(places, vehicle)
        return self.kept[key]


def plans_a_launch(problem: ProvinceProblem) -> bool:
    """The problem has a launch this solve must plan: on a campaign day, and not before a
    re-plan's first day (a re-plan takes a past launch's parades as reported done)."""
    launch = problem.launch
    if launch is None or launch_day_index(problem) is None:
        return False
    return problem.history is None or launch.date >= problem.history.from_date


def solve_with_launch(
    problem: ProvinceProblem,
    travel: TravelTimeSource,
    *,
    time_limit: float,
    seed: int,
    workers: int = 1,
) -> ProvincePlan:
    """Plan one province: the launch parades first, pinned, then the month around them."""
    from planner.solve import solve_province  # the solver, only where a province is solved

    if not plans_a_launch(problem):
        plain = replace(problem, launch=None) if problem.launch is not None else problem
        return solve_province(
            build_instance(plain, travel), time_limit=time_limit, seed=seed, workers=workers
        )
    remembered = RememberedTravel(travel)
    routes, notes = launch_routes(build_instance(problem, remembered))
    month = solve_province(
        build_instance(month_problem(problem, routes), remembered),
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    return merge_launch(problem, routes, month, notes)


# --- the launch in summary.json -----------------------------------------------------------


def parade_routes(problem: ProvinceProblem, plan: ProvincePlan) -> tuple[TeamDayRoute, ...]:
    """The plan's launch-day parades: its routes on the launch date, which is closed to the
    solver for every team that works then. (A re-plan's done routes, read back from a plan
    folder, have lost their note: the note is not asked for.)"""
    launch = problem.launch
    if launch is None:
        return ()
    return tuple(
        r for r in plan.routes if r.date == launch.date and any(s.kind == "pass" for s in r.stops)
    )


def _figures(problem: ProvinceProblem, routes: Sequence[TeamDayRoute]) -> dict[str, Any]:
    launch = problem.launch
    assert launch is not None
    teams = {t.team_id: t for t in problem.teams}
    groups = sum(groups_of(teams[r.team_id], launch) for r in routes if r.team_id in teams)
    return {
        "date": launch.date.isoformat(),
        "start": hhmm(launch.start_min),
        "parades": len(routes),
        "vehicles": len(routes),  # one vehicle per team
        "groups": groups,
        "people_reached_directly": round(groups * launch.people_per_group, 1),
        "parade_passes": sum(1 for r in routes for s in r.stops if s.kind == "pass"),
    }


def launch_summary(problem: ProvinceProblem, plan: ProvincePlan) -> dict[str, Any] | None:
    """One province's launch day for summary.json (None: the scenario has no launch).

    ``parades``: teams that paraded; ``vehicles``: their vehicles (one per team);
    ``groups``: their small groups (crew less the driver, at least one);
    ``people_reached_directly``: groups x people_per_group, not in the plan's reach;
    ``parade_passes``: the parades' passes (in the plan's passes and reach).
    """
    if problem.launch is None:
        return None
    return _figures(problem, parade_routes(problem, plan))


SUMMED = ("parades", "vehicles", "groups", "people_reached_directly", "parade_passes")


def plan_launch_summary(
    problems: Mapping[str, ProvinceProblem], plan: Plan
) -> dict[str, Any] | None:
    """The launch block of summary.json: the national figures, the May 2022 record beside
    them, and one entry per province (None: no province has a launch)."""
    provinces = []
    for p in plan.provinces:
        problem = problems.get(p.province_code)
        part = launch_summary(problem, p) if problem is not None else None
        if part is not None:
            provinces.append({"province_code": p.province_code, **part})
    if not provinces:
        return None
    total: dict[str, Any] = {
        "date": provinces[0]["date"],
        "start": provinces[0]["start"],
        **{key: sum(part[key] for part in provinces) for key in SUMMED},
    }
    total["people_reached_directly"] = round(total["people_reached_directly"], 1)
    total["history"] = launch_record()
    total["provinces"] = provinces
    return total


def launch_record() -> dict[str, float]:
    """Launch day, May 2022 (data/facts/campaign_history.csv): parades, vehicles, groups and
    the people they reached directly."""
    from planner.history import load_records

    wanted = {
        "parades_2022": lambda r: r.unit == "parades",
        "vehicles_2022": lambda r: r.unit == "vehicles",
        "groups_2022": lambda r: r.unit == "groups",
        "people_2022": lambda r: r.unit == "people" and "reached" in r.what,
    }
    launch_rows = [r for r in load_records() if r.year == "2022" and r.period.startswith("8 May")]
    out: dict[str, float] = {}
    for key, match in wanted.items():
        row = next((r for r in launch_rows if match(r)), None)
        if row is not None:
            out[key] = row.value
    return out


__all__ = [
    "BUILT_UP",
    "NOTE_PREFIX",
    "RememberedTravel",
    "driving_order",
    "groups_of",
    "launch_note",
    "launch_record",
    "launch_routes",
    "launch_summary",
    "merge_launch",
    "month_problem",
    "parade_communes",
    "parade_routes",
    "plan_launch_summary",
    "plans_a_launch",
    "solve_with_launch",
    "with_province_launch_note",
]
