"""The moves that weigh the arc cost first (``SearchParams.cost_moves``): once no node worth a
visit is left out, what is left to gain is the arc cost, and minutes and km do not agree
(a town's streets are slow, a highway fast)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from planner.orienteering import SearchParams, make_problem
from planner.orienteering import _search as search
from planner.orienteering.check import result_from_routes

from .test_orienteering_pair_moves import visits


def slow_and_fast(seed: int, *, budget: float, masks: bool = False, n_routes: int = 6):
    """Three bases (the last three nodes) and 37 nodes; an arc takes 1.5 or 3 minutes per
    km (symmetric), costs 0.2 per km: the quickest route is often not the shortest."""
    rng = np.random.default_rng(seed)
    n = 40
    xy = rng.uniform(0, 10, size=(n, 2))
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    slow = rng.random((n, n)) < 0.4
    slow = slow | slow.T
    minutes = km * np.where(slow, 3.0, 1.5)
    prizes = rng.integers(5, 20, size=n).astype(float)
    bases = [n - 3, n - 2, n - 1]
    prizes[bases] = 0
    starts = [bases[r % 3] for r in range(n_routes)]
    return make_problem(
        minutes,
        prizes,
        n_routes=n_routes,
        start=starts,
        end=starts,
        max_duration=budget,
        service_times=rng.uniform(0, 2, size=n) * (prizes > 0),
        allowed=rng.random((n_routes, n)) < 0.7 if masks else None,
        arc_costs=km * 0.2,
    )


def by_cost(problem) -> search._State:
    """A state after the greedy construction, its moves weighing the arc cost first."""
    state = search._State(search._Context(problem, 0, cost_moves=True))
    search._insert_greedy(state, None, 0.0)
    assert not search._routes_full(state)  # every node worth a visit is in
    state.by_cost = True
    return state


def route_cost(state: search._State, seq: list[int]) -> float:
    cost = state.ctx.cost
    return float(sum(cost[a, b] for a, b in itertools.pairwise(seq)))


def route_minutes(state: search._State, seq: list[int]) -> float:
    ctx = state.ctx
    return float(sum(ctx.travel[a, b] + ctx.service[b] for a, b in itertools.pairwise(seq)))


def on_time(state: search._State, r: int, seq: list[int]) -> bool:
    ctx = state.ctx
    return route_minutes(state, seq) <= ctx.deadline[r] - ctx.t0[r] + 1e-6


def assert_sound(state: search._State, before_visits: list[int]) -> None:
    """Every visit kept, every route on time from its start to its end, masks respected."""
    problem, ctx = state.ctx.problem, state.ctx
    assert visits(state) == before_visits
    for r, seq in enumerate(state.seqs):
        assert seq[0] == problem.starts[r] and seq[-1] == problem.ends[r]
        assert on_time(state, r, seq)
        assert state.cost[r] == pytest.approx(route_cost(state, seq))
        for node in seq[1:-1]:
            assert state.route_of[ctx.column[node]] == r
            if problem.allowed is not None:
                assert problem.allowed[r, node]


def lexicographic(before: tuple[float, float], after: tuple[float, float]) -> bool:
    """Whether (cost, minutes) went down: lower cost, or the same cost in less time."""
    return after[0] < before[0] - 1e-9 or (
        after[0] <= before[0] + 1e-9 and after[1] < before[1] - 1e-9
    )


def totals(state: search._State) -> tuple[float, float]:
    return sum(state.cost), state.total_duration()


def test_shortening_by_cost_leaves_no_reversal_that_is_cheaper_and_on_time() -> None:
    shortened = 0
    for seed in range(4):
        state = by_cost(slow_and_fast(seed, budget=60.0))
        before_visits, before = visits(state), totals(state)
        for r in range(state.ctx.n_routes):
            shortened += search._shorten(state, r)
        assert_sound(state, before_visits)
        assert totals(state)[0] <= before[0] + 1e-9
        # a fixed point of 2-opt by cost: no reversal of a segment is cheaper and on time
        for r, seq in enumerate(state.seqs):
            cost = route_cost(state, seq)
            for i, j in itertools.combinations(range(1, len(seq) - 1), 2):
                other = seq[:i] + seq[i : j + 1][::-1] + seq[j + 1 :]
                if on_time(state, r, other):
                    assert route_cost(state, other) >= cost - 1e-9
    assert shortened > 0  # the test exercised the move


@pytest.mark.parametrize("masks", [False, True], ids=["open", "masked"])
def test_relocation_by_cost_ends_where_no_single_relocation_is_cheaper(masks: bool) -> None:
    moved = 0
    for seed in range(4):
        state = by_cost(slow_and_fast(seed, budget=100.0 if masks else 60.0, masks=masks))
        before_visits = visits(state)
        while True:
            before = totals(state)
            if not search._relocate_between(state):
                break
            moved += 1
            assert lexicographic(before, totals(state))
        assert_sound(state, before_visits)
        # brute force: no visit moved to any place of another route it may join is cheaper
        problem = state.ctx.problem
        for r, seq in enumerate(state.seqs):
            for k in range(1, len(seq) - 1):
                node = seq[k]
                rest = seq[:k] + seq[k + 1 :]
                if not on_time(state, r, rest):  # no triangle inequality: it may get longer
                    continue
                saved = route_cost(state, seq) - route_cost(state, rest)
                for t, target in enumerate(state.seqs):
                    if t == r or (problem.allowed is not None and not problem.allowed[t, node]):
                        continue
                    for p in range(len(target) - 1):
                        other = [*target[: p + 1], node, *target[p + 1 :]]
                        if on_time(state, t, other):
                            added = route_cost(state, other) - route_cost(state, target)
                            assert added - saved >= -1e-6
    assert moved > 0


@pytest.mark.parametrize("move", ["_swap_between", "_cross_between"])
def test_pair_moves_by_cost_lower_the_cost_and_keep_visits_time_and_masks(move: str) -> None:
    made = 0
    for seed in range(6):
        state = by_cost(slow_and_fast(seed, budget=100.0, masks=True))
        before_visits, before = visits(state), totals(state)
        if getattr(search, move)(state):
            made += 1
            assert lexicographic(before, totals(state))
            assert_sound(state, before_visits)
    assert made > 0


def test_the_local_search_weighs_time_while_nodes_worth_a_visit_are_left_out() -> None:
    # routes full: the moves must make room for visits, so they weigh minutes
    state = search._State(search._Context(slow_and_fast(1, budget=12.0), 0, cost_moves=True))
    search._insert_greedy(state, None, 0.0)
    assert search._routes_full(state)
    search._local_search(state, set(range(state.ctx.n_routes)), pairs=True, by_cost=True)
    assert not state.by_cost
    covered = by_cost(slow_and_fast(1, budget=60.0))
    covered.by_cost = False
    search._local_search(covered, set(range(covered.ctx.n_routes)), pairs=True, by_cost=True)
    assert covered.by_cost


def test_the_polish_by_cost_never_loses_value_and_is_deterministic() -> None:
    gained = 0
    for seed in range(4):
        problem = slow_and_fast(seed, budget=100.0 if seed % 2 else 60.0, masks=seed % 2 == 1)
        plain = SearchParams(pair_moves=True)
        polished = SearchParams(pair_moves=True, cost_moves=True)
        runs = [
            search.run(problem, seed=1, time_limit=None, max_iterations=15, params=params)
            for params in (plain, polished, polished)
        ]
        assert runs[1].routes == runs[2].routes  # deterministic
        results = [
            result_from_routes(problem, run.routes, solver="core", seconds=0.0) for run in runs[:2]
        ]
        assert all(result.feasible for result in results)
        assert results[1].value >= results[0].value - 1e-9
        gained += results[1].value > results[0].value + 1e-9
    assert gained > 0  # minutes and km disagree: the polish finds something


def test_cost_moves_are_off_with_time_windows_or_without_arc_costs() -> None:
    problem = slow_and_fast(0, budget=60.0)
    no_cost = make_problem(
        problem.travel, problem.prizes, n_routes=2, start=37, end=37, max_duration=60.0
    )
    assert not search._Context(no_cost, 0, cost_moves=True).cost_moves
    assert search._Context(problem, 0, cost_moves=True).cost_moves
    assert not search._Context(problem, 0, cost_moves=False).cost_moves
