"""A numeric, solver-agnostic prize-collecting multi-route core (the Team Orienteering
Problem, with optional time windows and service times).

Build a :class:`Problem` with :func:`make_problem`, solve it with :func:`solve`, and check
any routes with :func:`check`; the result is a :class:`Result` whose score and feasibility
come from :func:`check`. The peers the benchmarks compare it with (PyVRP, OR-Tools routing,
a greedy baseline) live in ``benchmarks/lib/peers.py``, outside the package.
"""

from planner.orienteering._search import SearchParams
from planner.orienteering.check import check, route_duration
from planner.orienteering.problem import TOLERANCE, Problem, Result, make_problem
from planner.orienteering.solve import solve

__all__ = [
    "TOLERANCE",
    "Problem",
    "Result",
    "SearchParams",
    "check",
    "make_problem",
    "route_duration",
    "solve",
]
