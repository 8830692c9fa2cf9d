"""A numeric, solver-agnostic prize-collecting multi-route core (the Team Orienteering
Problem, with optional time windows and service times).

Build a :class:`Problem` with :func:`make_problem`, solve it with the planner's own
:func:`solve` or a peer (:func:`solve_pyvrp`, :func:`solve_ortools`, :func:`solve_greedy`),
and check any routes with :func:`check`. Every solver returns a :class:`Result` whose score
and feasibility come from :func:`check`.
"""

from planner.orienteering._search import SearchParams
from planner.orienteering.check import check, route_duration
from planner.orienteering.peers import solve_greedy, solve_ortools, solve_pyvrp
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
    "solve_greedy",
    "solve_ortools",
    "solve_pyvrp",
]
