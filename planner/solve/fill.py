"""The fill: use the time the month left over, by cheapest insertion.

CP-SAT plans the month with an estimate of each day's driving; once every day is timed
exactly, some days have time left. This stage offers every visit still possible (the next
pass in a commune, the next conference at a venue) to every team-day that may hold it, in
order of value, and inserts it where it costs the fewest extra minutes, if the day still
fits. It repeats until nothing more fits.
"""

from __future__ import annotations

import itertools

import numpy as np

from planner.instance import Instance
from planner.rules.minimums import still_owed
from planner.solve.day import visit_points
from planner.solve.month import candidate_teams
from planner.solve.routes import (
    Routes,
    TeamDay,
    Usage,
    Visit,
    group_counts,
    may_add,
    schedule,
    stop_request,
)


def _idle_minutes(instance: Instance, team_day: TeamDay, visits: list[Visit]) -> int:
    """Working minutes not spent driving, serving or at lunch: an upper bound on what fits."""
    t, _ = team_day
    day = instance.problem.teams[t].working_day
    minutes = instance.team_minutes(t)
    sites = [int(instance.team_base_site[t])]
    sites += [stop_request(instance, v).site for v in visits] + [sites[0]]
    driving = sum(int(minutes[a, b]) for a, b in itertools.pairwise(sites))
    service = sum(stop_request(instance, v).service_minutes for v in visits)
    return day.usable_minutes - driving - service


def _best_insertion(
    instance: Instance, team_day: TeamDay, visits: list[Visit], visit: Visit
) -> tuple[int, int] | None:
    """(extra driving minutes, position) of the cheapest feasible insertion, or None."""
    t, _ = team_day
    minutes = instance.team_minutes(t)
    base = int(instance.team_base_site[t])
    sites = [base] + [stop_request(instance, v).site for v in visits] + [base]
    site = stop_request(instance, visit).site
    detours = [
        (
            int(minutes[sites[p], site])
            + int(minutes[site, sites[p + 1]])
            - int(minutes[sites[p], sites[p + 1]]),
            p,
        )
        for p in range(len(sites) - 1)
    ]
    for extra, position in sorted(detours):
        trial = [*visits[:position], visit, *visits[position:]]
        if schedule(instance, team_day, trial) is not None:
            return extra, position
    return None


def fill_routes(instance: Instance, routes: Routes) -> Routes:
    """Insert further visits into the routes while any fits; returns new routes."""
    routes = {td: list(v) for td, v in routes.items()}
    usage = Usage.of(routes)
    problem = instance.problem
    conf = problem.conferences
    pass_teams = {
        c: candidate_teams(instance, c, int(instance.dwell[c]), problem.communes[c].group_code)
        for c in range(instance.n_communes)
        if instance.pass_open[c].any()
    }
    conf_teams = {
        v: [
            t
            for t in candidate_teams(
                instance,
                instance.venue_site(v),
                conf.duration_minutes,
                problem.venues[v].group_code,
            )
            if instance.team_hosts_conferences[t]
        ]
        for v in range(instance.n_venues)
        if instance.conf_open[v].any()
    }
    _meet_minimums(instance, routes, usage, pass_teams)
    while True:
        offers: list[tuple[float, Visit, list[int]]] = []
        for c, teams in pass_teams.items():
            done = len(usage.pass_days.get(c, []))
            if done < int(instance.passes_left[c]):
                offers.append((float(instance.pass_points[c, done]), ("pass", c), teams))
        for v, teams in conf_teams.items():
            if len(usage.conference_days.get(v, [])) < int(instance.conferences_left[v]):
                best_day = int(np.argmax(instance.conf_seats[v]))
                offers.append(
                    (visit_points(instance, ("conference", v), best_day), ("conference", v), teams)
                )
        offers.sort(key=lambda o: (-o[0], o[1]))
        inserted = sum(
            _insert_cheapest(instance, routes, usage, visit, teams) for _, visit, teams in offers
        )
        if inserted == 0:
            return routes


def _insert_cheapest(
    instance: Instance, routes: Routes, usage: Usage, visit: Visit, teams: list[int]
) -> bool:
    """Insert ``visit`` where it costs the fewest extra driving minutes; False if nowhere fits."""
    service = stop_request(instance, visit).service_minutes
    best: tuple[int, TeamDay, int] | None = None
    for t in teams:
        for d in np.flatnonzero(instance.team_works[t]):
            team_day = (t, int(d))
            visits = routes.get(team_day, [])
            if not may_add(instance, usage, routes, team_day, visit):
                continue
            if _idle_minutes(instance, team_day, visits) < service:
                continue
            found = _best_insertion(instance, team_day, visits, visit)
            if found is not None and (best is None or (found[0], team_day) < (best[0], best[1])):
                best = (found[0], team_day, found[1])
    if best is None:
        return False
    _, team_day, position = best
    routes.setdefault(team_day, []).insert(position, visit)
    usage.add(visit, team_day[1])
    return True


def _meet_minimums(
    instance: Instance, routes: Routes, usage: Usage, pass_teams: dict[int, list[int]]
) -> None:
    """Before anything else, give each group below its pass minimum its most valuable passes."""
    if max(instance.min_passes_left.values(), default=0) <= 0:
        return
    passes, _ = group_counts(instance, routes)
    for group in instance.problem.groups:
        minimum = instance.min_passes_left[group.code]
        communes = sorted(
            (c for c in pass_teams if instance.problem.communes[c].group_code == group.code),
            key=lambda c: (-float(instance.pass_points[c, 0]), c),
        )
        for c in communes:
            if not still_owed(minimum, passes.get(group.code, 0)):
                break
            if _insert_cheapest(instance, routes, usage, ("pass", c), pass_teams[c]):
                passes[group.code] = passes.get(group.code, 0) + 1
