"""Spacing: the least number of days between two visits to one place.

Two passes through one commune are at least ``[propaganda] min_days_between_passes`` days
apart, two conferences at one venue at least ``[conferences] min_days_between_at_venue``:
a repeat the next day tells the same people the same thing, and a conference needs its
invitations to go out again. Never two on one day, whatever the scenario says (a gap below
one day counts as one). Days are day indices (or day counts between dates): integers.

The forms side by side: a check of two days (`far_enough`), of a new day against the days
used (`fits`), the days a visit closes around it (`too_close`, for the instance's arrays),
the window a CP-SAT model sums over (`window`), and the most visits some open days allow
(`max_spaced_days`, for the upper bound).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def gap_days(min_days_between: int) -> int:
    """The spacing in force: ``min_days_between``, and at least 1 (never twice a day)."""
    return max(min_days_between, 1)


def far_enough(days_apart: int, min_days_between: int) -> bool:
    """Two visits to one place ``days_apart`` days apart (either order) keep the spacing."""
    return abs(days_apart) >= gap_days(min_days_between)


def fits(days: Iterable[int], d: int, min_days_between: int) -> bool:
    """A visit on day ``d`` keeps the spacing with every visit already on ``days``."""
    return all(far_enough(d - other, min_days_between) for other in days)


def too_close(d: int, min_days_between: int) -> slice:
    """The days a visit on day ``d`` closes to another visit to the same place (``d``
    included), as a slice of a row of days: d - gap + 1 to d + gap - 1."""
    gap = gap_days(min_days_between)
    return slice(max(0, d - gap + 1), d + gap)


def window(start: int, min_days_between: int) -> range:
    """The days from ``start`` within which a place takes at most one visit: start to
    start + gap - 1. Every pair of days too close together lies in the window of the first."""
    return range(start, start + gap_days(min_days_between))


def max_spaced_days(open_days: np.ndarray, min_days_between: int) -> int:
    """How many of the open days (a boolean row) can be used keeping the spacing.

    Taking the earliest open day that fits, then the next, is optimal (an exchange
    argument: any spaced choice can be shifted onto the greedy one day by day).
    """
    count, last = 0, None
    for d in np.flatnonzero(open_days).tolist():
        if last is None or far_enough(d - last, min_days_between):
            count, last = count + 1, d
    return count
