"""The orienteering core alone on a province's first passes, as the planner asks it.

`benchmarks/campaign.py` scores whole plans (the planner's, PyVRP's, ...) on the planner's
own day timing; tuning the core needs less and faster: the core's own value on the very TOP
the planner gives it (:func:`planner.solve.core.core_search`: one route per working
team-day, the planner's settings, and the work limit a plan of first passes only gets), for
several seeds, with some settings changed. A row: the province, the horizon, the seed, the
routes' value (prizes less arc cost), the team-days used, the iterations, the counted work
and the wall seconds. The value depends only on the province, the horizon, the seed, the
time limit and the settings (the work is counted, not timed), so two machines, or two runs
side by side, give the same values.

    python benchmarks/core_alone.py --provinces 34 --days all --seeds 1,2,3,4,5,6
        [--time-limit 20] [--core-params recombine_every=25,...] [--not-whole-plan]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.lib.campaign import (
    add_province_arguments,
    core_params,
    first_days,
    passes_only,
    province_codes,
    seeds_arg,
)
from planner.errors import PlannerError
from planner.geo.load import load_geodata
from planner.instance import build_instance
from planner.orienteering import solve as solve_orienteering
from planner.problem import build_province_problem
from planner.scenario import load_scenario
from planner.solve.core import UNTIMED, core_search
from planner.travel import travel_source


@dataclass(frozen=True)
class CoreRun:
    """One run of the core alone."""

    province: str
    days: int
    seed: int
    value: float
    team_days: int
    iterations: int
    work: float
    seconds: float


def core_runs(
    scenario_path: Path,
    codes: Sequence[str],
    horizons: Sequence[int | None],
    seeds: Sequence[int],
    *,
    time_limit: float,
    settings: Sequence[tuple[str, Any]] = (),
    whole_plan: bool = True,
) -> list[CoreRun]:
    """The core alone on each province's passes-only TOP, each horizon and seed."""
    base = load_scenario(scenario_path)
    geo = load_geodata(base.structure, province_codes=list(codes))
    travel = travel_source(base.travel, scenario_path)
    runs: list[CoreRun] = []
    for days in horizons:
        scenario = passes_only(first_days(base, days))
        for code in codes:
            problem = build_province_problem(geo, scenario, scenario_path, code)
            instance = build_instance(problem, travel)
            search = core_search(instance, time_limit=time_limit, whole_plan=whole_plan)
            if search is None:
                raise PlannerError(f"province {code}: the core does not run (no team-day)")
            params = replace(search.params, **dict(settings))
            for seed in seeds:
                started = time.perf_counter()
                outcome = solve_orienteering(
                    search.problem,
                    time_limit=UNTIMED,
                    seed=seed,
                    max_iterations=search.max_iterations,
                    params=params,
                )
                runs.append(
                    CoreRun(
                        province=code,
                        days=len(scenario.campaign.days),
                        seed=seed,
                        value=outcome.value,
                        team_days=sum(len(route) > 2 for route in outcome.routes),
                        iterations=outcome.iterations,
                        work=outcome.work,
                        seconds=time.perf_counter() - started,
                    )
                )
    return runs


def table(runs: Sequence[CoreRun]) -> str:
    """A markdown line per run, then per province and horizon the mean over the seeds."""
    lines = [
        "| province | days | seed | value | team-days | iterations | work | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.province} | {r.days} | {r.seed} | {r.value:.2f} | {r.team_days} | "
            f"{r.iterations} | {r.work:.1f} | {r.seconds:.1f} |"
        )
    groups: dict[tuple[str, int], list[CoreRun]] = {}
    for r in runs:
        groups.setdefault((r.province, r.days), []).append(r)
    if any(len(g) > 1 for g in groups.values()):
        lines += [
            "",
            "| province | days | seeds | mean value | min | max |",
            "|---|---|---|---|---|---|",
        ]
        for (code, days), group in groups.items():
            values = [r.value for r in group]
            lines.append(
                f"| {code} | {days} | {len(group)} | {statistics.fmean(values):.2f} | "
                f"{min(values):.2f} | {max(values):.2f} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="The orienteering core alone on the planner's passes-only TOP of "
        "provinces: its own value per seed, with some settings changed."
    )
    add_province_arguments(
        parser,
        time_limit_help="the planner's --time-limit the core's iterations and work follow "
        "(default 20)",
    )
    parser.add_argument("--seeds", type=seeds_arg, default=[1])
    parser.add_argument(
        "--core-params",
        type=core_params,
        default=(),
        help="settings of the search that differ from the planner's, e.g. recombine_every=25",
    )
    parser.add_argument(
        "--not-whole-plan",
        action="store_true",
        help="no work limit: the core as it runs for a plan with conferences",
    )
    args = parser.parse_args(argv)
    codes = province_codes(args.provinces)
    try:
        runs = core_runs(
            args.scenario,
            codes,
            args.days,
            args.seeds,
            time_limit=args.time_limit,
            settings=args.core_params,
            whole_plan=not args.not_whole_plan,
        )
    except PlannerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(table(runs))
    return 0
