"""Run a scenario: load, plan every province (in parallel when asked), write outputs atomically.

Outputs are written to a temporary folder beside the target and moved into place only when
everything is written, so an interrupted run leaves the previous outputs intact.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

from planner import __version__
from planner.errors import PlannerError, ScenarioError
from planner.execute import Checkpoints, ProvinceTask, checkpoint_key, executor_for, run_tasks
from planner.export.excel import write_excel
from planner.export.gpkg import write_gpkg
from planner.export.maps import write_maps
from planner.export.sheets import write_route_sheets
from planner.export.tables import (
    summary,
    write_routes_csv,
    write_schedule_csv,
    write_summary,
    write_unserved_csv,
)
from planner.geo.load import GeoData, load_geodata
from planner.plan import Plan, ProvincePlan
from planner.problem import build_province_problem, campaign_dates, check_timeline_codes
from planner.scenario import Scenario, load_scenario, scenario_hash
from planner.scenario.rules import level_on
from planner.travel import travel_source

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUTS = REPO_ROOT / "outputs"


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


@dataclass(frozen=True)
class RunResult:
    plan: Plan
    out_dir: Path
    summary: dict[str, Any]


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


def load_scenario_geodata(
    scenario: Scenario, scenario_path: Path, data_dir: Path | None
) -> GeoData:
    """The geo data a scenario plans on: data/geo, or the user's files named in [data].

    The scenario's COVID timeline is checked against it: every code must name a place.
    """
    base = scenario_path.resolve().parent

    def user_file(name: str | None, field: str) -> Path | None:
        if name is None:
            return None
        path = Path(os.path.normpath(base / name))
        if not path.is_file():
            what = "a folder, not a file" if path.is_dir() else "not found"
            raise ScenarioError(scenario_path, f"{path}: {what}", field=field)
        return path

    geo = load_geodata(
        scenario.structure,
        data_dir=data_dir,
        communes_path=user_file(scenario.data.communes, "data.communes"),
        post_offices_path=user_file(scenario.data.post_offices, "data.post_offices"),
    )
    check_timeline_codes(geo, scenario, scenario_path)
    return geo


class Progress(Protocol):
    """What a run reports as it goes (the CLI draws bars or prints lines)."""

    def start(self, province_codes: Sequence[str]) -> None: ...

    def finished(self, plan: ProvincePlan, resumed: bool) -> None: ...


def plan_scenario(
    scenario: Scenario,
    scenario_path: Path,
    settings: RunSettings,
    *,
    progress: Progress | None = None,
    checkpoints: Checkpoints | None = None,
) -> tuple[Plan, GeoData]:
    """The Python API: plan a loaded scenario. Returns the Plan and the geo data it used."""
    structure_geo = load_scenario_geodata(scenario, scenario_path, settings.data_dir)
    codes = select_provinces(
        scenario, scenario_path, list(structure_geo.provinces["province_code"]), settings.provinces
    )
    time_limit = settings.time_limit or scenario.solver.time_limit_seconds
    seed = scenario.solver.seed if settings.seed is None else settings.seed
    travel = travel_source(scenario.travel, scenario_path)
    tasks = [
        ProvinceTask(
            problem=build_province_problem(structure_geo, scenario, scenario_path, code),
            travel=travel,
            time_limit=time_limit,
            seed=seed,
            solver_workers=scenario.solver.workers,
        )
        for code in codes
    ]
    if progress:
        progress.start(codes)
    executor = executor_for(
        settings.executor, workers=settings.workers, scheduler=settings.scheduler
    )
    results = run_tasks(
        tasks,
        executor,
        checkpoints=checkpoints,
        on_province=progress.finished if progress else None,
    )
    plan = Plan(
        scenario=scenario.name,
        structure=scenario.structure,
        provinces=tuple(results),
        seed=seed,
        time_limit_seconds=time_limit,
    )
    return plan, structure_geo


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


def data_version(data_dir: Path | None) -> str:
    manifest = (data_dir or REPO_ROOT / "data" / "geo") / "MANIFEST.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8")).get("data_version", "unknown"))
    except (OSError, ValueError):
        return "unknown"


def run(
    scenario_path: Path, settings: RunSettings, *, progress: Progress | None = None
) -> RunResult:
    """Plan a scenario file and write outputs/<scenario>/ atomically.

    Finished provinces are kept in a hidden folder beside the outputs as they finish; with
    ``settings.resume`` a killed run takes them up again instead of recomputing them. The
    folder is removed once the outputs are in place.
    """
    started = time.perf_counter()
    scenario = load_scenario(scenario_path)
    out_dir = settings.out_dir or DEFAULT_OUTPUTS / scenario.name
    provenance = {
        "scenario_file": str(scenario_path),
        "scenario_hash": scenario_hash(scenario_path),
        "data_version": data_version(settings.data_dir),
        "planner_version": __version__,
        "solver": f"ortools {version('ortools')}",
        "python": sys.version.split()[0],
    }
    checkpoints = Checkpoints(
        folder=out_dir.with_name(f".{out_dir.name}.partial"),
        key=checkpoint_key(
            provenance["scenario_hash"],
            provenance["data_version"],
            provenance["planner_version"],
            provenance["solver"],
            settings.time_limit,
            settings.seed,
        ),
    )
    if not settings.resume:
        checkpoints.clear()
    plan, geo = plan_scenario(
        scenario, scenario_path, settings, progress=progress, checkpoints=checkpoints
    )
    data = summary(plan, provenance=provenance, solve_seconds=time.perf_counter() - started)

    def write(folder: Path) -> None:
        write_summary(data, folder / "summary.json")
        write_schedule_csv(plan, folder / "schedule.csv")
        write_routes_csv(plan, folder / "routes.csv")
        write_unserved_csv(plan, folder / "unserved.csv")
        write_excel(plan, folder / "schedule.xlsx", lang=settings.lang)
        write_gpkg(plan, folder / "plan.gpkg", geo=geo)
        write_route_sheets(plan, folder / "sheets", lang=settings.lang)
        write_maps(
            plan,
            geo,
            folder / "maps",
            lang=settings.lang,
            isolated=isolated_days(scenario, geo, plan),
        )

    try:
        write_atomically(out_dir, write)
    except OSError as error:
        raise PlannerError(
            f"{out_dir}: cannot write the plan there ({error.strerror or error})"
        ) from None
    checkpoints.clear()
    return RunResult(plan=plan, out_dir=out_dir, summary=data)


def write_atomically(out_dir: Path, write: Callable[[Path], None]) -> None:
    """Write into a temporary sibling folder, then swap it into place.

    Temporary folders left by a run that was killed while writing are removed first.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        write(tmp)
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
