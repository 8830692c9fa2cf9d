"""A visit in a team's base's own commune on a day of its own (``SearchParams.home_days``,
planner/orienteering/_search.py, ``_home_days``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.orienteering import SearchParams, check, make_problem
from planner.orienteering import _search as search
from planner.orienteering.problem import Problem

# nodes on a line: the base's own commune H at the base, A and C out at 30 and 31, the base
H, A, C, BASE = 0, 1, 2, 3
POSITIONS = np.array([0.0, 30.0, 31.0, 0.0])


def line(*, allowed: list[list[bool]] | None = None, windows: bool = False) -> Problem:
    """Three routes of 110 minutes from the base; H takes 30 minutes there, A and C 10.
    By default H may go on routes 0 and 2, A on route 0 only, C on routes 0 and 1."""
    travel = np.abs(POSITIONS[:, None] - POSITIONS[None, :])
    if allowed is None:
        allowed = [
            [True, True, True, False],
            [False, False, True, False],
            [True, False, False, False],
        ]
    return make_problem(
        travel,
        [5.0, 5.0, 5.0, 0.0],
        n_routes=3,
        start=BASE,
        end=BASE,
        max_duration=110.0,
        service_times=[30.0, 10.0, 10.0, 0.0],
        arc_costs=travel * 0.1,
        allowed=allowed,
        time_windows=[[0.0, 200.0]] * 4 if windows else None,
    )


def searched(problem: Problem, routes: list[list[int]], home_days: bool) -> search._State:
    ctx = search._Context(problem, home_days=home_days)
    state = search._state_of(ctx, routes)
    search._local_search(state, set(range(ctx.n_routes)))
    return state


# route 0 is full (H, A: 100 of 110 minutes) and C, next to A, is driven to on a day of its own
START = [[BASE, H, A, BASE], [BASE, C, BASE], [BASE, BASE]]


def test_the_home_visit_gets_a_day_of_its_own_and_its_time_takes_a_visit() -> None:
    problem = line()
    before = searched(problem, START, home_days=False)
    assert before.routes() == START  # stuck: C does not fit beside H and A, A may go nowhere
    after = searched(problem, START, home_days=True)
    day, empty, home = after.routes()
    assert sorted(day[1:-1]) == [A, C] and empty == [BASE, BASE] and home == [BASE, H, BASE]
    assert after.score == before.score
    assert after.value == pytest.approx(before.value + 0.1 * 60)  # C's drive out and back
    assert check(problem, after.routes())[0]


def test_the_move_alone_keeps_the_value_and_the_time() -> None:
    problem = line(
        allowed=[
            [True, True, False, False],
            [False, False, True, False],
            [True, False, False, False],
        ]
    )
    state = search._state_of(search._Context(problem, home_days=True), START)
    value, minutes = state.value, state.total_duration()
    assert search._home_days(state) == {0, 2}
    assert state.routes() == [[BASE, A, BASE], [BASE, C, BASE], [BASE, H, BASE]]
    assert state.value == pytest.approx(value)
    assert state.total_duration() == pytest.approx(minutes)
    assert search._home_days(state) == set()  # alone already: nothing more


@pytest.mark.parametrize(
    "problem, routes",
    [
        # no unused route where H may go
        (
            line(allowed=[[True, True, True, False], [False, False, True, False], [False] * 4]),
            START,
        ),
        # the only unused route is taken by C's day
        (line(), [[BASE, H, A, BASE], [BASE, BASE], [BASE, C, BASE]]),
        # H alone on its day already
        (line(), [[BASE, H, BASE], [BASE, C, BASE], [BASE, A, BASE]]),
    ],
)
def test_no_move_without_an_unused_route_or_a_shared_one(
    problem: Problem, routes: list[list[int]]
) -> None:
    state = search._state_of(search._Context(problem, home_days=True), routes)
    assert search._home_days(state) == set()
    assert state.routes() == routes


def test_off_by_default_and_with_time_windows() -> None:
    assert not search._Context(line()).home_routes
    assert search._Context(line(), home_days=True).home_routes == {0: [0, 2]}
    assert not search._Context(line(windows=True), home_days=True).home_routes


def test_the_search_with_home_days_is_deterministic_and_feasible() -> None:
    rng = np.random.default_rng(3)
    xy = np.vstack([rng.uniform(0, 40, size=(30, 2)), [[20.0, 20.0]] * 2, [[0.0, 0.0]]])
    xy[0] = xy[-3]  # a base's own commune
    xy[1] = xy[-1]  # and the other's
    travel = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2))
    prizes = np.r_[rng.integers(5, 20, size=30).astype(float), 0.0, 0.0, 0.0]
    bases = [30] * 4 + [32] * 4
    problem = make_problem(
        travel,
        prizes,
        n_routes=8,
        start=bases,
        end=bases,
        max_duration=120.0,
        service_times=np.r_[np.full(30, 8.0), 0.0, 0.0, 0.0],
        arc_costs=travel * 0.05,
    )
    params = replace(SearchParams(pair_moves=True, cost_moves=True), home_days=True)
    first = search.run(problem, seed=2, time_limit=None, max_iterations=60, params=params)
    again = search.run(problem, seed=2, time_limit=None, max_iterations=60, params=params)
    assert first.routes == again.routes
    assert check(problem, first.routes)[0]
    visited = [v for route in first.routes for v in route[1:-1]]
    assert len(visited) == len(set(visited))


def test_no_move_while_a_visit_worth_making_is_left_out() -> None:
    """D (15 minutes at 29, worth less than H) fits on route 0 only without H: choosing the
    visits is then the problem, and the move is left to the covered searches (it derailed the
    short campaigns' walks, benchmarks/RESULTS.md section 5m)."""
    positions = np.array([0.0, 30.0, 31.0, 29.0, 0.0])
    travel = np.abs(positions[:, None] - positions[None, :])
    base = 4
    problem = make_problem(
        travel,
        [6.0, 5.0, 5.0, 5.0, 0.0],
        n_routes=3,
        start=base,
        end=base,
        max_duration=110.0,
        service_times=[30.0, 10.0, 10.0, 15.0, 0.0],
        arc_costs=travel * 0.1,
        allowed=[
            [True, True, True, True, False],
            [False, False, True, False, False],
            [True, False, False, False, False],
        ],
    )
    routes = [[base, H, A, base], [base, C, base], [base, base]]
    state = searched(problem, routes, home_days=True)
    assert state.routes() == routes
