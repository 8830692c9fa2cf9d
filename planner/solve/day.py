"""The day: order one team-day's visits with the OR-Tools routing library.

One vehicle leaves the base and returns; each visit is an optional node whose drop penalty
is its value (so the router drops a visit only when the day cannot hold it); conferences
must start inside a slot; the lunch break is a break interval on the time dimension. The
local search runs to a local optimum with no time limit, so the result is deterministic.
The order found is then timed by `schedule_day`, the single authority on timing; if it
disagrees (it places lunch between stops only), the least valuable visit per minute is
dropped until the day fits.
"""

from __future__ import annotations

import itertools

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from planner.instance import Instance
from planner.solve.routes import TeamDay, Visit, schedule, stop_request

SCALE = 100
PROTECTED_PENALTY = 10**12  # dropping a fairness visit outweighs any value


def visit_points(instance: Instance, visit: Visit, d: int) -> float:
    kind, index = visit
    if kind == "pass":
        return float(instance.pass_points[index, 0])
    return instance.conference_points(index, d)


def order_day(
    instance: Instance,
    team_day: TeamDay,
    visits: list[Visit],
    protected: frozenset[Visit] = frozenset(),
) -> list[Visit]:
    """Best order of the visits for one team-day; visits that cannot fit are left out.

    ``protected`` visits carry a fairness minimum: they are dropped only as a last resort.
    """
    if not visits:
        return []
    t, d = team_day
    team = instance.problem.teams[t]
    day = team.working_day
    requests = [stop_request(instance, v) for v in visits]
    sites = [int(instance.team_base_site[t])] + [r.site for r in requests]
    service = [0] + [r.service_minutes for r in requests]
    minutes = instance.team_minutes(t)
    manager = pywrapcp.RoutingIndexManager(len(sites), 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    def transit(from_index: int, to_index: int) -> int:
        a, b = manager.IndexToNode(from_index), manager.IndexToNode(to_index)
        return int(minutes[sites[a], sites[b]]) + service[a]

    callback = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    horizon = day.end_min
    routing.AddDimension(callback, horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    time.CumulVar(routing.Start(0)).SetRange(day.start_min, day.start_min)
    time.CumulVar(routing.End(0)).SetRange(day.start_min, day.end_min)
    for node, request in enumerate(requests, start=1):
        index = manager.NodeToIndex(node)
        if request.windows:
            lo = min(w[0] for w in request.windows)
            hi = max(w[1] for w in request.windows)
            time.CumulVar(index).SetRange(lo, hi)
            windows = sorted(request.windows)
            for (_, end_a), (start_b, _) in itertools.pairwise(windows):
                if start_b > end_a + 1:
                    time.CumulVar(index).RemoveInterval(end_a + 1, start_b - 1)
        else:
            time.CumulVar(index).SetRange(day.start_min, day.end_min - request.service_minutes)
        penalty = int(SCALE * visit_points(instance, visits[node - 1], d)) + 10 * horizon
        if visits[node - 1] in protected:
            penalty += PROTECTED_PENALTY
        routing.AddDisjunction([index], penalty)
    if day.lunch_minutes > 0:
        solver = routing.solver()
        lunch = solver.FixedDurationIntervalVar(
            day.lunch_earliest_min, day.lunch_latest_min, day.lunch_minutes, False, "lunch"
        )
        time.SetBreakIntervalsOfVehicle([lunch], 0, service)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    solution = routing.SolveWithParameters(params)
    ordered: list[Visit] = []
    if solution is None:
        ordered = list(visits)
    else:
        index = routing.Start(0)
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node != 0:
                ordered.append(visits[node - 1])
            index = solution.Value(routing.NextVar(index))
    return _drop_until_feasible(instance, team_day, ordered, protected)


def _drop_until_feasible(
    instance: Instance, team_day: TeamDay, visits: list[Visit], protected: frozenset[Visit]
) -> list[Visit]:
    """Remove the visit worth least per minute of service until the day can be timed."""
    visits = list(visits)
    while visits and schedule(instance, team_day, visits) is None:
        d = team_day[1]
        worst = min(
            range(len(visits)),
            key=lambda i: (
                visits[i] in protected,
                visit_points(instance, visits[i], d)
                / max(1, stop_request(instance, visits[i]).service_minutes),
                i,
            ),
        )
        visits.pop(worst)
    return visits


def improve_days(
    instance: Instance, routes: dict[TeamDay, list[Visit]]
) -> dict[TeamDay, list[Visit]]:
    """Re-order every team-day with the routing library; keep a new order only when it keeps
    every visit and drives less, so the time saved can be filled with more visits."""
    improved: dict[TeamDay, list[Visit]] = {}
    for team_day, visits in sorted(routes.items()):
        current = schedule(instance, team_day, visits)
        reordered = order_day(instance, team_day, visits) if len(visits) > 2 else visits
        better = schedule(instance, team_day, reordered) if len(reordered) == len(visits) else None
        if current is None or (
            better is not None and better.travel_minutes < current.travel_minutes
        ):
            improved[team_day] = reordered
        else:
            improved[team_day] = list(visits)
    return improved
