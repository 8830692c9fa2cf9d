"""Provinces as independent tasks: run them in a local process pool or on a Dask cluster,
keep each finished province as it finishes, and resume a killed run without recomputing.

A task carries everything its province needs (the frozen ProvinceProblem, the travel model,
the limits), so a worker process or a Dask worker solves it without reading any file, and
the same task gives the same ProvincePlan wherever it runs.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

from planner import interrupt
from planner.domain import ProvinceProblem
from planner.errors import PlannerError
from planner.estimates import with_estimates
from planner.instance import build_instance
from planner.launch import solve_with_launch, with_province_launch_note
from planner.messages import msg
from planner.plan import ProvincePlan, plan_from_dict, plan_to_dict
from planner.solve import solve_province
from planner.solve.split import solve_in_parts
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
    """Solve one province task (runs in a worker process or on a Dask worker).

    The province is planned in the parts no team crosses (planner/solve/split.py: with own
    territories, district by district), each with its share of the search time. With a launch
    day (scenario [launch]), each part's parades are planned first and pinned, and its month
    is solved around them (planner/launch.py)."""

    def solve(part: ProvinceProblem, time_limit: float) -> ProvincePlan:
        interrupt.check()  # a Ctrl-C swallowed inside a solver library stops here
        if part.launch is not None:
            return solve_with_launch(
                part,
                task.travel,
                time_limit=time_limit,
                seed=task.seed,
                workers=task.solver_workers,
            )
        instance = build_instance(part, task.travel)
        return solve_province(
            instance, time_limit=time_limit, seed=task.seed, workers=task.solver_workers
        )

    plan = with_province_launch_note(
        task.problem, solve_in_parts(task.problem, solve, task.time_limit)
    )
    # which figures are estimates: read from the problem after solving, never by the solver
    return with_estimates(task.problem, plan)


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
                plan = solve_task(task)
                interrupt.check()
                yield index, plan
            return
        pool = ProcessPoolExecutor(
            max_workers=min(self.workers, len(tasks)), initializer=_leave_interrupts_to_parent
        )
        try:
            futures = {pool.submit(solve_task, t): i for i, t in enumerate(tasks)}
            pending: set[Future[ProvincePlan]] = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.__getitem__):
                    yield futures[future], future.result()
        except BaseException:
            # Ctrl-C, or an error in one province: stop the others now rather than
            # waiting for every running solve to finish.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def _leave_interrupts_to_parent() -> None:
    """Worker processes ignore Ctrl-C: the parent stops them and cleans up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
                msg("execute.dask_unreachable", address=self.scheduler, reason=str(error))
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

    Each kept province is a JSON file (data, never code: nothing in the folder is executed)
    holding its plan and the fingerprint of the task it was planned from (`task_fingerprint`:
    every input of the province by content, the limits, the seed and the planner's code). A
    kept province is taken only when its fingerprint equals the task's; otherwise it is
    planned again and ``load`` says why.
    """

    folder: Path

    def _path(self, code: str) -> Path:
        return self.folder / f"{code}.json"

    def load(self, task: ProvinceTask) -> tuple[ProvincePlan | None, str | None]:
        """The kept plan of ``task`` if it is still valid, else (None, why not or None)."""
        path = self._path(task.province_code)
        if not path.is_file():
            return None, None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            kept = data["fingerprint"]
        except (OSError, ValueError, KeyError, TypeError):
            return None, msg("run.stale_unreadable")
        expected = task_fingerprint(task)
        if not isinstance(kept, dict) or kept != expected:
            changed = sorted(
                k for k in expected if not isinstance(kept, dict) or kept.get(k) != expected[k]
            )
            return None, msg("run.stale_changed", what=", ".join(changed) or "inputs")
        try:
            plan = plan_from_dict(data["plan"])
        except (KeyError, TypeError, ValueError):
            return None, msg("run.stale_unreadable")
        return plan, None

    def save(self, task: ProvinceTask, plan: ProvincePlan) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(plan.province_code)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"fingerprint": task_fingerprint(task), "plan": plan_to_dict(plan)}),
            encoding="utf-8",
        )
        os.replace(tmp, path)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def task_fingerprint(task: ProvinceTask) -> dict[str, str]:
    """Content hashes of everything that decides a province's plan, by part.

    ``inputs``: the province problem (communes, populations, venues, teams, the rules on each
    day, rates, weights: all read from the data and the scenario by content, not by path) and
    the travel-time source; ``limits``: time limit, seed, CP-SAT workers; ``code``: the
    planner's own source files and the OR-Tools version.
    """
    return {
        "inputs": content_hash((task.problem, task.travel)),
        "limits": content_hash((float(task.time_limit), int(task.seed), int(task.solver_workers))),
        "code": code_fingerprint(),
    }


def content_hash(value: Any) -> str:
    """A hash of a value's content that is the same in every process (no hash seeds)."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"<{type(value).__qualname__}".encode())
        for f in dataclasses.fields(value):
            digest.update(f.name.encode())
            _feed(digest, getattr(value, f.name))
        digest.update(b">")
    elif isinstance(value, (list, tuple)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, (set, frozenset)):
        digest.update(b"{")
        for text in sorted(content_hash(item) for item in value):
            digest.update(text.encode())
        digest.update(b"}")
    elif isinstance(value, dict):
        digest.update(b"(")
        for key_hash, item in sorted((content_hash(k), v) for k, v in value.items()):
            digest.update(key_hash.encode())
            _feed(digest, item)
        digest.update(b")")
    elif isinstance(value, float):
        digest.update(float.hex(value).encode())
    else:
        digest.update(f"{type(value).__qualname__}:{value!r};".encode())


@functools.cache
def code_fingerprint() -> str:
    """The planner's source files and the solver's version, hashed (cached per process)."""
    digest = hashlib.sha256(f"ortools {version('ortools')}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run_tasks(
    tasks: Sequence[ProvinceTask],
    executor: Executor,
    *,
    checkpoints: Checkpoints | Sequence[Checkpoints | None] | None = None,
    on_province: Callable[[int, ProvincePlan, bool], None] | None = None,
    on_stale: Callable[[int, str], None] | None = None,
) -> list[ProvincePlan]:
    """Plan every task; provinces already checkpointed are taken as they are.

    ``checkpoints`` is one store for all tasks (one scenario) or one per task (a batch of
    scenarios, where the same province appears once per scenario). Returns the plans in the
    order of ``tasks``, whatever order they finished in. ``on_province(index, plan, resumed)``
    is called for each task as its plan becomes available; ``on_stale(index, why)`` for a kept
    province that no longer matches its task and is planned again.
    """
    stores: list[Checkpoints | None] = (
        list(checkpoints) if isinstance(checkpoints, Sequence) else [checkpoints] * len(tasks)
    )
    if len(stores) != len(tasks):
        raise ValueError("one checkpoint store per task, or one for all")
    plans: dict[int, ProvincePlan] = {}
    todo: list[int] = []
    for index, (task, store) in enumerate(zip(tasks, stores, strict=True)):
        kept, why = store.load(task) if store else (None, None)
        if kept is None:
            todo.append(index)
            if why and on_stale:
                on_stale(index, why)
        else:
            plans[index] = kept
            if on_province:
                on_province(index, kept, True)
    for position, plan in executor.run([tasks[i] for i in todo]):
        index = todo[position]
        plans[index] = plan
        store = stores[index]
        if store:
            store.save(tasks[index], plan)
        if on_province:
            on_province(index, plan, False)
    return [plans[i] for i in range(len(tasks))]
