"""Run a scenario: load, plan every province (in parallel when asked), write outputs atomically.

Each scenario's output folder is claimed before anything is solved (locked, and checked to
be a folder the planner may replace: `planner.output_folder`), written to a temporary folder
beside the target and swapped into place only when everything is written, so an interrupted
run leaves the previous outputs intact and a second run to the same folder is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

from planner import __version__, interrupt
from planner.domain import ProvinceProblem
from planner.errors import PlannerError, ScenarioError
from planner.execute import Checkpoints, ProvinceTask, executor_for, run_tasks
from planner.export.excel import write_excel
from planner.export.gpkg import write_gpkg
from planner.export.gpx import write_gpx
from planner.export.maps import write_maps
from planner.export.sheets import write_route_sheets
from planner.export.tables import (
    summary,
    write_routes_csv,
    write_schedule_csv,
    write_summary,
    write_unserved_csv,
)
from planner.export.teampack import write_team_packs
from planner.geo.load import GeoData
from planner.history import (
    capacity_block,
    history_block,
    load_records,
    predicted_figures,
    realism_block,
)
from planner.inputs import (
    REPO_ROOT,
    check_scenario_against,
    data_version,
    load_scenario_geodata,
)
from planner.launch import plan_launch_summary
from planner.messages import current_lang, localize, msg
from planner.output_folder import Manifest, OutputFolder
from planner.plan import Plan, ProvincePlan
from planner.problem import (
    build_province_problem,
    campaign_dates,
)
from planner.scenario import Scenario, load_scenario, scenario_hash
from planner.scenario.rules import level_on
from planner.travel import travel_source
from planner.uncertainty import (
    TurnoutBand,
    band_summary,
    turnout_band,
    write_conference_band_csv,
)
from planner.written_plan import (
    ROUTES_FILE,
    SCHEDULE_FILE,
    SUMMARY_FILE,
    UNSERVED_FILE,
    Summary,
)

DEFAULT_OUTPUTS = Path("outputs")
"""Where plans go by default: `outputs/` under the folder the planner is run from."""


@dataclass(frozen=True)
class RunSettings:
    provinces: tuple[str, ...] | None = None
    time_limit: float | None = None
    seed: int | None = None
    workers: int = max(1, os.cpu_count() or 1)
    out_dir: Path | None = None
    data_dir: Path | None = None
    lang: str = "vi"
    executor: str = "local"  # "local" | "dask"
    scheduler: str | None = None  # Dask scheduler address
    resume: bool = False
    force: bool = False  # replace an output folder that holds another plan or comparison
    compact: bool = False  # --compact: the fewest team-days for the same value ([objective])


@dataclass(frozen=True)
class RunResult:
    """A plan made and written: the plan, its folder, and its summary.json's object.

    `summary` is the object written (plain data, as `plan_figures` built it); readers use
    `written_summary`, the same read as `Summary` (typed figures, as any written plan is read).
    """

    plan: Plan
    out_dir: Path
    summary: dict[str, Any]

    @cached_property
    def written_summary(self) -> Summary:
        """`summary` as a `Summary` (what `Summary.read` gives of the file written)."""
        return Summary.from_json(self.summary, self.out_dir / SUMMARY_FILE)


def select_provinces(
    scenario: Scenario, path: Path, geo_codes: Sequence[str], wanted: Sequence[str] | None
) -> list[str]:
    """The provinces to plan: the scenario's list (or all), narrowed by --provinces."""
    chosen = list(geo_codes) if scenario.provinces == "all" else list(scenario.provinces)
    unknown = [c for c in chosen if c not in geo_codes]
    if unknown:
        raise ScenarioError(
            path,
            f"unknown province code(s) {', '.join(unknown)} for structure {scenario.structure}",
            field="provinces",
        )
    if wanted:
        outside = [c for c in wanted if c not in chosen]
        if outside:
            raise ScenarioError(
                path,
                f"--provinces {', '.join(outside)} not in this scenario's provinces",
                field="provinces",
            )
        chosen = [c for c in chosen if c in wanted]
    return chosen


class Progress(Protocol):
    """What a run reports as it goes (the CLI draws bars or prints lines).

    Provinces are named by a label: the province code, or "scenario/code" in a batch.
    """

    def start(self, labels: Sequence[str]) -> None: ...

    def finished(self, label: str, plan: ProvincePlan, resumed: bool) -> None: ...

    def note(self, text: str) -> None: ...


@dataclass(frozen=True)
class ScenarioJob:
    """One scenario of a run: the file, any --vary overrides applied, where its outputs go."""

    path: Path
    scenario: Scenario
    out_dir: Path
    overrides: tuple[tuple[str, Any], ...] = ()

    @property
    def hash(self) -> str:
        return scenario_hash(self.scenario)


def scenario_job(
    path: Path,
    settings: RunSettings,
    *,
    overrides: Sequence[tuple[str, Any]] = (),
    out_dir: Path | None = None,
) -> ScenarioJob:
    """Load (and validate) one scenario of a run, with its --vary overrides."""
    if settings.compact:
        overrides = (*overrides, ("objective.compact", True))
    scenario = load_scenario(path, dict(overrides))
    return ScenarioJob(
        path=path,
        scenario=scenario,
        out_dir=out_dir or settings.out_dir or DEFAULT_OUTPUTS / scenario.name,
        overrides=tuple(overrides),
    )


def _check_distinct_outputs(jobs: Sequence[ScenarioJob]) -> None:
    seen: dict[Path, ScenarioJob] = {}
    for job in jobs:
        other = seen.get(job.out_dir.resolve())
        if other is not None:
            raise ScenarioError(
                job.path,
                f"writes to the same folder {job.out_dir} as {other.path}: give each scenario "
                "of a batch its own name",
                field="name",
            )
        seen[job.out_dir.resolve()] = job


def _build_tasks(
    job: ScenarioJob, geo: GeoData, settings: RunSettings
) -> tuple[list[ProvinceTask], float, int]:
    scenario = job.scenario
    codes = select_provinces(
        scenario, job.path, list(geo.provinces["province_code"]), settings.provinces
    )
    time_limit = settings.time_limit or scenario.solver.time_limit_seconds
    seed = scenario.solver.seed if settings.seed is None else settings.seed
    travel = travel_source(scenario.travel, job.path)
    tasks = [
        ProvinceTask(
            problem=build_province_problem(geo, scenario, job.path, code),
            travel=travel,
            time_limit=time_limit,
            seed=seed,
            solver_workers=scenario.solver.workers,
        )
        for code in codes
    ]
    return tasks, time_limit, seed


def plan_scenarios(
    jobs: Sequence[ScenarioJob],
    settings: RunSettings,
    *,
    progress: Progress | None = None,
    checkpoints: Sequence[Checkpoints | None] | None = None,
) -> list[tuple[Plan, GeoData]]:
    """The Python API: plan several loaded scenarios as one batch.

    Geo data is loaded once per structure and data files, and the provinces of every
    scenario go to the executor together, so a batch uses the workers as a national run does.
    Returns, per scenario, the Plan and the geo data it used.
    """
    planned = _plan_scenarios(jobs, settings, progress=progress, checkpoints=checkpoints)
    return [(plan, geo) for plan, geo, _ in planned]


def _plan_scenarios(
    jobs: Sequence[ScenarioJob],
    settings: RunSettings,
    *,
    progress: Progress | None = None,
    checkpoints: Sequence[Checkpoints | None] | None = None,
) -> list[tuple[Plan, GeoData, dict[str, ProvinceProblem]]]:
    """`plan_scenarios`, with each scenario's province problems (for summary.json)."""
    geo_cache: dict[tuple[Any, ...], GeoData] = {}
    batches: list[tuple[list[ProvinceTask], float, int, GeoData]] = []
    for job in jobs:
        data = job.scenario.data
        key = (
            job.scenario.structure,
            _user_file(job, data.communes),
            _user_file(job, data.post_offices),
            _user_file(job, data.lists),
        )
        if key not in geo_cache:
            geo_cache[key] = load_scenario_geodata(job.scenario, job.path, settings.data_dir)
        else:
            check_scenario_against(geo_cache[key], job.scenario, job.path)
        tasks, time_limit, seed = _build_tasks(job, geo_cache[key], settings)
        batches.append((tasks, time_limit, seed, geo_cache[key]))
    all_tasks = [task for tasks, *_ in batches for task in tasks]
    owner = [i for i, (tasks, *_) in enumerate(batches) for _ in tasks]
    labels = [
        task.province_code
        if len(jobs) == 1
        else f"{jobs[owner[k]].scenario.name}/{task.province_code}"
        for k, task in enumerate(all_tasks)
    ]
    stores = (
        [checkpoints[owner[k]] for k in range(len(all_tasks))] if checkpoints is not None else None
    )
    results = solve_tasks(all_tasks, labels, settings, progress=progress, checkpoints=stores)
    out: list[tuple[Plan, GeoData, dict[str, ProvinceProblem]]] = []
    for i, (job, (tasks, time_limit, seed, geo)) in enumerate(zip(jobs, batches, strict=True)):
        plan = Plan(
            scenario=job.scenario.name,
            structure=job.scenario.structure,
            provinces=tuple(r for k, r in enumerate(results) if owner[k] == i),
            seed=seed,
            time_limit_seconds=time_limit,
        )
        out.append((plan, geo, {task.province_code: task.problem for task in tasks}))
    return out


def solve_tasks(
    tasks: Sequence[ProvinceTask],
    labels: Sequence[str],
    settings: RunSettings,
    *,
    progress: Progress | None = None,
    checkpoints: Sequence[Checkpoints | None] | None = None,
) -> list[ProvincePlan]:
    """Plan the tasks on the executor the settings ask for, reporting each by its label."""
    executor = executor_for(
        settings.executor, workers=settings.workers, scheduler=settings.scheduler
    )
    if progress:
        progress.start(labels)
    return run_tasks(
        tasks,
        executor,
        checkpoints=checkpoints,
        on_province=(
            (lambda k, plan, resumed: progress.finished(labels[k], plan, resumed))
            if progress
            else None
        ),
        on_stale=lambda k, why: (progress.note if progress else _note)(
            msg("run.stale", label=labels[k], why=why)
        ),
    )


def _note(text: str) -> None:
    print(localize(text, current_lang()), file=sys.stderr, flush=True)


def _user_file(job: ScenarioJob, name: str | None) -> str | None:
    return None if name is None else os.path.normpath(job.path.resolve().parent / name)


def plan_scenario(
    scenario: Scenario,
    scenario_path: Path,
    settings: RunSettings,
    *,
    progress: Progress | None = None,
    checkpoints: Checkpoints | None = None,
) -> tuple[Plan, GeoData]:
    """The Python API: plan a loaded scenario. Returns the Plan and the geo data it used."""
    job = ScenarioJob(
        path=scenario_path,
        scenario=scenario,
        out_dir=settings.out_dir or DEFAULT_OUTPUTS / scenario.name,
    )
    ((plan, geo),) = plan_scenarios(
        [job], settings, progress=progress, checkpoints=[checkpoints] if checkpoints else None
    )
    return plan, geo


def isolated_days(scenario: Scenario, geo: GeoData, plan: Plan) -> dict[str, list[dt.date]]:
    """Commune code -> the campaign days it is isolated, for the maps."""
    days = campaign_dates(scenario)
    planned = {p.province_code for p in plan.provinces}
    communes = geo.communes[geo.communes["province_code"].isin(planned)]
    out: dict[str, list[dt.date]] = {}
    for province, group, commune in zip(
        communes["province_code"], communes["group_code"], communes["commune_code"], strict=True
    ):
        closed = [d for d in days if level_on(scenario, d, province, group, commune).isolated]
        if closed:
            out[str(commune)] = closed
    return out


def run(
    scenario_path: Path, settings: RunSettings, *, progress: Progress | None = None
) -> RunResult:
    """Plan a scenario file and write outputs/<scenario>/ (or settings.out_dir) atomically."""
    (result,) = run_batch([scenario_job(scenario_path, settings)], settings, progress=progress)
    return result


def run_batch(
    jobs: Sequence[ScenarioJob], settings: RunSettings, *, progress: Progress | None = None
) -> list[RunResult]:
    """Plan several scenarios as one batch and write each one's outputs atomically.

    Finished provinces are kept in a hidden folder beside each scenario's outputs as they
    finish; with ``settings.resume`` a killed run takes them up again instead of recomputing
    them. The folder is removed once the outputs are in place.
    """
    started = time.perf_counter()
    _check_distinct_outputs(jobs)
    provenances = [provenance_of(job, settings) for job in jobs]
    with contextlib.ExitStack() as claimed:
        folders = [claimed.enter_context(plan_folder(job, force=settings.force)) for job in jobs]
        stores = [
            Checkpoints(folder=job.out_dir.with_name(f".{job.out_dir.name}.partial"))
            for job in jobs
        ]
        if not settings.resume:
            for store in stores:
                store.clear()
        planned = _plan_scenarios(jobs, settings, progress=progress, checkpoints=stores)
        seconds = time.perf_counter() - started
        results = []
        for job, provenance, store, folder, (plan, geo, problems) in zip(
            jobs, provenances, stores, folders, planned, strict=True
        ):
            figures = plan_figures(plan, job.scenario, provenance, seconds, problems)
            write_plan_outputs(job, plan, geo, figures, settings.lang, folder=folder)
            store.clear()
            results.append(RunResult(plan=plan, out_dir=job.out_dir, summary=figures[0]))
    return results


def plan_folder(job: ScenarioJob, *, force: bool = False) -> OutputFolder:
    """The output folder of one scenario's plan (claim it, or use it as a context manager)."""
    return OutputFolder(
        job.out_dir,
        Manifest(kind="plan", scenario=job.scenario.name, planner_version=__version__),
        force=force,
    )


def provenance_of(job: ScenarioJob, settings: RunSettings) -> dict[str, Any]:
    provenance: dict[str, Any] = {
        "scenario_file": str(job.path.resolve()),
        "scenario_title": job.scenario.title,
        "run_folder": str(Path.cwd()),
        "scenario_hash": job.hash,
        "data_version": data_version(settings.data_dir),
        "planner_version": __version__,
        "solver": f"ortools {version('ortools')}",
        "python": sys.version.split()[0],
    }
    if job.overrides:
        provenance["overrides"] = {
            field: json.loads(json.dumps(value, default=str)) for field, value in job.overrides
        }
    return provenance


def plan_figures(
    plan: Plan,
    scenario: Scenario,
    provenance: dict[str, Any],
    seconds: float,
    problems: Mapping[str, ProvinceProblem] | None = None,
) -> tuple[dict[str, Any], TurnoutBand]:
    """summary.json's content, with the P10-P90 band of the plan's turnout; and the band.

    With the province problems, a scenario's launch day gets its `launch` block (parades,
    vehicles, small groups and the people they reach, beside the May 2022 launch day).
    """
    band = turnout_band(plan, scenario)
    data = summary(plan, provenance=provenance, solve_seconds=seconds)
    data["targets"] = targets_block(scenario)
    data.update(band_summary(band))
    records = load_records()
    days = (scenario.campaign.end - scenario.campaign.start).days + 1
    national = national_target_people(plan.structure, shares=target_shares(scenario))
    held = predicted_figures(plan, days=days, national_target_people=national)
    teams = len({r.team_id for p in plan.provinces for r in p.routes})
    data["history"] = history_block(held, records)
    data["realism"] = realism_block(plan, held, records, teams=teams)
    data["capacity"] = {**capacity_block(plan), "compact": scenario.objective.compact}
    launch = plan_launch_summary(problems, plan) if problems else None
    if launch is not None:
        data["launch"] = launch
    if problems:
        from planner.explain import territories_block  # explain reads plans: imports runner

        data["territories"] = {
            code: territories_block(problem) for code, problem in sorted(problems.items())
        }
    return data, band


def target_shares(scenario: Scenario) -> tuple[float, float] | None:
    """The scenario's target shares (urban, rural) of the population; None: the data's."""
    targets = scenario.targets
    urban, rural = targets.share(True), targets.share(False)
    return None if urban is None or rural is None else (urban, rural)


def targets_block(scenario: Scenario) -> dict[str, Any]:
    """summary.json's `targets`: which definition of target people the plan used, and how."""
    from planner.scenario.schema import (
        CENSUS_POPULATION_2019,
        DEFAULT_SHARE_OF_POPULATION,
        INFORMAL_NON_AGRICULTURAL_2020,
        VOLUNTARY_PARTICIPANTS_2019,
    )

    targets = scenario.targets
    block: dict[str, Any] = {"definition": targets.definition}
    shares = target_shares(scenario)
    if shares is None:
        block["share_of_population"] = round(DEFAULT_SHARE_OF_POPULATION, 6)
        block["derivation"] = (
            f"({INFORMAL_NON_AGRICULTURAL_2020:,} informal non-agricultural workers in 2020 - "
            f"{VOLUNTARY_PARTICIPANTS_2019:,} voluntary participants at end 2019) / "
            f"{CENSUS_POPULATION_2019:,} people (2019 census): data/geo's target_people"
        )
        block["source"] = "data/facts/informal_workers.csv"
    elif shares[0] == shares[1]:
        block["share_of_population"] = shares[0]
        block["derivation"] = "the scenario's targets.share_of_population x each commune's people"
    else:
        block["share_urban"], block["share_rural"] = shares
        block["derivation"] = (
            "the scenario's targets.share_urban (Phường, Thị trấn) and share_rural x each "
            "commune's people"
        )
    if targets.source is not None:
        block["source"] = targets.source
    block["users_figures_kept"] = True  # target people from the user's files and lists
    return block


@functools.cache
def national_target_people(
    structure: str,
    data_dir: Path | None = None,
    shares: tuple[float, float] | None = None,
) -> float:
    """The country's target people in the shipped data of a structure (for history scaling);
    with (urban, rural) shares, the country's people x those shares."""
    import pyogrio

    path = (data_dir or REPO_ROOT / "data" / "geo") / f"vn{structure}.gpkg"
    columns = ["target_people"] if shares is None else ["population", "urban"]
    try:
        frame = pyogrio.read_dataframe(path, layer="communes", columns=columns, read_geometry=False)
    except Exception:  # the shipped data is missing: scale as if the plan were the country
        return 0.0
    if shares is None:
        return float(frame["target_people"].sum())
    urban = frame["urban"].astype(bool)
    return float(
        (frame["population"][urban] * shares[0]).sum()
        + (frame["population"][~urban] * shares[1]).sum()
    )


def write_plan_outputs(
    job: ScenarioJob,
    plan: Plan,
    geo: GeoData,
    figures: tuple[dict[str, Any], TurnoutBand],
    lang: str,
    *,
    folder: OutputFolder | None = None,
) -> None:
    """Every output of one plan, written to a temporary folder and swapped into place.

    ``folder``: the output folder claimed before solving (`plan_folder`); claimed here when
    not given.
    """
    data, band = figures

    def write(tmp: Path) -> None:
        interrupt.check()
        write_summary(data, tmp / SUMMARY_FILE)
        write_schedule_csv(plan, tmp / SCHEDULE_FILE)
        write_conference_band_csv(band, tmp / "conference_band.csv")
        write_routes_csv(plan, tmp / ROUTES_FILE)
        write_unserved_csv(plan, tmp / UNSERVED_FILE)
        write_excel(plan, tmp / "schedule.xlsx", lang=lang)
        write_gpkg(plan, tmp / "plan.gpkg", geo=geo)
        write_route_sheets(plan, tmp / "sheets", lang=lang)
        write_team_packs(plan, tmp / "teams", lang=lang)
        write_gpx(plan, tmp / "gpx", lang=lang)
        write_maps(
            plan,
            geo,
            tmp / "maps",
            lang=lang,
            isolated=isolated_days(job.scenario, geo, plan),
            summary=data,
        )

    target = folder or plan_folder(job)
    try:
        target.write(write)
    except OSError as error:
        raise PlannerError(
            msg("run.cannot_write", out_dir=job.out_dir, reason=error.strerror or error)
        ) from None
    finally:
        if folder is None:
            target.release()
