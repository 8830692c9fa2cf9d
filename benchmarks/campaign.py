"""Campaign instances: the planner against PyVRP and OR-Tools on real provinces.

    python benchmarks/campaign.py [--provinces 34,02,48,27,38,45] [--time-limit 20] [--days all,N,...]
        [--seed 1 | --seeds 1,2,3] [--iterations N] [--solvers pyvrp,ortools,core,planner,greedy] [--no-full]
        [--core-params threshold=0.002,...]
        [--scenario scenarios/vietnam-2020-may.toml] [--out benchmarks/results/campaign.csv] [--replace]

For each province: the passes-only subset of the campaign instance that every peer can
express (one pass per commune at most, prize = first-pass value, one route per team-day
from the team's base, dwell times, the instance's travel minutes, arc cost = km x cost per
km, isolation per day where the peer can express it), solved by PyVRP, OR-Tools routing
(PATH_CHEAPEST_ARC + GLS, lunch as a break), the planner's orienteering core, the planner's
province solver on the same subset and the by-hand greedy baseline, one at a time at the
same time limit; every answer scored by the planner's own day timing, value and rule checks.
Then the planner on the province's full rules. Writes the CSV and prints a markdown table
of the results and one of the rules each solver expresses (benchmarks/lib/campaign.py
states the subset exactly). An existing CSV keeps its rows of the runs not repeated (a row
of this run replaces the one of the same province, solver, instance, horizon and seed), so
re-running one province refreshes its lines of the committed table; --replace writes only
this run's rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, only benchmarks/ is on the path: add the repository for `benchmarks.lib`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lib.campaign import main

if __name__ == "__main__":
    sys.exit(main())
