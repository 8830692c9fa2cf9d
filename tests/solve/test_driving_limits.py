"""Traffic safety: driving limits per day and without a break, and daylight-only driving."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from planner import domain
from planner.problem import with_safety
from planner.rules.checks import check_driving_limits, driving_spans, violations
from planner.rules.daylight import sun_times
from planner.rules.schedule import StopRequest, schedule_day
from planner.scenario import load_scenario
from planner.solve import solve_province
from tests.solve.factory import DAY, TRAVEL, commune, instance, problem

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SAFE_DAY = replace(DAY, max_driving_minutes=600, max_continuous_driving_minutes=240)


def _minutes(n: int, leg: int) -> np.ndarray:
    """n + 1 places (0 = base) all ``leg`` minutes apart."""
    m = np.full((n + 1, n + 1), leg, dtype=np.int64)
    np.fill_diagonal(m, 0)
    return m


def test_a_break_is_taken_before_four_hours_of_driving() -> None:
    """Passes are driving: 30-min legs and 60-min passes reach 4 hours by the third pass."""
    stops = [StopRequest(site=i, service_minutes=60, driving=True) for i in (1, 2, 3)]
    day = replace(SAFE_DAY, start_min=360, end_min=1200, lunch_minutes=0)
    timed = schedule_day(0, stops, _minutes(3, 30), day)
    assert timed is not None
    # 30 + 60 + 30 + 60 = 180 driven; the third leg and pass (90) would make 270 > 240.
    assert timed.break_starts == (360 + 180,)
    assert timed.stops[2].arrival_min == 360 + 180 + 15 + 30
    assert timed.driving_minutes == 3 * 90 + 30


def test_without_limits_no_break_is_inserted() -> None:
    stops = [StopRequest(site=i, service_minutes=60, driving=True) for i in (1, 2, 3)]
    day = replace(DAY, start_min=360, end_min=1200, lunch_minutes=0)
    timed = schedule_day(0, stops, _minutes(3, 30), day)
    assert timed is not None and timed.break_starts == ()
    assert timed.stops[2].arrival_min == 360 + 180 + 30


def test_a_conference_is_a_rest() -> None:
    """A conference (90 min, not driving) resets the stretch: no break is needed."""
    stops = [
        StopRequest(site=1, service_minutes=60, driving=True),
        StopRequest(site=2, service_minutes=90),
        StopRequest(site=3, service_minutes=60, driving=True),
    ]
    day = replace(SAFE_DAY, start_min=360, end_min=1200, lunch_minutes=0)
    timed = schedule_day(0, stops, _minutes(3, 60), day)
    assert timed is not None and timed.break_starts == ()


def test_the_daily_driving_limit_refuses_a_longer_day() -> None:
    stops = [StopRequest(site=i, service_minutes=60, driving=True) for i in (1, 2)]
    day = replace(SAFE_DAY, start_min=360, end_min=1200, lunch_minutes=0, max_driving_minutes=200)
    assert schedule_day(0, stops, _minutes(2, 30), day) is None  # 30+60+30+60+30 = 210
    day_ok = replace(day, max_driving_minutes=210)
    assert schedule_day(0, stops, _minutes(2, 30), day_ok) is not None


def test_a_leg_longer_than_the_continuous_limit_is_refused() -> None:
    day = replace(SAFE_DAY, start_min=0, end_min=1440, lunch_minutes=0)
    assert schedule_day(0, [StopRequest(site=1, service_minutes=10)], _minutes(1, 250), day) is None


def test_solver_plans_keep_the_limits_and_check_agrees() -> None:
    """A tight daily limit (2 hours of driving) holds on every planned route."""
    tight = replace(SAFE_DAY, max_driving_minutes=120, max_continuous_driving_minutes=60)
    communes = [commune(f"C{i}", km_east=(i % 5) * 5 - 10, target=800 + 100 * i) for i in range(12)]
    p = problem(communes, days=2, working_day=tight, passes={"max_passes": 2})
    plan = solve_province(instance(p), time_limit=2.0, seed=1)
    assert plan.routes
    for route in plan.routes:
        assert sum(b - a for a, b in driving_spans(route)) <= 120
    assert violations(p, plan.routes, TRAVEL) == []
    # The same plan under a looser rule set is fine; under a tighter one, check flags it.
    tighter = replace(
        p,
        teams=tuple(
            replace(t, working_day=replace(tight, max_driving_minutes=30)) for t in p.teams
        ),
    )
    flagged = list(check_driving_limits(tighter, plan.routes))
    assert flagged and all(v.rule == "driving_limits" for v in flagged)


def test_check_flags_a_hand_edited_route_without_its_break() -> None:
    stops = [StopRequest(site=i, service_minutes=60, driving=True) for i in (1, 2, 3)]
    communes = [commune(f"C{i}", km_east=6.0 * i) for i in (1, 2, 3)]
    day = replace(SAFE_DAY, start_min=360, end_min=1200, lunch_minutes=0)
    p = problem(communes, days=1, working_day=day, passes={"dwell_minutes": {"Xã": 60}})
    plan = solve_province(instance(p), time_limit=2.0, seed=1)
    (route,) = plan.routes
    assert len(route.stops) == 3 and violations(p, plan.routes, TRAVEL) == []
    # Remove every rest: each stop starts when the previous one ends plus its drive.
    now, edited = route.depart_min, []
    for stop in route.stops:
        arrival = now + stop.minutes_from_previous
        edited.append(replace(stop, arrival_min=arrival, start_min=arrival, end_min=arrival + 60))
        now = arrival + 60
    hand = replace(
        route,
        stops=tuple(edited),
        return_min=now + route.minutes_to_base,
        minutes_to_base=route.minutes_to_base,
    )
    total = sum(b - a for a, b in driving_spans(hand))
    assert total > 240
    (violation,) = check_driving_limits(p, (hand,))
    assert "without a break" in violation.message
    del stops


def test_sun_times_match_hanoi_almanac() -> None:
    """Hà Nội (21.03N 105.85E): 21 Dec 06:31-17:20, 21 Jun 05:14-18:41 (timeanddate.com)."""
    for day, rise, set_ in ((dt.date(2020, 12, 21), 391, 1040), (dt.date(2020, 6, 21), 314, 1121)):
        got_rise, got_set = sun_times(21.0285, 105.8542, day)
        assert abs(got_rise - rise) <= 3 and abs(got_set - set_) <= 3


@pytest.mark.parametrize("daylight_only", [True, False])
def test_daylight_cuts_a_long_working_day(daylight_only: bool) -> None:
    scenario = load_scenario(SCENARIOS / "demo.toml")
    scenario = scenario.model_copy(
        update={"safety": scenario.safety.model_copy(update={"daylight_only": daylight_only})}
    )
    p = problem([commune("A", 2)], days=3, working_day=replace(DAY, start_min=300, end_min=1200))
    (team,) = with_safety(p.teams, scenario, SCENARIOS / "demo.toml", p.venues)
    rise, set_ = sun_times(p.venues[0].lat, p.venues[0].lon, p.dates[0])
    if daylight_only:  # 05:00-20:00 in late May near Hà Nội: cut to about 05:16-18:30
        assert abs(team.working_day.start_min - rise) <= 2
        assert abs(team.working_day.end_min - set_) <= 2
    else:
        assert (team.working_day.start_min, team.working_day.end_min) == (300, 1200)
    assert team.working_day.max_continuous_driving_minutes == 240
    assert team.working_day.max_driving_minutes == 600


def test_domain_defaults_are_no_limit() -> None:
    assert domain.WorkingDay(450, 1020, 660, 780, 60).max_driving_minutes is None
