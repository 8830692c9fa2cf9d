"""Interchangeable routes (a team's identical days of a month): their classes, the search on
as many of them as the first construction suggests (``SearchParams.prune_twins``), and the
tail exchange that hands a route's visits to an empty route of another class
(planner/orienteering/_search.py)."""

from __future__ import annotations

import numpy as np
import pytest

from planner.orienteering import SearchParams, check, make_problem, solve
from planner.orienteering import _search as search


def month_of_days(seed: int, *, days: int = 10, customers: int = 30, masks: bool = False):
    """Three bases (the last three nodes) with ``days`` identical routes each, round trips
    of 12 time units, and a cost per unit of travel: a month where each base needs a few
    days for the customers near it."""
    rng = np.random.default_rng(seed)
    n = customers + 3
    xy = rng.uniform(0, 10, size=(n, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = rng.integers(5, 20, size=n).astype(float)
    bases = [n - 3, n - 2, n - 1]
    prizes[bases] = 0
    starts = [bases[r // days] for r in range(3 * days)]
    allowed = None
    if masks:  # each base reaches its own random 80 % of the customers, on every day
        reach = rng.random((3, n)) < 0.8
        allowed = np.repeat(reach, days, axis=0)
    return make_problem(
        travel,
        prizes,
        n_routes=3 * days,
        start=starts,
        end=starts,
        max_duration=12.0,
        service_times=np.where(prizes > 0, 0.3, 0.0),
        arc_costs=travel * 0.05,
        allowed=allowed,
    )


def test_routes_of_one_class_share_start_end_times_and_mask() -> None:
    problem = month_of_days(0, days=4, masks=True)
    assert problem.route_classes() == [0] * 4 + [1] * 4 + [2] * 4
    other = make_problem(
        problem.travel,
        problem.prizes,
        n_routes=3,
        start=[30, 30, 30],
        end=[30, 30, 31],  # another end
        max_duration=[12.0, 11.0, 12.0],  # another deadline
    )
    assert other.route_classes() == [0, 1, 2]


def test_a_problem_with_some_routes_keeps_its_nodes_and_those_routes() -> None:
    problem = month_of_days(1, days=4, masks=True)
    fewer = problem.with_routes([0, 5, 9])
    assert fewer.n_routes == 3 and fewer.n_nodes == problem.n_nodes
    assert fewer.starts == (problem.starts[0], problem.starts[5], problem.starts[9])
    assert fewer.allowed is not None and problem.allowed is not None
    assert np.array_equal(fewer.allowed, problem.allowed[[0, 5, 9]])
    assert np.array_equal(fewer.customers, problem.customers)


@pytest.mark.parametrize("masks", [False, True], ids=["open", "masked"])
def test_the_search_keeps_twice_the_days_the_construction_fills_plus_two(masks: bool) -> None:
    problem = month_of_days(2, days=12, masks=masks)
    kept = search._twins_kept(problem, search._FirstConstruction(problem))
    assert kept is not None and kept == sorted(kept)
    state = search._State(search._Context(problem))
    search._insert_greedy(state, None, 0.0)
    classes = problem.route_classes()
    for k in range(3):
        used = sum(len(s) > 2 for r, s in enumerate(state.seqs) if classes[r] == k)
        mine = [r for r in kept if classes[r] == k]
        assert 0 < used < 12
        assert len(mine) == min(12, 2 * used + 2)
        assert mine == [r for r in range(problem.n_routes) if classes[r] == k][: len(mine)]


def test_few_twins_are_all_searched() -> None:
    # four routes of one class (a TOP benchmark's vehicles) are never pruned
    problem = month_of_days(3, days=4)
    assert search._twins_kept(problem, search._FirstConstruction(problem)) is None


@pytest.mark.parametrize("seed", range(3))
def test_a_pruned_search_answers_every_route_feasibly_and_deterministically(seed: int) -> None:
    problem = month_of_days(seed, days=12, masks=seed == 1)
    params = SearchParams(prune_twins=True, pair_moves=True, cost_moves=True)
    kept = search._twins_kept(problem, search._FirstConstruction(problem))
    assert kept is not None
    first = solve(problem, time_limit=60, seed=seed, max_iterations=60, params=params)
    again = solve(problem, time_limit=60, seed=seed, max_iterations=60, params=params)
    assert first.routes == again.routes
    assert len(first.routes) == problem.n_routes
    assert first.feasible, check(problem, first.routes)
    for r in set(range(problem.n_routes)) - set(kept):
        assert len(first.routes[r]) == 2  # a route left out of the search stays unused
    whole = solve(problem, time_limit=60, seed=seed, max_iterations=60)
    assert first.visited >= 0.97 * whole.visited


def test_a_days_visits_move_to_an_empty_day_of_a_nearer_base() -> None:
    # base A at 0, base B at 10 on a line; A's route visits 8 and 9, next to B; B is idle
    xs = np.array([0.0, 10.0, 8.0, 9.0])
    travel = np.abs(xs[:, None] - xs[None, :])
    problem = make_problem(
        travel,
        [0.0, 0.0, 5.0, 5.0],
        n_routes=3,
        start=[0, 1, 1],
        end=[0, 1, 1],
        max_duration=30.0,
        arc_costs=travel * 0.1,
    )
    state = search._State(search._Context(problem))
    state.seqs[0] = [0, 2, 3, 0]
    for node in (2, 3):
        state.route_of[state.ctx.column[node]] = 0
    state.score = 10.0
    assert state.refresh(0)
    before = state.total_duration()
    assert search._cross_between(state)
    assert state.seqs[0] == [0, 0]
    assert sorted(state.seqs[1][1:-1] + state.seqs[2][1:-1]) == [2, 3]
    assert state.total_duration() < before - 1e-9
    assert state.value == pytest.approx(10.0 - 0.1 * 4)  # B -> 9 -> 8 -> B (or back)
