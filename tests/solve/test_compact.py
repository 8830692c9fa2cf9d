"""Compact mode: the same value (within the tolerance) with the fewest team-days."""

from __future__ import annotations

from dataclasses import replace

from planner import domain
from planner.rules.checks import violations
from planner.solve import solve_province
from tests.solve.factory import TRAVEL, commune, instance, problem


def _province(tolerance: float | None) -> domain.ProvinceProblem:
    communes = [commune(f"C{i}", km_east=(i % 6) * 3 - 8, target=400 + 50 * i) for i in range(10)]
    p = problem(communes, days=6, teams=2, passes={"max_passes": 3, "min_days_between": 2})
    return replace(p, weights=replace(p.weights, compact_tolerance=tolerance))


def test_compact_plans_the_same_value_with_fewer_team_days() -> None:
    full = solve_province(instance(_province(None)), time_limit=2.0, seed=1)
    compact_problem = _province(0.01)
    compact = solve_province(instance(compact_problem), time_limit=2.0, seed=1)
    assert compact.kpis.objective >= 0.99 * full.kpis.objective
    assert compact.kpis.team_days_used < full.kpis.team_days_used
    assert violations(compact_problem, compact.routes, TRAVEL) == []
    assert any(n.startswith("compact: ") for n in compact.notes), compact.notes


def test_zero_tolerance_never_loses_value() -> None:
    full = solve_province(instance(_province(None)), time_limit=2.0, seed=1)
    compact = solve_province(instance(_province(0.0)), time_limit=2.0, seed=1)
    assert compact.kpis.objective >= full.kpis.objective - 1e-6
    assert compact.kpis.team_days_used <= full.kpis.team_days_used
