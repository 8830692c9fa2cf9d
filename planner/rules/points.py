"""Points: what a plan is worth, in people-equivalents.

The scenario's ``[objective]`` weighs the two things the campaign wants, people reached
(``reach_weight`` per person) and enrolments (``enrolment_weight`` per enrolment), against
the cost of driving (``travel_cost_per_km``). A pass or a conference is worth its people
reached x (reach_weight + conversion x enrolment_weight): the people it reaches, and the
enrolments they bring. With the default weights (1 and 10) the value reads in people.

Every stage values a plan through these functions: the instance's arrays of points, the
CP-SAT models' objective (scaled to integers in `planner.solve.constraints`), the upper
bound, and the plan's figures (`planner.solve.evaluate`, the launch day's merge).
"""

from __future__ import annotations

from typing import Protocol, TypeVar

import numpy as np

#: A number of people (or km), or an array of them: the functions work on both.
Amount = TypeVar("Amount", float, np.ndarray)


class Weights(Protocol):
    """The objective's weights: `planner.domain.Weights`, or the scenario's ``[objective]``."""

    @property
    def reach_weight(self) -> float: ...

    @property
    def enrolment_weight(self) -> float: ...

    @property
    def travel_cost_per_km(self) -> float: ...


def points_per_person(weights: Weights, conversion: float) -> float:
    """Points of one person reached: reach_weight + conversion x enrolment_weight.

    Why: a person reached counts once for being reached and, on average, ``conversion``
    times for enrolling. ``conversion`` is the pass's or the conference's (they differ: a
    conference's audience came to hear about the scheme).
    """
    return weights.reach_weight + conversion * weights.enrolment_weight


def points(people_reached: Amount, per_person: float) -> Amount:
    """Points of a pass or conference (or an array of them): people reached x points per
    person (`points_per_person`), before travel cost."""
    return people_reached * per_person


def travel_cost(weights: Weights, km: Amount) -> Amount:
    """What driving ``km`` road kilometres (or an array of them) costs in points:
    km x travel_cost_per_km.

    Why: fuel and wear, and a nudge toward compact routes when two plans reach as many.
    """
    return weights.travel_cost_per_km * km


def plan_value(weights: Weights, people_reached: float, enrolments: float, km: float) -> float:
    """A plan's (or a part's) value: people reached x reach_weight + enrolments x
    enrolment_weight - travel cost of its km.

    Why: the one measure every plan is compared by: the optimised plan, the greedy
    baseline, the upper bound's gap, the parts of a re-plan or a launch day added up.
    """
    return (
        people_reached * weights.reach_weight
        + enrolments * weights.enrolment_weight
        - travel_cost(weights, km)
    )
