"""The prize-collecting multi-route problem (the Team Orienteering Problem with time windows).

A :class:`Problem` is immutable numeric data; a :class:`Result` is what every solver returns.

The formulation, for nodes ``0..n-1`` and routes ``r = 0..R-1``:

1. Route ``r`` leaves its start node ``starts[r]`` at the start's opening time (0 when the
   problem has no time windows) and ends at ``ends[r]``; in between it visits customers,
   in order. A customer is any node that is no route's start or end.
2. Each customer is visited at most once over all routes; visiting it collects its prize.
3. Travel from ``i`` to ``j`` takes ``travel[i, j]``; a visit to ``i`` takes
   ``service_times[i]`` (the service times of start and end nodes are not counted).
4. With time windows ``(open, close)``, service at a customer starts at
   ``max(arrival, open)`` (waiting is allowed) and must start no later than ``close``; the
   route must reach its end node no later than the end's ``close``.
5. The route's duration, arrival at the end minus departure from the start (travel, service
   and waiting), is at most ``max_durations[r]``. A route with no visits is an unused vehicle:
   always feasible, duration 0.
6. Optionally, route ``r`` may visit only the nodes with ``allowed[r, node]`` (a commune
   closed on a route's day, or outside its team's territory, is not allowed there).
7. Maximise the total prize collected less the total arc cost (``arc_costs[i, j]`` for
   each leg driven; none by default); among equal values, a shorter total duration is
   better.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Tolerance on durations and time windows, in the problem's own time unit.
TOLERANCE = 1e-6


def _frozen(values: NDArray[np.float64]) -> NDArray[np.float64]:
    values.setflags(write=False)
    return values


@dataclass(frozen=True, eq=False)
class Problem:
    """One prize-collecting routing instance; build it with :func:`make_problem`."""

    travel: NDArray[np.float64]
    """(n, n) travel time (or distance) from node i to node j."""
    prizes: NDArray[np.float64]
    """(n,) prize of visiting each node (ignored for start and end nodes)."""
    service_times: NDArray[np.float64]
    """(n,) time spent at each visited customer."""
    time_windows: NDArray[np.float64] | None
    """(n, 2) earliest and latest start of service per node, or None."""
    starts: tuple[int, ...]
    """Start node of each route."""
    ends: tuple[int, ...]
    """End node of each route."""
    max_durations: tuple[float, ...]
    """Largest duration of each route."""
    name: str = ""
    arc_costs: NDArray[np.float64] | None = None
    """(n, n) cost of driving from i to j, in prize units, or None (no cost)."""
    allowed: NDArray[np.bool_] | None = None
    """(n_routes, n) whether route r may visit node j, or None (every route every node)."""
    customers: NDArray[np.intp] = field(init=False, repr=False)
    """The nodes that may be visited: every node that is no route's start or end."""

    def __post_init__(self) -> None:
        n = self.travel.shape[0] if self.travel.ndim == 2 else -1
        if self.travel.ndim != 2 or self.travel.shape != (n, n) or n < 1:
            raise ValueError(f"travel: expected a square matrix, got shape {self.travel.shape}")
        if not np.all(np.isfinite(self.travel)) or np.any(self.travel < 0):
            raise ValueError("travel: expected finite non-negative times")
        for label, values in (("prizes", self.prizes), ("service_times", self.service_times)):
            if values.shape != (n,):
                raise ValueError(f"{label}: expected {n} values, got shape {values.shape}")
            if not np.all(np.isfinite(values)) or np.any(values < 0):
                raise ValueError(f"{label}: expected finite non-negative values")
        if self.time_windows is not None:
            tw = self.time_windows
            if tw.shape != (n, 2):
                raise ValueError(f"time_windows: expected shape ({n}, 2), got {tw.shape}")
            if np.any(np.isnan(tw)) or np.any(tw[:, 0] > tw[:, 1]):
                raise ValueError("time_windows: expected open <= close for every node")
        n_routes = len(self.starts)
        if n_routes < 1:
            raise ValueError("n_routes: expected at least one route")
        if len(self.ends) != n_routes or len(self.max_durations) != n_routes:
            raise ValueError("starts, ends, max_durations: expected one value per route")
        for label, nodes in (("start", self.starts), ("end", self.ends)):
            for node in nodes:
                if not 0 <= node < n:
                    raise ValueError(f"{label}: node {node} is not in 0..{n - 1}")
        if any(not np.isfinite(t) or t < 0 for t in self.max_durations):
            raise ValueError("max_duration: expected finite non-negative durations")
        if self.arc_costs is not None:
            costs = self.arc_costs
            if costs.shape != (n, n):
                raise ValueError(f"arc_costs: expected shape ({n}, {n}), got {costs.shape}")
            if not np.all(np.isfinite(costs)) or np.any(costs < 0):
                raise ValueError("arc_costs: expected finite non-negative costs")
        if self.allowed is not None and self.allowed.shape != (n_routes, n):
            raise ValueError(f"allowed: expected shape ({n_routes}, {n}), got {self.allowed.shape}")
        depots = set(self.starts) | set(self.ends)
        customers = np.array([i for i in range(n) if i not in depots], dtype=np.intp)
        customers.setflags(write=False)
        object.__setattr__(self, "customers", customers)

    @property
    def n_nodes(self) -> int:
        return int(self.travel.shape[0])

    @property
    def n_routes(self) -> int:
        return len(self.starts)

    @property
    def opens(self) -> NDArray[np.float64]:
        """Earliest start of service per node (0 without time windows)."""
        if self.time_windows is None:
            return np.zeros(self.n_nodes)
        return self.time_windows[:, 0]

    @property
    def closes(self) -> NDArray[np.float64]:
        """Latest start of service per node (+inf without time windows)."""
        if self.time_windows is None:
            return np.full(self.n_nodes, np.inf)
        return self.time_windows[:, 1]

    def may_visit(self, route: int, node: int) -> bool:
        """Whether route ``route`` may visit ``node`` (see :attr:`allowed`)."""
        return self.allowed is None or bool(self.allowed[route, node])

    def route_cost(self, route: Sequence[int]) -> float:
        """The arc cost of driving ``route`` (full node list); 0 without arc costs or visits."""
        if self.arc_costs is None or len(route) <= 2:
            return 0.0
        nodes = np.asarray(route, dtype=np.intp)
        return float(self.arc_costs[nodes[:-1], nodes[1:]].sum())

    def departure(self, route: int) -> float:
        """When route ``route`` leaves its start node."""
        return float(self.opens[self.starts[route]])

    def deadline(self, route: int) -> float:
        """The latest arrival at the end node of route ``route``."""
        limit = self.departure(route) + self.max_durations[route]
        return float(min(limit, self.closes[self.ends[route]]))

    def route_classes(self) -> list[int]:
        """The class of each route, numbered in order of first appearance. Routes of one class
        are interchangeable: the same start, end, departure, deadline and allowed nodes (a
        team's working days in a month where the same communes are open every day)."""
        keys: dict[tuple[object, ...], int] = {}
        classes: list[int] = []
        for r in range(self.n_routes):
            allowed = None if self.allowed is None else self.allowed[r].tobytes()
            key = (self.starts[r], self.ends[r], self.departure(r), self.deadline(r), allowed)
            classes.append(keys.setdefault(key, len(keys)))
        return classes

    def with_routes(self, routes: Sequence[int]) -> Problem:
        """The same nodes with only the given routes, in that order."""
        allowed = None
        if self.allowed is not None:
            allowed = self.allowed[list(routes)]
            allowed.setflags(write=False)
        return replace(
            self,
            starts=tuple(self.starts[r] for r in routes),
            ends=tuple(self.ends[r] for r in routes),
            max_durations=tuple(self.max_durations[r] for r in routes),
            allowed=allowed,
        )


def make_problem(
    travel: ArrayLike,
    prizes: ArrayLike,
    *,
    n_routes: int,
    start: int | Sequence[int],
    end: int | Sequence[int],
    max_duration: float | Sequence[float],
    service_times: ArrayLike | None = None,
    time_windows: ArrayLike | None = None,
    name: str = "",
    arc_costs: ArrayLike | None = None,
    allowed: ArrayLike | None = None,
) -> Problem:
    """Build a validated :class:`Problem`; a scalar start, end or budget holds for every route.

    Raises ``ValueError`` naming the argument that is wrong.
    """
    travel_matrix = np.array(travel, dtype=np.float64)
    n = travel_matrix.shape[0] if travel_matrix.ndim == 2 else 0
    prize_values = np.array(prizes, dtype=np.float64)
    service = np.zeros(n) if service_times is None else np.array(service_times, dtype=np.float64)
    windows = None if time_windows is None else np.array(time_windows, dtype=np.float64)
    if n_routes < 1:
        raise ValueError(f"n_routes: expected at least 1, got {n_routes}")

    def per_route(label: str, value: float | Sequence[float]) -> tuple[float, ...]:
        if isinstance(value, int | float | np.integer | np.floating):
            return (float(value),) * n_routes
        values = tuple(float(v) for v in value)
        if len(values) != n_routes:
            raise ValueError(f"{label}: expected {n_routes} values, got {len(values)}")
        return values

    starts = tuple(int(v) for v in per_route("start", start))
    ends = tuple(int(v) for v in per_route("end", end))
    budgets = per_route("max_duration", max_duration)
    costs = None if arc_costs is None else _frozen(np.array(arc_costs, dtype=np.float64))
    may = None
    if allowed is not None:
        may = np.array(allowed, dtype=np.bool_)
        may.setflags(write=False)
    return Problem(
        travel=_frozen(travel_matrix),
        prizes=_frozen(prize_values),
        service_times=_frozen(service),
        time_windows=None if windows is None else _frozen(windows),
        starts=starts,
        ends=ends,
        max_durations=budgets,
        name=name,
        arc_costs=costs,
        allowed=may,
    )


@dataclass(frozen=True)
class Result:
    """A solver's answer: one node list per route, from its start node to its end node."""

    routes: tuple[tuple[int, ...], ...]
    score: float
    durations: tuple[float, ...]
    feasible: bool
    solver: str
    seconds: float
    iterations: int = 0
    problems: tuple[str, ...] = ()
    """What :func:`planner.orienteering.check` found wrong, when ``feasible`` is False."""
    cost: float = 0.0
    """The routes' arc cost (0 when the problem has none); the objective is score - cost."""
    work: float = 0.0
    """The search's counted work (about seconds; what :attr:`SearchParams.work_limit` is held
    against); 0 for routes the search did not make."""

    @property
    def value(self) -> float:
        """The objective: prizes collected less the arc cost."""
        return self.score - self.cost

    @property
    def visited(self) -> int:
        return sum(len(route) - 2 for route in self.routes)

    def summary(self) -> str:
        lines = [
            f"{self.solver}: score {self.score:g}, {self.visited} visits on "
            f"{len(self.routes)} routes, {'feasible' if self.feasible else 'INFEASIBLE'}, "
            f"{self.seconds:.2f} s, {self.iterations} iterations"
        ]
        for r, (route, duration) in enumerate(zip(self.routes, self.durations, strict=True)):
            lines.append(f"  route {r} ({duration:.3f}): {' '.join(map(str, route))}")
        lines.extend(f"  problem: {p}" for p in self.problems)
        return "\n".join(lines)
