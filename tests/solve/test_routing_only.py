"""A province whose plan is nothing but first passes is planned by the routing core alone
(planner/solve/core.py, ``routing_only``): the CP-SAT month is skipped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner import domain
from planner.rules.checks import violations
from planner.solve import solve_province
from planner.solve.core import routing_only
from tests.solve.factory import TRAVEL, commune, instance, problem


def _province(**kwargs: object) -> domain.ProvinceProblem:
    communes = [commune(f"C{i}", km_east=(i % 5) * 4 - 9, target=300 + 40 * i) for i in range(9)]
    return problem(communes, days=2, teams=2, **kwargs)  # type: ignore[arg-type]


def test_first_passes_only_is_routing_only_and_skips_the_month() -> None:
    p = _province()
    assert routing_only(instance(p))
    plan = solve_province(instance(p), time_limit=2.0, seed=1)
    assert "cp-sat month: skipped (routing only: no conference, one pass a commune)" in plan.notes
    assert not any("cp-sat month " in n for n in plan.notes if n.startswith("candidates"))
    assert violations(p, plan.routes, TRAVEL) == []
    assert plan.kpis.passes > 0


@pytest.mark.parametrize(
    "change",
    [
        {"conferences": {"allowed": True}},
        {"passes": {"max_passes": 2}},
        {"fairness": (1, 0)},
    ],
    ids=["conferences", "second-pass", "district-minimum"],
)
def test_conferences_second_passes_or_minimums_keep_the_cp_sat_month(change: dict) -> None:
    p = _province(**change)
    assert not routing_only(instance(p))
    plan = solve_province(instance(p), time_limit=2.0, seed=1)
    assert not any(n.startswith("cp-sat month: skipped") for n in plan.notes)
    assert any("cp-sat month " in n for n in plan.notes if n.startswith("candidates"))


def test_a_re_plan_keeps_the_cp_sat_month() -> None:
    inst = instance(_province())
    replan = replace(inst, keep_bonus={("pass", 0, 0, 0): 1.0})
    assert not routing_only(replan)


def test_no_hall_open_is_routing_only_even_when_conferences_are_allowed() -> None:
    inst = instance(_province(conferences={"allowed": True}))
    closed = replace(inst, conf_open=inst.conf_open & False)
    assert routing_only(closed)
