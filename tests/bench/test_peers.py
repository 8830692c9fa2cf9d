"""The peers (greedy, OR-Tools, PyVRP) on tiny instances: same Result, checked feasible."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from benchmarks.lib.peers import solve_greedy, solve_ortools, solve_pyvrp
from planner.orienteering import Problem, check, make_problem

HAS_PYVRP = importlib.util.find_spec("pyvrp") is not None


def square(*, windows: bool = False) -> Problem:
    """Start (0) and end (6) at the left corners of a 2 x 3 box; the best route with a budget
    of 6.5 takes the two far nodes 4 and 5 (22), not the three near ones (11)."""
    xy = np.array([[0, 0], [1, 0], [2, 0], [2, 1], [0, 3], [1, 3], [0, 1]], dtype=float)
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    tw = None
    if windows:  # node 5 opens at 4.2: 0-4-5-6 waits 0.2 and ends at 6.44; 0-5-4-6 is late
        tw = [[0, 10], [0, 10], [0, 10], [0, 10], [0, 10], [4.2, 10], [0, 10]]
    return make_problem(
        travel,
        [0, 3, 4, 4, 12, 10, 0],
        n_routes=1,
        start=0,
        end=6,
        max_duration=6.5,
        time_windows=tw,
    )


def two_teams() -> Problem:
    rng = np.random.default_rng(4)
    xy = rng.uniform(0, 10, size=(25, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = rng.integers(1, 10, size=25)
    prizes[0] = prizes[24] = 0
    windows = np.stack([rng.uniform(0, 10, 25), np.full(25, 40.0)], axis=1)
    windows[0] = windows[24] = [0, 30]
    return make_problem(
        travel,
        prizes,
        n_routes=2,
        start=0,
        end=24,
        max_duration=30.0,
        service_times=np.full(25, 0.5),
        time_windows=windows,
    )


def test_greedy_goes_to_the_nearest_node_that_still_fits() -> None:
    result = solve_greedy(square())
    assert result.feasible and result.solver == "greedy"
    assert result.routes == ((0, 1, 2, 3, 6),)  # near first: misses the far prizes
    assert result.score == 11


@pytest.mark.parametrize("windows", [False, True])
def test_ortools_finds_the_optimum_of_the_square(windows: bool) -> None:
    result = solve_ortools(square(windows=windows), time_limit=1.0)
    assert result.feasible and result.solver == "ortools"
    assert result.score == 22
    assert result.routes == (((0, 4, 5, 6),) if windows else ((0, 5, 4, 6),))


@pytest.mark.skipif(not HAS_PYVRP, reason="PyVRP is optional: pip install 'planner[bench]'")
@pytest.mark.parametrize("windows", [False, True])
def test_pyvrp_finds_the_optimum_of_the_square(windows: bool) -> None:
    result = solve_pyvrp(square(windows=windows), time_limit=0.5, seed=1)
    assert result.feasible and result.solver == "pyvrp"
    assert result.score == 22
    assert result.routes == (((0, 4, 5, 6),) if windows else ((0, 5, 4, 6),))


@pytest.mark.parametrize(
    "solver",
    [
        lambda p: solve_greedy(p),
        lambda p: solve_ortools(p, time_limit=1.0),
        pytest.param(
            lambda p: solve_pyvrp(p, time_limit=0.5, seed=1),
            marks=pytest.mark.skipif(not HAS_PYVRP, reason="PyVRP is optional"),
        ),
    ],
    ids=["greedy", "ortools", "pyvrp"],
)
def test_peers_respect_windows_service_and_budget_on_two_routes(solver) -> None:
    problem = two_teams()
    result = solver(problem)
    feasible, score, problems = check(problem, result.routes)
    assert feasible, problems
    assert result.feasible and score == result.score > 0
    assert len(result.routes) == 2
