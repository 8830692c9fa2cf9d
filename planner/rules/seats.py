"""Seats of a conference: how many people a venue may invite on a day.

Three limits stack, each from a different rule:

1. the hall: the COVID rule in force sets a floor area per person in a gathering
   (``m2_per_person``, scenario ``[covid.levels.*]``), so a hall of A m2 seats
   A / m2_per_person people, rounded down (a part of a person is no seat);
2. the gathering cap of the same level (``max_gathering``; None: no numeric cap);
3. the people left to invite in the venue's catchment (its commune, or its group for a
   group's main post office): nobody is invited twice, so a venue's later conferences, and a
   re-plan's, invite only who is left.

The first two depend on the venue and the day only (the instance's ``conf_seats``); the
third on what was held there before. Every module that needs seats calls these functions:
the instance (arrays), the plan's figures, `planner check`.
"""

from __future__ import annotations

import numpy as np

#: ``max_gathering`` in the array form when the level has no numeric cap.
NO_CAP = -1


def seats_by_area(hall_area_m2: float, m2_per_person: float) -> int:
    """People the hall holds at the floor area per person in force (m2 / (m2 per person)).

    Why: the COVID rules limit crowding by area, not only by head count; a hall of 30 m2 at
    2 m2 a person seats 15. Rounded down: half a person is no seat.
    """
    return int(hall_area_m2 / m2_per_person)


def conference_seats(hall_area_m2: float, m2_per_person: float, max_gathering: int | None) -> int:
    """People a conference may invite at a venue on a day: the hall's seats at the spacing in
    force, capped by the gathering limit of the level (None: no numeric cap).

    Why: both rules apply at once; the stricter one binds. A 30 m2 hall at 2 m2 a person
    under a gathering limit of 10 seats 10 people.
    """
    seats = seats_by_area(hall_area_m2, m2_per_person)
    return seats if max_gathering is None else min(seats, max_gathering)


def capped_seats(seats: int, max_gathering: int | None) -> int:
    """Seats under the gathering cap of the level (None: no numeric cap): the stricter binds."""
    return seats if max_gathering is None else min(seats, max_gathering)


def conference_seats_array(
    hall_area_m2: np.ndarray, m2_per_person: np.ndarray, max_gathering: np.ndarray
) -> np.ndarray:
    """`conference_seats` over arrays that broadcast together (e.g. venues x days), as int64.

    ``max_gathering`` holds `NO_CAP` where the level has no numeric cap. Rounded down as
    `seats_by_area` is (the area and the floor area per person are positive).
    """
    seats = np.trunc(np.asarray(hall_area_m2, dtype=float) / m2_per_person).astype(np.int64)
    cap = np.asarray(max_gathering, dtype=np.int64)
    return np.where(cap == NO_CAP, seats, np.minimum(seats, cap))


def invited(seats: int, people_left: int) -> int:
    """People a conference invites: its seats, and no more than the people still left to
    invite in the venue's catchment (never below zero).

    Why: an invitation goes to people not yet invited there; a venue whose catchment is
    used up by its earlier conferences (this plan's or a re-plan's done ones) fills no seat.
    """
    return min(seats, max(0, people_left))
