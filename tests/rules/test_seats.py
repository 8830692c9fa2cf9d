"""Seats of a conference: the hall at the spacing in force, the gathering cap, people left."""

from __future__ import annotations

import itertools

import numpy as np

from planner.rules.seats import (
    NO_CAP,
    capped_seats,
    conference_seats,
    conference_seats_array,
    invited,
    seats_by_area,
)


def test_a_30_m2_hall_at_2_m2_a_person_under_a_limit_of_10_seats_10() -> None:
    assert conference_seats(30.0, 2.0, 10) == 10


def test_without_a_gathering_cap_the_hall_decides() -> None:
    assert conference_seats(30.0, 2.0, None) == 15
    assert conference_seats(30.0, 2.0, 50) == 15


def test_capped_seats_are_the_stricter_of_the_seats_and_the_cap() -> None:
    assert capped_seats(15, 10) == 10
    assert capped_seats(15, None) == 15
    assert capped_seats(15, 50) == conference_seats(30.0, 2.0, 50) == 15


def test_seats_by_area_round_down_to_whole_people() -> None:
    assert seats_by_area(31.0, 2.0) == 15
    assert seats_by_area(80.0, 1.0) == 80
    assert seats_by_area(1.5, 2.0) == 0


def test_invited_are_the_seats_or_the_people_left_never_below_zero() -> None:
    assert invited(40, 1000) == 40
    assert invited(40, 25) == 25
    assert invited(40, -5) == 0


def test_the_array_form_gives_the_scalar_seats() -> None:
    areas = np.array([[30.0], [80.0], [7.5]])
    m2 = np.array([[1.0, 2.0, 4.0, 0.7]] * 3)
    caps = np.array([[NO_CAP, 10, 0, 30]] * 3)
    seats = conference_seats_array(areas, m2, caps)
    assert seats.dtype == np.int64
    for v, d in itertools.product(range(3), range(4)):
        cap = None if caps[v, d] == NO_CAP else int(caps[v, d])
        assert seats[v, d] == conference_seats(float(areas[v, 0]), float(m2[v, d]), cap)
