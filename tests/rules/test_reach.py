"""People reached by a pass and a conference, and the enrolments they bring."""

from __future__ import annotations

import numpy as np

from planner.rules.reach import (
    conference_attendance,
    expected_enrolments,
    pass_people,
    pass_people_array,
)


def test_each_repeat_pass_reaches_repeat_value_times_the_one_before() -> None:
    assert pass_people(1000, 1, 0.05, 0.5) == 50.0
    assert pass_people(1000, 2, 0.05, 0.5) == 25.0
    assert pass_people(1000, 3, 0.05, 0.5) == 12.5


def test_the_array_form_equals_the_scalar_exactly() -> None:
    targets = np.array([[997.0], [12345.0], [3.0]])
    numbers = np.array([[1, 2, 3], [2, 3, 4], [5, 6, 7]])
    people = pass_people_array(targets, numbers, 0.047, 0.63)
    for i in range(3):
        for k in range(3):
            assert people[i, k] == pass_people(int(targets[i, 0]), int(numbers[i, k]), 0.047, 0.63)


def test_a_conference_reaches_those_invited_who_come() -> None:
    assert conference_attendance(40, 0.7) == 40 * 0.7


def test_enrolments_are_people_reached_times_conversion() -> None:
    assert expected_enrolments(200.0, 0.1) == 20.0


def test_attendance_and_enrolments_of_arrays_are_the_scalars_elementwise() -> None:
    invited, show_up = np.array([40.0, 17.0]), np.array([0.7, 0.63])
    attendance = conference_attendance(invited, show_up)
    enrolments = expected_enrolments(attendance, np.array([0.1, 0.27]))
    for j, conversion in enumerate((0.1, 0.27)):
        assert attendance[j] == conference_attendance(int(invited[j]), float(show_up[j]))
        assert enrolments[j] == expected_enrolments(float(attendance[j]), conversion)
