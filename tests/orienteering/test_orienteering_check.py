"""check(): one test per rule it enforces, on a four-node line."""

from __future__ import annotations

import numpy as np
import pytest

from planner.orienteering import check, make_problem


def line(*, windows: bool = False, max_duration: float = 3.0, n_routes: int = 1):
    """Nodes 0..3 on a line one apart; 0 is the start, 3 the end, prizes 0, 5, 7, 0."""
    xs = np.arange(4.0)
    travel = np.abs(xs[:, None] - xs[None, :])
    tw = [[0, 10], [0, 1.5], [0, 2.5], [0, 10]] if windows else None
    return make_problem(
        travel,
        [0, 5, 7, 0],
        n_routes=n_routes,
        start=0,
        end=3,
        max_duration=max_duration,
        time_windows=tw,
    )


def test_a_route_within_budget_is_feasible_and_scored() -> None:
    feasible, score, problems = check(line(), [[0, 1, 2, 3]])
    assert feasible and score == 12 and problems == []


def test_an_over_budget_route_is_caught() -> None:
    feasible, _, problems = check(line(max_duration=2.5), [[0, 1, 2, 3]])
    assert not feasible
    assert any("exceeds max" in p for p in problems)


def test_the_budget_has_a_float_tolerance_of_one_millionth() -> None:
    assert check(line(max_duration=3.0 - 1e-7), [[0, 1, 2, 3]])[0]
    assert not check(line(max_duration=3.0 - 1e-5), [[0, 1, 2, 3]])[0]


def test_a_node_visited_twice_is_caught_and_scored_once() -> None:
    feasible, score, problems = check(line(n_routes=2, max_duration=10), [[0, 1, 3], [0, 1, 2, 3]])
    assert not feasible and score == 12
    assert any("already visited" in p for p in problems)


def test_a_wrong_start_or_end_is_caught() -> None:
    feasible, _, problems = check(line(), [[1, 2, 3]])
    assert not feasible and any("starts at 1" in p for p in problems)
    feasible, _, problems = check(line(), [[0, 1, 2]])
    assert not feasible and any("ends at 2" in p for p in problems)


def test_a_depot_in_the_middle_is_not_a_customer() -> None:
    feasible, _, problems = check(line(max_duration=10), [[0, 3, 1, 3]])
    assert not feasible and any("not a customer" in p for p in problems)


def test_a_late_arrival_breaks_the_time_window() -> None:
    # node 1 closes at 1.5 but is reached at 3 when node 2 comes first
    assert check(line(windows=True, max_duration=10), [[0, 1, 2, 3]])[0]
    feasible, _, problems = check(line(windows=True, max_duration=10), [[0, 2, 1, 3]])
    assert not feasible
    assert [p for p in problems if "after its close" in p] == [
        "route 0: arrives at node 1 at 3.000000, after its close 1.500000"
    ]


def test_waiting_for_an_opening_counts_in_the_duration() -> None:
    problem = make_problem(
        [[0, 1, 2], [1, 0, 1], [2, 1, 0]],
        [0, 4, 0],
        n_routes=1,
        start=0,
        end=2,
        max_duration=3.5,
        time_windows=[[0, 9], [2, 9], [0, 9]],
    )
    # arrive at 1, wait to 2, arrive at the end at 3
    assert check(problem, [[0, 1, 2]])[0]
    problem = make_problem(
        problem.travel,
        problem.prizes,
        n_routes=1,
        start=0,
        end=2,
        max_duration=2.5,
        time_windows=problem.time_windows,
    )
    assert not check(problem, [[0, 1, 2]])[0]


def test_the_wrong_number_of_routes_is_caught() -> None:
    feasible, _, problems = check(line(n_routes=2), [[0, 1, 2, 3]])
    assert not feasible and any("expected 2 routes" in p for p in problems)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"travel": [[0, 1], [1, 0], [2, 2]]}, "travel"),
        ({"prizes": [1, 2]}, "prizes"),
        ({"start": [0, 0, 0]}, "start"),
        ({"end": 9}, "end"),
        ({"max_duration": -1.0}, "max_duration"),
        ({"time_windows": [[0, 1], [2, 1], [0, 1], [0, 1]]}, "time_windows"),
    ],
)
def test_bad_input_fails_with_a_message_naming_the_field(kwargs: dict, field: str) -> None:
    args = {
        "travel": np.ones((4, 4)) - np.eye(4),
        "prizes": [0, 1, 1, 0],
        "n_routes": 2,
        "start": 0,
        "end": 3,
        "max_duration": 5.0,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=field):
        make_problem(**args)


def test_a_problem_is_immutable() -> None:
    problem = line()
    with pytest.raises(ValueError):
        problem.travel[0, 1] = 5.0
    with pytest.raises(AttributeError):
        problem.starts = (1,)  # type: ignore[misc]


def test_a_route_with_no_visits_is_an_unused_vehicle_even_when_the_direct_trip_is_too_long() -> (
    None
):
    problem = line(max_duration=2.0)  # start to end alone takes 3
    feasible, score, problems = check(problem, [[0, 3]])
    assert feasible and score == 0 and problems == []
    assert not check(problem, [[0, 1, 3]])[0]
