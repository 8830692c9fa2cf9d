"""The longer search on full routes keeps to a counted amount of work
(``SearchParams.full_routes_work``, planner/orienteering/_search.py)."""

from __future__ import annotations

from dataclasses import replace

from planner.orienteering import SearchParams, check
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
