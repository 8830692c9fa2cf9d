"""Peers of :func:`planner.orienteering.solve` on the same :class:`Problem`, same :class:`Result`.

* :func:`solve_greedy` — nearest feasible next, route after route (the by-hand baseline);
* :func:`solve_ortools` — the OR-Tools routing library at default-ish settings;
* :func:`solve_pyvrp` — PyVRP's prize-collecting search (optional: ``pip install
  'planner[bench]'``).

Benchmark code (``benchmarks/top.py``, ``benchmarks/toptw.py``), not part of the planner.

Both engines work on integers: times are multiplied by :data:`SCALE` and rounded so that an
integer-feasible route is feasible on the original times (travel, service and openings
rounded up; closes, budgets and deadlines rounded down). Every result is re-checked on the
original float times by :func:`planner.orienteering.check`.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from planner.orienteering import TOLERANCE, Problem, Result
from planner.orienteering.check import result_from_routes

#: Time units per problem time unit in the integer engines.
SCALE = 10_000


def _up(values: NDArray[np.float64] | float) -> NDArray[np.int64]:
    return np.ceil(np.asarray(values, dtype=np.float64) * SCALE - 1e-6).astype(np.int64)


def _down(value: float) -> int:
    if math.isinf(value):
        return 1 << 40
    return math.floor(value * SCALE + 1e-6)


def solve_greedy(problem: Problem) -> Result:
    """Route after route, go to the nearest unvisited customer that still leaves time to
    reach the end node by its deadline (within its time window), until none does."""
    started = time.perf_counter()
    travel = problem.travel
    opens, closes = problem.opens, problem.closes
    service = problem.service_times
    free = np.zeros(problem.n_nodes, dtype=np.bool_)
    free[problem.customers] = True
    free &= problem.prizes > 0
    routes: list[list[int]] = []
    for r in range(problem.n_routes):
        here, now = problem.starts[r], problem.departure(r)
        end, deadline = problem.ends[r], problem.deadline(r)
        route = [here]
        while True:
            arrive = now + travel[here]
            leave = np.maximum(arrive, opens) + service
            ok = free & (arrive <= closes + TOLERANCE)
            ok &= leave + travel[:, end] <= deadline + TOLERANCE
            if not ok.any():
                break
            candidates = np.flatnonzero(ok)
            nxt = int(candidates[np.argmin(travel[here, candidates])])
            route.append(nxt)
            free[nxt] = False
            here, now = nxt, float(leave[nxt])
        route.append(end)
        routes.append(route)
    return result_from_routes(
        problem, routes, solver="greedy", seconds=time.perf_counter() - started
    )


def _prize_weight(problem: Problem) -> int:
    """Integer weight of one prize unit, larger than any total travel cost."""
    horizon = sum(
        _down(problem.deadline(r) - problem.departure(r)) for r in range(problem.n_routes)
    )
    return max(1, horizon + 1)


def solve_ortools(problem: Problem, time_limit: float) -> Result:
    """OR-Tools routing: each customer optional (``AddDisjunction``, penalty its prize, weighted
    so that one prize unit outweighs all travel), arc cost = travel, a time dimension capped at
    each route's deadline (with waiting slack under time windows), first solution
    PATH_CHEAPEST_ARC, then GUIDED_LOCAL_SEARCH for ``time_limit`` seconds on one thread."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    started = time.perf_counter()
    n, n_routes = problem.n_nodes, problem.n_routes
    travel = _up(problem.travel)
    service = _up(problem.service_times)
    depots = set(problem.starts) | set(problem.ends)
    for d in depots:
        service[d] = 0
    transit = travel + service[:, None]  # leaving i: its service, then the drive
    manager = pywrapcp.RoutingIndexManager(n, n_routes, list(problem.starts), list(problem.ends))
    routing = pywrapcp.RoutingModel(manager)
    arc = routing.RegisterTransitMatrix(travel.tolist())
    time_cb = routing.RegisterTransitMatrix(transit.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    horizon = max(_down(problem.deadline(r)) for r in range(n_routes))
    windows = problem.time_windows is not None
    routing.AddDimension(time_cb, horizon if windows else 0, horizon, False, "time")
    dimension = routing.GetDimensionOrDie("time")
    for r in range(n_routes):
        depart = int(_up(problem.departure(r)))
        dimension.CumulVar(routing.Start(r)).SetValue(depart)
        dimension.CumulVar(routing.End(r)).SetMax(
            min(_down(problem.deadline(r)), depart + _down(problem.max_durations[r]))
        )
    weight = _prize_weight(problem)
    for node in problem.customers:
        node = int(node)
        index = manager.NodeToIndex(node)
        if windows:
            low, high = int(_up(problem.opens[node])), _down(float(problem.closes[node]))
            dimension.CumulVar(index).SetRange(min(low, high), high)
        penalty = round(float(problem.prizes[node]) * weight)
        routing.AddDisjunction([index], penalty)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    solution = routing.SolveWithParameters(params)
    routes: list[list[int]] = []
    for r in range(n_routes):
        if solution is None:
            routes.append([problem.starts[r], problem.ends[r]])
            continue
        index = routing.Start(r)
        route = []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        route.append(manager.IndexToNode(index))
        routes.append(route)
    return result_from_routes(
        problem, routes, solver="ortools", seconds=time.perf_counter() - started
    )


def solve_pyvrp(problem: Problem, time_limit: float, seed: int = 1) -> Result:
    """PyVRP's iterated local search: optional clients with prizes, one depot per start or
    end node, one vehicle type per (start, end, budget) with that many vehicles, the budget
    as ``max_distance`` (no time windows) or as the vehicle's time window and shift duration
    (time windows; departure fixed at the start's opening). Arc cost = travel, and one prize
    unit outweighs all travel, so the objective is the prize first, then the length."""
    try:
        import pyvrp
        from pyvrp.stop import MaxRuntime
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "solve_pyvrp needs PyVRP: pip install 'planner[bench]' (or pip install pyvrp)"
        ) from exc

    started = time.perf_counter()
    n = problem.n_nodes
    travel = _up(problem.travel)
    service = _up(problem.service_times)
    windows = problem.time_windows is not None
    timed = windows or bool(np.any(service > 0))
    weight = _prize_weight(problem)
    locations = [pyvrp.Location(x=0, y=0, name=str(i)) for i in range(n)]
    depot_nodes = sorted(set(problem.starts) | set(problem.ends))
    depot_index = {node: k for k, node in enumerate(depot_nodes)}
    depots = [pyvrp.Depot(location=node) for node in depot_nodes]
    customers = [int(c) for c in problem.customers]
    clients = []
    for node in customers:
        early, late = 0, 1 << 40
        if windows:
            early = int(_up(problem.opens[node]))
            late = _down(float(problem.closes[node]))
        clients.append(
            pyvrp.Client(
                location=node,
                service_duration=int(service[node]),
                tw_early=min(early, late),
                tw_late=late,
                prize=round(float(problem.prizes[node]) * weight),
                required=False,
            )
        )
    groups: dict[tuple[int, int, int, int], list[int]] = {}
    for r in range(problem.n_routes):
        depart = int(_up(problem.departure(r)))
        budget = _down(problem.max_durations[r])
        deadline = min(_down(problem.deadline(r)), depart + budget)
        groups.setdefault((problem.starts[r], problem.ends[r], depart, deadline), []).append(r)
    vehicle_types = []
    for (start, end, depart, deadline), members in groups.items():
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=len(members),
                start_depot=depot_index[start],
                end_depot=depot_index[end],
                unit_distance_cost=1,
                tw_early=depart if timed else 0,
                tw_late=deadline if timed else 1 << 40,
                start_late=depart if timed else None,
                shift_duration=deadline - depart if timed else 1 << 40,
                max_distance=1 << 40 if timed else deadline - depart,
            )
        )
    durations: Any = travel if timed else np.zeros_like(travel)
    distances: Any = travel
    data = pyvrp.ProblemData(locations, clients, depots, vehicle_types, [distances], [durations])
    result = pyvrp.solve(
        data, stop=MaxRuntime(time_limit), seed=seed, collect_stats=False, display=False
    )
    route_of_type: dict[int, list[list[int]]] = {k: [] for k in range(len(vehicle_types))}
    for route in result.best.routes():
        nodes = [customers[a.idx] for a in route if a.is_client()]
        route_of_type[route.vehicle_type()].append(nodes)
    routes: list[list[int]] = [[] for _ in range(problem.n_routes)]
    for k, members in enumerate(groups.values()):
        found = route_of_type[k]
        for position, r in enumerate(members):
            inner = found[position] if position < len(found) else []
            routes[r] = [problem.starts[r], *inner, problem.ends[r]]
    return result_from_routes(
        problem, routes, solver="pyvrp", seconds=time.perf_counter() - started
    )
