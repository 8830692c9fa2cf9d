"""The planner's own solver: :func:`solve`, in one process or as a portfolio of seeds."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

from planner.orienteering._search import SearchOutcome, SearchParams, run
from planner.orienteering.check import result_from_routes
from planner.orienteering.problem import Problem, Result


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int,
    max_iterations: int | None = None,
    workers: int = 1,
    params: SearchParams | None = None,
) -> Result:
    """Collect the most prize with ``problem.n_routes`` routes (see :mod:`._search`).

    Stops after ``time_limit`` seconds or ``max_iterations`` iterations, whichever comes
    first; with ``max_iterations`` and a generous time limit the routes depend only on
    ``seed``. With ``workers > 1`` the search runs in that many processes with seeds
    ``seed, seed + 1, ...`` and the best result is kept (ties go to the lowest seed).
    The result's score and feasibility come from :func:`planner.orienteering.check`.
    """
    if time_limit <= 0:
        raise ValueError(f"time_limit: expected a positive number of seconds, got {time_limit}")
    if max_iterations is not None and max_iterations < 0:
        raise ValueError(f"max_iterations: expected >= 0, got {max_iterations}")
    if workers < 1:
        raise ValueError(f"workers: expected at least 1, got {workers}")
    started = time.perf_counter()
    if workers == 1:
        outcomes = [
            run(
                problem,
                seed=seed,
                time_limit=time_limit,
                max_iterations=max_iterations,
                params=params,
            )
        ]
    else:
        deadline = time.time() + time_limit
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(
                    _run_one, problem, seed + k, time_limit, max_iterations, params, deadline
                )
                for k in range(workers)
            ]
            outcomes = [f.result() for f in futures]
    seconds = time.perf_counter() - started
    results = [
        result_from_routes(
            problem,
            outcome.routes,
            solver="planner",
            seconds=seconds,
            iterations=outcome.iterations,
            work=outcome.work,
        )
        for outcome in outcomes
    ]
    best = results[0]
    for other in results[1:]:
        if other.feasible and (
            not best.feasible
            or other.value > best.value + 1e-9
            or (other.value > best.value - 1e-9 and sum(other.durations) < sum(best.durations))
        ):
            best = other
    return best


def _run_one(
    problem: Problem,
    seed: int,
    time_limit: float,
    max_iterations: int | None,
    params: SearchParams | None,
    deadline: float,
) -> SearchOutcome:
    return run(
        problem,
        seed=seed,
        time_limit=time_limit,
        max_iterations=max_iterations,
        params=params,
        deadline=deadline,
    )
