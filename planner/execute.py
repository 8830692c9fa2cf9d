"""Provinces as independent tasks: run them in a local process pool or on a Dask cluster,
keep each finished province as it finishes, and resume a killed run without recomputing.

A task carries everything its province needs (the frozen ProvinceProblem, the travel model,
the limits), so a worker process or a Dask worker solves it without reading any file, and
the same task gives the same ProvincePlan wherever it runs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from planner.domain import ProvinceProblem
from planner.errors import PlannerError
from planner.instance import build_instance
from planner.plan import ProvincePlan
from planner.solve import solve_province
from planner.travel import TravelTimeSource


@dataclass(frozen=True)
class ProvinceTask:
    """One province to plan, with everything the solver needs."""

    problem: ProvinceProblem
    travel: TravelTimeSource
    time_limit: float
    seed: int
    solver_workers: int

    @property
    def province_code(self) -> str:
        return self.problem.province_code


def solve_task(task: ProvinceTask) -> ProvincePlan:
    """Solve one province task (runs in a worker process or on a Dask worker)."""
    instance = build_instance(task.problem, task.travel)
    return solve_province(
        instance, time_limit=task.time_limit, seed=task.seed, workers=task.solver_workers
    )


class Executor(Protocol):
    """Runs province tasks and yields each plan as soon as it is finished."""

    def run(self, tasks: Sequence[ProvinceTask]) -> Iterator[ProvincePlan]: ...


@dataclass(frozen=True)
class LocalExecutor:
    """Tasks in ``workers`` local processes (in this process when workers == 1)."""

    workers: int

    def run(self, tasks: Sequence[ProvinceTask]) -> Iterator[ProvincePlan]:
        if self.workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                yield solve_task(task)
            return
        with ProcessPoolExecutor(max_workers=min(self.workers, len(tasks))) as pool:
            pending: set[Future[ProvincePlan]] = {pool.submit(solve_task, t) for t in tasks}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: f.result().province_code):
                    yield future.result()


@dataclass(frozen=True)
class DaskExecutor:
    """Tasks on an existing Dask distributed cluster (the `dask` extra)."""

    scheduler: str

    def run(self, tasks: Sequence[ProvinceTask]) -> Iterator[ProvincePlan]:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise PlannerError(
                "--executor dask needs the Dask extra: pip install -e '.[dask]'"
            ) from None
        try:
            client = Client(self.scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise PlannerError(
                f"--scheduler {self.scheduler}: cannot reach the Dask scheduler ({error})"
            ) from None
        try:
            futures = client.map(solve_task, list(tasks), pure=False)
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.close()


def executor_for(kind: str, *, workers: int, scheduler: str | None) -> Executor:
    if kind == "dask":
        if not scheduler:
            raise PlannerError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
        return DaskExecutor(scheduler)
    return LocalExecutor(workers)


@dataclass(frozen=True)
class Checkpoints:
    """Finished provinces kept on disk as they finish, so a killed run can resume.

    Each file is valid only for the exact inputs (``key``: scenario hash, data version,
    seed, limit, planner version); anything else is recomputed.
    """

    folder: Path
    key: str

    def _path(self, code: str) -> Path:
        return self.folder / f"{code}.pickle"

    def load(self, code: str) -> ProvincePlan | None:
        try:
            with self._path(code).open("rb") as f:
                key, plan = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        return plan if key == self.key and isinstance(plan, ProvincePlan) else None

    def save(self, plan: ProvincePlan) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self._path(plan.province_code).with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump((self.key, plan), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self._path(plan.province_code))

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def checkpoint_key(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def run_tasks(
    tasks: Sequence[ProvinceTask],
    executor: Executor,
    *,
    checkpoints: Checkpoints | None = None,
    on_province: Callable[[ProvincePlan, bool], None] | None = None,
) -> list[ProvincePlan]:
    """Plan every task; provinces already checkpointed are taken as they are.

    Returns the plans in the order of ``tasks``, whatever order they finished in.
    ``on_province(plan, resumed)`` is called for each province as it becomes available.
    """
    plans: dict[str, ProvincePlan] = {}
    todo: list[ProvinceTask] = []
    for task in tasks:
        kept = checkpoints.load(task.province_code) if checkpoints else None
        if kept is None:
            todo.append(task)
        else:
            plans[task.province_code] = kept
            if on_province:
                on_province(kept, True)
    for plan in executor.run(todo):
        plans[plan.province_code] = plan
        if checkpoints:
            checkpoints.save(plan)
        if on_province:
            on_province(plan, False)
    return [plans[t.province_code] for t in tasks]
