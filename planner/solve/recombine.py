"""The month over real day routes: CP-SAT picks one timed route per team-day from a pool.

Every candidate plan (construction, greedy filled, CP-SAT month routed) is made of exactly
timed day routes. A route of team t is independent of its day, except for the rules of the
day: it may be placed on any working day of t on which all its visits are allowed. This
module pools all routes of all candidate plans, and lets CP-SAT choose, for every team-day,
at most one route, so that the month as a whole is worth the most.

Formulation. Indices: route r (of team t_r), day d, commune c, venue v, pass number k.
  w[r,d] in {0,1}  route r is driven on day d (only days where t_r works and every visit of
                   r is allowed: passes open, conferences open with seats)
  z[c,k] in {0,1}  commune c gets at least k passes
  (1) sum_r w[r,d] <= 1 for every team-day (t,d)                 one route a day
  (2) sum_k z[c,k] = sum_{r visits c, d} w[r,d];  z[c,k] >= z[c,k+1]   pass counting
  (3) at most one pass in c in any window of `min_days_between_passes` days
  (4) conferences per venue <= max_per_venue, and spaced           venue limits
  (5) sum_{c in g} passes + s_g >= min_passes_per_group            fairness (penalised)
  maximise sum value[c,k] z[c,k] + sum conference value(v,d) w - travel cost of routes
           - penalty x sum s_g.
Conference value uses the seats of the day (the cap in force), so moving a route with a
conference to a day with a looser cap is worth it. The search starts from the best
candidate plan (given as a hint), so the result is never worse in the model's terms.
The families (2)-(5) are the month model's (`planner.solve.constraints`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from planner.instance import Instance
from planner.rules.points import travel_cost
from planner.solve._cpsat import solve_from_hint
from planner.solve.constraints import (
    Objective,
    Uses,
    add_conferences_per_team_week,
    add_conferences_per_venue,
    add_group_minimums,
    add_passes,
    maximize,
    scaled,
)
from planner.solve.routes import Routes, Visit, schedule


def _route_days(instance: Instance, t: int, visits: tuple[Visit, ...]) -> list[int]:
    """Days on which team t may drive this route: it works, and every visit is allowed."""
    ok = instance.team_works[t].copy()
    for kind, index in visits:
        ok &= instance.pass_open[index] if kind == "pass" else instance.conf_open[index]
    return [int(d) for d in np.flatnonzero(ok)]


def recombine(
    instance: Instance,
    plans: list[Routes],
    *,
    hint: Routes,
    work_limit: float,
    seed: int,
    workers: int,
) -> tuple[Routes, str]:
    """The best month CP-SAT finds from the pooled day routes of ``plans``."""
    problem = instance.problem
    conf, weights = problem.conferences, problem.weights
    # Pool: distinct (team, visits) routes, each with its travel cost.
    pool: dict[tuple[int, tuple[Visit, ...]], float] = {}
    for plan in plans:
        for (t, d), day_visits in plan.items():
            key = (t, tuple(day_visits))
            if (
                day_visits
                and key not in pool
                and schedule(instance, (t, d), day_visits) is not None
            ):
                pool[key] = _route_km(instance, t, day_visits)
    model = cp_model.CpModel()
    w: dict[tuple[int, int], cp_model.IntVar] = {}
    routes = sorted(pool)
    by_team_day: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    pass_uses: Uses = defaultdict(list)
    conf_uses: Uses = defaultdict(list)
    objective: Objective = []
    conf_counts: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for r, (t, visits) in enumerate(routes):
        cost = scaled(travel_cost(weights, pool[(t, visits)]))
        for d in _route_days(instance, t, visits):
            var = model.new_bool_var(f"w_{r}_{d}")
            w[(r, d)] = var
            by_team_day[(t, d)].append(var)
            n_conf = sum(1 for kind, _ in visits if kind == "conference")
            if n_conf:
                conf_counts[(t, d)].append((var, n_conf))
            value = -cost
            for kind, index in visits:
                value += scaled(instance.keep_bonus.get((kind, index, t, d), 0.0))
                if kind == "pass":
                    pass_uses[index].append((d, var))
                else:
                    conf_uses[index].append((d, var))
                    value += scaled(instance.conference_points(index, d))
            objective.append((value, var))
    for vars_ in by_team_day.values():
        model.add_at_most_one(vars_)
    add_conferences_per_team_week(
        model,
        conf_counts,
        instance.week_of_day,
        conf.max_per_team_week,
        instance.conferences_done_in_week,
    )
    add_passes(model, instance, pass_uses, objective)
    add_conferences_per_venue(model, instance, conf_uses)
    add_group_minimums(model, instance, pass_uses, conf_uses, objective)
    maximize(model, objective)
    hinted = {(t, tuple(v), d) for (t, d), v in hint.items() if v}
    decisions = {var: (routes[r][0], routes[r][1], d) in hinted for (r, d), var in w.items()}
    solver, status, found = solve_from_hint(
        model, decisions, work_limit=work_limit, seed=seed, workers=workers
    )
    if not found:
        return {}, status
    chosen: Routes = {}
    for (r, d), var in sorted(w.items()):
        if solver.boolean_value(var):
            team, route_visits = routes[r]
            chosen[(team, d)] = list(route_visits)
    return chosen, status


def _route_km(instance: Instance, t: int, visits: list[Visit] | tuple[Visit, ...]) -> float:
    """Road km of a route from the team's base and back."""
    base = int(instance.team_base_site[t])
    sites = [base]
    sites += [index if kind == "pass" else instance.venue_site(index) for kind, index in visits]
    sites.append(base)
    return float(sum(instance.km[a, b] for a, b in itertools.pairwise(sites)))
