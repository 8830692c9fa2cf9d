"""The compiled scans of the moves between routes (`swap_pairs`, `cross_pairs`,
`best_relocation` in planner/orienteering/_kernels.py) make, on the same state, the very
moves the NumPy scans they replaced made: the same routes after each move, so the same plans
for a seed. The NumPy scans (the time-only branch of each, as on `main` before the kernels)
are kept here as the reference."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from numpy.typing import NDArray

from planner.orienteering import SearchParams
from planner.orienteering import _search as search

from .test_orienteering_pair_moves import depots_apart

INF = np.inf
TOLERANCE = 1e-6


def numpy_relocate_between(state: search._State) -> bool:
    """`_relocate_between` before the kernel, time only."""
    ctx = state.ctx
    if ctx.n_routes < 2:
        return False
    travel = ctx.travel
    prev: list[int] = []
    nodes: list[int] = []
    after: list[int] = []
    owner: list[int] = []
    for r, seq in enumerate(state.seqs):
        if len(seq) > 2:
            prev.extend(seq[:-2])
            nodes.extend(seq[1:-1])
            after.extend(seq[2:])
            owner.extend([r] * (len(seq) - 2))
    if not nodes:
        return False
    a = np.array(prev, dtype=np.intp)
    v = np.array(nodes, dtype=np.intp)
    b = np.array(after, dtype=np.intp)
    gain = travel[a, v] + travel[v, b] + ctx.service[v] - travel[a, b]
    cols = ctx.column[v]
    visits = np.arange(len(v))
    inserts = state.ins_delta[:, cols]
    inserts[np.array(owner, dtype=np.intp), visits] = INF
    targets = np.argmin(inserts, axis=0)
    delta = inserts[targets, visits] - gain
    i = int(np.argmin(delta))
    if not delta[i] < -1e-9:
        return False
    col, target = int(cols[i]), int(targets[i])
    source = int(state.route_of[col])
    pos = int(state.ins_pos[target, col])
    node = int(ctx.nodes[col])
    state.seqs[source].remove(node)
    state.refresh(source)
    state.seqs[target].insert(pos + 1, node)
    state.route_of[col] = target
    assert state.refresh(target)
    return True


def numpy_near_routes(state: search._State, cols: NDArray[np.intp]) -> NDArray[np.bool_]:
    ctx = state.ctx
    near = ctx.near[cols, 1 : ctx.granular + 1]
    holder = state.route_of[near]
    mask = np.zeros((len(cols), ctx.n_routes + 1), dtype=np.bool_)
    np.put_along_axis(mask, np.where(holder < 0, ctx.n_routes, holder), True, axis=1)
    return mask[:, :-1]


def numpy_swap_between(state: search._State) -> bool:
    """`_swap_between` before the kernel, time only."""
    ctx = state.ctx
    dirty = state.unchecked["swap"]
    if ctx.n_routes < 2 or not dirty:
        return False
    used = [r for r, seq in enumerate(state.seqs) if len(seq) > 2]
    nodes, route, index, _ = search._positions(state, used)
    lengths = np.array([len(seq) for seq in state.seqs])
    at = np.flatnonzero((index > 0) & (index < lengths[route] - 1))
    rows = np.flatnonzero(np.isin(route[at], list(dirty)))
    dirty.clear()
    if len(at) < 2 or len(rows) == 0:
        return False
    v, a, b, owner = nodes[at], nodes[at - 1], nodes[at + 1], route[at]
    cols = ctx.column[v]
    travel = ctx.travel
    out = travel[a, v] + ctx.service[v] + travel[v, b]
    slack = np.array([s[-1] for s in state.slack])[owner]
    p = index[at]
    saved = out - travel[a, b]
    apart = owner[rows][:, None] != owner[None, :]
    if ctx.granular:
        near = numpy_near_routes(state, cols)
        apart &= near[rows][:, owner] | near[:, owner[rows]].T
    x, j = np.nonzero(apart)
    i = rows[x]
    ci, cj = cols[i], cols[j]
    into = ctx.to_col[a[i], cj] + ctx.from_col[b[i], cj] + ctx.service_col[cj] - out[i]
    back = ctx.to_col[a[j], ci] + ctx.from_col[b[j], ci] + ctx.service_col[ci] - out[j]

    def elsewhere(route_, position, cols_, saved_):
        raw = state.ins_raw[route_, cols_]
        edge = state.ins_pos[route_, cols_]
        raw = np.where((edge == position - 1) | (edge == position), INF, raw)
        return raw - saved_

    elsewhere_into = elsewhere(owner[i], p[i], cj, saved[i])
    elsewhere_back = elsewhere(owner[j], p[j], ci, saved[j])
    moved_into = elsewhere_into < into
    moved_back = elsewhere_back < back
    into = np.minimum(into, elsewhere_into)
    back = np.minimum(back, elsewhere_back)
    ok = into <= slack[i] + TOLERANCE
    ok &= back <= slack[j] + TOLERANCE
    delta = into + back
    ok &= delta < -1e-7
    if ctx.allowed_col is not None:
        ok &= ctx.allowed_col[owner[i], cj]
        ok &= ctx.allowed_col[owner[j], ci]
    found = np.flatnonzero(ok)
    if len(found) == 0:
        return False
    order = found[np.argsort(delta[found], kind="stable")]
    touched: set[int] = set()
    made = False
    for k in order[:256]:
        r1, r2 = int(owner[i[k]]), int(owner[j[k]])
        if r1 in touched or r2 in touched:
            continue
        p1, p2 = int(p[i[k]]), int(p[j[k]])
        old1, old2 = state.seqs[r1], state.seqs[r2]
        n1, n2 = old1[p1], old2[p2]
        e1 = int(state.ins_pos[r1, int(cj[k])]) if moved_into[k] else None
        e2 = int(state.ins_pos[r2, int(ci[k])]) if moved_back[k] else None
        seq1 = search._swapped(old1, p1, n2, e1)
        seq2 = search._swapped(old2, p2, n1, e2)
        if search._replace_pair(state, r1, r2, seq1, seq2):
            touched.update((r1, r2))
            made = True
    return made


def numpy_cross_between(state: search._State) -> bool:
    """`_cross_between` before the kernel, time only."""
    ctx = state.ctx
    dirty = state.unchecked["cross"]
    if ctx.n_routes < 2 or not dirty:
        return False
    travel = ctx.travel
    used = [r for r, seq in enumerate(state.seqs) if len(seq) > 2]
    if used:
        used = sorted(used + search._empty_of_each_class(state))
    if len(used) < 2:
        dirty.clear()
        return False
    nodes, route, index, begins = search._positions(state, used)
    lengths = np.array([len(seq) for seq in state.seqs])
    last_index = lengths[route] - 1
    ends = np.array(ctx.problem.ends, dtype=np.intp)
    arr = np.concatenate([state.arr[r] for r in used])
    dep = np.concatenate([state.dep[r] for r in used])
    offset = np.zeros(ctx.n_routes, dtype=np.intp)
    offset[used] = begins
    last_visit = offset[route] + last_index - 1
    inner = (index > 0) & (index < last_index)
    tail_minutes = np.where(inner, dep[last_visit] - arr, 0.0)
    if ctx.allowed_col is not None:
        slot = np.full(ctx.n_routes, -1, dtype=np.intp)
        slot[used] = np.arange(len(used))
        refused = np.zeros((len(used), len(nodes) + 1), dtype=np.intp)
        refused[:, :-1][:, inner] = ~ctx.allowed_col[used][:, ctx.column[nodes[inner]]]
        suffix = np.cumsum(refused[:, ::-1], axis=1)[:, ::-1]
        route_end = offset[route] + last_index
        tail_ok = suffix[:, :-1] == suffix[:, route_end]
    cuts = np.flatnonzero(index < last_index)
    rows = cuts[np.isin(route[cuts], list(dirty))]
    dirty.clear()
    if len(rows) == 0:
        return False
    slack = np.array([s[-1] for s in state.slack])
    end_arrival = np.array([a[-1] for a in state.arr])

    def change(c, cp):
        h = cp + 1
        end_c = ends[route[c]]
        via = travel[nodes[c], nodes[h]] + tail_minutes[h]
        via += travel[nodes[last_visit[h]], end_c]
        new_end = dep[c] + np.where(inner[h], via, travel[nodes[c], end_c])
        return new_end - end_arrival[route[c]]

    r_rows, r_cuts = route[rows], route[cuts]
    pairs = r_rows[:, None] != r_cuts[None, :]
    if ctx.granular:
        flat = np.arange(len(nodes))
        at = np.where(index == 0, np.minimum(flat + 1, len(nodes) - 1), flat)
        near = np.ones((len(nodes), ctx.n_routes), dtype=np.bool_)
        cut = (index < last_index) & (last_index > 1)
        near[cut] = numpy_near_routes(state, ctx.column[nodes[at[cut]]])
        pairs &= near[rows][:, r_cuts] | near[cuts][:, r_rows].T
    x, y = np.nonzero(pairs)
    c1s, c2s = rows[x], cuts[y]
    mine = change(c1s, c2s)
    theirs = change(c2s, c1s)
    ok = mine <= slack[route[c1s]] + TOLERANCE
    ok &= theirs <= slack[route[c2s]] + TOLERANCE
    if ctx.allowed_col is not None:
        ok &= tail_ok[slot[route[c1s]], c2s + 1]
        ok &= tail_ok[slot[route[c2s]], c1s + 1]
    delta = mine + theirs
    ok &= delta < -1e-7
    found = np.flatnonzero(ok)
    if len(found) == 0:
        return False
    order = found[np.argsort(delta[found], kind="stable")]
    touched: set[int] = set()
    made = False
    for k in order[:256]:
        c1, c2 = int(c1s[k]), int(c2s[k])
        r1, r2 = int(route[c1]), int(route[c2])
        if r1 in touched or r2 in touched:
            continue
        i, j = int(index[c1]), int(index[c2])
        old1, old2 = state.seqs[r1], state.seqs[r2]
        seq1 = old1[: i + 1] + old2[j + 1 : -1] + old1[-1:]
        seq2 = old2[: j + 1] + old1[i + 1 : -1] + old2[-1:]
        if search._replace_pair(state, r1, r2, seq1, seq2):
            touched.update((r1, r2))
            made = True
    return made


MOVES = {
    "_relocate_between": numpy_relocate_between,
    "_swap_between": numpy_swap_between,
    "_cross_between": numpy_cross_between,
}


def perturbed_states(seed: int, granular: int) -> list[search._State]:
    """States where moves between routes remain: a local optimum, then a ruin and a greedy
    repair without the local search, a few times over; with whole-minute (tied) travel on
    every third seed."""
    problem = depots_apart(60, seed, n_routes=8, budget=12.0 + seed % 4, masks=seed % 2 == 1)
    if seed % 3 == 0:
        # quarter minutes: ties between moves
        problem = replace(problem, travel=np.round(np.asarray(problem.travel) * 4) / 4)
    ctx = search._Context(problem, granular)
    state = search._State(ctx)
    search._insert_greedy(state, None, 0.0)
    rng = np.random.default_rng(seed)
    params = SearchParams(pair_moves=True)
    states = []
    for _ in range(4):
        trial = state.copy()
        search._ruin(trial, rng, params)
        search._insert_greedy(trial, rng, params.noise, None, 1.0)
        for routes in trial.unchecked.values():
            routes.update(range(ctx.n_routes))
        states.append(trial)
        state = search._iterate(state, rng, params)
    return states


@pytest.mark.parametrize("granular", [0, 3])
@pytest.mark.parametrize("move", sorted(MOVES))
def test_the_compiled_scan_makes_the_numpy_scans_moves(move: str, granular: int) -> None:
    made = 0
    for seed in range(8):
        for state in perturbed_states(seed, granular):
            compiled, reference = state.copy(), state.copy()
            for _ in range(6):  # a few moves in a row, each on the routes the last one left
                got = getattr(search, move)(compiled)
                expected = MOVES[move](reference)
                assert got == expected, f"seed {seed}"
                assert compiled.seqs == reference.seqs, f"seed {seed}"
                assert compiled.unchecked == reference.unchecked
                made += got
                if not got:
                    break
    assert made >= 8  # the states left moves to make
