"""Walks that share a route pool and cross their bests when only the driving is left
(``SearchParams.islands``, planner/orienteering/_search.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from planner.orienteering import SearchParams, check, make_problem
from planner.orienteering import _search as search
from planner.orienteering.problem import Problem


def two_teams(seed: int, *, customers: int, days: int, max_duration: float) -> Problem:
    """Two bases, ``days`` interchangeable routes from each (a team's days), customers in
    the plane, a cost per unit of travel."""
    rng = np.random.default_rng(seed)
    n = customers + 2
    xy = rng.uniform(0, 10, size=(n, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = rng.integers(5, 20, size=n).astype(float)
    bases = [n - 2, n - 1]
    prizes[bases] = 0
    starts = [bases[0]] * days + [bases[1]] * days
    return make_problem(
        travel,
        prizes,
        n_routes=2 * days,
        start=starts,
        end=starts,
        max_duration=max_duration,
        service_times=np.where(prizes > 0, 0.5, 0.0),
        arc_costs=travel * 0.05,
    )


COVERED = two_teams(3, customers=40, days=4, max_duration=40.0)
ISLANDS = SearchParams(
    pair_moves=True, pool_size=2000, recombine_every=5, recombine_work=0.2, islands=3
)


def _run(problem: Problem, params: SearchParams) -> search.SearchOutcome:
    return search.run(problem, seed=1, time_limit=None, max_iterations=20, params=params)


def test_the_walks_search_until_their_iterations_and_work_are_spent() -> None:
    one = _run(COVERED, replace(ISLANDS, islands=0, work_limit=1e-9))
    limit = 3 * one.work
    out = _run(COVERED, replace(ISLANDS, work_limit=limit))
    assert out.iterations >= 20 and out.work >= limit
    assert out.iterations % ISLANDS.recombine_every == 0  # whole turns of the walks
    feasible, _, problems = check(COVERED, out.routes)
    assert feasible and problems == []
    again = _run(COVERED, replace(ISLANDS, work_limit=limit))
    assert again.routes == out.routes and again.work == out.work  # counted: reproducible


def test_without_a_work_limit_one_walk_searches() -> None:
    """The walks spend a work limit; without one the search is the single walk's."""
    out = _run(COVERED, ISLANDS)
    assert out.routes == _run(COVERED, replace(ISLANDS, islands=0)).routes


def test_when_the_routes_are_full_one_walk_searches() -> None:
    """Choosing whom to leave out is another problem: the walks apply only when the first
    construction visits everyone."""
    full = two_teams(3, customers=40, days=2, max_duration=8.0)
    params = replace(ISLANDS, work_limit=0.05)
    assert search._routes_full(search._FirstConstruction(full).state)
    assert _run(full, params).routes == _run(full, replace(params, islands=0)).routes


def _state(problem: Problem, seed: int) -> search._State:
    ctx = search._Context(problem)
    state = search._State(ctx)
    search._insert_greedy(state, np.random.default_rng(seed), 0.5)
    search._local_search(state, set(range(ctx.n_routes)), pairs=True)
    return state


def test_a_crossing_takes_the_donors_routes_of_a_region_and_visits_everyone_once() -> None:
    receiver = _state(COVERED, 1)
    donor = _state(COVERED, 2)
    ctx = receiver.ctx
    params = replace(ISLANDS, crossing_reach=8)
    for col in range(0, ctx.nc, 5):
        child = search._crossed(receiver, donor, col, params)
        assert child is not None
        visits = [node for seq in child.seqs for node in seq[1:-1]]
        assert len(visits) == len(set(visits)) == ctx.nc  # everyone, once
        feasible, _, problems = check(COVERED, child.routes())
        assert feasible and problems == []
        region = {int(ctx.nodes[c]) for c in ctx.near[col][:8]}
        # the donor's routes through the region are in the child, on a day of their team
        # (the local search may have reordered or extended them, never moved them away)
        for seq in donor.seqs:
            if any(node in region for node in seq[1:-1]):
                home = {child.route_of[ctx.column[node]] for node in seq[1:-1]}
                assert {COVERED.starts[r] for r in home} == {seq[0]}


def test_a_crossing_needs_an_empty_day_of_the_team() -> None:
    """One day per team: the donor's route through the region belongs to the other team,
    whose only day still holds the receiver's visits, so the crossing has nowhere to put it."""
    problem = two_teams(3, customers=40, days=1, max_duration=40.0)
    receiver = _state(problem, 1)
    ctx = receiver.ctx
    node = receiver.seqs[0][1]  # a visit of team 0's day
    donor = receiver.copy()
    donor.seqs[0] = [n for n in donor.seqs[0] if n != node]
    donor.seqs[1] = [*donor.seqs[1][:-1], node, donor.seqs[1][-1]]  # read only: not timed
    params = replace(ISLANDS, crossing_reach=1)
    assert search._crossed(receiver, donor, int(ctx.column[node]), params) is None
    # the same visit on the same team's day in the donor: its route takes the emptied day
    same = search._crossed(receiver, receiver, int(ctx.column[node]), params)
    assert same is not None and same.value >= receiver.value - 1e-9


def test_every_childs_routes_join_the_pool(monkeypatch) -> None:
    """A child is two good plans joined and polished: its days join the route pool for the
    next recombination whether or not it is the best child (or better than its walk)."""
    params = replace(ISLANDS, crossovers=6, crossing_reach=8)
    walks = [search._Walk(_state(COVERED, s), s, params) for s in (1, 2, 3)]
    made: list[search._State] = []
    crossed = search._crossed

    def recorded(*args, **kwargs):
        child = crossed(*args, **kwargs)
        if child is not None:
            made.append(child)
        return child

    monkeypatch.setattr(search, "_crossed", recorded)
    pool = search.RoutePool(COVERED, 10_000)
    best = search._best_child(walks, 0, np.random.default_rng(7), params, pool)
    assert best is not None and len(made) >= 2
    classes = COVERED.route_classes()
    pooled = {(k, nodes) for k, nodes in pool._columns}
    for child in made:
        for r, seq in enumerate(child.seqs):
            if len(seq) > 2:
                assert (classes[r], tuple(seq)) in pooled
    assert all(not child.better_than(best) for child in made)
