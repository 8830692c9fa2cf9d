"""The search's innermost loops, compiled (Numba).

A route's timing and its insertion row (per candidate, its cheapest place in the route) are
recomputed every time the route changes: about a hundred thousand times in one province's
search; the repair picks its next insertion over every route and candidate a few dozen
times per iteration. In NumPy each is a dozen small array operations whose call overhead is
most of their cost; one compiled loop does the same arithmetic, in the same order (so the
same floating-point results, and the same plans for a seed), without it: the core alone on the
campaign benchmark's rows, the same plans about a fifth sooner (benchmarks/RESULTS.md,
section 5ab).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(cache=True, nogil=True)
def route_timing(
    xs: NDArray[np.intp],
    travel: NDArray[np.float64],
    service: NDArray[np.float64],
    t0: float,
    deadline: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Route ``xs`` without time windows, leaving at ``t0``: the arrival at each position
    (before its service), the departure (after it) and the slack, the same everywhere:
    ``deadline`` less the arrival at the end. The sums run in NumPy's cumulative order."""
    n = xs.shape[0]
    arr = np.empty(n)
    dep = np.empty(n)
    arr[0] = t0
    total = 0.0
    for i in range(1, n):
        total += travel[xs[i - 1], xs[i]] + service[xs[i]]
        arr[i] = (total + t0) - service[xs[i]]
    for i in range(n):
        dep[i] = arr[i] + service[xs[i]]
    slack = np.full(n, deadline - arr[n - 1])
    return arr, dep, slack


@njit(cache=True, nogil=True)
def insertion_row(
    xs: NDArray[np.intp],
    to_col: NDArray[np.float64],
    from_col: NDArray[np.float64],
    service_col: NDArray[np.float64],
    travel: NDArray[np.float64],
    allowed: NDArray[np.bool_],
    cost: NDArray[np.float64],
    nodes: NDArray[np.intp],
    prize: NDArray[np.float64],
    end_slack: float,
    tolerance: float,
    eps: float,
    inf: float,
    raw_out: NDArray[np.float64],
    delta_out: NDArray[np.float64],
    pos_out: NDArray[np.intp],
) -> None:
    """Route ``xs``'s insertion row without time windows: per candidate column, the edge
    where inserting it adds the fewest minutes (the first of equals) into ``pos_out``, those
    minutes into ``raw_out`` (infinite where the route may not visit it, ``allowed`` empty:
    every one, or where its prize is not ``eps`` above the arc cost it adds, ``cost`` empty:
    no arc cost) and into ``delta_out`` also infinite above ``end_slack`` + ``tolerance``."""
    k = xs.shape[0] - 1
    nc = to_col.shape[1]
    check_allowed = allowed.shape[0] > 0
    check_cost = cost.shape[0] > 0
    # edge by edge (the rows of to_col and from_col are contiguous): the first of equals
    for i in range(k):
        a = xs[i]
        b = xs[i + 1]
        drive = travel[a, b]
        to_row = to_col[a]
        from_row = from_col[b]
        for j in range(nc):
            value = to_row[j] + from_row[j] + service_col[j] - drive
            if i == 0 or value < raw_out[j]:
                raw_out[j] = value
                pos_out[j] = i
    for j in range(nc):
        best = raw_out[j]
        if check_allowed and not allowed[j]:
            best = inf
        if check_cost:
            at = pos_out[j]
            before = xs[at]
            after = xs[at + 1]
            node = nodes[j]
            added = cost[before, node] + cost[node, after] - cost[before, after]
            if prize[j] <= added + eps:
                best = inf
        raw_out[j] = best
        delta_out[j] = inf if best > end_slack + tolerance else best


@njit(cache=True, nogil=True)
def best_insertion(
    ins_delta: NDArray[np.float64],
    weights: NDArray[np.float64],
    route_of: NDArray[np.intp],
    forbidden: NDArray[np.bool_],
) -> tuple[int, int]:
    """The repair's next insertion: of the candidates no route visits (and not
    ``forbidden``, empty: none is), the (route, candidate column) with the best ratio of
    weight to added minutes (``weight / (max(minutes, 0) + 1e-6)``) among the finite ones,
    the first of equals in route-major order; (-1, -1) when none fits."""
    n_routes, nc = ins_delta.shape
    check_forbidden = forbidden.shape[0] > 0
    best = -1.0
    best_route = -1
    best_col = -1
    for r in range(n_routes):
        for j in range(nc):
            if route_of[j] >= 0 or (check_forbidden and forbidden[j]):
                continue
            minutes = ins_delta[r, j]
            if not np.isfinite(minutes):
                continue
            ratio = weights[j] / (max(minutes, 0.0) + 1e-6)
            if ratio > best:
                best = ratio
                best_route = r
                best_col = j
    return best_route, best_col
