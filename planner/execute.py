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
    """Runs province tasks; yields (index of the task, its plan) as soon as each is finished."""

    def run(self, tasks: Sequence[ProvinceTask]) -> Iterator[tuple[int, ProvincePlan]]: ...


@dataclass(frozen=True)
class LocalExecutor:
    """Tasks in ``workers`` local processes (in this process when workers == 1)."""

    workers: int

    def run(self, tasks: Sequence[ProvinceTask]) -> Iterator[tuple[int, ProvincePlan]]:
        if self.workers <= 1 or len(tasks) <= 1:
            for index, task in enumerate(tasks):
                yield index, solve_task(task)
            return
        with ProcessPoolExecutor(max_workers=min(self.workers, len(tasks))) as pool:
            futures = {pool.submit(solve_task, t): i for i, t in enumerate(tasks)}
            pending: set[Future[ProvincePlan]] = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.__getitem__):
                    yield futures[future], future.result()


@dataclass(frozen=True)
class DaskExecutor:
    """Tasks on an existing Dask distributed cluster (``distributed.Client``)."""

    scheduler: str

    def run(self, tasks: Sequence[ProvinceTask]) -> Iterator[tuple[int, ProvincePlan]]:
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
            index = {future.key: i for i, future in enumerate(futures)}
            for future in as_completed(futures):
                yield index[future.key], future.result()
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
    checkpoints: Checkpoints | Sequence[Checkpoints | None] | None = None,
    on_province: Callable[[int, ProvincePlan, bool], None] | None = None,
) -> list[ProvincePlan]:
    """Plan every task; provinces already checkpointed are taken as they are.

    ``checkpoints`` is one store for all tasks (one scenario) or one per task (a batch of
    scenarios, where the same province appears once per scenario). Returns the plans in the
    order of ``tasks``, whatever order they finished in. ``on_province(index, plan, resumed)``
    is called for each task as its plan becomes available.
    """
    stores: list[Checkpoints | None] = (
        list(checkpoints) if isinstance(checkpoints, Sequence) else [checkpoints] * len(tasks)
    )
    if len(stores) != len(tasks):
        raise ValueError("one checkpoint store per task, or one for all")
    plans: dict[int, ProvincePlan] = {}
    todo: list[int] = []
    for index, (task, store) in enumerate(zip(tasks, stores, strict=True)):
        kept = store.load(task.province_code) if store else None
        if kept is None:
            todo.append(index)
        else:
            plans[index] = kept
            if on_province:
                on_province(index, kept, True)
    for position, plan in executor.run([tasks[i] for i in todo]):
        index = todo[position]
        plans[index] = plan
        store = stores[index]
        if store:
            store.save(plan)
        if on_province:
            on_province(index, plan, False)
    return [plans[i] for i in range(len(tasks))]
