"""Sunrise and sunset, for the traffic-safety rule that teams drive in daylight only.

The NOAA solar calculator's equations (fractional year, equation of time, declination, hour
angle at the sun's apparent rise, 90.833 degrees from the zenith), accurate to a minute or two
at Vietnam's latitudes: enough to cut a working day to daylight. Times are minutes since
local midnight in Vietnam's time (UTC+7, no daylight saving).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

VIETNAM_UTC_OFFSET_MINUTES = 7 * 60


def sun_times(
    lat: float, lon: float, day: dt.date, utc_offset_minutes: int = VIETNAM_UTC_OFFSET_MINUTES
) -> tuple[int, int]:
    """(sunrise, sunset) at a place on a day, in whole minutes since local midnight.

    Sunrise is rounded up and sunset down, so that the span between them is all daylight.
    """
    n = day.timetuple().tm_yday
    gamma = 2 * math.pi / 365 * (n - 1)
    eqtime = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    phi = math.radians(lat)
    cos_ha = math.cos(math.radians(90.833)) / (math.cos(phi) * math.cos(decl)) - math.tan(
        phi
    ) * math.tan(decl)
    ha = math.degrees(math.acos(max(-1.0, min(1.0, cos_ha))))
    sunrise = 720 - 4 * (lon + ha) - eqtime + utc_offset_minutes
    sunset = 720 - 4 * (lon - ha) - eqtime + utc_offset_minutes
    return math.ceil(sunrise), math.floor(sunset)


def daylight(lat: float, lon: float, days: Iterable[dt.date]) -> tuple[int, int] | None:
    """The latest sunrise and the earliest sunset over ``days``: daylight on every one of them.

    None when ``days`` is empty.
    """
    times = [sun_times(lat, lon, day) for day in days]
    if not times:
        return None
    return max(rise for rise, _ in times), min(set_ for _, set_ in times)
