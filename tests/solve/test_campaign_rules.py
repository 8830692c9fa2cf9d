"""The campaign as it is run, one rule per test on tiny hand-made provinces.

Territories (a team works its own district), conferences per team-week, and the lead time of
conferences in a re-plan: each is kept by every stage of the solver, by the bound, and checked
independently by `planner.rules.checks`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner import domain
from planner.plan import ProvincePlan, Stop
from planner.rules.checks import violations
from planner.solve import solve_province
from tests.solve.factory import TRAVEL, commune, instance, problem


def solve(p: domain.ProvinceProblem) -> ProvincePlan:
    return solve_province(instance(p), time_limit=2.0, seed=1)


def two_districts(**kwargs: object) -> domain.ProvinceProblem:
    """G1 with a few small communes near the base, G2 with rich communes just as near.

    One team, based in G1. Without a territory the team goes where the people are (G2).
    """
    communes = [commune(f"A{i}", km_east=2 + i, target=200, group="G1") for i in range(3)]
    communes += [commune(f"B{i}", km_east=-2 - i, target=20000, group="G2") for i in range(3)]
    return problem(communes, days=2, **kwargs)  # type: ignore[arg-type]


def own_territory(p: domain.ProvinceProblem) -> domain.ProvinceProblem:
    teams = tuple(replace(t, territory=(t.group_code,)) for t in p.teams)
    return replace(p, teams=teams)


def groups_visited(plan: ProvincePlan) -> set[str]:
    return {s.group_code for r in plan.routes for s in r.stops}


def test_a_team_lent_to_the_province_goes_where_the_people_are() -> None:
    plan = solve(two_districts())
    assert "G2" in groups_visited(plan)


def test_a_team_never_leaves_its_territory() -> None:
    p = own_territory(two_districts())
    plan = solve(p)
    assert plan.routes
    assert groups_visited(plan) == {"G1"}
    assert violations(p, plan.routes, TRAVEL) == []
    # G2's communes are left out because no team works there, and the plan says so.
    reasons = {u.code: u.reason for u in plan.unserved if u.kind == "commune"}
    assert {reasons[f"B{i}"] for i in range(3)} == {"no_team"}
    # The bound knows it too: it stays above the plan but below the province-wide bound.
    free = solve(two_districts())
    assert plan.kpis.objective <= plan.kpis.upper_bound + 1e-6
    assert plan.kpis.upper_bound < free.kpis.upper_bound


def test_a_loan_lets_the_team_into_the_named_district() -> None:
    p = two_districts()
    p = replace(p, teams=tuple(replace(t, territory=("G1", "G2")) for t in p.teams))
    assert "G2" in groups_visited(solve(p))


def test_check_flags_a_stop_moved_outside_the_territory() -> None:
    p = own_territory(two_districts())
    plan = solve(p)
    route = plan.routes[0]
    moved: Stop = replace(route.stops[0], commune_code="B0", group_code="G2", group_name="Huyện G2")
    edited = (replace(route, stops=(moved, *route.stops[1:])), *plan.routes[1:])
    found = [v for v in violations(p, edited, TRAVEL) if v.rule == "territory"]
    assert len(found) == 1 and "outside the team's territory (G1)" in found[0].message


def conference_problem(limit: int | None) -> domain.ProvinceProblem:
    """One team, six working days in one calendar week, a venue in each of six communes."""
    communes = [commune(f"C{i}", km_east=1 + i, target=3000) for i in range(6)]
    p = problem(
        communes,
        days=6,
        conferences={"allowed": True, "max_per_team_week": limit, "max_per_venue": 1},
    )
    venues = tuple(
        domain.Venue(
            venue_id=f"PO-C-{c.code}",
            name=f"Bưu điện {c.code}",
            kind="commune",
            commune_code=c.code,
            group_code=c.group_code,
            lat=c.lat,
            lon=c.lon,
            hall_area_m2=100.0,
            catchment_target_people=c.target_people,
        )
        for c in communes
    )
    return replace(p, venues=(*p.venues, *venues))


def conferences_by_week(plan: ProvincePlan) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    for r in plan.routes:
        week = r.date.isocalendar()[:2]
        out[week] = out.get(week, 0) + sum(1 for s in r.stops if s.kind == "conference")
    return out


def test_conferences_per_team_week() -> None:
    unlimited = solve(conference_problem(None))
    assert max(conferences_by_week(unlimited).values()) > 2  # conferences pay: one a day
    p = conference_problem(2)
    paced = solve(p)
    assert max(conferences_by_week(paced).values()) == 2
    assert violations(p, paced.routes, TRAVEL) == []
    assert paced.kpis.objective <= paced.kpis.upper_bound + 1e-6
    # check counts them independently
    found = [v.rule for v in violations(conference_problem(1), paced.routes, TRAVEL)]
    assert "conferences_per_week" in found


def test_no_conference_is_added_within_the_lead_days_of_a_replan() -> None:
    p = conference_problem(None)
    published = solve(p)
    from_date = p.dates[2]
    lead = 2
    history = domain.History(
        from_date=from_date,
        published=tuple(
            domain.PublishedStop(
                r.team_id,
                r.date,
                s.kind,
                s.commune_code if s.kind == "pass" else s.venue_id or "",
            )
            for r in published.routes
            if r.date >= from_date
            for s in r.stops
        ),
        stability=0.0,
    )
    announced = {
        (r.date, s.venue_id)
        for r in published.routes
        for s in r.stops
        if s.kind == "conference" and from_date <= r.date < from_date + dt.timedelta(days=lead)
    }
    # Conferences pay more now (a larger hall everywhere): a re-plan would like to move them.
    bigger = replace(
        p,
        conferences=replace(p.conferences, lead_days=lead),
        venues=tuple(replace(v, hall_area_m2=300.0) for v in p.venues),
        history=history,
    )
    replanned = solve(bigger)
    held = {
        (r.date, s.venue_id)
        for r in replanned.routes
        for s in r.stops
        if s.kind == "conference" and from_date <= r.date < from_date + dt.timedelta(days=lead)
    }
    assert held <= announced
    # after the lead time it is free again
    later = {r.date for r in replanned.routes for s in r.stops if s.kind == "conference"}
    assert any(d >= from_date + dt.timedelta(days=lead) for d in later)


def island_problem(with_island_team: bool) -> domain.ProvinceProblem:
    """A mainland district G1 and an island district G2 (boat only) 15 km offshore."""
    communes = [commune(f"A{i}", km_east=2 + i, target=500, group="G1") for i in range(3)]
    communes += [
        replace(commune(f"I{i}", km_east=15 + i, target=5000, group="G2"), boat_only=True)
        for i in range(3)
    ]
    p = problem(communes, days=2, teams=2 if with_island_team else 1)
    island_office = next(v for v in p.venues if v.group_code == "G2")
    island_office = replace(island_office, lat=communes[3].lat, lon=communes[3].lon)
    venues = tuple(island_office if v.group_code == "G2" else v for v in p.venues)
    teams = list(p.teams)
    if with_island_team:
        teams[1] = replace(
            teams[1], team_id="T-island", base_venue_id=island_office.venue_id, group_code="G2"
        )
    return replace(p, venues=venues, teams=tuple(teams))


def test_an_island_district_has_its_own_team_and_the_mainland_team_stays_ashore() -> None:
    p = island_problem(with_island_team=True)
    plan = solve(p)
    by_team: dict[str, set[str]] = {}
    for r in plan.routes:
        by_team.setdefault(r.team_id, set()).update(s.group_code for s in r.stops)
    assert by_team["T-island"] == {"G2"}  # it drives on its island
    assert by_team["T1"] == {"G1"}  # the mainland team needs no boat
    assert violations(p, plan.routes, TRAVEL) == []


def test_without_an_island_team_the_island_is_boat_only() -> None:
    plan = solve(island_problem(with_island_team=False))
    reasons = {u.code: u.reason for u in plan.unserved if u.kind == "commune"}
    assert {reasons[f"I{i}"] for i in range(3)} == {"boat_only"}
