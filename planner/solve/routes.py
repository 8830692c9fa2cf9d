"""Working routes shared by every solver stage: visits per team-day, and what they may hold.

A *visit* is ("pass", commune index) or ("conference", venue index). ``Routes`` maps each
team-day (team index, day index) to its ordered visits. The checks here are the rules that
span several days (spacing, limits per venue); the timing of one day is
`planner.rules.schedule.schedule_day`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from planner.instance import Instance
from planner.rules import spacing
from planner.rules.minimums import every_one_counts, still_owed
from planner.rules.schedule import DaySchedule, StopRequest, schedule_day

VisitKind = Literal["pass", "conference"]
Visit = tuple[VisitKind, int]
TeamDay = tuple[int, int]
Routes = dict[TeamDay, list[Visit]]


def stop_request(instance: Instance, visit: Visit) -> StopRequest:
    """Where a visit happens, how long it lasts and when it may start."""
    kind, index = visit
    if kind == "pass":
        return instance.pass_requests[index]
    return instance.conference_requests[index]


def schedule(instance: Instance, team_day: TeamDay, visits: list[Visit]) -> DaySchedule | None:
    t, _ = team_day
    team = instance.problem.teams[t]
    return schedule_day(
        int(instance.team_base_site[t]),
        [stop_request(instance, v) for v in visits],
        instance.team_minutes(t),
        team.working_day,
    )


def round_trip_fits(instance: Instance, t: int, site: int, service: int) -> bool:
    """A team may serve a stop: it lies in the team's territory, and there and back plus its
    service fit the day."""
    if not instance.team_may_visit[t, site]:
        return False
    minutes = instance.team_minutes(t)
    base = int(instance.team_base_site[t])
    usable = instance.problem.teams[t].working_day.usable_minutes
    return int(minutes[base, site]) + service + int(minutes[site, base]) <= usable


@dataclass
class Usage:
    """What the routes already use: pass days per commune, conference days per venue."""

    pass_days: dict[int, list[int]]
    conference_days: dict[int, list[int]]

    @classmethod
    def of(cls, routes: Routes) -> Usage:
        usage = cls(pass_days={}, conference_days={})
        for (_, d), visits in routes.items():
            for visit in visits:
                usage.add(visit, d)
        return usage

    def add(self, visit: Visit, d: int) -> None:
        table = self.pass_days if visit[0] == "pass" else self.conference_days
        table.setdefault(visit[1], []).append(d)

    def remove(self, visit: Visit, d: int) -> None:
        table = self.pass_days if visit[0] == "pass" else self.conference_days
        table[visit[1]].remove(d)


def may_add(
    instance: Instance, usage: Usage, routes: Routes, team_day: TeamDay, visit: Visit
) -> bool:
    """Every rule except the day's timing allows adding ``visit`` to ``team_day``."""
    t, d = team_day
    kind, index = visit
    if not instance.team_works[t, d]:
        return False
    site = index if kind == "pass" else instance.venue_site(index)
    if not instance.team_may_visit[t, site]:
        return False
    if kind == "pass":
        rules = instance.problem.passes
        days = usage.pass_days.get(index, [])
        return (
            bool(instance.pass_open[index, d])
            and len(days) < int(instance.passes_left[index])
            and spacing.fits(days, d, rules.min_days_between)
        )
    conf = instance.problem.conferences
    days = usage.conference_days.get(index, [])
    in_day = sum(1 for k, _ in routes.get(team_day, []) if k == "conference")
    return (
        bool(instance.conf_open[index, d])
        and bool(instance.team_hosts_conferences[t])
        and len(days) < int(instance.conferences_left[index])
        and in_day < conf.max_per_team_day
        and spacing.fits(days, d, conf.min_days_between)
        and conferences_in_week(instance, routes, t, d) < week_limit(instance)
    )


def week_limit(instance: Instance) -> int:
    """Most conferences a team holds in a calendar week (a large number when unlimited)."""
    limit = instance.problem.conferences.max_per_team_week
    return 10**6 if limit is None else limit


def conferences_in_week(instance: Instance, routes: Routes, t: int, d: int) -> int:
    """Conferences team t holds in the calendar week of day d, in ``routes``."""
    week = int(instance.week_of_day[d])
    return instance.conferences_done_in_week.get((t, week), 0) + sum(
        1
        for day in np.flatnonzero(instance.week_of_day == week).tolist()
        for kind, _ in routes.get((t, day), ())
        if kind == "conference"
    )


def group_counts(instance: Instance, routes: Routes) -> tuple[dict[str, int], dict[str, int]]:
    """Passes and conferences planned per group."""
    problem = instance.problem
    passes: dict[str, int] = {}
    conferences: dict[str, int] = {}
    for visits in routes.values():
        for kind, index in visits:
            if kind == "pass":
                g = problem.communes[index].group_code
                passes[g] = passes.get(g, 0) + 1
            else:
                g = problem.venues[index].group_code
                conferences[g] = conferences.get(g, 0) + 1
    return passes, conferences


def fairness_shortfall(instance: Instance, routes: Routes) -> int:
    """Missing passes and conferences against the per-group minimums, summed over groups."""
    passes, conferences = group_counts(instance, routes)
    return sum(
        still_owed(instance.min_passes_left[g.code], passes.get(g.code, 0))
        + still_owed(instance.min_conferences_left[g.code], conferences.get(g.code, 0))
        for g in instance.problem.groups
        if g.n_communes > 0
    )


def protected_visits(instance: Instance, routes: Routes) -> set[Visit]:
    """Visits a group's fairness minimum depends on: dropping one would break the minimum."""
    passes, conferences = group_counts(instance, routes)
    problem = instance.problem
    protected: set[Visit] = set()
    for visits in routes.values():
        for visit in visits:
            kind, index = visit
            if kind == "pass":
                group = problem.communes[index].group_code
                count, minimum = passes[group], instance.min_passes_left[group]
            else:
                group = problem.venues[index].group_code
                count, minimum = conferences[group], instance.min_conferences_left[group]
            if every_one_counts(count, minimum):
                protected.add(visit)
    return protected


def published_routes(instance: Instance) -> Routes:
    """A re-plan's published stops that the rules now in force still allow, in published order.

    Each stop is kept on its team and day if every rule allows it there and the day can still
    be timed with it; the others are dropped. This is the re-plan's most stable candidate:
    with the stability bonus, the solver keeps every published stop it can.
    """
    routes: Routes = {}
    usage = Usage(pass_days={}, conference_days={})
    for kind, index, t, d in instance.keep_bonus:
        visit: Visit = (kind, index)  # type: ignore[assignment]
        if not may_add(instance, usage, routes, (t, d), visit):
            continue
        trial = [*routes.get((t, d), []), visit]
        if schedule(instance, (t, d), trial) is None:
            continue
        routes[(t, d)] = trial
        usage.add(visit, d)
    return routes
