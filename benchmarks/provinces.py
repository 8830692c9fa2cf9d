"""Plan single provinces of a scenario and print value, upper bound and greedy baseline.

    python benchmarks/provinces.py scenarios/vietnam-2020-may.toml 34 02 48 --time-limit 20 --seed 1

One line per province: communes, teams, days, plan value, bound, gap, greedy value, which
stage the plan came from, and wall seconds. Each province is planned as `planner run` plans it
(`planner.execute.solve_task`: in its independent parts, the launch day first when the
scenario has one), on the scenario's own travel times (its routing server or road table when
it names one). Used for the figures in the issue notes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planner.execute import ProvinceTask, solve_task
from planner.geo.load import load_geodata
from planner.problem import build_province_problem
from planner.scenario import load_scenario
from planner.travel import travel_source


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenario", type=Path)
    parser.add_argument("provinces", nargs="+")
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    geo = load_geodata(scenario.structure, province_codes=args.provinces)
    travel = travel_source(scenario.travel, args.scenario)  # the scenario's, as `planner run`
    limit = args.time_limit or scenario.solver.time_limit_seconds
    seed = scenario.solver.seed if args.seed is None else args.seed
    print("province,name,communes,teams,days,value,upper_bound,gap,greedy,vs_greedy,source,seconds")
    for code in args.provinces:
        problem = build_province_problem(geo, scenario, args.scenario, code)
        started = time.perf_counter()
        plan = solve_task(
            ProvinceTask(
                problem=problem, travel=travel, time_limit=limit, seed=seed, solver_workers=1
            )
        )
        k = plan.kpis
        print(
            f"{code},{problem.province_name},{len(problem.communes)},{len(problem.teams)},{len(problem.dates)},"
            f"{k.objective:.0f},{k.upper_bound:.0f},{k.gap:.3f},{k.greedy_value:.0f},"
            f"{k.objective / k.greedy_value - 1 if k.greedy_value else 0:+.3f},"
            f"{plan.notes[-1].removeprefix('plan from: ')},{time.perf_counter() - started:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
