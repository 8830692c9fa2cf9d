"""`planner compare`: plans side by side, their differences, and the sweep curve.

    comparison = compare_plans([folder_a, folder_b], labels=None)   # the first is the baseline
    print(terminal_table(comparison))
    write_comparison(comparison, out_dir, sweep=SweepCurve(points, field_names))

Modules, in the order of the flow: `load` (a run folder back as values), `crosswalk` (2020
communes and provinces in the 2025 structure), `diff` (the comparison), `table` (terminal
table, compare.csv), `chart` (the sweep PNG), `html` (the page), `write` (the folder).
"""

from planner.compare.chart import ChartPoint, SweepCurve, SweepPointLike, sweep_chart
from planner.compare.crosswalk import Crosswalk, crosswalk_2020_to_2025
from planner.compare.diff import CompareError, Comparison, compare_outputs, compare_plans
from planner.compare.load import PlanOutputs, load_plan_outputs
from planner.compare.table import terminal_table
from planner.compare.write import DEFAULT_OUT, write_comparison

__all__ = [
    "DEFAULT_OUT",
    "ChartPoint",
    "CompareError",
    "Comparison",
    "Crosswalk",
    "PlanOutputs",
    "SweepCurve",
    "SweepPointLike",
    "compare_outputs",
    "compare_plans",
    "crosswalk_2020_to_2025",
    "load_plan_outputs",
    "sweep_chart",
    "terminal_table",
    "write_comparison",
]
