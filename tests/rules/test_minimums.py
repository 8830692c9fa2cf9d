"""Fairness minimums per group: what is still owed, and what a re-plan's done stops give."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ortools.sat.python import cp_model

from planner import domain
from planner.rules.minimums import every_one_counts, group_minimum, minimums_left, still_owed
from planner.solve.constraints import add_group_minimums, maximize
from tests.solve.factory import commune, instance, problem


def test_still_owed_never_goes_below_zero() -> None:
    assert still_owed(3, 1) == 2
    assert still_owed(1, 5) == 0


def test_a_group_at_its_minimum_needs_every_stop() -> None:
    assert every_one_counts(1, 1)
    assert not every_one_counts(2, 1)


def test_the_minimum_of_each_kind() -> None:
    fairness = domain.Fairness(min_passes_per_group=2, min_conferences_per_group=1)
    assert group_minimum(fairness, "pass") == 2
    assert group_minimum(fairness, "conference") == 1


def test_done_passes_count_toward_their_groups_minimum() -> None:
    communes = [commune("A", 2, group="G1"), commune("B", 3, group="G2")]
    p = problem(communes, fairness=(2, 1))
    assert minimums_left(p, "pass") == {"G1": 2, "G2": 2}
    done = domain.History(
        from_date=dt.date(2020, 5, 27),
        passes_done=(
            ("A", (dt.date(2020, 5, 25),)),
            ("B", (dt.date(2020, 5, 25), dt.date(2020, 5, 26))),
        ),
    )
    p = replace(p, history=done)
    assert minimums_left(p, "pass") == {"G1": 1, "G2": 0}
    assert minimums_left(p, "conference") == {"G1": 1, "G2": 1}


def test_the_cp_sat_family_pays_for_what_is_still_owed() -> None:
    communes = [commune("A", 2, group="G1"), commune("B", 3, group="G1")]
    inst = instance(problem(communes, fairness=(2, 0)))
    for made in range(3):
        model = cp_model.CpModel()
        passes = {c: [(0, model.new_bool_var(f"x{c}"))] for c in range(2)}
        for c in range(2):
            model.add(passes[c][0][1] == int(c < made))
        objective: list[tuple[int, cp_model.IntVar]] = [(500, passes[0][0][1])]
        add_group_minimums(model, inst, passes, {}, objective)
        maximize(model, objective)
        solver = cp_model.CpSolver()
        assert solver.solve(model) == cp_model.OPTIMAL
        penalty = -objective[-1][0]
        assert penalty > 500, "a missed minimum costs more than all the value"
        owed = still_owed(inst.min_passes_left["G1"], made)
        assert solver.objective_value == 500 * int(made > 0) - penalty * owed
