"""An upper bound on the plan's value: the most the team-time budget could buy.

Relaxation, stated:
1. every item (the k-th pass in a commune, the k-th conference at a venue) has a value and a
   time cost of at least its service time plus, for a pass, a lower bound on the driving it
   causes: half the shortest drive into its place plus half the shortest drive out (every
   drive of a route ends at one place and starts at another, so summing these halves over
   a route's places never exceeds its driving time; see `_pass_travel_lower_bound`);
2. an item counts only if the rules leave it some day and some team that can reach it at all
   (pass k needs k open days spaced far enough apart; a conference uses its best day's seats);
3. all team-days pool their working minutes into one budget, and items may be taken in part;
4. conferences number at most, summed over the teams that can host one and their calendar
   weeks, min(working days that week x max per team-day, max per team-week);
5. an item counts only where some team's territory holds it (`round_trip_fits`).
This linear programme is solved exactly with GLOP.
Travel cost and fairness are dropped (they only lower the plan's value), so the bound is
valid: no plan can exceed it.
"""

from __future__ import annotations

import numpy as np
from ortools.linear_solver import pywraplp

from planner.instance import Instance
from planner.rules.points import points
from planner.rules.reach import conference_attendance
from planner.rules.seats import invited as people_invited
from planner.rules.spacing import max_spaced_days
from planner.solve.routes import round_trip_fits


def _pass_travel_lower_bound(instance: Instance) -> np.ndarray:
    """Per commune: half the shortest drive into it plus half the shortest drive out of it.

    Drives are counted between *places*: a run of stops at one place (a pass and a
    conference at the post office in the same commune) costs one drive in and one out. A run
    holds at most one pass (one pass per commune per day), so charging the place's drives to
    the pass and none to conferences never overcounts. The shortest drive in or out ignores
    venues standing at the commune itself, but not team bases: a team may start there.
    """
    n_c = instance.n_communes
    fastest = np.min(np.stack(list(instance.minutes.values())), axis=0).astype(float)
    km = instance.km
    same_place = km < 1e-6
    bases = np.zeros(instance.n_sites, dtype=bool)
    bases[instance.team_base_site] = True
    lb = np.zeros(n_c)
    for c in range(n_c):
        excluded = same_place[c].copy()
        excluded[c] = True
        excluded &= ~bases  # a base at the commune itself still counts (a 0-minute drive)
        into = np.where(excluded, np.inf, fastest[:, c])
        out = np.where(excluded, np.inf, fastest[c, :])
        if np.isfinite(into).any() and np.isfinite(out).any():
            lb[c] = (into.min() + out.min()) / 2
    return lb


def upper_bound(instance: Instance) -> float:
    problem = instance.problem
    n_c, n_t = instance.n_communes, instance.n_teams
    budget = sum(
        problem.teams[t].working_day.usable_minutes * int(instance.team_works[t].sum())
        for t in range(n_t)
    )
    if budget <= 0 or n_t == 0:
        return 0.0
    travel_lb = _pass_travel_lower_bound(instance)
    values: list[float] = []
    costs: list[float] = []
    is_conference: list[bool] = []
    any_day = instance.team_works.any(axis=0)
    for c in range(n_c):
        dwell = int(instance.dwell[c])
        if not any(round_trip_fits(instance, t, c, dwell) for t in range(n_t)):
            continue
        k_open = max_spaced_days(instance.pass_open[c] & any_day, problem.passes.min_days_between)
        for k in range(min(k_open, int(instance.passes_left[c]))):
            values.append(float(instance.pass_points[c, k]))
            costs.append(dwell + travel_lb[c])
            is_conference.append(False)
    conf = problem.conferences
    hosts = [t for t in range(n_t) if instance.team_hosts_conferences[t]]
    for v in range(instance.n_venues):
        site = instance.venue_site(v)
        if not any(round_trip_fits(instance, t, site, conf.duration_minutes) for t in hosts):
            continue
        open_days = instance.conf_open[v] & any_day
        k_open = max_spaced_days(open_days, conf.min_days_between)
        if k_open == 0:
            continue
        best_seats = int(instance.conf_seats[v][open_days].max())
        left = int(instance.catchment_left[v])
        for _ in range(min(k_open, int(instance.conferences_left[v]))):
            invited = people_invited(best_seats, left)
            left -= invited
            attendance = conference_attendance(invited, conf.show_up)
            values.append(points(attendance, instance.conf_point_per_attendee))
            costs.append(float(conf.duration_minutes))
            is_conference.append(True)
    if not values:
        return 0.0
    n_conference_days = sum(_conference_capacity(instance, t) for t in hosts)
    return _linear_relaxation(values, costs, is_conference, float(budget), n_conference_days)


def _conference_capacity(instance: Instance, t: int) -> int:
    """Most conferences team t can hold: per calendar week, its working days there x the daily
    limit, capped by the weekly limit."""
    conf = instance.problem.conferences
    total = 0
    for week in np.unique(instance.week_of_day).tolist():
        days = int((instance.team_works[t] & (instance.week_of_day == week)).sum())
        most = days * conf.max_per_team_day
        if conf.max_per_team_week is not None:
            most = min(most, conf.max_per_team_week)
        total += most
    return total


def _linear_relaxation(
    values: list[float],
    costs: list[float],
    is_conference: list[bool],
    budget: float,
    max_conferences: int,
) -> float:
    """max sum v x  s.t.  sum cost x <= budget,  sum_{conferences} x <= max_conferences,  0 <= x <= 1.

    Solved exactly with GLOP (OR-Tools' linear solver); the LP optimum bounds every plan.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = [solver.NumVar(0.0, 1.0, f"x{i}") for i in range(len(values))]
    solver.Add(solver.Sum([c * xi for c, xi in zip(costs, x, strict=True)]) <= budget)
    solver.Add(
        solver.Sum([xi for xi, conf in zip(x, is_conference, strict=True) if conf])
        <= max_conferences
    )
    solver.Maximize(solver.Sum([v * xi for v, xi in zip(values, x, strict=True)]))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return float(sum(values))  # the trivial bound: everything
    # Round up slightly so floating-point noise never puts the bound below a real plan.
    return float(solver.Objective().Value()) * (1 + 1e-9) + 1e-6
