"""planner: plans outreach campaigns (mobile propaganda teams and conferences) with OR-Tools.

The public API, the same the command line uses::

    from pathlib import Path
    import planner

    scenario = planner.load_scenario("scenarios/demo.toml")       # validated, frozen
    plan, geo = planner.plan_scenario(scenario, Path("scenarios/demo.toml"),
                                      planner.RunSettings(time_limit=5))
    print(plan.total("expected_enrolments"), len(plan.provinces))
    result = planner.run(Path("scenarios/demo.toml"), planner.RunSettings())  # and write

`Plan` (planner.plan) holds each province's routes, unserved places and figures;
`RunSettings` the run's limits and where outputs go; `PlannerError` is raised for a user's
mistake, with a one-line message. Names are imported on first use, so that `import planner`
stays light (no OR-Tools until a plan is made).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC = {
    "load_scenario": "planner.scenario",
    "Scenario": "planner.scenario",
    "plan_scenario": "planner.runner",
    "run": "planner.runner",
    "RunSettings": "planner.runner",
    "RunResult": "planner.runner",
    "Plan": "planner.plan",
    "ProvincePlan": "planner.plan",
    "PlannerError": "planner.errors",
}

__all__ = [
    "Plan",
    "PlannerError",
    "ProvincePlan",
    "RunResult",
    "RunSettings",
    "Scenario",
    "__version__",
    "load_scenario",
    "plan_scenario",
    "run",
]

if TYPE_CHECKING:
    from planner.errors import PlannerError
    from planner.plan import Plan, ProvincePlan
    from planner.runner import RunResult, RunSettings, plan_scenario, run
    from planner.scenario import Scenario, load_scenario


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
