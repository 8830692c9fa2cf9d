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


@pytest.mark.parametrize("conferences", [False, True], ids=["routing-only", "with-conferences"])
def test_the_core_has_the_time_limit_as_work_only_when_its_routes_are_the_plan(
    conferences: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Routing only, the CP-SAT month is skipped and the core searches until its counted
    work reaches ``WHOLE_PLAN_WORK_PER_SECOND`` x the limit, and may split a large problem
    whose days are full; otherwise it stops at its iterations and leaves the time to the
    month."""
    from planner.solve import core

    seen = []
    real = core.solve_orienteering

    def spy(tsp, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((kwargs["params"].work_limit, kwargs["params"].split_selective))
        return real(tsp, **kwargs)

    monkeypatch.setattr(core, "solve_orienteering", spy)
    p = _province(conferences={"allowed": conferences})
    plan = solve_province(instance(p), time_limit=0.5, seed=1)
    expected = core.WHOLE_PLAN_WORK_PER_SECOND * 0.5 if not conferences else 0.0
    # a large province whose days are full is searched in parts only when the core's
    # routes are the plan (RESULTS.md, section 5z)
    assert seen == [(pytest.approx(expected), not conferences)]
    assert violations(p, plan.routes, TRAVEL) == []
