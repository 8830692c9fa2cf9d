"""`python -m planner.web.worker --workspace DIR JOB_ID`: one run of the web app.

Started by the web process (`planner.web.jobs.JobRunner.start`) in a session of its own, so
the solve never runs in the web process, and goes on when the page is closed or the server
stops. It calls the same `planner.runner.run` as `planner run`, with a `Progress` that
writes to the job store, and ends the job in one of its final states:

- done: the plan is in outputs/<job id>/ (the result line is kept);
- failed: a `PlannerError` (the same one line the command line prints) or an unexpected
  error (its type and message; the traceback is in outputs/.<job id>.log);
- cancelled: SIGTERM (the cancel button) stops it like Ctrl-C stops `planner run`: the
  temporary folder is removed, nothing half-written is left.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from planner.errors import PlannerError
from planner.plan import ProvincePlan
from planner.web.store import CANCELLED, DONE, FAILED, LOADING, RUNNING, JobStore
from planner.web.workspace import Workspace


class StoreProgress:
    """`planner.runner.Progress` written to the job store, for the live page."""

    def __init__(
        self, store: JobStore, job_id: str, parallel: int, names: dict[str, str] | None = None
    ) -> None:
        self.store = store
        self.job_id = job_id
        self.parallel = max(1, parallel)
        self.names = names or {}

    def start(self, labels: Sequence[str]) -> None:
        # LocalExecutor runs the tasks in order, `parallel` at a time (one when there is one
        # worker or one task): those are the provinces being solved now.
        parallel = 1 if len(labels) <= 1 else min(self.parallel, len(labels))
        self.store.start_provinces(self.job_id, list(labels), parallel, self.names)

    def finished(self, label: str, plan: ProvincePlan, resumed: bool) -> None:
        k = plan.kpis
        result = {
            "passes": k.passes,
            "conferences": k.conferences,
            "objective": k.objective,
            "upper_bound": k.upper_bound,
            "seconds": k.solve_seconds,
            "resumed": resumed,
        }
        self.store.finish_province(self.job_id, label, plan.province_name, json.dumps(result))

    def note(self, text: str) -> None:
        self.store.add_note(self.job_id, text)


def process_start_time(pid: int) -> str | None:
    """The start time of a process (Linux /proc, in clock ticks): with the pid, it names the
    process, so a pid reused after a restart is not taken for the worker."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()[19]


def province_names(structure: str) -> dict[str, str]:
    """Province code -> name in the shipped data (for the progress page; {} if unreadable)."""
    try:
        import pyogrio

        from planner.runner import REPO_ROOT

        frame = pyogrio.read_dataframe(
            REPO_ROOT / "data" / "geo" / f"vn{structure}.gpkg",
            layer="provinces",
            columns=["province_code", "province_name"],
            read_geometry=False,
        )
    except Exception:  # the names are a nicety: never fail a run for them
        return {}
    return {
        str(code): str(name)
        for code, name in zip(frame["province_code"], frame["province_name"], strict=True)
    }


def run_job(workspace: Workspace, store: JobStore, job_id: str) -> int:
    """Run the job `job_id`; returns the exit status (0 done, 1 failed, 130 cancelled)."""
    from planner.runner import RunResult, RunSettings, run
    from planner.scenario import load_scenario

    job = store.get(job_id)
    if job is None:
        print(f"planner.web.worker: no job {job_id}", file=sys.stderr)
        return 2
    if job.final or job.cancel_requested:
        store.finish(job_id, CANCELLED)
        return 130
    store.update(
        job_id,
        status=RUNNING,
        phase=LOADING,
        started_at=time.time(),
        pid=os.getpid(),
        pid_start=process_start_time(os.getpid()),
    )
    scenario_path = workspace.scenarios / job.scenario_file
    settings = RunSettings(
        time_limit=job.time_limit,
        out_dir=workspace.run_folder(job_id),
        lang=job.lang,
        workers=job.workers,
    )
    try:
        scenario = load_scenario(scenario_path)
        store.update(job_id, province_limit=job.time_limit or scenario.solver.time_limit_seconds)
        progress = StoreProgress(
            store, job_id, settings.workers, province_names(scenario.structure)
        )
        result: RunResult = run(scenario_path, settings, progress=progress)
    except KeyboardInterrupt:
        store.finish(job_id, CANCELLED, message="stopped on request; nothing was written")
        return 130
    except PlannerError as exc:
        store.finish(job_id, FAILED, message=workspace.short(str(exc)))
        return 1
    except Exception as exc:
        traceback.print_exc()
        store.finish(
            job_id, FAILED, message=workspace.short(f"internal error: {type(exc).__name__}: {exc}")
        )
        return 1
    s = result.summary
    figures = ("team_days", "passes", "conferences", "expected_reach", "expected_enrolments")
    store.finish(job_id, DONE, result=json.dumps({key: s.get(key) for key in figures}))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner.web.worker")
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("job_id")
    args = parser.parse_args(argv)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    workspace = Workspace(args.workspace)
    os.chdir(workspace.root)  # provenance's run_folder, and relative paths, as `planner run`
    from planner.web.store import STORE_NAME

    store = JobStore(workspace.root / STORE_NAME)
    try:
        return run_job(workspace, store, args.job_id)
    except KeyboardInterrupt:  # between two steps of run_job
        store.finish(args.job_id, CANCELLED, message="stopped on request; nothing was written")
        return 130


if __name__ == "__main__":
    sys.exit(main())
