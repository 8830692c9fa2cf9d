"""One test per rule, each on a tiny province where the right answer is known."""

from __future__ import annotations

import itertools

from planner import domain
from planner.plan import ProvincePlan
from planner.solve import solve_province
from tests.solve.factory import ISOLATED, commune, instance, problem


def solve(p: domain.ProvinceProblem) -> ProvincePlan:
    return solve_province(instance(p), time_limit=2.0, seed=1)


def visits(plan: ProvincePlan, code: str) -> list[tuple[str, int]]:
    return [
        (r.date.isoformat(), s.start_min)
        for r in plan.routes
        for s in r.stops
        if s.commune_code == code and s.kind == "pass"
    ]


def test_every_route_respects_hours_and_lunch_break() -> None:
    communes = [commune(f"C{i}", km_east=3 * i) for i in range(1, 12)]
    plan = solve(problem(communes, days=2))
    assert plan.routes
    for route in plan.routes:
        assert route.depart_min >= 450 and route.return_min <= 1020
        if route.lunch_minutes == 0:  # back at base before lunch: no break on the route
            assert route.return_min <= 780 and route.lunch_start_min == route.return_min
            continue
        assert 660 <= route.lunch_start_min <= 780
        lunch = (route.lunch_start_min, route.lunch_start_min + route.lunch_minutes)
        for stop in route.stops:
            assert stop.end_min <= lunch[0] or stop.start_min >= lunch[1], "a stop overlaps lunch"


def test_isolated_commune_is_never_entered_on_its_days() -> None:
    communes = [commune("A", 2, target=5000), commune("B", 4)]
    rules = {("A", 0): ISOLATED, ("A", 1): ISOLATED}
    plan = solve(problem(communes, days=3, rules=rules))
    days = [d for d, _ in visits(plan, "A")]
    assert days == ["2020-05-27"], "A is visited only on the one day it is not isolated"


def test_isolated_all_campaign_is_reported_with_its_reason() -> None:
    communes = [commune("A", 2), commune("B", 4)]
    rules = {("A", d): ISOLATED for d in range(3)}
    plan = solve(problem(communes, days=3, rules=rules))
    reasons = {u.code: u.reason for u in plan.unserved if u.kind == "commune"}
    assert reasons == {"A": "isolated"}


def test_conference_attendance_is_capped_by_the_gathering_limit() -> None:
    capped = domain.RuleLevel("d19_low", True, True, 30, 1.0, False)
    communes = [commune("A", 1, target=20000)]
    rules = {("A", d): capped for d in range(3)}
    plan = solve(
        problem(communes, days=3, rules=rules, conferences={"allowed": True}, hall_area=100.0)
    )
    conferences = [s for r in plan.routes for s in r.stops if s.kind == "conference"]
    assert conferences, "a conference is worth holding"
    for stop in conferences:
        assert stop.invited == 30 and stop.gathering_cap == 30
        assert stop.expected_attendance == 30 * 0.7


def test_hall_area_caps_attendance_when_no_gathering_cap() -> None:
    communes = [commune("A", 1, target=20000)]
    plan = solve(problem(communes, days=1, conferences={"allowed": True}, hall_area=40.0))
    conferences = [s for r in plan.routes for s in r.stops if s.kind == "conference"]
    assert [s.invited for s in conferences] == [40]


def test_repeat_passes_keep_their_spacing_and_are_worth_less() -> None:
    communes = [commune("A", 2, target=10000)]
    plan = solve(problem(communes, days=5, passes={"max_passes": 3, "min_days_between": 2}))
    stops = [
        s for r in sorted(plan.routes, key=lambda r: r.date) for s in r.stops if s.kind == "pass"
    ]
    dates = [
        r.date
        for r in sorted(plan.routes, key=lambda r: r.date)
        for s in r.stops
        if s.kind == "pass"
    ]
    assert [s.pass_number for s in stops] == [1, 2, 3]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(dates))
    reached = [s.people_reached for s in stops]
    assert reached[0] > reached[1] > reached[2]
    assert reached[1] == reached[0] * 0.5


def test_fairness_minimum_forces_a_visit_to_a_poor_group() -> None:
    # One team, one day: the rich group G1 could fill the day; G2's single commune is worth
    # little but the minimum of one pass per group makes the plan go there.
    communes = [commune(f"R{i}", km_east=1 + i / 2, target=50000) for i in range(12)]
    communes.append(commune("P", km_east=-6, target=10, group="G2"))
    without = solve(problem(communes, days=1))
    assert not visits(without, "P")
    forced = solve(problem(communes, days=1, fairness=(1, 0)))
    assert visits(forced, "P")


def test_unmet_fairness_minimum_says_why() -> None:
    communes = [commune("A", 2), commune("P", 3, group="G2")]
    rules = {("P", d): ISOLATED for d in range(2)}
    plan = solve(problem(communes, days=2, rules=rules, fairness=(1, 0)))
    unmet = [u for u in plan.unserved if u.kind == "group_minimum"]
    assert [(u.code, u.reason) for u in unmet] == [("G2", "isolated")]


def test_too_far_for_a_day_trip_is_reported() -> None:
    communes = [commune("A", 2), commune("FAR", 400)]
    plan = solve(problem(communes, days=1))
    reasons = {u.code: u.reason for u in plan.unserved if u.kind == "commune"}
    assert reasons == {"FAR": "too_far"}


def test_plan_is_never_below_greedy_and_never_above_bound() -> None:
    communes = [commune(f"C{i}", km_east=(i % 7) * 4 - 12, target=500 + 300 * i) for i in range(20)]
    plan = solve(problem(communes, days=3, teams=2, conferences={"allowed": True}))
    k = plan.kpis
    assert k.greedy_value <= k.objective + 1e-6
    assert k.objective <= k.upper_bound + 1e-6


def test_same_seed_same_plan() -> None:
    communes = [commune(f"C{i}", km_east=(i % 5) * 3 - 6, target=400 + 100 * i) for i in range(15)]
    p = problem(communes, days=3, teams=2, conferences={"allowed": True})
    a, b = solve(p), solve(p)
    assert a.routes == b.routes


def test_independent_checks_pass_on_solver_plans() -> None:
    from planner.rules.checks import violations
    from tests.solve.factory import TRAVEL

    communes = [commune(f"C{i}", km_east=(i % 7) * 4 - 12, target=500 + 300 * i) for i in range(20)]
    p = problem(communes, days=4, teams=2, conferences={"allowed": True}, passes={"max_passes": 2})
    plan = solve(p)
    assert plan.routes
    assert violations(p, plan.routes, TRAVEL) == []


def test_unmet_conference_minimum_names_the_rule_when_no_seat_is_left() -> None:
    no_seats = domain.RuleLevel("cap0", True, True, 0, 1.0, False)
    communes = [commune("A", 2), commune("B", 3)]
    rules = {(c, d): no_seats for c in ("A", "B") for d in range(2)}
    plan = solve(
        problem(communes, days=2, rules=rules, conferences={"allowed": True}, fairness=(0, 1))
    )
    unmet = [u for u in plan.unserved if u.kind == "group_minimum"]
    assert [(u.code, u.reason) for u in unmet] == [("G1", "rule_forbids")]


def test_no_lunch_break_after_the_team_is_back_at_base() -> None:
    """A short day ends at the base before lunch: its route carries no lunch break."""
    plan = solve(problem([commune("A", 2)], days=1))
    (route,) = plan.routes
    assert route.return_min < 660
    assert route.lunch_minutes == 0 and route.lunch_start_min == route.return_min
    assert "Ngày nhẹ" in route.note  # a light day says why
    assert plan.kpis.light_team_days == 1 and plan.kpis.spare_exhausted == 1


def test_a_bound_below_the_plan_fails_loudly() -> None:
    """The bound is a relaxation: a plan above it is a bug, reported, never masked."""
    import pytest

    from planner.errors import BoundBelowPlanError
    from planner.solve import checked_bound

    assert checked_bound(100.0, 99.5, "27") == 100.0
    assert checked_bound(100.0, 100.0 + 1e-5, "27") == 100.0  # rounding, not a bug
    with pytest.raises(BoundBelowPlanError, match="province 27"):
        checked_bound(100.0, 101.0, "27")
