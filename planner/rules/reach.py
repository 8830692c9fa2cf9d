"""People reached and enrolments expected: what a pass or a conference achieves.

A propaganda pass (loudspeakers driven through a commune) reaches a share of the commune's
target people (``reach_share``), and each later pass through the same commune reaches
less: ``repeat_value`` times the pass before (people already told are told again). A
conference reaches the people who come: those invited x the show-up rate. Of the people
reached, a share enrols (``conversion``, one rate for passes and one for conferences).

Units: people (float: expected values); pass numbers count from 1 in date order, the
passes a re-plan or the launch day already made included.
"""

from __future__ import annotations

import numpy as np

from planner.rules.points import Amount


def pass_people(
    target_people: float, pass_number: int, reach_share: float, repeat_value: float
) -> float:
    """People reached by the ``pass_number``-th pass (1-based) through a commune:
    target people x reach_share x repeat_value^(pass_number - 1).

    Why: a first pass tells a share of the target people; a repeat is worth less, since
    most of those it reaches have heard it already.
    """
    return target_people * reach_share * repeat_value ** (pass_number - 1)


def pass_people_array(
    target_people: np.ndarray, pass_number: np.ndarray, reach_share: float, repeat_value: float
) -> np.ndarray:
    """`pass_people` over arrays that broadcast together (e.g. communes x pass numbers).

    Pass numbers are at least 1. The repeat factor of each pass number is the scalar power,
    so every element equals `pass_people` of the same arguments exactly.
    """
    numbers = np.asarray(pass_number, dtype=np.int64)
    factors = np.array([repeat_value**n for n in range(int(numbers.max(initial=1)))], dtype=float)
    return np.asarray(target_people, dtype=float) * reach_share * factors[numbers - 1]


def conference_attendance(invited: Amount, show_up: Amount) -> Amount:
    """People expected at a conference: those invited x the show-up rate.

    Why: not everyone invited comes; the people who come are the ones the conference
    reaches (and may enrol on the spot). Arrays (e.g. conferences x draws) go elementwise.
    """
    return invited * show_up


def expected_enrolments(people_reached: Amount, conversion: Amount) -> Amount:
    """Enrolments expected from the people a pass or conference reaches: people x conversion.

    Why: enrolment in voluntary social insurance is the campaign's aim; the conversion
    rate is per person reached (docs/rates.md). Arrays (e.g. of draws) go elementwise.
    """
    return people_reached * conversion
