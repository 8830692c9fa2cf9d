"""The greedy baseline: what a planner would do by hand.

Day by day, each team holds one conference at its own base post office in the morning when
the rules allow it, then drives to the nearest commune it may still visit, and the nearest
after that, until the next one would not leave time to get home. It respects every rule
(the schedule, spacing, caps, isolation), so its value is a fair floor for the optimiser.
"""

from __future__ import annotations

from planner.instance import Instance
from planner.solve.routes import Routes, Usage, Visit, may_add, schedule


def greedy_routes(instance: Instance) -> Routes:
    routes: Routes = {}
    usage = Usage.of(routes)
    venue_index = instance.problem.venue_index()
    for d in range(instance.n_days):
        for t in range(instance.n_teams):
            if not instance.team_works[t, d]:
                continue
            team_day = (t, d)
            visits: list[Visit] = []
            routes[team_day] = visits
            base_venue: Visit = ("conference", venue_index[instance.problem.teams[t].base_venue_id])
            if may_add(instance, usage, routes, team_day, base_venue) and schedule(
                instance, team_day, [base_venue]
            ):
                visits.append(base_venue)
                usage.add(base_venue, d)
            minutes = instance.team_minutes(t)
            base = int(instance.team_base_site[t])
            working_day = instance.problem.teams[t].working_day
            here = base
            current = schedule(instance, team_day, visits)
            while current is not None:
                now = current.stops[-1].end_min if current.stops else current.depart_min
                lunch_left = 0 if current.lunch_start_min < now else working_day.lunch_minutes
                extra = minutes[here, : instance.n_communes] + instance.dwell
                extra = extra + minutes[: instance.n_communes, base]
                fits = (extra + now + lunch_left <= working_day.end_min) & instance.pass_open[:, d]
                candidates = fits.nonzero()[0]
                candidates = candidates[minutes[here, candidates].argsort(kind="stable")]
                chosen = None
                for c in candidates:
                    visit: Visit = ("pass", int(c))
                    if not may_add(instance, usage, routes, team_day, visit):
                        continue
                    trial = schedule(instance, team_day, [*visits, visit])
                    if trial is None:
                        continue
                    chosen, current = visit, trial
                    break
                if chosen is None:
                    break
                visits.append(chosen)
                usage.add(chosen, d)
                here = chosen[1]
            if not visits:
                del routes[team_day]
    return routes
