"""An independent check of a set of routes, shared by every solver and the benchmarks.

It recomputes every time from the problem's own matrix, so a solver's bookkeeping (integer
scaling, cached slacks) cannot hide a violation. The tolerance is :data:`TOLERANCE`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from planner.orienteering.problem import TOLERANCE, Problem, Result


def route_duration(problem: Problem, route_index: int, route: Sequence[int]) -> float:
    """Arrival at the end node minus departure from the start, waiting included; 0 for a
    route with no visits (the vehicle is not used)."""
    if len(route) <= 2:
        return 0.0
    opens = problem.opens
    depart = problem.departure(route_index)
    now = depart
    for prev, node in itertools.pairwise(route):
        now += float(problem.travel[prev, node])
        if node != route[-1]:
            now = max(now, float(opens[node])) + float(problem.service_times[node])
    return now - depart


def check(problem: Problem, routes: Sequence[Sequence[int]]) -> tuple[bool, float, list[str]]:
    """Return ``(feasible, score, problems)`` for ``routes`` (full node lists, start to end).

    The rules checked, one message each time one is broken:

    1. one route per vehicle, each from its start node to its end node;
    2. every other node is a customer, visited at most once over all routes;
    3. service at each customer starts within its time window (waiting allowed);
    4. each route reaches its end by the end's closing time and within its max duration;
       a route with no visits is an unused vehicle and always feasible (some TOP instances
       have a budget shorter than the direct trip from start to end: their best score is 0);
    5. a route visits only the nodes it is allowed to (``problem.allowed``).

    The score is the sum of the prizes of the customers visited (counted once).
    """
    problems: list[str] = []
    if len(routes) != problem.n_routes:
        problems.append(f"expected {problem.n_routes} routes, got {len(routes)}")
    customer_set = {int(c) for c in problem.customers}
    seen: dict[int, int] = {}
    score = 0.0
    opens, closes = problem.opens, problem.closes
    for r, route in enumerate(routes[: problem.n_routes]):
        nodes = [int(v) for v in route]
        if len(nodes) < 2:
            problems.append(f"route {r}: expected at least its start and end node, got {nodes}")
            continue
        if nodes[0] != problem.starts[r]:
            problems.append(f"route {r}: starts at {nodes[0]}, expected {problem.starts[r]}")
        if nodes[-1] != problem.ends[r]:
            problems.append(f"route {r}: ends at {nodes[-1]}, expected {problem.ends[r]}")
        if any(not 0 <= v < problem.n_nodes for v in nodes):
            problems.append(f"route {r}: node out of range 0..{problem.n_nodes - 1}")
            continue
        depart = problem.departure(r)
        now = depart
        for prev, node in itertools.pairwise(nodes[:-1]):
            if node not in customer_set:
                problems.append(f"route {r}: node {node} is a start or end node, not a customer")
            elif not problem.may_visit(r, node):
                problems.append(f"route {r}: node {node} is not allowed on this route")
            elif node in seen:
                problems.append(f"route {r}: node {node} already visited by route {seen[node]}")
            else:
                seen[node] = r
                score += float(problem.prizes[node])
            now += float(problem.travel[prev, node])
            if now > closes[node] + TOLERANCE:
                problems.append(
                    f"route {r}: arrives at node {node} at {now:.6f}, after its close "
                    f"{closes[node]:.6f}"
                )
            now = max(now, float(opens[node])) + float(problem.service_times[node])
        if len(nodes) == 2:
            continue  # no visits: the vehicle is not used, whatever its budget
        now += float(problem.travel[nodes[-2], nodes[-1]])
        end = nodes[-1]
        if now > closes[end] + TOLERANCE:
            problems.append(
                f"route {r}: reaches end {end} at {now:.6f}, after its close {closes[end]:.6f}"
            )
        duration = now - depart
        if duration > problem.max_durations[r] + TOLERANCE:
            problems.append(
                f"route {r}: duration {duration:.6f} exceeds max {problem.max_durations[r]:.6f}"
            )
    return not problems, score, problems


def result_from_routes(
    problem: Problem,
    routes: Sequence[Sequence[int]],
    *,
    solver: str,
    seconds: float,
    iterations: int = 0,
    work: float = 0.0,
) -> Result:
    """Build a :class:`Result` whose score, durations and feasibility come from :func:`check`."""
    full = tuple(tuple(int(v) for v in route) for route in routes)
    feasible, score, problems = check(problem, full)
    durations = tuple(
        route_duration(problem, r, route) if len(route) >= 2 else 0.0
        for r, route in enumerate(full)
    )
    return Result(
        routes=full,
        score=score,
        cost=sum(problem.route_cost(route) for route in full),
        durations=durations,
        feasible=feasible,
        solver=solver,
        seconds=seconds,
        iterations=iterations,
        problems=tuple(problems),
        work=work,
    )
