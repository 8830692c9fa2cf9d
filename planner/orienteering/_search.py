"""The planner's own prize-collecting search: an iterated local search with ruin and recreate.

One state holds the routes and, per route, the arrival, departure and slack at every position
(how long the arrival there may be delayed before some later visit or the end is late). With
them, inserting a node or replacing a visited node in place is checked exactly in O(1) per
position, for every position and every candidate at once with NumPy:

* insert ``u`` between ``a`` and ``b``: arrival at ``u`` is ``departure(a) + t(a, u)``, which
  must not pass ``u``'s close; the arrival at ``b`` moves by
  ``max(arrival(u), open(u)) + service(u) + t(u, b) - arrival(b)``, which must not exceed
  ``slack(b)``;
* without time windows the slack is the same everywhere (the deadline minus the arrival at the
  end) and the shift is the classic insertion cost.

The search:

1. construction: insert the candidate with the best prize / shift ratio, repeatedly;
2. local search until nothing improves. Without time windows: 2-opt and or-opt in each route
   (2-opt only with a symmetric matrix), relocate a visit to another route when that shortens
   the total (optionally swaps of single visits, each to the other's place or its best
   place in the other route, SWAP*, and of tails, 2-opt*, between routes, where one unused
   route of each class may take a tail: a day's visits move to another team's base), insert
   unvisited nodes, exchange a visited node for an unvisited one inserted anywhere in the same
   route when that collects more prize or the same in less time, and (``home_days``, once no
   node worth a visit is left out) give a visit at a route's own base an unused route of its
   own. The moves between routes and the exchange weigh every candidate at once and, after
   a scan, only what involves a route changed since (a move's effect depends only on its
   routes). With time windows: insert, and
   replace a visited node in place by an unvisited one with a larger prize (both exact);
3. ruin and recreate: remove visits (random, a segment, related to a seed node, or the worst
   prize per minute saved), reinsert greedily with noisy ratios (first without the removed
   nodes, half of the time). In most iterations the repair runs with the routes' deadlines
   relaxed by up to ``overfill``; the local search then shortens the over-full routes and the
   visits worth least per minute saved are dropped until every route is on time again
   (a cheap way through infeasible space, which PyVRP does with penalties);
4. record-to-record acceptance against the best score, back to the best after a long stretch
   without improvement.

With many interchangeable routes (a month: 25 identical days per team, of which a plan uses a
few), the search runs on twice as many of each class as the first construction fills, plus
two (``prune_twins``); the others stay unused.

A large problem whose first construction visits every candidate (a province's month: only
the driving is left to gain) is searched in parts after half its iterations, its bases in
groups (``split_above``, :mod:`._split`).

Everything random draws from one seeded generator and the schedule counts iterations, never
seconds, so a seed and an iteration limit give the same routes on every run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
from numpy.typing import NDArray

from planner.orienteering._kernels import (
    best_insertion,
    best_relocation,
    cross_pairs,
    insertion_row,
    near_routes,
    route_timing,
    swap_pairs,
)
from planner.orienteering._pool import RoutePool
from planner.orienteering._split import (
    GROUP_ITERATIONS,
    SELECTIVE_GROUP_ITERATIONS,
    candidates,
    searched_in_parts,
    worth_splitting,
)
from planner.orienteering.problem import TOLERANCE, Problem

_EPS = 1e-9
#: The compiled insertion row's "no mask" and "no arc cost" (:mod:`._kernels`).
_NO_MASK = np.zeros(0, dtype=np.bool_)
_NO_MASK_2D = np.zeros((0, 0), dtype=np.bool_)
_NO_INDEX = np.zeros(0, dtype=np.intp)
_NO_COST = np.zeros((0, 0))
_INF = math.inf
#: The search's work, counted rather than timed so that a search stays reproducible, in
#: about seconds on the 2-core machine of benchmarks/RESULTS.md: per re-timed route and its
#: insertion row (``_State.refresh``, the unit of every move) a fixed part and a part per
#: cell (route position x candidate), and per unit of CP-SAT's deterministic time in the
#: recombinations (:mod:`._pool`). Fitted (least relative squares) on 12 runs of the core on
#: the campaign benchmark's provinces (Thái Bình, Bắc Ninh, Hà Giang, Quảng Trị, Thanh Hóa;
#: months and first 3 days; 6-21 s): every run within 11 % of its time (section 5q).
REFRESH_WORK = 1.05e-4
CELL_WORK = 3.66e-8
SOLVER_WORK = 0.38


@dataclass(frozen=True)
class SearchParams:
    """Knobs of the search; the defaults were tuned on the TOP benchmark (Set 4)."""

    max_removed: int = 12
    """Largest number of visits one ruin step removes."""
    removed_fraction: float = 0.4
    """... and at most this fraction of the visits."""
    noise: float = 0.25
    """Multiplicative noise on the repair's prize / shift ratio (0 = greedy)."""
    threshold: float = 0.05
    """Record-to-record: accept a solution within this fraction of the best score."""
    covered_threshold: float = 0.0
    """With arc costs, while the best solution leaves no node worth a visit out for lack of
    time (what is left to gain is driving): accept a solution within this fraction of the
    best's arc cost instead; 0: always ``threshold`` of the score."""
    restart_after: int = 2000
    """Iterations without a new best before the search goes back to the best."""
    overfill: float = 0.15
    """Largest relaxation of the routes' deadlines while repairing (a fraction of the budget);
    the routes are then shortened and the visits worth least per minute dropped."""
    overfill_rate: float = 0.75
    """Share of the iterations that repair with relaxed deadlines."""
    pair_moves: bool = False
    """Whether the local search also swaps single visits and tails (2-opt*) between routes."""
    route_ruin_rate: float = 0.0
    """Share of the ruin steps that empty a whole route (half of it when there is one)."""
    alpha_max: float = 1.0
    """The repair ranks by prize ** alpha / shift, alpha drawn in [1, alpha_max]."""
    pool_size: int = 0
    """Routes kept for recombination (:mod:`._pool`); 0: no recombination."""
    recombine_every: int = 250
    """Iterations between two recombinations (one more at the end)."""
    recombine_work: float = 2.0
    """CP-SAT's deterministic work limit for one recombination (about seconds)."""
    push_within: float = 0.03
    """With time windows and several routes: a trial within this fraction of the best score
    also makes room for unvisited nodes by moving or dropping a visit (:func:`_push`), until
    it cannot."""
    full_routes_factor: float = 1.0
    """With an iteration limit and no time windows: when the limit is reached while nodes
    worth a visit are left out for lack of time (choosing them is then the problem), the
    search goes on to this many times the limit (once)."""
    full_routes_stall: int = 0
    """With ``full_routes_factor`` and routes full: a walk that finds no new best for this
    many iterations ends, and a new walk (its own construction, the seed + 1000, + 2000, ...)
    gets the iterations left when they are at least half the iteration limit; the best walk is
    kept. 0: one walk. A walk that chooses which nodes to leave out settles in one basin and
    stays there; another walk lands in another."""
    improving_factor: float = 1.0
    """With an iteration limit and no time windows: when the limit is reached while the walk
    found its last new best in its second half, the search goes on while that holds, up to
    this many times the limit."""
    cost_moves: bool = False
    """With arc costs and no time windows: the best solution found is polished at the end by
    the local search with the moves that keep the visits (2-opt, or-opt, relocate, swaps and
    tail exchanges) weighing the arc cost first and the time second, when no node worth a
    visit is left out for lack of time (what is left to gain is then the arc cost; the walk's
    moves weigh the time, which makes room for visits)."""
    prune_twins: bool = False
    """Of each class of interchangeable routes (:meth:`Problem.route_classes`), search with
    twice as many as the first construction uses, plus two, and leave the rest unused: a
    month gives each team 25 identical days of which a plan uses 3-5, and every array of the
    search has a row per route."""
    split_above: int = 0
    """With an iteration limit, arc costs and no time windows: a problem with more
    candidates than this whose first construction visits every one (only the driving is left
    to gain) is searched in parts after half the iterations (:mod:`._split`); 0: never."""
    granular: int = 0
    """The swaps and tail exchanges between routes (``pair_moves``) weigh a visit only against
    the routes that hold one of its this many nearest candidates, or hold a visit that has it
    among its own (Toth & Vigo's granular neighbourhoods); 0: against every route."""
    full_routes_work: float = 0.0
    """With ``full_routes_factor``: the search past its iterations (and the new walks of
    ``full_routes_stall``) ends once the whole search's work reaches this (units of about a
    second: :data:`REFRESH_WORK` per re-timed route, :data:`CELL_WORK` per cell of its
    insertion row, :data:`SOLVER_WORK` per unit of the recombinations' CP-SAT time), so a
    large problem keeps to about this many seconds; 0: no cap. The work is counted, not
    timed: the routes depend on the seed and the limits only."""
    work_limit: float = 0.0
    """With an iteration limit and no time windows: past its iterations the search goes on,
    whether or not it still improves, until its work (as :attr:`full_routes_work`) reaches
    this, and with ``full_routes_stall`` new walks start while it has not (searched in
    parts, ``split_above``, each part's walk has its share of the work left); 0: the
    iterations (and ``improving_factor``, ``full_routes_factor``) decide. For a caller that
    has nothing else to spend its time limit on."""
    home_days: bool = False
    """Without time windows: the local search gives a visit at a route's own start and end
    (no drive there or back: a team's base's own commune) an unused route of its own when
    it shares a route with others, which frees its service time there (:func:`_home_days`)."""
    islands: int = 0
    """With a work limit, arc costs, a route pool and no time windows, when the first
    construction visits every candidate (only the driving is left to gain): this many walks
    (their own random streams) take turns of ``recombine_every`` iterations, sharing one
    route pool, and after each round each walk's best takes the best of ``crossovers``
    crossings with the others' bests (:func:`_crossed`) when it is better
    (:func:`_island_walks`). One walk settles in one basin (which communes go to which team)
    and stays there; the walks land in different ones and the crossings carry a region's
    routes from one to another. 0 or 1: one walk."""
    split_selective: bool = False
    """With ``split_above``: also a problem whose first construction leaves candidates out
    (choosing them is then the problem) is searched in parts, each part with the candidates
    left out nearest its bases (:mod:`._split`); False: only a covered one."""
    islands_above: int = 0
    """With ``islands``: only a problem with more candidates than this; a smaller one's
    single walk makes iterations enough to settle well (Bắc Ninh's 121 communes: 2,700 in
    its work limit, where Thái Bình's 242 make 650), and four walks share them. The parts of
    a problem searched in parts (``split_above``) have the walks whatever their size: a part's
    share of the work is too little for one walk to settle (RESULTS.md, section 5x)."""
    crossovers: int = 8
    """With ``islands``: crossings tried per walk and round."""
    crossing_reach: int = 25
    """With ``islands``: a crossing takes the donor's routes through a candidate's this many
    nearest candidates (the candidate itself included)."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool):
                continue
            if f.name in _FACTORS and not (math.isfinite(value) and value >= 1):
                raise ValueError(f"{f.name}: expected a number >= 1, got {value}")
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{f.name}: expected a number >= 0, got {value}")
            if f.name in _FRACTIONS and value > 1:
                raise ValueError(f"{f.name}: expected a fraction between 0 and 1, got {value}")


#: The settings that are shares of something (at most 1) and those that multiply (at least 1).
_FRACTIONS = frozenset({"removed_fraction", "overfill_rate", "route_ruin_rate"})
_FACTORS = frozenset({"full_routes_factor", "improving_factor", "alpha_max"})


class _Context:
    """Constant arrays derived once from the problem, and the width of the granular
    neighbourhoods (:attr:`SearchParams.granular`)."""

    def __init__(
        self,
        problem: Problem,
        granular: int = 0,
        cost_moves: bool = False,
        home_days: bool = False,
    ) -> None:
        self.problem = problem
        self.work = 0.0  # REFRESH_WORK, CELL_WORK and SOLVER_WORK spent in this context
        n = problem.n_nodes
        self.n_routes = problem.n_routes
        travel = np.asarray(problem.travel, dtype=np.float64)
        self.travel = travel
        self.travel_rows = travel.tolist()
        # the compiled scans read the drives into a fixed node row by row from here
        self.travel_t = np.ascontiguousarray(travel.T)
        depots = sorted(set(problem.starts) | set(problem.ends))
        service = np.array(problem.service_times, dtype=np.float64)
        service[depots] = 0.0
        self.service = service
        self.service_list = service.tolist()
        self.has_windows = problem.time_windows is not None
        self.opens = np.array(problem.opens, dtype=np.float64)
        self.closes = np.array(problem.closes, dtype=np.float64)
        self.opens_list = self.opens.tolist()
        self.closes_list = self.closes.tolist()
        self.t0 = [problem.departure(r) for r in range(self.n_routes)]
        self.route_class = problem.route_classes()
        self.deadline = [problem.deadline(r) for r in range(self.n_routes)]
        self.symmetric = bool(np.allclose(travel, travel.T, rtol=0.0, atol=1e-9))
        self.cost = (
            None if problem.arc_costs is None else np.asarray(problem.arc_costs, dtype=np.float64)
        )
        # whether the local search may weigh the arc cost first (SearchParams.cost_moves)
        self.cost_moves = cost_moves and self.cost is not None and not self.has_windows
        # candidates: customers with a positive prize that some route can visit alone
        prizes = np.asarray(problem.prizes, dtype=np.float64)
        reachable = []
        for c in problem.customers:
            c = int(c)
            if prizes[c] <= 0:
                continue
            for r in range(self.n_routes):
                if problem.may_visit(r, c) and self._alone_ok(r, c):
                    reachable.append(c)
                    break
        self.nodes = np.array(reachable, dtype=np.intp)
        self.nc = len(reachable)
        self.granular = granular
        self.column = np.full(n, -1, dtype=np.intp)
        self.column[self.nodes] = np.arange(self.nc)
        self.prize = prizes[self.nodes]
        # travel from every node to each candidate column, and from each candidate to every node
        self.to_col = np.ascontiguousarray(travel[:, self.nodes])
        self.from_col = np.ascontiguousarray(travel[self.nodes, :].T)
        self.service_col = service[self.nodes]
        if self.cost_moves:
            assert self.cost is not None
            # 2-opt and reversed segments need both matrices symmetric
            self.cost_symmetric = self.symmetric and bool(
                np.allclose(self.cost, self.cost.T, rtol=0.0, atol=1e-9)
            )
            self.cost_to_col = np.ascontiguousarray(self.cost[:, self.nodes])
            self.cost_from_col = np.ascontiguousarray(self.cost[self.nodes, :].T)
        self.open_col = self.opens[self.nodes]
        self.close_col = self.closes[self.nodes]
        # which route may visit which candidate (None: every route every candidate)
        self.allowed_col: NDArray[np.bool_] | None = None
        if problem.allowed is not None:
            self.allowed_col = np.ascontiguousarray(problem.allowed[:, self.nodes])
        # nearest candidates of each candidate, for the related removal
        self.near = np.argsort(travel[np.ix_(self.nodes, self.nodes)], axis=1, kind="stable")
        # per candidate on the way of some route (SearchParams.home_days), those routes
        self.home_routes: dict[int, list[int]] = {}
        if home_days and not self.has_windows and self.n_routes > 1 and self.nc:
            self._find_homes()

    def _find_homes(self) -> None:
        """The candidates a route reaches with no drive: from its start to it and on to its
        end takes no longer (and, with arc costs, costs no more) than the direct trip."""
        starts = np.array(self.problem.starts, dtype=np.intp)
        ends = np.array(self.problem.ends, dtype=np.intp)
        detour = self.to_col[starts] + self.from_col[ends]
        home = detour - self.travel[starts, ends][:, None] <= TOLERANCE
        if self.cost is not None:
            cost = self.cost[starts][:, self.nodes] + self.cost[self.nodes][:, ends].T
            home &= cost - self.cost[starts, ends][:, None] <= _EPS
        if self.allowed_col is not None:
            home &= self.allowed_col
        for r, col in zip(*np.nonzero(home), strict=True):
            self.home_routes.setdefault(int(col), []).append(int(r))

    def _alone_ok(self, r: int, c: int) -> bool:
        s, e = self.problem.starts[r], self.problem.ends[r]
        arrive = self.t0[r] + self.travel_rows[s][c]
        if arrive > self.closes_list[c] + TOLERANCE:
            return False
        leave = max(arrive, self.opens_list[c]) + self.service_list[c]
        return leave + self.travel_rows[c][e] <= self.deadline[r] + TOLERANCE


class _State:
    """Routes with their timing and, per route, the best insertion of every candidate."""

    __slots__ = (
        "arr",
        "by_cost",
        "cins_cost",
        "cins_deadline",
        "cins_pos",
        "cins_stale",
        "cins_time",
        "cost",
        "ctx",
        "deadline",
        "dep",
        "duration",
        "exchange_seen",
        "ins_delta",
        "ins_pos",
        "ins_raw",
        "route_of",
        "score",
        "seqs",
        "shortened",
        "slack",
        "unchecked",
    )

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        p = ctx.problem
        self.deadline = list(ctx.deadline)
        self.seqs: list[list[int]] = [[p.starts[r], p.ends[r]] for r in range(ctx.n_routes)]
        self.route_of = np.full(ctx.nc, -1, dtype=np.intp)
        self.ins_delta = np.full((ctx.n_routes, ctx.nc), _INF)
        self.ins_pos = np.zeros((ctx.n_routes, ctx.nc), dtype=np.intp)
        # without time windows: the insertion rows before the cut at each route's slack
        self.ins_raw = np.full((ctx.n_routes, ctx.nc), _INF)
        self.arr: list[NDArray[np.float64]] = [np.zeros(2) for _ in range(ctx.n_routes)]
        self.dep: list[NDArray[np.float64]] = [np.zeros(2) for _ in range(ctx.n_routes)]
        self.slack: list[NDArray[np.float64]] = [np.zeros(2) for _ in range(ctx.n_routes)]
        self.duration = [0.0] * ctx.n_routes
        self.cost = [0.0] * ctx.n_routes
        self.score = 0.0
        # per pair move, the routes changed since it last found nothing to improve
        self.unchecked: dict[str, set[int]] = {
            "swap": set(),
            "cross": set(),
            "exchange": set(),
            "relocate": set(),
        }
        # the unvisited nodes when the exchange last weighed every route (None: never)
        self.exchange_seen: NDArray[np.bool_] | None = None
        # per route, its node list when 2-opt and or-opt last left it (a fixed point of both)
        # and whether they weighed the arc cost first
        self.shortened: list[tuple[bool, list[int]] | None] = [None] * ctx.n_routes
        # whether the moves that keep the visits weigh the arc cost first (a local search
        # pass sets it, SearchParams.cost_moves)
        self.by_cost = False
        # with cost moves, per route the cheapest insertion of every candidate that keeps the
        # route on time: its arc cost change, time change and edge (made by cost_rows when
        # first needed: the walk never weighs the arc cost first, and copies the state often)
        self.cins_cost = self.cins_time = np.zeros((0, 0))
        self.cins_pos = np.zeros((0, 0), dtype=np.intp)
        self.cins_stale = np.ones(ctx.n_routes, dtype=np.bool_)
        self.cins_deadline = np.array(self.deadline)  # the deadlines the rows were made for
        for r in range(ctx.n_routes):
            self.refresh(r)

    def copy(self) -> _State:
        other = _State.__new__(_State)
        other.ctx = self.ctx
        other.deadline = list(self.deadline)
        other.seqs = [list(s) for s in self.seqs]
        other.route_of = self.route_of.copy()
        other.ins_delta = self.ins_delta.copy()
        other.ins_pos = self.ins_pos.copy()
        other.ins_raw = self.ins_raw.copy()
        other.arr = list(self.arr)
        other.dep = list(self.dep)
        other.slack = list(self.slack)
        other.duration = list(self.duration)
        other.cost = list(self.cost)
        other.score = self.score
        other.unchecked = {move: set(routes) for move, routes in self.unchecked.items()}
        other.exchange_seen = self.exchange_seen
        other.shortened = list(self.shortened)  # never changed in place: shared
        other.by_cost = self.by_cost
        other.cins_stale = self.cins_stale.copy()
        other.cins_deadline = self.cins_deadline.copy()
        other.cins_cost = self.cins_cost.copy()  # empty until cost_rows made them
        other.cins_time = self.cins_time.copy()
        other.cins_pos = self.cins_pos.copy()
        return other

    def total_duration(self) -> float:
        return sum(self.duration)

    @property
    def value(self) -> float:
        """The objective: the prizes collected less the arc cost of the routes."""
        return self.score - sum(self.cost)

    def better_than(self, other: _State) -> bool:
        mine, theirs = self.value, other.value
        if mine > theirs + _EPS:
            return True
        return mine > theirs - _EPS and self.total_duration() < other.total_duration() - 1e-7

    # ---- timing -------------------------------------------------------------------------

    def refresh(self, r: int) -> bool:
        """Recompute route ``r``'s timing and insertion row; return whether it is feasible."""
        ctx = self.ctx
        for routes in self.unchecked.values():
            routes.add(r)
        self.cins_stale[r] = True
        seq = self.seqs[r]
        ctx.work += REFRESH_WORK + CELL_WORK * len(seq) * ctx.nc
        xs = np.array(seq, dtype=np.intp)
        t0 = ctx.t0[r]
        deadline = self.deadline[r]
        if not ctx.has_windows:
            arr, dep, slack = route_timing(xs, ctx.travel, ctx.service, t0, deadline)
            feasible = slack[-1] >= -TOLERANCE
        else:
            rows, opens, closes, service = (
                ctx.travel_rows,
                ctx.opens_list,
                ctx.closes_list,
                ctx.service_list,
            )
            k = len(seq)
            arr_l = [t0] * k
            dep_l = [t0] * k
            now = t0
            feasible = True
            for i in range(1, k):
                node = seq[i]
                now = dep_l[i - 1] + rows[seq[i - 1]][node]
                arr_l[i] = now
                if i < k - 1 and now > closes[node] + TOLERANCE:
                    feasible = False
                begin = now if now > opens[node] else opens[node]
                dep_l[i] = begin + service[node]
            slack_l = [0.0] * k
            s = deadline - arr_l[-1]
            if s < -TOLERANCE:
                feasible = False
            slack_l[-1] = s
            for i in range(k - 2, 0, -1):
                node = seq[i]
                wait = opens[node] - arr_l[i]
                if wait < 0.0:
                    wait = 0.0
                to_close = closes[node] - arr_l[i]
                s = wait + s
                if to_close < s:
                    s = to_close
                slack_l[i] = s
            slack_l[0] = s
            arr = np.array(arr_l)
            dep = np.array(dep_l)
            slack = np.array(slack_l)
        if len(seq) == 2:
            feasible = True  # an unused vehicle, even when the direct trip is too long
        self.arr[r] = arr
        self.dep[r] = dep
        self.slack[r] = slack
        self.duration[r] = float(arr[-1] - t0)
        if ctx.cost is not None:
            self.cost[r] = float(ctx.cost[xs[:-1], xs[1:]].sum()) if len(seq) > 2 else 0.0
        self._insertion_row(r, xs)
        return bool(feasible)

    def _insertion_row(self, r: int, xs: NDArray[np.intp]) -> None:
        ctx = self.ctx
        if ctx.nc == 0:
            return
        if not ctx.has_windows:  # compiled: the same arithmetic in the same order
            insertion_row(
                xs,
                ctx.to_col,
                ctx.from_col,
                ctx.service_col,
                ctx.travel,
                _NO_MASK if ctx.allowed_col is None else ctx.allowed_col[r],
                _NO_COST if ctx.cost is None else ctx.cost,
                ctx.nodes,
                ctx.prize,
                float(self.slack[r][-1]),
                TOLERANCE,
                _EPS,
                _INF,
                self.ins_raw[r],
                self.ins_delta[r],
                self.ins_pos[r],
            )
            return
        a = xs[:-1]
        b = xs[1:]
        arrive = self.dep[r][:-1][:, None] + ctx.to_col[a]
        ok = arrive <= ctx.close_col + TOLERANCE
        begin = np.maximum(arrive, ctx.open_col)
        delta = begin + ctx.service_col + ctx.from_col[b] - self.arr[r][1:][:, None]
        ok &= delta <= self.slack[r][1:][:, None] + TOLERANCE
        delta[~ok] = _INF
        pos = np.argmin(delta, axis=0)
        best = delta[pos, np.arange(ctx.nc)]
        if ctx.allowed_col is not None:
            best[~ctx.allowed_col[r]] = _INF
        if ctx.cost is not None:  # a visit must be worth more than the drive it adds
            cols = np.arange(ctx.nc)
            before, after = a[pos], b[pos]
            added = ctx.cost[before, ctx.nodes] + ctx.cost[ctx.nodes, after]
            added -= ctx.cost[before, after]
            best[ctx.prize[cols] <= added + _EPS] = _INF
        self.ins_delta[r] = best
        self.ins_pos[r] = pos

    def cost_rows(self) -> None:
        """Bring the cheapest insertions (``cins_*``, with cost moves) up to date: per route
        and candidate, the edge where it adds least arc cost (then least time) among those
        that keep the route on time. A row is made again when its route changed or its
        deadline moved (the repair relaxes them all, then puts them back)."""
        ctx = self.ctx
        assert ctx.cost is not None
        if self.cins_cost.size == 0 and ctx.nc:  # first use: every row is to be made
            self.cins_cost = np.full((ctx.n_routes, ctx.nc), _INF)
            self.cins_time = np.full((ctx.n_routes, ctx.nc), _INF)
            self.cins_pos = np.zeros((ctx.n_routes, ctx.nc), dtype=np.intp)
            self.cins_stale[:] = True
        deadlines = np.array(self.deadline)
        for r in np.flatnonzero(self.cins_stale | (deadlines != self.cins_deadline)).tolist():
            self.cins_stale[r] = False
            self.cins_deadline[r] = deadlines[r]
            xs = np.array(self.seqs[r], dtype=np.intp)
            a, b = xs[:-1], xs[1:]
            minutes = ctx.to_col[a] + ctx.from_col[b] + ctx.service_col
            minutes -= ctx.travel[a, b][:, None]
            cost = ctx.cost_to_col[a] + ctx.cost_from_col[b]
            cost -= ctx.cost[a, b][:, None]
            key = np.where(minutes <= self.slack[r][-1] + TOLERANCE, cost + 1e-9 * minutes, _INF)
            pos = np.argmin(key, axis=0)
            cols = np.arange(ctx.nc)
            best_cost = np.where(np.isfinite(key[pos, cols]), cost[pos, cols], _INF)
            if ctx.allowed_col is not None:
                best_cost[~ctx.allowed_col[r]] = _INF
            self.cins_cost[r] = best_cost
            self.cins_time[r] = minutes[pos, cols]
            self.cins_pos[r] = pos

    def set_deadline(self, r: int, deadline: float) -> bool:
        """Move route ``r``'s deadline; return whether the route is on time. Without time
        windows only the slack and the cut of the insertion row move, and an earlier
        deadline leaves the pair moves' scans valid (it can only make a move late)."""
        later = deadline > self.deadline[r]
        self.deadline[r] = deadline
        if self.ctx.has_windows:
            return self.refresh(r)
        if later:  # an earlier deadline only removes moves: a scan that found none still holds
            for routes in self.unchecked.values():
                routes.add(r)
        end_slack = deadline - float(self.arr[r][-1])
        self.slack[r] = np.full(len(self.seqs[r]), end_slack)
        raw = self.ins_raw[r]
        self.ins_delta[r] = np.where(raw > end_slack + TOLERANCE, _INF, raw)
        return len(self.seqs[r]) == 2 or end_slack >= -TOLERANCE

    # ---- edits --------------------------------------------------------------------------

    def insert(self, r: int, col: int, pos: int) -> None:
        """Insert candidate ``col`` after position ``pos`` of route ``r``."""
        self.seqs[r].insert(pos + 1, int(self.ctx.nodes[col]))
        self.route_of[col] = r
        self.score += float(self.ctx.prize[col])
        self.refresh(r)

    def remove_many(self, cols: list[int]) -> list[int]:
        """Remove visits; one whose removal would break its route (no triangle inequality)
        stays. Return the columns removed."""
        ctx = self.ctx
        by_route: dict[int, list[int]] = {}
        for col in cols:
            r = int(self.route_of[col])
            if r >= 0:
                by_route.setdefault(r, []).append(col)
        removed: list[int] = []
        for r, route_cols in by_route.items():
            old = self.seqs[r]
            gone = {int(ctx.nodes[c]) for c in route_cols}
            self.seqs[r] = [v for v in old if v not in gone]
            if self.refresh(r):
                removed.extend(route_cols)
            else:
                self.seqs[r] = old
                self.refresh(r)
        for col in removed:
            self.route_of[col] = -1
            self.score -= float(ctx.prize[col])
        return removed

    def unvisited_mask(self) -> NDArray[np.bool_]:
        return self.route_of < 0

    def routes(self) -> list[list[int]]:
        return [list(s) for s in self.seqs]


# ---- construction and repair ----------------------------------------------------------------


def _insert_greedy(
    state: _State,
    rng: np.random.Generator | None,
    noise: float,
    forbidden: NDArray[np.bool_] | None = None,
    alpha: float = 1.0,
) -> bool:
    """Insert candidates by best prize / shift ratio until none fits. Return whether any did."""
    ctx = state.ctx
    if ctx.nc == 0:
        return False
    changed = False
    prize = ctx.prize
    if alpha != 1.0:
        prize = prize**alpha
    weights = prize if rng is None else prize * (1.0 + noise * (2.0 * rng.random(ctx.nc) - 1.0))
    no_go = _NO_MASK if forbidden is None else forbidden
    while True:
        r, col = best_insertion(state.ins_delta, weights, state.route_of, no_go)
        if r < 0:
            return changed
        state.insert(r, col, int(state.ins_pos[r, col]))
        changed = True


def _replace_in_place(state: _State) -> bool:
    """Replace one visited node by an unvisited one with a larger prize, at the same position,
    when the route stays feasible (exact: only the arrival at the next node moves)."""
    ctx = state.ctx
    unvisited = np.flatnonzero(state.route_of < 0)
    if len(unvisited) == 0:
        return False
    best_gain = _EPS
    best: tuple[int, int, int] | None = None
    u_prize = ctx.prize[unvisited]
    for r, seq in enumerate(state.seqs):
        if len(seq) <= 2:
            continue
        xs = np.array(seq, dtype=np.intp)
        a, v, b = xs[:-2], xs[1:-1], xs[2:]
        v_prize = ctx.prize[ctx.column[v]]
        gain = u_prize[None, :] - v_prize[:, None]
        if not (gain > best_gain).any():
            continue
        dep_a = state.dep[r][:-2][:, None]
        arrive = dep_a + ctx.to_col[a][:, unvisited]
        begin = np.maximum(arrive, ctx.open_col[unvisited]) if ctx.has_windows else arrive
        new_b = begin + ctx.service_col[unvisited] + ctx.from_col[b][:, unvisited]
        shift = new_b - state.arr[r][2:][:, None]
        ok = shift <= state.slack[r][2:][:, None] + TOLERANCE
        if ctx.has_windows:
            ok &= arrive <= ctx.close_col[unvisited] + TOLERANCE
        if ctx.allowed_col is not None:
            ok &= ctx.allowed_col[r][unvisited][None, :]
        gain = np.where(ok, gain, -_INF)
        flat = int(np.argmax(gain))
        i, k = divmod(flat, gain.shape[1])
        if gain[i, k] > best_gain:
            best_gain = float(gain[i, k])
            best = (r, i + 1, int(unvisited[k]))
    if best is None:
        return False
    r, position, col = best
    old_col = int(ctx.column[state.seqs[r][position]])
    state.seqs[r][position] = int(ctx.nodes[col])
    state.route_of[old_col] = -1
    state.route_of[col] = r
    state.score += float(ctx.prize[col] - ctx.prize[old_col])
    if not state.refresh(r):  # cannot happen: the check above is exact
        raise AssertionError("in-place replacement broke a route")
    return True


def _exchange(state: _State) -> bool:
    """Swap a visited node for an unvisited one, inserted anywhere in the same route, when
    that collects more prize (or the same prize in less time). Without time windows only:
    the route's slack grows by the time the removed node cost, and the best insertion of the
    newcomer avoiding the two edges that disappear is among its three best edges, or the
    new edge that closes the gap.

    A route's moves depend only on the route and the newcomer, so a scan weighs the routes
    changed since the last scan against every unvisited node and the others against the
    nodes unvisited since then only. Each route's best move is made, the largest prize gain
    first, then the largest saving of time, each newcomer once; a route whose newcomer went
    to another route is weighed again at the next scan. Return whether any move was made.
    """
    ctx = state.ctx
    unvisited = np.flatnonzero(state.route_of < 0)
    used = [r for r, seq in enumerate(state.seqs) if len(seq) > 2]
    dirty = state.unchecked["exchange"]
    seen = state.exchange_seen
    state.exchange_seen = state.route_of < 0
    if len(unvisited) == 0 or not used:
        dirty.clear()
        return False
    fresh = unvisited if seen is None else unvisited[~seen[unvisited]]
    changed = [r for r in used if r in dirty]
    steady = [r for r in used if r not in dirty]
    dirty.clear()
    moves: list[tuple[float, float, int, int, int, int]] = []
    if changed:
        moves += _exchange_moves(state, changed, unvisited)
    if steady and len(fresh):
        moves += _exchange_moves(state, steady, fresh)
    moves.sort(key=lambda m: (-m[0], m[1], m[2]))
    taken: set[int] = set()
    made = False
    for _, _, r, position, col, edge in moves:
        if col in taken:
            dirty.add(r)  # its best newcomer went elsewhere: weigh the route again
            continue
        seq = state.seqs[r]
        old = list(seq)
        old_col = int(ctx.column[seq[position]])
        node = int(ctx.nodes[col])
        if edge < 0:
            seq[position] = node
        else:
            del seq[position]
            after = edge if edge < position else edge - 1
            seq.insert(after + 1, node)
        if not state.refresh(r):  # numerical safety: the evaluation is exact
            state.seqs[r] = old
            state.refresh(r)
            continue
        state.route_of[old_col] = -1
        state.route_of[col] = r
        state.score += float(ctx.prize[col] - ctx.prize[old_col])
        taken.add(col)
        made = True
    return made


def _exchange_moves(
    state: _State, used: list[int], unvisited: NDArray[np.intp]
) -> list[tuple[float, float, int, int, int, int]]:
    """The best exchange of each route in ``used`` with a node of ``unvisited``, as
    (prize gain, duration change, route, position, newcomer column, edge or -1 in place).

    The routes are padded to the longest and stacked, so the cost is a few array
    operations whatever the number of routes."""
    ctx = state.ctx
    travel = ctx.travel
    n_edges = np.array([len(state.seqs[r]) - 1 for r in used])
    width = int(n_edges.max())
    # a[r, e] -> b[r, e]: edge e of route r (padding repeats the route's last edge)
    a = np.empty((len(used), width), dtype=np.intp)
    b = np.empty((len(used), width), dtype=np.intp)
    for k, r in enumerate(used):
        xs = state.seqs[r]
        m = len(xs) - 1
        a[k, :m] = xs[:-1]
        b[k, :m] = xs[1:]
        a[k, m:] = xs[-2]
        b[k, m:] = xs[-1]
    real = np.arange(width)[None, :] < n_edges[:, None]  # (R, E)
    pool_service = ctx.service_col[unvisited]
    to_a = ctx.to_col[a][:, :, unvisited]  # (R, E, P): edge start -> newcomer
    from_b = ctx.from_col[b][:, :, unvisited]  # (R, E, P): newcomer -> edge end
    edge_cost = to_a + from_b + pool_service
    edge_cost -= travel[a, b][:, :, None]
    edge_cost[~real] = _INF
    # the three cheapest edges of each newcomer in each route, cheapest first
    k3 = min(3, width)
    top = np.argsort(edge_cost, axis=1, kind="stable")[:, :k3, :]  # (R, k3, P)
    top_cost = np.take_along_axis(edge_cost, top, axis=1)
    # visit i of a route sits between edges i and i + 1
    n_visits = width - 1
    visit = np.arange(n_visits)[None, :, None]  # (1, V, 1)
    other_best = np.full((len(used), n_visits, len(unvisited)), _INF)
    other_edge = np.full((len(used), n_visits, len(unvisited)), -1, dtype=np.intp)
    pending = np.ones_like(other_best, dtype=np.bool_)
    for j in range(k3):
        e = top[:, j, :][:, None, :]  # (R, 1, P)
        c = top_cost[:, j, :][:, None, :]
        usable = pending & (e != visit) & (e != visit + 1)
        other_best = np.where(usable, c, other_best)
        other_edge = np.where(usable, e, other_edge)
        pending &= ~usable
    va, v, vb = a[:, :-1], b[:, :-1], b[:, 1:]  # (R, V)
    in_place = to_a[:, :-1] + from_b[:, 1:] + pool_service - travel[va, vb][:, :, None]
    saved = travel[va, v] + ctx.service[v] + travel[v, vb] - travel[va, vb]
    use_place = in_place <= other_best
    cost = np.where(use_place, in_place, other_best)
    change = cost - saved[:, :, None]  # change in the route's duration
    slack = np.array([state.slack[r][-1] for r in used])
    ok = change <= slack[:, None, None] + TOLERANCE
    ok &= (np.arange(n_visits)[None, :] < (n_edges - 1)[:, None])[:, :, None]
    if ctx.allowed_col is not None:
        ok &= ctx.allowed_col[used][:, unvisited][:, None, :]
    v_prize = ctx.prize[ctx.column[v]]
    gain = ctx.prize[unvisited][None, None, :] - v_prize[:, :, None]
    worth = ok & (gain > _EPS)
    if not state.by_cost:  # with cost moves, a time saving may cost more: the prize only
        worth |= ok & (gain > -_EPS) & (change < -1e-7)
    routes = np.flatnonzero(worth.any(axis=(1, 2)))
    if len(routes) == 0:
        return []
    flat_worth = worth[routes].reshape(len(routes), -1)
    key_gain = np.where(flat_worth, gain[routes].reshape(len(routes), -1), -_INF)
    top_gain = key_gain.max(axis=1)
    best_change = np.where(
        flat_worth & (key_gain >= top_gain[:, None] - _EPS),
        change[routes].reshape(len(routes), -1),
        _INF,
    )
    picks = np.argmin(best_change, axis=1)
    moves = []
    for k, flat in zip(routes.tolist(), picks.tolist(), strict=True):
        i, p = divmod(flat, len(unvisited))
        edge = -1 if use_place[k, i, p] else int(other_edge[k, i, p])
        moves.append(
            (float(gain[k, i, p]), float(change[k, i, p]), used[k], i + 1, int(unvisited[p]), edge)
        )
    return moves


# ---- route shortening (no time windows) ---------------------------------------------------


def _two_opt(seq: list[int], travel: NDArray[np.float64]) -> bool:
    """Best-improvement 2-opt on a route, in place (symmetric travel, no time windows)."""
    if len(seq) < 5:
        return False
    improved = False
    while True:
        xs = np.array(seq, dtype=np.intp)
        a, b = xs[:-1], xs[1:]
        edge = travel[a, b]
        gain = travel[a[:, None], a] + travel[b[:, None], b] - edge[:, None] - edge[None, :]
        gain = np.triu(gain, k=2)
        flat = int(np.argmin(gain))
        i, j = divmod(flat, gain.shape[1])
        if gain[i, j] >= -1e-9:
            return improved
        seq[i + 1 : j + 1] = seq[i + 1 : j + 1][::-1]
        improved = True


def _segments(
    n_pos: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]] | None:
    """The segments or-opt may move in a route of ``n_pos`` positions (1 to 3 visits, the
    route keeping one visit at least): their first and last positions and lengths; None
    when there is none."""
    lengths = [k for k in (1, 2, 3) if n_pos - 2 >= k + 1]
    if not lengths:
        return None
    first = np.concatenate([np.arange(1, n_pos - k) for k in lengths])
    length = np.concatenate([np.full(n_pos - 1 - k, k) for k in lengths])
    return first, first + length - 1, length


def _move_segment(seq: list[int], start: int, k: int, edge: int, reverse: bool) -> None:
    """Move the ``k`` visits from position ``start`` to edge ``edge`` of ``seq`` (numbered
    in the route before the move), reversed or not, in place."""
    segment = seq[start : start + k]
    if reverse:
        segment = segment[::-1]
    rest = seq[:start] + seq[start + k :]
    edge_from = edge if edge < start else edge - k
    seq[:] = rest[: edge_from + 1] + segment + rest[edge_from + 1 :]


def _or_opt(seq: list[int], travel: NDArray[np.float64], symmetric: bool) -> bool:
    """Move a segment of 1 to 3 visits elsewhere in the route (reversed too when the travel
    is symmetric), best improvement first, in place. No time windows."""
    improved = False
    while True:
        segments = _segments(len(seq))
        if segments is None:
            return improved
        first, last, length = segments
        xs = np.array(seq, dtype=np.intp)
        before, after = xs[first - 1], xs[last + 1]
        s_first, s_last = xs[first], xs[last]
        removal = travel[before, s_first] + travel[s_last, after] - travel[before, after]
        a, b = xs[:-1], xs[1:]
        edge = travel[a, b]
        fwd = travel[a[:, None], s_first] + travel[s_last[:, None], b].T
        if symmetric:
            rev = travel[a[:, None], s_last] + travel[s_first[:, None], b].T
            add = np.minimum(fwd, rev)
        else:
            add = fwd
        delta = add - edge[:, None] - removal[None, :]  # (edge j, segment i)
        edges = np.arange(len(a))[:, None]
        delta[(edges >= first[None, :] - 1) & (edges <= last[None, :])] = _INF
        flat = int(np.argmin(delta))
        j, i = divmod(flat, delta.shape[1])
        if delta[j, i] >= -1e-9:
            return improved
        reverse = bool(symmetric and rev[j, i] < fwd[j, i])
        _move_segment(seq, int(first[i]), int(length[i]), j, reverse)
        improved = True


def _improving(cost: NDArray[np.float64], minutes: NDArray[np.float64]) -> NDArray[np.bool_]:
    """With cost moves: the moves that lower the arc cost, or keep it and save time."""
    return (cost < -_EPS) | ((cost <= _EPS) & (minutes < -1e-7))


def _cost_key(cost: NDArray[np.float64], minutes: NDArray[np.float64]) -> NDArray[np.float64]:
    """With cost moves: the order of the moves, arc cost first and time second."""
    return cost + 1e-9 * minutes


def _two_opt_by_cost(
    seq: list[int], travel: NDArray[np.float64], cost: NDArray[np.float64], slack: float
) -> tuple[bool, float]:
    """:func:`_two_opt` weighing the arc cost first and the time second, keeping the route
    within its ``slack`` (minutes); return whether it moved and the slack left."""
    improved = False
    while len(seq) >= 5:
        xs = np.array(seq, dtype=np.intp)
        a, b = xs[:-1], xs[1:]
        gains = []
        for matrix in (cost, travel):
            edge = matrix[a, b]
            gains.append(
                matrix[a[:, None], a] + matrix[b[:, None], b] - edge[:, None] - edge[None, :]
            )
        dc, dt = gains
        ok = np.triu(_improving(dc, dt) & (dt <= slack + TOLERANCE), k=2)
        if not ok.any():
            break
        flat = int(np.argmin(np.where(ok, _cost_key(dc, dt), _INF)))
        i, j = divmod(flat, ok.shape[1])
        seq[i + 1 : j + 1] = seq[i + 1 : j + 1][::-1]
        slack -= float(dt[i, j])
        improved = True
    return improved, slack


def _or_opt_by_cost(
    seq: list[int],
    travel: NDArray[np.float64],
    cost: NDArray[np.float64],
    symmetric: bool,
    slack: float,
) -> tuple[bool, float]:
    """:func:`_or_opt` weighing the arc cost first and the time second, keeping the route
    within its ``slack`` (minutes); return whether it moved and the slack left."""
    improved = False
    while True:
        segments = _segments(len(seq))
        if segments is None:
            break
        first, last, length = segments
        xs = np.array(seq, dtype=np.intp)
        before, after = xs[first - 1], xs[last + 1]
        s_first, s_last = xs[first], xs[last]
        a, b = xs[:-1], xs[1:]
        edges = np.arange(len(a))[:, None]
        inside = (edges >= first[None, :] - 1) & (edges <= last[None, :])
        # per matrix, the change when the segment goes forwards (and reversed) to edge j
        changes = []
        for matrix in (cost, travel):
            removal = matrix[before, s_first] + matrix[s_last, after] - matrix[before, after]
            base = matrix[a, b][:, None] + removal[None, :]
            fwd = matrix[a[:, None], s_first] + matrix[s_last[:, None], b].T - base
            rev = matrix[a[:, None], s_last] + matrix[s_first[:, None], b].T - base
            changes.append((fwd, rev))
        keys = []
        for k in range(2 if symmetric else 1):
            dc, dt = changes[0][k], changes[1][k]
            ok = _improving(dc, dt) & (dt <= slack + TOLERANCE) & ~inside
            keys.append(np.where(ok, _cost_key(dc, dt), _INF))
        key = np.minimum(keys[0], keys[1]) if symmetric else keys[0]
        flat = int(np.argmin(key))
        j, i = divmod(flat, key.shape[1])
        if not math.isfinite(key[j, i]):
            break
        reverse = bool(symmetric and keys[1][j, i] < keys[0][j, i])
        slack -= float(changes[1][1 if reverse else 0][j, i])
        _move_segment(seq, int(first[i]), int(length[i]), j, reverse)
        improved = True
    return improved, slack


def _shorten(state: _State, r: int) -> bool:
    """2-opt and or-opt on route ``r`` until neither shortens it (with cost moves, until
    neither lowers its arc cost or, at the same cost, its time). A route of one visit, or
    one these moves left as it is now, cannot be shortened: it is not scanned again."""
    ctx = state.ctx
    seq = state.seqs[r]
    if len(seq) <= 3 or state.shortened[r] == (state.by_cost, seq):
        return False
    improved = False
    if state.by_cost:
        assert ctx.cost is not None
        slack = float(state.slack[r][-1])
        while True:
            if ctx.cost_symmetric:
                moved, slack = _two_opt_by_cost(seq, ctx.travel, ctx.cost, slack)
                improved |= moved
            moved, slack = _or_opt_by_cost(seq, ctx.travel, ctx.cost, ctx.cost_symmetric, slack)
            if not moved:
                break
            improved = True
    else:
        while True:
            if ctx.symmetric and _two_opt(seq, ctx.travel):
                improved = True
            if not _or_opt(seq, ctx.travel, ctx.symmetric):
                break
            improved = True
    if improved:
        state.refresh(r)
    state.shortened[r] = (state.by_cost, list(seq))
    return improved


def _relocate_between(state: _State) -> bool:
    """Move one visit to another route when that shortens the total (no time windows).

    Every visit of every route is weighed at once: the time its removal saves against its
    cheapest insertion into any other route (the stored insertion rows). With cost moves, the
    arc cost its removal saves against its cheapest insertion by arc cost that keeps the other
    route on time, the time deciding between equal costs."""
    ctx = state.ctx
    if ctx.n_routes < 2 or (state.by_cost and not state.unchecked["relocate"]):
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
    routes = np.array(owner, dtype=np.intp)
    moves: list[tuple[int, int]] = []
    if state.by_cost:
        gain = travel[a, v] + travel[v, b] + ctx.service[v] - travel[a, b]  # time saved
        moves = _relocations_by_cost(state, v, a, b, routes, gain)
    else:
        i, target, delta = best_relocation(
            a, v, b, routes, travel, ctx.service, ctx.column, state.ins_delta
        )
        if delta < -1e-9:
            moves = [(int(ctx.column[v[i]]), target)]
    positions = state.cins_pos if state.by_cost else state.ins_pos
    touched: set[int] = set()
    for col, target in moves:
        source = int(state.route_of[col])
        if source in touched or target in touched:
            continue
        touched.update((source, target))
        pos = int(positions[target, col])
        node = int(ctx.nodes[col])
        state.seqs[source].remove(node)
        state.refresh(source)
        state.seqs[target].insert(pos + 1, node)
        state.route_of[col] = target
        if not state.refresh(target):  # the stored insertion was checked exactly
            raise AssertionError("relocation broke a route")
    return bool(moves)


def _relocations_by_cost(
    state: _State,
    v: NDArray[np.intp],
    a: NDArray[np.intp],
    b: NDArray[np.intp],
    owner: NDArray[np.intp],
    gain: NDArray[np.float64],
) -> list[tuple[int, int]]:
    """With cost moves: the relocations of visits ``v`` (between ``a`` and ``b`` in route
    ``owner``, saving ``gain`` minutes when they leave) that lower the arc cost or, at the
    same cost, the time, as (candidate column, target route), best first, each visit once.

    A relocation depends only on its two routes: the visits of routes changed since the last
    scan are weighed against every route, the others against the changed routes only."""
    ctx = state.ctx
    assert ctx.cost is not None
    dirty = state.unchecked["relocate"]
    changed = np.array(sorted(dirty), dtype=np.intp)
    dirty.clear()
    state.cost_rows()
    cols = ctx.column[v]
    saved = ctx.cost[a, v] + ctx.cost[v, b] - ctx.cost[a, b]  # arc cost saved
    # without the triangle inequality a route may get longer when a visit leaves it
    leaves = gain >= -np.array([state.slack[r][-1] for r in owner]) - TOLERANCE
    moved = np.isin(owner, changed)
    found: list[tuple[float, int, int]] = []
    for visits, targets in (
        (np.flatnonzero(moved), np.arange(ctx.n_routes)),
        (np.flatnonzero(~moved), changed),
    ):
        if len(visits) == 0:
            continue
        c = cols[visits]
        dc = state.cins_cost[np.ix_(targets, c)] - saved[visits]
        dc[targets[:, None] == owner[visits][None, :]] = _INF  # not back into its own route
        dt = state.cins_time[np.ix_(targets, c)] - gain[visits]
        key = np.where(_improving(dc, dt) & leaves[visits], _cost_key(dc, dt), _INF)
        best_row = np.argmin(key, axis=0)
        best = key[best_row, np.arange(len(visits))]
        for k in np.flatnonzero(np.isfinite(best)).tolist():
            found.append((float(best[k]), int(c[k]), int(targets[best_row[k]])))
    found.sort()
    return [(col, target) for _, col, target in found]


def _positions(
    state: _State, routes: list[int]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Every position of the given routes, flattened: the node there, its route and its
    index in the route; and the flat position where each of the routes begins."""
    if not routes:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty, empty
    lengths = [len(state.seqs[r]) for r in routes]
    nodes = np.fromiter(
        (node for r in routes for node in state.seqs[r]), dtype=np.intp, count=sum(lengths)
    )
    route = np.repeat(np.array(routes, dtype=np.intp), lengths)
    starts = np.cumsum([0, *lengths[:-1]]).astype(np.intp)
    index = np.arange(len(nodes)) - np.repeat(starts, lengths)
    return nodes, route, index, starts


def _swap_between(state: _State) -> bool:
    """Swap one visit of a route with one of another when that shortens the pair and both
    stay on time (no time windows). Each visit takes the other's place or, when that is
    shorter, its own best place in the other route (SWAP*, Vidal 2022: the stored insertion
    row, used when its edge is not next to the visit leaving). Only pairs with a visit in a
    route changed since the last scan can have become better, and they are weighed at once
    (with ``granular``, only pairs where one visit's route holds a near neighbour of the
    other: a swap between far-apart routes rarely shortens them); the best swaps on disjoint
    pairs of routes are all made (a swap's effect depends only on its two routes). Return
    whether any was made."""
    ctx = state.ctx
    dirty = state.unchecked["swap"]
    if ctx.n_routes < 2 or not dirty:
        return False
    used = [r for r, seq in enumerate(state.seqs) if len(seq) > 2]
    nodes, route, index, _ = _positions(state, used)
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
    saved = out - travel[a, b]  # the time the route saves when the visit leaves it
    if state.by_cost:
        i, j, delta, moved_into, moved_back = _swap_pairs_by_cost(
            state, rows, owner, p, a, v, b, cols, slack
        )
    else:
        # the pairs (visit i of a changed route, visit j) in two routes: every pair or,
        # granular, those where one visit's route holds a near neighbour of the other; each
        # visit takes the other's place or, SWAP*, its best place elsewhere in the other
        # route (the stored insertion, valid when that place is not next to the visit
        # leaving)
        near = _near_routes(state, cols) if ctx.granular else _NO_MASK_2D
        allowed = _NO_MASK_2D if ctx.allowed_col is None else ctx.allowed_col
        i, j, delta, moved_into, moved_back = swap_pairs(
            rows, owner, p, a, b, cols, out, saved, slack, near, ctx.to_col, ctx.from_col,
            ctx.service_col, ctx.nodes, travel, ctx.travel_t, state.ins_raw, state.ins_pos,
            allowed, TOLERANCE, _INF,
        )  # fmt: skip
    ci, cj = cols[i], cols[j]
    if len(delta) == 0:
        return False
    order = np.argsort(delta, kind="stable")
    touched: set[int] = set()
    made = False
    for k in order[:256]:
        r1, r2 = int(owner[i[k]]), int(owner[j[k]])
        if r1 in touched or r2 in touched:
            continue
        p1, p2 = int(p[i[k]]), int(p[j[k]])
        old1, old2 = state.seqs[r1], state.seqs[r2]
        n1, n2 = old1[p1], old2[p2]
        col1, col2 = int(ci[k]), int(cj[k])
        elsewhere1, elsewhere2 = moved_into[k], moved_back[k]
        positions = state.cins_pos if state.by_cost else state.ins_pos
        e1 = int(positions[r1, col2]) if elsewhere1 else None
        e2 = int(positions[r2, col1]) if elsewhere2 else None
        seq1 = _swapped(old1, p1, n2, e1)
        seq2 = _swapped(old2, p2, n1, e2)
        if _replace_pair(state, r1, r2, seq1, seq2):
            touched.update((r1, r2))
            made = True
    return made


def _swap_pairs_by_cost(
    state: _State,
    rows: NDArray[np.intp],
    owner: NDArray[np.intp],
    p: NDArray[np.intp],
    a: NDArray[np.intp],
    v: NDArray[np.intp],
    b: NDArray[np.intp],
    cols: NDArray[np.intp],
    slack: NDArray[np.float64],
) -> tuple[
    NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_]
]:
    """With cost moves, the swaps of :func:`_swap_between` that lower the arc cost or, at
    the same cost, the time (:func:`planner.orienteering._kernels.swap_pairs` weighs the
    time alone): per pair found, visit ``i`` (of a changed route), visit ``j``, the order
    key, and whether each visit goes elsewhere in the other route; in the order
    (``rows``, ``j``). The polish by cost runs this a few hundred times in a search, so it
    stays in NumPy."""
    ctx = state.ctx
    apart = owner[rows][:, None] != owner[None, :]
    if ctx.granular:
        near = _near_routes(state, cols)
        apart &= near[rows][:, owner] | near[:, owner[rows]].T
    x, j = np.nonzero(apart)
    i = rows[x]
    ci, cj = cols[i], cols[j]
    state.cost_rows()
    into, into_cost, moved_into = _swap_side_by_cost(
        state, a[i], v[i], b[i], owner[i], p[i], slack[i], cj
    )
    back, back_cost, moved_back = _swap_side_by_cost(
        state, a[j], v[j], b[j], owner[j], p[j], slack[j], ci
    )
    ok = np.isfinite(into) & np.isfinite(back)
    ok &= _improving(into_cost + back_cost, into + back)
    delta = _cost_key(into_cost + back_cost, into + back)
    if ctx.allowed_col is not None:
        ok &= ctx.allowed_col[owner[i], cj]
        ok &= ctx.allowed_col[owner[j], ci]
    found = np.flatnonzero(ok)
    return i[found], j[found], delta[found], moved_into[found], moved_back[found]


def _swap_side_by_cost(
    state: _State,
    a: NDArray[np.intp],
    v: NDArray[np.intp],
    b: NDArray[np.intp],
    owner: NDArray[np.intp],
    position: NDArray[np.intp],
    slack: NDArray[np.float64],
    cols: NDArray[np.intp],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Per pair, with cost moves: the time and arc cost changes of route ``owner`` when its
    visit ``v`` (between ``a`` and ``b``, at ``position``; the route has ``slack`` minutes)
    leaves and candidate ``cols`` takes its place or, when that costs less, its cheapest place
    elsewhere in the route (the stored row, when that place is not next to the visit
    leaving); and whether it goes elsewhere. The time is infinite when neither keeps the
    route on time."""
    ctx = state.ctx
    assert ctx.cost is not None
    cost, travel = ctx.cost, ctx.travel
    out_time = travel[a, v] + ctx.service[v] + travel[v, b]
    out_cost = cost[a, v] + cost[v, b]
    place_time = ctx.to_col[a, cols] + ctx.from_col[b, cols] + ctx.service_col[cols] - out_time
    place_cost = ctx.cost_to_col[a, cols] + ctx.cost_from_col[b, cols] - out_cost
    edge = state.cins_pos[owner, cols]
    next_to = (edge == position - 1) | (edge == position)
    else_time = state.cins_time[owner, cols] - (out_time - travel[a, b])
    else_cost = np.where(next_to, _INF, state.cins_cost[owner, cols] - (out_cost - cost[a, b]))
    place_key = np.where(place_time <= slack + TOLERANCE, _cost_key(place_cost, place_time), _INF)
    else_ok = np.isfinite(else_cost) & (else_time <= slack + TOLERANCE)
    else_key = np.where(else_ok, _cost_key(else_cost, else_time), _INF)
    moved = else_key < place_key
    minutes = np.where(moved, else_time, np.where(np.isfinite(place_key), place_time, _INF))
    return minutes, np.where(moved, else_cost, place_cost), moved


def _near_routes(state: _State, cols: NDArray[np.intp]) -> NDArray[np.bool_]:
    """(len(cols), routes): the routes holding one of each candidate's nearest candidates."""
    ctx = state.ctx
    width = min(ctx.granular, ctx.near.shape[1] - 1)
    return near_routes(cols, ctx.near, width, state.route_of, ctx.n_routes)


def _near_cut_routes(
    state: _State, nodes: NDArray[np.intp], index: NDArray[np.intp], last: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """(positions, routes): for a cut after each position of :func:`_positions`, the routes
    holding a near neighbour of the visit there (of the first visit, for a cut after the
    start); every route at the end positions, where no cut is made."""
    ctx = state.ctx
    flat = np.arange(len(nodes))
    at = np.where(index == 0, np.minimum(flat + 1, len(nodes) - 1), flat)
    mask = np.ones((len(nodes), ctx.n_routes), dtype=np.bool_)
    cut = (index < last) & (last > 1)  # an empty route's start has no visit to be near
    mask[cut] = _near_routes(state, ctx.column[nodes[at[cut]]])
    return mask


def _empty_of_each_class(state: _State) -> list[int]:
    """The first route without visits of each class of interchangeable routes."""
    seen: set[int] = set()
    out: list[int] = []
    for r, seq in enumerate(state.seqs):
        k = state.ctx.route_class[r]
        if len(seq) == 2 and k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _swapped(seq: list[int], position: int, node: int, edge: int | None) -> list[int]:
    """``seq`` without its visit at ``position`` and with ``node`` in its place (``edge``
    None) or after the visit at index ``edge`` of ``seq`` (an edge not next to it)."""
    if edge is None:
        out = list(seq)
        out[position] = node
        return out
    out = []
    for k, visit in enumerate(seq):
        if k != position:
            out.append(visit)
        if k == edge:
            out.append(node)
    return out


def _replace_pair(state: _State, r1: int, r2: int, seq1: list[int], seq2: list[int]) -> bool:
    """Give routes ``r1`` and ``r2`` new sequences (a move between them, checked exactly
    before); back to the old ones if either is late, which only rounding can cause."""
    old1, old2 = state.seqs[r1], state.seqs[r2]
    state.seqs[r1], state.seqs[r2] = seq1, seq2
    if not (state.refresh(r1) & state.refresh(r2)):  # numerical safety only
        state.seqs[r1], state.seqs[r2] = old1, old2
        state.refresh(r1)
        state.refresh(r2)
        return False
    ctx = state.ctx
    for r in (r1, r2):
        for node in state.seqs[r][1:-1]:
            state.route_of[ctx.column[node]] = r
    return True


def _cross_between(state: _State) -> bool:
    """Exchange the tails of two routes (2-opt*): route 1 keeps its visits up to a cut and
    then drives route 2's visits after its cut, and the other way round; each route keeps
    its own end. One empty route of each class takes part, so a route's tail, or all its
    visits, may move to an unused route of another start (another team's base). Made when the pair gets shorter and both stay on time (no time windows).
    Weighed at once for every pair of cuts with one in a route changed since the last scan
    (with ``granular``, only where one cut's route holds a near neighbour of the visit at the
    other cut); the best exchanges on disjoint pairs of routes are all made."""
    ctx = state.ctx
    dirty = state.unchecked["cross"]
    if ctx.n_routes < 2 or not dirty:
        return False
    travel = ctx.travel
    # the routes with visits, and one empty route of each class, which may take a route's
    # tail (or all its visits) and drive it from its own start: a day's cluster of visits
    # moves to another team's base at once (a relocation moves one visit, and the first to
    # move pays the whole drive from the new base)
    used = [r for r, seq in enumerate(state.seqs) if len(seq) > 2]
    if used:
        used = sorted(used + _empty_of_each_class(state))
    if len(used) < 2:
        dirty.clear()
        return False
    nodes, route, index, begins = _positions(state, used)
    lengths = np.array([len(seq) for seq in state.seqs])
    last_index = lengths[route] - 1
    ends = np.array(ctx.problem.ends, dtype=np.intp)
    arr = np.concatenate([state.arr[r] for r in used])
    dep = np.concatenate([state.dep[r] for r in used])
    offset = np.zeros(ctx.n_routes, dtype=np.intp)
    offset[used] = begins  # the flat position where each used route begins
    # a tail starting at position h: its visits h .. the route's last visit
    last_visit = offset[route] + last_index - 1  # flat position of the route's last visit
    inner = (index > 0) & (index < last_index)
    tail_minutes = np.where(inner, dep[last_visit] - arr, 0.0)
    # which route may take every visit of the tail from h on: suffix counts of refusals
    if ctx.allowed_col is not None:
        slot = np.full(ctx.n_routes, -1, dtype=np.intp)
        slot[used] = np.arange(len(used))
        refused = np.zeros((len(used), len(nodes) + 1), dtype=np.intp)
        refused[:, :-1][:, inner] = ~ctx.allowed_col[used][:, ctx.column[nodes[inner]]]
        suffix = np.cumsum(refused[:, ::-1], axis=1)[:, ::-1]
        route_end = offset[route] + last_index  # the end depot's flat position
        tail_ok = suffix[:, :-1] == suffix[:, route_end]  # (used route slot, position)
    cuts = np.flatnonzero(index < last_index)  # cut after: the start .. the last visit
    rows = cuts[np.isin(route[cuts], list(dirty))]
    dirty.clear()
    if len(rows) == 0:
        return False
    slack = np.array([s[-1] for s in state.slack])
    end_arrival = np.array([a[-1] for a in state.arr])

    near = _near_cut_routes(state, nodes, index, last_index) if ctx.granular else _NO_MASK_2D
    if ctx.allowed_col is None:
        tail_ok, slot = _NO_MASK_2D, _NO_INDEX
    if state.by_cost:
        c1s, c2s, delta = _cross_pairs_by_cost(
            state, rows, cuts, route, nodes, inner, tail_minutes, dep, last_visit, ends,
            end_arrival, slack, near, tail_ok, slot,
        )  # fmt: skip
    else:
        c1s, c2s, delta = cross_pairs(
            rows, cuts, route, nodes, inner, tail_minutes, dep, last_visit, ends, end_arrival,
            slack, travel, ctx.travel_t, near, tail_ok, slot, TOLERANCE,
        )  # fmt: skip
    if len(delta) == 0:
        return False
    order = np.argsort(delta, kind="stable")
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
        if _replace_pair(state, r1, r2, seq1, seq2):
            touched.update((r1, r2))
            made = True
    return made


def _cross_pairs_by_cost(
    state: _State,
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
    near: NDArray[np.bool_],
    tail_ok: NDArray[np.bool_],
    slot: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """With cost moves, the tail exchanges of :func:`_cross_between` that lower the arc cost
    or, at the same cost, the time (:func:`planner.orienteering._kernels.cross_pairs` weighs
    the time alone; its arguments are these): per pair found, the two cuts and the order
    key, in the order (``rows``, ``cuts``). The polish by cost runs this a few hundred times
    in a search, so it stays in NumPy."""
    ctx = state.ctx
    assert ctx.cost is not None
    cost, travel = ctx.cost, ctx.travel

    def change(c: NDArray[np.intp], cp: NDArray[np.intp]) -> NDArray[np.float64]:
        """Per pair: the end-time change of the route of cut c when it takes the tail after
        cut cp."""
        h = cp + 1
        end_c = ends[route[c]]
        via = travel[nodes[c], nodes[h]] + tail_minutes[h]
        via += travel[nodes[last_visit[h]], end_c]
        new_end = dep[c] + np.where(inner[h], via, travel[nodes[c], end_c])
        return new_end - end_arrival[route[c]]

    def link_cost(c: NDArray[np.intp], cp: NDArray[np.intp]) -> NDArray[np.float64]:
        """Per pair: the arc cost of the links that join the route of cut c to the tail
        after cut cp and that tail to the route's end (the tail's own arcs are the same
        wherever it goes)."""
        h = cp + 1
        end_c = ends[route[c]]
        via = cost[nodes[c], nodes[h]] + cost[nodes[last_visit[h]], end_c]
        return np.where(inner[h], via, cost[nodes[c], end_c])

    r_rows, r_cuts = route[rows], route[cuts]
    pairs = r_rows[:, None] != r_cuts[None, :]
    if len(near):
        pairs &= near[rows][:, r_cuts] | near[cuts][:, r_rows].T
    x, y = np.nonzero(pairs)
    c1s, c2s = rows[x], cuts[y]
    mine = change(c1s, c2s)  # the changed route takes the other's tail
    theirs = change(c2s, c1s)  # the other route takes the changed one's
    ok = mine <= slack[route[c1s]] + TOLERANCE
    ok &= theirs <= slack[route[c2s]] + TOLERANCE
    if len(tail_ok):
        ok &= tail_ok[slot[route[c1s]], c2s + 1]
        ok &= tail_ok[slot[route[c2s]], c1s + 1]
    dc = link_cost(c1s, c2s) + link_cost(c2s, c1s)
    dc -= link_cost(c1s, c1s) + link_cost(c2s, c2s)
    ok &= _improving(dc, mine + theirs)
    delta = _cost_key(dc, mine + theirs)
    found = np.flatnonzero(ok)
    return c1s[found], c2s[found], delta[found]


def _push(state: _State) -> bool:
    """Make room for an unvisited node: take a visit out of a route, put the newcomer in
    that route wherever it fits best and the visit, when it fits, in another route (else it
    is dropped, and the newcomer must be worth more). Every route and visit is tried, each
    with its exact insertion row once the visit is out; the move collecting the most prize
    is made. Return whether one was."""
    ctx = state.ctx
    unvisited = state.route_of < 0
    if ctx.nc == 0 or not unvisited.any():
        return False
    best_gain = _EPS
    best: tuple[int, int, int, int, int, int] | None = None
    marks = {move: set(routes) for move, routes in state.unchecked.items()}
    top_prize = float(ctx.prize[unvisited].max())
    candidates = np.where(unvisited, ctx.prize, -_INF)
    for r, seq in enumerate(state.seqs):
        if len(seq) <= 2:
            continue
        # where each visit of the route could go instead: another route's stored insertion
        cols = ctx.column[np.array(seq[1:-1], dtype=np.intp)]
        elsewhere = state.ins_delta[:, cols].copy()
        elsewhere[r] = _INF
        target = np.argmin(elsewhere, axis=0)
        moves_on = np.isfinite(elsewhere[target, np.arange(len(cols))])
        for i, col in enumerate(cols.tolist()):
            v_prize = 0.0 if moves_on[i] else float(ctx.prize[col])
            if top_prize - v_prize <= best_gain:
                continue  # no newcomer could gain more than the best move found
            # the newcomer's row in the route without the visit
            state.seqs[r] = seq[: i + 1] + seq[i + 2 :]
            state.refresh(r)
            room = np.isfinite(state.ins_delta[r]) & unvisited
            if room.any():
                gains = np.where(room, candidates, -_INF)
                u = int(np.argmax(gains))
                if gains[u] - v_prize > best_gain:
                    best_gain = float(gains[u] - v_prize)
                    to = int(target[i]) if moves_on[i] else -1
                    best = (r, i + 1, u, int(state.ins_pos[r, u]), to, col)
            state.seqs[r] = seq
        state.refresh(r)
    state.unchecked = marks
    if best is None:
        return False
    r, position, u, pos, to, col = best
    node, newcomer = state.seqs[r][position], int(ctx.nodes[u])
    old_r = list(state.seqs[r])
    seq = old_r[:position] + old_r[position + 1 :]
    seq.insert(pos + 1, newcomer)
    state.seqs[r] = seq
    state.route_of[u] = r
    state.score += float(ctx.prize[u])
    feasible = state.refresh(r)
    if to >= 0:
        state.seqs[to].insert(int(state.ins_pos[to, col]) + 1, node)
        state.route_of[col] = to
        feasible &= state.refresh(to)
    else:
        state.route_of[col] = -1
        state.score -= float(ctx.prize[col])
    if not feasible:  # numerical safety: both insertions were checked exactly
        raise AssertionError("a push broke a route")
    return True


def _local_search(
    state: _State, changed: set[int], pairs: bool = False, by_cost: bool = False
) -> None:
    """Shorten routes, then fill them, until nothing improves. With ``by_cost`` (and cost
    moves), each pass first decides what the moves that keep the visits weigh: the arc cost
    first when no node worth a visit is left out for lack of time, else the time. Within a
    pass every move improves (prize, then arc cost, then time) but the home-day move
    (:func:`_home_days`, neutral, each one leaves one home visit fewer in a shared route), and
    a new pass follows only a gain of prize, so the search ends."""
    ctx = state.ctx
    shorten = not ctx.has_windows
    while True:
        mode = by_cost and ctx.cost_moves and not _routes_full(state)
        if mode != state.by_cost:  # what the scans found no longer holds
            state.by_cost = mode
            for routes in state.unchecked.values():
                routes.update(range(ctx.n_routes))
            state.exchange_seen = None
            changed = set(range(ctx.n_routes))
        while shorten:
            _shortened(state, changed, pairs)
            # a neutral move: each one empties a shared route of one more home visit, so
            # the loop ends
            changed = set()
            if ctx.home_routes and not _routes_full(state):
                changed = _home_days(state)
            if not changed:
                break
        changed = set()
        before = [list(s) for s in state.seqs]
        progress = _insert_greedy(state, None, 0.0)
        if not progress:
            progress = _exchange(state) if shorten else _replace_in_place(state)
        if not progress:
            return
        changed = {r for r in range(ctx.n_routes) if state.seqs[r] != before[r]}


def _shortened(state: _State, changed: set[int], pairs: bool) -> None:
    """The moves that keep the visits (no time windows): shorten the routes ``changed``,
    then move visits between routes until none shortens the total."""
    for r in sorted(changed):
        _shorten(state, r)
    while (
        _relocate_between(state)
        or (pairs and _swap_between(state))
        or (pairs and _cross_between(state))
    ):
        pass


def _home_days(state: _State) -> set[int]:
    """Give each visit that is on the way of some unused route (a team's base's own commune:
    no drive there and back) that route, when it shares a route with other visits and leaving
    it drives no longer and costs no more. Return the routes changed.

    The value and the total time stay the same: the move is neutral to every other move of
    the search (relocating such a visit to an empty day saves its service and costs its
    service), so without it the walk never makes it. It frees the visit's service time in a
    driving day, which the moves between routes then use: PyVRP's plans of a province's
    month hold such days, and on Quảng Trị's month it is the difference between them
    (benchmarks/RESULTS.md, sections 5l and 5m). It is made only while no node worth a visit
    is left out for lack of time (:func:`_local_search`): where choosing the visits is the
    problem it derailed the walks."""
    ctx = state.ctx
    travel, cost = ctx.travel, ctx.cost
    changed: set[int] = set()
    for col, routes in ctx.home_routes.items():
        r = int(state.route_of[col])
        if r < 0 or len(state.seqs[r]) <= 3 or r in changed:
            continue
        node = int(ctx.nodes[col])
        seq = state.seqs[r]
        p = seq.index(node)
        a, b = seq[p - 1], seq[p + 1]
        if travel[a, node] + travel[node, b] - travel[a, b] < -TOLERANCE:
            continue  # the rest of the route would drive longer
        if cost is not None and cost[a, node] + cost[node, b] - cost[a, b] < -_EPS:
            continue
        for q in routes:
            if len(state.seqs[q]) == 2 and q not in changed and ctx._alone_ok(q, node):
                del seq[p]
                state.refresh(r)
                state.seqs[q] = [state.seqs[q][0], node, state.seqs[q][-1]]
                state.route_of[col] = q
                state.refresh(q)
                changed.update((r, q))
                break
    return changed


def _restore_deadlines(state: _State) -> None:
    """Put the true deadlines back and drop, from each route that is late, the visit that
    collects least prize per minute saved, until the route is on time."""
    ctx = state.ctx
    travel = ctx.travel
    for r in range(ctx.n_routes):
        feasible = state.set_deadline(r, ctx.deadline[r])
        while not feasible:
            xs = np.array(state.seqs[r], dtype=np.intp)
            a, v, b = xs[:-2], xs[1:-1], xs[2:]
            saved = travel[a, v] + ctx.service[v] + travel[v, b] - travel[a, b]
            ratio = ctx.prize[ctx.column[v]] / (np.maximum(saved, 0.0) + 1e-6)
            i = int(np.argmin(ratio))
            col = int(ctx.column[v[i]])
            del state.seqs[r][i + 1]
            state.route_of[col] = -1
            state.score -= float(ctx.prize[col])
            feasible = state.refresh(r)
            if len(state.seqs[r]) <= 2 and not feasible:  # pragma: no cover - defensive
                raise AssertionError("an empty route is late")


# ---- ruin -------------------------------------------------------------------------------


def _ruin(state: _State, rng: np.random.Generator, params: SearchParams) -> list[int]:
    ctx = state.ctx
    visited = np.flatnonzero(state.route_of >= 0)
    if len(visited) == 0:
        return []
    cap = max(1, min(params.max_removed, math.ceil(params.removed_fraction * len(visited))))
    k = int(rng.integers(1, cap + 1))
    kind = int(rng.integers(0, 4))
    if rng.random() < params.route_ruin_rate:  # a whole route, or half of the only one
        routes = [r for r in range(ctx.n_routes) if len(state.seqs[r]) > 2]
        r = routes[int(rng.integers(0, len(routes)))]
        inner = state.seqs[r][1:-1]
        if ctx.n_routes == 1:
            length = max(1, len(inner) // 2)
            begin = int(rng.integers(0, len(inner) - length + 1))
            inner = inner[begin : begin + length]
        return state.remove_many([int(ctx.column[v]) for v in inner])
    if kind == 0:  # random visits
        cols = rng.choice(visited, size=min(k, len(visited)), replace=False)
        chosen = [int(c) for c in cols]
    elif kind == 1:  # a segment of consecutive visits in one or every route
        chosen = []
        routes = [r for r in range(ctx.n_routes) if len(state.seqs[r]) > 2]
        if rng.random() < 0.5:
            routes = [routes[int(rng.integers(0, len(routes)))]]
        for r in routes:
            inner = state.seqs[r][1:-1]
            length = min(len(inner), k)
            begin = int(rng.integers(0, len(inner) - length + 1))
            chosen.extend(int(ctx.column[v]) for v in inner[begin : begin + length])
    elif kind == 2:  # related: a seed visit and the visits nearest to it
        seed = int(visited[int(rng.integers(0, len(visited)))])
        order = ctx.near[seed]
        in_route = state.route_of[order] >= 0
        chosen = [int(c) for c in order[in_route][:k]]
    else:  # worst prize per minute saved, with some randomness
        gains = np.empty(len(visited))
        for i, col in enumerate(visited):
            r = int(state.route_of[col])
            seq = state.seqs[r]
            p = seq.index(int(ctx.nodes[col]))
            a, v, b = seq[p - 1], seq[p], seq[p + 1]
            t = ctx.travel_rows
            gains[i] = t[a][v] + t[v][b] + ctx.service_list[v] - t[a][b]
        ratio = ctx.prize[visited] / (gains + 1e-6)
        ratio *= 1.0 + params.noise * rng.random(len(visited))
        chosen = [int(c) for c in visited[np.argsort(ratio, kind="stable")[:k]]]
    return state.remove_many(chosen)


# ---- driver ---------------------------------------------------------------------------------


@dataclass
class SearchOutcome:
    routes: list[list[int]]
    iterations: int
    best_iteration: int
    value: float = 0.0
    """The routes' prizes less their arc cost."""
    lengthened: bool = False
    """Whether the search went past its iterations because the routes were full
    (:attr:`SearchParams.full_routes_factor`)."""
    work: float = 0.0
    """The search's work (:attr:`SearchParams.full_routes_work`)."""


def run(
    problem: Problem,
    *,
    seed: int,
    time_limit: float | None,
    max_iterations: int | None,
    params: SearchParams | None = None,
    deadline: float | None = None,
) -> SearchOutcome:
    """Run the search; stop after ``max_iterations`` or when the time is up, whichever first."""
    started = time.perf_counter()
    params = params or SearchParams()
    first = _FirstConstruction(problem)
    if worth_splitting(problem, max_iterations, params.split_above) and (
        params.split_selective or first.covered
    ):
        assert max_iterations is not None  # worth_splitting checked it
        return _split_run(
            problem, seed, time_limit, max_iterations, params, deadline, started, first
        )
    return _walks_on_twins(
        problem, seed, time_limit, max_iterations, params, deadline, started, first
    )


class _FirstConstruction:
    """The first construction of a problem (cheapest insertion on every route, no noise),
    made once when first asked: whether it covers the problem (:attr:`covered`, the split)
    and how many routes of each class it fills (:func:`_twins_kept`). On Thanh Hóa's month
    (650 team-days) one construction takes about 0.4 s; the split and the twins used to make
    one each, and the walk over the whole province a third."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._state: _State | None = None

    @property
    def state(self) -> _State:
        if self._state is None:
            self._state = _State(_Context(self.problem))
            _insert_greedy(self._state, None, 0.0)
        return self._state

    @property
    def covered(self) -> bool:
        """Whether it visits every candidate that some route could still take."""
        return not _routes_full(self.state)


def _walks_on_twins(
    problem: Problem,
    seed: int,
    time_limit: float | None,
    max_iterations: int | None,
    params: SearchParams,
    deadline: float | None,
    started: float,
    first: _FirstConstruction,
) -> SearchOutcome:
    """:func:`_walks` on the routes :func:`_twins_kept` keeps (all without ``prune_twins``),
    the others left unused."""
    kept = _twins_kept(problem, first) if params.prune_twins else None
    # the walks of ``islands`` need a covered problem: known from the first construction
    islands = params.islands > 1 and params.work_limit > 0 and first.covered
    if kept is None:
        return _walks(problem, seed, time_limit, max_iterations, params, deadline, started, islands)
    outcome = _walks(
        problem.with_routes(kept),
        seed,
        time_limit,
        max_iterations,
        params,
        deadline,
        started,
        islands,
    )
    routes = [[problem.starts[r], problem.ends[r]] for r in range(problem.n_routes)]
    for r, route in zip(kept, outcome.routes, strict=True):
        routes[r] = route
    return replace(outcome, routes=routes)


def _split_run(
    problem: Problem,
    seed: int,
    time_limit: float | None,
    max_iterations: int,
    params: SearchParams,
    deadline: float | None,
    started: float,
    first: _FirstConstruction,
) -> SearchOutcome:
    """Half the iterations on the whole problem, the rest in parts (:mod:`._split`), then
    a local search over the whole joins the parts. A problem whose routes are full
    (``split_selective``) keeps its whole walk to its half (no longer walk, no new walks:
    the rest is the parts'). With a work limit, each part's walk goes
    on past its iterations until its share of the work the whole walk left (its share of
    the candidates); without, a part whose routes are full lengthens its search
    (``full_routes_factor``) only until its share of ``full_routes_work``."""
    walk_params = replace(params, split_above=0, improving_factor=1.0, work_limit=0.0)
    selective = not first.covered
    whole_params = walk_params
    if selective:  # the whole walk keeps to its half: the rest is the parts'
        whole_params = replace(walk_params, full_routes_factor=1.0, full_routes_stall=0)
    half = max(1, max_iterations // 2)
    whole_work = parts_budget = parts_work = 0.0

    def walk(sub: Problem, sub_seed: int, iterations: int) -> tuple[list[list[int]], int]:
        nonlocal whole_work, parts_work
        left = None if time_limit is None else time_limit - (time.perf_counter() - started)
        if left is not None and left <= 0:  # pragma: no cover - out of time
            return [[sub.starts[r], sub.ends[r]] for r in range(sub.n_routes)], 0
        if sub is problem:  # the first construction is made already
            outcome = _walks_on_twins(
                problem,
                sub_seed,
                left,
                iterations,
                whole_params,
                deadline,
                time.perf_counter(),
                first,
            )
            whole_work += outcome.work
            return outcome.routes, outcome.iterations
        sub_params = walk_params
        if parts_budget > 0:
            share = parts_budget * candidates(sub) / max(1, candidates(problem))
            if params.work_limit > 0:
                # a part's share of the work is too little for one walk to settle: its
                # walks (islands) whatever its size
                sub_params = replace(walk_params, work_limit=share, islands_above=0)
            else:  # full routes: a part's longer search keeps to its share
                sub_params = replace(walk_params, full_routes_work=share)
        outcome = run(
            sub,
            seed=sub_seed,
            time_limit=left,
            max_iterations=iterations,
            params=sub_params,
            deadline=deadline,
        )
        parts_work += outcome.work
        return outcome.routes, outcome.iterations

    routes, spent = walk(problem, seed, half)
    if params.work_limit > 0:
        parts_budget = max(0.0, params.work_limit - whole_work)
    elif selective and params.full_routes_work > 0:
        # never 0, which as full_routes_work would mean no cap at all
        parts_budget = max(1e-9, params.full_routes_work - whole_work)
    per_group = SELECTIVE_GROUP_ITERATIONS if selective else GROUP_ITERATIONS
    routes, in_parts = searched_in_parts(
        problem, routes, seed, per_group * (max_iterations - half), walk, selective=selective
    )
    routes, value = _joined(problem, routes, params)
    iterations = spent + in_parts
    return SearchOutcome(routes, iterations, iterations, value, work=whole_work + parts_work)


def _joined(
    problem: Problem, routes: list[list[int]], params: SearchParams
) -> tuple[list[list[int]], float]:
    """The local search over the whole problem from ``routes`` (the moves between routes
    reach across the parts), on the routes used and two unused of each class."""
    classes = problem.route_classes()
    spare: dict[int, int] = {}
    kept: list[int] = []
    for r, route in enumerate(routes):
        if len(route) > 2:
            kept.append(r)
        elif spare.get(classes[r], 0) < 2:
            spare[classes[r]] = spare.get(classes[r], 0) + 1
            kept.append(r)
    sub = problem.with_routes(kept)
    ctx = _Context(sub, params.granular, params.cost_moves, params.home_days)
    state = _state_of(ctx, [routes[r] for r in kept])
    before = state.copy()
    _local_search(state, set(range(ctx.n_routes)), params.pair_moves)
    if ctx.cost_moves:
        _local_search(state, set(range(ctx.n_routes)), params.pair_moves, by_cost=True)
    if not state.better_than(before):
        state = before
    joined = [list(route) for route in routes]
    for r, seq in zip(kept, state.seqs, strict=True):
        joined[r] = list(seq)
    return joined, state.value


def _walks(
    problem: Problem,
    seed: int,
    time_limit: float | None,
    max_iterations: int | None,
    params: SearchParams,
    deadline: float | None,
    started: float,
    islands: bool = False,
) -> SearchOutcome:
    """One walk; or, when its routes are full and it stalls
    (:attr:`SearchParams.full_routes_stall`), new walks from their own constructions and
    seeds for the iterations it left, each at least half ``max_iterations`` long, the best kept.
    They share the time limit. With ``islands`` (the first construction covers the problem),
    :func:`_island_walks` when they apply."""
    if islands:
        crossed = _island_walks(
            problem, seed, time_limit, max_iterations, params, deadline, started
        )
        if crossed is not None:
            return crossed
    stall = params.full_routes_stall
    best = _run(problem, seed, time_limit, max_iterations, params, deadline, started, stall)
    if not (stall and best.lengthened and max_iterations is not None):
        return best
    spent = best.iterations
    work = best.work
    # with a work limit, walks of the iterations asked for or more until the work is spent
    budget = math.inf if params.work_limit > 0 else max_iterations * params.full_routes_factor
    cap = params.work_limit or params.full_routes_work
    # the later walks have their length from the start: no longer search of their own
    later = replace(params, full_routes_factor=1.0, improving_factor=1.0)
    w = 1
    while budget - spent >= max(1, max_iterations // 2) and not (cap > 0 and work >= cap):
        other = _run(
            problem,
            seed + 1000 * w,
            time_limit,
            max_iterations if math.isinf(budget) else round(budget - spent),
            later,
            deadline,
            started,
            stall,
            stall_from_start=True,
            work_before=work,
        )
        work = other.work
        if other.value > best.value + _EPS:
            best = replace(other, best_iteration=spent + other.best_iteration)
        spent += other.iterations
        w += 1
        if other.iterations == 0:  # pragma: no cover - out of time
            break
    return replace(best, iterations=spent, work=work)


class _Walk:
    """One walk of :func:`_island_walks`: its random stream, where it is and its best."""

    def __init__(self, start: _State, seed: int, params: SearchParams) -> None:
        self.rng = np.random.default_rng(seed)
        self.params = params
        self.current = start.copy()
        self.best = start.copy()
        self.tolerance = _acceptance(self.best, params)

    def step(self, trial: _State) -> None:
        """Record-to-record acceptance of ``trial``, as in :func:`_run`."""
        if trial.better_than(self.best):
            self.best = trial.copy()
            self.tolerance = _acceptance(self.best, self.params)
        if (
            trial.value >= self.current.value - _EPS
            or trial.value >= self.best.value - self.tolerance
        ):
            self.current = trial

    def jump(self, state: _State) -> None:
        """Go on from ``state``, better than the walk's best."""
        self.best = state.copy()
        self.current = state
        self.tolerance = _acceptance(self.best, self.params)


def _island_walks(
    problem: Problem,
    seed: int,
    time_limit: float | None,
    max_iterations: int | None,
    params: SearchParams,
    deadline: float | None,
    started: float,
) -> SearchOutcome | None:
    """:attr:`SearchParams.islands` walks sharing a route pool and crossing their bests, or
    None when they do not apply (no work limit, pool or arc cost; time windows; no more
    candidates than :attr:`SearchParams.islands_above`; the first construction leaves a node
    worth a visit out for lack of time).

    Each round, every walk makes ``recombine_every`` steps (:func:`_iterate`, accepted as in
    :func:`_run`) and then recombines the shared pool from its best, jumping to the result
    when it is better. Then each walk's best is crossed with the bests of others drawn at
    random (:func:`_crossed`, ``crossovers`` times) and jumps to the best child when it is
    better. The search ends after the round in which both its iterations and its work
    reach their limits (checked after every walk's turn), or at the time limit. On Thái
    Bình's month (242 communes, only the driving left) four walks and eight crossings gave
    19,847.86 over seeds 1-12 where one walk gives 19,847.17, at the same work
    (benchmarks/RESULTS.md, section 5t)."""
    if (
        params.work_limit <= 0
        or max_iterations is None
        or params.pool_size <= 0
        or problem.time_windows is not None
        or problem.arc_costs is None
    ):
        return None
    ctx = _Context(problem, params.granular, params.cost_moves, params.home_days)
    if ctx.nc <= params.islands_above:
        return None
    start = _State(ctx)
    _insert_greedy(start, None, 0.0)
    if _routes_full(start):  # pragma: no cover - the first construction covered it
        return None
    stop_at = math.inf if time_limit is None else started + time_limit
    if deadline is not None:
        stop_at = min(stop_at, started + (deadline - time.time()))
    every_route = set(range(ctx.n_routes))
    _local_search(start, every_route, params.pair_moves)
    walks = [_Walk(start, seed + 1000 * w, params) for w in range(params.islands)]
    crossing = np.random.default_rng(seed + 500)
    pool = RoutePool(problem, params.pool_size)
    best = start.copy()
    iteration = best_iteration = 0

    def spent() -> bool:
        return (
            iteration >= max_iterations and ctx.work >= params.work_limit
        ) or time.perf_counter() >= stop_at

    def record(state: _State) -> None:
        nonlocal best, best_iteration
        if state.better_than(best):
            best = state.copy()
            best_iteration = iteration

    while not spent():
        for walk in walks:
            for _ in range(params.recombine_every):
                if time.perf_counter() >= stop_at:  # pragma: no cover - out of time
                    break
                iteration += 1
                trial = _iterate(walk.current.copy(), walk.rng, params)
                for r, seq in enumerate(trial.seqs):
                    pool.add(r, seq, trial.duration[r])
                walk.step(trial)
            if pool.added_since_solve:
                merged = _recombined(
                    pool, walk.best, params.recombine_work, seed, params.pair_moves
                )
                if merged is not None and merged.better_than(walk.best):
                    walk.jump(merged)
            record(walk.best)
            if spent():
                break
        else:
            for w, walk in enumerate(walks):
                child = _best_child(walks, w, crossing, params, pool)
                if child is not None and child.better_than(walk.best):
                    walk.jump(child)  # its routes are in the pool already
                    record(child)
    best = _by_cost(best, params.pair_moves)  # the walks weighed minutes
    return SearchOutcome(best.routes(), iteration, best_iteration, best.value, work=ctx.work)


def _best_child(
    walks: Sequence[_Walk],
    w: int,
    rng: np.random.Generator,
    params: SearchParams,
    pool: RoutePool,
) -> _State | None:
    """The best of ``params.crossovers`` crossings of walk ``w``'s best with the bests of
    other walks drawn at random (None when no crossing gives feasible routes).

    Every child's routes join the pool, the best child's or not: a child is two good plans
    joined and polished by the local search, so its days are good days that neither walk
    has met, and the next recombination may combine them with others (Thái Bình's month,
    seeds 1-18: 19,847.78 -> 19,847.96; benchmarks/RESULTS.md, section 5w)."""
    others = [k for k in range(len(walks)) if k != w]
    best: _State | None = None
    for _ in range(params.crossovers):
        donor = walks[others[int(rng.integers(len(others)))]].best
        child = _crossed(walks[w].best, donor, int(rng.integers(walks[w].best.ctx.nc)), params)
        if child is None:
            continue
        for r, seq in enumerate(child.seqs):
            pool.add(r, seq, child.duration[r])
        if best is None or child.better_than(best):
            best = child
    return best


def _crossed(receiver: _State, donor: _State, col: int, params: SearchParams) -> _State | None:
    """A selective route exchange (Nagata and Kobayashi's SREX, by region): around
    candidate ``col``, its ``crossing_reach`` nearest candidates; the receiver's
    routes through any of them are emptied and the donor's routes through any of them take
    empty routes of their class in the receiver (days of a team are interchangeable); the
    donor's visits are then removed from the receiver's other routes, the candidates left
    out are inserted again (cheapest insertion) and the local search polishes the child
    (by the time, then by the arc cost).
    None when a class has no empty route left or a route with visits removed is late (a
    travel matrix without the triangle inequality)."""
    ctx = receiver.ctx
    classes = ctx.route_class
    region = {int(ctx.nodes[c]) for c in ctx.near[col][: params.crossing_reach]}

    def through(seq: list[int]) -> bool:
        return any(node in region for node in seq[1:-1])

    child = [list(seq) for seq in receiver.seqs]
    for r, seq in enumerate(child):
        if through(seq):
            child[r] = [seq[0], seq[-1]]
    taken: set[int] = set()
    given: set[int] = set()
    for d, seq in enumerate(donor.seqs):
        if not through(seq):
            continue
        slot = next(
            (
                r
                for r, own in enumerate(child)
                if len(own) == 2 and r not in given and classes[r] == classes[d]
            ),
            None,
        )
        if slot is None:
            return None
        child[slot] = list(seq)
        given.add(slot)
        taken.update(seq[1:-1])
    for r, seq in enumerate(child):
        if r not in given:
            child[r] = [seq[0]] + [node for node in seq[1:-1] if node not in taken] + [seq[-1]]
    state = _timed(ctx, child)
    if state is None:
        return None
    _insert_greedy(state, None, 0.0)
    _local_search(state, set(range(ctx.n_routes)), params.pair_moves)
    return _by_cost(state, params.pair_moves)


def _by_cost(state: _State, pairs: bool) -> _State:
    """``state``, or its polish by the local search weighing the arc cost first
    (:attr:`SearchParams.cost_moves`) when that is better: a walk weighs the minutes, which
    make room for visits; once none is left out, what may be left is the arc cost."""
    if not state.ctx.cost_moves:
        return state
    polished = state.copy()
    _local_search(polished, set(range(state.ctx.n_routes)), pairs, by_cost=True)
    return polished if polished.better_than(state) else state


def _twins_kept(problem: Problem, first: _FirstConstruction) -> list[int] | None:
    """The routes to search with (:attr:`SearchParams.prune_twins`), or None for all: of
    each class, the first ``min(size, 2 * used + 2)``, where ``used`` is how many routes of
    the class the first construction (cheapest insertion on every route) fills. The walk
    rarely opens more routes of a class than the construction: on Thanh Hóa's month (26
    teams, 650 team-days) the search runs on 186 routes."""
    classes = problem.route_classes()
    sizes = np.bincount(classes)
    if sizes.max() <= 4:
        return None
    used = np.zeros(len(sizes), dtype=np.intp)
    for r, seq in enumerate(first.state.seqs):
        used[classes[r]] += len(seq) > 2
    caps = np.minimum(sizes, 2 * used + 2)
    if int(caps.sum()) == problem.n_routes:
        return None
    taken = np.zeros(len(sizes), dtype=np.intp)
    kept: list[int] = []
    for r, k in enumerate(classes):
        if taken[k] < caps[k]:
            kept.append(r)
            taken[k] += 1
    return kept


def _run(
    problem: Problem,
    seed: int,
    time_limit: float | None,
    max_iterations: int | None,
    params: SearchParams,
    deadline: float | None,
    started: float,
    stall: int = 0,
    stall_from_start: bool = False,
    work_before: float = 0.0,
) -> SearchOutcome:
    """One walk. With ``stall``, it ends after that many iterations without a new best once
    it is lengthened (its routes full at its iteration limit), or from the start. Once
    lengthened (or, with ``stall_from_start``, from the start) it also ends when
    ``work_before`` and its own work reach :attr:`SearchParams.full_routes_work`."""
    stop_at = math.inf
    if time_limit is not None:
        stop_at = started + time_limit
    if deadline is not None:
        stop_at = min(stop_at, started + (deadline - time.time()))
    rng = np.random.default_rng(seed)
    ctx = _Context(problem, params.granular, params.cost_moves, params.home_days)
    current = _State(ctx)
    _insert_greedy(current, None, 0.0)
    _local_search(current, set(range(ctx.n_routes)), params.pair_moves)
    best = current.copy()
    best_iteration = 0
    since_best = 0
    iteration = 0
    limit = max_iterations if max_iterations is not None else (1 << 62)
    # with no arc cost, visiting every candidate is optimal; with one, routes may still shorten
    everyone = ctx.cost is None
    done = ctx.nc == 0 or (everyone and bool(np.all(best.route_of >= 0)))
    pool = RoutePool(problem, params.pool_size) if params.pool_size > 0 and ctx.nc else None
    # with a time limit, keep time for the last recombination (its work is about seconds)
    search_until = stop_at
    if pool is not None and math.isfinite(stop_at):
        search_until = stop_at - min(params.recombine_work, 0.25 * (stop_at - started))
    # with time windows the local search has no move between routes: a promising trial
    # also tries to make room for unvisited nodes (:func:`_push`); with one route there is
    # nowhere to move a visit, and the scan (a route timed once per visit) costs most
    push = ctx.has_windows and ctx.n_routes > 1 and params.push_within > 0
    extended = params.full_routes_factor <= 1.0 or max_iterations is None or ctx.has_windows
    lengthened = False
    improving_until = 0
    if max_iterations is not None and not ctx.has_windows:
        improving_until = round(max_iterations * params.improving_factor)
    # past its iterations, a search with a work limit goes on until its work reaches it
    by_work = params.work_limit > 0 and max_iterations is not None and not ctx.has_windows
    work_cap = params.work_limit if by_work else params.full_routes_work
    tolerance = _acceptance(best, params)
    while not done and time.perf_counter() < search_until:
        if iteration >= limit:
            if not extended and _routes_full(best):
                extended = lengthened = True
                limit = max(limit, round(limit * params.full_routes_factor))
                continue
            if by_work:
                if work_before + ctx.work >= params.work_limit:
                    break
            elif iteration >= improving_until or 2 * best_iteration <= iteration:
                break
        if stall and (lengthened or stall_from_start) and iteration - best_iteration >= stall:
            break
        if work_cap > 0 and (lengthened or stall_from_start) and work_before + ctx.work >= work_cap:
            break
        iteration += 1
        trial = _iterate(current.copy(), rng, params)
        if push and trial.value >= best.value - params.push_within * abs(best.value):
            while _push(trial):
                _local_search(trial, set(range(ctx.n_routes)), params.pair_moves)
        if pool is not None:
            for r, seq in enumerate(trial.seqs):
                pool.add(r, seq, trial.duration[r])
            if iteration % params.recombine_every == 0 and pool.added_since_solve:
                merged = _recombined(pool, best, params.recombine_work, seed, params.pair_moves)
                if merged is not None and merged.better_than(best):
                    trial = merged  # the walk goes on from the recombination
        if trial.better_than(best):
            best = trial.copy()
            best_iteration = iteration
            since_best = 0
            tolerance = _acceptance(best, params)
        else:
            since_best += 1
        # record-to-record: keep the trial when it is no worse than where the walk is, or
        # within the tolerance of the best score
        if trial.value >= current.value - _EPS or trial.value >= best.value - tolerance:
            current = trial
        if since_best >= params.restart_after:
            current = best.copy()
            since_best = 0
        done = everyone and bool(np.all(best.route_of >= 0))
    if pool is not None and pool.added_since_solve and time.perf_counter() < stop_at:
        work = params.recombine_work
        if math.isfinite(stop_at):  # never past the time limit
            work = min(work, max(0.0, stop_at - time.perf_counter()))
        merged = _recombined(pool, best, work, seed, params.pair_moves)
        if merged is not None and merged.better_than(best):
            best = merged
            best_iteration = iteration
    best = _by_cost(best, params.pair_moves)  # the walk weighed minutes
    return SearchOutcome(
        best.routes(), iteration, best_iteration, best.value, lengthened, work_before + ctx.work
    )


def _acceptance(best: _State, params: SearchParams) -> float:
    """How far below the best score the walk may go (record-to-record)."""
    if params.covered_threshold > 0 and best.ctx.cost is not None and not _routes_full(best):
        return params.covered_threshold * sum(best.cost)
    return params.threshold * abs(best.value)


def _routes_full(state: _State) -> bool:
    """Whether some unvisited node is worth a visit on a route that has no time for it."""
    unvisited = state.route_of < 0
    return bool(np.isfinite(state.ins_raw[:, unvisited]).any())


def _recombined(
    pool: RoutePool, best: _State, work: float, seed: int, pairs: bool
) -> _State | None:
    """The best combination of pooled routes, filled and polished by the local search."""
    before = pool.work
    routes = pool.best_combination(best.routes(), best.duration, work_limit=work, seed=seed)
    best.ctx.work += SOLVER_WORK * (pool.work - before)
    if routes is None:
        return None
    state = _state_of(best.ctx, routes)
    _local_search(state, set(range(best.ctx.n_routes)), pairs)
    return state


def _state_of(ctx: _Context, routes: Sequence[Sequence[int]]) -> _State:
    """The state holding ``routes`` (feasible node lists, start to end)."""
    state = _timed(ctx, routes)
    if state is None:  # pragma: no cover - the routes were feasible
        raise AssertionError("a route is late")
    return state


def _timed(ctx: _Context, routes: Sequence[Sequence[int]]) -> _State | None:
    """The state holding ``routes`` (node lists, start to end), or None when one is late."""
    state = _State(ctx)
    for r, seq in enumerate(routes):
        state.seqs[r] = list(seq)
        for node in seq[1:-1]:
            col = int(ctx.column[node])
            state.route_of[col] = r
            state.score += float(ctx.prize[col])
        if not state.refresh(r):
            return None
    return state


def _iterate(trial: _State, rng: np.random.Generator, params: SearchParams) -> _State:
    """One ruin-and-recreate step on ``trial`` (changed in place and returned)."""
    ctx = trial.ctx
    removed = _ruin(trial, rng, params)
    overfill = params.overfill > 0 and rng.random() < params.overfill_rate
    if overfill:
        stretch = 1.0 + params.overfill * rng.random()
        for r in range(ctx.n_routes):
            budget = ctx.deadline[r] - ctx.t0[r]
            trial.set_deadline(r, ctx.t0[r] + budget * stretch)
    alpha = 1.0 + (params.alpha_max - 1.0) * rng.random()
    if removed and rng.random() < 0.5:
        forbidden = np.zeros(ctx.nc, dtype=np.bool_)
        forbidden[removed] = True
        _insert_greedy(trial, rng, params.noise, forbidden, alpha)
    _insert_greedy(trial, rng, params.noise, None, alpha)
    if overfill:
        _local_search(trial, set(range(ctx.n_routes)), params.pair_moves)
        _restore_deadlines(trial)
    _local_search(trial, set(range(ctx.n_routes)), params.pair_moves)
    return trial
