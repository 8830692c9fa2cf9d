"""The longer search when the routes are full: a walk that stalls leaves its iterations to
new walks (``SearchParams.full_routes_stall``, planner/orienteering/_search.py)."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from planner.orienteering import SearchParams, check, make_problem
from planner.orienteering import _search as search
from planner.orienteering.check import result_from_routes


def three_bases(seed: int, *, customers: int, max_duration: float):
    """Three routes from three bases (no two interchangeable), travel in the plane and a
    cost per unit of travel; with a short day, many customers are left out."""
    rng = np.random.default_rng(seed)
    n = customers + 3
    xy = rng.uniform(0, 10, size=(n, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = rng.integers(5, 20, size=n).astype(float)
    bases = [n - 3, n - 2, n - 1]
    prizes[bases] = 0
    return make_problem(
        travel,
        prizes,
        n_routes=3,
        start=bases,
        end=bases,
        max_duration=max_duration,
        service_times=np.where(prizes > 0, 0.5, 0.0),
        arc_costs=travel * 0.05,
    )


PARAMS = SearchParams(full_routes_factor=3.0, full_routes_stall=5, pair_moves=True)


def test_a_stalled_walk_on_full_routes_leaves_its_iterations_to_a_new_walk() -> None:
    """Seed 2 on this problem: the first walk is lengthened (customers left out for lack of
    time) and stalls at its limit, 20 iterations, with 407.5; a walk from another seed finds
    425.4 and is kept; the iterations of every walk add up to at most 3 x 20."""
    problem = three_bases(4, customers=60, max_duration=15.0)
    first = search._run(problem, 2, None, 20, PARAMS, None, time.perf_counter(), stall=5)
    assert first.lengthened and first.iterations == 20
    out = search.run(problem, seed=2, time_limit=None, max_iterations=20, params=PARAMS)
    assert out.lengthened is False  # the kept walk is a later one, of a fixed length
    assert out.value > first.value + 1.0
    assert out.best_iteration > first.iterations
    assert first.iterations < out.iterations <= 60
    again = search.run(problem, seed=2, time_limit=None, max_iterations=20, params=PARAMS)
    assert again.routes == out.routes and again.iterations == out.iterations
    feasible, score, problems = check(problem, out.routes)
    assert feasible and problems == [] and score > out.value  # prizes, before the arc cost
    result = result_from_routes(problem, out.routes, solver="x", seconds=0, iterations=0)
    assert result.value == pytest.approx(out.value)


def test_without_a_stall_there_is_one_walk() -> None:
    problem = three_bases(4, customers=60, max_duration=15.0)
    out = search.run(
        problem,
        seed=2,
        time_limit=None,
        max_iterations=20,
        params=replace(PARAMS, full_routes_stall=0),
    )
    assert out.lengthened and out.iterations == 60


def test_routes_with_room_to_spare_are_searched_by_one_walk() -> None:
    problem = three_bases(4, customers=12, max_duration=60.0)
    out = search.run(problem, seed=5, time_limit=None, max_iterations=20, params=PARAMS)
    one = search.run(
        problem,
        seed=5,
        time_limit=None,
        max_iterations=20,
        params=replace(PARAMS, full_routes_stall=0),
    )
    assert not out.lengthened
    assert out.routes == one.routes and out.iterations == one.iterations


def test_a_stall_is_a_whole_number_of_iterations() -> None:
    with pytest.raises(ValueError, match="full_routes_stall: expected a number >= 0, got -1"):
        SearchParams(full_routes_stall=-1)
