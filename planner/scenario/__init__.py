"""The scenario file: its schema, loading with `extends`, validation and JSON Schema.

from planner.scenario import load_scenario
scenario = load_scenario("scenarios/demo.toml")   # raises planner.errors.ScenarioError
"""

from planner.scenario.load import (
    load_scenario,
    resolve_scenario_table,
    scenario_hash,
    scenario_json_schema,
)
from planner.scenario.schema import (
    Campaign,
    Conferences,
    ConferenceSlot,
    Covid,
    Fairness,
    LunchBreak,
    Objective,
    Propaganda,
    RuleLevel,
    Scenario,
    SolverSettings,
    TeamRule,
    Teams,
    TeamSpec,
    TimelineEntry,
    Travel,
    WorkingHours,
)

__all__ = [
    "Campaign",
    "ConferenceSlot",
    "Conferences",
    "Covid",
    "Fairness",
    "LunchBreak",
    "Objective",
    "Propaganda",
    "RuleLevel",
    "Scenario",
    "SolverSettings",
    "TeamRule",
    "TeamSpec",
    "Teams",
    "TimelineEntry",
    "Travel",
    "WorkingHours",
    "load_scenario",
    "resolve_scenario_table",
    "scenario_hash",
    "scenario_json_schema",
]
