"""The month: CP-SAT decides which team passes through which commune on which day, and which
conferences are held where and when.

Formulation (per province). Indices: commune c, venue v, team t, day d, pass number k.
Variables:
  x[c,t,d] in {0,1}  team t passes through commune c on day d (only where the rules allow it,
                     the team works that day and the commune is within a day trip of its base;
                     each commune is offered to the teams whose territory holds it: its own
                     group's first, then the nearest others where territories overlap);
  y[v,t,d] in {0,1}  team t holds a conference at venue v on day d;
  z[c,k]   in {0,1}  commune c gets at least k passes;
  r[t,d]   >= 0      the longest round trip from the base that team-day makes (minutes);
  s[g]     >= 0      shortfall of group g against its fairness minimum.
Constraints:
  (1) sum_k z[c,k] = sum_{t,d} x[c,t,d];  z[c,k] >= z[c,k+1]          pass counting
  (2) sum_{t, d in any window of `min_days_between` days} x[c,t,d] <= 1 pass spacing
  (3) sum_{t,d} y[v,t,d] <= max_per_venue; windows as (2) per venue     conference limits
  (4) sum_v y[v,t,d] <= max_per_team_day                                conferences per day
  (4b) sum_{v, d in week w} y[v,t,d] <= max_per_team_week                conferences per week
  (5) r[t,d] >= roundtrip(base_t, c) x[c,t,d]  (and for venues)         the far point of the day
  (6) sum (service + hop) x + sum (duration + hop) y + r[t,d] <= usable minutes of (t,d) + o[t,d]
      a day-length estimate: one round trip to the farthest stop plus a short hop to each
      stop (hop = mean drive to its two nearest neighbours). The overrun o[t,d] is heavily
      penalised; it exists so that the starting plan (real, timed routes) is always a
      feasible hint even where the estimate is pessimistic. The day routes (day.py) then
      time every route exactly and drop what does not fit; the fill stage refills.
  (7) sum_{c in g, t, d} x[c,t,d] + s[g] >= min_passes_per_group        fairness (soft)
Objective: maximise sum value[c,k] z[c,k] + sum value[v,d] y[v,t,d]
                     - travel cost x hop km - fairness_penalty x sum s[g]
                     + a re-plan's stability bonus for each published stop kept.
In a re-plan, limits, minimums and pass values count what was done before (instance.py).
Values are scaled to integers (x100). The search is seeded and bounded by deterministic
time (CP-SAT's work units), so one scenario, seed and limit always give the same plan.
Each family but (5)-(6) is one function of `planner.solve.constraints`, shared with the
recombination (all but (4): its day routes keep the daily limit by construction); the
rules' quantities (points, travel cost, spacing, minimums) come from `planner.rules`.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import LinearExpr

from planner.instance import Instance
from planner.rules.points import travel_cost
from planner.solve._cpsat import solve_from_hint
from planner.solve.constraints import (
    SCALE,
    Objective,
    Uses,
    add_conferences_per_team_day,
    add_conferences_per_team_week,
    add_conferences_per_venue,
    add_group_minimums,
    add_passes,
    maximize,
    scaled,
)
from planner.solve.routes import Routes, TeamDay, Visit, round_trip_fits

NEAREST_TEAMS = 3


def candidate_teams(instance: Instance, site: int, service: int, group_code: str) -> list[int]:
    """Teams that may serve a site: its own group's teams first, then the nearest others."""
    problem = instance.problem
    teams = problem.teams
    reachable = [t for t in range(instance.n_teams) if round_trip_fits(instance, t, site, service)]
    own = [t for t in reachable if teams[t].group_code == group_code]
    others = sorted(
        (t for t in reachable if teams[t].group_code != group_code),
        key=lambda t: (int(instance.team_minutes(t)[instance.team_base_site[t], site]), t),
    )
    return own + others[: max(0, NEAREST_TEAMS - len(own))]


def hop_minutes(instance: Instance, vehicle: str) -> np.ndarray:
    """Mean drive from each site to its two nearest other sites: the cost of fitting it into a tour."""
    minutes = instance.minutes[vehicle].astype(float)
    n = minutes.shape[0]
    if n < 3:
        return np.zeros(n)
    masked = minutes + np.diag(np.full(n, np.inf))
    nearest = np.sort(masked, axis=1)[:, :2]
    return nearest.mean(axis=1)


def plan_month(
    instance: Instance,
    *,
    hint: Routes,
    work_limit: float,
    seed: int,
    workers: int,
) -> tuple[Routes, str]:
    """Assign visits to team-days. Returns unordered visits per team-day and the solver status."""
    problem = instance.problem
    model = cp_model.CpModel()
    n_c = instance.n_communes
    conf, weights = problem.conferences, problem.weights
    hops = {veh: hop_minutes(instance, veh) for veh in instance.minutes}
    nearest_km = instance.km[:n_c, :n_c] + np.diag(np.full(n_c, np.inf))
    hop_km = nearest_km.min(axis=1) if n_c > 1 else np.zeros(n_c)

    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    y: dict[tuple[int, int, int], cp_model.IntVar] = {}
    load: dict[TeamDay, list[tuple[cp_model.IntVar, int, int]]] = defaultdict(list)
    objective: Objective = []

    for c in range(n_c):
        commune = problem.communes[c]
        dwell = int(instance.dwell[c])
        hop_cost = scaled(travel_cost(weights, float(hop_km[c])))
        for t in candidate_teams(instance, c, dwell, commune.group_code):
            team = problem.teams[t]
            base = int(instance.team_base_site[t])
            minutes = instance.team_minutes(t)
            round_trip = int(minutes[base, c]) + int(minutes[c, base])
            hop = round(hops[team.vehicle][c])
            for day in np.flatnonzero(instance.pass_open[c] & instance.team_works[t]).tolist():
                var = model.new_bool_var(f"x_{c}_{t}_{day}")
                x[(c, t, day)] = var
                load[(t, day)].append((var, dwell + hop, round_trip))
                keep = instance.keep_bonus.get(("pass", c, t, day), 0.0)
                objective.append((scaled(keep) - hop_cost, var))

    for v, venue in enumerate(problem.venues):
        site = instance.venue_site(v)
        for t in candidate_teams(instance, site, conf.duration_minutes, venue.group_code):
            if not instance.team_hosts_conferences[t]:
                continue
            team = problem.teams[t]
            base = int(instance.team_base_site[t])
            minutes = instance.team_minutes(t)
            round_trip = int(minutes[base, site]) + int(minutes[site, base])
            hop = round(hops[team.vehicle][site])
            for day in np.flatnonzero(instance.conf_open[v] & instance.team_works[t]).tolist():
                var = model.new_bool_var(f"y_{v}_{t}_{day}")
                y[(v, t, day)] = var
                load[(t, day)].append((var, conf.duration_minutes + hop, round_trip))
                points = instance.conference_points(v, day)
                points += instance.keep_bonus.get(("conference", v, t, day), 0.0)
                objective.append((scaled(points), var))

    # (1) pass counting with diminishing value, (2) spacing.
    x_by_commune: Uses = defaultdict(list)
    for (c, _, d), var in x.items():
        x_by_commune[c].append((d, var))
    add_passes(model, instance, x_by_commune, objective)

    # (3) conference limits and spacing per venue, (4) per team-day.
    y_by_venue: Uses = defaultdict(list)
    y_by_team_day: dict[TeamDay, list[cp_model.IntVar]] = defaultdict(list)
    for (v, t, d), var in y.items():
        y_by_venue[v].append((d, var))
        y_by_team_day[(t, d)].append(var)
    add_conferences_per_venue(model, instance, y_by_venue)
    add_conferences_per_team_day(model, y_by_team_day, conf.max_per_team_day)
    # (4b) conferences per team-week.
    add_conferences_per_team_week(
        model,
        {td: [(var, 1) for var in vars_] for td, vars_ in y_by_team_day.items()},
        instance.week_of_day,
        conf.max_per_team_week,
        instance.conferences_done_in_week,
    )

    # (5)-(6) the day-length estimate.
    best_rate = max(
        [float(instance.pass_points[c, 0]) / max(1, int(instance.dwell[c])) for c in range(n_c)]
        + [
            float(instance.conf_point_per_attendee)
            * float(instance.conf_seats.max(initial=0))
            / conf.duration_minutes
        ],
    )
    overrun_cost = int(SCALE * 4 * best_rate) + 1
    overruns: dict[TeamDay, cp_model.IntVar] = {}
    for (t, d), day_load in load.items():
        usable = problem.teams[t].working_day.usable_minutes
        far = model.new_int_var(0, usable, f"r_{t}_{d}")
        over = model.new_int_var(0, 2 * usable, f"o_{t}_{d}")
        overruns[(t, d)] = over
        for var, _, trip in day_load:
            model.add(far >= trip).only_enforce_if(var)
        model.add(
            LinearExpr.weighted_sum(
                [var for var, _, _ in day_load], [cost for _, cost, _ in day_load]
            )
            + far
            <= usable + over
        )
        objective.append((-overrun_cost, over))

    # (7) fairness minimums, soft: a missed minimum costs more than all the value above.
    add_group_minimums(model, instance, x_by_commune, y_by_venue, objective)
    maximize(model, objective)

    # Start from the given plan (the construction): the month is never worse in the model's terms.
    hinted = {(kind, i, t, d) for (t, d), visits in hint.items() for kind, i in visits}
    decisions = {var: ("pass", c, t, d) in hinted for (c, t, d), var in x.items()}
    decisions |= {var: ("conference", v, t, d) in hinted for (v, t, d), var in y.items()}
    solver, status, found = solve_from_hint(
        model, decisions, work_limit=work_limit, seed=seed, workers=workers
    )
    if not found:
        return {}, status

    routes: Routes = defaultdict(list)
    for (c, t, d), var in sorted(x.items()):
        if solver.boolean_value(var):
            routes[(t, d)].append(("pass", c))
    for (v, t, d), var in sorted(y.items()):
        if solver.boolean_value(var):
            visit: Visit = ("conference", v)
            routes[(t, d)].insert(0, visit)
    return dict(routes), status
