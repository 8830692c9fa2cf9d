"""The longer search on full routes keeps to a counted amount of work
(``SearchParams.full_routes_work``, planner/orienteering/_search.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.orienteering import SearchParams, check, solve
from planner.orienteering import _search as search
from tests.orienteering.test_orienteering_walks import three_bases

LONGER = SearchParams(full_routes_factor=3.0, pair_moves=True)


def _run(work: float, stall: int = 0) -> search.SearchOutcome:
    problem = three_bases(4, customers=60, max_duration=15.0)
    params = replace(LONGER, full_routes_work=work, full_routes_stall=stall)
    return search.run(problem, seed=2, time_limit=None, max_iterations=20, params=params)


def test_the_work_is_counted_and_the_same_on_every_run() -> None:
    free = _run(0.0)
    assert free.lengthened and free.iterations == 60
    assert free.work > 0
    again = _run(0.0)
    assert again.work == free.work and again.routes == free.routes


def test_the_public_solve_reports_the_search_work() -> None:
    problem = three_bases(4, customers=60, max_duration=15.0)
    result = solve(problem, time_limit=1e9, seed=2, max_iterations=20, params=LONGER)
    assert result.work == _run(0.0).work > 0
    assert result.iterations == 60


def test_the_lengthened_search_ends_at_the_work_limit() -> None:
    free = _run(0.0)
    capped = _run(free.work / 2)
    assert 20 <= capped.iterations < 60
    assert capped.work >= free.work / 2  # it ends on the first iteration past the limit
    assert capped.work < free.work
    assert check(three_bases(4, customers=60, max_duration=15.0), capped.routes)[0]
    assert _run(free.work / 2).routes == capped.routes  # counted, not timed: reproducible


def test_the_iterations_asked_for_are_always_made() -> None:
    tiny = _run(1e-9)  # less than the first iteration's work: only the extension is cut
    assert tiny.iterations == 20
    assert not _run(1e-9, stall=5).iterations > 20  # no new walk once the work is spent


def test_a_limit_above_the_search_changes_nothing() -> None:
    free = _run(0.0)
    roomy = _run(free.work * 10)
    assert roomy.routes == free.routes and roomy.iterations == free.iterations


# --- the work limit (``SearchParams.work_limit``): the time is the search's --------------------


def _covered(work: float) -> search.SearchOutcome:
    """Every customer fits (a long day): the walk has only the driving left to gain."""
    problem = three_bases(4, customers=30, max_duration=200.0)
    params = SearchParams(pair_moves=True, work_limit=work)
    return search.run(problem, seed=2, time_limit=None, max_iterations=20, params=params)


def test_a_covered_walk_goes_on_until_its_work_limit() -> None:
    plain = _covered(0.0)
    assert plain.iterations == 20  # converged: it stops at its iterations
    longer = _covered(plain.work * 4)
    assert longer.iterations > 40
    assert plain.work * 4 <= longer.work < plain.work * 4 + plain.work / 2
    assert longer.value >= plain.value - 1e-9  # the best of a longer walk
    assert _covered(plain.work * 4).routes == longer.routes  # counted: reproducible


def test_the_work_limit_never_cuts_the_iterations_asked_for() -> None:
    assert _covered(1e-9).iterations == 20


def test_full_routes_start_new_walks_until_the_work_limit() -> None:
    problem = three_bases(4, customers=60, max_duration=15.0)
    params = replace(LONGER, full_routes_stall=5)
    one = search.run(problem, seed=2, time_limit=None, max_iterations=20, params=params)
    limited = replace(params, work_limit=one.work * 3)
    more = search.run(problem, seed=2, time_limit=None, max_iterations=20, params=limited)
    assert more.iterations > one.iterations and more.work >= one.work * 3
    assert more.value >= one.value - 1e-9  # the first walk is the same; the best is kept
    assert check(problem, more.routes)[0]


def test_the_recombinations_count_as_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """CP-SAT's deterministic time in the recombinations (``SOLVER_WORK`` per unit) is part
    of the work, so a work limit also keeps the recombinations' time in check (a huge
    ``SOLVER_WORK`` makes it outweigh the re-timed routes)."""
    monkeypatch.setattr(search, "SOLVER_WORK", 1e9)
    problem = three_bases(4, customers=30, max_duration=200.0)
    pool = search.RoutePool(problem, 2_000)
    pool.add(0, [problem.starts[0], 0, problem.ends[0]], 1.0)
    routes = [[problem.starts[r], problem.ends[r]] for r in range(problem.n_routes)]
    assert pool.best_combination(routes, [0.0] * 3, work_limit=1.0, seed=1) is not None
    assert pool.work > 0
    ctx = search._Context(problem)
    best = search._state_of(ctx, routes)
    before, spent = ctx.work, pool.work
    search._recombined(pool, best, 1.0, 1, pairs=False)
    assert pool.work > spent
    assert ctx.work - before >= 1e9 * (pool.work - spent) > 0
