"""An upper bound on the plan's value: the most the team-time budget could buy.

Relaxation, stated:
1. every item (the k-th pass in a commune, the k-th conference at a venue) has a value and a
   time cost of at least its service time plus a lower bound on the travel it causes: half
   the shortest drive into it plus half the shortest drive out of it (every drive of a route
   ends at one place and starts at another, so summing these halves over a route's stops
   never exceeds its driving time);
2. an item counts only if the rules leave it some day and some team that can reach it at all
   (pass k needs k open days spaced far enough apart; a conference uses its best day's seats);
3. all team-days pool their working minutes into one budget, and items may be taken in part.
This is a fractional knapsack, solved exactly by taking items in order of value per minute.
Travel cost and fairness are dropped (they only lower the plan's value), so the bound is
valid: no plan can exceed it.
"""

from __future__ import annotations

import numpy as np

from planner.instance import Instance
from planner.solve.routes import round_trip_fits


def _max_spaced_days(open_days: np.ndarray, min_gap: int) -> int:
    """How many of the open days can be picked at least ``min_gap`` days apart (greedy is optimal)."""
    gap = max(min_gap, 1)
    count, last = 0, -(10**9)
    for d in np.flatnonzero(open_days):
        if d - last >= gap:
            count, last = count + 1, int(d)
    return count


def upper_bound(instance: Instance) -> float:
    problem = instance.problem
    n_c, n_t = instance.n_communes, instance.n_teams
    budget = sum(
        problem.teams[t].working_day.usable_minutes * int(instance.team_works[t].sum())
        for t in range(n_t)
    )
    if budget <= 0 or n_t == 0:
        return 0.0
    # Fastest drive into / out of each site, over all vehicles in use, other sites and bases.
    fastest = np.min(np.stack(list(instance.minutes.values())), axis=0).astype(float)
    np.fill_diagonal(fastest, np.inf)
    shortest_in = fastest.min(axis=0)
    shortest_out = fastest.min(axis=1)
    travel_lb = np.where(
        np.isfinite(shortest_in + shortest_out), (shortest_in + shortest_out) / 2, 0
    )

    values: list[float] = []
    costs: list[float] = []
    any_day = instance.team_works.any(axis=0)
    for c in range(n_c):
        dwell = int(instance.dwell[c])
        if not any(round_trip_fits(instance, t, c, dwell) for t in range(n_t)):
            continue
        k_open = _max_spaced_days(instance.pass_open[c] & any_day, problem.passes.min_days_between)
        for k in range(min(k_open, problem.passes.max_passes)):
            values.append(float(instance.pass_points[c, k]))
            costs.append(dwell + travel_lb[c])
    conf = problem.conferences
    hosts = [t for t in range(n_t) if instance.team_hosts_conferences[t]]
    for v in range(instance.n_venues):
        site = instance.venue_site(v)
        if not any(round_trip_fits(instance, t, site, conf.duration_minutes) for t in hosts):
            continue
        open_days = instance.conf_open[v] & any_day
        k_open = _max_spaced_days(open_days, conf.min_days_between)
        if k_open == 0:
            continue
        best_seats = int(instance.conf_seats[v][open_days].max())
        left = problem.venues[v].catchment_target_people
        for _ in range(min(k_open, conf.max_per_venue)):
            invited = min(best_seats, left)
            left -= invited
            values.append(invited * conf.show_up * instance.conf_point_per_attendee)
            costs.append(conf.duration_minutes + travel_lb[site])
    if not values:
        return 0.0
    value = np.array(values)
    cost = np.maximum(np.array(costs), 1e-9)
    order = np.argsort(-value / cost, kind="stable")
    total, left_budget = 0.0, float(budget)
    for i in order:
        if cost[i] <= left_budget:
            total += value[i]
            left_budget -= cost[i]
        else:
            total += value[i] * left_budget / cost[i]
            break
    return float(total)
