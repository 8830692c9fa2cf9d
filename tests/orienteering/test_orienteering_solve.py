"""The planner's own core: optimal on tiny instances (checked by brute force), deterministic
for a seed and an iteration limit, feasible on a random instance with time windows."""

from __future__ import annotations

import itertools

import numpy as np

from planner.orienteering import Problem, SearchParams, check, make_problem, solve


def brute_force(problem: Problem) -> float:
    """The best score over every ordered set of visits per route (tiny instances only)."""
    customers = [int(c) for c in problem.customers]
    best_for: dict[int, dict[frozenset[int], bool]] = {}
    for r in range(problem.n_routes):
        feasible: dict[frozenset[int], bool] = {}
        for size in range(len(customers) + 1):
            for subset in itertools.combinations(customers, size):
                feasible[frozenset(subset)] = any(
                    check_one(problem, r, order) for order in itertools.permutations(subset)
                )
        best_for[r] = feasible
    best = 0.0

    def extend(r: int, used: frozenset[int], score: float) -> None:
        nonlocal best
        if r == problem.n_routes:
            best = max(best, score)
            return
        for subset, ok in best_for[r].items():
            if ok and not subset & used:
                gain = float(sum(problem.prizes[list(subset)])) if subset else 0.0
                extend(r + 1, used | subset, score + gain)

    extend(0, frozenset(), 0.0)
    return best


def check_one(problem: Problem, r: int, order: tuple[int, ...]) -> bool:
    routes = [[problem.starts[k], problem.ends[k]] for k in range(problem.n_routes)]
    routes[r] = [problem.starts[r], *order, problem.ends[r]]
    return check(problem, routes)[0]


def scattered(n: int, seed: int, *, n_routes: int, budget: float, windows: bool = False):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10, size=(n, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = rng.integers(1, 20, size=n).astype(float)
    prizes[[0, n - 1]] = 0
    tw = None
    service = None
    if windows:
        opens = rng.uniform(0, budget * 0.6, size=n)
        tw = np.stack([opens, opens + rng.uniform(2, budget * 0.5, size=n)], axis=1)
        tw[[0, n - 1]] = [0, budget]
        service = rng.uniform(0, 1, size=n)
        service[[0, n - 1]] = 0
    return make_problem(
        travel,
        prizes,
        n_routes=n_routes,
        start=0,
        end=n - 1,
        max_duration=budget,
        time_windows=tw,
        service_times=service,
    )


def test_a_hand_made_instance_reaches_its_optimum() -> None:
    # a square: start and end at the left corners, prizes that make the greedy ratio wrong
    xy = np.array([[0, 0], [1, 0], [2, 0], [2, 1], [0, 3], [1, 3], [0, 1]], dtype=float)
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    problem = make_problem(
        travel, [0, 3, 4, 4, 12, 10, 0], n_routes=1, start=0, end=6, max_duration=6.5
    )
    # the two far nodes (12 + 10) beat the three near ones (3 + 4 + 4)
    assert brute_force(problem) == 22
    result = solve(problem, time_limit=5, seed=1, max_iterations=200)
    assert result.feasible
    assert result.score == 22
    assert set(result.routes[0]) == {0, 4, 5, 6}


def test_tiny_random_instances_reach_the_brute_force_optimum() -> None:
    for seed in range(4):
        problem = scattered(8, seed, n_routes=2, budget=12.0)
        result = solve(problem, time_limit=5, seed=seed, max_iterations=150)
        assert result.feasible, result.problems
        assert result.score == brute_force(problem), seed


def test_tiny_instances_with_time_windows_reach_the_optimum() -> None:
    for seed in range(3):
        problem = scattered(7, 10 + seed, n_routes=1, budget=25.0, windows=True)
        result = solve(problem, time_limit=5, seed=seed, max_iterations=150)
        assert result.feasible, result.problems
        assert result.score == brute_force(problem), seed


def test_the_same_seed_and_iteration_limit_give_the_same_routes() -> None:
    problem = scattered(40, 7, n_routes=3, budget=14.0)
    first = solve(problem, time_limit=60, seed=3, max_iterations=40)
    again = solve(problem, time_limit=60, seed=3, max_iterations=40)
    assert first.routes == again.routes and first.iterations == again.iterations == 40


def test_a_random_instance_with_windows_and_service_is_solved_feasibly() -> None:
    problem = scattered(40, 3, n_routes=2, budget=30.0, windows=True)
    result = solve(problem, time_limit=5, seed=1, max_iterations=60)
    feasible, score, _ = check(problem, result.routes)
    assert feasible and score == result.score > 0


def test_per_route_starts_ends_and_budgets_are_respected() -> None:
    problem = scattered(30, 5, n_routes=2, budget=10.0)
    problem = make_problem(
        problem.travel,
        problem.prizes,
        n_routes=2,
        start=[0, 1],
        end=[29, 0],
        max_duration=[10.0, 6.0],
    )
    result = solve(problem, time_limit=5, seed=2, max_iterations=60)
    assert result.feasible
    assert result.routes[1][0] == 1 and result.routes[1][-1] == 0
    assert result.durations[1] <= 6.0 + 1e-6


def test_the_route_moves_between_routes_keep_the_search_feasible() -> None:
    problem = scattered(40, 11, n_routes=3, budget=12.0)
    params = SearchParams(pair_moves=True, route_ruin_rate=0.2, alpha_max=2.0)
    result = solve(problem, time_limit=5, seed=4, max_iterations=60, params=params)
    assert result.feasible and result.score > 0


def test_a_portfolio_of_two_processes_returns_the_better_of_its_seeds() -> None:
    problem = scattered(30, 2, n_routes=2, budget=12.0)
    pair = solve(problem, time_limit=30, seed=5, max_iterations=20, workers=2)
    alone = [solve(problem, time_limit=30, seed=s, max_iterations=20) for s in (5, 6)]
    assert pair.feasible
    assert pair.score == max(r.score for r in alone)


def test_nothing_reachable_gives_empty_routes() -> None:
    base = scattered(10, 1, n_routes=2, budget=1.0)
    direct = float(base.travel[0, 9])
    problem = make_problem(
        base.travel, base.prizes, n_routes=2, start=0, end=9, max_duration=direct + 1e-4
    )
    result = solve(problem, time_limit=1, seed=1)
    assert result.feasible and result.score == 0
    assert all(len(route) == 2 for route in result.routes)


def test_a_budget_shorter_than_the_direct_trip_gives_score_zero_not_infeasible() -> None:
    base = scattered(12, 6, n_routes=2, budget=1.0)
    direct = float(base.travel[0, 11])
    problem = make_problem(
        base.travel, base.prizes, n_routes=2, start=0, end=11, max_duration=direct * 0.9
    )
    result = solve(problem, time_limit=2, seed=1, max_iterations=30)
    assert result.feasible and result.score == 0
    assert result.durations == (0.0, 0.0)
