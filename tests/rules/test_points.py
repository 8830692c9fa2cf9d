"""Points: people reached and enrolments weighed against travel."""

from __future__ import annotations

import numpy as np
import pytest

from planner import domain
from planner.rules.points import plan_value, points, points_per_person, travel_cost

WEIGHTS = domain.Weights(
    reach_weight=1.0, enrolment_weight=10.0, travel_cost_per_km=0.2, fairness_penalty=1000.0
)


def test_a_person_reached_is_worth_one_plus_conversion_times_ten() -> None:
    assert points_per_person(WEIGHTS, 0.005) == pytest.approx(1.05)
    assert points_per_person(WEIGHTS, 0.1) == pytest.approx(2.0)


def test_points_scale_people_scalar_or_array() -> None:
    assert points(40 * 0.7, 2.0) == pytest.approx(56.0)
    assert np.allclose(points(np.array([10.0, 20.0]), 1.05), [10.5, 21.0])


def test_travel_costs_its_km() -> None:
    assert travel_cost(WEIGHTS, 50.0) == pytest.approx(10.0)


def test_a_plan_is_worth_its_reach_and_enrolments_less_its_driving() -> None:
    assert plan_value(WEIGHTS, 1000.0, 20.0, 100.0) == pytest.approx(1000 + 200 - 20)
