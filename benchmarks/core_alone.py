"""The orienteering core alone on the planner's passes-only TOP of provinces (tuning).

    python benchmarks/core_alone.py --provinces 34 --days all --seeds 1,2,3,4,5,6
        [--time-limit 20] [--core-params recombine_every=25,...] [--not-whole-plan]

Each run: the core's own value (prizes less arc cost) on the very problem the planner gives
it at that time limit (planner/solve/core.py, ``core_search``), with the planner's settings
and the work limit of a plan of first passes only, unless --core-params changes some or
--not-whole-plan drops the work limit. Values depend only on the inputs, the seed and the
settings (the work is counted, not timed). See benchmarks/lib/core_alone.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, only benchmarks/ is on the path: add the repository for `benchmarks.lib`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.lib.core_alone import main

if __name__ == "__main__":
    sys.exit(main())
