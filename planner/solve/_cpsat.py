"""Small CP-SAT helpers shared by the month models: the complete hint and the deterministic
solver. The constraint families are in `planner.solve.constraints`."""

from __future__ import annotations

from ortools.sat.python import cp_model


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


def solve_from_hint(
    model: cp_model.CpModel,
    decisions: dict[cp_model.IntVar, bool],
    *,
    work_limit: float,
    seed: int,
    workers: int,
) -> tuple[cp_model.CpSolver, str, bool]:
    """Solve a month model from a starting plan: the solver, its status name, and whether
    it found a solution (optimal or feasible).

    The start (``decisions``: the plan's decision variables) is hinted completely
    (`add_complete_hint`, with a quarter of the work limit, at least 0.5), so the result is
    never worse than the start in the model's terms; the search is `deterministic_solver`.
    """
    add_complete_hint(model, decisions, work_limit=max(0.5, work_limit / 4), seed=seed)
    solver = deterministic_solver(work_limit=work_limit, seed=seed, workers=workers)
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return solver, solver.status_name(status), found
