"""`python -m planner.web.worker --workspace DIR JOB_ID`: one job of the web app.

Started by the web process (`planner.web.jobs.JobRunner.start`) in a session of its own, so
the solve never runs in the web process, and goes on when the page is closed or the server
stops. It calls the same Python API as the command line, with a `Progress` that writes to
the job store, according to the job's kind:

- `run`: `planner.runner.run`, as `planner run` (the plan in outputs/<job id>/);
- `batch`: `planner.runner.run_batch`, as `planner run A.toml B.toml`: the provinces of every
  scenario share the workers, each scenario's plan goes to outputs/<job id>/<scenario id>/;
- `replan`: `planner.replan.replan`, as `planner replan OUTDIR --done REPORTS --from DATE`
  (the published plan is outputs/<parent job id>/, the reports the files the web app kept in
  reports/<parent job id>/; the new plan in outputs/<job id>/);
- `sweep`: the variants of `planner sweep BASE --vary FIELD=V1,V2` planned as one batch into
  outputs/<job id>/<variant>/, then sweep.csv and the comparison with its curve in
  outputs/<job id>/compare/;
- `compare`: `planner.compare` on finished plans, as `planner compare`, into
  outputs/<job id>/ (a job id of a comparison starts with "compare-").

Every kind plans its provinces on the executor the server was started with (`planner serve
--executor dask --scheduler ADDRESS`, kept in the job's parameters when it is created: a
worker found again after a restart keeps its own), as `planner run --executor` does; by
default local processes.

It ends the job in one of its final states:

- done: the outputs are in outputs/<job id>/ (the figures the pages show are kept);
- failed: a `PlannerError` (the same one line the command line prints) or an unexpected
  error (its type and message; the traceback is in outputs/.<job id>.log);
- cancelled: SIGTERM (the cancel button) stops it like Ctrl-C stops `planner run`: the
  temporary folder is removed, nothing half-written is left.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import PlannerError
from planner.plan import ProvincePlan
from planner.web.store import (
    BATCH,
    CANCELLED,
    COMPARE,
    COMPARING,
    DONE,
    FAILED,
    IN_PLACE_KINDS,
    LOADING,
    REPLAN,
    RUN,
    RUNNING,
    SWEEP,
    Job,
    JobStore,
)
from planner.web.workspace import Workspace

if TYPE_CHECKING:
    from planner.compare.diff import Comparison
    from planner.written_plan import Summary

#: The figures of a plan's summary.json kept as a finished run's result.
PLAN_FIGURES = ("team_days", "passes", "conferences", "expected_reach", "expected_enrolments")


def plan_figures(summary: Summary) -> dict[str, Any]:
    """`PLAN_FIGURES` of a plan's summary (the `Summary` fields of those names), as the job
    store keeps them."""
    return {key: getattr(summary, key) for key in PLAN_FIGURES}


class StoreProgress:
    """`planner.runner.Progress` written to the job store, for the live page."""

    def __init__(
        self, store: JobStore, job_id: str, parallel: int, names: dict[str, str] | None = None
    ) -> None:
        self.store = store
        self.job_id = job_id
        self.parallel = max(1, parallel)
        self.names = names or {}

    def _name(self, label: str) -> str:
        # a batch (a sweep) labels a province "variant/code"
        return self.names.get(label) or self.names.get(label.rsplit("/", 1)[-1], "")

    def start(self, labels: Sequence[str]) -> None:
        # LocalExecutor runs the tasks in order, `parallel` at a time (one when there is one
        # worker or one task): those are the provinces being solved now.
        parallel = 1 if len(labels) <= 1 else min(self.parallel, len(labels))
        names = {label: self._name(label) for label in labels}
        self.store.start_provinces(self.job_id, list(labels), parallel, names)

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
    work = {RUN: _run, BATCH: _batch, REPLAN: _replan, SWEEP: _sweep, COMPARE: _compare}.get(
        job.kind
    )
    try:
        if work is None:
            raise PlannerError(f"unknown job kind {job.kind!r}")
        result = work(workspace, store, job)
    except KeyboardInterrupt:
        _clean_own_folder(workspace, job)
        store.finish(job_id, CANCELLED, message="stopped on request; nothing was written")
        return 130
    except PlannerError as exc:
        _clean_own_folder(workspace, job)
        store.finish(job_id, FAILED, message=workspace.short(str(exc)))
        return 1
    except Exception as exc:
        traceback.print_exc()
        _clean_own_folder(workspace, job)
        store.finish(
            job_id, FAILED, message=workspace.short(f"internal error: {type(exc).__name__}: {exc}")
        )
        return 1
    store.finish(job_id, DONE, result=json.dumps(result, ensure_ascii=False))
    return 0


def _clean_own_folder(workspace: Workspace, job: Job) -> None:
    """A sweep or a batch builds its folder in place: one that stopped half-way leaves nothing
    behind. (A run, a re-plan and a comparison write theirs aside and move it in whole.)"""
    if job.kind in IN_PLACE_KINDS:
        shutil.rmtree(workspace.run_folder(job.id), ignore_errors=True)
        with contextlib.suppress(OSError):
            (workspace.outputs / f".{job.id}.lock").unlink()


def _settings(workspace: Workspace, job: Job, *, out_dir: bool = True) -> Any:
    """The job's `RunSettings`: its time limit, language, workers, and the executor the
    server was started with (kept in the job's parameters; local when none)."""
    from planner.runner import RunSettings

    params = job.parameters
    executor = "dask" if params.get("executor") == "dask" else "local"
    scheduler = params.get("scheduler") if executor == "dask" else None
    return RunSettings(
        time_limit=job.time_limit,
        out_dir=workspace.run_folder(job.id) if out_dir else None,
        lang=job.lang,
        workers=job.workers,
        executor=executor,
        scheduler=str(scheduler) if scheduler else None,
    )


def _run(workspace: Workspace, store: JobStore, job: Job) -> dict[str, Any]:
    """`planner run SCENARIO` into outputs/<job id>/."""
    from planner.runner import run
    from planner.scenario import load_scenario

    scenario_path = workspace.scenarios / job.scenario_file
    settings = _settings(workspace, job)
    scenario = load_scenario(scenario_path)
    store.update(job.id, province_limit=job.time_limit or scenario.solver.time_limit_seconds)
    progress = StoreProgress(store, job.id, settings.workers, province_names(scenario.structure))
    result = run(scenario_path, settings, progress=progress)
    return plan_figures(result.written_summary)


def batch_scenarios(job: Job) -> list[tuple[str, str]]:
    """The scenarios of a batch job: (scenario id, file name in scenarios/), in order."""
    entries = job.parameters.get("scenarios") or []
    return [
        (str(e.get("id", "")), Path(str(e.get("file", ""))).name)
        for e in entries
        if isinstance(e, dict)
    ]


def _batch(workspace: Workspace, store: JobStore, job: Job) -> dict[str, Any]:
    """`planner run A.toml B.toml ...` as one batch: each scenario's plan in
    outputs/<job id>/<scenario id>/, the provinces of all of them sharing the workers."""
    from planner.runner import run_batch, scenario_job

    chosen = batch_scenarios(job)
    if not chosen:
        raise PlannerError("the batch names no scenario")
    settings = _settings(workspace, job, out_dir=False)
    out_dir = workspace.run_folder(job.id)
    jobs = [
        scenario_job(
            workspace.scenarios / name, settings, out_dir=workspace.plan_folder(job.id, sid)
        )
        for sid, name in chosen
    ]
    limits = [j.scenario.solver.time_limit_seconds for j in jobs]
    store.update(job.id, province_limit=job.time_limit or max(limits))
    names: dict[str, str] = {}
    for structure in dict.fromkeys(j.scenario.structure for j in jobs):
        names.update(province_names(structure))
    out_dir.mkdir(parents=True, exist_ok=True)
    progress = StoreProgress(store, job.id, settings.workers, names)
    results = run_batch(jobs, settings, progress=progress)
    return {
        "scenarios": [
            {
                "id": sid,
                "name": result.written_summary.scenario,
                "title": j.scenario.title or j.scenario.name,
                "folder": result.out_dir.name,
                **plan_figures(result.written_summary),
            }
            for (sid, _), j, result in zip(chosen, jobs, results, strict=True)
        ]
    }


def _replan(workspace: Workspace, store: JobStore, job: Job) -> dict[str, Any]:
    """`planner replan outputs/<parent> --done REPORTS --from DATE --scenario RULES`."""
    from planner.replan import replan
    from planner.scenario import load_scenario

    params = job.parameters
    parent = str(params.get("parent", ""))
    from_date = dt.date.fromisoformat(str(params.get("from", "")))
    reports = [workspace.report_path(str(name)) for name in params.get("reports") or []]
    if not reports or any(path is None for path in reports):
        raise PlannerError("the re-plan's report files are gone; upload them again")
    # the rules now in force: a scenario the planner chose, else the plan's own (as the
    # command line finds it, but in this workspace even if the workspace was moved)
    rules = params.get("rules") or job.scenario_file
    rules_path = workspace.scenarios / Path(str(rules)).name
    settings = _settings(workspace, job)
    scenario = load_scenario(rules_path)
    store.update(job.id, province_limit=job.time_limit or scenario.solver.time_limit_seconds)
    progress = StoreProgress(store, job.id, settings.workers, province_names(scenario.structure))
    result = replan(
        workspace.run_folder(parent),
        [path for path in reports if path is not None],
        from_date,
        settings,
        scenario_path=rules_path,
        progress=progress,
        notice=lambda line: store.add_note(job.id, line),
    )
    return plan_figures(result.written_summary)


def _sweep(workspace: Workspace, store: JobStore, job: Job) -> dict[str, Any]:
    """`planner sweep BASE --vary FIELD=V1,V2,... --out outputs/<job id>`."""
    from planner import __version__
    from planner.compare import SweepCurve, compare_plans, write_comparison
    from planner.output_folder import Manifest, OutputFolder
    from planner.runner import run_batch, scenario_job
    from planner.sweep import (
        parse_vary,
        sweep_jobs,
        sweep_labels,
        sweep_points,
        sweep_title,
        write_sweep_csv,
    )

    varies = [parse_vary(str(option)) for option in job.parameters.get("vary") or []]
    base_path = workspace.scenarios / job.scenario_file
    settings = _settings(workspace, job, out_dir=False)
    base = scenario_job(base_path, settings).scenario
    store.update(job.id, province_limit=job.time_limit or base.solver.time_limit_seconds)
    out_dir = workspace.run_folder(job.id)
    jobs = sweep_jobs(base_path, varies, settings, out_dir)
    lang = settings.lang
    folder = OutputFolder(
        out_dir, Manifest(kind="sweep", scenario=base.name, planner_version=__version__)
    )
    with folder:
        progress = StoreProgress(store, job.id, settings.workers, province_names(base.structure))
        results = run_batch(jobs, settings, progress=progress)
        store.update(job.id, phase=COMPARING)
        points = sweep_points(varies, jobs, results)
        write_sweep_csv(varies, points, out_dir / "sweep.csv")
        comparison = compare_plans(
            [p.out_dir for p in points], labels=sweep_labels(varies, points, lang)
        )
        write_comparison(
            comparison,
            out_dir / "compare",
            sweep=SweepCurve(tuple(points), tuple(v.field for v in varies)),
            lang=lang,
            title=sweep_title(varies, comparison, lang),
        )
        folder.mark()
    return {
        "fields": [v.field for v in varies],
        "points": [
            {
                "texts": list(p.texts),
                "scenario": p.scenario,
                "folder": p.out_dir.name,
                "expected_reach": p.expected_reach,
                "expected_enrolments": p.expected_enrolments,
                "enrolments_p10": p.enrolments_p10,
                "enrolments_p90": p.enrolments_p90,
                "conferences": p.conferences,
                "passes": p.passes,
                "team_days": p.team_days,
                "travel_km": p.travel_km,
            }
            for p in points
        ],
        "compare": comparison_figures(comparison),
    }


def _compare(workspace: Workspace, store: JobStore, job: Job) -> dict[str, Any]:
    """`planner compare outputs/<a> outputs/<b> ... --out outputs/<job id>`."""
    from planner.compare import compare_plans, write_comparison

    params = job.parameters
    runs = [str(run_id) for run_id in params.get("runs") or []]
    labels = params.get("labels") or None
    store.update(job.id, phase=COMPARING)
    comparison = compare_plans(
        [workspace.run_folder(run_id) for run_id in runs],
        labels=[str(label) for label in labels] if labels else None,
    )
    write_comparison(comparison, workspace.run_folder(job.id), lang=job.lang)
    return {"runs": runs, "compare": comparison_figures(comparison)}


def comparison_figures(comparison: Comparison) -> dict[str, Any]:
    """What the web page shows of a comparison: each plan's totals, and the marginal figures
    against the first (`planner.compare.diff.MARGINALS`: new participants per extra team-day,
    km and team; None where the resource is unknown or the same)."""
    from planner.compare.diff import MARGINALS

    plans = comparison.plans
    base = plans[0].figures
    return {
        "plans": [
            {
                "label": p.label,
                "scenario": p.scenario,
                "team_days": p.figures.team_days,
                "teams": p.figures.teams,
                "travel_km": p.figures.travel_km,
                "passes": p.figures.passes,
                "conferences": p.figures.conferences,
                "expected_reach": p.figures.expected_reach,
                "expected_enrolments": p.figures.expected_enrolments,
            }
            for p in plans
        ],
        "marginals": [
            {
                "name": m.name,
                "digits": m.digits,
                "values": [None, *(m.value(base, p.figures) for p in plans[1:])],
            }
            for m in MARGINALS
        ],
    }


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
