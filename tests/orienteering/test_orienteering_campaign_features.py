"""What the campaign asks of the core beyond the TOP: communes a route may not visit (closed
that day, outside the team's territory), the cost of driving, and the recombination of the
routes the search met (planner/orienteering/_pool.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from planner.orienteering import SearchParams, check, make_problem, solve

from .test_orienteering_solve import brute_force, scattered

POOLED = SearchParams(pool_size=5_000, recombine_every=10, recombine_work=0.5)


def with_masks(n: int, seed: int, n_routes: int, budget: float):
    base = scattered(n, seed, n_routes=n_routes, budget=budget)
    rng = np.random.default_rng(seed)
    allowed = rng.random((n_routes, n)) < 0.5
    return make_problem(
        base.travel,
        base.prizes,
        n_routes=n_routes,
        start=0,
        end=n - 1,
        max_duration=budget,
        allowed=allowed,
    )


@pytest.mark.parametrize("params", [None, POOLED], ids=["search", "pooled"])
def test_a_route_visits_only_the_communes_it_may(params: SearchParams | None) -> None:
    problem = with_masks(40, 4, 3, 14.0)
    result = solve(problem, time_limit=30, seed=1, max_iterations=60, params=params)
    assert result.feasible, result.problems
    assert problem.allowed is not None
    for r, route in enumerate(result.routes):
        assert all(problem.allowed[r, node] for node in route[1:-1])
    assert result.visited > 0


def test_check_names_a_visit_the_route_may_not_make() -> None:
    problem = with_masks(10, 2, 1, 100.0)
    assert problem.allowed is not None
    forbidden = next(c for c in problem.customers if not problem.allowed[0, c])
    feasible, _, problems = check(problem, [[0, int(forbidden), 9]])
    assert not feasible and "not allowed" in problems[0]


def test_tiny_instances_with_masks_reach_the_brute_force_optimum() -> None:
    for seed in range(4):
        problem = with_masks(7, seed, 2, 9.0)
        result = solve(problem, time_limit=30, seed=1, max_iterations=80, params=POOLED)
        assert result.feasible
        # brute force ignores masks: compare with it on routes of allowed visits only
        restricted = make_problem(
            problem.travel,
            problem.prizes,
            n_routes=2,
            start=0,
            end=6,
            max_duration=9.0,
        )
        assert result.score <= brute_force(restricted) + 1e-9


def test_a_visit_worth_less_than_its_drive_is_left_out() -> None:
    # start 0, end 2; node 1 is 5 away there and back with prize 3: driving costs 1 per
    # unit, so visiting it loses 7 units of value
    travel = np.array([[0, 5, 0], [5, 0, 5], [0, 5, 0]], dtype=float)
    problem = make_problem(
        travel, [0, 3, 0], n_routes=1, start=0, end=2, max_duration=100, arc_costs=travel
    )
    result = solve(problem, time_limit=10, seed=1, max_iterations=10)
    assert result.routes == ((0, 2),) and result.value == 0.0


def test_value_is_prize_less_arc_cost() -> None:
    base = scattered(30, 6, n_routes=2, budget=12.0)
    costs = base.travel * 0.1
    problem = make_problem(
        base.travel,
        base.prizes,
        n_routes=2,
        start=0,
        end=29,
        max_duration=12.0,
        arc_costs=costs,
    )
    result = solve(problem, time_limit=30, seed=1, max_iterations=40, params=POOLED)
    driven = sum(
        costs[a, b]
        for route in result.routes
        for a, b in itertools.pairwise(route)
        if len(route) > 2
    )
    assert result.cost == pytest.approx(driven)
    assert result.value == pytest.approx(result.score - driven)


def test_the_pool_is_deterministic_and_never_worse_than_the_walk_alone() -> None:
    problem = scattered(60, 9, n_routes=4, budget=12.0)
    plain = solve(problem, time_limit=60, seed=2, max_iterations=80)
    pooled = solve(problem, time_limit=60, seed=2, max_iterations=80, params=POOLED)
    again = solve(problem, time_limit=60, seed=2, max_iterations=80, params=POOLED)
    assert pooled.feasible and pooled.routes == again.routes
    assert pooled.value >= plain.value - 1e-9


def test_a_recombination_of_thousands_of_routes_gives_a_combination() -> None:
    """With CP-SAT's presolve on, a pool of 5,000 routes and the planner's work limit ended
    with no solution at all, not even the hint, and the core ran on with nothing recombined
    (planner/orienteering/_pool.py); the answer must be at least the incumbent."""
    from planner.orienteering._pool import RoutePool

    rng = np.random.default_rng(0)
    n, n_routes = 400, 40
    xy = rng.random((n + 1, 2)) * 100
    travel = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    prizes = np.r_[0.0, rng.integers(1, 100, n).astype(float)]
    problem = make_problem(travel, prizes, n_routes=n_routes, start=0, end=0, max_duration=1e6)
    pool = RoutePool(problem, capacity=6_000)
    for k in range(5_000):
        stops = rng.choice(np.arange(1, n + 1), size=int(rng.integers(5, 15)), replace=False)
        pool.add(k % n_routes, [0, *(int(s) for s in stops), 0], 1.0)
    incumbent = [[0, *range(1 + 10 * r, 11 + 10 * r), 0] for r in range(n_routes)]
    routes = pool.best_combination(incumbent, [1.0] * n_routes, work_limit=0.5, seed=1)
    assert routes is not None
    visited = [v for route in routes for v in route[1:-1]]
    assert len(visited) == len(set(visited))  # each customer at most once
    assert sum(prizes[visited]) >= sum(prizes[1 : 1 + 10 * n_routes])
