"""A large covered problem searched in parts, its bases in groups (``SearchParams.split_above``,
planner/orienteering/_split.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.orienteering import SearchParams, check, make_problem
from planner.orienteering import _search as search
from planner.orienteering import _split as split
from planner.orienteering.problem import Problem


def two_towns(seed: int, *, customers: int, max_duration: float, days: int = 3) -> Problem:
    """Eight bases, four around (0, 0) and four around (100, 0), each with ``days``
    interchangeable routes; the customers around them, half in each town; travel in the
    plane and a cost per unit of travel."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [100.0, 0.0]])
    xy_customers = centres[np.arange(customers) % 2] + rng.uniform(-10, 10, size=(customers, 2))
    xy_bases = centres[np.arange(8) // 4] + rng.uniform(-5, 5, size=(8, 2))
    xy = np.vstack([xy_customers, xy_bases])
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = np.r_[rng.integers(5, 20, size=customers).astype(float), np.zeros(8)]
    bases = [customers + b for b in range(8) for _ in range(days)]
    return make_problem(
        travel,
        prizes,
        n_routes=len(bases),
        start=bases,
        end=bases,
        max_duration=max_duration,
        service_times=np.where(prizes > 0, 1.0, 0.0),
        arc_costs=travel * 0.05,
    )


PARAMS = SearchParams(pair_moves=True, cost_moves=True, prune_twins=True, split_above=20)


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups of about 10 visits, and a split from 10 iterations on (the test's problems are
    small)."""
    monkeypatch.setattr(split, "GROUP_SIZE", 10)
    monkeypatch.setattr(split, "MIN_ITERATIONS", 10)


def test_the_bases_of_two_towns_fall_in_separate_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """No visit yet: each base weighs 1, and a group is cut again above 1.5 x 3 = 4.5."""
    monkeypatch.setattr(split, "GROUP_SIZE", 3)
    problem = two_towns(1, customers=40, max_duration=200.0)
    routes = [[problem.starts[r], problem.ends[r]] for r in range(problem.n_routes)]
    groups = split.base_groups(problem, routes)
    assert sorted(map(sorted, groups)) == [[40, 41, 42, 43], [44, 45, 46, 47]]
    assert split.base_groups(problem, routes) == groups  # deterministic
    monkeypatch.setattr(split, "GROUP_SIZE", 2)  # then in twos, never across the towns
    pairs = split.base_groups(problem, routes)
    assert len(pairs) == 4 and all(len({b >= 44 for b in pair}) == 1 for pair in pairs)


def test_a_part_keeps_its_routes_values(small_parts: None) -> None:
    problem = two_towns(1, customers=40, max_duration=200.0)
    out = search.run(
        problem, seed=1, time_limit=None, max_iterations=10, params=replace(PARAMS, split_above=0)
    )
    town = [44, 45, 46, 47]
    sub, kept, nodes = split.part(problem, out.routes, town)
    assert kept == [r for r in range(problem.n_routes) if problem.starts[r] in town]
    assert sub.n_routes == len(kept)
    index = {v: i for i, v in enumerate(nodes)}
    for r in kept:
        local = [index[v] for v in out.routes[r]]
        assert split.route_value(sub, local) == pytest.approx(
            split.route_value(problem, out.routes[r])
        )
    visited = {v for r in kept for v in out.routes[r][1:-1]}
    assert set(nodes) == visited | set(town)


def test_a_large_covered_problem_is_searched_in_parts(small_parts: None) -> None:
    """40 customers, every one visited by the first construction: the walk over the whole
    takes 10 of the 20 iterations, each group a walk of 2 x 10; the routes are feasible,
    every customer is visited once, and the same seed gives the same routes."""
    problem = two_towns(1, customers=40, max_duration=200.0)
    out = search.run(problem, seed=3, time_limit=None, max_iterations=20, params=PARAMS)
    assert out.iterations > 20  # the parts' walks come on top of the whole's 10
    feasible, _, problems = check(problem, out.routes)
    assert feasible and problems == []
    visits = [v for route in out.routes for v in route[1:-1]]
    assert sorted(visits) == list(range(40))
    again = search.run(problem, seed=3, time_limit=None, max_iterations=20, params=PARAMS)
    assert again.routes == out.routes
    whole = search.run(
        problem, seed=3, time_limit=None, max_iterations=10, params=replace(PARAMS, split_above=0)
    )
    assert out.value >= whole.value - 1e-9  # the parts only replace routes when they gain


def test_a_problem_with_customers_left_out_is_not_split(small_parts: None) -> None:
    """A short day: the first construction leaves customers out (choosing them is the
    problem); without ``split_selective`` one walk searches it, as without the setting."""
    problem = two_towns(2, customers=40, max_duration=25.0, days=1)
    out = search.run(problem, seed=1, time_limit=None, max_iterations=20, params=PARAMS)
    plain = search.run(
        problem, seed=1, time_limit=None, max_iterations=20, params=replace(PARAMS, split_above=0)
    )
    assert out.routes == plain.routes and out.iterations == plain.iterations
    assert len([v for route in out.routes for v in route[1:-1]]) < 40


@pytest.fixture
def small_selective_parts(monkeypatch: pytest.MonkeyPatch, small_parts: None) -> None:
    monkeypatch.setattr(split, "SELECTIVE_GROUP_SIZE", 5)


def test_with_split_selective_customers_left_out_are_searched_in_parts(
    small_selective_parts: None,
) -> None:
    """The same short day with ``split_selective``: the whole walk keeps to half the
    iterations, each part walks as many as the other half; the routes are feasible, no
    customer is visited twice, the same seed gives the same routes, and the parts only
    replace routes when they gain."""
    problem = two_towns(2, customers=40, max_duration=25.0, days=1)
    params = replace(PARAMS, split_selective=True)
    out = search.run(problem, seed=1, time_limit=None, max_iterations=20, params=params)
    feasible, _, problems = check(problem, out.routes)
    assert feasible and problems == []
    visits = [v for route in out.routes for v in route[1:-1]]
    assert len(visits) == len(set(visits)) < 40
    assert out.iterations > 20  # 10 on the whole, 10 per part
    again = search.run(problem, seed=1, time_limit=None, max_iterations=20, params=params)
    assert again.routes == out.routes
    half = search.run(
        problem,
        seed=1,
        time_limit=None,
        max_iterations=10,
        params=replace(PARAMS, full_routes_factor=1.0, full_routes_stall=0, split_above=0),
    )
    assert out.value >= half.value - 1e-9


def test_with_full_routes_work_the_parts_keep_to_the_work_the_whole_walk_left(
    small_selective_parts: None,
) -> None:
    """Without a work limit, a part whose routes are full lengthens its search
    (``full_routes_factor``) only until its share of ``full_routes_work``: the whole search
    spends far less than the parts would without the cap."""
    problem = two_towns(2, customers=40, max_duration=25.0, days=1)
    params = replace(PARAMS, split_selective=True, full_routes_factor=8.0, full_routes_stall=0)
    uncapped = search.run(problem, seed=1, time_limit=None, max_iterations=20, params=params)
    capped = search.run(
        problem,
        seed=1,
        time_limit=None,
        max_iterations=20,
        params=replace(params, full_routes_work=uncapped.work / 4),
    )
    assert capped.work < uncapped.work / 2
    feasible, _, problems = check(problem, capped.routes)
    assert feasible and problems == []


def test_the_customers_left_out_go_to_the_group_of_their_nearest_base() -> None:
    """No route visits yet: every customer is left out and goes to its town's group; one
    no route may visit goes nowhere."""
    problem = two_towns(1, customers=40, max_duration=200.0)
    allowed = np.ones((problem.n_routes, problem.n_nodes), dtype=np.bool_)
    allowed[:, 7] = False
    problem = make_problem(
        problem.travel,
        problem.prizes,
        n_routes=problem.n_routes,
        start=list(problem.starts),
        end=list(problem.ends),
        max_duration=list(problem.max_durations),
        service_times=problem.service_times,
        arc_costs=problem.arc_costs,
        allowed=allowed,
    )
    routes = [[problem.starts[r], problem.ends[r]] for r in range(problem.n_routes)]
    groups = [[40, 41, 42, 43], [44, 45, 46, 47]]
    left_out = split.unvisited_by_group(problem, routes, groups)
    assert left_out[0] == [c for c in range(0, 40, 2) if c != 7]  # even: the town at (0, 0)
    assert left_out[1] == [c for c in range(1, 40, 2) if c != 7]
    routes[0] = [problem.starts[0], 0, 2, problem.ends[0]]
    assert split.unvisited_by_group(problem, routes, groups)[0][:2] == [4, 6]


@pytest.mark.parametrize(("split_above", "iterations"), [(40, 20), (20, 9)])
def test_a_small_problem_or_a_short_search_is_not_split(
    small_parts: None, split_above: int, iterations: int
) -> None:
    """40 candidates are not more than 40; 9 iterations are under the minimum (10 here)."""
    problem = two_towns(1, customers=40, max_duration=200.0)
    params = replace(PARAMS, split_above=split_above)
    out = search.run(problem, seed=1, time_limit=None, max_iterations=iterations, params=params)
    plain = search.run(
        problem,
        seed=1,
        time_limit=None,
        max_iterations=iterations,
        params=replace(PARAMS, split_above=0),
    )
    assert out.routes == plain.routes and out.iterations == plain.iterations


def test_the_setting_is_a_count() -> None:
    with pytest.raises(ValueError, match="split_above: expected a number >= 0, got -1"):
        SearchParams(split_above=-1)


def test_with_a_work_limit_each_part_searches_until_its_share(small_parts: None) -> None:
    """``work_limit`` (the plan is the core's routes): past their iterations the parts' walks
    go on until the work the whole walk left, shared by their candidates, is spent."""
    problem = two_towns(1, customers=40, max_duration=200.0)
    plain = search.run(problem, seed=3, time_limit=None, max_iterations=20, params=PARAMS)
    assert plain.work > 0
    limited = replace(PARAMS, work_limit=plain.work * 3)
    longer = search.run(problem, seed=3, time_limit=None, max_iterations=20, params=limited)
    assert longer.iterations > plain.iterations
    assert plain.work * 3 <= longer.work < plain.work * 4
    feasible, _, problems = check(problem, longer.routes)
    assert feasible and problems == []
    assert sorted(v for route in longer.routes for v in route[1:-1]) == list(range(40))
    again = search.run(problem, seed=3, time_limit=None, max_iterations=20, params=limited)
    assert again.routes == longer.routes


def test_the_whole_problem_is_constructed_once(
    small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The split's check (is the first construction covered?), the twins kept and the walk
    over the whole problem share one first construction; each part has its own (six days a
    base: more than four twins, so the twins are counted on a construction)."""
    problem = two_towns(1, customers=40, max_duration=200.0, days=6)
    made: list[Problem] = []
    original = search._FirstConstruction.state.fget
    assert original is not None

    def counted(self: search._FirstConstruction) -> search._State:
        if self._state is None:
            made.append(self.problem)
        return original(self)

    monkeypatch.setattr(search._FirstConstruction, "state", property(counted))
    before = search.run(problem, seed=1, time_limit=None, max_iterations=20, params=PARAMS)
    assert sum(p is problem for p in made) == 1
    assert len(made) > 1  # the parts' own
    monkeypatch.undo()
    after = search.run(problem, seed=1, time_limit=None, max_iterations=20, params=PARAMS)
    assert after.routes == before.routes  # counting changes nothing


def test_each_part_is_searched_by_walks_whatever_its_size(
    small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a work limit and walks (``islands``), every part's search is the walks', though
    each part (and the whole) has fewer candidates than ``islands_above``: a part's share of
    the work is too little for one walk to settle (benchmarks/RESULTS.md, section 5x). The
    walk over the whole, before the parts, stays one walk."""
    problem = two_towns(1, customers=40, max_duration=200.0)
    plain = search.run(problem, seed=3, time_limit=None, max_iterations=20, params=PARAMS)
    params = replace(
        PARAMS,
        work_limit=plain.work * 3,
        pool_size=500,
        recombine_every=5,
        recombine_work=0.05,
        islands=2,
        islands_above=1000,
    )
    walks: list[tuple[int, bool]] = []
    island_walks = search._island_walks

    def recorded(sub: Problem, *args, **kwargs):  # type: ignore[no-untyped-def]
        outcome = island_walks(sub, *args, **kwargs)
        walks.append((split.candidates(sub), outcome is not None))
        return outcome

    monkeypatch.setattr(search, "_island_walks", recorded)
    out = search.run(problem, seed=3, time_limit=None, max_iterations=20, params=params)
    parts = [n for n, walked in walks if n < 40]
    assert len(parts) >= 2 and all(walked for n, walked in walks if n < 40)
    assert all(n < 40 for n, _ in walks)  # the whole problem's walk, before: one walk
    feasible, _, problems = check(problem, out.routes)
    assert feasible and problems == []
    assert sorted(v for route in out.routes for v in route[1:-1]) == list(range(40))
