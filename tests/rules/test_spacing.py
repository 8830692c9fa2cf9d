"""Spacing between two visits to one place, in its four forms, and the CP-SAT family."""

from __future__ import annotations

import itertools

import numpy as np
from ortools.sat.python import cp_model

from planner.rules.spacing import far_enough, fits, gap_days, max_spaced_days, too_close, window
from planner.solve.constraints import add_spacing


def test_never_twice_on_one_day_whatever_the_scenario_says() -> None:
    assert gap_days(0) == 1
    assert not far_enough(0, 0)
    assert far_enough(1, 0)


def test_three_days_between_passes() -> None:
    assert gap_days(3) == 3
    assert not far_enough(2, 3)
    assert far_enough(3, 3) and far_enough(-3, 3)
    assert fits([0, 6], 3, 3) and not fits([0, 5], 3, 3)


def test_too_close_and_window_agree_with_far_enough() -> None:
    for gap, d, other in itertools.product(range(4), range(8), range(8)):
        row = np.ones(10, dtype=bool)
        row[too_close(d, gap)] = False
        assert row[other] == far_enough(other - d, gap)
        if other >= d:
            assert (other in window(d, gap)) == (not far_enough(other - d, gap))


def test_most_spaced_days_among_the_open_ones() -> None:
    assert max_spaced_days(np.ones(5, dtype=bool), 2) == 3
    assert max_spaced_days(np.array([True, True, False, True, True]), 3) == 2
    assert max_spaced_days(np.zeros(4, dtype=bool), 1) == 0


def test_the_cp_sat_family_allows_exactly_the_spaced_days() -> None:
    for gap in range(4):
        for chosen in itertools.product([0, 1], repeat=6):
            model = cp_model.CpModel()
            uses = [(d, model.new_bool_var(f"u{d}")) for d in range(6)]
            add_spacing(model, uses, gap)
            for (_, var), on in zip(uses, chosen, strict=True):
                model.add(var == on)
            days = [d for d, on in enumerate(chosen) if on]
            spaced = all(far_enough(b - a, gap) for a, b in itertools.combinations(days, 2))
            status = cp_model.CpSolver().solve(model)
            assert (status == cp_model.OPTIMAL) == spaced, (gap, days)
