"""Recombination of the routes the search has met: a set-partitioning model solved by CP-SAT.

The iterated local search (:mod:`._search`) visits thousands of solutions and throws away
every route of every one it leaves. Many of those routes are good on their own and only sat
in a solution whose other routes were poor. Keeping them in a pool and asking which
combination of pooled routes is best — one route per vehicle at most, each customer at most
once — recombines them exactly (the ILS-SP hybrid of Subramanian, Uchoa and Ochi, 2013, for
vehicle routing). On the campaign's provinces over a few days, where choosing communes
matters, it is what lifts the core above PyVRP (benchmarks/RESULTS.md, section 5).

Routes are interchangeable between vehicles of one *class*: the same start, end, departure,
deadline and allowed customers. The model:

* ``x[k]`` = 1 when pooled route ``k`` is used;
* each customer is in at most one chosen route (``AddAtMostOne``);
* each class uses at most as many routes as it has vehicles;
* maximise the routes' value (prizes less arc cost), then shorter durations (a thousandth
  of a prize unit per time unit, so it only breaks ties).

The solve is single-threaded with a deterministic work limit and the search's seed, started
from the best solution known (a hint), so the result depends only on the pool, the seed and
the limit. CP-SAT's presolve is off: on a pool of a few thousand routes it spent the whole
small work limit and the solve ended with no solution at all, not even the hint (Thanh Hóa's
first 3 days: from the 6th recombination on, 3,300 routes and more, every one UNKNOWN; the
search then ran 500 iterations with no recombination). Without it every recombination of
those runs returned a solution (benchmarks/RESULTS.md, section 5g); a test recombines a pool
of 5,000 routes (tests/orienteering/test_orienteering_campaign_features.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.orienteering.problem import Problem

#: Value units per prize unit in the integer model.
_SCALE = 1000
#: Value units per unit of route duration: a tie-break only.
_DURATION_WEIGHT = 1


@dataclass(frozen=True)
class _Column:
    route_class: int
    nodes: tuple[int, ...]
    value: float
    duration: float


class RoutePool:
    """The distinct routes the search has produced, by route class, up to ``capacity``."""

    def __init__(self, problem: Problem, capacity: int) -> None:
        self.problem = problem
        self.capacity = capacity
        self.class_of = problem.route_classes()
        self.vehicles = [self.class_of.count(k) for k in range(max(self.class_of) + 1)]
        self._columns: dict[tuple[int, tuple[int, ...]], _Column] = {}
        self.added_since_solve = 0
        self.work = 0.0
        """CP-SAT's deterministic time spent by :meth:`best_combination` (about seconds)."""

    def __len__(self) -> int:
        return len(self._columns)

    def add(
        self, route: int, nodes: Sequence[int], duration: float, *, force: bool = False
    ) -> None:
        """Remember route ``route``'s node list (start to end) when it visits anyone (while
        the pool has room, or always with ``force``)."""
        if len(nodes) <= 2 or (len(self._columns) >= self.capacity and not force):
            return
        key = (self.class_of[route], tuple(int(v) for v in nodes))
        if key in self._columns:
            return
        prizes = self.problem.prizes
        value = float(sum(prizes[v] for v in key[1][1:-1])) - self.problem.route_cost(key[1])
        self._columns[key] = _Column(key[0], key[1], value, duration)
        self.added_since_solve += 1

    def best_combination(
        self,
        incumbent: Sequence[Sequence[int]],
        durations: Sequence[float],
        *,
        work_limit: float,
        seed: int,
    ) -> list[list[int]] | None:
        """The best routes (one node list per route, start to end) that the pool can
        combine, or None when the model proves nothing.

        ``incumbent`` (a node list per route, with their ``durations``) joins the pool and
        is the hint, so the answer is never worse than it.
        """
        problem = self.problem
        for r, nodes in enumerate(incumbent):
            self.add(r, nodes, durations[r], force=True)
        self.added_since_solve = 0
        columns = list(self._columns.values())
        if not columns:
            return None
        model = cp_model.CpModel()
        used = [model.new_bool_var(f"route{k}") for k in range(len(columns))]
        by_customer: dict[int, list[cp_model.IntVar]] = {}
        by_class: dict[int, list[cp_model.IntVar]] = {}
        for var, column in zip(used, columns, strict=True):
            for node in column.nodes[1:-1]:
                by_customer.setdefault(node, []).append(var)
            by_class.setdefault(column.route_class, []).append(var)
        for members in by_customer.values():
            if len(members) > 1:
                model.add_at_most_one(members)
        for route_class, members in by_class.items():
            if len(members) > self.vehicles[route_class]:
                model.add(sum(members) <= self.vehicles[route_class])
        weights = [
            round(column.value * _SCALE) - round(column.duration * _DURATION_WEIGHT)
            for column in columns
        ]
        model.maximize(sum(w * var for w, var in zip(weights, used, strict=True)))
        hinted = {
            (self.class_of[r], tuple(int(v) for v in nodes))
            for r, nodes in enumerate(incumbent)
            if len(nodes) > 2
        }
        for (key, _), var in zip(self._columns.items(), used, strict=True):
            model.add_hint(var, key in hinted)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_deterministic_time = work_limit
        # presolve took the whole work limit on large pools, leaving no solution (see above)
        solver.parameters.cp_model_presolve = False
        solver.parameters.catch_sigint_signal = False  # Ctrl-C belongs to the caller
        status = solver.solve(model)
        self.work += solver.response_proto.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        chosen: dict[int, list[tuple[int, ...]]] = {}
        for var, column in zip(used, columns, strict=True):
            if solver.boolean_value(var):
                chosen.setdefault(column.route_class, []).append(column.nodes)
        routes: list[list[int]] = []
        for r in range(problem.n_routes):
            waiting = chosen.get(self.class_of[r])
            if waiting:
                routes.append(list(waiting.pop()))
            else:
                routes.append([problem.starts[r], problem.ends[r]])
        return routes
