"""The compiled route timing, insertion row and repair choice (planner/orienteering/_kernels.py)
give, bit for bit, what the NumPy arithmetic they replaced gave: the same plans for a seed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray

from planner.orienteering._kernels import best_insertion, insertion_row, route_timing

TOLERANCE = 1e-6
EPS = 1e-9


def numpy_row(
    xs: NDArray[np.intp],
    travel: NDArray[np.float64],
    service: NDArray[np.float64],
    nodes: NDArray[np.intp],
    allowed: NDArray[np.bool_] | None,
    cost: NDArray[np.float64] | None,
    prize: NDArray[np.float64],
    end_slack: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """The NumPy version the kernel replaced (planner/orienteering/_search.py before)."""
    to_col = np.ascontiguousarray(travel[:, nodes])
    from_col = np.ascontiguousarray(travel[nodes, :].T)
    a, b = xs[:-1], xs[1:]
    delta = to_col[a] + from_col[b] + service[nodes]
    delta -= travel[a, b][:, None]
    pos = np.argmin(delta, axis=0)
    best = delta[pos, np.arange(len(nodes))]
    if allowed is not None:
        best[~allowed] = math.inf
    if cost is not None:
        before, after = a[pos], b[pos]
        added = cost[before, nodes] + cost[nodes, after]
        added -= cost[before, after]
        best[prize <= added + EPS] = math.inf
    raw = best.copy()
    cut = np.where(best > end_slack + TOLERANCE, math.inf, best)
    return raw, cut, pos


@pytest.mark.parametrize("seed", range(12))
def test_the_compiled_row_is_the_numpy_row_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    xy = rng.uniform(0, 50, size=(n, 2))
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    if seed % 3 == 0:  # asymmetric, and ties: whole minutes
        travel = np.round(travel * rng.uniform(0.8, 1.2, size=(n, n)))
    service = np.round(rng.uniform(0, 10, size=n), 1)
    nodes = np.sort(rng.choice(n, size=int(rng.integers(1, n)), replace=False)).astype(np.intp)
    route = rng.choice(n, size=int(rng.integers(2, min(n, 9) + 1)), replace=False)
    xs = np.asarray(route, dtype=np.intp)
    allowed = rng.random(len(nodes)) < 0.8 if seed % 2 else None
    cost = travel * 0.2 if seed % 4 != 1 else None
    prize = rng.uniform(0, 3, size=len(nodes))
    end_slack = float(rng.uniform(-5, 60))
    raw = np.full(len(nodes), -1.0)
    cut = np.full(len(nodes), -1.0)
    pos = np.full(len(nodes), -1, dtype=np.intp)
    insertion_row(
        xs,
        np.ascontiguousarray(travel[:, nodes]),
        np.ascontiguousarray(travel[nodes, :].T),
        service[nodes],
        travel,
        np.zeros(0, dtype=np.bool_) if allowed is None else allowed,
        np.zeros((0, 0)) if cost is None else cost,
        nodes,
        prize,
        end_slack,
        TOLERANCE,
        EPS,
        math.inf,
        raw,
        cut,
        pos,
    )
    want_raw, want_cut, want_pos = numpy_row(
        xs, travel, service, nodes, allowed, cost, prize, end_slack
    )
    assert raw.tobytes() == want_raw.tobytes()
    assert cut.tobytes() == want_cut.tobytes()
    assert pos.tolist() == want_pos.tolist()


@pytest.mark.parametrize("seed", range(8))
def test_the_compiled_timing_is_the_numpy_timing_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 30))
    travel = rng.uniform(0, 40, size=(n, n)) * rng.uniform(0.1, 3.0)
    service = rng.uniform(0, 25, size=n) / 3
    xs = np.asarray(rng.choice(n, size=int(rng.integers(2, n + 1)), replace=False), np.intp)
    t0, deadline = float(rng.uniform(400, 500)), float(rng.uniform(500, 900))
    # the NumPy version the kernel replaced (planner/orienteering/_search.py before)
    legs = travel[xs[:-1], xs[1:]] + service[xs[1:]]
    arr = np.empty(len(xs))
    arr[0] = t0
    np.cumsum(legs, out=arr[1:])
    arr[1:] += t0
    arr[1:] -= service[xs[1:]]
    dep = arr + service[xs]
    slack = np.full(len(xs), deadline - arr[-1])
    got = route_timing(xs, travel, service, t0, deadline)
    for mine, want in zip(got, (arr, dep, slack), strict=True):
        assert mine.tobytes() == want.tobytes()


def numpy_choice(
    delta_all: NDArray[np.float64],
    weights: NDArray[np.float64],
    route_of: NDArray[np.intp],
    forbidden: NDArray[np.bool_] | None,
) -> tuple[int, int]:
    """The NumPy version the kernel replaced (``_insert_greedy`` before)."""
    allowed = route_of < 0
    if forbidden is not None:
        allowed = allowed & ~forbidden
    if not allowed.any():
        return -1, -1
    delta = delta_all[:, allowed]
    if not np.isfinite(delta).any():
        return -1, -1
    ratio = weights[allowed] / (np.maximum(delta, 0.0) + 1e-6)
    ratio[~np.isfinite(delta)] = -1.0
    r, k = divmod(int(np.argmax(ratio)), ratio.shape[1])
    if not math.isfinite(delta[r, k]):
        return -1, -1
    return r, int(np.flatnonzero(allowed)[k])


@pytest.mark.parametrize("seed", range(16))
def test_the_compiled_repair_choice_is_the_numpy_choice(seed: int) -> None:
    """Random insertion rows with infinite cells, negative and zero minutes (ties), visited
    and forbidden candidates; some draws leave nothing to insert."""
    rng = np.random.default_rng(seed)
    n_routes, nc = int(rng.integers(1, 8)), int(rng.integers(1, 30))
    delta = np.round(rng.uniform(-2, 20, size=(n_routes, nc)))
    delta[rng.random((n_routes, nc)) < (0.3 if seed % 5 else 1.0)] = math.inf
    weights = np.round(rng.uniform(0.5, 5, size=nc), 1)
    route_of = np.where(rng.random(nc) < 0.4, rng.integers(0, n_routes, size=nc), -1)
    route_of = route_of.astype(np.intp)
    forbidden = rng.random(nc) < 0.3 if seed % 2 else None
    mask = np.zeros(0, dtype=np.bool_) if forbidden is None else forbidden
    got = best_insertion(delta, weights, route_of, mask)
    assert tuple(int(v) for v in got) == numpy_choice(delta, weights, route_of, forbidden)
