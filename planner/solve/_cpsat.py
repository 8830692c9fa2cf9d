"""Small CP-SAT helpers shared by the month models."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import LinearExpr


def add_complete_hint(
    model: cp_model.CpModel,
    decisions: dict[cp_model.IntVar, bool],
    *,
    work_limit: float,
    seed: int,
) -> bool:
    """Hint every variable of ``model`` from a plan given by its decision variables.

    A hint on the decisions alone (visits) leaves CP-SAT to derive the rest (counts, day
    lengths, shortfalls), which on large months it may not manage before its limit. So the
    decisions are fixed in a copy of the model, the copy is solved (propagation does most of
    the work), and every variable is hinted with the copy's values. Returns False, and hints
    the decisions only, when the copy finds no solution within ``work_limit``.
    """
    probe = model.clone()
    for var, value in decisions.items():
        probe.add(probe.get_int_var_from_proto_index(var.index) == int(value))
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False  # Ctrl-C belongs to the command line
    solver.parameters.max_deterministic_time = work_limit
    solver.parameters.stop_after_first_solution = True
    status = solver.solve(probe)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for var, value in decisions.items():
            model.add_hint(var, value)
        return False
    for index in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(index)
        model.add_hint(var, solver.value(probe.get_int_var_from_proto_index(index)))
    return True


def add_spacing(
    model: cp_model.CpModel, uses: list[tuple[int, cp_model.IntVar]], min_gap: int
) -> None:
    """At most one use in any window of ``min_gap`` consecutive days (at least one day).

    ``uses`` are (day, variable) pairs for one place: passes in a commune, or conferences
    at a venue. Two uses d1 < d2 then always have d2 - d1 >= min_gap.
    """
    gap = max(min_gap, 1)
    by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for d, var in uses:
        by_day[d].append(var)
    days = sorted(by_day)
    for start in days:
        window = [var for d in days if start <= d < start + gap for var in by_day[d]]
        if len(window) > 1:
            model.add(LinearExpr.sum(window) <= 1)


def deterministic_solver(*, work_limit: float, seed: int, workers: int) -> cp_model.CpSolver:
    """A CP-SAT solver bounded by deterministic work units, so a seed and limit fix the result.

    With several workers the search is interleaved, which keeps it deterministic; the wall
    clock limit is only a safety net far above the work limit.
    """
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.max_deterministic_time = work_limit
    solver.parameters.max_time_in_seconds = max(30.0, 10 * work_limit)
    # CP-SAT would take Ctrl-C for itself (stop the search, then leave SIGINT at its default,
    # so that a second Ctrl-C kills the process without cleaning up): the command line keeps it.
    solver.parameters.catch_sigint_signal = False
    if workers > 1:
        solver.parameters.interleave_search = True
    return solver


def add_conferences_per_team_week(
    model: cp_model.CpModel,
    uses: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]],
    week_of_day: np.ndarray,
    limit: int | None,
    done: dict[tuple[int, int], int] | None = None,
) -> None:
    """At most ``limit`` conferences per team and calendar week (Monday to Sunday).

    Why: a conference is prepared days ahead (invitations through the commune and the post
    office), so a team holds one on some days of a week, not every day. ``uses`` maps a
    team-day (t, d) to (variable, conferences it stands for): a conference variable of the
    month model counts 1, a day route of the recombination counts its conferences. ``done``:
    a re-plan's conferences already held per (team, week), which count toward the limit.
    """
    if limit is None:
        return
    by_week: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for (t, d), items in uses.items():
        by_week[(t, int(week_of_day[d]))].extend(items)
    for key, items in by_week.items():
        left = max(0, limit - (done or {}).get(key, 0))
        if sum(n for _, n in items) > left:
            model.add(
                LinearExpr.weighted_sum([var for var, _ in items], [n for _, n in items]) <= left
            )
