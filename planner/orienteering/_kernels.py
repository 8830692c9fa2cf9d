"""The search's innermost loops, compiled (Numba).

A route's timing and its insertion row (per candidate, its cheapest place in the route) are
recomputed every time the route changes: about a hundred thousand times in one province's
search; the repair picks its next insertion over every route and candidate a few dozen
times per iteration. In NumPy each is a dozen small array operations whose call overhead is
most of their cost; one compiled loop does the same arithmetic, in the same order (so the
same floating-point results, and the same plans for a seed), without it: the core alone on the
campaign benchmark's rows, the same plans about a fifth sooner (benchmarks/RESULTS.md,
section 5ab).

The scans of the moves between routes (swaps, tail exchanges, relocations; the time-only
branch of each: the walk's) weigh every pair of a changed route's visit or cut with every
other route's at once. In NumPy they gathered pair arrays; compiled, they read the tables
row by row (the drives into a fixed node from the transposed travel table, the same
values), which is most of their gain: the same moves in the same order
(tests/orienteering/test_orienteering_scans.py keeps the NumPy scans as the reference), the
same plans about a quarter sooner again (section 5ac).
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


@njit(cache=True, nogil=True)
def near_routes(
    cols: NDArray[np.intp],
    near: NDArray[np.intp],
    granular: int,
    route_of: NDArray[np.intp],
    n_routes: int,
) -> NDArray[np.bool_]:
    """(len(cols), n_routes): whether each route holds one of the ``granular`` nearest
    candidates of each candidate (its own column, first in ``near``, left out)."""
    mask = np.zeros((cols.shape[0], n_routes), dtype=np.bool_)
    for i in range(cols.shape[0]):
        for k in range(1, granular + 1):
            holder = route_of[near[cols[i], k]]
            if holder >= 0:
                mask[i, holder] = True
    return mask


@njit(cache=True, nogil=True)
def swap_pairs(
    rows: NDArray[np.intp],
    owner: NDArray[np.intp],
    position: NDArray[np.intp],
    a: NDArray[np.intp],
    b: NDArray[np.intp],
    cols: NDArray[np.intp],
    out: NDArray[np.float64],
    saved: NDArray[np.float64],
    slack: NDArray[np.float64],
    near: NDArray[np.bool_],
    to_col: NDArray[np.float64],
    from_col: NDArray[np.float64],
    service_col: NDArray[np.float64],
    nodes: NDArray[np.intp],
    travel: NDArray[np.float64],
    travel_t: NDArray[np.float64],
    ins_raw: NDArray[np.float64],
    ins_pos: NDArray[np.intp],
    allowed: NDArray[np.bool_],
    tolerance: float,
    inf: float,
) -> tuple[
    NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]
]:
    """The swaps that shorten a pair of routes (SWAP*, the time only): for each visit ``i``
    in ``rows`` (of a changed route) and each visit ``j`` of another route (with ``near``
    not empty, one whose route holds a near neighbour of the other, or the other way round),
    visit ``i`` at ``position`` in route ``owner`` between nodes ``a`` and ``b`` (its leaving
    costs ``out`` and saves ``saved`` minutes; the route has ``slack``) gives its place to
    ``j``, or ``j`` goes to its stored best place in the route when that is shorter and not
    next to ``i``; and the other way round. The pairs that keep both routes on time
    (``allowed`` empty: every route may visit every candidate) and save time, in the order
    (``rows``, then ``j``): ``i``, ``j``, the minutes they change, and whether each goes
    elsewhere. The arithmetic is NumPy's in the same order: the same floats."""
    n = owner.shape[0]
    granular = near.shape[0] > 0
    check_allowed = allowed.shape[0] > 0
    # the pairs are read row by row: the near routes of the other visit, and the drives
    # into and out of visit i's candidate from ``travel_t`` (``travel`` transposed) and
    # ``travel``, the same values as ``to_col`` and ``from_col`` hold
    near_t = np.ascontiguousarray(near.T)
    found_i = []
    found_j = []
    found_delta = []
    found_into = []
    found_back = []
    for x in range(rows.shape[0]):
        i = rows[x]
        ri = owner[i]
        ci = cols[i]
        node_i = nodes[ci]
        for j in range(n):
            rj = owner[j]
            if rj == ri:
                continue
            if granular and not (near[i, rj] or near_t[ri, j]):
                continue
            cj = cols[j]
            into = to_col[a[i], cj] + from_col[b[i], cj] + service_col[cj] - out[i]
            back = travel_t[node_i, a[j]] + travel[node_i, b[j]] + service_col[ci] - out[j]
            edge = ins_pos[ri, cj]
            raw = inf if edge == position[i] - 1 or edge == position[i] else ins_raw[ri, cj]
            elsewhere_into = raw - saved[i]
            edge = ins_pos[rj, ci]
            raw = inf if edge == position[j] - 1 or edge == position[j] else ins_raw[rj, ci]
            elsewhere_back = raw - saved[j]
            moved_into = elsewhere_into < into
            moved_back = elsewhere_back < back
            if moved_into:
                into = elsewhere_into
            if moved_back:
                back = elsewhere_back
            if not (into <= slack[i] + tolerance and back <= slack[j] + tolerance):
                continue
            delta = into + back
            if not delta < -1e-7:
                continue
            if check_allowed and not (allowed[ri, cj] and allowed[rj, ci]):
                continue
            found_i.append(i)
            found_j.append(j)
            found_delta.append(delta)
            found_into.append(moved_into)
            found_back.append(moved_back)
    return (
        np.asarray(found_i, dtype=np.intp),
        np.asarray(found_j, dtype=np.intp),
        np.asarray(found_delta, dtype=np.float64),
        np.asarray(found_into, dtype=np.bool_),
        np.asarray(found_back, dtype=np.bool_),
    )


@njit(cache=True, nogil=True)
def cross_pairs(
    rows: NDArray[np.intp],
    cuts: NDArray[np.intp],
    route: NDArray[np.intp],
    nodes: NDArray[np.intp],
    inner: NDArray[np.bool_],
    tail_minutes: NDArray[np.float64],
    dep: NDArray[np.float64],
    last_visit: NDArray[np.intp],
    ends: NDArray[np.intp],
    end_arrival: NDArray[np.float64],
    slack: NDArray[np.float64],
    travel: NDArray[np.float64],
    travel_t: NDArray[np.float64],
    near: NDArray[np.bool_],
    tail_ok: NDArray[np.bool_],
    slot: NDArray[np.intp],
    tolerance: float,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """The tail exchanges (2-opt*) that shorten a pair of routes, the time only: for each
    cut ``c1`` in ``rows`` (after a flat position of a changed route) and each cut ``c2`` in
    ``cuts`` of another route (with ``near`` not empty, one where either cut's route holds a
    near neighbour of the visit at the other cut), route 1 drives route 2's tail after its
    cut and the other way round. The pairs that keep both on time (``tail_ok`` empty: every
    route may take every tail) and save time, in the order (``rows``, ``cuts``): ``c1``,
    ``c2`` and the minutes they change. The arithmetic is NumPy's in the same order."""
    granular = near.shape[0] > 0
    check_tails = tail_ok.shape[0] > 0
    # the pairs are read row by row: the near routes of the other cut and the travel into a
    # fixed node from the transposed tables (``travel_t`` is ``travel`` transposed)
    near_t = np.ascontiguousarray(near.T)
    found_1 = []
    found_2 = []
    found_delta = []
    for x in range(rows.shape[0]):
        c1 = rows[x]
        r1 = route[c1]
        n1 = nodes[c1]
        end1 = ends[r1]
        h1 = c1 + 1
        inner_1 = inner[h1]
        head_1 = nodes[h1]
        last_1 = nodes[last_visit[h1]]
        for y in range(cuts.shape[0]):
            c2 = cuts[y]
            r2 = route[c2]
            if r1 == r2:
                continue
            if granular and not (near[c1, r2] or near_t[r1, c2]):
                continue
            # the route of cut 1 drives the tail after cut 2 (straight home when it is
            # empty), and the other way round; the drives into a fixed node are read from
            # the transposed table
            h = c2 + 1
            if inner[h]:
                via = travel[n1, nodes[h]] + tail_minutes[h]
                via += travel_t[end1, nodes[last_visit[h]]]
            else:
                via = travel[n1, end1]
            mine = (dep[c1] + via) - end_arrival[r1]
            if not mine <= slack[r1] + tolerance:
                continue
            end2 = ends[r2]
            n2 = nodes[c2]
            if inner_1:
                via = travel_t[head_1, n2] + tail_minutes[h1]
                via += travel[last_1, end2]
            else:
                via = travel_t[end2, n2]
            theirs = (dep[c2] + via) - end_arrival[r2]
            if not theirs <= slack[r2] + tolerance:
                continue
            if check_tails and not (tail_ok[slot[r1], c2 + 1] and tail_ok[slot[r2], c1 + 1]):
                continue
            delta = mine + theirs
            if not delta < -1e-7:
                continue
            found_1.append(c1)
            found_2.append(c2)
            found_delta.append(delta)
    return (
        np.asarray(found_1, dtype=np.intp),
        np.asarray(found_2, dtype=np.intp),
        np.asarray(found_delta, dtype=np.float64),
    )


@njit(cache=True, nogil=True)
def best_relocation(
    a: NDArray[np.intp],
    v: NDArray[np.intp],
    b: NDArray[np.intp],
    owner: NDArray[np.intp],
    travel: NDArray[np.float64],
    service: NDArray[np.float64],
    column: NDArray[np.intp],
    ins_delta: NDArray[np.float64],
) -> tuple[int, int, float]:
    """The relocation that shortens the routes most, the time only: of the visits ``v``
    (between ``a`` and ``b`` in route ``owner``), the one whose cheapest insertion into
    another route (``ins_delta``, the stored rows) less the minutes its leaving saves is the
    lowest (the first of equals, its first best route): its index, that route and that
    change (infinite when no visit fits elsewhere). NumPy's arithmetic in the same order."""
    n_routes = ins_delta.shape[0]
    best_visit = 0
    best_target = 0
    best_delta = np.inf
    for k in range(v.shape[0]):
        gain = travel[a[k], v[k]] + travel[v[k], b[k]] + service[v[k]] - travel[a[k], b[k]]
        col = column[v[k]]
        target = 0
        insert = np.inf
        for r in range(n_routes):
            if r != owner[k] and ins_delta[r, col] < insert:
                insert = ins_delta[r, col]
                target = r
        delta = insert - gain
        if delta < best_delta:
            best_delta = delta
            best_visit = k
            best_target = target
    return best_visit, best_target, best_delta
