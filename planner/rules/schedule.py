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
    driving: bool = False  # a propaganda pass: the team drives through at loudspeaker pace


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
    driving_minutes: int = 0  # legs and loudspeaker passes
    break_starts: tuple[int, ...] = ()  # short breaks taken on the way (traffic safety)


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
       a stop. It is taken as late as the next stop allows, so that mornings are used fully;
    4. traffic safety: driving (every leg, and every propaganda pass, a drive at loudspeaker
       pace) adds up to at most ``max_driving_minutes`` a day, and to at most
       ``max_continuous_driving_minutes`` between two rests; a rest is any stop, wait or
       lunch of at least ``break_minutes``. When the next leg (and the pass it leads to)
       would drive too long without one, the team takes a break of ``break_minutes`` where
       it is before driving on.
    """
    now = day.start_min
    here = base_site
    lunch_start: int | None = None
    timed: list[TimedStop] = []
    travel = 0
    driving = _Driving(day)

    def take_lunch_at(t: int) -> int | None:
        start = max(t, day.lunch_earliest_min)
        return start if start <= day.lunch_latest_min else None

    for stop in stops:
        leg = int(minutes[here, stop.site])
        drive = leg + (stop.service_minutes if stop.driving else 0)
        pause = driving.pause_before(drive)
        if pause is None:
            return None
        if lunch_start is None:
            # Can we serve this stop and still start lunch in time afterwards?
            start = _earliest_start(now + pause + leg, stop.windows)
            if start is None or start + stop.service_minutes > day.lunch_latest_min:
                lunch_start = take_lunch_at(now)
                if lunch_start is None:
                    return None
                driving.rest(lunch_start + day.lunch_minutes - now)  # waiting and lunch
                now = lunch_start + day.lunch_minutes
                pause = driving.pause_before(drive)
                if pause is None:
                    return None
        if pause:
            driving.take_break(now)
            now += pause
        arrival = now + leg
        start = _earliest_start(arrival, stop.windows)
        if start is None:
            return None
        end = start + stop.service_minutes
        if end > day.end_min:
            return None
        driving.drive(leg)
        driving.rest(start - arrival)
        if stop.driving:
            driving.drive(stop.service_minutes)
        else:
            driving.rest(stop.service_minutes)
        timed.append(TimedStop(arrival_min=arrival, start_min=start, end_min=end))
        travel += leg
        now = end
        here = stop.site

    leg_home = int(minutes[here, base_site])
    pause = driving.pause_before(leg_home)
    if pause is None:
        return None
    if lunch_start is None:
        back = now + pause + leg_home
        # Lunch at the base after returning, or on the way before driving home.
        at_base = take_lunch_at(back)
        if at_base is not None and at_base + day.lunch_minutes <= day.end_min:
            lunch_start = at_base
        else:
            lunch_start = take_lunch_at(now)
            if lunch_start is None:
                return None
            driving.rest(lunch_start + day.lunch_minutes - now)
            now = lunch_start + day.lunch_minutes
            pause = driving.pause_before(leg_home)
            if pause is None:
                return None
    if pause:
        driving.take_break(now)
        now += pause
    driving.drive(leg_home)
    back = now + leg_home
    if back > day.end_min or not driving.within_day():
        return None
    return DaySchedule(
        depart_min=day.start_min,
        stops=tuple(timed),
        lunch_start_min=lunch_start,
        return_min=back,
        travel_minutes=travel + leg_home,
        driving_minutes=driving.total,
        break_starts=tuple(driving.breaks),
    )


class _Driving:
    """Minutes driven in a day and since the last rest (traffic safety, rule 4)."""

    def __init__(self, day: WorkingDay) -> None:
        self.day = day
        self.total = 0
        self.stretch = 0
        self.breaks: list[int] = []

    def pause_before(self, drive: int) -> int | None:
        """Minutes of break needed before driving ``drive`` more, or None if it cannot be."""
        limit = self.day.max_continuous_driving_minutes
        if limit is None:
            return 0
        if drive > limit:
            return None
        return 0 if self.stretch + drive <= limit else self.day.break_minutes

    def take_break(self, at: int) -> None:
        self.breaks.append(at)
        self.stretch = 0

    def drive(self, minutes: int) -> None:
        self.total += minutes
        self.stretch += minutes

    def rest(self, minutes: int) -> None:
        if minutes >= self.day.break_minutes:
            self.stretch = 0

    def within_day(self) -> bool:
        limit = self.day.max_driving_minutes
        return limit is None or self.total <= limit
