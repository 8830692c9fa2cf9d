"""Compact mode: the same value with the fewest team-days.

A provincial director asks "how many team-days does this month really need?", not only "what
is the most we can do with every team out every day?". Compact mode answers it. Starting from
the plan, it releases team-days one at a time, the least valuable first: the day's visits
move, each to the cheapest place in one of the team's other days still in use (or another
team's, where the territory allows) that the rules and the day's timing accept; a visit that
fits nowhere is dropped. The release is kept when the plan's value stays within
``compact_tolerance`` of the original (1% by default) and no group falls further below its
fairness minimum; otherwise it is undone. No new day is ever opened, so the count of
team-days only goes down.

This is the route-elimination move of vehicle-routing fleet minimisation, on the month's
team-days; every candidate is re-valued by `evaluate`, the one place a plan is valued.
"""

from __future__ import annotations

import numpy as np

from planner.instance import Instance
from planner.solve.day import visit_points
from planner.solve.evaluate import evaluate
from planner.solve.fill import _best_insertion
from planner.solve.routes import Routes, TeamDay, Usage, Visit, fairness_shortfall, may_add


def compact_routes(instance: Instance, routes: Routes, tolerance: float) -> Routes:
    """``routes`` with as few team-days as value within ``tolerance`` (a share) allows."""
    current = {td: list(v) for td, v in routes.items() if v}
    if not current:
        return current
    original = evaluate(instance, current).objective
    floor = original - tolerance * abs(original)
    shortfall = fairness_shortfall(instance, current)
    value = original
    for team_day in sorted(current, key=lambda td: (_day_points(instance, current[td], td), td)):
        if team_day not in current:
            continue
        trial = _release(instance, current, team_day)
        if fairness_shortfall(instance, trial) > shortfall:
            continue
        trial_value = evaluate(instance, trial).objective
        if trial_value >= floor:
            current, value = trial, trial_value
    del value
    return current


def _day_points(instance: Instance, visits: list[Visit], team_day: TeamDay) -> float:
    """What a team-day's visits are worth, roughly (their points on that day)."""
    return sum(visit_points(instance, visit, team_day[1]) for visit in visits)


def _release(instance: Instance, routes: Routes, team_day: TeamDay) -> Routes:
    """The routes without ``team_day``: its visits moved to other days in use, where they fit."""
    trial = {td: list(v) for td, v in routes.items() if td != team_day}
    usage = Usage.of(trial)
    moving = sorted(routes[team_day], key=lambda v: -visit_points(instance, v, team_day[1]))
    for visit in moving:
        site = visit[1] if visit[0] == "pass" else instance.venue_site(visit[1])
        teams = np.flatnonzero(instance.team_may_visit[:, site]).tolist()
        best: tuple[int, TeamDay, int] | None = None
        for other in trial:
            if other[0] not in teams or not may_add(instance, usage, trial, other, visit):
                continue
            found = _best_insertion(instance, other, trial[other], visit)
            if found is not None and (best is None or (found[0], other) < (best[0], best[1])):
                best = (found[0], other, found[1])
        if best is not None:
            _, other, position = best
            trial[other].insert(position, visit)
            usage.add(visit, other[1])
    return trial
