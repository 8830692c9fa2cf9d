"""The moves between two routes (swap one visit each, swap tails: 2-opt*) and the exchange
with unvisited nodes, which scan only what changed since their last scan, and the search's
longer run when its routes are full (planner/orienteering/_search.py)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from planner.orienteering import SearchParams, make_problem, solve
from planner.orienteering import _search as search
from planner.orienteering._kernels import swap_pairs

from .test_orienteering_solve import scattered


def depots_apart(
    n: int, seed: int, *, n_routes: int, budget: float, masks: bool, arc_cost: float = 0.0
):
    """Routes from three different bases (the last three nodes), each back to its own, as
    the campaign's teams; optionally per-route masks and a cost per unit of travel."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10, size=(n, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    prizes = rng.integers(1, 20, size=n).astype(float)
    bases = [n - 3, n - 2, n - 1]
    prizes[bases] = 0
    starts = [bases[r % 3] for r in range(n_routes)]
    allowed = None
    if masks:
        allowed = rng.random((n_routes, n)) < 0.7
    return make_problem(
        travel,
        prizes,
        n_routes=n_routes,
        start=starts,
        end=starts,
        max_duration=budget,
        service_times=rng.uniform(0, 0.5, size=n) * (prizes > 0),
        allowed=allowed,
        arc_costs=travel * arc_cost if arc_cost > 0 else None,
    )


def two_routes_with_arc_costs(budget: float):
    """Two routes over 40 scattered nodes (from node 0 to node 39), each arc costing 0.01
    per unit of travel: with a budget of 8 nodes worth a visit are left out, with 1000 none."""
    tight = scattered(40, 5, n_routes=2, budget=8.0)
    return make_problem(
        tight.travel,
        tight.prizes,
        n_routes=2,
        start=0,
        end=39,
        max_duration=budget,
        arc_costs=np.asarray(tight.travel) * 0.01,
    )


def constructed(problem) -> search._State:
    """A state after the greedy construction only."""
    state = search._State(search._Context(problem))
    search._insert_greedy(state, None, 0.0)
    return state


def local_optimum(problem, seed: int) -> search._State:
    """A state after construction, a few ruins and the local search with pair moves."""
    state = constructed(problem)
    rng = np.random.default_rng(seed)
    params = SearchParams(pair_moves=True)
    for _ in range(3):
        state = search._iterate(state, rng, params)
    return state


def visits(state: search._State) -> list[int]:
    return sorted(node for seq in state.seqs for node in seq[1:-1])


def durations_ok(state: search._State) -> bool:
    return all(
        state.duration[r] <= state.ctx.deadline[r] - state.ctx.t0[r] + 1e-6
        for r in range(state.ctx.n_routes)
    )


def assert_moved_soundly(
    state: search._State, before_visits: list[int], before_total: float
) -> None:
    """A move between routes kept every visit, shortened the total, kept every route on time,
    from its own start to its own end, and every visit in a route that may make it."""
    problem, ctx = state.ctx.problem, state.ctx
    assert visits(state) == before_visits
    assert state.total_duration() < before_total - 1e-9
    assert durations_ok(state)
    for r, seq in enumerate(state.seqs):
        assert seq[0] == problem.starts[r] and seq[-1] == problem.ends[r]
        for node in seq[1:-1]:
            assert state.route_of[ctx.column[node]] == r
            if problem.allowed is not None:
                assert problem.allowed[r, node]


@pytest.mark.parametrize("masks", [False, True], ids=["open", "masked"])
@pytest.mark.parametrize("move", ["_swap_between", "_cross_between"])
def test_a_pair_move_shortens_the_routes_and_keeps_every_visit_and_mask(
    move: str, masks: bool
) -> None:
    made = 0
    for seed in range(6):
        problem = depots_apart(40, seed, n_routes=6, budget=14.0, masks=masks)
        state = constructed(problem)  # far from 2-opt* optimal
        before_visits, before_total = visits(state), state.total_duration()
        if getattr(search, move)(state):
            made += 1
            assert_moved_soundly(state, before_visits, before_total)
    assert made > 0  # the test exercised the move


@pytest.mark.parametrize("seed", range(4))
def test_a_scan_of_only_the_changed_routes_misses_no_move(seed: int) -> None:
    # after the local search nothing improves; marking every route as changed and forgetting
    # the unvisited nodes already weighed must find nothing either
    problem = depots_apart(45, seed, n_routes=6, budget=12.0, masks=seed % 2 == 1)
    state = local_optimum(problem, seed)
    search._local_search(state, set(range(problem.n_routes)), True)
    every = set(range(problem.n_routes))
    for routes in state.unchecked.values():
        routes.update(every)
    state.exchange_seen = None
    assert not search._insert_greedy(state, None, 0.0)
    assert not search._relocate_between(state)
    assert not search._swap_between(state)
    assert not search._cross_between(state)
    assert not search._exchange(state)


def test_an_incremental_scan_makes_the_moves_a_full_scan_makes() -> None:
    # along a walk of ruins and repairs, the exchange that weighs only the changed routes
    # and the newly unvisited nodes makes the same moves as one that weighs everything
    compared = 0
    for seed in range(3):
        problem = depots_apart(50, seed, n_routes=6, budget=10.0, masks=seed == 1)
        state = local_optimum(problem, seed)
        rng = np.random.default_rng(seed)
        params = SearchParams()
        for _ in range(25):
            search._ruin(state, rng, params)
            search._insert_greedy(state, rng, 0.3)
            while True:
                full = state.copy()
                for routes in full.unchecked.values():
                    routes.update(range(problem.n_routes))
                full.exchange_seen = None
                made = search._exchange(state)
                assert made == search._exchange(full)
                assert state.seqs == full.seqs
                compared += 1
                if not made:
                    break
                for r in range(problem.n_routes):
                    search._shorten(state, r)
                search._insert_greedy(state, None, 0.0)
    assert compared > 50


def test_the_search_goes_on_when_its_routes_are_full() -> None:
    tight = scattered(40, 5, n_routes=2, budget=8.0)
    params = SearchParams(full_routes_factor=3.0)
    result = solve(tight, time_limit=60, seed=1, max_iterations=20, params=params)
    assert result.iterations == 60
    # every node fits: no reason to search longer (arc costs keep the search from stopping
    # as soon as everyone is visited)
    roomy = two_routes_with_arc_costs(1000.0)
    result = solve(roomy, time_limit=60, seed=1, max_iterations=20, params=params)
    assert result.iterations == 20


def test_pair_moves_are_deterministic_and_feasible_on_a_campaign_like_instance() -> None:
    problem = depots_apart(60, 11, n_routes=9, budget=15.0, masks=True)
    params = SearchParams(pair_moves=True, pool_size=2_000, recombine_every=10)
    one = solve(problem, time_limit=60, seed=3, max_iterations=30, params=params)
    two = solve(problem, time_limit=60, seed=3, max_iterations=30, params=params)
    assert one.feasible, one.problems
    assert one.routes == two.routes
    plain = solve(problem, time_limit=60, seed=3, max_iterations=30)
    assert plain.feasible
    # each route from its own base and back
    for r, route in enumerate(one.routes):
        assert route[0] == route[-1] == problem.starts[r]
    assert len(set(itertools.chain.from_iterable(r[1:-1] for r in one.routes))) == sum(
        len(r) - 2 for r in one.routes
    )


def test_a_push_makes_room_for_a_newcomer_and_keeps_every_route_on_time() -> None:
    # time windows: the local search has no move between routes; a push takes a visit out
    # of a route (moving it to another route when it fits there), puts an unvisited node in
    pushed = 0
    for seed in range(8):
        problem = scattered(40, seed, n_routes=3, budget=14.0, windows=True)
        state = constructed(problem)
        ctx = state.ctx
        search._local_search(state, set(range(problem.n_routes)))
        before_score = state.score
        kept = set(visits(state))
        if not search._push(state):
            continue
        pushed += 1
        assert state.score > before_score
        now = visits(state)
        assert len(now) == len(set(now))  # no node twice
        assert len(kept - set(now)) <= 1  # at most the visit dropped for the newcomer
        for r, seq in enumerate(state.seqs):
            feasible, _, problems = search_check(problem, seq, r)
            assert feasible, problems
            for node in seq[1:-1]:
                assert state.route_of[ctx.column[node]] == r
    assert pushed > 0


def search_check(problem, seq: list[int], r: int):
    """One route checked alone by the core's checker (other routes empty)."""
    from planner.orienteering import check

    routes = [[problem.starts[k], problem.ends[k]] for k in range(problem.n_routes)]
    routes[r] = list(seq)
    return check(problem, routes)


def test_the_time_windows_search_with_pushes_is_deterministic_and_feasible() -> None:
    problem = scattered(50, 4, n_routes=3, budget=14.0, windows=True)
    one = solve(problem, time_limit=60, seed=2, max_iterations=40)
    two = solve(problem, time_limit=60, seed=2, max_iterations=40)
    assert one.feasible, one.problems
    assert one.routes == two.routes


def test_pair_moves_on_empty_routes_find_nothing() -> None:
    # a day where no route has a visit yet (every node too far, or none left)
    problem = depots_apart(12, 1, n_routes=3, budget=0.5, masks=False)
    ctx = search._Context(problem)
    state = search._State(ctx)
    assert not search._swap_between(state)
    assert not search._cross_between(state)
    assert not search._exchange(state)
    result = solve(
        problem, time_limit=10, seed=1, max_iterations=5, params=SearchParams(pair_moves=True)
    )
    assert result.feasible and all(len(route) == 2 for route in result.routes)


def test_swapped_puts_the_newcomer_in_place_or_after_the_given_visit() -> None:
    seq = [90, 1, 2, 3, 4, 90]
    assert search._swapped(seq, 2, 7, None) == [90, 1, 7, 3, 4, 90]
    assert search._swapped(seq, 2, 7, 3) == [90, 1, 3, 7, 4, 90]  # after node 3
    assert search._swapped(seq, 3, 7, 0) == [90, 7, 1, 2, 4, 90]  # after the start
    assert search._swapped(seq, 1, 7, 4) == [90, 2, 3, 4, 7, 90]  # before the end


def in_place_only(*args: Any) -> Any:
    """:func:`swap_pairs` with no stored best place anywhere: each visit of a swap takes the
    other's place."""
    *head, ins_raw, ins_pos, allowed, tolerance, inf = args
    return swap_pairs(*head, np.full_like(ins_raw, np.inf), ins_pos, allowed, tolerance, inf)


def test_a_swap_may_put_each_visit_at_its_best_place_in_the_other_route(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # SWAP*: on states where no swap in place shortens the routes, swapping two visits each
    # into its best place in the other route still does, and keeps every visit on time
    found = 0
    for seed in range(12):
        problem = depots_apart(40, seed, n_routes=6, budget=14.0, masks=seed % 2 == 1)
        state = constructed(problem)
        with monkeypatch.context() as patch:  # the swap in place only, until it finds nothing
            patch.setattr(search, "swap_pairs", in_place_only)
            while search._swap_between(state):
                pass
            for routes in state.unchecked.values():
                routes.update(range(problem.n_routes))
            assert not search._swap_between(state)
        for routes in state.unchecked.values():
            routes.update(range(problem.n_routes))
        before_visits, before_total = visits(state), state.total_duration()
        if search._swap_between(state):
            found += 1
            assert_moved_soundly(state, before_visits, before_total)
    assert found > 0


def test_near_routes_are_the_routes_holding_a_visits_nearest_candidates() -> None:
    problem = depots_apart(40, 3, n_routes=6, budget=14.0, masks=False)
    state = local_optimum(problem, 3)
    ctx = state.ctx
    ctx.granular = 4
    cols = np.arange(ctx.nc)
    near = search._near_routes(state, cols)
    for col in cols:
        others = [c for c in np.argsort(ctx.travel[ctx.nodes[col], ctx.nodes]) if c != col][:4]
        held = {int(state.route_of[c]) for c in others} - {-1}
        assert set(np.flatnonzero(near[col])) == held


@pytest.mark.parametrize("move", ["_swap_between", "_cross_between"])
def test_a_granular_scan_weighs_a_subset_and_with_every_neighbour_the_same_moves(
    move: str,
) -> None:
    # with every candidate as a neighbour, a granular scan makes the moves a full scan makes;
    # with few, it finds no move the full scan would not have found possible, and its moves
    # are sound
    granular_found = 0
    for seed in range(6):
        problem = depots_apart(40, seed, n_routes=6, budget=14.0, masks=seed % 2 == 1)
        state = constructed(problem)
        ctx = state.ctx
        full, wide, narrow = state.copy(), state.copy(), state.copy()
        made_full = getattr(search, move)(full)
        ctx.granular = ctx.nc
        assert getattr(search, move)(wide) == made_full
        assert wide.seqs == full.seqs
        ctx.granular = 2
        before_visits, before_total = visits(narrow), narrow.total_duration()
        if getattr(search, move)(narrow):
            granular_found += 1
            assert made_full
            assert_moved_soundly(narrow, before_visits, before_total)
        ctx.granular = 0
    assert granular_found > 0


def test_the_granular_search_is_deterministic_and_feasible() -> None:
    problem = depots_apart(60, 5, n_routes=8, budget=12.0, masks=True)
    params = SearchParams(pair_moves=True, granular=5)
    first = solve(problem, time_limit=30, seed=3, max_iterations=40, params=params)
    again = solve(problem, time_limit=30, seed=3, max_iterations=40, params=params)
    assert first.routes == again.routes
    assert first.feasible and first.score > 0


def test_the_search_goes_on_past_its_limit_only_while_it_improves() -> None:
    # roomy routes with arc costs: every node fits, the search shortens the drive; with an
    # improving factor it stops at the limit unless its second half found the last new best,
    # and never past the factor times the limit
    extended = 0
    for seed in range(6):
        problem = depots_apart(50, seed, n_routes=6, budget=40.0, masks=False, arc_cost=0.05)
        plain = search.run(problem, seed=1, time_limit=None, max_iterations=10)
        assert plain.iterations == 10
        params = SearchParams(improving_factor=4.0)
        outcome = search.run(problem, seed=1, time_limit=None, max_iterations=10, params=params)
        assert 10 <= outcome.iterations <= 40
        if outcome.iterations > 10:
            extended += 1
            assert outcome.iterations == 40 or 2 * outcome.best_iteration <= outcome.iterations
        again = search.run(problem, seed=1, time_limit=None, max_iterations=10, params=params)
        assert again.routes == outcome.routes and again.iterations == outcome.iterations
    assert extended > 0


def test_once_every_node_worth_a_visit_is_in_the_walk_weighs_the_drive_only() -> None:
    # record-to-record acceptance: within `threshold` of the score while choosing nodes is
    # the problem; within `covered_threshold` of the arc cost once nothing worth a visit is
    # left out for lack of time (the score is then mostly prizes no move changes)
    params = SearchParams(threshold=0.05, covered_threshold=0.5)
    full = constructed(two_routes_with_arc_costs(8.0))
    assert search._routes_full(full)
    assert search._acceptance(full, params) == pytest.approx(0.05 * abs(full.value))
    covered = constructed(two_routes_with_arc_costs(1000.0))
    assert not search._routes_full(covered)
    assert search._acceptance(covered, params) == pytest.approx(0.5 * sum(covered.cost))
    assert search._acceptance(covered, SearchParams(threshold=0.05)) == pytest.approx(
        0.05 * abs(covered.value)
    )


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"threshold": -0.1}, "threshold: expected a number >= 0"),
        ({"covered_threshold": float("inf")}, "covered_threshold: expected a number >= 0"),
        ({"improving_factor": 0.5}, "improving_factor: expected a number >= 1"),
        ({"overfill_rate": 2.0}, "overfill_rate: expected a fraction between 0 and 1"),
    ],
)
def test_settings_out_of_range_are_refused_with_their_name(settings, named) -> None:
    with pytest.raises(ValueError, match=named):
        SearchParams(**settings)
