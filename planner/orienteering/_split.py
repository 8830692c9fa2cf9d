"""A large covered problem searched in parts: the routes grouped by where their bases are.

When every candidate gets its visit (a whole month of a province: only the driving is left
to gain) the search is a multi-depot vehicle routing problem, and on a large province one
walk over all of it converges slowly: every iteration's local search weighs every visit
against every route, so an iteration on Thanh Hóa (547 communes, 26 bases) costs several
times as much as one on a quarter of it, and the walk settles early. The classic answer for
large routing instances (the decomposition phase of Vidal et al.'s HGS, Taillard's
POPMUSIC) is to cut the solution into parts that barely interact — here groups of bases,
placed by the travel times between them — and to search each part on its own: the walk over
the whole province takes half the iterations, then each group of bases, with the communes
its routes visit, gets a walk of its own of :data:`GROUP_ITERATIONS` times the other half,
and its routes are replaced when that walk's drive less. A last local search over the whole
joins the parts (a commune near a border may still move to the next group's routes).

Measured on the campaign benchmark's passes-only Thanh Hóa month, the core on the planner's
TOP at --time-limit 20 (240 iterations; benchmarks/RESULTS.md, section 5l), seeds 1-7:
38,543.5 / 38,546.4 / 38,544.2 / 38,545.3 / 38,549.0 / 38,544.5 / 38,539.2 (mean 38,544.6)
-> 38,543.8 / 38,547.7 / 38,547.9 / 38,547.6 / 38,548.9 / 38,548.2 / 38,545.4 (mean
38,547.1; better on 5 of 7, within 0.3 on the others) in the same time (15-23 s).

A problem whose first construction leaves candidates out (a short campaign, where choosing
the communes is the plan) is split too when ``SearchParams.split_selective`` says so: each
part also gets the candidates left out whose nearest base is in its group (without them, a
part could only reorder what the whole walk chose, and on Thanh Hóa's first 3 days half a
walk then such parts gave 36,189 and 36,111 on seeds 1-2 against the whole walk's 36,262 and
36,164). With them, smaller groups and the parts' walks as long as the whole's second half,
Thanh Hóa's first 3 days gain about 60 on average in less work (:data:`SELECTIVE_GROUP_SIZE`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from planner.orienteering.problem import Problem, make_problem

#: Visits per group, about (a group is cut again above 1.5 times this): Thanh Hóa's month
#: makes 4 groups of about 140 communes. The settings were compared with a cut that put one
#: base too many on one side: seeds 1-3 with 3 times the iterations left, 38,549.1 on
#: average; groups of about 100 (8 groups), 38,548.0; 200 (2 groups), 38,546.8 (seeds 1-5,
#: twice the iterations).
GROUP_SIZE = 150
#: A group's walk: this many times the iterations the whole walk left (an iteration on a
#: group costs a fraction of one on the whole). 3: seeds 1-5 mean 38,548.8 instead of
#: 38,547.7, but a quarter more time; two rounds of parts cut differently, one time each:
#: 38,546.9 on seeds 1-3; the whole walk a third of the iterations: 38,548.0 on seeds 1-5.
GROUP_ITERATIONS = 2
#: A problem whose first construction leaves candidates out (a short campaign: choosing the
#: communes is the plan) is cut in groups of about this many visits, each part searched for
#: as many iterations as the whole walk left (then, with a work limit, its share of the
#: work). Thanh Hóa's first 3 days (547 communes, 52 team-days), the core on the planner's
#: TOP at --time-limit 20, seeds 1-6: one walk 35,983.2 on average (work 21.0); parts of 150
#: with twice the iterations 36,040.9 (work 22.3), once 36,030.4 (18.3); parts of 100 once
#: 36,047.0 (18.2); the whole walk a third of the iterations instead of half, 36,009.8
#: (benchmarks/RESULTS.md, section 5z).
SELECTIVE_GROUP_SIZE = 100
SELECTIVE_GROUP_ITERATIONS = 1
#: No split below this iteration limit: the national month's parts get a few iterations each.
MIN_ITERATIONS = 100


def base_groups(
    problem: Problem, routes: Sequence[Sequence[int]], size: int | None = None
) -> list[list[int]]:
    """The routes' start nodes (bases) in groups of about ``size`` (:data:`GROUP_SIZE`)
    visits each:
    the bases are placed on a plane by the travel times between them (classical
    multidimensional scaling) and cut in two along the wider axis, at half the visits of the
    routes they start, again and again (recursive coordinate bisection). Deterministic."""
    size = GROUP_SIZE if size is None else size
    bases = sorted(set(problem.starts))
    load = np.ones(len(bases))
    where = {b: i for i, b in enumerate(bases)}
    for r, route in enumerate(routes):
        load[where[problem.starts[r]]] += max(0, len(route) - 2)
    groups: list[list[int]] = []
    xy = _plane(problem.travel[np.ix_(bases, bases)])

    def cut(members: NDArray[np.intp]) -> None:
        if len(members) <= 1 or load[members].sum() <= size * 1.5:
            groups.append([bases[i] for i in members])
            return
        spread = xy[members].max(axis=0) - xy[members].min(axis=0)
        axis = int(np.argmax(spread))
        order = members[np.argsort(xy[members, axis], kind="stable")]
        # the first bases that carry half the load, at least one on each side
        half = int(np.searchsorted(np.cumsum(load[order]), load[order].sum() / 2)) + 1
        half = min(half, len(order) - 1)
        cut(order[:half])
        cut(order[half:])

    cut(np.arange(len(bases)))
    return groups


def _plane(travel: NDArray[np.float64]) -> NDArray[np.float64]:
    """Points on a plane whose distances approximate the symmetric travel times (classical
    MDS: the two largest eigenvectors of the double-centred squared distances)."""
    n = len(travel)
    if n < 3:
        return np.c_[np.arange(n, dtype=np.float64), np.zeros(n)]
    d = (travel + travel.T) / 2
    centre = np.eye(n) - 1.0 / n
    gram = -0.5 * centre @ (d**2) @ centre
    values, vectors = np.linalg.eigh(gram)
    return vectors[:, -2:] * np.sqrt(np.maximum(values[-2:], 0.0))


def part(
    problem: Problem,
    routes: Sequence[Sequence[int]],
    group: Sequence[int],
    extra: Sequence[int] = (),
) -> tuple[Problem, list[int], list[int]]:
    """The sub-problem of one group of bases: its routes (every route starting at one of
    them), the candidates they visit and ``extra`` candidates no route visits. Returns it
    with its routes' numbers in ``problem`` and its nodes (the sub-problem's node ``i`` is
    ``nodes[i]``)."""
    members = set(group)
    kept = [r for r in range(problem.n_routes) if problem.starts[r] in members]
    visits = sorted({int(v) for r in kept for v in routes[r][1:-1]} | {int(v) for v in extra})
    depots = sorted({problem.starts[r] for r in kept} | {problem.ends[r] for r in kept})
    nodes = visits + depots
    index = {v: i for i, v in enumerate(nodes)}
    prizes = np.zeros(len(nodes))
    prizes[: len(visits)] = problem.prizes[visits]
    arc_costs = None
    if problem.arc_costs is not None:
        arc_costs = problem.arc_costs[np.ix_(nodes, nodes)]
    allowed = None
    if problem.allowed is not None:
        allowed = problem.allowed[np.ix_(kept, nodes)]
    sub = make_problem(
        problem.travel[np.ix_(nodes, nodes)],
        prizes,
        n_routes=len(kept),
        start=[index[problem.starts[r]] for r in kept],
        end=[index[problem.ends[r]] for r in kept],
        max_duration=[problem.max_durations[r] for r in kept],
        service_times=problem.service_times[nodes],
        name=problem.name,
        arc_costs=arc_costs,
        allowed=allowed,
    )
    return sub, kept, nodes


def route_value(problem: Problem, route: Sequence[int]) -> float:
    """A route's prizes less its arc cost."""
    prize = float(problem.prizes[list(route[1:-1])].sum())
    return prize - (problem.route_cost(route) if problem.arc_costs is not None else 0.0)


Walk = Callable[[Problem, int, int], tuple[list[list[int]], int]]
"""A walk on a (sub-)problem with a seed and an iteration limit: its routes and iterations."""


def searched_in_parts(
    problem: Problem,
    routes: list[list[int]],
    seed: int,
    iterations: int,
    walk: Walk,
    *,
    selective: bool = False,
) -> tuple[list[list[int]], int]:
    """Each group of bases searched on its own for ``iterations`` (the walk's seeds: ``seed``
    + 1, + 2, ...); a group's routes are replaced when its walk gives more value. With
    ``selective`` (candidates are left out: choosing them is the problem), groups of about
    :data:`SELECTIVE_GROUP_SIZE` visits, and each part also gets the candidates left out
    that are nearest its bases (:func:`unvisited_by_group`). Returns the routes and the
    iterations spent."""
    routes = [list(r) for r in routes]
    spent = 0
    groups = base_groups(problem, routes, SELECTIVE_GROUP_SIZE if selective else GROUP_SIZE)
    left_out = unvisited_by_group(problem, routes, groups) if selective else [[] for _ in groups]
    for g, group in enumerate(groups):
        sub, kept, nodes = part(problem, routes, group, left_out[g])
        if all(len(routes[r]) <= 2 for r in kept) and not left_out[g]:
            continue  # no visit in this group
        found, used = walk(sub, seed + g + 1, iterations)
        spent += used
        mapped = [[nodes[v] for v in route] for route in found]
        before = sum(route_value(problem, routes[r]) for r in kept)
        after = sum(route_value(problem, route) for route in mapped)
        if after > before + 1e-9:
            for r, route in zip(kept, mapped, strict=True):
                routes[r] = route
    return routes, spent


def unvisited_by_group(
    problem: Problem, routes: Sequence[Sequence[int]], groups: Sequence[Sequence[int]]
) -> list[list[int]]:
    """The candidates no route visits, each given to the group whose base is nearest to it
    (there and back) among the routes allowed to visit it; one no route may visit is in no
    group."""
    visited = {int(v) for route in routes for v in route[1:-1]}
    group_of = {b: g for g, group in enumerate(groups) for b in group}
    out: list[list[int]] = [[] for _ in groups]
    for c in problem.customers:
        c = int(c)
        if c in visited or problem.prizes[c] <= 0:
            continue
        best: tuple[float, int] | None = None
        for r in range(problem.n_routes):
            if not problem.may_visit(r, c):
                continue
            start = problem.starts[r]
            key = (float(problem.travel[start, c] + problem.travel[c, start]), group_of[start])
            if best is None or key < best:
                best = key
        if best is not None:
            out[best[1]].append(c)
    return out


def worth_splitting(problem: Problem, max_iterations: int | None, threshold: int) -> bool:
    """Whether the problem is large enough, and the search long enough, to search in parts
    (``SearchParams.split_above``)."""
    return (
        threshold > 0
        and max_iterations is not None
        and max_iterations >= MIN_ITERATIONS
        and problem.time_windows is None
        and problem.arc_costs is not None
        and candidates(problem) > threshold
    )


def candidates(problem: Problem) -> int:
    """The nodes worth a visit (a prize above 0)."""
    return int(np.count_nonzero(problem.prizes[problem.customers] > 0))
