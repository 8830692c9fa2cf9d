"""The timing of one team-day: when each stop starts and ends, and when lunch is taken.

This is the single place that turns an ordered list of stops into times. The solver uses it
to accept or reject a route; `planner check` verifies written times against the same rules
(working hours, lunch break, travel time, conference slots) without calling it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.domain import WorkingDay


@dataclass(frozen=True)
class StopRequest:
    """A stop to place in a day: where, for how long, and when it may start.

    ``windows`` lists the allowed start intervals (earliest, latest) in minutes since
    midnight; an empty tuple means any time within working hours.
    """

    site: int
    service_minutes: int
    windows: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class TimedStop:
    arrival_min: int
    start_min: int
    end_min: int


@dataclass(frozen=True)
class DaySchedule:
    depart_min: int
    stops: tuple[TimedStop, ...]
    lunch_start_min: int
    return_min: int
    travel_minutes: int


def _earliest_start(arrival: int, windows: tuple[tuple[int, int], ...]) -> int | None:
    """The first allowed start at or after arrival, or None when every window has closed."""
    if not windows:
        return arrival
    for earliest, latest in windows:
        if arrival <= latest:
            return max(arrival, earliest)
    return None


def schedule_day(
    base_site: int,
    stops: Sequence[StopRequest],
    minutes: np.ndarray,
    day: WorkingDay,
) -> DaySchedule | None:
    """Times for visiting ``stops`` in order from the base and back, or None if impossible.

    Rules applied, in words:
    1. the team leaves its base at the start of its working hours and must be back by the end;
    2. travel between places takes ``minutes[a, b]``; a stop starts on arrival, or at the
       opening of its next start window (waiting is allowed), never after the window closes;
    3. the lunch break lasts ``lunch_minutes`` and starts inside [lunch_earliest, lunch_latest];
       it is taken between stops (before driving on) or at the base on return, never during
       a stop. It is taken as late as the next stop allows, so that mornings are used fully.
    """
    now = day.start_min
    here = base_site
    lunch_start: int | None = None
    timed: list[TimedStop] = []
    travel = 0

    def take_lunch_at(t: int) -> int | None:
        start = max(t, day.lunch_earliest_min)
        return start if start <= day.lunch_latest_min else None

    for stop in stops:
        leg = int(minutes[here, stop.site])
        if lunch_start is None:
            # Can we serve this stop and still start lunch in time afterwards?
            start = _earliest_start(now + leg, stop.windows)
            if start is None or start + stop.service_minutes > day.lunch_latest_min:
                lunch_start = take_lunch_at(now)
                if lunch_start is None:
                    return None
                now = lunch_start + day.lunch_minutes
        arrival = now + leg
        start = _earliest_start(arrival, stop.windows)
        if start is None:
            return None
        end = start + stop.service_minutes
        if end > day.end_min:
            return None
        timed.append(TimedStop(arrival_min=arrival, start_min=start, end_min=end))
        travel += leg
        now = end
        here = stop.site

    leg_home = int(minutes[here, base_site])
    if lunch_start is None:
        back = now + leg_home
        # Lunch at the base after returning, or on the way before driving home.
        at_base = take_lunch_at(back)
        if at_base is not None and at_base + day.lunch_minutes <= day.end_min:
            lunch_start = at_base
        else:
            lunch_start = take_lunch_at(now)
            if lunch_start is None:
                return None
            now = lunch_start + day.lunch_minutes
    back = now + leg_home
    if back > day.end_min:
        return None
    return DaySchedule(
        depart_min=day.start_min,
        stops=tuple(timed),
        lunch_start_min=lunch_start,
        return_min=back,
        travel_minutes=travel + leg_home,
    )
